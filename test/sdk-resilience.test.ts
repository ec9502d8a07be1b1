/**
 * The SDK when the server goes away: killed in the middle of a flush and restarted, down for a
 * while, down for long enough that the buffer overflows. The server runs as a child process (as
 * `npm start` runs it) on a fixed port and database, so it can be killed and started again; each
 * test has a project of its own (SIGHTLINE_INIT_*).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Tracker, type RetryInfo, type SightlineError, type TrackedEvent, type TrackerOptions } from '../src/sdk/index.js';
import { testDatabaseUrl } from './helpers/database.js';
import { execute } from './helpers/execute.js';
import { describeOutput, freePort, killProcess, ServerProcesses, type ServerProcess } from './helpers/process.js';
import { graphql } from './generated/gql.js';
import type { SdkResilienceTimelineQuery } from './generated/graphql.js';

const SdkResilienceTimeline = graphql(`
  query SdkResilienceTimeline($key: String!, $after: String) {
    session(key: $key) {
      status
      eventCount
      events(first: 500, after: $after) {
        edges { node { key name } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const processes = new ServerProcesses();
const trackers: Tracker[] = [];
/** Restarts begun by a test: a failed test must not leave one to spawn after the cleanup. */
const pendingStarts: Promise<unknown>[] = [];
afterEach(async () => {
  await Promise.all(trackers.splice(0).map((tracker) => tracker.shutdown({ timeoutMs: 1_000 })));
  await Promise.allSettled(pendingStarts.splice(0));
  await processes.killAll();
});

const secret = () => `sdk-resilience-${randomBytes(24).toString('base64url')}`;

/** A project of the test's own on a database that outlives the server process. */
function serverEnv() {
  const keys = { read: secret(), ingest: secret() };
  return {
    ...keys,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      LOG_LEVEL: 'warn',
      SIGHTLINE_INIT_PROJECT: `sdk-resilience-${randomUUID()}`,
      SIGHTLINE_INIT_ADMIN_KEY: secret(),
      SIGHTLINE_INIT_READ_KEY: keys.read,
      SIGHTLINE_INIT_INGEST_KEY: keys.ingest,
    },
  };
}

/** Settles when `check()` holds, re-checked on each `notify()`. */
class Condition {
  private waiting: { check: () => boolean; resolve: () => void }[] = [];
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ check, resolve }));
  }
  notify(): void {
    this.waiting = this.waiting.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }
}

function makeTracker(url: string, ingest: string, options: Partial<TrackerOptions> = {}) {
  const errors: SightlineError[] = [];
  const retries: RetryInfo[] = [];
  const changed = new Condition();
  const tracker = new Tracker({
    apiKey: ingest,
    endpoint: url,
    flushOnExit: false,
    retry: { initialDelayMs: 20, maxDelayMs: 200 },
    onError: (error) => {
      errors.push(error);
      changed.notify();
    },
    onRetry: (info) => {
      retries.push(info);
      changed.notify();
    },
    ...options,
  });
  trackers.push(tracker);
  return { tracker, errors, retries, changed };
}

async function storedTimeline(url: string, read: string, key: string) {
  const events: { key: string; name: string | null }[] = [];
  let after: string | null = null;
  let status = '';
  let eventCount = -1;
  for (;;) {
    const { session }: SdkResilienceTimelineQuery = await execute(url, SdkResilienceTimeline, { key, after }, { key: read });
    if (!session) throw new Error(`session ${key} is not stored`);
    status = session.status;
    eventCount = session.eventCount;
    events.push(...session.events.edges.map((edge) => edge.node));
    if (!session.events.pageInfo.hasNextPage) break;
    after = session.events.pageInfo.endCursor;
  }
  return { status, eventCount, events };
}

