/**
 * Events read through the bare driver (raw-select.ts), as Prisma's `Event` objects: for the reads
 * that return thousands of rows at a time (a session's tree, live timelines).
 */
import type { Event } from '../generated/sqlite/client.js';
import type { Database } from './database.js';
import { rawJsonOrNull } from '../lib/raw-json.js';
import { bigintColumn, selectRows } from './raw-select.js';

/** The columns to select, in this order; the JSON payloads last, so they can be left out. */
const COLUMNS =
  'id, project_id, session_id, key, parent_key, seq, type, name, timestamp_us, duration_ms, received_at_us, status, ' +
  'model, prompt_tokens, completion_tokens, cost_usd, error_message, error_type';
const PAYLOAD_COLUMNS = ', input, output, metadata';

/** The select list: with `payloads: false` the JSON columns are not read, and come back null. */
export function eventColumns(options: { payloads: boolean }): string {
  return options.payloads ? COLUMNS + PAYLOAD_COLUMNS : COLUMNS;
}

type Json = Event['input'];

/**
 * A row of eventColumns() as Prisma's Event: camelCase, BigInt micros. The JSON payloads stay the
 * text the database gave, as RawJson: a response writes that text as it is (lib/raw-json.ts).
 */
export function toEvent(row: unknown[], provider: Database['provider']): Event {
  const payloads = row.length > 18;
  return {
    // BIGINT on PostgreSQL, where Prisma gives it as a bigint (pg as text); a number on SQLite.
    id: (provider === 'postgresql' ? BigInt(row[0] as string) : row[0]) as number,
    projectId: row[1] as number,
    sessionId: row[2] as number,
    key: row[3] as string,
    parentKey: row[4] as string | null,
    seq: row[5] as number,
    type: row[6] as Event['type'],
    name: row[7] as string | null,
    timestampUs: bigintColumn(row[8]),
    durationMs: row[9] as number | null,
    receivedAtUs: bigintColumn(row[10]),
    status: row[11] as Event['status'],
    input: payloads ? (rawJsonOrNull(row[18]) as unknown as Json) : null,
    output: payloads ? (rawJsonOrNull(row[19]) as unknown as Json) : null,
    metadata: payloads ? (rawJsonOrNull(row[20]) as unknown as Json) : null,
    model: row[12] as string | null,
    promptTokens: row[13] as number | null,
    completionTokens: row[14] as number | null,
    costUsd: row[15] as number | null,
    errorMessage: row[16] as string | null,
    errorType: row[17] as string | null,
  };
}

/** Runs a select of eventColumns() (see selectRows) and maps its rows to Events. */
export async function selectEvents(db: Database, name: string, sql: string, params: unknown[]): Promise<Event[]> {
  return selectRows(db, name, sql, params, toEvent);
}
