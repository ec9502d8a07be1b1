/**
 * An empty database of the test's own, on the run's database kind: a new SQLite file, or a new
 * PostgreSQL database (random name) on the server DATABASE_URL points at, dropped afterwards. A
 * test that kills servers and counts every row must not share its database with anything.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { onPostgres } from '../../helpers/database.js';

export interface ChaosDatabase {
  url: string;
  /** For messages: the file or the database name. */
  name: string;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(label: string): Promise<ChaosDatabase> {
  if (!onPostgres) {
    const folder = mkdtempSync(join(tmpdir(), `sightline-${label}-`));
    const file = join(folder, 'sightline.db');
    return { url: `file:${file}`, name: file, drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const name = `sightline_${label.replace(/\W/g, '_')}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
