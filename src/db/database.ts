/**
 * One database handle per server: a Prisma client for ordinary reads and writes, and the raw
 * driver beneath the same driver adapter for the ingest hot path. Both share one connection
 * (SQLite) or one pool (PostgreSQL), so there is a single writer lock and a single pool limit.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresPrismaClient } from '../generated/postgresql/client.js';

export type Provider = 'sqlite' | 'postgresql';

export type RawDriver =
  | { provider: 'sqlite'; connection: BetterSqlite3.Database }
  | { provider: 'postgresql'; pool: pg.Pool };

export interface Database {
  readonly provider: Provider;
  /** Typed against the SQLite client: the narrower API, so PostgreSQL-only options stay out. */
  readonly prisma: PrismaClient;
  /** The connected adapter that `prisma` runs on; migrations and raw SQL go through it too. */
  readonly adapter: SqlDriverAdapter;
  readonly raw: RawDriver;
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

export async function openDatabase(databaseUrl: string): Promise<Database> {
  return providerOf(databaseUrl) === 'sqlite' ? openSqlite(databaseUrl) : openPostgres(databaseUrl);
}

async function openSqlite(databaseUrl: string): Promise<Database> {
  const path = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const factory = new PrismaBetterSqlite3({ url: `file:${path}`, timeout: 10_000 });
  const adapter = await factory.connect();
  // The adapter keeps its better-sqlite3 handle in a public `client` field; the type hides it.
  const connection = (adapter as unknown as { client: BetterSqlite3.Database }).client;
  // WAL lets readers run beside the writer; FULL syncs every commit, so an acknowledged batch
  // survives a power cut, not only a killed process.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  const prisma = new PrismaClient({ adapter: sharedFactory(factory, adapter) });
  return {
    provider: 'sqlite',
    prisma,
    adapter,
    raw: { provider: 'sqlite', connection },
    async close() {
      await prisma.$disconnect();
      if (connection.open) connection.close();
    },
  };
}

async function openPostgres(databaseUrl: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const factory = new PrismaPg(pool, { disposeExternalPool: false });
  const adapter = await factory.connect();
  const prisma = new PostgresPrismaClient({ adapter: sharedFactory(factory, adapter) }) as unknown as PrismaClient;
  return {
    provider: 'postgresql',
    prisma,
    adapter,
    raw: { provider: 'postgresql', pool },
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
