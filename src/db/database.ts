/**
 * One database handle per server: a Prisma client for ordinary reads and writes, and the raw
 * driver beneath the same driver adapter for the ingest hot path. Both share one connection
 * (SQLite) or one pool (PostgreSQL), so there is a single writer lock and a single pool limit.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { PrismaClient } from '../generated/sqlite/client.js';
import { applySqlitePragmas } from './sqlite-pragmas.js';
import { createSqliteReaders, SQLITE_READER_THREADS, type SqliteReaders } from './sqlite-readers.js';

export type Provider = 'sqlite' | 'postgresql';

export type RawDriver =
  | { provider: 'sqlite'; connection: BetterSqlite3.Database }
  | {
      provider: 'postgresql';
      pool: pg.Pool;
      /**
       * pg's type parsers, but json and jsonb columns come as their text: raw selects read them as
       * text on both databases (see raw-select.ts), which lets an event's payloads pass through a
       * response unparsed (lib/raw-json.ts).
       */
      types: pg.CustomTypesConfig;
    };

export interface Database {
  readonly provider: Provider;
  /** Typed against the SQLite client: the narrower API, so PostgreSQL-only options stay out. */
  readonly prisma: PrismaClient;
  /** The connected adapter that `prisma` runs on; migrations and raw SQL go through it too. */
  readonly adapter: SqlDriverAdapter;
  readonly raw: RawDriver;
  /**
   * SQLite (a file): reader threads for statements that read much of the database (analytics),
   * off the event loop and side by side. Null on PostgreSQL, whose pool does both already.
   */
  readonly readers: SqliteReaders | null;
  close(): Promise<void>;
}

export function providerOf(databaseUrl: string): Provider {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  throw new Error(`DATABASE_URL must start with file:, postgres:// or postgresql:// (got ${databaseUrl.split(':')[0]}:)`);
}

/**
 * Prisma calls `connect()` on its adapter factory when it first needs the database. This factory
 * connects once and hands Prisma the adapter we already hold, so raw SQL and Prisma share it.
 */
function sharedFactory(factory: SqlDriverAdapterFactory, adapter: SqlDriverAdapter): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => Promise.resolve(adapter),
  };
}

export interface OpenOptions {
  /**
   * PostgreSQL: longest wait for a connection, new or from the pool, in milliseconds; past it the
   * query fails (and a request answers 503) instead of hanging on an unreachable server.
   * @default 5000
   */
  connectTimeoutMs?: number;
}

export async function openDatabase(databaseUrl: string, options: OpenOptions = {}): Promise<Database> {
  keepWasmOnBaselineTier();
  return providerOf(databaseUrl) === 'sqlite' ? openSqlite(databaseUrl) : openPostgres(databaseUrl, options);
}

/**
 * Prisma 7 plans queries in a WebAssembly module. By default V8 compiles it with Liftoff, then
 * recompiles hot functions with TurboFan in the background: that tier-up held ~45 MB of resident
 * memory (a fifth of an idle server) and bought nothing measurable (a findFirst with an include
 * took ~350 µs either way). Prisma serves the cold paths; the hot ones are raw SQL. Set before
 * the first query compiles the module; the flag is process-wide and only Prisma runs wasm here.
 */
function keepWasmOnBaselineTier(): void {
  setFlagsFromString('--liftoff-only');
}

// Each provider's driver, adapter and generated client are loaded when opened, so a server
// carries one provider's modules, not both (several MB of resident memory each).

async function openSqlite(databaseUrl: string): Promise<Database> {
  const [{ PrismaBetterSqlite3 }, { PrismaClient }] = await Promise.all([
    import('@prisma/adapter-better-sqlite3'),
    import('../generated/sqlite/client.js'),
  ]);
  const path = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const factory = new PrismaBetterSqlite3({ url: `file:${path}`, timeout: 10_000 });
  const adapter = await factory.connect();
  // The adapter keeps its better-sqlite3 handle in a public `client` field; the type hides it.
  const connection = (adapter as unknown as { client: BetterSqlite3.Database }).client;
  applySqlitePragmas(connection);
  const prisma = new PrismaClient({ adapter: sharedFactory(factory, adapter) });
  // A database in memory has no file for readers to share.
  const readers = path === ':memory:' ? null : createSqliteReaders({ path, busyTimeoutMs: 10_000, threads: SQLITE_READER_THREADS });
  return {
    provider: 'sqlite',
    prisma,
    adapter,
    raw: { provider: 'sqlite', connection },
    readers,
    async close() {
      await readers?.close();
      await prisma.$disconnect();
      if (connection.open) connection.close();
    },
  };
}

/** OIDs of PostgreSQL's json and jsonb types. */
const JSON_TYPE_OIDS = new Set([114, 3802]);

