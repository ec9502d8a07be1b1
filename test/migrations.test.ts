/**
 * The migration runner and the committed history, on the provider DATABASE_URL names (SQLite
 * when unset). Every test gets its own fresh database: a temp file, or a throwaway PostgreSQL
 * database created on DATABASE_URL's server and dropped afterwards.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, test as base, vi } from 'vitest';
import { migrationsDir, schemaText, type Provider } from '../prisma/tools/provider-schemas.js';
import { diffToDatamodel, loadMigrationList, openSchemaEngine } from '../prisma/tools/schema-engine.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrate.js';

const databaseUrl = process.env.DATABASE_URL ?? '';
const provider: Provider = databaseUrl.startsWith('postgres') ? 'postgresql' : 'sqlite';
const folder = migrationsDir(provider);
const committed = readdirSync(folder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const postgresProblem = provider === 'postgresql' ? await probe(databaseUrl) : undefined;

interface Fresh {
  /** The fresh database's URL. */
  url: string;
  /** Opens a server's handle on it; closed after the test. */
  open(): Promise<Database>;
}

const test = base.extend<{ fresh: Fresh }>({
  fresh: async ({ skip }, use) => {
    if (postgresProblem) {
      // A CI run that silently skipped PostgreSQL would prove nothing.
      if (process.env.CI === 'true') throw new Error(`PostgreSQL at DATABASE_URL is unreachable: ${postgresProblem}`);
      skip(`PostgreSQL at DATABASE_URL is unreachable: ${postgresProblem}`);
    }
    const opened: Database[] = [];
    const { url, drop } = provider === 'postgresql' ? await createPostgresDatabase() : createSqliteFile();
    await use({
      url,
      async open() {
        const db = await openDatabase(url);
        opened.push(db);
        return db;
      },
    });
    await Promise.all(opened.map((db) => db.close()));
    await drop();
  },
});

