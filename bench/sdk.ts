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
 *   full rate from one process); and the SDK, one tracker in this process, whose events/s is
 *   timed from the first tracking call until `flush()` has every event accepted (tracking,
 *   serialising, batching and sending included). Target: the SDK reaches at least 0.8 x the raw
 *   rate on each database. The raw requests are the SDK's own request bodies for such a workload,
 *   captured before the clock starts, so the server does the same work for both (same ids and
 *   timestamps kind, sessions per batch, sizes) and only the client differs; the tracking calls'
 *   arguments are resolved before the clock too (the bench's bookkeeping, not the SDK's work).
 *   Each round also records the client process's CPU per 1000 events: on a machine the server
 *   shares, that CPU is what the SDK takes from the server.
 *
 * Registered in bench/run.ts, or on its own: `npx tsx bench/sdk.ts` (BENCH_QUICK=1 and
 * BENCH_ONLY=sqlite|postgresql apply too).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Tracker, type EventType, type Session, type TrackedEvent } from '../src/sdk/index.js';
import { generateWorkload, hashSeed, type Batch } from './lib/events.js';
import { expectAllAccepted, runLoad, type LoadRequest } from './lib/http-load.js';
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
  raw: { eventsPerSecond: number; perRound: number[]; clientCpuMsPer1000Events: number };
  sdk: { eventsPerSecond: number; perRound: number[]; requestsPerRound: number[]; clientCpuMsPer1000Events: number };
  ratio: number;
  /** SDK/raw within each round (both ran back to back, so a slow patch of the machine hits both). */
  ratioPerRound: number[];
  target: { minEventsPerSecond: number; pass: boolean };
}

const BATCH = 1000;

/**
 * The generated events as an agent holds such data: parsed from JSON (an LLM's answer, a tool's
 * result) or already sent once (a prompt), so its strings are flat. The generator builds ids and
 * labels a character at a time, and the first serialisation of such strings pays to flatten them:
 * several microseconds an event, which would be charged to the SDK's clock (and never to raw's).
 */
function workload(kind: 'raw' | 'sdk', events: number, round: number): Batch[] {
  return JSON.parse(JSON.stringify(generate(kind, events, round))) as Batch[];
}

function generate(kind: 'raw' | 'sdk', events: number, round: number): Batch[] {
  return generateWorkload({
    seed: hashSeed('sdk', kind, round),
    tag: `${kind}-${round < 0 ? 'warm' : `r${round}`}`,
    batchSize: BATCH,
    batchCount: events / BATCH,
    clients: 1,
  });
}

/** CPU time of this whole process (every thread: the event loop, GC helpers) so far, in ms. */
function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** One tracking call of the SDK run, its arguments resolved ahead (see `sdkCalls`). */
interface SdkCall {
  session: number;
  type: EventType;
  options: TrackOptions;
  /** Index of the call whose event is this one's parent, or -1 (then `options.parent`, if any, is an id). */
  parent: number;
}
type TrackOptions = NonNullable<Parameters<Session['track']>[1]>;

interface SdkBatchCalls {
  /** Sessions first seen in this batch: index, key and description. */
  sessions: { index: number; key: string; options: Parameters<Tracker['conversation']>[1] }[];
  calls: SdkCall[];
}

/**
 * The workload as tracking calls, resolved before the clock starts: which session each event goes
 * to and which earlier event is its parent, by index, and the options object the agent passes.
 * Mapping the generator's ids and keys is the bench's bookkeeping, not the SDK's work (the raw
 * side, likewise, has its request bodies made before its clock starts).
 */
function sdkCalls(batches: Batch[]): SdkBatchCalls[] {
  const sessionIndex = new Map<string, number>();
  const eventIndex = new Map<string, number>();
  let next = 0;
  return batches.map((batch) => {
    const sessions: SdkBatchCalls['sessions'] = [];
    const describe = (key: string, options: SdkBatchCalls['sessions'][number]['options']) => {
      let index = sessionIndex.get(key);
      if (index === undefined) sessionIndex.set(key, (index = sessionIndex.size));
      sessions.push({ index, key, options });
      return index;
    };
    for (const session of batch.sessions) {
      describe(session.key, { name: session.name, agentName: session.agentName, tags: session.tags, metadata: session.metadata });
    }
    const calls = batch.events.map((event): SdkCall => {
      const session = sessionIndex.get(event.sessionKey) ?? describe(event.sessionKey, {});
      const parent = event.parentId === undefined ? -1 : (eventIndex.get(event.parentId) ?? -1);
      eventIndex.set(event.id, next++);
      return {
        session,
        type: event.type as EventType,
        parent,
        options: {
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
          parent: parent === -1 ? event.parentId : undefined,
        },
      };
    });
    return { sessions, calls };
  });
}

