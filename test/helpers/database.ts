/**
 * Which database the suite runs on: PostgreSQL when DATABASE_URL says so (CI gives each run a
 * fresh database), otherwise SQLite in a temporary folder per server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');
export const providerName = onPostgres ? 'postgresql' : 'sqlite';

/** A database URL for a new server: the run's PostgreSQL database, or a new SQLite file. */
export function testDatabaseUrl(): string {
  if (onPostgres) return process.env.DATABASE_URL!;
  return `file:${join(mkdtempSync(join(tmpdir(), 'sightline-test-')), 'sightline.db')}`;
}
