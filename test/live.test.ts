/**
 * Live subscriptions (sessionTimeline, sessionsFeed) over real WebSockets against a real server:
 * replay from a cursor then live with no gap and no duplicate under concurrent writers and random
 * disconnects, filters and coalescing of the session feed, authentication and project isolation,
 * revocation of open subscriptions, slow consumers, and the idle sweeper.
 *
 * graphql-ws acknowledges no subscribe, so a test that needs a subscription to be live either
 * subscribes with `after` (the replay makes setup timing irrelevant) or writes until it hears
 * something (writeUntilHeard); nothing waits on a timer.
 */
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it as base } from 'vitest';
import { graphql } from './generated/gql.js';
import type { LiveFeedSubscription, LiveTimelineLargeSubscription, LiveTimelineSubscription, SessionFilter } from './generated/graphql.js';
import { execute } from './helpers/execute.js';
import { event, llmCall, uniqueKey, type EventInputJson } from './helpers/factories.js';
import { deferred, LiveSockets, openRawSocket, random, subscribe, writeUntilHeard, type LiveSubscription } from './helpers/live.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

/** Each test's sockets, closed when it ends (the tests of a describe run concurrently). */
const it = base.extend<{ live: LiveSockets }>({
  // eslint-disable-next-line no-empty-pattern
  live: async ({}, use) => {
    const sockets = new LiveSockets();
    await use(sockets);
    await sockets.disposeAll();
  },
});

const LiveIngest = graphql(`
  mutation LiveIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) {
      accepted
      duplicates
      rejected { index code message }
    }
  }
`);

const LiveEndSession = graphql(`
  mutation LiveEndSession($input: EndSessionInput!) {
    endSession(input: $input) { key status }
  }
`);

const LiveSession = graphql(`
  query LiveSession($key: String!) {
    session(key: $key) { id key status eventCount timelineCursor lastEventAt endedAt }
  }
`);

const LiveTimeline = graphql(`
  subscription LiveTimeline($id: ID, $key: String, $after: String) {
    sessionTimeline(id: $id, key: $key, after: $after) {
      __typename
      ... on EventAppended {
        cursor
        event { key }
      }
      ... on SessionChanged {
        session { key status eventCount errorCount promptTokens completionTokens costUsd endedAt }
      }
    }
  }
`);

const LiveTimelineLarge = graphql(`
  subscription LiveTimelineLarge($key: String!, $after: String) {
    sessionTimeline(key: $key, after: $after) {
      __typename
      ... on EventAppended {
        cursor
        event { key input }
      }
    }
  }
`);

const LiveFeed = graphql(`
  subscription LiveFeed($filter: SessionFilter) {
    sessionsFeed(filter: $filter) {
      session { key status tags metadata agent { name } eventCount errorCount promptTokens }
    }
  }
`);

const LiveApiKeys = graphql(`
  query LiveApiKeys {
    apiKeys { id role revokedAt }
  }
`);

