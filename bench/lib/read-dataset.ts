/**
 * The read bench's dataset: a project seeded by prisma/seed.ts (deterministic from its seed), kept
 * between runs because seeding a million events takes a minute or two per database.
 *
 * A seeded database is reused when its fingerprint matches: the seed parameters, the text of
 * prisma/seed.ts and the names of the provider's migrations. Any of those changing (a new
 * migration, say) makes a new fingerprint, so the next run seeds afresh and deletes the stale
 * copies. A database counts as seeded only once the seed finished: SQLite keeps a marker file
 * beside the database, PostgreSQL a comment on the database, both written last. An interrupted
 * seed therefore leaves no marker, and the next run starts over.
 *
 * - SQLite: `<cache dir>/read-<fingerprint>.db`, cache dir BENCH_READ_CACHE_DIR (default
 *   `<os tmp>/sightline-bench-read`).
 * - PostgreSQL: database `sightline_bench_read_<fingerprint>` next to BENCH_PG_URL's.
 * - BENCH_READ_RESEED=1 seeds again even if a matching copy exists.
 *
 * PostgreSQL gets a VACUUM ANALYZE after seeding: the state autovacuum reaches on its own shortly
 * after a large load, made deterministic. SQLite gets nothing (the server never runs ANALYZE).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { seed } from '../../prisma/seed.js';
import type { Database } from './report.js';
import { PG_ADMIN_URL } from './postgres.js';

export interface DatasetPlan {
  /** Regular sessions. */
  sessions: number;
  /** Events over the regular sessions. */
  events: number;
  /** Events of the one extra big session (its key: `seed<seed>-big`). */
  bigSession: number;
  seed: number;
  project: string;
}

export interface Dataset {
  database: Database;
  databaseUrl: string;
  plan: DatasetPlan;
  /** Key of the big session. */
  bigSessionKey: string;
  /** Whether this run seeded it (false: a cached copy). */
  seeded: boolean;
  /** Seconds the seed took, when this run seeded. */
  seedSeconds: number | null;
}

const PREFIX = 'read-';
const PG_PREFIX = 'sightline_bench_read_';

export function cacheDir(): string {
  return process.env.BENCH_READ_CACHE_DIR ?? join(tmpdir(), 'sightline-bench-read');
}

function fingerprint(repoRoot: string, database: Database, plan: DatasetPlan): string {
  const migrations = readdirSync(join(repoRoot, 'prisma', 'migrations', database), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const seedSource = readFileSync(join(repoRoot, 'prisma', 'seed.ts'), 'utf8');
  return createHash('sha256').update(JSON.stringify({ plan, migrations, seedSource })).digest('hex').slice(0, 16);
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function pgUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function seedInto(databaseUrl: string, plan: DatasetPlan, log: (line: string) => void): Promise<number> {
  log(`  seeding ${plan.events.toLocaleString('en-US')} events in ${plan.sessions.toLocaleString('en-US')} sessions + one of ${plan.bigSession.toLocaleString('en-US')} (cached for later runs)`);
  const result = await seed(databaseUrl, plan.project, { sessions: plan.sessions, events: plan.events + plan.bigSession, seed: plan.seed, bigSession: plan.bigSession });
  log(`  seeded ${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(0)} s`);
  return result.seconds;
}

async function sqliteDataset(repoRoot: string, plan: DatasetPlan, log: (line: string) => void): Promise<Omit<Dataset, 'plan' | 'bigSessionKey'>> {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const name = `${PREFIX}${fingerprint(repoRoot, 'sqlite', plan)}`;
  const file = join(dir, `${name}.db`);
  const marker = join(dir, `${name}.seeded.json`);
  const databaseUrl = `file:${file}`;
  if (existsSync(marker) && existsSync(file) && process.env.BENCH_READ_RESEED !== '1') {
    return { database: 'sqlite', databaseUrl, seeded: false, seedSeconds: null };
  }
  // Stale copies (other fingerprints) and a half-seeded one of ours go.
  for (const entry of readdirSync(dir)) if (entry.startsWith(PREFIX)) rmSync(join(dir, entry), { force: true });
  const seconds = await seedInto(databaseUrl, plan, log);
  writeFileSync(marker, `${JSON.stringify({ plan, seededAt: new Date().toISOString(), seconds })}\n`);
  return { database: 'sqlite', databaseUrl, seeded: true, seedSeconds: seconds };
}

async function postgresDataset(repoRoot: string, plan: DatasetPlan, log: (line: string) => void): Promise<Omit<Dataset, 'plan' | 'bigSessionKey'>> {
  const name = `${PG_PREFIX}${fingerprint(repoRoot, 'postgresql', plan)}`;
  const databaseUrl = pgUrl(name);
  const existing = await withAdmin(async (client) =>
    (await client.query<{ datname: string; marker: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname LIKE '${PG_PREFIX}%'`,
    )).rows,
  );
  const ours = existing.find((row) => row.datname === name);
  if (ours?.marker?.startsWith('seeded ') && process.env.BENCH_READ_RESEED !== '1') {
    return { database: 'postgresql', databaseUrl, seeded: false, seedSeconds: null };
  }
  await withAdmin(async (client) => {
    for (const row of existing) await client.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const seconds = await seedInto(databaseUrl, plan, log);
  const vacuum = new pg.Client({ connectionString: databaseUrl });
  await vacuum.connect();
  try {
    await vacuum.query('VACUUM (ANALYZE)');
  } finally {
    await vacuum.end().catch(() => {});
  }
  const marker = JSON.stringify({ plan, seededAt: new Date().toISOString(), seconds });
  await withAdmin((client) => client.query(`COMMENT ON DATABASE ${name} IS 'seeded ${marker.replace(/'/g, "''")}'`));
  return { database: 'postgresql', databaseUrl, seeded: true, seedSeconds: seconds };
}

/** The seeded database for `plan` on `database`, from the cache or seeded now. */
export async function readDataset(repoRoot: string, database: Database, plan: DatasetPlan, log: (line: string) => void): Promise<Dataset> {
  const found = database === 'sqlite' ? await sqliteDataset(repoRoot, plan, log) : await postgresDataset(repoRoot, plan, log);
  return { ...found, plan, bigSessionKey: `seed${plan.seed}-big` };
}