describe(`migrations on ${provider}`, () => {
  test('a fresh database gets every migration, recorded as Prisma records them', async ({ fresh }) => {
    const db = await fresh.open();
    const logged: string[] = [];
    const { applied } = await applyMigrations(db, { log: (message) => logged.push(message) });

    expect(applied).toEqual(committed);
    expect(logged).toHaveLength(committed.length);
    const rows = await migrationRows(db);
    expect(rows.map((row) => row.name)).toEqual(committed);
    for (const row of rows) {
      expect(row).toMatchObject({
        checksum: sha256(readFileSync(join(folder, row.name, 'migration.sql'))),
        logs: null,
        finished: 1,
        rolledBack: 0,
        steps: 1,
      });
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(await migrationColumns(db)).toEqual([
      'id',
      'checksum',
      'finished_at',
      'migration_name',
      'logs',
      'rolled_back_at',
      'started_at',
      'applied_steps_count',
    ]);
    if (provider === 'sqlite') {
      // Prisma's native SQLite engine stores these DATETIMEs as integer Unix milliseconds.
      const { rows: kinds } = await db.adapter.queryRaw(sql('SELECT DISTINCT typeof(started_at), typeof(finished_at) FROM _prisma_migrations'));
      expect(kinds).toEqual([['integer', 'integer']]);
    }
    // The schema the migrations built is the one the generated client expects.
    await expect(db.prisma.project.create({ data: { name: 'migrated' } })).resolves.toMatchObject({ name: 'migrated' });
  });

  test("Prisma's own engine agrees with what the runner recorded", async ({ fresh }) => {
    await applyMigrations(await fresh.open());
    const { engine, close } = await openSchemaEngine({ provider, url: fresh.url, shadowServerUrl: databaseUrl || undefined });
    try {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList: loadMigrationList(folder, provider),
        optInToShadowDatabase: false,
        filters: { externalTables: [], externalEnums: [] },
      });
      expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
    } finally {
      await close();
    }
  });

  test('a restart applies nothing, in one query', async ({ fresh }) => {
    await applyMigrations(await fresh.open());
    const db = await fresh.open();
    const calls = (['queryRaw', 'executeRaw', 'executeScript', 'startTransaction'] as const).map((method) => vi.spyOn(db.adapter, method));

    expect(await applyMigrations(db)).toEqual({ applied: [] });
    expect(calls.map((spy) => spy.mock.calls.length)).toEqual([1, 0, 0, 0]);
  });

  test('an applied migration edited since is refused, by name', async ({ fresh }) => {
    const db = await fresh.open();
    await applyMigrations(db);
    const edited = committed[0]!;
    await db.adapter.executeRaw(sql(`UPDATE _prisma_migrations SET checksum = '${sha256(Buffer.from('edited'))}' WHERE migration_name = '${edited}'`));

    await expect(applyMigrations(db)).rejects.toThrow(new RegExp(`Migration ${edited} was modified after it was applied`));
  });

  test('a database with a migration the folder lacks is refused, by name', async ({ fresh }) => {
    const db = await fresh.open();
    await applyMigrations(db);
    const future = '99990101000000_from_a_newer_server';
    await db.adapter.executeRaw(
      sql(
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ('${randomUUID()}', '${sha256(Buffer.from(future))}', ${provider === 'sqlite' ? Date.now() : 'now()'}, '${future}', ${provider === 'sqlite' ? Date.now() : 'now()'}, 1)`,
      ),
    );

    await expect(applyMigrations(db)).rejects.toThrow(new RegExp(`migration ${future} applied, but .* does not contain it`));
  });

  test('a failing migration is rolled back whole, with no record', async ({ fresh }) => {
    const withBroken = mkdtempSync(join(tmpdir(), 'sightline-migrations-'));
    try {
      cpSync(folder, withBroken, { recursive: true });
      mkdirSync(join(withBroken, '99990101000000_broken'));
      writeFileSync(join(withBroken, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT * FROM "no_such_table";\n');
      const db = await fresh.open();

      await expect(applyMigrations(db, { migrationsDir: withBroken })).rejects.toThrow(/Migration 99990101000000_broken failed and was rolled back/);
      expect((await migrationRows(db)).map((row) => row.name)).toEqual(committed);
      await expect(db.adapter.queryRaw(sql('SELECT * FROM "half_done"'))).rejects.toMatchObject({ cause: { kind: 'TableDoesNotExist' } });
    } finally {
      rmSync(withBroken, { recursive: true, force: true });
    }
  });

  test.runIf(provider === 'sqlite')('a table redefinition keeps the rows that reference the table', async ({ fresh }) => {
    // SQLite changes a column by copying the table, dropping the old one and renaming the copy;
    // with foreign keys on, that drop would cascade to every referencing row.
    const db = await fresh.open();
    await applyMigrations(db);
    const project = await db.prisma.project.create({ data: { name: 'kept', agents: { create: { name: 'agent' } } } });
    const redefine = await diffToDatamodel({
      provider,
      from: { migrationsDir: folder },
      datamodel: schemaText(provider).replace(/(model Project \{[^}]*?name\s+)String(\s+@unique)/, '$1String?$2'),
    });
    expect(redefine.script).toMatch(/DROP TABLE "projects"/);
    const withRedefinition = mkdtempSync(join(tmpdir(), 'sightline-migrations-'));
    try {
      cpSync(folder, withRedefinition, { recursive: true });
      mkdirSync(join(withRedefinition, '99990101000000_optional_name'));
      writeFileSync(join(withRedefinition, '99990101000000_optional_name', 'migration.sql'), redefine.script);

      expect(await applyMigrations(db, { migrationsDir: withRedefinition })).toEqual({ applied: ['99990101000000_optional_name'] });
      expect(await db.prisma.agent.findMany({ where: { projectId: project.id } })).toHaveLength(1);
      expect(db.raw.provider === 'sqlite' && Number(db.raw.connection.pragma('foreign_keys', { simple: true }))).toBe(1);
    } finally {
      rmSync(withRedefinition, { recursive: true, force: true });
    }
  });

  test.runIf(provider === 'postgresql')('servers starting together apply each migration exactly once', async ({ fresh }) => {
    const [first, second] = [await fresh.open(), await fresh.open()];
    // Hold Prisma's migrate lock so both runners get past their first look and queue on it together.
    const holder = new pg.Client({ connectionString: fresh.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      const both = Promise.all([applyMigrations(first), applyMigrations(second)]);
      const waiting = `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
      await waitFor(async () => (await holder.query(waiting)).rows[0].n === 2);
      await holder.query('SELECT pg_advisory_unlock(72707369)');
      const [a, b] = await both;

      expect([...a.applied, ...b.applied].sort()).toEqual(committed);
      expect((await migrationRows(first)).map((row) => row.name)).toEqual(committed);
    } finally {
      await holder.end();
    }
  });
});

