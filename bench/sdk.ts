/**
 * The TypeScript SDK (src/sdk): what a tracking call costs the agent, and whether one process
 * tracking through the SDK keeps up with the server.
 *
 * - Hot path: tracking calls in a tight loop, no I/O (nothing is sent: flushAt and the interval
 *   are off), each call timed on its own with `performance.now()` (the timer's own cost is
 *   included, so the numbers are an upper bound). Target: median under 2 µs for every helper.
 * - Throughput: the same realistic events (bench/lib/events.ts) ingested into a fresh server (a
 *   child process, fresh database) two ways, in rounds that alternate which goes first:
 *   raw `ingestBatch` requests in batches of 1000, pre-serialised, from one client (the server's
 *   full rate from one process, as the ingest family measures it); and the SDK, one tracker in
 *   this process, whose events/s is timed from the first tracking call until `flush()` has every
 *   event accepted (tracking, serialising, batching and sending included). Target: the SDK
 *   reaches at least 0.8 x the raw rate on each database.
 *
 * Registered in bench/run.ts, or on its own: `npx tsx bench/sdk.ts` (BENCH_QUICK=1 and
 * BENCH_ONLY=sqlite|postgresql apply too).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Tracker, type EventType, type Session, type TrackedEvent } from '../src/sdk/index.js';
import { generateWorkload, hashSeed, requestBody, type Batch } from './lib/events.js';
import { expectAllAccepted, runLoad } from './lib/http-load.js';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.js';
import { formatRate, formatRatio, formatTable, type BenchContext, type BenchFamily, type Database, type FamilyReport } from './lib/report.js';
import { isEntry, runAlone } from './lib/standalone.js';
import { startServerProcess } from './lib/server-process.js';
import { mean, median, percentile, round } from './lib/stats.js';

export const TARGETS = {
  /** Median cost of one tracking call, in microseconds, for every helper measured. */
  maxMedianCallMicros: 2,
  /** SDK events/s at least this share of raw ingestBatch events/s from one client, on each database. */
  minShareOfRaw: 0.8,
} as const;

// ---------------------------------------------------------------- hot path

interface HotPathResult {
  helper: string;
  calls: number;
  medianMicros: number;
  p99Micros: number;
  meanMicros: number;
  pass: boolean;
}

const MESSAGES = [
  { role: 'system', content: 'You are a helpful support agent.' },
  { role: 'user', content: 'Where is my order #1234?' },
];
const ANSWER = { role: 'assistant', content: 'It ships tomorrow.' };
const CAUGHT = new Error('upstream timeout');

/** What each measured call does, on a conversation of a tracker that never sends. */
const HOT_CALLS: { helper: string; call: (session: Session, i: number) => unknown }[] = [
  { helper: 'log(message)', call: (s) => s.log('cache miss') },
  { helper: 'question(text, { metadata })', call: (s, i) => s.question('Where is my order?', { metadata: { turn: i } }) },
  {
    helper: 'llmCall({ model, tokens, cost, latency, input, output })',
    call: (s) => s.llmCall({ model: 'gpt-4o-mini', promptTokens: 420, completionTokens: 96, costUsd: 0.00042, durationMs: 812.5, input: MESSAGES, output: ANSWER }),
  },
  { helper: 'toolCall(name, { input, output, durationMs })', call: (s) => s.toolCall('orders.lookup', { input: { id: 1234 }, output: { status: 'shipped' }, durationMs: 12.5 }) },
  // The Error is the agent's (its stack capture alone costs microseconds); recording it is the SDK's.
  { helper: 'error(caught)', call: (s) => s.error(CAUGHT) },
  {
    helper: 'operation(name, fn) with one llmCall inside',
    call: (s) => s.operation('step', (step) => step.llmCall({ model: 'gpt-4o-mini', promptTokens: 10, completionTokens: 5 })),
  },
];

function measureHotPath(quick: boolean): HotPathResult[] {
  const perRound = quick ? 20_000 : 100_000;
  const rounds = quick ? 2 : 5;
  const results: HotPathResult[] = [];
  for (const { helper, call } of HOT_CALLS) {
    const samples: number[] = [];
    for (let round = -1; round < rounds; round++) {
      // A fresh tracker per round, large enough that nothing is dropped: the normal path.
      const tracker = new Tracker({
        apiKey: 'bench-hot-path-key-not-used',
        endpoint: 'http://127.0.0.1:9',
        flushAt: Number.POSITIVE_INFINITY,
        flushIntervalMs: 0,
        flushOnExit: false,
        maxBufferSize: perRound * 4,
        onError: () => {},
      });
      const session = tracker.conversation('bench');
      for (let i = 0; i < perRound; i++) {
        const started = performance.now();
        call(session, i);
        const elapsed = performance.now() - started;
        if (round >= 0) samples.push(elapsed * 1000);
      }
    }
    const medianMicros = median(samples);
    results.push({
      helper,
      calls: samples.length,
      medianMicros: round(medianMicros, 3),
      p99Micros: round(percentile(samples, 99), 3),
      meanMicros: round(mean(samples), 3),
      pass: medianMicros < TARGETS.maxMedianCallMicros,
    });
  }
  return results;
}

