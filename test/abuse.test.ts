/**
 * Abuse (issue 6, item 4): per-key rate limits over HTTP and WebSocket, shared across instances
 * through Redis; WebSocket connection caps, init timeouts and floods; CSRF refusal of browser
 * "simple" requests; introspection and GraphiQL turned off for production. Each describe starts
 * servers with the limits it tests set low, so a few requests cross them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Tracker, type RetryInfo } from '../src/sdk/index.js';
import { graphql } from './generated/gql.js';
import type { AbuseTimelineSubscription } from './generated/graphql.js';
import { testDatabaseUrl } from './helpers/database.js';
import { execute, request, type GraphQLResponse } from './helpers/execute.js';
import { event, uniqueKey } from './helpers/factories.js';
import { connectLive, deferred, disposeAllSockets, subscribe, wsUrl, type Closed, type LiveSubscription } from './helpers/live.js';
import { startRedisServer, type RedisServer } from './helpers/redis-server.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const AbuseViewer = graphql(`
  query AbuseViewer {
    viewer { role }
  }
`);

const AbuseIngest = graphql(`
  mutation AbuseIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index code } }
  }
`);

const AbuseSession = graphql(`
  query AbuseSession($key: String!) {
    session(key: $key) { eventCount }
  }
`);

const AbuseCursor = graphql(`
  query AbuseCursor($key: String!) {
    session(key: $key) { timelineCursor }
  }
`);

const AbuseTimeline = graphql(`
  subscription AbuseTimeline($key: String!, $after: String) {
    sessionTimeline(key: $key, after: $after) {
      __typename
      ... on EventAppended { event { key } }
    }
  }
`);

afterEach(() => disposeAllSockets());

/** Statuses of requests sent all at once, sorted, so a count of each is easy to read. */
async function burst(count: number, send: (index: number) => Promise<GraphQLResponse<unknown>>): Promise<GraphQLResponse<unknown>[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => send(index)));
}

const statusCounts = (responses: GraphQLResponse<unknown>[]) =>
  responses.reduce<Record<number, number>>((counts, r) => ({ ...counts, [r.status]: (counts[r.status] ?? 0) + 1 }), {});

/** Retry-After is the contract's wait: letting that much time pass is the event the test awaits. */
const waitSeconds = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

function expectRateLimited(response: GraphQLResponse<unknown>): number {
  expect(response.status).toBe(429);
  const retryAfter = response.headers.get('retry-after');
  expect(retryAfter).toMatch(/^[1-9]\d*$/); // whole seconds, at least 1
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  expect(error.extensions?.code).toBe('RATE_LIMITED');
  expect(error.extensions?.['retryAfter']).toBe(Number(retryAfter));
  expect(error.extensions).not.toHaveProperty('http');
  expect(error.message).toMatch(new RegExp(`retry in ${retryAfter} s`));
  return Number(retryAfter);
}