// The drift guard: CI fails when prisma/schema.prisma changed without a migration to match.
describe(`committed ${provider} migration history`, () => {
  test('is in sync with the schema', async ({ skip }) => {
    if (postgresProblem && process.env.CI !== 'true') skip(`PostgreSQL is unreachable: ${postgresProblem}`);
    const drift = await diffToDatamodel({
      provider,
      from: { migrationsDir: folder },
      datamodel: schemaText(provider),
      exitCode: true,
      shadowServerUrl: databaseUrl || undefined,
    });
    expect(drift.script, 'prisma/schema.prisma changed without a migration: run `npm run db:diff -- --name <what_changed>`').toBe('');
    expect(drift.exitCode).toBe(0);
  });

  test('would be caught drifting from a schema it lacks', async ({ skip }) => {
    if (postgresProblem && process.env.CI !== 'true') skip(`PostgreSQL is unreachable: ${postgresProblem}`);
    const extended = schemaText(provider).replace(/model Project \{\n/, '$&  driftProbe String? @map("drift_probe")\n');
    expect(extended).not.toBe(schemaText(provider));
    const drift = await diffToDatamodel({
      provider,
      from: { migrationsDir: folder },
      datamodel: extended,
      exitCode: true,
      shadowServerUrl: databaseUrl || undefined,
    });
    expect(drift.exitCode).toBe(2);
    expect(drift.script).toMatch(/"drift_probe"/);
  });
});

interface MigrationRow {
  id: string;
  checksum: string;
  name: string;
  logs: string | null;
  finished: number;
  rolledBack: number;
  steps: number;
}

async function migrationRows(db: Database): Promise<MigrationRow[]> {
  const { rows } = await db.adapter.queryRaw(
    sql(`SELECT id, checksum, migration_name, logs,
           CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END, CASE WHEN rolled_back_at IS NULL THEN 0 ELSE 1 END,
           applied_steps_count
         FROM _prisma_migrations ORDER BY migration_name`),
  );
  return rows.map(([id, checksum, name, logs, finished, rolledBack, steps]) => ({
    id: String(id),
    checksum: String(checksum),
    name: String(name),
    logs: logs as string | null,
    finished: Number(finished),
    rolledBack: Number(rolledBack),
    steps: Number(steps),
  }));
}

async function migrationColumns(db: Database): Promise<string[]> {
  const { rows } = await db.adapter.queryRaw(
    sql(
      provider === 'sqlite'
        ? `SELECT name FROM pragma_table_info('_prisma_migrations') ORDER BY cid`
        : `SELECT column_name FROM information_schema.columns WHERE table_name = '_prisma_migrations' AND table_schema = current_schema() ORDER BY ordinal_position`,
    ),
  );
  return rows.map(([name]) => String(name));
}

function sql(text: string) {
  return { sql: text, args: [], argTypes: [] };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function createSqliteFile() {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-migrate-'));
  return { url: `file:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function createPostgresDatabase() {
  const name = `sightline_mig_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Polls a condition the test cannot be told about (a lock wait inside PostgreSQL). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
