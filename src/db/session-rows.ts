/** Sessions read through the bare driver (raw-select.ts), as Prisma's `Session` objects: for live watchers. */
import type { Session } from '../generated/sqlite/client.js';
import type { Database } from './database.js';
import { bigintColumn, bigintOrNullColumn, parseJsonColumn, selectRows } from './raw-select.js';

/** The columns to select, in toSession's order. */
export const SESSION_COLUMNS =
  'id, project_id, key, name, agent_id, status, tags, metadata, started_at_us, ended_at_us, last_event_at_us, ' +
  'last_received_at_us, event_count, error_count, prompt_tokens, completion_tokens, cost_usd, seq, duration_us, search_text';

type Json = Session['tags'];

export function toSession(row: unknown[]): Session {
  return {
    id: row[0] as number,
    projectId: row[1] as number,
    key: row[2] as string,
    name: row[3] as string | null,
    agentId: row[4] as number | null,
    status: row[5] as Session['status'],
    tags: parseJsonColumn(row[6]) as Json,
    metadata: parseJsonColumn(row[7]) as Session['metadata'],
    startedAtUs: bigintColumn(row[8]),
    endedAtUs: bigintOrNullColumn(row[9]),
    lastEventAtUs: bigintOrNullColumn(row[10]),
    lastReceivedAtUs: bigintColumn(row[11]),
    eventCount: row[12] as number,
    errorCount: row[13] as number,
    promptTokens: row[14] as number,
    completionTokens: row[15] as number,
    costUsd: row[16] as number,
    seq: row[17] as number,
    durationUs: bigintOrNullColumn(row[18]),
    searchText: row[19] as string,
  };
}

/** Runs a select of SESSION_COLUMNS (see selectRows) and maps its rows to Sessions. */
export function selectSessions(db: Database, name: string, sql: string, params: unknown[]): Promise<Session[]> {
  return selectRows(db, name, sql, params, toSession);
}