describe('rate limit per API key over HTTP', () => {
  // One request per 10 s, bursts of 3: three requests at once pass, the others do not, however
  // slowly a loaded machine sends them. `fast` refills each second, for what must wait for it.
  let server: TestServer;
  let fast: TestServer;
  beforeAll(async () => {
    server = await startServer({ SIGHTLINE_RATE_LIMIT_PER_S: '0.1', SIGHTLINE_RATE_LIMIT_BURST: '3' });
    fast = await startServer({ DATABASE_URL: server.config.databaseUrl, SIGHTLINE_RATE_LIMIT_PER_S: '1', SIGHTLINE_RATE_LIMIT_BURST: '3' });
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), fast?.stop()]);
  });

  it('answers 429 RATE_LIMITED with Retry-After past the burst, per key', async () => {
    const project = await server.newProject();
    const responses = await burst(6, () => request(server.url, AbuseViewer, undefined, { key: project.read }));
    expect(statusCounts(responses)).toEqual({ 200: 3, 429: 3 });
    const retryAfter = Math.max(...responses.filter((r) => r.status === 429).map(expectRateLimited));
    expect(retryAfter).toBeLessThanOrEqual(10);
    // Budgets are per key: the project's other keys are untouched.
    expect((await execute(server.url, AbuseViewer, undefined, { key: project.admin })).viewer.role).toBe('ADMIN');
  });

  it('lets the key in again once Retry-After has passed', async () => {
    const project = await fast.newProject();
    const responses = await burst(6, () => request(fast.url, AbuseViewer, undefined, { key: project.read }));
    const refused = responses.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    await waitSeconds(Math.max(...refused.map(expectRateLimited)));
    expect((await request(fast.url, AbuseViewer, undefined, { key: project.read })).status).toBe(200);
  });

  it('counts an ingestBatch as one request whatever it carries, and stores nothing of a refused one', async () => {
    const project = await server.newProject();
    const key = uniqueKey('rate');
    const batches = [0, 1, 2, 3].map((b) => Array.from({ length: 250 }, (_, i) => event(key, { id: `b${b}-e${i}` })));
    const responses = await Promise.all(
      batches.map((events) => request(server.url, AbuseIngest, { input: { events: events as never } }, { key: project.ingest })),
    );
    expect(statusCounts(responses)).toEqual({ 200: 3, 429: 1 });
    for (const response of responses.filter((r) => r.status === 200)) {
      expect(response.data?.ingestBatch).toEqual({ accepted: 250, duplicates: 0, rejected: [] });
    }
    expect(responses.find((r) => r.status === 429)!.data ?? null).toBeNull();
    const { session } = await execute(server.url, AbuseSession, { key }, { key: project.admin });
    expect(session?.eventCount).toBe(750);
  });

  it('the SDK honours it: every event is stored once, after retries told RATE_LIMITED', async () => {
    const project = await fast.newProject();
    const retries: RetryInfo[] = [];
    const reported: unknown[] = [];
    const tracker = new Tracker({
      apiKey: project.ingest,
      endpoint: fast.url,
      flushOnExit: false,
      flushIntervalMs: 0,
      maxBatchSize: 3,
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
      onRetry: (info) => retries.push(info),
      onError: (error) => reported.push(error),
    });
    try {
      const session = tracker.startSession();
      for (let i = 0; i < 30; i++) session.custom(`r${i}`);
      session.end('SUCCEEDED');
      expect(await tracker.flush({ timeoutMs: 25_000 })).toBe(true);
      expect(retries.length).toBeGreaterThan(0);
      expect(retries[0]!.reason).toMatch(/rate limit/);
      // The server's Retry-After (at least 1 s) wins over the SDK's 50 ms backoff.
      expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
      const { session: stored } = await execute(fast.url, AbuseSession, { key: session.key }, { key: project.read });
      expect(stored?.eventCount).toBe(30);
      expect(reported).toEqual([]);
    } finally {
      await tracker.shutdown({ timeoutMs: 2_000 });
    }
  }, 40_000);

  it('is off with SIGHTLINE_RATE_LIMIT_PER_S=0', async () => {
    const unlimited = await startServer({ SIGHTLINE_RATE_LIMIT_PER_S: '0' });
    try {
      const project = await unlimited.newProject();
      const responses = await burst(40, () => request(unlimited.url, AbuseViewer, undefined, { key: project.read }));
      expect(statusCounts(responses)).toEqual({ 200: 40 });
    } finally {
      await unlimited.stop();
    }
  });
});

describe('rate limit over WebSocket', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SIGHTLINE_RATE_LIMIT_PER_S: '0.1', SIGHTLINE_RATE_LIMIT_BURST: '2' });
  });
  afterAll(() => server?.stop());

  it('counts each subscribe operation: past the budget the operation gets RATE_LIMITED, and the socket and its subscriptions stay', async () => {
    const project = await server.newProject();
    const key = uniqueKey('ws-rate');
    const after = await openedSession(server.url, project, key);
    const socket = connectLive(server.url, project.read);
    await socket.acknowledged;
    const subscriptions = [1, 2, 3].map(() => subscribe(socket, AbuseTimeline, { key, after }));
    // One of the three is over the budget. Which one is not fixed: each operation's key is checked
    // against the database before its budget is drawn, and on PostgreSQL's pool those checks may
    // answer in any order.
    const refusedAt = await Promise.race(
      subscriptions.map((subscription, i) => subscription.messages.seen((message) => message.type === 'error').then(() => i)),
    );
    const refused = await subscriptions[refusedAt]!.take();
    expect(refused.type).toBe('error');
    const errors = refused.type === 'error' ? refused.errors : [];
    expect(errors.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(errors[0]!.extensions?.['retryAfter']).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.extensions).not.toHaveProperty('http');
    // The budget is the key's, HTTP included.
    expectRateLimited(await request(server.url, AbuseViewer, undefined, { key: project.read }));

    // The INGEST key has its own budget; both live subscriptions hear the write.
    await execute(server.url, AbuseIngest, { input: { events: [event(key, { id: 'heard' })] as never } }, { key: project.ingest });
    const live = subscriptions.filter((_, i) => i !== refusedAt);
    for (const subscription of live) expect(await nextEventKey(subscription)).toBe('heard');
    expect(subscriptions[refusedAt]!.messages.size).toBe(0);
  });
});

