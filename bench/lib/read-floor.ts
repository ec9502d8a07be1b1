/**
 * The floor of a read: the very statements the server sends for a request, replayed through the
 * bare driver (better-sqlite3 / pg) with no Prisma, GraphQL or HTTP around them.
 *
 * Capture: the server's own code (buildApp) runs in this process on the same database, and its
 * driver is watched while one request is in flight: on SQLite every statement its connection
 * prepares and binds (SQL text and bound values, after the adapter's conversions) or runs with
 * values of its own (the server's cached raw statements), and every statement it sends to its
 * reader threads (src/db/sqlite-readers.ts), with the time it ran; on PostgreSQL
 * every query a pg client sends (text and values as they go on the wire), with the client and the
 * time it ran. Writes (the API key's last-used hint) are left out: the floor is the read.
 *
 * Replay, as the server ran them: statements the server ran at overlapping times run concurrently,
 * the rest after one another. SQLite runs each on one of as many threads of its own, each with a
 * read-only connection, as the server has reader threads (its main connection's statements never
 * overlap); PostgreSQL runs a transaction's statements on one client in order and concurrent ones
 * each on its own pooled client.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Database as AppDatabase } from '../../src/db/database.js';
import { SQLITE_READER_THREADS } from '../../src/db/sqlite-readers.js';

export interface CapturedStatement {
  sql: string;
  values: unknown[];
  /** Statements of one transaction share a unit; every other statement is a unit of its own. */
  unit: number;
  startMs: number;
  endMs: number;
}

export interface Capture {
  /** Runs `request` and returns the read statements it sent. */
  during(request: () => Promise<void>): Promise<CapturedStatement[]>;
  /** Undoes the driver patches. */
  release(): void;
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

/** Watches the driver beneath `db` (the in-process app's database). */
export function captureStatements(db: AppDatabase): Capture {
  let recording: CapturedStatement[] | null = null;
  let nextUnit = 0;
  const during: Capture['during'] = async (request) => {
    recording = [];
    try {
      await request();
      return recording;
    } finally {
      recording = null;
    }
  };
  /** SQLite runs a statement when it is called: it starts and ends at once for the replay's timing. */
  const recordSqlite = (sql: string, values: unknown[]) => {
    const now = performance.now();
    recording?.push({ sql, values, unit: nextUnit++, startMs: now, endMs: now });
  };

  if (db.raw.provider === 'sqlite') {
    const connection = db.raw.connection;
    // Statements sent to the reader threads: recorded with the time they took, so that the ones
    // the server ran side by side are replayed side by side.
    const readers = db.readers;
    const originalQuery = readers?.query;
    if (readers && originalQuery) {
      readers.query = (sql, values) => {
        const entry: CapturedStatement | undefined = recording ? { sql, values: [...values], unit: nextUnit++, startMs: performance.now(), endMs: Number.NaN } : undefined;
        if (entry) recording!.push(entry);
        const answer = originalQuery.call(readers, sql, values);
        const done = () => { if (entry) entry.endMs = performance.now(); };
        answer.then(done, done);
        return answer;
      };
    }
    const originalPrepare = connection.prepare;
    // The adapter prepares and binds every statement on this connection (no statement cache).
    connection.prepare = function (this: BetterSqlite3.Database, source: string) {
      const statement = originalPrepare.call(this, source);
      if (!recording || !statement.reader) return statement;
      const originalBind = statement.bind as (...values: unknown[]) => BetterSqlite3.Statement;
      statement.bind = function (this: BetterSqlite3.Statement, ...values: unknown[]) {
        recordSqlite(source, values.length === 1 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values);
        return originalBind.apply(this, values);
      } as typeof statement.bind;
      return statement;
    } as typeof connection.prepare;
    // The server's hot reads (src/db/raw-select.ts) prepare once and run `all(...values)` on the
    // cached statement, with no bind: those are recorded where they run.
    const statementPrototype = Object.getPrototypeOf(originalPrepare.call(connection, 'SELECT 1')) as { all: (...values: unknown[]) => unknown };
    const originalAll = statementPrototype.all;
    statementPrototype.all = function (this: BetterSqlite3.Statement, ...values: unknown[]) {
      if (values.length > 0 && this.reader) recordSqlite(this.source, values);
      return originalAll.apply(this, values);
    };
    return {
      during,
      release() {
        connection.prepare = originalPrepare;
        statementPrototype.all = originalAll;
        if (readers && originalQuery) readers.query = originalQuery;
      },
    };
  }

  // PostgreSQL: every client of the app's pool is a pg.Client; patch the class while recording.
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const originalQuery = prototype.query;
  const openTransaction = new WeakMap<object, number>();
  prototype.query = function (this: object, ...args: unknown[]) {
    if (!recording) return originalQuery.apply(this, args);
    const config = args[0] as string | { text: string; values?: unknown[] };
    const sql = typeof config === 'string' ? config : config.text;
    const values = (Array.isArray(args[1]) ? args[1] : typeof config === 'string' ? [] : (config.values ?? [])) as unknown[];
    let unit = openTransaction.get(this);
    if (/^\s*BEGIN\b/i.test(sql)) {
      unit = nextUnit++;
      openTransaction.set(this, unit);
    }
    if (unit === undefined) unit = nextUnit++;
    if (/^\s*(COMMIT|ROLLBACK)\b/i.test(sql)) openTransaction.delete(this);
    const entry: CapturedStatement = { sql, values, unit, startMs: performance.now(), endMs: Number.NaN };
    if (!WRITE.test(sql)) recording.push(entry);
    const done = () => {
      entry.endMs = performance.now();
    };
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        done();
        return (callback as (...r: unknown[]) => unknown)(...results);
      };
      return originalQuery.apply(this, args);
    }
    const result = originalQuery.apply(this, args) as Promise<unknown> | undefined;
    if (result && typeof result.then === 'function') void result.then(done, done);
    else done();
    return result;
  };
  return {
    during,
    release() {
      prototype.query = originalQuery;
    },
  };
}