/** Makes the workload's tracking calls on `tracker`, a batch's worth at a time. */
async function trackAll(tracker: Tracker, batches: SdkBatchCalls[], total: number): Promise<void> {
  const conversations: Session[] = [];
  const tracked: TrackedEvent[] = new Array<TrackedEvent>(total);
  let n = 0;
  for (const batch of batches) {
    for (const session of batch.sessions) conversations[session.index] = tracker.conversation(session.key, session.options);
    for (const call of batch.calls) {
      if (call.parent !== -1) call.options.parent = tracked[call.parent];
      tracked[n++] = conversations[call.session]!.track(call.type, call.options);
    }
    // An agent does other work between bursts of events: let the sender run.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The raw side's requests: what the SDK sends for such a workload, made before the clock starts
 * by a tracker whose fetch answers at once without sending. The server then does the same work
 * for both sides and only the client differs. (The generator's own bodies cost the SQLite server
 * some 15-30% more than the SDK's, whose ids and timestamps are time-ordered, the more so as the
 * database grows: raw requests from the generator would set the SDK an easier target.)
 */
async function sdkMadeRequests(batches: SdkBatchCalls[]): Promise<LoadRequest[]> {
  const total = batches.reduce((sum, batch) => sum + batch.calls.length, 0);
  const requests: LoadRequest[] = [];
  const errors: string[] = [];
  const capture: typeof globalThis.fetch = async (_url, init) => {
    const body = String(init?.body);
    const events = (JSON.parse(body) as { variables: { input: { events: unknown[] } } }).variables.input.events.length;
    requests.push({ client: 0, body: Buffer.from(body), events });
    return Response.json({ data: { ingestBatch: { accepted: events, duplicates: 0, rejected: [] } } });
  };
  const tracker = new Tracker({
    apiKey: 'bench-capture-only',
    endpoint: 'http://127.0.0.1:9',
    fetch: capture,
    flushAt: BATCH,
    maxBatchSize: BATCH,
    maxBufferSize: total,
    flushOnExit: false,
    onError: (error) => errors.push(`${error.code}: ${error.message}`),
  });
  await trackAll(tracker, batches, total);
  const flushed = await tracker.flush({ timeoutMs: 120_000 });
  await tracker.shutdown({ timeoutMs: 1_000 });
  if (!flushed || errors.length > 0 || requests.reduce((sum, request) => sum + request.events, 0) !== total) {
    throw new Error(`capturing the SDK's requests failed: flushed=${flushed} ${errors.slice(0, 3).join('; ')}`);
  }
  return requests;
}

/** Ingests the workload's events through one tracker; resolves with events/s once all are accepted. */
async function ingestThroughSdk(url: string, key: string, batches: SdkBatchCalls[]): Promise<{ eventsPerSecond: number; requests: number }> {
  const total = batches.reduce((sum, batch) => sum + batch.calls.length, 0);
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
  const started = performance.now();
  await trackAll(tracker, batches, total);
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
    // The client's CPU per event: what one process spends besides the server (on this machine
    // the server shares the cores with it, so client CPU is taken from the server under load).
    const cpu = { raw: [] as number[], sdk: [] as number[] };
    for (let r = -1; r < rounds; r++) {
      const rawRequests = await sdkMadeRequests(sdkCalls(workload('raw', events, r)));
      const sdkBatches = sdkCalls(workload('sdk', events, r));
      const steps = [
        async () => {
          const cpuBefore = processCpuMs();
          const result = await runLoad({
            url: `${server.url}/graphql`,
            headers: { authorization: `Bearer ${ingestKey}` },
            clients: 1,
            requests: rawRequests,
            check: expectAllAccepted,
          });
          if (r >= 0) {
            raw.push(result.eventsPerSecond);
            cpu.raw.push(((processCpuMs() - cpuBefore) / events) * 1000);
          }
        },
        async () => {
          const cpuBefore = processCpuMs();
          const result = await ingestThroughSdk(server.url, ingestKey, sdkBatches);
          if (r >= 0) {
            cpu.sdk.push(((processCpuMs() - cpuBefore) / events) * 1000);
            sdk.push(result.eventsPerSecond);
            requests.push(result.requests);
          }
        },
      ];
      // Alternate which goes first, so a slow patch of a shared machine lands on both alike.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) await steps[i]!();
      context.log(
        r < 0
          ? `  sdk ${database} warm-up done`
          : `  sdk ${database} round ${r + 1}/${rounds}: raw ${formatRate(raw.at(-1)!)}/s, sdk ${formatRate(sdk.at(-1)!)}/s (${formatRatio(sdk.at(-1)! / raw.at(-1)!)}), ` +
            `client CPU ms per 1000 events: raw ${cpu.raw.at(-1)!.toFixed(1)}, sdk ${cpu.sdk.at(-1)!.toFixed(1)}; load ${os.loadavg()[0]!.toFixed(2)}`,
      );
    }
    const rawRate = median(raw);
    const sdkRate = median(sdk);
    const minEventsPerSecond = TARGETS.minShareOfRaw * rawRate;
    return {
      database,
      events,
      rounds,
      raw: { eventsPerSecond: round(rawRate, 5), perRound: raw.map(Math.round), clientCpuMsPer1000Events: round(median(cpu.raw), 3) },
      sdk: {
        eventsPerSecond: round(sdkRate, 5),
        perRound: sdk.map(Math.round),
        requestsPerRound: requests,
        clientCpuMsPer1000Events: round(median(cpu.sdk), 3),
      },
      ratio: round(sdkRate / rawRate, 3),
      ratioPerRound: sdk.map((rate, i) => round(rate / raw[i]!, 3)),
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
  { header: 'client CPU ms/1k ev raw | SDK' },
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
        `${scenario.raw.clientCpuMsPer1000Events.toFixed(1)} | ${scenario.sdk.clientCpuMsPer1000Events.toFixed(1)}`,
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
      `raw: the SDK's own ingestBatch request bodies (${BATCH} events each), captured before the clock, sent pre-serialised from one client; SDK: one tracker (batches of ${BATCH}), timed from the first tracking call until flush() resolved with every event accepted.`,
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