function jsonAsText(types: typeof pg.types): pg.CustomTypesConfig {
  const asText = (value: string) => value;
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      JSON_TYPE_OIDS.has(oid) ? asText : types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
}

async function openPostgres(databaseUrl: string, options: OpenOptions): Promise<Database> {
  const [{ default: pg }, { PrismaPg }, { PrismaClient: PostgresPrismaClient }] = await Promise.all([
    import('pg'),
    import('@prisma/adapter-pg'),
    import('../generated/postgresql/client.js'),
  ]);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    // Bounds both connecting and waiting for a free client: an unreachable server (or one so
    // busy that a request would queue for seconds) becomes an error the caller can retry later.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    // TCP keepalive, so a connection whose server vanished without a word is found out and dropped.
    keepAlive: true,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Nor may a checked-out one (a write transaction in progress): pg emits 'error' on a client
  // whose connection breaks, and the pool listens only while the client is idle, so a database
  // going away under a transaction was an uncaught exception. The holder learns of the break
  // from its failing query, and releases the client as broken.
  pool.on('connect', (client) => client.on('error', () => {}));
  const factory = new PrismaPg(pool, { disposeExternalPool: false });
  const adapter = await factory.connect();
  const prisma = new PostgresPrismaClient({ adapter: sharedFactory(factory, adapter) }) as unknown as PrismaClient;
  return {
    provider: 'postgresql',
    prisma,
    adapter,
    raw: { provider: 'postgresql', pool, types: jsonAsText(pg.types) },
    readers: null,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

/** Node socket errors that mean "no server there, or the way to it is gone". */
const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED',
]);
/** How @prisma/adapter-pg names the same failures (DriverAdapterError.cause.kind). */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** Prisma's codes for them: can't reach, timed out, connection closed, pool timeout. */
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (server shutting down,
 * crashed, or not accepting connections yet), 53300 (too many connections).
 */
const UNREACHABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
/** What pg and pg-pool say in plain Errors, without a code. */
const UNREACHABLE_MESSAGE =
  /timeout exceeded when trying to connect|timeout expired|Connection terminated|Connection ended unexpectedly|not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Can't reach database server|Client has encountered a connection error|Client was closed and is not queryable/i;

/**
 * Whether an error says the database cannot be reached right now (down, restarting, refusing
 * connections, network gone, pool exhausted for too long), as opposed to a query that failed.
 * Such failures are worth retrying later: requests answer 503 with Retry-After, and the start
 * waits for the database. Looks through `cause`, `originalError` and Prisma's wrappers.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const fields = current as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; originalError?: unknown; meta?: unknown };
    if (typeof fields.code === 'string') {
      if (UNREACHABLE_ERRNOS.has(fields.code) || UNREACHABLE_PRISMA_CODES.has(fields.code) || UNREACHABLE_SQLSTATE.test(fields.code)) return true;
    }
    if (typeof fields.kind === 'string' && UNREACHABLE_KINDS.has(fields.kind)) return true;
    if (typeof fields.message === 'string' && UNREACHABLE_MESSAGE.test(fields.message)) return true;
    pending.push(fields.cause, fields.originalError, fields.meta);
    if (fields.meta && typeof fields.meta === 'object') pending.push(...Object.values(fields.meta));
  }
  return false;
}

export interface WaitOptions {
  /** Give up after this long; 0 tries once. */
  timeoutMs: number;
  /** Told of every failed attempt: its number, the reason, and the delay before the next one. */
  onRetry(attempt: number, reason: string, delayMs: number): void;
}

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5000;

/**
 * Waits until the database answers, for servers that start beside their database (compose,
 * Kubernetes): retries with doubling delays while it is unreachable, and fails at once on any
 * other error (a wrong password or database name will not fix itself). SQLite is a file: no wait.
 */
export async function waitForDatabase(db: Database, options: WaitOptions): Promise<void> {
  if (db.provider === 'sqlite') return;
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const reason = describeError(error);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`the database did not accept connections within ${Math.round(options.timeoutMs / 1000)} s (last error: ${reason})`);
      }
      const delayMs = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1), remaining);
      options.onRetry(attempt, reason, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** One line for a log: the error's message and what its cause adds (adapter-pg puts the kind and address there). */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { kind?: unknown; host?: unknown; port?: unknown; message?: unknown } } | null)?.cause;
  const parts = [message];
  if (cause && typeof cause === 'object') {
    if (typeof cause.kind === 'string' && cause.kind !== message) parts.push(cause.kind);
    if (typeof cause.host === 'string') parts.push(`at ${cause.host}:${String(cause.port ?? '')}`);
    if (typeof cause.message === 'string') parts.push(cause.message);
  }
  return parts.filter((part) => part !== '').join(' ') || 'unknown error';
}