const LiveRevokeApiKey = graphql(`
  mutation LiveRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

type TimelineUpdate = LiveTimelineSubscription['sessionTimeline'];
type Appended = Extract<TimelineUpdate, { __typename: 'EventAppended' }>;
type Changed = Extract<TimelineUpdate, { __typename: 'SessionChanged' }>;
type FeedSession = LiveFeedSubscription['sessionsFeed']['session'];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const isAppended = (update: TimelineUpdate): update is Appended => update.__typename === 'EventAppended';
const isEvent = (update: TimelineUpdate, key: string): update is Appended => isAppended(update) && update.event.key === key;
const isChange = (update: TimelineUpdate): update is Changed => update.__typename === 'SessionChanged';
const timeline = (sub: LiveSubscription<LiveTimelineSubscription>) => ({
  next: async () => (await sub.next()).sessionTimeline,
  until: async (done: (update: TimelineUpdate) => boolean) => (await sub.until((data) => done(data.sessionTimeline))).map((d) => d.sessionTimeline),
});

async function ingest(server: TestServer, key: string, events: EventInputJson[], sessions?: unknown[]): Promise<void> {
  const { ingestBatch } = await execute(server.url, LiveIngest, { input: { events, sessions } as never }, { key });
  expect(ingestBatch).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
}

async function readSession(server: TestServer, key: string, sessionKey: string) {
  const { session } = await execute(server.url, LiveSession, { key: sessionKey }, { key });
  if (!session) throw new Error(`no session ${sessionKey}`);
  return session;
}

/** The first position where two sequences differ, or null: a readable failure for thousands of items. */
function firstDifference(actual: string[], expected: string[]): string | null {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    if (actual[i] !== expected[i]) {
      return `at ${i} of ${actual.length} (expected ${expected.length}): got ${actual.slice(Math.max(0, i - 2), i + 3).join(', ')}; expected ${expected.slice(Math.max(0, i - 2), i + 3).join(', ')}`;
    }
  }
  return null;
}

describe.concurrent('live subscriptions', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Large enough for the slow-consumer test's 200 KB events.
    server = await startServer({ SIGHTLINE_MAX_EVENT_BYTES: String(1024 * 1024) });
  });
  afterAll(() => server?.stop());

  it('replays from a timelineCursor, then goes live: 3,000 events from concurrent writers, random disconnects, each event exactly once in ingest order', async ({ live }) => {
    const seed = Number(process.env.LIVE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const where = `(seed ${seed}; rerun with LIVE_SEED=${seed})`;
    const project = await server.newProject();
    const key = uniqueKey('replay');
    await ingest(server, project.ingest, range(40).map((i) => event(key, { id: `before-${i}` })));
    const { timelineCursor: start } = await readSession(server, project.read, key);
    // Ingested after the cursor but before anyone subscribes: only the replay can deliver these.
    const between = range(60).map((i) => `between-${i}`);
    await ingest(server, project.ingest, between.map((id) => event(key, { id })));

    const WRITERS = 3;
    const PER_WRITER = 1000;
    const batches: string[][][] = range(WRITERS).map(() => []);
    const writing = Promise.all(
      range(WRITERS).map(async (w) => {
        const sizes = random(seed + w + 1);
        for (let n = 0; n < PER_WRITER; ) {
          const ids = range(Math.min(PER_WRITER - n, 1 + Math.floor(sizes() * 60))).map((i) => `w${w}-${n + i}`);
          n += ids.length;
          batches[w]!.push(ids);
          await ingest(server, project.ingest, ids.map((id) => event(key, { id })));
        }
      }),
    ).then(() => ingest(server, project.ingest, [event(key, { id: 'end' })])); // last in ingest order

    // The watcher drops its connection at random points and resumes from the last cursor it had.
    const received: { key: string; cursor: string }[] = [];
    let disconnects = 0;
    const schedule = random(seed);
    const watching = (async () => {
      let after = start;
      for (;;) {
        const socket = live.connect(server.url, project.read);
        const updates = timeline(subscribe(socket, LiveTimeline, { key, after }));
        // Now and then a subscription that is dropped before it delivers anything.
        const budget = schedule() < 0.1 ? 0 : 1 + Math.floor(schedule() * 400);
        let finished = false;
        for (let taken = 0; taken < budget; ) {
          const update = await updates.next();
          if (isAppended(update)) {
            received.push({ key: update.event.key, cursor: update.cursor });
            after = update.cursor;
            taken++;
            if (update.event.key === 'end') {
              finished = true;
              break;
            }
          } else if (isChange(update)) {
            // A SessionChanged never reports fewer events than were already delivered.
            expect(update.session.eventCount, where).toBeGreaterThanOrEqual(40 + received.length);
          }
        }
        await socket.dispose();
        if (finished) return;
        disconnects++;
      }
    })();
    await Promise.all([writing, watching]);

    // The reference order: a replay of the whole range after everything was committed.
    const socket = live.connect(server.url, project.read);
    const reference = (await timeline(subscribe(socket, LiveTimeline, { key, after: start })).until((u) => isEvent(u, 'end'))).filter(isAppended);

    const keys = received.map((r) => r.key);
    const expected = [...between, ...batches.flat(2), 'end'];
    expect(new Set(keys).size, `duplicates ${where}`).toBe(keys.length);
    expect(keys.length, where).toBe(expected.length);
    expect([...keys].sort(), where).toEqual([...expected].sort());
    expect(firstDifference(keys, reference.map((r) => r.event.key)), `live order vs replay order ${where}`).toBeNull();
    expect(firstDifference(received.map((r) => r.cursor), reference.map((r) => r.cursor)), `cursors ${where}`).toBeNull();
    expect(new Set(received.map((r) => r.cursor)).size).toBe(received.length);
    // Ingest order as the writers made it: what came before the watchers first, each batch whole
    // and in its own order, each writer's batches in the order it sent them, the end last.
    expect(keys.slice(0, between.length), where).toEqual(between);
    expect(keys.at(-1)).toBe('end');
    const position = new Map(keys.map((k, i) => [k, i]));
    for (const writerBatches of batches) {
      let previousEnd = -1;
      for (const batch of writerBatches) {
        const first = position.get(batch[0]!)!;
        expect(batch.map((id) => position.get(id)), `batch ${batch[0]}.. contiguous ${where}`).toEqual(batch.map((_, i) => first + i));
        expect(first, `writer order ${where}`).toBeGreaterThan(previousEnd);
        previousEnd = first + batch.length - 1;
      }
    }
    expect(disconnects, where).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('without `after`, delivers only what is ingested after subscribing', async ({ live }) => {
    const project = await server.newProject();
    const key = uniqueKey('from-now');
    await ingest(server, project.ingest, range(10).map((i) => event(key, { id: `old-${i}` })));
    const socket = live.connect(server.url, project.read);
    const sub = subscribe(socket, LiveTimeline, { key });
    const probes = await writeUntilHeard([sub], (i) => ingest(server, project.ingest, [event(key, { id: `probe-${i}` })]));
    const after = range(20).map((i) => `new-${i}`);
    await ingest(server, project.ingest, after.map((id) => event(key, { id })));

    const keys = (await timeline(sub).until((u) => isEvent(u, 'new-19'))).filter(isAppended).map((u) => u.event.key);
    // Every probe from the first one heard, then the batch: nothing old, no gap, no duplicate.
    const firstHeard = Number(keys[0]!.replace('probe-', ''));
    expect(keys[0]).toMatch(/^probe-\d+$/);
    expect(keys).toEqual([...range(probes).slice(firstHeard).map((i) => `probe-${i}`), ...after]);
  });

  it('a key naming a session that does not exist yet delivers its events once it is created', async ({ live }) => {
    const project = await server.newProject();
    const key = uniqueKey('not-yet');
    expect((await execute(server.url, LiveSession, { key }, { key: project.read })).session).toBeNull();
    const socket = live.connect(server.url, project.read);
    const sub = subscribe(socket, LiveTimeline, { key });
    const probes = await writeUntilHeard([sub], (i) => ingest(server, project.ingest, [event(key, { id: `probe-${i}` })]));
    await ingest(server, project.ingest, range(5).map((i) => event(key, { id: `e-${i}` })));
    const keys = (await timeline(sub).until((u) => isEvent(u, 'e-4'))).filter(isAppended).map((u) => u.event.key);
    const firstHeard = Number(keys[0]!.replace('probe-', ''));
    expect(keys).toEqual([...range(probes).slice(firstHeard).map((i) => `probe-${i}`), 'e-0', 'e-1', 'e-2', 'e-3', 'e-4']);
  });

  it('SessionChanged follows counter changes and endSession', async ({ live }) => {
    const project = await server.newProject();
    const key = uniqueKey('changes');
    await ingest(server, project.ingest, [event(key, { id: 'e1' })]);
    const { timelineCursor } = await readSession(server, project.read, key);
    const socket = live.connect(server.url, project.read);
    const updates = timeline(subscribe(socket, LiveTimeline, { key, after: timelineCursor }));
    await ingest(server, project.ingest, [llmCall(key, { id: 'e2', promptTokens: 100, completionTokens: 20, costUsd: 0.5 })]);
    // Delivered through the replay or live, e2 shows the watcher is running from here on.
    await updates.until((u) => isEvent(u, 'e2'));

    await ingest(server, project.ingest, [event(key, { id: 'e3', type: 'ERROR', errorMessage: 'tool crashed' })]);
    let sawE3 = false;
    let counted: Changed['session'] | undefined;
    await updates.until((u) => {
      if (isAppended(u)) {
        expect(u.event.key).toBe('e3');
        sawE3 = true;
      } else if (isChange(u) && u.session.eventCount === 3) {
        counted = u.session;
      }
      return sawE3 && counted !== undefined;
    });
    expect(counted).toEqual({
      key,
      status: 'RUNNING',
      eventCount: 3,
      errorCount: 1,
      promptTokens: 100,
      completionTokens: 20,
      costUsd: 0.5,
      endedAt: null,
    });

    await execute(server.url, LiveEndSession, { input: { key, status: 'SUCCEEDED' } }, { key: project.ingest });
    const ended = await updates.until((u) => isChange(u) && u.session.status === 'SUCCEEDED');
    expect(ended.filter(isAppended)).toEqual([]);
    const last = (ended.at(-1) as Changed).session;
    expect(last).toMatchObject({ key, status: 'SUCCEEDED', eventCount: 3, errorCount: 1 });
    expect(last.endedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('resuming with `after` tells the session as it is now when it ended while the client was away', async ({ live }) => {
    // The contract ties SessionChanged to status changes; a client that resumes after a drop has
    // no other way to learn that its session ended meanwhile (no event follows an end).
    const project = await server.newProject();
    const key = uniqueKey('ended-away');
    await ingest(server, project.ingest, [event(key, { id: 'e0' })]);
    const { timelineCursor } = await readSession(server, project.read, key);
    await execute(server.url, LiveEndSession, { input: { key, status: 'SUCCEEDED' } }, { key: project.ingest });
    const socket = live.connect(server.url, project.read);
    const sub = subscribe(socket, LiveTimeline, { key, after: timelineCursor });
    const update = (await sub.next(3_000)).sessionTimeline;
    expect(update).toMatchObject({ __typename: 'SessionChanged', session: { key, status: 'SUCCEEDED', eventCount: 1 } });
  });

  it('sessionsFeed honours status, tagsAny, metadata, agentNames, hasErrors and model on live changes', async ({ live }) => {
    const project = await server.newProject();
    const filters: { name: string; filter: SessionFilter; matches: (s: FeedSession) => boolean; expected: string[] }[] = [
      { name: 'status', filter: { status: ['SUCCEEDED'] }, matches: (s) => s.status === 'SUCCEEDED', expected: ['a', 's'] },
      { name: 'tagsAny', filter: { tagsAny: ['vip', 'nobody-has-this'] }, matches: (s) => s.tags.includes('vip'), expected: ['a', 's'] },
      {
        name: 'metadata',
        filter: { metadata: [{ key: 'tier', equals: 'gold' }] },
        matches: (s) => (s.metadata as { tier?: string } | null)?.tier === 'gold',
        expected: ['a', 's'],
      },
      { name: 'agentNames', filter: { agentNames: ['alpha'] }, matches: (s) => s.agent?.name === 'alpha', expected: ['a', 's'] },
      { name: 'hasErrors', filter: { hasErrors: true }, matches: (s) => s.errorCount > 0, expected: ['a', 'c', 's'] },
      // No Session field shows models: the expected keys check this one.
      { name: 'model', filter: { model: 'gpt-4o' }, matches: () => true, expected: ['a', 's'] },
    ];
    const socket = live.connect(server.url, project.read);
    const subs = filters.map(({ filter }) => subscribe(socket, LiveFeed, { filter }));
    const sessionKey = (name: string) => `${name}-${project.id}`;
    const matchingEverything = async (name: string) => {
      await ingest(
        server,
        project.ingest,
        [llmCall(sessionKey(name), { model: 'gpt-4o' }), event(sessionKey(name), { type: 'ERROR', errorMessage: 'failed' })],
        [{ key: sessionKey(name), tags: ['vip'], metadata: { tier: 'gold' }, agentName: 'alpha' }],
      );
      await execute(server.url, LiveEndSession, { input: { key: sessionKey(name), status: 'SUCCEEDED' } }, { key: project.ingest });
    };
    // Probes match every filter, so each feed hears one once it is live.
    await writeUntilHeard(subs, (i) => matchingEverything(`probe${i}`));

    // a matches every filter (once ended, the status one); b none; c only hasErrors, once it errs.
    await ingest(
      server,
      project.ingest,
      [llmCall(sessionKey('a'), { model: 'gpt-4o' }), event(sessionKey('a'), { type: 'ERROR', errorMessage: 'failed' })],
      [{ key: sessionKey('a'), tags: ['vip'], metadata: { tier: 'gold' }, agentName: 'alpha' }],
    );
    await ingest(
      server,
      project.ingest,
      [llmCall(sessionKey('b'), { model: 'claude-3-5-sonnet' }), event(sessionKey('b'))],
      [{ key: sessionKey('b'), tags: ['free'], metadata: { tier: 'silver' }, agentName: 'beta' }],
    );
    await ingest(server, project.ingest, [event(sessionKey('c'))], [{ key: sessionKey('c'), tags: ['free'], agentName: 'beta' }]);
    await ingest(server, project.ingest, [event(sessionKey('c'), { type: 'ERROR', errorMessage: 'timeout' })]);
    await execute(server.url, LiveEndSession, { input: { key: sessionKey('a'), status: 'SUCCEEDED' } }, { key: project.ingest });
    await execute(server.url, LiveEndSession, { input: { key: sessionKey('b'), status: 'FAILED' } }, { key: project.ingest });
    // The sentinel is written last and has the highest id, so each feed delivers it after the rest.
    await matchingEverything('s');

    for (const [i, { name, matches, expected }] of filters.entries()) {
      const delivered = (await subs[i]!.until((d) => d.sessionsFeed.session.key === sessionKey('s') && d.sessionsFeed.session.status === 'SUCCEEDED')).map(
        (d) => d.sessionsFeed.session,
      );
      const unmatched = delivered.filter((s) => !matches(s));
      expect(unmatched, `${name}: sessions delivered that do not match`).toEqual([]);
      const keys = new Set(delivered.map((s) => s.key).filter((k) => !k.startsWith('probe')));
      expect([...keys].sort(), name).toEqual(expected.map(sessionKey).sort());
    }
    // c reached the hasErrors feed only once it had its error, and every time with it.
    const hasErrors = subs[4]!.messages.history.flatMap((m) => (m.type === 'next' ? [m.payload.data!.sessionsFeed.session] : []));
    const c = hasErrors.filter((s) => s.key === sessionKey('c')).map((s) => [s.errorCount, s.eventCount]);
    expect(c.length).toBeGreaterThan(0);
    expect(c).toEqual(c.map(() => [1, 2]));
  });

  it('sessionsFeed coalesces a hot session to a few updates a second, the last with the final counters', async ({ live }) => {
    const project = await server.newProject();
    const hot = uniqueKey('hot');
    const socket = live.connect(server.url, project.read);
    const sub = subscribe(socket, LiveFeed, { filter: { tagsAny: ['hot'] } });
    // The hot session's own writes are the probes: they go on until the feed has heard one.
    const writes = 200;
    let written = 0;
    const write = async () => {
      const n = ++written;
      await ingest(server, project.ingest, [llmCall(hot, { id: `hot-${n}`, promptTokens: 10 })], [{ key: hot, tags: ['hot'] }]);
    };
    const started = performance.now();
    await writeUntilHeard([sub], write);
    // The rest four at a time, as fast as the server takes them.
    await Promise.all([0, 1, 2, 3].map(async () => {
      while (written < writes) await write();
    }));
    const delivered = (await sub.until((d) => d.sessionsFeed.session.eventCount === writes)).map((d) => d.sessionsFeed.session);
    const elapsedS = (performance.now() - started) / 1000;
    expect(delivered.every((s) => s.key === hot)).toBe(true);
    // One re-read per 250 ms window at most, plus the first: the feed never mirrors every write.
    expect(delivered.length, `${delivered.length} updates in ${elapsedS.toFixed(2)} s`).toBeLessThanOrEqual(Math.ceil(elapsedS * 4) + 2);
    expect(delivered.length).toBeGreaterThanOrEqual(2);
    const counts = delivered.map((s) => s.eventCount);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(delivered.at(-1)).toMatchObject({ key: hot, status: 'RUNNING', eventCount: 200, errorCount: 0, promptTokens: 2000 });
  });

  describe('authentication and isolation', () => {
    it('closes the socket with 4403 without a key or with a bad one', async ({ live }) => {
      const none = live.connect(server.url);
      const bad = live.connect(server.url, 'sl_not-a-key-that-was-ever-issued-000000');
      expect((await none.closed).code).toBe(4403);
      expect((await bad.closed).code).toBe(4403);
    });

    it('refuses subscriptions to an INGEST key with FORBIDDEN', async ({ live }) => {
      const project = await server.newProject();
      const socket = live.connect(server.url, project.ingest);
      await socket.acknowledged;
      expect(await subscribe(socket, LiveTimeline, { key: uniqueKey() }).errorCodes()).toEqual(['FORBIDDEN']);
      expect(await subscribe(socket, LiveFeed, {}).errorCodes()).toEqual(['FORBIDDEN']);
    });

    it("a READ key of another project sees nothing of a session's ingests, by key or by id", async ({ live }) => {
      const a = await server.newProject();
      const b = await server.newProject();
      const key = uniqueKey('shared-name');
      await ingest(server, a.ingest, [event(key, { id: 'a-0' })]);
      const { id: aId, timelineCursor: aCursor } = await readSession(server, a.read, key);

      const socket = live.connect(server.url, b.read);
      const sub = subscribe(socket, LiveTimeline, { key });
      // Project B's own session of that key shows B's watcher is live.
      await writeUntilHeard([sub], (i) => ingest(server, b.ingest, [event(key, { id: `b-probe-${i}` })]));
      await ingest(server, a.ingest, range(10).map((i) => event(key, { id: `a-${i + 1}` })));
      await ingest(server, b.ingest, [event(key, { id: 'b-last' })]);
      const keys = (await timeline(sub).until((u) => isEvent(u, 'b-last'))).filter(isAppended).map((u) => u.event.key);
      expect(keys.filter((k) => !k.startsWith('b-'))).toEqual([]);

      expect(await subscribe(socket, LiveTimeline, { id: aId }).errorCodes()).toEqual(['NOT_FOUND']);
      expect(await subscribe(socket, LiveTimeline, { key, after: aCursor }).errorCodes()).toEqual(['BAD_USER_INPUT']);
    });

    it('revoking a READ key ends its open subscription with UNAUTHENTICATED', async ({ live }) => {
      const project = await server.newProject();
      const key = uniqueKey('revoked');
      await ingest(server, project.ingest, [event(key, { id: 'e0' })]);
      const { timelineCursor } = await readSession(server, project.read, key);
      const socket = live.connect(server.url, project.read);
      const sub = subscribe(socket, LiveTimeline, { key, after: timelineCursor });
      await ingest(server, project.ingest, [event(key, { id: 'e1' })]);
      await timeline(sub).until((u) => isEvent(u, 'e1'));

      const { apiKeys } = await execute(server.url, LiveApiKeys, {}, { key: project.admin });
      const readKey = apiKeys.filter((k) => k.role === 'READ');
      expect(readKey).toHaveLength(1);
      await execute(server.url, LiveRevokeApiKey, { id: readKey[0]!.id }, { key: project.admin });
      expect(await sub.errorCodes()).toEqual(['UNAUTHENTICATED']);
      // From then on, on this socket and on new ones.
      expect(await subscribe(socket, LiveTimeline, { key }).errorCodes()).toEqual(['UNAUTHENTICATED']);
      expect((await live.connect(server.url, project.read).closed).code).toBe(4403);
    });
  });

});

describe('slow consumers', () => {
  const SLOW_CONSUMER_MS = 500;
  let server: TestServer;
  beforeAll(async () => {
    // Large events for this test; a short slow-consumer limit so it need not wait 10 s.
    server = await startServer({ SIGHTLINE_MAX_EVENT_BYTES: String(1024 * 1024), SIGHTLINE_WS_SLOW_CONSUMER_MS: String(SLOW_CONSUMER_MS) });
  });
  afterAll(() => server?.stop());

  it('closes a consumer that stops reading with 4008; it resumes from its last cursor and misses nothing', async ({ live }) => {
    const project = await server.newProject();
    const key = uniqueKey('slow');
    await ingest(server, project.ingest, [event(key, { id: 'first' })]);
    const { timelineCursor } = await readSession(server, project.read, key);
    const raw = await openRawSocket(server.url, project.read);
    try {
      raw.send({ id: '1', type: 'subscribe', payload: { query: print(LiveTimelineLarge), variables: { key, after: timelineCursor } } });
      raw.pause();

      // 200 KB events, far more than the kernel buffers and the server's 4 MiB hold together.
      const blob = 'x'.repeat(200 * 1024);
      const total = 100;
      for (let n = 0; n < total; n += 5) {
        await ingest(server, project.ingest, range(5).map((i) => event(key, { id: `big-${n + i}`, input: { blob, n: n + i } })));
      }
      // Time is the input here: the server closes a socket whose oldest send has waited longer than
      // SLOW_CONSUMER_MS, and a paused client cannot see that close until it reads again.
      await new Promise((resolve) => setTimeout(resolve, SLOW_CONSUMER_MS * 3));
      raw.resume();
      type Frame = { type: string; payload?: unknown };
      const appended = (frame: Frame) => {
        const update = (frame.payload as { data?: LiveTimelineLargeSubscription } | undefined)?.data?.sessionTimeline;
        return update?.__typename === 'EventAppended' ? update : null;
      };
      const last = `big-${total - 1}`;
      const outcome = await Promise.race([
        raw.closed,
        raw.messages.seen((frame) => appended(frame)?.event.key === last).then(() => 'every event was delivered' as const),
        new Promise<string>((resolve) => setTimeout(() => resolve('neither closed nor delivered everything in 15 s'), 15_000)),
      ]);
      expect(raw.messages.history.filter((frame) => frame.type !== 'next' && frame.type !== 'connection_ack'), 'frames other than next').toEqual([]);
      const delivered = raw.messages.history.flatMap((frame) => appended(frame) ?? []);
      const keys = delivered.map((u) => u.event.key);
      expect(outcome, `after ${keys.length} of ${total} events`).toEqual({ code: 4008, reason: expect.any(String) });

      // Resume as the close reason says, from the last cursor, again if need be.
      let after = delivered.at(-1)?.cursor ?? timelineCursor;
      for (let attempt = 1; keys.at(-1) !== last; attempt++) {
        expect(attempt, `resumed ${attempt - 1} times without getting everything`).toBeLessThanOrEqual(10);
        const socket = live.connect(server.url, project.read);
        const sub = subscribe(socket, LiveTimelineLarge, { key, after });
        for (;;) {
          const message = await sub.take();
          if (message.type === 'error' && message.closed?.code === 4008) break;
          expect(message.type, JSON.stringify(message).slice(0, 500)).toBe('next');
          const update = message.type === 'next' ? message.payload.data?.sessionTimeline : undefined;
          if (update?.__typename !== 'EventAppended') continue;
          keys.push(update.event.key);
          after = update.cursor;
          if (update.event.key === last) break;
        }
        await socket.dispose();
      }
      expect(keys).toEqual(range(total).map((i) => `big-${i}`));
    } finally {
      raw.ws.terminate();
    }
  }, 30_000);
});

const LiveTimelineWithChildren = graphql(`
  subscription LiveTimelineWithChildren($key: String!, $after: String) {
    sessionTimeline(key: $key, after: $after) {
      __typename
      ... on EventAppended {
        cursor
        event { key children { key } }
      }
      ... on SessionChanged {
        session { key eventCount }
      }
    }
  }
`);

describe('watchers of one session', () => {
  // Its own server: the test counts the statements the server sends while watchers are woken.
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('a write heard by several watchers is read once and each update executed once, not once per watcher', async ({ live }) => {
    const project = await server.newProject();
    const key = uniqueKey('shared');
    await ingest(server, project.ingest, [event(key, { id: 'first' })]);
    const { timelineCursor } = await readSession(server, project.read, key);
    const WATCHERS = 4;
    const subscriptions = range(WATCHERS).map(() => subscribe(live.connect(server.url, project.read), LiveTimelineWithChildren, { key, after: timelineCursor }));
    // Resuming from a cursor first tells the session as it is: every watcher is live after it.
    for (const subscription of subscriptions) {
      expect((await subscription.next()).sessionTimeline).toMatchObject({ __typename: 'SessionChanged', session: { eventCount: 1 } });
    }

    // Every statement on the events table while the watchers take one write of 5 events.
    const adapter = server.app.services.db.adapter;
    const queryRaw = adapter.queryRaw;
    const eventStatements: string[] = [];
    adapter.queryRaw = function (query) {
      if (/\bevents\b/i.test(query.sql) && !/insert/i.test(query.sql)) eventStatements.push(query.sql);
      return queryRaw.call(this, query);
    };
    try {
      await ingest(server, project.ingest, range(5).map((i) => event(key, { id: `e${i}`, parentId: 'first' })));
      const heard = await Promise.all(
        subscriptions.map((subscription) => subscription.until((data) => data.sessionTimeline.__typename === 'SessionChanged')),
      );
      for (const updates of heard) {
        expect(updates.map((u) => u.sessionTimeline)).toEqual(heard[0]!.map((u) => u.sessionTimeline));
        expect(updates.filter((u) => u.sessionTimeline.__typename === 'EventAppended')).toHaveLength(5);
      }
    } finally {
      adapter.queryRaw = queryRaw;
    }
    // One read of the new events for all watchers (their ids, then the rows), and one children
    // lookup per event executed: per watcher, it would be 4 reads and 20 lookups.
    expect(eventStatements.length, eventStatements.join('\n')).toBeLessThanOrEqual(2 + 5);
  });
});

describe('many watchers starting together', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('600 watchers on 600 sockets subscribing in the same moment to sessions that do not exist yet each hear theirs', async ({ live }) => {
    // Their first lookups happen in one turn of the event loop: looked up one by one they would
    // be merged by Prisma into a single statement past SQLite's parameter limit.
    const project = await server.newProject();
    const keys = range(600).map((i) => uniqueKey(`crowd-${i}`));
    const subscriptions = keys.map((key) => subscribe(live.connect(server.url, project.read), LiveTimeline, { key }));
    await writeUntilHeard(subscriptions, (attempt) => ingest(server, project.ingest, keys.map((key) => event(key, { id: `${key}-probe-${attempt}` }))));
    await ingest(server, project.ingest, keys.map((key) => event(key, { id: `${key}-last` })));
    await Promise.all(subscriptions.map((subscription, i) => timeline(subscription).until((u) => isEvent(u, `${keys[i]}-last`))));
  });
});

describe('watchers of clients that went away', () => {
  // Its own server: the test wraps the server's bus, which other tests must not go through.
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('ends the server-side watchers of a client that goes away', async ({ live }) => {
    // Invisible to clients, so observed on the server's bus: every subscription a watcher takes
    // there must be given back when its socket closes, or each client that ever disconnected
    // leaves a watcher behind that keeps polling the database.
    const bus = server.app.services.live;
    const original = bus.subscribe;
    const open = new Map<string, number>();
    const allReturned = deferred<void>();
    bus.subscribe = ((topic: string, topicKey: string) => {
      const iterator = original.call(bus, topic as never, topicKey);
      const name = `${topic}:${topicKey}`;
      open.set(name, (open.get(name) ?? 0) + 1);
      const giveBack = iterator.return?.bind(iterator);
      let returned = false;
      iterator.return = (value?: unknown) => {
        if (!returned) {
          returned = true;
          open.set(name, open.get(name)! - 1);
          if ([...open.values()].every((n) => n === 0)) allReturned.resolve();
        }
        return giveBack ? giveBack(value) : Promise.resolve({ done: true, value: undefined });
      };
      return iterator;
    }) as typeof bus.subscribe;
    try {
      const project = await server.newProject();
      const key = uniqueKey('goes-away');
      await ingest(server, project.ingest, [event(key, { id: 'e0' })]);
      const { timelineCursor } = await readSession(server, project.read, key);
      const socket = live.connect(server.url, project.read);
      const timelineSub = subscribe(socket, LiveTimeline, { key, after: timelineCursor });
      const feedSub = subscribe(socket, LiveFeed, {});
      await ingest(server, project.ingest, [event(key, { id: 'e1' })]);
      await timeline(timelineSub).until((u) => isEvent(u, 'e1'));
      await writeUntilHeard([feedSub], (i) => ingest(server, project.ingest, [event(`probe-${i}`)]));
      expect([...open.values()].reduce((a, b) => a + b)).toBeGreaterThanOrEqual(4); // session, project, revoked x2

      await socket.dispose();
      const outcome = await Promise.race([
        allReturned.promise.then(() => 'all returned'),
        new Promise<string>((resolve) => setTimeout(() => resolve(`still open 3 s after the socket closed: ${JSON.stringify(Object.fromEntries(open))}`), 3_000)),
      ]);
      expect(outcome).toBe('all returned');
    } finally {
      bus.subscribe = original;
    }
  });
});

describe.concurrent('idle sweeper', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SIGHTLINE_SESSION_IDLE_TIMEOUT_S: '1' });
  });
  afterAll(() => server?.stop());

  /** Polls the session's status until it is `status` (the sweeper runs on its own clock). */
  async function untilStatus(project: TestProject, key: string, status: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    const seen: string[] = [];
    for (;;) {
      const session = await readSession(server, project.read, key);
      if (seen.at(-1) !== session.status) seen.push(session.status);
      if (session.status === status) return { session, seen, at: Date.now() };
      if (Date.now() > deadline) throw new Error(`session ${key} did not become ${status} in ${timeoutMs} ms (statuses seen: ${seen.join(' -> ')})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('times out an idle RUNNING session, tells its watchers, and new events bring it back to RUNNING', async ({ live }) => {
    const project = await server.newProject();
    const key = uniqueKey('idle');
    await ingest(server, project.ingest, [event(key, { id: 'e0' })]);
    const { timelineCursor } = await readSession(server, project.read, key);
    const socket = live.connect(server.url, project.read);
    await socket.acknowledged;
    // e1 just before subscribing: its replay shows the watcher running while the session still is.
    await ingest(server, project.ingest, [event(key, { id: 'e1' })]);
    const updates = timeline(subscribe(socket, LiveTimeline, { key, after: timelineCursor }));
    await updates.until((u) => isEvent(u, 'e1'));

    const { session } = await untilStatus(project, key, 'TIMED_OUT');
    expect(session.endedAt).toBe(session.lastEventAt);
    const timedOut = await updates.until((u) => isChange(u) && u.session.status === 'TIMED_OUT');
    expect(timedOut.filter(isAppended)).toEqual([]);
    expect((timedOut.at(-1) as Changed).session).toMatchObject({ key, status: 'TIMED_OUT', eventCount: 2 });

    await ingest(server, project.ingest, [event(key, { id: 'e2' })]);
    const revived = await updates.until((u) => isChange(u) && u.session.status === 'RUNNING');
    expect(revived.filter(isAppended).map((u) => u.event.key)).toEqual(['e2']);
    expect((revived.at(-1) as Changed).session).toMatchObject({ key, status: 'RUNNING', eventCount: 3, endedAt: null });
  });

  it('measures idleness from receipt: backfilled events with old timestamps do not time a new session out on arrival', async () => {
    const project = await server.newProject();
    const key = uniqueKey('backfill');
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    const sent = Date.now();
    await ingest(server, project.ingest, range(5).map((i) => event(key, { id: `old-${i}`, timestamp: new Date(twoDaysAgo + i * 1000).toISOString() })));
    const { seen, at, session } = await untilStatus(project, key, 'TIMED_OUT');
    // Still RUNNING when first read, and timed out no sooner than the 1 s timeout after receipt.
    expect(seen[0]).toBe('RUNNING');
    expect(at - sent).toBeGreaterThanOrEqual(1000);
    expect(session.endedAt).toBe(session.lastEventAt);
    expect(session.lastEventAt).toBe(new Date(twoDaysAgo + 4000).toISOString().replace('Z', '000Z'));
  });
});
