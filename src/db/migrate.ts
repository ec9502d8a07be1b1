/**
 * Applies the committed migrations (prisma/migrations/<provider>/) at server start: our own
 * `prisma migrate deploy`, since the CLI's migrate engine cannot be installed where we run.
 *
 * It keeps Prisma's bookkeeping (the `_prisma_migrations` table, its columns and value formats, and
 * the checksums), so the Prisma CLI pointed at the same database agrees about what is applied.
 * Unlike the CLI, each migration commits in one transaction with its `_prisma_migrations` row:
 * a failed migration leaves nothing behind to repair by hand.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArgType, SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import type { Database, Provider } from './database.js';

export interface ApplyMigrationsOptions {
  /** Called once per migration applied. @default no logging */
  log?: (message: string) => void;
  /** The folder of migration directories. @default prisma/migrations/<provider> of this checkout */
  migrationsDir?: string;
}

/** The database and the migrations folder disagree; the server must not start on it. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface LocalMigration {
  name: string;
  script: Buffer;
  checksum: string;
}

interface MigrationRecord {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

const migrationsRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

/**
 * Brings the database up to the migrations folder. With nothing pending it costs one query;
 * otherwise each pending migration runs in its own transaction under a database-wide lock, after
 * re-reading what is applied, so servers starting together apply each migration exactly once.
 */