// ---------------------------------------------------------------- throughput

interface ThroughputScenario {
  database: Database;
  events: number;
  rounds: number;
  raw: { eventsPerSecond: number; perRound: number[] };
  sdk: { eventsPerSecond: number; perRound: number[]; requestsPerRound: number[] };
  ratio: number;
  target: { minEventsPerSecond: number; pass: boolean };
}

const BATCH = 1000;

function workload(kind: 'raw' | 'sdk', events: number, round: number): Batch[] {
  return generateWorkload({
    seed: hashSeed('sdk', kind, round),
    tag: `${kind}-${round < 0 ? 'warm' : `r${round}`}`,
    batchSize: BATCH,
    batchCount: events / BATCH,
    clients: 1,
  });
}

/** Ingests the workload's events through one tracker; resolves with events/s once all are accepted. */
async function ingestThroughSdk(url: string, key: string, batches: Batch[]): Promise<{ eventsPerSecond: number; requests: number }> {
  const total = batches.reduce((sum, batch) => sum + batch.events.length, 0);
  const errors: string[] = [];
  const tracker = new Tracker({
    apiKey: key,
    endpoint: url,
    flushAt: BATCH,
    maxBatchSize: BATCH,
    maxBufferSize: total,
    flushOnExit: false,
    onError: (error) => errors.push(`${error.code}: ${error.message}`),
  });
  const conversations = new Map<string, Session>();
  const byGeneratedId = new Map<string, TrackedEvent>();
  const started = performance.now();
  for (const batch of batches) {
    for (const session of batch.sessions) {
      conversations.set(session.key, tracker.conversation(session.key, { name: session.name, agentName: session.agentName, tags: session.tags, metadata: session.metadata }));
    }
    for (const event of batch.events) {
      let conversation = conversations.get(event.sessionKey);
      if (!conversation) conversations.set(event.sessionKey, (conversation = tracker.conversation(event.sessionKey)));
      const tracked = conversation.track(event.type as EventType, {
        name: event.name,
        input: event.input,
        output: event.output,
        metadata: event.metadata,
        durationMs: event.durationMs,
        status: event.status,
        model: event.model,
        promptTokens: event.promptTokens,
        completionTokens: event.completionTokens,
        costUsd: event.costUsd,
        errorMessage: event.errorMessage,
        errorType: event.errorType,
        parent: event.parentId === undefined ? undefined : (byGeneratedId.get(event.parentId) ?? event.parentId),
      });
      byGeneratedId.set(event.id, tracked);
    }
    // An agent does other work between bursts of events: let the sender run.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const flushed = await tracker.flush({ timeoutMs: 120_000 });
  const elapsed = performance.now() - started;
  const stats = tracker.stats;
  await tracker.shutdown({ timeoutMs: 1_000 });
  if (!flushed || stats.sent !== total || errors.length > 0) {
    throw new Error(`SDK ingest incomplete: flushed=${flushed} ${JSON.stringify(stats)} ${errors.slice(0, 3).join('; ')}`);
  }
  return { eventsPerSecond: (total / elapsed) * 1000, requests: stats.requests };
}

async function runThroughput(context: BenchContext, database: Database): Promise<ThroughputScenario> {
  const events = context.quick ? 4_000 : 20_000;
  const rounds = context.quick ? 2 : 5;
  const workDir = database === 'sqlite' ? mkdtempSync(join(os.tmpdir(), 'sightline-bench-sdk-')) : null;
  const databaseUrl = database === 'sqlite' ? `file:${join(workDir!, 'sightline.db')}` : await createBenchDatabase();
  const ingestKey = `sl_bench_ingest_${randomBytes(18).toString('base64url')}`;
  const server = await startServerProcess({
    label: `server (sdk, ${database})`,
    script: 'src/server.ts',
    cwd: context.repoRoot,
    env: {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      SIGHTLINE_INIT_ADMIN_KEY: `sl_bench_admin_${randomBytes(18).toString('base64url')}`,
      SIGHTLINE_INIT_INGEST_KEY: ingestKey,
    },
  });
  try {
    const raw: number[] = [];
    const sdk: number[] = [];
    const requests: number[] = [];
    for (let r = -1; r < rounds; r++) {
      const rawRequests = workload('raw', events, r).map((batch) => ({ client: 0, body: requestBody(batch), events: batch.events.length }));
      const sdkBatches = workload('sdk', events, r);
      const steps = [
        async () => {
          const result = await runLoad({
            url: `${server.url}/graphql`,
            headers: { authorization: `Bearer ${ingestKey}` },
            clients: 1,
            requests: rawRequests,
            check: expectAllAccepted,
          });
          if (r >= 0) raw.push(result.eventsPerSecond);
        },
        async () => {
          const result = await ingestThroughSdk(server.url, ingestKey, sdkBatches);
          if (r >= 0) {
            sdk.push(result.eventsPerSecond);
            requests.push(result.requests);
          }
        },
      ];
      // Alternate which goes first, so a slow patch of a shared machine lands on both alike.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) await steps[i]!();
      context.log(
        `  sdk ${database} ${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`}: raw ${formatRate(raw.at(-1) ?? NaN)}/s, sdk ${formatRate(sdk.at(-1) ?? NaN)}/s`,
      );
    }
    const rawRate = median(raw);
    const sdkRate = median(sdk);
    const minEventsPerSecond = TARGETS.minShareOfRaw * rawRate;
    return {
      database,
      events,
      rounds,
      raw: { eventsPerSecond: round(rawRate, 5), perRound: raw.map(Math.round) },
      sdk: { eventsPerSecond: round(sdkRate, 5), perRound: sdk.map(Math.round), requestsPerRound: requests },
      ratio: round(sdkRate / rawRate, 3),
      target: { minEventsPerSecond: Math.round(minEventsPerSecond), pass: sdkRate >= minEventsPerSecond },
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server output ---\n${server.output().slice(-4000)}`, { cause: error });
  } finally {
    await server.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    else await dropBenchDatabase(databaseUrl).catch(() => {});
  }
}

// ---------------------------------------------------------------- the family

const columns = [
  { header: 'database', align: 'left' as const },
  { header: 'events' },
  { header: 'raw ingestBatch/s' },
  { header: 'SDK events/s' },
  { header: 'x raw' },
  { header: 'SDK requests' },
  { header: 'target/s' },
  { header: 'result', align: 'left' as const },
];

export const sdk: BenchFamily = {
  name: 'sdk',
  async run(context): Promise<FamilyReport> {
    context.log('sdk: hot path (tracking calls, no I/O)');
    const hotPath = measureHotPath(context.quick);
    const rows: string[][] = [];
    const notes: string[] = [];
    const scenarios: ThroughputScenario[] = [];
    for (const database of ['sqlite', 'postgresql'] as const) {
      const skipped = context.skipped[database];
      if (skipped) {
        rows.push([database, '-', 'skipped', ...columns.slice(3).map(() => '-')]);
        notes.push(`${database} skipped: ${skipped}`);
      }
      if (!context.databases.includes(database)) continue;
      context.log(`sdk: throughput on ${database}`);
      const scenario = await runThroughput(context, database);
      scenarios.push(scenario);
      rows.push([
        database,
        String(scenario.events),
        formatRate(scenario.raw.eventsPerSecond),
        formatRate(scenario.sdk.eventsPerSecond),
        formatRatio(scenario.ratio),
        String(Math.round(median(scenario.sdk.requestsPerRound))),
        formatRate(scenario.target.minEventsPerSecond),
        scenario.target.pass ? 'PASS' : 'FAIL',
      ]);
    }
    const hotColumns = [
      { header: 'tracking call', align: 'left' as const },
      { header: 'calls' },
      { header: 'median µs' },
      { header: 'p99 µs' },
      { header: 'mean µs' },
      { header: 'target' },
      { header: 'result', align: 'left' as const },
    ];
    const hotRows = hotPath.map((h) => [
      h.helper,
      h.calls.toLocaleString('en-US'),
      h.medianMicros.toFixed(3),
      h.p99Micros.toFixed(3),
      h.meanMicros.toFixed(3),
      `< ${TARGETS.maxMedianCallMicros}`,
      h.pass ? 'PASS' : 'FAIL',
    ]);
    notes.push(
      `raw: pre-serialised ingestBatch requests of ${BATCH} events from one client; SDK: one tracker (batches of ${BATCH}), timed from the first tracking call until flush() resolved with every event accepted.`,
      `targets: SDK >= ${TARGETS.minShareOfRaw} x raw on each database; every tracking call's median < ${TARGETS.maxMedianCallMicros} µs (timed one call at a time, timer included).`,
    );
    if (context.quick) notes.push('BENCH_QUICK=1: few events per round; a smoke run, not a measurement.');
    return {
      family: 'sdk',
      title: 'SDK: tracking through src/sdk beside raw ingestBatch requests',
      columns,
      rows,
      notes,
      scenarios: [...scenarios, { hotPath }],
      targets: TARGETS,
      passed: hotPath.every((h) => h.pass) && scenarios.every((s) => s.target.pass),
      appendix: ['SDK hot path: one tracking call, no I/O', '', formatTable(hotColumns, hotRows)],
    };
  },
};

// ---------------------------------------------------------------- on its own: npx tsx bench/sdk.ts

if (isEntry(import.meta.url)) void runAlone('sdk');
