/**
 * Selects through the bare driver beneath Prisma's adapter, for the hot reads: at a thousand
 * live watchers, or a 10,000-event tree, Prisma's query interpretation and row mapping cost
 * several times the statement itself. Rows come back as arrays, and a mapper per model
 * (event-rows.ts, session-rows.ts) turns each into the very object Prisma would give, so
 * resolvers and the relations Pothos loads see no difference.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Prisma } from '../generated/sqlite/client.js';
import type { Database } from './database.js';

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * Runs `sql`, written once with `?` placeholders; on PostgreSQL they become $1, $2, ... (so `?`
 * must appear nowhere else in it). A statement of fixed text has a `name`: SQLite statements are
 * then prepared once per connection, and PostgreSQL ones are named, so each pooled connection
 * parses them once (one `name` per `sql`). Text built from a request (a filter's conditions, a
 * list's length) passes `name: null` and is prepared for this run only, so no cache grows with
 * the variety of requests.
 */
export async function selectRows<T>(
  db: Database,
  name: string | null,
  sql: string,
  params: unknown[],
  map: (row: unknown[], provider: Database['provider']) => T,
): Promise<T[]> {
  let rows: unknown[][];
  if (db.raw.provider === 'sqlite') {
    const connection = db.raw.connection;
    let cache = statements.get(connection);
    if (!cache) statements.set(connection, (cache = new Map()));
    let statement = name === null ? undefined : cache.get(sql);
    if (!statement) {
      // Plain numbers, not the BigInts the adapter asks of this connection: every integer read
      // this way fits in a double (micros until the year 2255), and mappers make BigInts of the
      // ones Prisma types as bigint.
      statement = connection.prepare(sql).safeIntegers(false).raw();
      if (name !== null) cache.set(sql, statement);
    }
    rows = statement.all(...params) as unknown[][];
  } else {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const query = { text, values: params, rowMode: 'array' as const };
    rows = (await db.raw.pool.query<unknown[]>(name === null ? query : { ...query, name })).rows;
  }
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = map(rows[i]!, db.provider);
  return out;
}

/** Runs SQL built for one request with Prisma.sql (`?` placeholders): neither named nor cached. */
export function selectBuilt<T>(db: Database, sql: Prisma.Sql, map: (row: unknown[], provider: Database['provider']) => T): Promise<T[]> {
  return selectRows(db, null, sql.sql, sql.values, map);
}

/**
 * `column` is one of a list passed as a single parameter (listParameter), so the statement keeps
 * one shape whatever the list's length: an array on PostgreSQL, a JSON array on SQLite (whose 999
 * bound parameters a thousand watchers starting together would outgrow).
 */
export function inListSql(provider: Database['provider'], column: string, type: 'int' | 'text'): string {
  return provider === 'postgresql' ? `${column} = ANY(?::${type}[])` : `${column} IN (SELECT value FROM json_each(?))`;
}

/** The parameter for inListSql's `?`. */
export function listParameter(provider: Database['provider'], values: readonly (number | string)[]): unknown {
  return provider === 'postgresql' ? values : JSON.stringify(values);
}

/**
 * A JSON column as Prisma gives it: parsed. SQLite stores it as text; pg has parsed jsonb already,
 * and a JSON string value arrives as a JS string that must not be parsed again.
 */
export const parseJsonColumn = (value: unknown, provider: Database['provider']): unknown =>
  provider === 'sqlite' && typeof value === 'string' ? JSON.parse(value) : value;

/** A BIGINT column as Prisma gives it: a bigint (pg reads int8 as text, SQLite here as a number). */
export const bigintColumn = (value: unknown): bigint => BigInt(value as number | string);

/** A nullable BIGINT column as Prisma gives it. */
export const bigintOrNullColumn = (value: unknown): bigint | null => (value === null ? null : BigInt(value as number | string));