describe('SDK resilience', () => {
  // Three server starts on two busy cores: more than the default 30 s may be needed, and the
  // flush below is bounded so that a stuck run fails with what it saw rather than a bare timeout.
  it('stores every tracked event exactly once when the server is killed in the middle of a flush and restarted', { timeout: 90_000 }, async () => {
    const { env, ingest, read } = serverEnv();
    const port = await freePort();
    let server: ServerProcess = await processes.start(env, { port });
    let restarted: Promise<ServerProcess> | null = null;
    // A restart that fails (the port taken meanwhile, a start past its deadline) would leave the
    // SDK retrying against nobody: it fails the test at once, with the server's output.
    let failRestart!: (error: unknown) => void;
    const restartFailed = new Promise<never>((_, reject) => (failRestart = reject));
    const restart = (after: Promise<unknown>) => {
      restarted = after.then(() => processes.start(env, { port }));
      restarted.catch(failRestart);
      pendingStarts.push(restarted);
    };
    let requests = 0;
    // A fetch that lets the test kill the server at chosen moments of the flush.
    const killing: typeof globalThis.fetch = async (input, init) => {
      requests++;
      if (requests === 3) {
        // The server commits the batch and answers; it dies before the SDK reads the answer.
        const response = await fetch(input, init);
        await response.text();
        await killProcess(server);
        restart(Promise.resolve());
        throw new TypeError('fetch failed: connection reset');
      }
      if (requests === 8) {
        // The server dies while the request is on its way: it may or may not have committed it.
        server = (await restarted)!;
        const pending = fetch(input, init);
        restart(killProcess(server));
        return pending;
      }
      return fetch(input, init);
    };
    const { tracker, errors, retries } = makeTracker(`http://127.0.0.1:${port}`, ingest, { fetch: killing, maxBatchSize: 200, flushAt: 200 });
    const conversations = Array.from({ length: 4 }, (_, i) => tracker.conversation(`killed-${i}-${randomUUID()}`));
    const tracked = new Map<string, TrackedEvent[]>(conversations.map((c) => [c.key, []]));
    for (let i = 0; i < 2000; i++) {
      const conversation = conversations[i % 4]!;
      tracked.get(conversation.key)!.push(conversation.custom(`k${i}`));
    }
    const flushed = await Promise.race([tracker.flush({ timeoutMs: 60_000 }), restartFailed]);
    const seen = { requests, stats: tracker.stats, lastRetries: retries.slice(-5).map((r) => r.reason) };
    expect(flushed, `the flush did not finish: ${JSON.stringify(seen)}\n${describeOutput(server)}`).toBe(true);
    server = (await restarted)!;
    expect(requests).toBeGreaterThan(8);

    for (const conversation of conversations) {
      const stored = await storedTimeline(server.url, read, conversation.key);
      const mine = tracked.get(conversation.key)!;
      expect(stored.eventCount).toBe(500);
      expect(stored.events.map((e) => e.key)).toEqual(mine.map((e) => e.id));
    }
    const stats = tracker.stats;
    expect(stats.tracked).toBe(2000);
    // Each event was accepted once; the batch whose answer was lost came back as duplicates.
    expect(stats.sent + stats.duplicates).toBe(2000);
    expect(stats.duplicates).toBeGreaterThanOrEqual(200);
    expect(stats).toMatchObject({ rejected: 0, dropped: 0, buffered: 0 });
    expect(stats.retries).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('leaves the agent unaffected while the server is down, and delivers its events once the server is back', async () => {
    const { env, ingest, read } = serverEnv();
    const port = await freePort();
    const { tracker, errors, retries, changed } = makeTracker(`http://127.0.0.1:${port}`, ingest, { flushAt: 10, flushIntervalMs: 20 });

    // The agent runs to the end with nothing listening on the port: every call returns at once.
    let key = '';
    const result = await tracker.withSession({ name: 'offline run' }, async (session) => {
      key = session.key;
      for (let turn = 0; turn < 20; turn++) {
        session.question(`q${turn}`, { name: `q${turn}` });
        await session.operation(`step${turn}`, async (step) => {
          step.llmCall({ model: 'gpt-4o-mini', promptTokens: 10, completionTokens: 5 });
          await new Promise((resolve) => setImmediate(resolve));
          step.toolCall('search', { output: { hits: turn } });
        });
        session.answer(`a${turn}`, { name: `a${turn}` });
      }
      return 'agent done';
    });
    expect(result).toBe('agent done');
    await changed.until(() => retries.length >= 3);
    expect(tracker.stats.sent).toBe(0);

    const server = await processes.start(env, { port });
    expect(await tracker.flush()).toBe(true);
    const stored = await storedTimeline(server.url, read, key);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.eventCount).toBe(100);
    const names = stored.events.map((e) => e.name);
    expect(names.slice(0, 5)).toEqual(['q0', 'step0', 'gpt-4o-mini', 'search', 'a0']);
    expect(names.filter((n) => n?.startsWith('a'))).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(tracker.stats).toMatchObject({ tracked: 100, sent: 100, dropped: 0, rejected: 0 });
    expect(retries.every((r) => r.reason.length > 0)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('drops the oldest events and counts them when the server stays unreachable past the buffer', async () => {
    const { env, ingest, read } = serverEnv();
    const port = await freePort();
    const { tracker, errors, retries, changed } = makeTracker(`http://127.0.0.1:${port}`, ingest, { flushAt: 10, maxBufferSize: 50 });
    const session = tracker.startSession({ name: 'overflow' });
    for (let i = 0; i < 120; i++) session.custom(`o${i}`);
    expect(tracker.stats).toMatchObject({ tracked: 120, dropped: 70, buffered: 50 });
    await changed.until(() => retries.length >= 2 && errors.length >= 1);
    // Still down: after the next failed attempt the retried batch is back in the buffer, which
    // stays bounded (the batch in flight is held on top of it meanwhile).
    for (let i = 120; i < 130; i++) session.custom(`o${i}`);
    const seen = retries.length;
    await changed.until(() => retries.length > seen);
    expect(tracker.stats).toMatchObject({ buffered: 50, inFlight: 0, dropped: 80 });

    const server = await processes.start(env, { port });
    expect(await tracker.flush()).toBe(true);
    const stored = await storedTimeline(server.url, read, session.key);
    expect(stored.events.map((e) => e.name)).toEqual(Array.from({ length: 50 }, (_, i) => `o${i + 80}`));
    expect(errors.every((e) => e.code === 'EVENTS_DROPPED')).toBe(true);
    expect(errors.reduce((sum, e) => sum + e.count, 0)).toBe(80);
    expect(tracker.stats).toMatchObject({ tracked: 130, sent: 50, dropped: 80 });
  });
});
