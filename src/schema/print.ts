/**
 * Prints the served schema to schema.graphql (sorted, committed). With --check, exits 1 when the
 * committed file differs from what the builder produces, so drift fails `npm run check` and CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from './index.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '../../schema.graphql');
const printed = `${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== printed) {
    console.error('schema.graphql is stale: run `npm run generate` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date');
} else {
  writeFileSync(target, printed);
  console.log('wrote schema.graphql');
}
