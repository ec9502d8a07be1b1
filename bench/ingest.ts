/**
 * Ingest throughput: ingestBatch over GraphQL over HTTP against the real server (a child process,
 * fresh database per scenario), each scenario beside its two limits measured on the same rows:
 *
 * - storage limit: the same event rows inserted raw into a fresh database of the real schema, as
 *   fast as the driver allows (bench/lib/raw-insert.ts);
 * - transport limit: the same requests answered by the same schema and yoga pipeline with an
 *   ingestBatch resolver that writes nothing (bench/transport-server.ts).
 *
 * Scenarios: batches of 100 and of 1000 events, 1 and 4 concurrent clients, on SQLite and on
 * PostgreSQL. Each runs a warm-up, then `repeats` rounds; every round generates its events (fixed
 * seed, untimed), then times the server, the transport limit and the storage limit on them, in
 * an order that rotates per round, so a slow patch of a shared machine lands on all three alike.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summariseBusyProfiles } from './lib/cpu-profile.js';
import { generateWorkload, hashSeed, requestBody, type Batch } from './lib/events.js';
import { expectAllAccepted, runLoad, type LoadRequest } from './lib/http-load.js';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.js';
import { openRawEventStore, type InsertMethod, type RawEventStore } from './lib/raw-insert.js';
import {
  formatMb, formatMs, formatRate, formatRatio, type BenchContext, type BenchFamily, type Database, type FamilyReport,
} from './lib/report.js';
import { startServerProcess, type ServerProcess } from './lib/server-process.js';
import { median, percentile, round } from './lib/stats.js';

/** The issue's targets, for batches of 1000 events, on the medians of the repeated runs. */
export const TARGETS = {
  batchSize: 1000,
  /** Server events/s at least this share of the lower of its two limits, on each database. */
  minShareOfLowerLimit: 0.5,
  /** And on SQLite at least this many events/s. */
  sqliteMinEventsPerSecond: 30_000,
} as const;

interface Plan {
  batchSize: number;
  clients: number;
  /** Events per timed round. */
  events: number;
  warmupEvents: number;
  repeats: number;
}

function plans(quick: boolean): Plan[] {
  const result: Plan[] = [];
  for (const batchSize of [100, 1000]) {
    for (const clients of [1, 4]) {
      const events = batchSize === 1000 ? (quick ? 4_000 : 20_000) : quick ? 1_000 : 5_000;
      // At least one batch per client, so every connection and code path is warm before timing.
      const warmupEvents = quick ? batchSize * clients : Math.max(batchSize * clients, batchSize === 1000 ? 4_000 : 1_000);
      result.push({ batchSize, clients, events, warmupEvents, repeats: quick ? 2 : 5 });
    }
  }
  return result;
}

/** Round -1 is the warm-up. The seed ignores the database, so SQLite and PostgreSQL get the same events. */
function workload(plan: Plan, round: number): Batch[] {
  return generateWorkload({
    seed: hashSeed('ingest', plan.batchSize, plan.clients, round),
    tag: round < 0 ? 'warm' : `r${round}`,
    batchSize: plan.batchSize,
    batchCount: (round < 0 ? plan.warmupEvents : plan.events) / plan.batchSize,
    clients: plan.clients,
  });
}

/** Per profiled scenario: how long the server ran from the warm-up to its exit, so the summary can leave out its start-up. */
const profiledWindowsMs = new Map<string, number>();

const profileName = (database: Database, plan: { batchSize: number; clients: number }) => `${database}-batch${plan.batchSize}-clients${plan.clients}`;

interface Round {
  eventsPerSecond: number;
  latenciesMs: number[];
}

interface Measured {
  /** Median over the timed rounds. */
  eventsPerSecond: number;
  perRound: number[];
  /** Over every batch of every timed round. */
  p50Ms: number;
  p99Ms: number;
  peakRssBytes?: number;
  /** The server's RSS when it had just started. */
  startRssBytes?: number;
}

function summarise(rounds: Round[], peakRssBytes?: number): Measured {
  const latencies = rounds.flatMap((r) => r.latenciesMs);
  return {
    eventsPerSecond: round(median(rounds.map((r) => r.eventsPerSecond)), 5),
    perRound: rounds.map((r) => Math.round(r.eventsPerSecond)),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    ...(peakRssBytes === undefined ? {} : { peakRssBytes }),
  };
}