describe('rate limit shared through Redis', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    // A private redis-server: the shared one's counters would mix with other runs' key ids.
    redis = await startRedisServer();
    const env = { DATABASE_URL: testDatabaseUrl(), REDIS_URL: redis.url, SIGHTLINE_RATE_LIMIT_PER_S: '0.1', SIGHTLINE_RATE_LIMIT_BURST: '3' };
    a = await startServer(env);
    b = await startServer(env);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('two instances draw on one budget per key; without Redis each counts on its own and ingest goes on', async () => {
    const project = await a.newProject();
    const responses = await burst(6, (i) => request(i % 2 === 0 ? a.url : b.url, AbuseViewer, undefined, { key: project.read }));
    // Three in all, not three on each.
    expect(statusCounts(responses)).toEqual({ 200: 3, 429: 3 });
    for (const response of responses.filter((r) => r.status === 429)) expectRateLimited(response);

    await redis.kill();
    const key = uniqueKey('no-redis');
    const started = performance.now();
    const during = await burst(6, (i) =>
      request(a.url, AbuseIngest, { input: { events: [event(key, { id: `e${i}` })] as never } }, { key: project.ingest }),
    );
    expect(performance.now() - started).toBeLessThan(3_000);
    // Never a 5xx: counted in memory (a fresh count for this instance), still limited.
    const counts = statusCounts(during);
    expect(Object.keys(counts).sort()).toEqual(['200', '429']);
    expect(counts[200]).toBe(3);
  });
});

/** A bare WebSocket upgrade: opened, or refused with an HTTP answer. */
function openBare(url: string): Promise<
  { kind: 'open'; ws: WebSocket; closed: Promise<Closed> } | { kind: 'refused'; status: number; retryAfter: string | undefined; body: string }
> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(url), 'graphql-transport-ws');
    const closed = deferred<Closed>();
    ws.on('close', (code, reason) => closed.resolve({ code, reason: String(reason) }));
    ws.on('error', () => {}); // the outcome is told by open, unexpected-response or close
    ws.once('open', () => resolve({ kind: 'open', ws, closed: closed.promise }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
      res.on('error', reject);
    });
    ws.once('close', (code) => reject(new Error(`closed before opening: ${code}`)));
  });
}

