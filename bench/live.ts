/**
 * Live subscriptions: commit-to-frame latency of `sessionTimeline`, beside a bare `ws` floor.
 *
 * Latency is the time from the moment the writer receives the `ingestBatch` answer (the batch is
 * committed then) to the moment a watcher receives the EventAppended frame of an event of that
 * batch, for every event written in the measured window. A frame can beat the answer (the server
 * publishes at commit); such a latency counts as 0 and is reported.
 *
 * The issue asks for these watchers "while ingest runs at half its measured maximum", so the run
 * first measures that maximum (1000-event batches from 4 clients into a fresh SQLite server, as the
 * ingest family's fastest scenario) and then keeps the total ingest at half of it: the watched
 * sessions' events plus a background load of 1000-event batches (bench/lib/events.ts) into OTHER
 * sessions that makes up the rest.
 *
 * Scenarios (each ~15 s, BENCH_QUICK=1 ~4 s with 100/200 watchers):
 * - (a) 100 watchers at 50 events/s each, each on a session of its own (5,000 events/s), and (b)
 *   1,000 watchers at 20 events/s each, four on each of 250 sessions (5,000 events/s; 20,000
 *   frames/s): 1,000 sessions of their own would need 20,000 events/s, past the whole maximum
 *   of SQLite on this machine, let alone half of it. Several people watching the same sessions is
 *   also what a live dashboard sees. On SQLite, one server child process, with the background;
 * - the floor of each: a bare `ws` server (this file in a child process, BENCH_LIVE_FLOOR=1) that,
 *   upon an HTTP POST, answers and then sends a frame of the same size as the server's to the
 *   sockets of the sessions named; measured from the POST's answer the same way;
 * - (a) through two server instances and Redis (REDIS_URL): writes and background load on A,
 *   watchers on B, on one PostgreSQL database (a shared SQLite file when PostgreSQL is
 *   unreachable), beside (a) on one instance of that same database: the difference of p50s is
 *   what Redis adds.
 *
 * Every watcher is a graphql-ws client (`createClient`, lazy: false) of its own in this process,
 * subscribed to its own session key. Before measuring, every session gets one event (so it
 * exists), then probe events until each watcher has received one: all watchers are live.
 * Writers: one per group of sessions, each sending every `periodMs` one ingestBatch holding 10
 * events for each session of its group (the per-session rate of the scenario, without a request
 * per session: tiny requests would measure the HTTP request rate, not the fan-out).
 *
 * Registered in bench/run.ts, or on its own: `npx tsx bench/live.ts` (BENCH_QUICK=1 applies).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage } from 'node:http';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket, { WebSocketServer } from 'ws';
import { generateWorkload, hashSeed, requestBody } from './lib/events.js';
import { expectAllAccepted, post, runLoad, type LoadRequest } from './lib/http-load.js';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.js';
import { formatMb, formatMs, formatRate, type BenchContext, type BenchFamily, type Database, type FamilyReport } from './lib/report.js';
import { isEntry, runAlone } from './lib/standalone.js';
import { startServerProcess, type ServerProcess } from './lib/server-process.js';
import { percentile, round } from './lib/stats.js';

export const TARGETS = {
  /** p99 commit-to-frame, ms, at 100 watchers; and at most this much above the floor's p99. */
  p99Ms100: 50,
  p99Ms1000: 200,
  maxAboveFloorP99Ms: 25,
  /** Server VmHWM with 1,000 open sockets. */
  maxRssBytes1000: 300 * 1024 * 1024,
  /** What two instances and Redis add to p50, ms. */
  maxRedisAddedP50Ms: 5,
} as const;

const EVENTS_PER_SESSION_PER_REQUEST = 10;
const BACKGROUND_BATCH = 1000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WARMUP_MS = 1_000;
/** 1000-event batches per client when measuring the ingest maximum (4 clients), after a warm-up of one each. */
const MAXIMUM_BATCHES_PER_CLIENT = 10;
const MAXIMUM_CLIENTS = 4;
/** After the writers stop: how long frames of the last batches may still take. */
const DRAIN_MS = 3_000;

const SUBSCRIPTION = /* GraphQL */ `
  subscription BenchLiveTimeline($key: String!) {
    sessionTimeline(key: $key) {
      __typename
      ... on EventAppended { cursor event { id key type name timestamp receivedAt status input } }
    }
  }
`;
const INGEST = /* GraphQL */ `
  mutation BenchLiveIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index code message } }
  }
`;

// ---------------------------------------------------------------- HTTP


