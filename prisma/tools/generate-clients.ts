/**
 * Generates the Prisma client for each provider (and the Pothos types), offline.
 *
 * `prisma generate` only checks that PRISMA_SCHEMA_ENGINE_BINARY names an executable; it never
 * runs it for generation, so when the variable is unset we point it at this Node binary rather
 * than let the CLI try to download an engine from a host this network cannot reach.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { providers, writeProviderSchemas } from './provider-schemas.js';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const schemaPaths = writeProviderSchemas();
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
for (const provider of providers) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schemaPaths[provider]], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.log(`prisma client generated for ${provider}`);
}