describe('WebSocket limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      SIGHTLINE_RATE_LIMIT_PER_S: '0',
      SIGHTLINE_WS_MAX_CONNECTIONS: '8',
      SIGHTLINE_WS_MAX_CONNECTIONS_PER_KEY: '2',
      SIGHTLINE_WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '2',
      SIGHTLINE_WS_INIT_TIMEOUT_MS: '400',
    });
  });
  afterAll(() => server?.stop());

  it('closes a socket that sends no connection_init within SIGHTLINE_WS_INIT_TIMEOUT_MS with 4408', async () => {
    const started = performance.now();
    const opened = await openBare(server.url);
    if (opened.kind !== 'open') throw new Error(`refused: ${opened.status} ${opened.body}`);
    const closed = await opened.closed;
    expect(closed.code).toBe(4408);
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(5_000);
  });

  it('survives a flood of connections: past SIGHTLINE_WS_MAX_CONNECTIONS upgrades get 503 with Retry-After, and HTTP keeps answering', async () => {
    const project = await server.newProject();
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => openBare(server.url)));
    const open = outcomes.filter((o) => o.kind === 'open');
    const refused = outcomes.filter((o) => o.kind === 'refused');
    expect(open).toHaveLength(8);
    expect(refused).toHaveLength(32);
    for (const refusal of refused) {
      expect(refusal.status).toBe(503);
      expect(refusal.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(refusal.body).toMatch(/maximum of 8 WebSocket connections/);
    }
    expect((await execute(server.url, AbuseViewer, undefined, { key: project.read })).viewer.role).toBe('READ');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // The silent sockets are closed by the init timeout; then the server accepts again.
    expect(new Set(await Promise.all(open.map((o) => o.closed)).then((all) => all.map((c) => c.code)))).toEqual(new Set([4408]));
    await untilAcknowledged(() => connectLive(server.url, project.read));
  });

  it('closes a connection_init past SIGHTLINE_WS_MAX_CONNECTIONS_PER_KEY with 1013; other keys are unaffected', async () => {
    const project = await server.newProject();
    const one = connectLive(server.url, project.read);
    const two = connectLive(server.url, project.read);
    await Promise.all([one.acknowledged, two.acknowledged]);
    const three = connectLive(server.url, project.read);
    const closed = await three.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/maximum of 2 connections/);
    const admin = connectLive(server.url, project.admin);
    await admin.acknowledged;

    // A slot comes back when a socket of the key closes.
    await one.dispose();
    await untilAcknowledged(() => connectLive(server.url, project.read));
  });

  it('refuses an operation past SIGHTLINE_WS_MAX_SUBSCRIPTIONS_PER_SOCKET with RATE_LIMITED, and takes one again once another completes', async () => {
    const project = await server.newProject();
    const socket = connectLive(server.url, project.read);
    await socket.acknowledged;
    const key = uniqueKey('subs');
    const first = subscribe(socket, AbuseTimeline, { key });
    subscribe(socket, AbuseTimeline, { key });
    const third = subscribe(socket, AbuseTimeline, { key });
    const refused = await third.take();
    expect(refused.type === 'error' ? refused.errors.map((e) => [e.extensions?.code, e.message]) : refused).toEqual([
      ['RATE_LIMITED', expect.stringMatching(/maximum of 2 operations/)],
    ]);
    first.unsubscribe();
    const fourth = subscribe(socket, AbuseTimeline, { key, after: await openedSession(server.url, project, key) });
    await execute(server.url, AbuseIngest, { input: { events: [event(key, { id: 'fourth' })] as never } }, { key: project.ingest });
    expect(await nextEventKey(fourth)).toBe('fourth');
  });
});

/**
 * Creates the session with a first event and gives its timelineCursor. A subscription from it
 * hears every later write, however late the server makes it live: graphql-ws acknowledges no
 * subscribe, so a write sent right after subscribing could otherwise come before it.
 */
async function openedSession(url: string, project: TestProject, key: string): Promise<string> {
  await execute(url, AbuseIngest, { input: { events: [event(key, { id: 'opening' })] as never } }, { key: project.ingest });
  const { session } = await execute(url, AbuseCursor, { key }, { key: project.admin });
  if (!session) throw new Error(`session ${key} was not created`);
  return session.timelineCursor;
}

/** The key of the next event a timeline delivers; a subscription from a cursor starts with the session's state. */
async function nextEventKey(live: LiveSubscription<AbuseTimelineSubscription>): Promise<string> {
  const received = await live.until((data) => data.sessionTimeline.__typename === 'EventAppended');
  expect(received.slice(0, -1).map((data) => data.sessionTimeline.__typename)).toEqual(received.slice(0, -1).map(() => 'SessionChanged'));
  const last = received.at(-1)!.sessionTimeline;
  return last.__typename === 'EventAppended' ? last.event.key : '';
}

/**
 * Connects until a socket is acknowledged: a slot freed by a close is given back when the server
 * has seen the close, which no client event reports. Bounded, and each refusal is immediate.
 */
