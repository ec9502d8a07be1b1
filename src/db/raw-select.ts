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
import { statementCache } from './statement-cache.js';

/**
 * SQLite statements kept prepared per connection: the named ones, plus the shapes requests build
 * (a filter's conditions, an order), whose values are bound; preparing a list's three statements
 * anew cost about 0.1 ms per request.
 */
const MAX_PREPARED_STATEMENTS = 256;

const statements = new WeakMap<BetterSqlite3.Database, (sql: string) => BetterSqlite3.Statement>();

function preparedStatement(connection: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let prepared = statements.get(connection);
  if (!prepared) {
    // Plain numbers, not the BigInts the adapter asks of this connection: every integer read
    // this way fits in a double (micros until the year 2255), and mappers make BigInts of the
    // ones Prisma types as bigint.
    prepared = statementCache((text) => connection.prepare(text).safeIntegers(false).raw(), MAX_PREPARED_STATEMENTS);
    statements.set(connection, prepared);
  }
  return prepared(sql);
}

/**
 * Runs `sql`, written once with `?` placeholders; on PostgreSQL they become $1, $2, ... (so `?`
 * must appear nowhere else in it). A statement of fixed text has a `name`: PostgreSQL statements
 * are then named, so each pooled connection parses them once (one `name` per `sql`). Text built
 * from a request (a filter's conditions, a list's length) passes `name: null` and is parsed for
 * this run only there, since pg keeps named statements for the connection's life. On SQLite
 * both kinds are kept prepared, at most MAX_PREPARED_STATEMENTS of them.
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
    rows = preparedStatement(db.raw.connection, sql).all(...params) as unknown[][];
  } else {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const query = { text, values: params, rowMode: 'array' as const, types: db.raw.types };
    rows = (await db.raw.pool.query<unknown[]>(name === null ? query : { ...query, name })).rows;
  }
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = map(rows[i]!, db.provider);
  return out;
}

/** Runs SQL built for one request with Prisma.sql (`?` placeholders), unnamed (see selectRows). */
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
 * A JSON column as Prisma gives it: parsed. Raw selects read JSON as text on both databases
 * (SQLite stores it so; pg is told to leave json and jsonb unparsed, see RawDriver).
 */
export const parseJsonColumn = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** A BIGINT column as Prisma gives it: a bigint (pg reads int8 as text, SQLite here as a number). */
export const bigintColumn = (value: unknown): bigint => BigInt(value as number | string);

/** A nullable BIGINT column as Prisma gives it. */
export const bigintOrNullColumn = (value: unknown): bigint | null => (value === null ? null : BigInt(value as number | string));

/**
 * A DateTime column, selected as milliseconds since the epoch. Prisma writes ISO text with an
 * offset on SQLite (a row defaulted by SQLite itself holds 'YYYY-MM-DD HH:MM:SS'; julianday reads
 * both) and a UTC `timestamp(3)` on PostgreSQL, which EXTRACT reads as UTC.
 */
export function epochMsColumn(provider: Database['provider'], column: string): string {
  return provider === 'postgresql'
    ? `(EXTRACT(EPOCH FROM ${column}) * 1000)::float8`
    : `ROUND((julianday(${column}) - 2440587.5) * 86400000)`;
}

/** An epochMsColumn as Prisma gives a DateTime. */
export const dateColumn = (value: unknown): Date => new Date(value as number);

/** A nullable epochMsColumn as Prisma gives it. */
export const dateOrNullColumn = (value: unknown): Date | null => (value === null ? null : new Date(value as number));

/** A COUNT(*): a number on SQLite, int8 as text from pg. */
export const countColumn = (value: unknown): number => Number(value);