export async function applyMigrations(db: Database, options: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const folder = options.migrationsDir ?? join(migrationsRoot, db.provider);
  const local = readMigrations(folder);
  const dialect = dialects[db.provider];
  const pending = planFrom(local, await readRecordsIfPresent(db.adapter), folder);
  const applied: string[] = [];
  for (const migration of pending) {
    const started = Date.now();
    const done = await dialect.inMigrationTransaction(db.adapter, async (tx) => {
      if (!(await dialect.tableExists(tx))) await tx.executeRaw(query(dialect.createTable));
      // Another server may have applied it while we waited for the lock.
      const stillPending = planFrom(local, await readRecords(tx), folder);
      if (!stillPending.some((each) => each.name === migration.name)) return false;
      try {
        await dialect.runScript(db.adapter, tx, migration.script.toString('utf8'));
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${describe(error)}`, { cause: error });
      }
      await tx.executeRaw(dialect.insertRecord(migration, started, Date.now()));
      return true;
    });
    if (done) {
      applied.push(migration.name);
      options.log?.(`applied migration ${migration.name} in ${Date.now() - started} ms`);
    }
  }
  return { applied };
}

function readMigrations(folder: string): LocalMigration[] {
  if (!existsSync(folder)) throw new MigrationError(`No migrations folder at ${folder}`);
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const path = join(folder, name, 'migration.sql');
      if (!existsSync(path)) throw new MigrationError(`Migration ${name} has no migration.sql (${path})`);
      const script = readFileSync(path);
      return { name, script, checksum: sha256(script) };
    });
}

/** The migrations not yet applied, in name order; throws when the database and folder disagree. */
function planFrom(local: LocalMigration[], records: MigrationRecord[], folder: string): LocalMigration[] {
  const byName = new Map(local.map((migration) => [migration.name, migration]));
  // Prisma keeps rolled-back attempts as an audit trail and ignores them.
  const live = records.filter((record) => !record.rolledBack);
  for (const record of live) {
    if (!record.finished) {
      throw new MigrationError(
        `Migration ${record.name} was started by another tool and never finished; resolve it with \`prisma migrate resolve\` before starting the server`,
      );
    }
    const migration = byName.get(record.name);
    if (!migration) {
      throw new MigrationError(
        `The database has migration ${record.name} applied, but ${folder} does not contain it: this server is older than its database`,
      );
    }
    if (!matchesChecksum(migration.script, record.checksum)) {
      throw new MigrationError(
        `Migration ${record.name} was modified after it was applied (checksum ${record.checksum} in the database, ${migration.checksum} on disk); add a new migration instead of editing an applied one`,
      );
    }
  }
  const applied = new Set(live.map((record) => record.name));
  return local.filter((migration) => !applied.has(migration.name));
}

/** As Prisma compares: a checkout with the other line endings (git autocrlf) is not an edit. */
function matchesChecksum(script: Buffer, checksum: string): boolean {
  const text = script.toString('latin1');
  return [script, Buffer.from(text.replaceAll('\r\n', '\n'), 'latin1'), Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1')].some(
    (variant) => sha256(variant) === checksum,
  );
}

const selectRecords = query(
  'SELECT migration_name, checksum, CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END, CASE WHEN rolled_back_at IS NULL THEN 0 ELSE 1 END FROM _prisma_migrations',
);

/** The fast path's one query; a database never migrated has no table yet. */
async function readRecordsIfPresent(adapter: SqlDriverAdapter): Promise<MigrationRecord[]> {
  try {
    return await readRecords(adapter);
  } catch (error) {
    if ((error as { cause?: { kind?: string } }).cause?.kind === 'TableDoesNotExist') return [];
    throw error;
  }
}

async function readRecords(queryable: Pick<SqlDriverAdapter, 'queryRaw'>): Promise<MigrationRecord[]> {
  const { rows } = await queryable.queryRaw(selectRecords);
  return rows.map(([name, checksum, finished, rolledBack]) => ({
    name: String(name),
    checksum: String(checksum),
    finished: Number(finished) === 1,
    rolledBack: Number(rolledBack) === 1,
  }));
}

interface Dialect {
  /** Prisma's own CREATE TABLE, from the schema engine, so the table is the one it would create. */
  createTable: string;
  inMigrationTransaction<T>(adapter: SqlDriverAdapter, work: (tx: Transaction) => Promise<T>): Promise<T>;
  tableExists(tx: Transaction): Promise<boolean>;
  runScript(adapter: SqlDriverAdapter, tx: Transaction, script: string): Promise<void>;
  insertRecord(migration: LocalMigration, startedAt: number, finishedAt: number): SqlQuery;
}

/** Prisma's migrate lock key: holding it also keeps out a `prisma migrate deploy` run meanwhile. */
const advisoryLockKey = 72707369;

const postgres: Dialect = {
  createTable: `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`,
  async inMigrationTransaction(adapter, work) {
    // One pooled connection, BEGIN already sent. The adapter leaves COMMIT and ROLLBACK to its
    // caller (Prisma's client sends them itself); commit()/rollback() only release the connection.
    const tx = await adapter.startTransaction();
    try {
      // Transaction-scoped, so a crash or a lost connection can never leave it held.
      await tx.executeRaw(query(`SELECT pg_advisory_xact_lock(${advisoryLockKey})`));
      const result = await work(tx);
      await tx.executeRaw(query('COMMIT'));
      await tx.commit();
      return result;
    } catch (error) {
      await tx.executeRaw(query('ROLLBACK')).catch(() => {});
      await tx.rollback();
      throw error;
    }
  },
  async tableExists(tx) {
    const { rows } = await tx.queryRaw(query(`SELECT CASE WHEN to_regclass('_prisma_migrations') IS NULL THEN 0 ELSE 1 END`));
    return Number(rows[0]?.[0]) === 1;
  },
  async runScript(_adapter, tx, script) {
    // Not adapter.executeScript: it splits on every ";" (string literals and function bodies
    // included) and sends each piece to whichever pooled connection is free, outside any
    // transaction. An argument-less query goes as one simple-protocol message, on this connection.
    await tx.executeRaw(query(script));
  },
  insertRecord(migration, startedAt, finishedAt) {
    return insert(
      'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, $3::timestamptz, $4, NULL, NULL, $5::timestamptz, 1)',
      // ISO strings with their Z: the adapter formats Dates without a zone, which the server would read in its own.
      [randomUUID(), migration.checksum, new Date(finishedAt).toISOString(), migration.name, new Date(startedAt).toISOString()],
      ['string', 'string', 'string', 'string', 'string'],
    );
  },
};

const sqlite: Dialect = {
  createTable: `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  async inMigrationTransaction(adapter, work) {
    // startTransaction is the adapter's only way to take its connection lock, which keeps Prisma's
    // own queries off the connection meanwhile. Its deferred BEGIN is ended at once: foreign keys
    // can only be switched off outside a transaction, and BEGIN IMMEDIATE takes the write lock
    // before reading, so a second process waits here instead of failing to upgrade its lock.
    const tx = await adapter.startTransaction();
    try {
      await tx.executeRaw(query('ROLLBACK'));
      const { rows } = await tx.queryRaw(query('PRAGMA foreign_keys'));
      const foreignKeys = Number(rows[0]?.[0]) === 1;
      // With foreign keys on, the DROP TABLE in a table redefinition would cascade-delete child
      // rows; the script's own PRAGMA foreign_keys=OFF is a no-op inside our transaction.
      await tx.executeRaw(query('PRAGMA foreign_keys = OFF'));
      try {
        await tx.executeRaw(query('BEGIN IMMEDIATE'));
        try {
          const result = await work(tx);
          const violations = await tx.queryRaw(query('PRAGMA foreign_key_check'));
          if (violations.rows.length > 0) {
            throw new MigrationError(`A migration left rows that break foreign keys: ${JSON.stringify(violations.rows.slice(0, 5))}`);
          }
          await tx.executeRaw(query('COMMIT'));
          return result;
        } catch (error) {
          // SQLite may already have rolled back on some errors; then there is nothing left to end.
          await tx.executeRaw(query('ROLLBACK')).catch(() => {});
          throw error;
        }
      } finally {
        if (foreignKeys) await tx.executeRaw(query('PRAGMA foreign_keys = ON'));
      }
    } finally {
      await tx.commit();
    }
  },
  async tableExists(tx) {
    const { rows } = await tx.queryRaw(query(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`));
    return Number(rows[0]?.[0]) === 1;
  },
  async runScript(adapter, _tx, script) {
    // The transaction object only runs single statements; the adapter's executeScript runs on the
    // same (only) connection, inside the transaction we hold.
    await adapter.executeScript(script);
  },
  insertRecord(migration, startedAt, finishedAt) {
    // Integer Unix milliseconds: what Prisma's native SQLite engine writes into these DATETIME columns.
    return insert(
      'INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
      [randomUUID(), migration.checksum, finishedAt, migration.name, startedAt],
      ['string', 'string', 'bigint', 'string', 'bigint'],
    );
  },
};

const dialects: Record<Provider, Dialect> = { postgresql: postgres, sqlite };

function query(sql: string): SqlQuery {
  return { sql, args: [], argTypes: [] };
}

function insert(sql: string, args: unknown[], types: ArgType['scalarType'][]): SqlQuery {
  return { sql, args, argTypes: types.map((scalarType) => ({ scalarType, arity: 'scalar' })) };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Driver adapter errors carry the database's own message and code in `cause`. */
function describe(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const details = cause && typeof cause === 'object' ? ` ${JSON.stringify(cause)}` : '';
  return `${error instanceof Error ? error.message : String(error)}${details}`;
}
