/**
 * Throwaway PostgreSQL databases for the bench: each scenario gets a fresh `sightline_bench_<random>`
 * database, dropped afterwards (WITH (FORCE), so a server that did not let go cannot keep it).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the bench creates its databases; BENCH_PG_URL overrides. */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type PgAvailability = { reachable: true; version: string } | { reachable: false; reason: string };

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function probePostgres(): Promise<PgAvailability> {
  try {
    const version = await withAdmin(async (client) => (await client.query<{ v: string }>('SHOW server_version')).rows[0]!.v);
    return { reachable: true, version };
  } catch (error) {
    return { reachable: false, reason: `${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}` };
  }
}

const created = new Set<string>();

/** Creates a fresh database and returns its URL. */
export async function createBenchDatabase(): Promise<string> {
  const name = `sightline_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  created.add(name);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropBenchDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!created.has(name)) throw new Error(`refusing to drop ${name}: the bench did not create it`);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  created.delete(name);
}

/** Drops whatever is left, e.g. after a failed scenario. */
export async function dropAllBenchDatabases(): Promise<void> {
  for (const name of [...created]) {
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {});
    created.delete(name);
  }
}
