/**
 * `npm run bench`: runs every scenario family, prints their tables and writes bench/results.json
 * (bench/results.quick.json for BENCH_QUICK=1, results.cpu-prof.json for BENCH_CPU_PROF=1).
 *
 * Environment:
 * - BENCH_QUICK=1: a smoke run (few events, two rounds), under a minute; writes results.quick.json.
 * - BENCH_ONLY=sqlite|postgresql: one database only.
 * - BENCH_REQUIRE_PG=1: an unreachable PostgreSQL is an error instead of a skipped row.
 * - BENCH_PG_URL: where to create the throwaway databases (default postgres://postgres@127.0.0.1:5432/postgres).
 * - BENCH_CPU_PROF=1: run the servers under --cpu-prof and print where their CPU time went.
 * - BENCH_STRICT=1: exit 1 when a target is missed.
 * - BENCH_FAMILIES=ingest,live: only these families (default: all).
 *
 * Families are modules exporting a BenchFamily; add new ones to `families` below.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from './ingest.js';
import { sdk } from './sdk.js';
import { live } from './live.js';
import { read } from './read.js';
import { dropAllBenchDatabases, probePostgres } from './lib/postgres.js';
import { formatTable, type BenchContext, type BenchFamily, type Database, type FamilyReport } from './lib/report.js';
import { stopAllServerProcesses } from './lib/server-process.js';

const families: BenchFamily[] = [ingest, sdk, live, read];

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '..');
const flag = (name: string) => process.env[name] === '1' || process.env[name] === 'true';

async function cleanUp(): Promise<void> {
  await stopAllServerProcesses().catch(() => {});
  await dropAllBenchDatabases().catch(() => {});
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the servers and dropping the bench databases\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const started = new Date();
  const quick = flag('BENCH_QUICK');
  const only = process.env.BENCH_ONLY as Database | undefined;
  if (only && only !== 'sqlite' && only !== 'postgresql') throw new Error(`BENCH_ONLY must be sqlite or postgresql (got ${only})`);
  const wanted: Database[] = only ? [only] : ['sqlite', 'postgresql'];

  const postgres = await probePostgres();
  const skipped: BenchContext['skipped'] = {};
  const databases = wanted.filter((database) => {
    if (database !== 'postgresql' || postgres.reachable) return true;
    if (flag('BENCH_REQUIRE_PG')) throw new Error(`BENCH_REQUIRE_PG=1 but PostgreSQL is unreachable: ${postgres.reason}`);
    skipped.postgresql = `unreachable (${postgres.reason})`;
    return false;
  });

  const loadBefore = os.loadavg();
  if (loadBefore[0]! > os.cpus().length / 2) {
    process.stderr.write(`note: load average ${loadBefore[0]!.toFixed(2)} before the run; other work on this machine will skew the numbers\n`);
  }
  const context: BenchContext = {
    quick,
    repoRoot,
    databases,
    postgres,
    skipped,
    cpuProfileDir: flag('BENCH_CPU_PROF') ? mkdtempSync(join(os.tmpdir(), 'sightline-bench-prof-')) : null,
    log: (line) => process.stderr.write(`${line}\n`),
  };

  const selected = process.env.BENCH_FAMILIES?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = selected?.filter((name) => !families.some((family) => family.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_FAMILIES names unknown families: ${unknown.join(', ')}`);
  const reports: FamilyReport[] = [];
  for (const family of families) if (!selected || selected.includes(family.name)) reports.push(await family.run(context));

  const finished = new Date();
  for (const report of reports) {
    process.stdout.write(`\n${report.title}\n\n${formatTable(report.columns, report.rows)}\n\n`);
    for (const note of report.notes) process.stdout.write(`  ${note}\n`);
    if (report.appendix?.length) process.stdout.write(`\n${report.appendix.join('\n')}\n`);
  }
  const cpus = os.cpus();
  const results = {
    date: started.toISOString(),
    durationS: Math.round((finished.getTime() - started.getTime()) / 1000),
    quick,
    cpuProfiled: context.cpuProfileDir !== null,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: postgres.reachable ? postgres.version : null,
      loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
      loadAverageAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    skipped,
    families: Object.fromEntries(
      reports.map((report) => [
        report.family,
        { date: started.toISOString(), passed: report.passed, targets: report.targets, notes: report.notes, scenarios: report.scenarios },
      ]),
    ) as Record<string, unknown>,
  };
  // Smoke and profiled runs get files of their own, so they never overwrite a real baseline.
  const out = join(benchDir, `results${quick ? '.quick' : ''}${context.cpuProfileDir ? '.cpu-prof' : ''}.json`);
  if (selected && existsSync(out)) {
    // A run of some families replaces their entries and keeps the others' (each entry has its date).
    const previous = JSON.parse(readFileSync(out, 'utf8')) as { families?: Record<string, unknown> };
    results.families = { ...previous.families, ...results.families };
  }
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  const failed = reports.filter((report) => report.passed === false).map((report) => report.family);
  process.stdout.write(`\nWrote ${out} (${results.durationS} s). Targets: ${failed.length === 0 ? 'met' : `MISSED in ${failed.join(', ')}`}\n`);
  return failed.length > 0 && flag('BENCH_STRICT') ? 1 : 0;
}

main().then(
  async (code) => {
    await cleanUp();
    process.exit(code);
  },
  async (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUp();
    process.exit(1);
  },
);
