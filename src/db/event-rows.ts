/**
 * Events read through the bare driver, as Prisma's `Event` objects. For the reads that return
 * thousands of rows at a time (a session's tree, live timelines), Prisma's row mapping costs
 * several times the statement itself; here a row comes back as an array and becomes the same
 * object Prisma would give, so resolvers and the relations Pothos loads see no difference.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Event } from '../generated/sqlite/client.js';
import type { Database } from './database.js';

/** The columns to select, in this order; the JSON payloads last, so they can be left out. */
const COLUMNS =
  'id, project_id, session_id, key, parent_key, seq, type, name, timestamp_us, duration_ms, received_at_us, status, ' +
  'model, prompt_tokens, completion_tokens, cost_usd, error_message, error_type';
const PAYLOAD_COLUMNS = ', input, output, metadata';

/** The select list for `e.*`-like reads: with `payloads: false` the JSON columns read as null. */
export function eventColumns(options: { payloads: boolean; alias?: string }): string {
  const columns = options.payloads ? COLUMNS + PAYLOAD_COLUMNS : COLUMNS;
  return options.alias ? columns.split(', ').map((column) => `${options.alias}.${column}`).join(', ') : columns;
}

type Json = Event['input'];
/** A JSON column as Prisma gives it: parsed (SQLite stores text; pg has parsed jsonb already). */
const json = (value: unknown): Json => (typeof value === 'string' ? (JSON.parse(value) as Json) : (value as Json));

/** A row of eventColumns() as Prisma's Event: camelCase, BigInt micros, parsed JSON. */
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
    timestampUs: BigInt(row[8] as number | string),
    durationMs: row[9] as number | null,
    receivedAtUs: BigInt(row[10] as number | string),
    status: row[11] as Event['status'],
    input: payloads ? json(row[18]) : null,
    output: payloads ? json(row[19]) : null,
    metadata: payloads ? json(row[20]) : null,
    model: row[12] as string | null,
    promptTokens: row[13] as number | null,
    completionTokens: row[14] as number | null,
    costUsd: row[15] as number | null,
    errorMessage: row[16] as string | null,
    errorType: row[17] as string | null,
  };
}

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * Runs a select of eventColumns() and maps its rows. `sql` is written once with `?` placeholders;
 * on PostgreSQL they become $1, $2, ... (so `?` must appear nowhere else in it). SQLite statements
 * are prepared once per connection; PostgreSQL ones are named, so each pooled connection parses
 * them once.
 */
export async function selectEvents(db: Database, name: string, sql: string, params: unknown[]): Promise<Event[]> {
  let rows: unknown[][];
  if (db.raw.provider === 'sqlite') {
    const connection = db.raw.connection;
    let cache = statements.get(connection);
    if (!cache) statements.set(connection, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) {
      // Plain numbers, not the BigInts the adapter asks of this connection: every integer here
      // fits in a double (micros until the year 2255), and the two that Event types as bigint
      // become one in toEvent.
      statement = connection.prepare(sql).safeIntegers(false).raw();
      cache.set(sql, statement);
    }
    rows = statement.all(...params) as unknown[][];
  } else {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    rows = (await db.raw.pool.query<unknown[]>({ name, text, values: params, rowMode: 'array' })).rows;
  }
  const events = new Array<Event>(rows.length);
  for (let i = 0; i < rows.length; i++) events[i] = toEvent(rows[i]!, db.provider);
  return events;
}
