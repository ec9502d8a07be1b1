/**
 * Live fan-out across instances through Redis (REDIS_URL): two servers on one database, writes
 * on one, watchers on the other. Watchers also re-read every 5 s on their own, so each check of
 * the fan-out is a ping-pong that must be answered well within that: a fan-out that does not
 * work shows as slow, not as merely late.
 *
 * The Redis-drop test kills and restarts a private redis-server child, never the shared one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { LiveRedisTimelineSubscription } from './generated/graphql.js';
import { testDatabaseUrl } from './helpers/database.js';
import { execute, request } from './helpers/execute.js';
import { event, uniqueKey, type EventInputJson } from './helpers/factories.js';
import { connectLive, disposeAllSockets, random, subscribe, writeUntilHeard, type LiveSubscription } from './helpers/live.js';
import { startRedisServer, type RedisServer } from './helpers/redis-server.js';
import { startServer, type TestServer } from './helpers/server.js';

const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';
/** Well under the watchers' own 5 s re-read: an answer this fast came through the fan-out. */
const PROMPT_MS = 1_500;

const LiveRedisIngest = graphql(`
  mutation LiveRedisIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) {
      accepted
      duplicates
      rejected { index code message }
    }
  }
`);

const LiveRedisEndSession = graphql(`
  mutation LiveRedisEndSession($input: EndSessionInput!) {
    endSession(input: $input) { key status }
  }
`);

const LiveRedisSession = graphql(`
  query LiveRedisSession($key: String!) {
    session(key: $key) { timelineCursor }
  }
`);

const LiveRedisTimeline = graphql(`
  subscription LiveRedisTimeline($key: String!, $after: String) {
    sessionTimeline(key: $key, after: $after) {
      __typename
      ... on EventAppended {
        cursor
        event { key }
      }
    }
  }
`);

const LiveRedisFeed = graphql(`
  subscription LiveRedisFeed($filter: SessionFilter) {
    sessionsFeed(filter: $filter) {
      session { key status eventCount }
    }
  }
`);

type Update = LiveRedisTimelineSubscription['sessionTimeline'];
type Appended = Extract<Update, { __typename: 'EventAppended' }>;
const isAppended = (u: Update): u is Appended => u.__typename === 'EventAppended';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function ingest(server: TestServer, key: string, events: EventInputJson[], sessions?: unknown[]): Promise<void> {
  const { ingestBatch } = await execute(server.url, LiveRedisIngest, { input: { events, sessions } as never }, { key });
  expect(ingestBatch).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
}

async function cursorOf(server: TestServer, key: string, sessionKey: string): Promise<string> {
  const { session } = await execute(server.url, LiveRedisSession, { key: sessionKey }, { key });
  if (!session) throw new Error(`no session ${sessionKey}`);
  return session.timelineCursor;
}

/** Timeline events (SessionChanged skipped) until the one with `key`; returns them. */
async function eventsUntil(sub: LiveSubscription<LiveRedisTimelineSubscription>, key: string, timeoutMs?: number): Promise<Appended[]> {
  const updates = await sub.until((d) => isAppended(d.sessionTimeline) && d.sessionTimeline.event.key === key, timeoutMs);
  return updates.map((d) => d.sessionTimeline).filter(isAppended);
}

/**
 * Writes one event on `writer` and waits for `sub` to deliver it: the events delivered on the way
 * (the one written last) and whether it came within PROMPT_MS.
 */
async function pingPong(writer: TestServer, ingestKey: string, sessionKey: string, sub: LiveSubscription<LiveRedisTimelineSubscription>, id: string) {
  const started = performance.now();
  await ingest(writer, ingestKey, [event(sessionKey, { id })]);
  const delivered = await eventsUntil(sub, id);
  return { delivered, ms: performance.now() - started };
}