export interface FloorRunner {
  /** Replays `statements` once; resolves when the last answer is read. */
  replay(statements: CapturedStatement[]): Promise<void>;
  close(): Promise<void>;
}

/** Units whose capture times overlapped run together; the groups run one after another. */
function waves(statements: CapturedStatement[]): CapturedStatement[][][] {
  const units = new Map<number, CapturedStatement[]>();
  for (const statement of statements) units.set(statement.unit, [...(units.get(statement.unit) ?? []), statement]);
  const ordered = [...units.values()].sort((a, b) => a[0]!.startMs - b[0]!.startMs);
  const result: CapturedStatement[][][] = [];
  let waveEnd = -Infinity;
  for (const unit of ordered) {
    const start = unit[0]!.startMs;
    const end = Math.max(...unit.map((s) => s.endMs));
    if (result.length > 0 && start < waveEnd) result.at(-1)!.push(unit);
    else result.push([unit]);
    waveEnd = Math.max(waveEnd, end);
  }
  return result;
}

/**
 * A floor thread: a bare read-only better-sqlite3 connection that runs the statements it is sent,
 * one at a time, and answers with the number of rows (reading them all, sending none back).
 */
const FLOOR_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const connection = new Database(workerData.path, { readonly: true, fileMustExist: true });
// Prepared once per text, as the server keeps its statements prepared (src/db/statement-cache.ts).
const statements = new Map();
parentPort.on('message', ({ id, sql, values }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = connection.prepare(sql).raw()));
    parentPort.postMessage({ id, rows: statement.all(...values).length });
  } catch (error) {
    parentPort.postMessage({ id, error: error.message });
  }
});
`;

function openSqliteFloorThreads(path: string): FloorRunner {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // As many as the server's reader threads.
  const threads = Array.from({ length: SQLITE_READER_THREADS }, () => new Worker(FLOOR_THREAD, { eval: true, workerData: { path, driver } }));
  const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  for (const thread of threads) {
    thread.on('message', ({ id, error }: { id: number; error?: string }) => {
      const entry = waiting.get(id);
      waiting.delete(id);
      if (error === undefined) entry?.resolve();
      else entry?.reject(new Error(`floor statement failed: ${error}`));
    });
  }
  let nextId = 0;
  const run = (thread: Worker, statement: CapturedStatement) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      thread.postMessage({ id, sql: statement.sql, values: statement.values });
    });
  return {
    async replay(statements) {
      for (const wave of waves(statements)) {
        // The wave's units in turn on the threads, each thread taking the next unit when free.
        const queue = [...wave];
        await Promise.all(
          threads.map(async (thread) => {
            for (let unit = queue.shift(); unit; unit = queue.shift()) {
              for (const statement of unit) await run(thread, statement);
            }
          }),
        );
      }
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.terminate()));
    },
  };
}

export async function openFloorRunner(databaseUrl: string): Promise<FloorRunner> {
  if (databaseUrl.startsWith('file:')) return openSqliteFloorThreads(databaseUrl.slice('file:'.length));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', () => {});
  return {
    async replay(statements) {
      for (const wave of waves(statements)) {
        await Promise.all(
          wave.map(async (unit) => {
            const client = await pool.connect();
            try {
              for (const statement of unit) await client.query({ text: statement.sql, values: statement.values });
            } finally {
              client.release();
            }
          }),
        );
      }
    },
    async close() {
      await pool.end().catch(() => {});
    },
  };
}

/** A short description of what a captured request sent, for the notes. */
export function describeStatements(statements: CapturedStatement[]): string {
  const units = new Set(statements.map((s) => s.unit)).size;
  return `${statements.length} statement(s) in ${units} unit(s), ${waves(statements).length} wave(s)`;
}
