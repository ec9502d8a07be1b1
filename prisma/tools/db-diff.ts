/**
 * `npm run db:diff -- --name <snake_name>`: writes the next migration for every provider, the
 * offline stand-in for `prisma migrate dev --create-only`.
 *
 * Each provider's migration is the engine's diff from that provider's committed history (replayed
 * on a shadow database: in memory for SQLite, a throwaway database on SHADOW_DATABASE_URL for
 * PostgreSQL) to its schema. Both are computed before either is written, so a failure leaves no
 * half-written pair; both folders share one timestamp, so they pair up by name.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { migrationsDir, providers, schemaText, type Provider } from './provider-schemas.js';
import { diffToDatamodel, lockfileName, lockfileText } from './schema-engine.js';

const { values } = parseArgs({ options: { name: { type: 'string' } } });
const name = values.name ?? '';
if (!/^[a-z0-9]+(_[a-z0-9]+)*$/.test(name)) {
  console.error('usage: npm run db:diff -- --name <snake_case_name>');
  process.exit(1);
}

const changes: { provider: Provider; script: string }[] = [];
for (const provider of providers) {
  const { exitCode, script } = await diffToDatamodel({
    provider,
    from: { migrationsDir: migrationsDir(provider) },
    datamodel: schemaText(provider),
    exitCode: true,
  });
  if (exitCode === 2) changes.push({ provider, script });
  else if (exitCode !== 0) throw new Error(`schema engine diff for ${provider} exited with ${exitCode}`);
}

if (changes.length === 0) {
  console.log('no changes');
} else {
  const folder = `${nextTimestamp()}_${name}`;
  for (const { provider, script } of changes) {
    const dir = migrationsDir(provider);
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'migration.sql'), script);
    if (!existsSync(join(dir, lockfileName))) writeFileSync(join(dir, lockfileName), lockfileText(provider));
    console.log(`wrote ${relative(process.cwd(), join(dir, folder, 'migration.sql'))}`);
  }
}

/** Now as YYYYMMDDHHMMSS (UTC), moved past the newest existing migration so names keep their order. */
function nextTimestamp(): string {
  const existing = providers
    .flatMap((provider) => (existsSync(migrationsDir(provider)) ? readdirSync(migrationsDir(provider)) : []))
    .map((entry) => /^(\d{14})_/.exec(entry)?.[1])
    .filter((stamp): stamp is string => stamp !== undefined);
  let stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const newest = existing.sort().at(-1);
  if (newest !== undefined && stamp <= newest) stamp = String(BigInt(newest) + 1n);
  return stamp;
}
