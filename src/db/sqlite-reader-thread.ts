/**
 * A SQLite reader thread: a read-only connection of its own to the database file, running the
 * statements sqlite-readers.ts sends it, one at a time. better-sqlite3 runs a statement on the
 * thread that calls it, so a statement that reads a million rows (analytics) would otherwise hold
 * the server's event loop for seconds; in WAL mode a reader sees the last commit and neither
 * waits for the writer nor makes it wait.
 *
 * Protocol: `{ id, sql, params }` in; `{ id, ok: true, rows }` or `{ id, ok: false, error }` out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { statementCache } from './statement-cache.js';

export interface ReaderOptions {
  path: string;
  busyTimeoutMs: number;
}

export interface ReadRequest {
  id: number;
  sql: string;
  params: unknown[];
}

export type ReadAnswer =
  | { id: number; ok: true; rows: Record<string, unknown>[] }
  | { id: number; ok: false; error: { name: string; message: string; code?: string } };

/** Prepared statements kept per thread: analytics has a few dozen shapes; a filter's values are bound. */
const MAX_CACHED_STATEMENTS = 200;

function startReader(port: NonNullable<typeof parentPort>, options: ReaderOptions): void {
  const connection = new Database(options.path, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs });
  // Integers as BigInt, as the Prisma adapter reads them: exact sums and counts stay exact.
  const prepared = statementCache((sql) => connection.prepare(sql).safeIntegers(true), MAX_CACHED_STATEMENTS);

  port.on('message', ({ id, sql, params }: ReadRequest) => {
    let answer: ReadAnswer;
    try {
      answer = { id, ok: true, rows: prepared(sql).all(...params) as Record<string, unknown>[] };
    } catch (error) {
      const { name, message, code } = error as Error & { code?: unknown };
      answer = { id, ok: false, error: { name, message, ...(typeof code === 'string' ? { code } : {}) } };
    }
    port.postMessage(answer);
  });
}

if (parentPort) startReader(parentPort, workerData as ReaderOptions);