export interface IngestScenario {
  database: Database;
  batchSize: number;
  clients: number;
  eventsPerRound: number;
  rounds: number;
  requestBytesPerEvent: number;
  server: Measured;
  transportLimit: Measured;
  storageLimit: Measured & { method: InsertMethod; byMethod: Partial<Record<InsertMethod, Measured>> };
  ratioToStorageLimit: number;
  ratioToTransportLimit: number;
  target: {
    minEventsPerSecond: number;
    rule: string;
    pass: boolean;
    /** Each rule on its own: the share of the lower limit, and (SQLite) the absolute floor. */
    checks: { rule: string; minEventsPerSecond: number; pass: boolean }[];
  } | null;
}

interface StorageUnderTest {
  method: InsertMethod;
  store: RawEventStore;
  databaseUrl: string;
  rounds: Round[];
}

async function runScenario(context: BenchContext, database: Database, plan: Plan, transport: ServerProcess, workDir: string): Promise<IngestScenario> {
  const label = `${database} batch=${plan.batchSize} clients=${plan.clients}`;
  const sqliteDirs: string[] = [];
  const freshDatabase = async (name: string) => {
    if (database === 'postgresql') return createBenchDatabase();
    const dir = mkdtempSync(join(workDir, `${name}-`));
    sqliteDirs.push(dir);
    return `file:${join(dir, 'sightline.db')}`;
  };

  const setupStarted = performance.now();
  const serverDatabaseUrl = await freshDatabase('server');
  const storages: StorageUnderTest[] = [];
  let server: ServerProcess | undefined;
  let measuringSince: number | undefined;
  try {
    const ingestKey = `sl_bench_ingest_${randomBytes(18).toString('base64url')}`;
    server = await startServerProcess({
      label: `server (${label})`,
      script: 'src/server.ts',
      cwd: context.repoRoot,
      env: {
        DATABASE_URL: serverDatabaseUrl,
        LOG_LEVEL: 'warn',
        SIGHTLINE_INIT_ADMIN_KEY: `sl_bench_admin_${randomBytes(18).toString('base64url')}`,
        SIGHTLINE_INIT_INGEST_KEY: ingestKey,
      },
      nodeFlags: context.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(context.cpuProfileDir, profileName(database, plan))}`] : [],
    });
    const methods = database === 'sqlite' ? (['prepared'] as const) : (['unnest', 'values', 'copy'] as const);
    for (const method of methods) {
      const databaseUrl = await freshDatabase(`storage-${method}`);
      storages.push({ method, databaseUrl, store: await openRawEventStore(databaseUrl), rounds: [] });
    }
    transport.resetPeak();
    context.log(`  ${label}: server and ${storages.length} storage database(s) ready in ${Math.round(performance.now() - setupStarted)} ms`);

    measuringSince = Date.now();
    const serverRounds: Round[] = [];
    const transportRounds: Round[] = [];
    let requestBytes = 0;
    let events = 0;
    for (let r = -1; r < plan.repeats; r++) {
      const batches = workload(plan, r);
      const requests: LoadRequest[] = batches.map((b) => ({ client: b.client, body: requestBody(b), events: b.events.length }));
      const clientOf = batches.map((b) => b.client);
      const steps: (() => Promise<void>)[] = [
        async () => {
          const result = await runLoad({
            url: `${server!.url}/graphql`,
            headers: { authorization: `Bearer ${ingestKey}` },
            clients: plan.clients,
            requests,
            check: expectAllAccepted,
          }).catch((error: Error) => {
            throw new Error(`${error.message}\n--- server output ---\n${server!.output().slice(-4000)}`, { cause: error });
          });
          if (r >= 0) serverRounds.push(result);
        },
        async () => {
          const result = await runLoad({ url: `${transport.url}/graphql`, headers: {}, clients: plan.clients, requests, check: expectAllAccepted });
          if (r >= 0) transportRounds.push(result);
        },
        async () => {
          for (const storage of storages) {
            const rows = await storage.store.rowsFor(batches);
            const result = await storage.store.insert(storage.method, rows, clientOf, plan.clients);
            if (r >= 0) storage.rounds.push({ eventsPerSecond: result.rowsPerSecond, latenciesMs: result.latenciesMs });
          }
        },
      ];
      const offset = (r + 1) % steps.length;
      for (let i = 0; i < steps.length; i++) await steps[(i + offset) % steps.length]!();
      if (r >= 0) {
        requestBytes += requests.reduce((sum, q) => sum + q.body.length, 0);
        events += requests.reduce((sum, q) => sum + q.events, 0);
      }
      context.log(
        `  ${label} ${r < 0 ? 'warm-up' : `round ${r + 1}/${plan.repeats}`}: server ${formatRate(serverRounds.at(-1)?.eventsPerSecond ?? NaN)}/s, ` +
          `transport ${formatRate(transportRounds.at(-1)?.eventsPerSecond ?? NaN)}/s, ` +
          storages.map((s) => `${s.method} ${formatRate(s.rounds.at(-1)?.eventsPerSecond ?? NaN)}/s`).join(', '),
      );
    }

    const serverMeasured = { ...summarise(serverRounds, server.peakRssBytes()), startRssBytes: server.startRssBytes };
    const transportMeasured = summarise(transportRounds, transport.peakRssBytes());
    const byMethod: Partial<Record<InsertMethod, Measured>> = {};
    for (const storage of storages) byMethod[storage.method] = summarise(storage.rounds);
    const best = storages.map((s) => s.method).sort((a, b) => byMethod[b]!.eventsPerSecond - byMethod[a]!.eventsPerSecond)[0]!;
    const storageMeasured = { ...byMethod[best]!, method: best, byMethod };

    const lowerLimit = Math.min(storageMeasured.eventsPerSecond, transportMeasured.eventsPerSecond);
    let target: IngestScenario['target'] = null;
    if (plan.batchSize === TARGETS.batchSize) {
      const checks = [{ rule: `${TARGETS.minShareOfLowerLimit} x lower limit`, minEventsPerSecond: TARGETS.minShareOfLowerLimit * lowerLimit }];
      if (database === 'sqlite') checks.push({ rule: `${formatRate(TARGETS.sqliteMinEventsPerSecond)}/s`, minEventsPerSecond: TARGETS.sqliteMinEventsPerSecond });
      const evaluated = checks.map((check) => ({
        rule: check.rule,
        minEventsPerSecond: Math.round(check.minEventsPerSecond),
        pass: serverMeasured.eventsPerSecond >= check.minEventsPerSecond,
      }));
      target = {
        minEventsPerSecond: Math.max(...evaluated.map((check) => check.minEventsPerSecond)),
        rule: evaluated.map((check) => `>= ${check.rule}`).join(' and '),
        pass: evaluated.every((check) => check.pass),
        checks: evaluated,
      };
    }
    return {
      database,
      batchSize: plan.batchSize,
      clients: plan.clients,
      eventsPerRound: plan.events,
      rounds: plan.repeats,
      requestBytesPerEvent: Math.round(requestBytes / events),
      server: serverMeasured,
      transportLimit: transportMeasured,
      storageLimit: storageMeasured,
      ratioToStorageLimit: round(serverMeasured.eventsPerSecond / storageMeasured.eventsPerSecond, 3),
      ratioToTransportLimit: round(serverMeasured.eventsPerSecond / transportMeasured.eventsPerSecond, 3),
      target,
    };
  } finally {
    await server?.stop();
    if (measuringSince !== undefined) profiledWindowsMs.set(profileName(database, plan), Date.now() - measuringSince);
    for (const storage of storages) await storage.store.close().catch(() => {});
    if (database === 'postgresql') {
      for (const url of [serverDatabaseUrl, ...storages.map((s) => s.databaseUrl)]) await dropBenchDatabase(url).catch(() => {});
    }
    for (const dir of sqliteDirs) rmSync(dir, { recursive: true, force: true });
  }
}

const columns = [
  { header: 'database', align: 'left' as const },
  { header: 'batch' },
  { header: 'clients' },
  { header: 'events/s' },
  { header: 'p50 ms' },
  { header: 'p99 ms' },
  { header: 'peak RSS' },
  { header: 'storage limit/s' },
  { header: 'x storage' },
  { header: 'transport limit/s' },
  { header: 'x transport' },
  { header: 'target/s' },
  { header: 'result', align: 'left' as const },
];

function row(s: IngestScenario): string[] {
  return [
    s.database,
    String(s.batchSize),
    String(s.clients),
    formatRate(s.server.eventsPerSecond),
    formatMs(s.server.p50Ms),
    formatMs(s.server.p99Ms),
    formatMb(s.server.peakRssBytes ?? NaN),
    `${formatRate(s.storageLimit.eventsPerSecond)} (${s.storageLimit.method})`,
    formatRatio(s.ratioToStorageLimit),
    formatRate(s.transportLimit.eventsPerSecond),
    formatRatio(s.ratioToTransportLimit),
    s.target ? formatRate(s.target.minEventsPerSecond) : '-',
    s.target
      ? s.target.pass
        ? 'PASS'
        : `FAIL (${s.target.checks.filter((check) => !check.pass).map((check) => `< ${check.rule}`).join(', ')})`
      : '',
  ];
}

export const ingest: BenchFamily = {
  name: 'ingest',
  async run(context): Promise<FamilyReport> {
    const workDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
    const scenarios: IngestScenario[] = [];
    const rows: string[][] = [];
    const notes: string[] = [];
    const appendix: string[] = [];
    const transport = await startServerProcess({
      label: 'transport-limit server',
      script: 'bench/transport-server.ts',
      cwd: context.repoRoot,
      env: { LOG_LEVEL: 'warn' },
    });
    try {
      for (const database of ['sqlite', 'postgresql'] as const) {
        const skipped = context.skipped[database];
        if (skipped) {
          rows.push([database, '-', '-', 'skipped', ...columns.slice(4).map(() => '-')]);
          notes.push(`${database} skipped: ${skipped}`);
        }
        if (!context.databases.includes(database)) continue;
        for (const plan of plans(context.quick)) {
          context.log(`ingest: ${database}, batches of ${plan.batchSize}, ${plan.clients} client(s)`);
          const scenario = await runScenario(context, database, plan, transport, workDir);
          scenarios.push(scenario);
          rows.push(row(scenario));
        }
      }
    } finally {
      await transport.stop();
      rmSync(workDir, { recursive: true, force: true });
    }

    if (context.cpuProfileDir) {
      for (const scenario of scenarios) {
        const name = profileName(scenario.database, scenario);
        const dir = join(context.cpuProfileDir, name);
        const summaries = existsSync(dir) ? summariseBusyProfiles(dir, context.repoRoot, profiledWindowsMs.get(name) ?? Infinity) : [];
        const line = (entry: { name: string; ms: number; share: number }) =>
          `    ${(entry.share * 100).toFixed(1).padStart(5)}%  ${String(entry.ms).padStart(6)} ms  ${entry.name}`;
        for (const summary of summaries) {
          appendix.push(
            `Server CPU profile (one thread), ${scenario.database} batches of ${scenario.batchSize}, ${scenario.clients} client(s): ${summary.totalMs} ms on CPU from the warm-up on; ${summary.file}`,
            '  by area:',
            ...summary.areas.slice(0, 10).map(line),
            '  by function (self time):',
            ...summary.functions.map(line),
            '',
          );
        }
      }
    }

    if (scenarios.length > 0) {
      const bytes = Math.round(scenarios.reduce((sum, s) => sum + s.requestBytesPerEvent, 0) / scenarios.length);
      notes.push(`requests carry about ${bytes.toLocaleString('en-US')} bytes per event (generated, seeded; see bench/lib/events.ts).`);
    }
    notes.push(
      'events/s: median over rounds; p50/p99: latency of one ingestBatch request over all batches of all rounds; peak RSS: VmHWM of the server process.',
      'x storage / x transport: server events/s divided by the limit measured on the same events in the same rounds.',
      `targets (batches of ${TARGETS.batchSize}): >= ${TARGETS.minShareOfLowerLimit} x the lower limit on each database, and >= ${formatRate(TARGETS.sqliteMinEventsPerSecond)}/s on SQLite.`,
    );
    if (context.quick) notes.push('BENCH_QUICK=1: few events per round; a smoke run, not a measurement.');
    if (context.cpuProfileDir) notes.push('BENCH_CPU_PROF=1: the server ran under the CPU profiler, which slows it down.');
    const targeted = scenarios.filter((s) => s.target);
    return {
      family: 'ingest',
      title: 'Ingest: ingestBatch over GraphQL over HTTP, beside its storage and transport limits',
      columns,
      rows,
      notes,
      scenarios,
      targets: TARGETS,
      passed: targeted.length === 0 ? null : targeted.every((s) => s.target!.pass),
      appendix,
    };
  },
};
