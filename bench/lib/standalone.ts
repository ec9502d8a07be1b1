/**
 * A family file run on its own (`npx tsx bench/sdk.ts`) does what `BENCH_FAMILIES=sdk npm run
 * bench` does: the runner with that family only (its results merge into bench/results.json).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether the module at `moduleUrl` is the script node was started with. */
export function isEntry(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(resolve(process.argv[1]!)).href;
}

export async function runAlone(family: string): Promise<void> {
  process.env.BENCH_FAMILIES ??= family;
  await import('../run.js');
}