describe('live fan-out through Redis between two instances', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    // One database for both: the same SQLite file, or the run's PostgreSQL database.
    const env = { DATABASE_URL: testDatabaseUrl(), REDIS_URL: SHARED_REDIS_URL };
    a = await startServer(env);
    b = await startServer(env);
  });
  afterEach(() => disposeAllSockets());
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a watcher on B receives what is ingested on A promptly, in order, with no gap and no duplicate', async () => {
    const seed = Number(process.env.LIVE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const where = `(seed ${seed})`;
    const project = await a.newProject();
    const key = uniqueKey('fan-out');
    await ingest(a, project.ingest, [event(key, { id: 'start' })]);
    const start = await cursorOf(a, project.read, key);
    const socket = connectLive(b.url, project.read);
    const sub = subscribe(socket, LiveRedisTimeline, { key, after: start });

    // Ping-pong: each write on A must reach B's watcher well before its own 5 s re-read would.
    const slow: number[] = [];
    const pings: string[] = [];
    for (const i of range(10)) {
      const { delivered, ms } = await pingPong(a, project.ingest, key, sub, `ping-${i}`);
      pings.push(...delivered.map((u) => u.event.key));
      if (ms > PROMPT_MS) slow.push(Math.round(ms));
    }
    expect(pings).toEqual(range(10).map((i) => `ping-${i}`));
    expect(slow, 'round trips A -> Redis -> B slower than the fan-out should be').toEqual([]);

    // Then three writers on A at once.
    const batches: string[][][] = [[], [], []];
    const writing = Promise.all(
      range(3).map(async (w) => {
        const sizes = random(seed + w);
        for (let n = 0; n < 300; ) {
          const ids = range(Math.min(300 - n, 1 + Math.floor(sizes() * 40))).map((i) => `w${w}-${n + i}`);
          n += ids.length;
          batches[w]!.push(ids);
          await ingest(a, project.ingest, ids.map((id) => event(key, { id })));
        }
      }),
    ).then(() => ingest(a, project.ingest, [event(key, { id: 'end' })]));
    const [, live] = await Promise.all([writing, eventsUntil(sub, 'end')]);

    const keys = live.map((u) => u.event.key);
    expect(new Set(keys).size, `duplicates ${where}`).toBe(keys.length);
    expect([...keys].sort(), where).toEqual([...batches.flat(2), 'end'].sort());
    // The same order and cursors as a replay from either instance.
    for (const server of [a, b]) {
      const replaySocket = connectLive(server.url, project.read);
      const replay = await eventsUntil(subscribe(replaySocket, LiveRedisTimeline, { key, after: start }), 'end');
      expect(replay.slice(10).map((u) => [u.event.key, u.cursor]), `replay on ${server === a ? 'A' : 'B'} ${where}`).toEqual(
        live.map((u) => [u.event.key, u.cursor]),
      );
    }
    for (const writerBatches of batches) {
      for (const batch of writerBatches) {
        const first = keys.indexOf(batch[0]!);
        expect(batch.map((id) => keys.indexOf(id)), `batch ${batch[0]}.. whole and in order ${where}`).toEqual(batch.map((_, i) => first + i));
      }
    }
  });

  it('resumes on B with a cursor read from A, then stays live', async () => {
    const project = await a.newProject();
    const key = uniqueKey('resume');
    await ingest(a, project.ingest, range(20).map((i) => event(key, { id: `old-${i}` })));
    const cursor = await cursorOf(a, project.read, key);
    await ingest(a, project.ingest, range(30).map((i) => event(key, { id: `missed-${i}` })));
    const socket = connectLive(b.url, project.read);
    const sub = subscribe(socket, LiveRedisTimeline, { key, after: cursor });
    const replayed = await eventsUntil(sub, 'missed-29');
    expect(replayed.map((u) => u.event.key)).toEqual(range(30).map((i) => `missed-${i}`));
    const { delivered, ms } = await pingPong(a, project.ingest, key, sub, 'live-0');
    expect(delivered.map((u) => u.event.key)).toEqual(['live-0']);
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it("sessionsFeed on B follows sessions written on A", async () => {
    const project = await a.newProject();
    const socket = connectLive(b.url, project.read);
    const sub = subscribe(socket, LiveRedisFeed, { filter: { tagsAny: ['watched'] } });
    // The feed has no periodic re-read: without the fan-out it would never hear A's writes.
    await writeUntilHeard([sub], (i) => ingest(a, project.ingest, [event(`probe-${i}`)], [{ key: `probe-${i}`, tags: ['watched'] }]));
    const key = uniqueKey('feed');
    await ingest(a, project.ingest, range(3).map(() => event(key)), [{ key, tags: ['watched'] }]);
    await ingest(a, project.ingest, [event(uniqueKey('unwatched'))]);
    await execute(a.url, LiveRedisEndSession, { input: { key, status: 'SUCCEEDED' } }, { key: project.ingest });
    const delivered = await sub.until((d) => d.sessionsFeed.session.key === key && d.sessionsFeed.session.status === 'SUCCEEDED');
    const sessions = delivered.map((d) => d.sessionsFeed.session).filter((s) => !s.key.startsWith('probe-'));
    expect(sessions.every((s) => s.key === key)).toBe(true);
    expect(sessions.at(-1)).toEqual({ key, status: 'SUCCEEDED', eventCount: 3 });
  });
});

