/**
 * CI only (a clone elsewhere has no ../shared): the served schema must hold the whole public
 * contract, i.e. graphql-js findBreakingChanges(contract, served) reports nothing, except the
 * changes listed in PENDING, which name contract parts owned by issues still open. The list must
 * be empty once the realtime issue resolves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, findBreakingChanges } from 'graphql';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const contractPath = process.env.SIGHTLINE_CONTRACT ?? join(root, '../shared/contract/api.graphql');

/** Breaking-change descriptions allowed for now, each with the issue that owns it. */
const PENDING: Record<string, string> = {
};

if (!existsSync(contractPath)) {
  console.error(`contract not found at ${contractPath}`);
  process.exit(1);
}
const contract = buildSchema(readFileSync(contractPath, 'utf8'));
const served = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
const changes = findBreakingChanges(contract, served).map((change) => change.description);

const unexpected = changes.filter((description) => !(description in PENDING));
const pending = changes.filter((description) => description in PENDING);
const stale = Object.keys(PENDING).filter((description) => !changes.includes(description));

for (const description of pending) console.log(`pending (${PENDING[description]}): ${description}`);
for (const description of stale) console.error(`listed as pending but already served, remove it: ${description}`);
for (const description of unexpected) console.error(`breaking: ${description}`);
if (unexpected.length > 0 || stale.length > 0) process.exit(1);
console.log(`contract check: ${pending.length === 0 ? 'the served schema holds the whole contract' : `${pending.length} pending`}`);