async function untilAcknowledged(connect: () => ReturnType<typeof connectLive>): Promise<void> {
  const deadline = Date.now() + 5_000;
  let socket = connect();
  for (;;) {
    const outcome = await socket.acknowledged.then(() => 'ack' as const, (error: Error) => error);
    if (outcome === 'ack') return;
    if (Date.now() > deadline) throw new Error(`no socket acknowledged within 5 s; last: ${outcome.message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket = connect();
  }
}

describe('CSRF prevention', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  const graphqlUrl = () => `${server.url}/graphql`;

  it('refuses unread what a cross-site page can send without a preflight (form, multipart and text/plain POST, GET), as UNAUTHENTICATED', async () => {
    const multipart = new FormData();
    multipart.set('operations', JSON.stringify({ query: '{ viewer { role } }' }));
    const simple: [string, RequestInit][] = [
      ['form POST', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7Bviewer%7Brole%7D%7D' }],
      ['text/plain POST', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ viewer { role } }' }) }],
      ['multipart POST', { method: 'POST', body: multipart }],
      ['GET', { method: 'GET' }],
    ];
    for (const [name, init] of simple) {
      const url = init.method === 'GET' ? `${graphqlUrl()}?query=${encodeURIComponent('{ viewer { role } }')}` : graphqlUrl();
      const response = await fetch(url, init);
      const body = (await response.json()) as GraphQLResponse<unknown>;
      expect([name, response.status]).toEqual([name, 401]);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(body.errors?.[0]?.message).toMatch(/cross-site .* is refused unread/);
    }
  });

  it('lets through what a browser can only send after a preflight, and what curl sends with a key: GET with Authorization works', async () => {
    const project = await server.newProject();
    const query = encodeURIComponent('{ viewer { role } }');
    const withKey = await fetch(`${graphqlUrl()}?query=${query}`, { headers: { authorization: `Bearer ${project.read}` } });
    expect(withKey.status).toBe(200);
    expect(await withKey.json()).toEqual({ data: { viewer: { role: 'READ' } } });
    // The CSRF header alone passes this check, then authentication refuses it, as it refuses a
    // JSON request without a key: JSON is never "simple", so never refused unread.
    const headerOnly = await fetch(`${graphqlUrl()}?query=${query}`, { headers: { 'x-graphql-yoga-csrf': '1' } });
    const json = await request(server.url, AbuseViewer);
    for (const refused of [(await headerOnly.json()) as GraphQLResponse<unknown>, json]) {
      expect(refused.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"'],
      ]);
    }
    expect([headerOnly.status, json.status]).toEqual([401, 401]);
  });
});

describe('introspection and GraphiQL off for production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SIGHTLINE_INTROSPECTION: 'false', SIGHTLINE_GRAPHIQL: 'false' });
  });
  afterAll(() => server?.stop());

  it('refuses __schema and __type over HTTP with BAD_USER_INPUT naming introspection; ordinary queries and __typename work', async () => {
    const project = await server.newProject();
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Session") { name } }']) {
      const response = await request(server.url, query, undefined, { key: project.read });
      expect(response.status).toBe(400);
      expect(response.data ?? null).toBeNull();
      // graphql-js' rule names each introspection field of the query: one error or more, all the client's.
      expect(new Set(response.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
      expect(response.errors?.[0]?.message).toMatch(/introspection has been disabled/);
    }
    const ordinary = await request(server.url, '{ __typename viewer { role } }', undefined, { key: project.read });
    expect([ordinary.status, ordinary.data]).toEqual([200, { __typename: 'Query', viewer: { role: 'READ' } }]);
  });

  it('refuses introspection over WebSocket too', async () => {
    const project = await server.newProject();
    const socket = connectLive(server.url, project.read);
    await socket.acknowledged;
    const answer = deferred<unknown>();
    socket.client.subscribe({ query: '{ __schema { queryType { name } } }' }, {
      next: (value) => answer.resolve(value),
      error: (error) => answer.resolve(error),
      complete: () => {},
    });
    const errors = (await answer.promise) as { message: string; extensions?: { code?: string } }[];
    expect(Array.isArray(errors)).toBe(true);
    expect(new Set(errors.map((e) => e.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(errors[0]?.message).toMatch(/introspection has been disabled, but the requested query contained the field "__schema"/);
  });

  it('serves no GraphiQL page to a browser', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    const body = await response.text();
    expect(response.status).not.toBe(200);
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(body).not.toMatch(/graphiql/i);
  });

  it('refuses to start with a value that is not a boolean, naming the variable', async () => {
    await expect(startServer({ SIGHTLINE_GRAPHIQL: 'maybe' })).rejects.toThrow(/SIGHTLINE_GRAPHIQL: must be true or false/);
  });
});