describe('losing Redis', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { DATABASE_URL: testDatabaseUrl(), REDIS_URL: redis.url };
    a = await startServer(env);
    b = await startServer(env);
  });
  afterEach(() => disposeAllSockets());
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('ingest goes on, watchers of other instances are told, and after Redis returns they resume with nothing lost', async () => {
    const project = await a.newProject();
    const key = uniqueKey('redis-drop');
    await ingest(a, project.ingest, [event(key, { id: 'start' })]);
    const start = await cursorOf(a, project.read, key);
    const socket = connectLive(b.url, project.read);
    const sub = subscribe(socket, LiveRedisTimeline, { key, after: start });
    let last = '';
    for (const i of range(3)) {
      const { delivered, ms } = await pingPong(a, project.ingest, key, sub, `before-${i}`);
      expect(delivered.map((u) => u.event.key)).toEqual([`before-${i}`]);
      expect(ms).toBeLessThan(PROMPT_MS);
      last = delivered.at(-1)!.cursor;
    }

    await redis.kill();
    // B's watcher depends on Redis for A's writes: it is told, rather than left waiting.
    const codes = await sub.errorCodes(10_000);
    expect(codes).toHaveLength(1);
    expect(['INTERNAL_SERVER_ERROR', 'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED']).toContain(codes[0]);

    // Ingest needs no Redis: answered at once, and committed.
    const started = performance.now();
    const during = range(25).map((i) => `during-${i}`);
    const response = await request(a.url, LiveRedisIngest, { input: { events: during.map((id) => event(key, { id })) as never } }, { key: project.ingest });
    expect(response.status).toBe(200);
    expect(response.data?.ingestBatch).toEqual({ accepted: 25, duplicates: 0, rejected: [] });
    expect(performance.now() - started).toBeLessThan(3_000);

    await redis.restart();
    // Resuming from the last cursor replays from the database what was missed.
    const resumed = subscribe(socket, LiveRedisTimeline, { key, after: last });
    expect((await eventsUntil(resumed, 'during-24')).map((u) => u.event.key)).toEqual(during);

    // Then A's writes reach B live again once both have reconnected to Redis: polled, with a
    // deadline, until three round trips in a row are prompt.
    const deadline = Date.now() + 20_000;
    let prompt = 0;
    const after: string[] = [];
    for (let i = 0; prompt < 3; i++) {
      if (Date.now() > deadline) throw new Error(`fan-out did not recover within 20 s after Redis restarted (pings: ${after.join(', ')})`);
      const { delivered, ms } = await pingPong(a, project.ingest, key, resumed, `after-${i}`);
      after.push(...delivered.map((u) => u.event.key));
      prompt = ms < PROMPT_MS ? prompt + 1 : 0;
    }
    expect(after).toEqual(range(after.length).map((i) => `after-${i}`));
  }, 45_000);
});