function checkAccepted(expected: number, status: number, body: string): void {
  const result = (JSON.parse(body) as { data?: { ingestBatch?: { accepted: number; duplicates: number; rejected: unknown[] } } }).data?.ingestBatch;
  if (status !== 200 || !result || result.accepted !== expected || result.duplicates !== 0 || result.rejected.length !== 0) {
    throw new Error(`ingestBatch of ${expected} events did not accept them all: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

// ---------------------------------------------------------------- the floor: a bare ws server (child process)

interface FloorPublish {
  /** Frame size in bytes (as the real server's). */
  size: number;
  /** One frame per (session key, event key). */
  frames: [key: string, eventKey: string][];
}

function runFloorServer(): void {
  const byKey = new Map<string, Set<WebSocket>>();
  const http = createServer((req: IncomingMessage, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const publish = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FloorPublish;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      // As the server: the answer first, then one frame per event to the session's sockets.
      for (const [key, eventKey] of publish.frames) {
        const head = `{"id":"00000000-0000-4000-8000-000000000000","type":"next","payload":{"data":{"sessionTimeline":{"__typename":"EventAppended","cursor":"${eventKey}","event":{"key":"${eventKey}","pad":"`;
        const tail = '"}}}}}';
        const frame = head + 'x'.repeat(Math.max(0, publish.size - head.length - tail.length)) + tail;
        for (const socket of byKey.get(key) ?? []) socket.send(frame);
      }
    });
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, req) => {
    const key = new URL(req.url ?? '/', 'http://floor').searchParams.get('key') ?? '';
    let set = byKey.get(key);
    if (!set) byKey.set(key, (set = new Set()));
    set.add(socket);
    socket.on('close', () => set.delete(socket));
  });
  http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  const stop = () => {
    for (const socket of wss.clients) socket.terminate();
    wss.close();
    http.close(() => process.exit(0));
    http.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// ---------------------------------------------------------------- one measured run

interface Plan {
  name: string;
  watchers: number;
  /** Watchers subscribed to each watched session. */
  watchersPerSession: number;
  eventsPerSecondPerWatcher: number;
  durationMs: number;
  /** The background load: half the ingest maximum minus the watched sessions' events. */
  backgroundEventsPerSecond: number;
}

/** Events per second written into the watched sessions. */
const watchedEventsPerSecond = (plan: Plan) => Math.ceil(plan.watchers / plan.watchersPerSession) * plan.eventsPerSecondPerWatcher;

interface Target {
  /** 'server': graphql-ws watchers of `watchUrl`, ingestBatch writes to `writeUrl`. 'floor': the bare ws server. */
  kind: 'server' | 'floor';
  writeUrl: string;
  watchUrl: string;
  readKey?: string;
  ingestKey?: string;
  /** Floor only: the size of the server's frames. */
  frameBytes?: number;
  /** Background bodies (1000-event batches into other sessions), sent at the plan's background rate. */
  background?: Buffer[];
}

interface RunResult {
  watchers: number;
  watchersPerSession: number;
  eventsPerSecondPerWatcher: number;
  measuredMs: number;
  /** Events written in the measured window, and per second. */
  events: number;
  writtenEventsPerSecond: number;
  targetEventsPerSecond: number;
  /** Frames received in the measured window (events x the watchers of their session). */
  frames: number;
  missingFrames: number;
  framesBeforeAnswer: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  backgroundEventsPerSecond: number;
  /** Mean size of one frame, as JSON (server: re-serialised from graphql-ws' parsed message). */
  frameBytes: number;
  writeP50Ms: number;
  writeP99Ms: number;
  subscribeMs: number;
}

interface Watchers {
  close(): Promise<void>;
}

function sessionKeys(runTag: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${runTag}-w${i}`);
}

async function runOnce(context: BenchContext, plan: Plan, target: Target, onLive?: () => void): Promise<RunResult> {
  const runTag = `live-${plan.name}-${randomBytes(4).toString('hex')}`;
  const keys = sessionKeys(runTag, Math.ceil(plan.watchers / plan.watchersPerSession));
  /** The session each watcher subscribes to, by watcher index. */
  const watcherKeys = Array.from({ length: plan.watchers }, (_, watcher) => keys[watcher % keys.length]!);
  const watchersOf = new Map<string, number>();
  for (const key of watcherKeys) watchersOf.set(key, (watchersOf.get(key) ?? 0) + 1);
  /** Per event written in the measured window: when its batch was answered, and its session. */
  const responseAt = new Map<string, { answered: number; sessionKey: string }>();
  /** Per event: when each of its frames arrived (one per watcher of its session). */
  const framesAt = new Map<string, number[]>();
  const probeSeen = new Set<number>();
  let frameBytesTotal = 0;
  let frameCount = 0;
  let recording = false;

  const onFrame = (watcher: number, eventKey: string, bytes: number) => {
    const now = performance.now();
    if (eventKey.includes('-probe')) {
      probeSeen.add(watcher);
      return;
    }
    if (!recording) return;
    const arrivals = framesAt.get(eventKey);
    if (arrivals) arrivals.push(now);
    else framesAt.set(eventKey, [now]);
    frameBytesTotal += bytes;
    frameCount++;
  };

  // ---- writers: groups of sessions, one keep-alive connection each
  const periodMs = (EVENTS_PER_SESSION_PER_REQUEST * 1000) / plan.eventsPerSecondPerWatcher;
  // Requests of ~100 events: many small requests, as agents flush them, but not one per session.
  const groupSize = Math.max(1, Math.floor(100 / EVENTS_PER_SESSION_PER_REQUEST));
  const groups: string[][] = [];
  for (let i = 0; i < keys.length; i += groupSize) groups.push(keys.slice(i, i + groupSize));
  const agent = new Agent({ keepAlive: true, maxSockets: groups.length + 1 });
  const writeUrl = new URL(target.kind === 'server' ? `${target.writeUrl}/graphql` : `${target.writeUrl}/publish`);
  const headers: Record<string, string> = target.kind === 'server' ? { authorization: `Bearer ${target.ingestKey}` } : {};
  let counter = 0;
  const text = 'tick '.repeat(20);

  /** Writes `perSession` events to each session named; resolves at the answer with the event keys. */
  async function write(sessions: string[], perSession: number, label: string): Promise<string[]> {
    const eventKeys: string[] = [];
    const pairs: [string, string][] = [];
    for (const sessionKey of sessions) {
      for (let j = 0; j < perSession; j++) {
        const eventKey = `${sessionKey}-${label}-${counter++}`;
        eventKeys.push(eventKey);
        pairs.push([sessionKey, eventKey]);
      }
    }
    let body: Buffer;
    if (target.kind === 'server') {
      const timestamp = new Date().toISOString();
      const events = pairs.map(([sessionKey, id], n) => ({ id, sessionKey, type: 'LOG', name: 'tick', timestamp, input: { n, text } }));
      body = Buffer.from(JSON.stringify({ query: INGEST, operationName: 'BenchLiveIngest', variables: { input: { events } } }));
    } else {
      body = Buffer.from(JSON.stringify({ size: target.frameBytes ?? 400, frames: pairs } satisfies FloorPublish));
    }
    const response = await post(agent, writeUrl, headers, body);
    if (target.kind === 'server') checkAccepted(pairs.length, response.status, response.body);
    else if (response.status !== 200) throw new Error(`floor answered ${response.status}`);
    return eventKeys;
  }

  // ---- watchers
  const subscribeStarted = performance.now();
  // Sessions exist before anyone subscribes, so a watcher's start position is known.
  if (target.kind === 'server') await Promise.all(groups.map((group) => write(group, 1, 'probe')));
  probeSeen.clear();
  const watchers = target.kind === 'server' ? await openGraphqlWatchers(target, watcherKeys, onFrame) : await openFloorWatchers(target, watcherKeys, onFrame);
  try {
    // Probe until every watcher has received an event: then all are live.
    const probeDeadline = Date.now() + 60_000;
    while (probeSeen.size < plan.watchers) {
      if (Date.now() > probeDeadline) throw new Error(`${plan.watchers - probeSeen.size} of ${plan.watchers} watchers never received a probe event`);
      const pendingWatchers = watcherKeys.flatMap((_, watcher) => (probeSeen.has(watcher) ? [] : [watcher]));
      const pending = [...new Set(pendingWatchers.map((watcher) => watcherKeys[watcher]!))];
      const pendingGroups: string[][] = [];
      for (let i = 0; i < pending.length; i += groupSize) pendingGroups.push(pending.slice(i, i + groupSize));
      await Promise.all(pendingGroups.map((group) => write(group, 1, 'probe')));
      const waitUntil = Date.now() + 2_000;
      // Waiting on frames from another process: poll the set with a deadline.
      while (Date.now() < waitUntil && pendingWatchers.some((watcher) => !probeSeen.has(watcher))) await new Promise((r) => setTimeout(r, 20));
    }
    const subscribeMs = performance.now() - subscribeStarted;
    context.log(`    ${plan.watchers} watchers of ${keys.length} sessions live in ${Math.round(subscribeMs)} ms`);
    onLive?.();

    // ---- the measured run
    recording = true;
    const writeLatencies: number[] = [];
    const started = performance.now();
    const measureFrom = started + WARMUP_MS;
    const stopAt = measureFrom + plan.durationMs;
    let measuredEvents = 0;
    let backgroundEvents = 0;
    let failure: Error | undefined;
    const writers = groups.map(async (group, g) => {
      // Staggered, so requests spread over the period instead of arriving together.
      let next = started + (periodMs * g) / groups.length;
      while (!failure) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= stopAt) return;
        const sent = performance.now();
        const eventKeys = await write(group, EVENTS_PER_SESSION_PER_REQUEST, 'e');
        const answered = performance.now();
        if (sent >= measureFrom) {
          writeLatencies.push(answered - sent);
          measuredEvents += eventKeys.length;
          eventKeys.forEach((eventKey, i) => {
            responseAt.set(eventKey, { answered, sessionKey: group[Math.floor(i / EVENTS_PER_SESSION_PER_REQUEST)]! });
          });
        }
        next = Math.max(next + periodMs, performance.now() - periodMs); // falls behind rather than bursting
      }
    });
    const background = (async () => {
      const bodies = target.background;
      if (!bodies?.length || plan.backgroundEventsPerSecond <= 0) return;
      const bgAgent = new Agent({ keepAlive: true, maxSockets: 1 });
      const bgPeriod = (BACKGROUND_BATCH * 1000) / plan.backgroundEventsPerSecond;
      let next = started;
      try {
        for (let i = 0; i < bodies.length && !failure; i++) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (performance.now() >= stopAt) return;
          const response = await post(bgAgent, writeUrl, headers, bodies[i]!);
          checkAccepted(BACKGROUND_BATCH, response.status, response.body);
          if (performance.now() >= measureFrom) backgroundEvents += BACKGROUND_BATCH;
          next += bgPeriod;
        }
      } finally {
        bgAgent.destroy();
      }
    })();
    await Promise.all([...writers, background].map((p) => p.catch((error: Error) => { failure ??= error; })));
    if (failure) throw failure;
    const measuredMs = Math.min(performance.now(), stopAt) - measureFrom;
    // Frames of the last batches may still be on their way.
    const drainUntil = Date.now() + DRAIN_MS;
    const allArrived = () => [...responseAt].every(([eventKey, { sessionKey }]) => (framesAt.get(eventKey)?.length ?? 0) >= watchersOf.get(sessionKey)!);
    while (Date.now() < drainUntil && !allArrived()) await new Promise((r) => setTimeout(r, 50));
    recording = false;

    const latencies: number[] = [];
    let missing = 0;
    let early = 0;
    for (const [eventKey, { answered, sessionKey }] of responseAt) {
      const arrivals = framesAt.get(eventKey) ?? [];
      missing += Math.max(0, watchersOf.get(sessionKey)! - arrivals.length);
      for (const arrived of arrivals) {
        if (arrived < answered) early++;
        latencies.push(Math.max(0, arrived - answered));
      }
    }
    return {
      watchers: plan.watchers,
      watchersPerSession: plan.watchersPerSession,
      eventsPerSecondPerWatcher: plan.eventsPerSecondPerWatcher,
      measuredMs: Math.round(measuredMs),
      events: measuredEvents,
      writtenEventsPerSecond: Math.round((measuredEvents / measuredMs) * 1000),
      targetEventsPerSecond: watchedEventsPerSecond(plan),
      frames: latencies.length,
      missingFrames: missing,
      framesBeforeAnswer: early,
      p50Ms: round(percentile(latencies, 50)),
      p90Ms: round(percentile(latencies, 90)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(percentile(latencies, 100)),
      backgroundEventsPerSecond: Math.round((backgroundEvents / measuredMs) * 1000),
      frameBytes: frameCount ? Math.round(frameBytesTotal / frameCount) : 0,
      writeP50Ms: round(percentile(writeLatencies, 50)),
      writeP99Ms: round(percentile(writeLatencies, 99)),
      subscribeMs: Math.round(subscribeMs),
    };
  } finally {
    agent.destroy();
    await watchers.close();
  }
}

async function inChunks<T>(items: T[], size: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)));
}

/** A frame received by the watcher of that index (in `watcherKeys` order). */
type FrameHandler = (watcher: number, eventKey: string, bytes: number) => void;

interface TimelineResult {
  data?: { sessionTimeline?: { __typename: string; event?: { key: string } } };
  errors?: unknown[];
}

/** One watcher per entry of `watcherKeys`, subscribed to that session key. */
async function openGraphqlWatchers(target: Target, watcherKeys: string[], onFrame: FrameHandler): Promise<Watchers> {
  const url = `${target.watchUrl.replace(/^http/, 'ws')}/graphql`;
  const clients: Client[] = [];
  let failure: unknown;
  await inChunks(watcherKeys, 100, async (key, watcher) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${target.readKey}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: (error) => { failure ??= error; },
    });
    clients.push(client);
    await new Promise<void>((resolveConnected, reject) => {
      const offConnected = client.on('connected', () => { offConnected(); offClosed(); resolveConnected(); });
      const offClosed = client.on('closed', (event) => { offConnected(); offClosed(); reject(new Error(`watcher socket closed: ${JSON.stringify(event)}`)); });
    });
    client.subscribe<TimelineResult['data']>(
      { query: SUBSCRIPTION, operationName: 'BenchLiveTimeline', variables: { key } },
      {
        next: (result) => {
          const update = result.data?.sessionTimeline;
          if (update?.__typename !== 'EventAppended' || !update.event) return;
          // The size of the frame as it came: graphql-ws has parsed it; re-serialise to count.
          const bytes = update.event.key.includes('-probe') ? 0 : JSON.stringify(result).length + 64;
          onFrame(watcher, update.event.key, bytes);
        },
        error: (error) => { failure ??= error; },
        complete: () => {},
      },
    );
  });
  if (failure) throw new Error(`watcher failed: ${JSON.stringify(failure)}`);
  return {
    async close() {
      await Promise.all(clients.map((client) => Promise.resolve(client.dispose()).catch(() => {})));
    },
  };
}

async function openFloorWatchers(target: Target, watcherKeys: string[], onFrame: FrameHandler): Promise<Watchers> {
  const url = target.watchUrl.replace(/^http/, 'ws');
  const sockets: WebSocket[] = [];
  await inChunks(watcherKeys, 100, async (key, watcher) => {
    const socket = new WebSocket(`${url}/?key=${encodeURIComponent(key)}`);
    sockets.push(socket);
    socket.on('message', (data: Buffer) => {
      // Parsed like graphql-ws parses a frame, so both sides pay the same client cost.
      const message = JSON.parse(data.toString('utf8')) as { payload: TimelineResult };
      const eventKey = message.payload.data?.sessionTimeline?.event?.key;
      if (eventKey) onFrame(watcher, eventKey, data.length);
    });
    await new Promise<void>((resolveOpen, reject) => {
      socket.once('open', () => resolveOpen());
      socket.once('error', reject);
    });
  });
  return {
    async close() {
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolveClose) => {
          if (socket.readyState === WebSocket.CLOSED) return resolveClose();
          socket.once('close', () => resolveClose());
          socket.close();
          setTimeout(() => { socket.terminate(); resolveClose(); }, 2_000).unref();
        })),
      );
    },
  };
}

// ---------------------------------------------------------------- the ingest maximum

/**
 * The most events per second a fresh SQLite server takes in 1000-event batches from 4 clients (the
 * ingest family's fastest SQLite scenario, shorter): the load the scenarios run at half of.
 */
async function measureIngestMaximum(context: BenchContext, workDir: string): Promise<number> {
  const perClient = context.quick ? 2 : MAXIMUM_BATCHES_PER_CLIENT;
  const batches = generateWorkload({
    seed: hashSeed('live', 'maximum'), tag: 'live-max', batchSize: BACKGROUND_BATCH, batchCount: MAXIMUM_CLIENTS * (perClient + 1), clients: MAXIMUM_CLIENTS,
  });
  const requests: LoadRequest[] = batches.map((batch) => ({ client: batch.client, body: requestBody(batch), events: batch.events.length }));
  // Each client's first batch warms the server up; the rest are measured.
  const warmup = MAXIMUM_CLIENTS;
  const keys = newKeys();
  context.log(`live: ingest maximum, ${MAXIMUM_CLIENTS} clients x ${perClient} batches of ${BACKGROUND_BATCH}, SQLite`);
  const server = await startSightline(context, 'server (live ingest maximum)', `file:${join(mkdtempSync(join(workDir, 'maximum-')), 'sightline.db')}`, keys, false);
  try {
    const load = { url: `${server.url}/graphql`, headers: { authorization: `Bearer ${keys.ingest}` }, clients: MAXIMUM_CLIENTS, check: expectAllAccepted };
    await runLoad({ ...load, requests: requests.slice(0, warmup) });
    const result = await runLoad({ ...load, requests: requests.slice(warmup) });
    return result.eventsPerSecond;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- servers

interface Keys {
  admin: string;
  read: string;
  ingest: string;
}

const newKeys = (): Keys => ({
  admin: `sl_bench_admin_${randomBytes(18).toString('base64url')}`,
  read: `sl_bench_read_${randomBytes(18).toString('base64url')}`,
  ingest: `sl_bench_ingest_${randomBytes(18).toString('base64url')}`,
});

function startSightline(context: BenchContext, label: string, databaseUrl: string, keys: Keys, redis: boolean): Promise<ServerProcess> {
  return startServerProcess({
    label,
    script: 'src/server.ts',
    cwd: context.repoRoot,
    env: {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      SIGHTLINE_INIT_ADMIN_KEY: keys.admin,
      SIGHTLINE_INIT_READ_KEY: keys.read,
      SIGHTLINE_INIT_INGEST_KEY: keys.ingest,
      ...(redis ? { REDIS_URL } : {}),
    },
    // BENCH_CPU_PROF=1: one profile directory per server, named by its label.
    nodeFlags: context.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(context.cpuProfileDir, label.replace(/[^a-z0-9-]+/gi, '_'))}`] : [],
  });
}

async function redisReachable(): Promise<string | null> {
  const { Redis } = await import('ioredis');
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}

// ---------------------------------------------------------------- the family

interface Scenario {
  name: string;
  /** Events/s of the ingest maximum measured in this run; the scenario ran at half of it in all. */
  ingestMaximumEventsPerSecond: number;
  database: Database;
  instances: 1 | 2;
  server: RunResult & { peakRssBytes: number; socketsPeakRssBytes?: number; startRssBytes: number };
  floor?: RunResult;
  checks: { rule: string; value: number; limit: number; pass: boolean }[];
}

const columns = [
  { header: 'scenario', align: 'left' as const },
  { header: 'watchers' },
  { header: 'per session' },
  { header: 'ev/s each' },
  { header: 'written ev/s' },
  { header: 'bg ev/s' },
  { header: 'p50 ms' },
  { header: 'p99 ms' },
  { header: 'max ms' },
  { header: 'floor p50' },
  { header: 'floor p99' },
  { header: 'missing' },
  { header: 'RSS sockets' },
  { header: 'RSS run' },
  { header: 'targets', align: 'left' as const },
  { header: 'result', align: 'left' as const },
];

export const live: BenchFamily = {
  name: 'live',
  async run(context): Promise<FamilyReport> {
    const quick = context.quick;
    const durationMs = quick ? 4_000 : 15_000;
    const workDir = mkdtempSync(join(os.tmpdir(), 'sightline-bench-live-'));
    const maximum = await measureIngestMaximum(context, workDir);
    const halfMaximum = Math.round(maximum / 2);
    const plan = (name: string, watchers: number, watchersPerSession: number, eventsPerSecondPerWatcher: number): Plan => {
      const planned = { name, watchers, watchersPerSession, eventsPerSecondPerWatcher, durationMs, backgroundEventsPerSecond: 0 };
      return { ...planned, backgroundEventsPerSecond: Math.max(0, halfMaximum - watchedEventsPerSecond(planned)) };
    };
    const plans: Plan[] = [plan('a', 100, 1, 50), plan('b', quick ? 200 : 1000, 4, 20)];
    const bgCount = Math.max(...plans.map((p) => Math.ceil(((WARMUP_MS + durationMs) / 1000) * (p.backgroundEventsPerSecond / BACKGROUND_BATCH)) + 2));
    context.log(`live: ingest maximum ${formatRate(maximum)} ev/s, so ${formatRate(halfMaximum)} ev/s in all while measuring; generating ${bgCount} background batches of ${BACKGROUND_BATCH} events`);
    // Fresh database per scenario, so the same background events can go into each.
    const background = generateWorkload({ seed: hashSeed('live', 'background'), tag: 'live-bg', batchSize: BACKGROUND_BATCH, batchCount: bgCount, clients: 1 }).map(requestBody);

    const scenarios: Scenario[] = [];
    const rows: string[][] = [];
    const notes: string[] = [];
    const floor = await startServerProcess({ label: 'ws floor', script: 'bench/live.ts', cwd: context.repoRoot, env: { BENCH_LIVE_FLOOR: '1' } });
    try {
      // ---- (a) and (b) on SQLite, one instance, beside the floor
      for (const plan of plans) {
        const dir = mkdtempSync(join(workDir, `${plan.name}-`));
        const keys = newKeys();
        context.log(`live ${plan.name}: ${plan.watchers} watchers x ${plan.eventsPerSecondPerWatcher} ev/s, SQLite`);
        const server = await startSightline(context, `server (live ${plan.name})`, `file:${join(dir, 'sightline.db')}`, keys, false);
        let result: RunResult;
        let peak: number;
        let socketsPeak = Number.NaN;
        try {
          server.resetPeak();
          result = await runOnce(
            context, plan,
            { kind: 'server', writeUrl: server.url, watchUrl: server.url, readKey: keys.read, ingestKey: keys.ingest, background },
            () => { socketsPeak = server.peakRssBytes(); },
          );
          peak = server.peakRssBytes();
        } catch (error) {
          throw new Error(`${(error as Error).message}\n--- server output ---\n${server.output().slice(-4000)}`, { cause: error });
        } finally {
          await server.stop();
        }
        context.log(`    server: p50 ${formatMs(result.p50Ms)} p99 ${formatMs(result.p99Ms)} ms, ${formatRate(result.writtenEventsPerSecond)} ev/s written`);
        context.log(`live ${plan.name}: floor`);
        const floorResult = await runOnce(context, plan, { kind: 'floor', writeUrl: floor.url, watchUrl: floor.url, frameBytes: result.frameBytes });
        context.log(`    floor: p50 ${formatMs(floorResult.p50Ms)} p99 ${formatMs(floorResult.p99Ms)} ms`);
        const limit = plan.name === 'a' ? TARGETS.p99Ms100 : TARGETS.p99Ms1000;
        const checks = [
          { rule: `p99 < ${limit} ms`, value: result.p99Ms, limit, pass: result.p99Ms < limit },
          { rule: `p99 - floor p99 < ${TARGETS.maxAboveFloorP99Ms} ms`, value: round(result.p99Ms - floorResult.p99Ms), limit: TARGETS.maxAboveFloorP99Ms, pass: result.p99Ms - floorResult.p99Ms < TARGETS.maxAboveFloorP99Ms },
          { rule: 'every frame arrived', value: result.missingFrames, limit: 0, pass: result.missingFrames === 0 },
        ];
        if (plan.name === 'b') {
          checks.push({
            rule: `RSS < ${formatMb(TARGETS.maxRssBytes1000)} with ${plan.watchers} sockets open`,
            value: socketsPeak,
            limit: TARGETS.maxRssBytes1000,
            pass: socketsPeak < TARGETS.maxRssBytes1000,
          });
        }
        scenarios.push({
          name: plan.name, ingestMaximumEventsPerSecond: Math.round(maximum), database: 'sqlite', instances: 1,
          server: { ...result, peakRssBytes: peak, socketsPeakRssBytes: socketsPeak, startRssBytes: server.startRssBytes }, floor: floorResult, checks,
        });
      }

      // ---- (a) through two instances and Redis, beside (a) on one instance of the same database
      const redisProblem = await redisReachable();
      if (redisProblem) {
        notes.push(`redis scenario skipped: ${REDIS_URL} unreachable (${redisProblem})`);
      } else {
        // SQLite by default: at this load one instance on PostgreSQL is already past its ingest
        // limit on a 2-core machine, and a saturated baseline says nothing about Redis' share.
        const database: Database = process.env.BENCH_LIVE_REDIS_DB === 'postgresql' && context.postgres.reachable ? 'postgresql' : 'sqlite';
        const plan = plans[0]!;
        const results: Partial<Record<'single' | 'redis', RunResult & { peakRssBytes: number; startRssBytes: number }>> = {};
        const sqliteA = scenarios.find((s) => s.name === 'a');
        // On SQLite, (a) above is the one-instance baseline: same database, load and watchers.
        if (database === 'sqlite' && sqliteA) results.single = sqliteA.server;
        for (const mode of ['single', 'redis'] as const) {
          if (results[mode]) continue;
          const databaseUrl = database === 'postgresql' ? await createBenchDatabase() : `file:${join(mkdtempSync(join(workDir, `${mode}-`)), 'sightline.db')}`;
          const keys = newKeys();
          const servers: ServerProcess[] = [];
          try {
            context.log(`live a-${mode}: ${plan.watchers} watchers, ${database}${mode === 'redis' ? ', writes on A, watchers on B, Redis' : ''}`);
            servers.push(await startSightline(context, `server A (live a-${mode})`, databaseUrl, keys, mode === 'redis'));
            if (mode === 'redis') servers.push(await startSightline(context, `server B (live a-${mode})`, databaseUrl, keys, true));
            const [a, b = a] = servers as [ServerProcess, ServerProcess?];
            b!.resetPeak();
            const result = await runOnce(context, plan, { kind: 'server', writeUrl: a.url, watchUrl: b!.url, readKey: keys.read, ingestKey: keys.ingest, background });
            results[mode] = { ...result, peakRssBytes: b!.peakRssBytes(), startRssBytes: b!.startRssBytes };
            context.log(`    p50 ${formatMs(result.p50Ms)} p99 ${formatMs(result.p99Ms)} ms`);
          } catch (error) {
            throw new Error(`${(error as Error).message}\n--- server output ---\n${servers.map((s) => s.output().slice(-2000)).join('\n---\n')}`, { cause: error });
          } finally {
            await Promise.all(servers.map((s) => s.stop()));
            if (database === 'postgresql') await dropBenchDatabase(databaseUrl).catch(() => {});
          }
        }
        const single = results.single!;
        const redis = results.redis!;
        const added = redis.p50Ms - single.p50Ms;
        if (single !== sqliteA?.server) scenarios.push({ name: 'a-single', ingestMaximumEventsPerSecond: Math.round(maximum), database, instances: 1, server: single, checks: [] });
        scenarios.push({
          name: 'a-redis',
          ingestMaximumEventsPerSecond: Math.round(maximum),
          database,
          instances: 2,
          server: redis,
          checks: [
            { rule: `Redis adds < ${TARGETS.maxRedisAddedP50Ms} ms at p50 (+${formatMs(added)})`, value: round(added), limit: TARGETS.maxRedisAddedP50Ms, pass: added < TARGETS.maxRedisAddedP50Ms },
            { rule: 'every frame arrived', value: redis.missingFrames, limit: 0, pass: redis.missingFrames === 0 },
          ],
        });
      }
    } finally {
      await floor.stop();
      rmSync(workDir, { recursive: true, force: true });
    }

    for (const s of scenarios) {
      const label = s.name === 'a-redis' ? `(a) 2 instances + Redis, ${s.database}` : s.name === 'a-single' ? `(a) 1 instance, ${s.database}` : `(${s.name}) 1 instance, ${s.database}`;
      const failed = s.checks.filter((c) => !c.pass);
      rows.push([
        label,
        String(s.server.watchers),
        String(s.server.watchersPerSession),
        String(s.server.eventsPerSecondPerWatcher),
        `${formatRate(s.server.writtenEventsPerSecond)}/${formatRate(s.server.targetEventsPerSecond)}`,
        formatRate(s.server.backgroundEventsPerSecond),
        formatMs(s.server.p50Ms),
        formatMs(s.server.p99Ms),
        formatMs(s.server.maxMs),
        s.floor ? formatMs(s.floor.p50Ms) : '-',
        s.floor ? formatMs(s.floor.p99Ms) : '-',
        String(s.server.missingFrames),
        formatMb(s.server.socketsPeakRssBytes ?? Number.NaN),
        formatMb(s.server.peakRssBytes),
        s.checks.length ? s.checks.map((c) => c.rule.replace(/ \(.*\)$/, '')).join('; ') : 'baseline for Redis',
        s.checks.length ? (failed.length ? `FAIL (${failed.map((c) => c.rule).join('; ')})` : 'PASS') : '-',
      ]);
    }
    notes.push(
      'latency: ingestBatch answer received by the writer -> EventAppended frame of an event of that batch received by its watcher, over every event of the measured window (a frame that beats the answer counts 0).',
      `ingest: half of its maximum (${formatRate(maximum)} ev/s, measured in this run: 1000-event batches from ${MAXIMUM_CLIENTS} clients into a fresh SQLite server) while measuring: the watched sessions' events plus background batches of ${BACKGROUND_BATCH} into other sessions, on the writing instance ("bg ev/s").`,
      `writers: one per group of ${Math.floor(100 / EVENTS_PER_SESSION_PER_REQUEST)} sessions, ${EVENTS_PER_SESSION_PER_REQUEST} events per session per request; "written ev/s" = achieved/asked into the watched sessions; (b) has ${plans[1]!.watchersPerSession} watchers on each session, so 1,000 watchers at 20 ev/s stay within half the maximum (one session each would be 20,000 ev/s).`,
      'floor: a bare ws server (child process) answering a POST then sending frames of the server\'s frame size to the named sockets; same watchers, writers and measurement, no database and no background load.',
      'RSS sockets: VmHWM of the server from before the watchers connected until all were live (sockets open, subscribed, probed); RSS run: VmHWM to the end of the loaded run (of instance B for Redis), ingest buffers included.',
      'Redis: instance A takes the writes and the background load, instance B the watchers, both on one database (SQLite file by default, BENCH_LIVE_REDIS_DB=postgresql for PostgreSQL with its own one-instance baseline); "adds" = p50 minus the one-instance p50.',
    );
    if (context.quick) notes.push('BENCH_QUICK=1: short runs and fewer watchers; a smoke run, not a measurement.');
    return {
      family: 'live',
      title: 'Live: commit-to-frame latency of sessionTimeline watchers',
      columns,
      rows,
      notes,
      scenarios,
      targets: TARGETS,
      passed: scenarios.every((s) => s.checks.every((c) => c.pass)),
    };
  },
};

// ---------------------------------------------------------------- on its own: npx tsx bench/live.ts

if (process.env.BENCH_LIVE_FLOOR === '1') {
  runFloorServer();
} else if (isEntry(import.meta.url)) {
  void runAlone('live');
}
