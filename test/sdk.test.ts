/**
 * The TypeScript SDK (src/sdk) against a real server: what the agent calls, what the server
 * stores. Each test makes its own project and tracker(s); the stored timeline is read back over
 * GraphQL with a READ key. Network trouble is made with a wrapped `fetch` (a transport the SDK
 * accepts as an option) or a TCP gate in front of the server; never with sleeps.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  newConversationId, SightlineError, Tracker, type RetryInfo, type TimelineUpdate, type TrackedEvent, type TrackerOptions,
} from '../src/sdk/index.js';
import { graphql } from './generated/gql.js';
import { execute } from './helpers/execute.js';
import { uniqueKey } from './helpers/factories.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const SdkTestTimeline = graphql(`
  query SdkTestTimeline($key: String!, $after: String) {
    session(key: $key) {
      key
      name
      status
      tags
      metadata
      startedAt
      endedAt
      eventCount
      errorCount
      agent { name }
      events(first: 500, after: $after) {
        edges {
          node {
            key type name timestamp durationMs status input output metadata
            model promptTokens completionTokens costUsd errorMessage errorType
            parent { key }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const SdkTestTree = graphql(`
  query SdkTestTree($key: String!) {
    session(key: $key) {
      tree { depth event { key type name status durationMs errorType errorMessage parent { key } } }
    }
  }
`);

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MICROS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

const trackers: Tracker[] = [];
afterEach(async () => {
  await Promise.all(trackers.splice(0).map((tracker) => tracker.shutdown({ timeoutMs: 2_000 })));
});

interface Made {
  tracker: Tracker;
  errors: SightlineError[];
}

/** A tracker on the test server that keeps what it reports; shut down after the test. */
function makeTracker(project: TestProject, options: Partial<TrackerOptions> = {}): Made {
  const errors: SightlineError[] = [];
  const tracker = new Tracker({ apiKey: project.ingest, endpoint: server.url, flushOnExit: false, onError: (e) => errors.push(e), ...options });
  trackers.push(tracker);
  return { tracker, errors };
}

type StoredSession = NonNullable<Awaited<ReturnType<typeof readSession>>>;

/** The session and its whole timeline, as the server stores it. */
async function readSession(project: TestProject, key: string) {
  let after: string | null = null;
  let first: Awaited<ReturnType<typeof page>> | undefined;
  const events: NonNullable<Awaited<ReturnType<typeof page>>>['events']['edges'][number]['node'][] = [];
  async function page(cursor: string | null) {
    return (await execute(server.url, SdkTestTimeline, { key, after: cursor }, { key: project.read })).session;
  }
  for (;;) {
    const session = await page(after);
    if (!session) return null;
    first ??= session;
    events.push(...session.events.edges.map((edge) => edge.node));
    if (!session.events.pageInfo.hasNextPage) break;
    after = session.events.pageInfo.endCursor;
  }
  return { ...first!, events };
}

async function storedSession(project: TestProject, key: string): Promise<StoredSession> {
  const session = await readSession(project, key);
  if (!session) throw new Error(`session ${key} is not stored`);
  return session;
}

/** Settles when `check()` holds, re-checked each time `notify()` is called. */
class Condition {
  private waiting: { check: () => boolean; resolve: () => void }[] = [];
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ check, resolve }));
  }
  notify(): void {
    this.waiting = this.waiting.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }
}

interface SentRequest {
  operation: string;
  events: number;
  sessions: number;
  eventNames: (string | null)[];
  status: number | 'network error';
  /** The first error code of the answer, if any. */
  errorCode: string | null;
}

/** `fetch` through which every request is seen; `answer` may stand in for the server. */
function observedFetch(answer?: (index: number, body: Record<string, unknown>) => Response | undefined) {
  const sent: SentRequest[] = [];
  const changed = new Condition();
  let inFlight = 0;
  let maxInFlight = 0;
  let index = 0;
  const fetchImpl: typeof globalThis.fetch = async (input, init) => {
    const body = JSON.parse(String(init?.body)) as { operationName: string; variables: { input?: { events?: { name?: string }[]; sessions?: unknown[] } } };
    const request: SentRequest = {
      operation: body.operationName,
      events: body.variables.input?.events?.length ?? 0,
      sessions: body.variables.input?.sessions?.length ?? 0,
      eventNames: body.variables.input?.events?.map((e) => e.name ?? null) ?? [],
      status: 'network error',
      errorCode: null,
    };
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const stand = answer?.(index++, body as Record<string, unknown>);
      const response = stand ?? (await fetch(input, init));
      request.status = response.status;
      const answered = (await response.clone().json().catch(() => ({}))) as { errors?: { extensions?: { code?: string } }[] };
      request.errorCode = answered.errors?.[0]?.extensions?.code ?? null;
      return response;
    } finally {
      inFlight--;
      sent.push(request);
      changed.notify();
    }
  };
  return { fetch: fetchImpl, sent, changed, maxInFlight: () => maxInFlight };
}

function microsOf(timestamp: string): bigint {
  const match = /^(.*)\.(\d{6})Z$/.exec(timestamp)!;
  return BigInt(Date.parse(`${match[1]}Z`)) * 1000n + BigInt(match[2]!);
}

describe('SDK: order and time', () => {
  it('keeps call order in the stored timeline for interleaved conversations and same-millisecond calls', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    const a = tracker.conversation(uniqueKey('chat-a'));
    const b = tracker.conversation(uniqueKey('chat-b'));
    const expectedA: string[] = [];
    const expectedB: string[] = [];
    const returned = new Map<string, TrackedEvent>();

    // A tight loop: hundreds of calls land in the same millisecond, alternating conversations.
    for (let i = 0; i < 150; i++) {
      returned.set(`a${i}`, a.log(`a${i}`, { name: `a${i}` }));
      expectedA.push(`a${i}`);
      if (i % 3 !== 0) {
        returned.set(`b${i}`, b.custom(`b${i}`));
        expectedB.push(`b${i}`);
      }
    }
    // Then two concurrent agents in the same process, each awaiting between its calls.
    const agent = async (session: typeof a, prefix: string, expected: string[]) => {
      for (let i = 0; i < 40; i++) {
        session.action(`${prefix}-async${i}`);
        expected.push(`${prefix}-async${i}`);
        if (i % 2 === 0) await Promise.resolve();
        else await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([agent(a, 'a', expectedA), agent(b, 'b', expectedB)]);

    expect(await tracker.flush()).toBe(true);
    expect(errors).toEqual([]);
    for (const [session, expected] of [[a, expectedA], [b, expectedB]] as const) {
      const stored = await storedSession(project, session.key);
      expect(stored.events.map((e) => e.name)).toEqual(expected);
      expect(stored.eventCount).toBe(expected.length);
      const micros = stored.events.map((e) => microsOf(e.timestamp));
      for (let i = 1; i < micros.length; i++) expect(micros[i]! > micros[i - 1]!).toBe(true);
      for (const event of stored.events) expect(event.timestamp).toMatch(MICROS_UTC);
      // The test proves something only if calls did share milliseconds.
      const sameMillisecond = micros.filter((m, i) => i > 0 && m / 1000n === micros[i - 1]! / 1000n).length;
      expect(sameMillisecond).toBeGreaterThan(10);
    }
    // The ids and timestamps the helpers returned are the stored ones.
    const storedA = await storedSession(project, a.key);
    for (const event of storedA.events.slice(0, 150)) {
      const mine = returned.get(event.name!)!;
      expect(event.key).toBe(mine.id);
      expect(event.key).toMatch(UUID_V7);
      expect(event.timestamp).toBe(mine.timestamp);
    }
  });
});

describe('SDK: sessions', () => {
  it('starts a session automatically on first use and ends it SUCCEEDED on shutdown', async () => {
    const project = await server.newProject();
    const key = uniqueKey('auto');
    const { tracker, errors } = makeTracker(project, { session: { key, name: 'nightly eval', tags: ['eval'] }, agentName: 'evaluator' });
    tracker.question('Is the answer grounded?');
    tracker.answer('Yes.');
    expect(tracker.currentSession.key).toBe(key);
    expect(await tracker.shutdown()).toBe(true);
    const stored = await storedSession(project, key);
    expect(stored).toMatchObject({ name: 'nightly eval', status: 'SUCCEEDED', tags: ['eval'], agent: { name: 'evaluator' }, eventCount: 2 });
    expect(stored.events.map((e) => [e.type, e.input, e.output])).toEqual([
      ['QUESTION', { text: 'Is the answer grounded?' }, null],
      ['ANSWER', null, { text: 'Yes.' }],
    ]);
    // After shutdown, tracking calls are ignored and still do not throw.
    expect(() => tracker.log('late')).not.toThrow();
    expect(tracker.stats.ignored).toBe(1);
    expect(errors).toEqual([]);
  });

  it('starts and ends a session explicitly with a name, tags, metadata, an agent and a final status', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    const session = tracker.startSession({ name: 'refund #42', tags: ['billing', 'vip'], metadata: { region: 'eu', tier: 2 }, agentName: 'support-bot' });
    expect(session.key).toMatch(UUID_V7);
    const question = session.question('Can I get a refund?');
    session.end('CANCELLED');
    session.end('SUCCEEDED'); // a second end is ignored
    expect(session.state).toBe('CANCELLED');
    expect(await tracker.flush()).toBe(true);
    const stored = await storedSession(project, session.key);
    expect(stored).toMatchObject({
      name: 'refund #42',
      status: 'CANCELLED',
      tags: ['billing', 'vip'],
      metadata: { region: 'eu', tier: 2 },
      agent: { name: 'support-bot' },
      eventCount: 1,
    });
    // The session starts when startSession was called, before its first event, and ends after it.
    expect(microsOf(stored.startedAt) < microsOf(question.timestamp)).toBe(true);
    expect(microsOf(stored.endedAt!) > microsOf(question.timestamp)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('continues a conversation identified by the application across sends and trackers, and makes fresh ids', async () => {
    const project = await server.newProject();
    const phone = `+33${Math.floor(Math.random() * 1e9)}`;
    const first = makeTracker(project);
    first.tracker.conversation(phone, { name: 'WhatsApp', tags: ['whatsapp'] }).question('Hello?');
    expect(await first.tracker.flush()).toBe(true);
    first.tracker.conversation(phone).answer('Hi! How can I help?');
    expect(first.tracker.conversation(phone)).toBe(first.tracker.conversation(phone));
    expect(await first.tracker.flush()).toBe(true);
    // Another process, later: the same phone number continues the same session.
    const second = makeTracker(project);
    second.tracker.conversation(phone, { metadata: { locale: 'fr' }, tags: ['returning'] }).question('Where is my order?');
    expect(await second.tracker.flush()).toBe(true);

    const stored = await storedSession(project, phone);
    expect(stored).toMatchObject({ name: 'WhatsApp', status: 'RUNNING', tags: ['whatsapp', 'returning'], metadata: { locale: 'fr' }, eventCount: 3 });
    expect(stored.events.map((e) => e.type)).toEqual(['QUESTION', 'ANSWER', 'QUESTION']);

    const ids = Array.from({ length: 1000 }, () => newConversationId());
    for (const id of ids.slice(0, 5)) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids); // time-ordered
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  });

  it('ends a wrapped session SUCCEEDED when the function returns, with its events inside', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    let key = '';
    const value = await tracker.withSession({ name: 'voice call', metadata: { channel: 'phone' } }, async (session) => {
      key = session.key;
      tracker.question('Book a table for two'); // the tracker's helpers go to the wrapped session
      await new Promise((resolve) => setImmediate(resolve));
      session.answer('Done: 8 pm.');
      return 42;
    });
    expect(value).toBe(42);
    const syncValue = tracker.withSession(() => 'sync result');
    expect(syncValue).toBe('sync result');
    expect(await tracker.flush()).toBe(true);
    const stored = await storedSession(project, key);
    expect(stored).toMatchObject({ name: 'voice call', status: 'SUCCEEDED', metadata: { channel: 'phone' }, eventCount: 2 });
    expect(errors).toEqual([]);
  });

  it('ends a wrapped session FAILED when the function throws, records the error, and re-throws it unchanged', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    class PaymentDeclined extends Error {}
    const thrown = new PaymentDeclined('card declined', { cause: new TypeError('bad cvc') });
    let asyncKey = '';
    const caught = await tracker
      .withSession({ name: 'checkout' }, async (session) => {
        asyncKey = session.key;
        session.action('charge.card');
        await new Promise((resolve) => setImmediate(resolve));
        throw thrown;
      })
      .catch((error: unknown) => error);
    expect(caught).toBe(thrown);

    let syncKey = '';
    const syncThrown = new RangeError('out of range');
    expect(() =>
      tracker.withSession((session) => {
        syncKey = session.key;
        throw syncThrown;
      }),
    ).toThrow(syncThrown);

    // A value that is not an Error, and an error the agent already recorded itself (not twice).
    let stringKey = '';
    await expect(tracker.withSession(async (session) => {
      stringKey = session.key;
      throw 'plain string'; // eslint-disable-line no-throw-literal
    })).rejects.toBe('plain string');
    let recordedKey = '';
    const recorded = new Error('seen');
    await expect(tracker.withSession(async (session) => {
      recordedKey = session.key;
      session.error(recorded);
      throw recorded;
    })).rejects.toBe(recorded);

    expect(await tracker.flush()).toBe(true);
    const failed = await storedSession(project, asyncKey);
    expect(failed).toMatchObject({ status: 'FAILED', errorCount: 1, eventCount: 2 });
    const error = failed.events[1]!;
    expect(error).toMatchObject({ type: 'ERROR', status: 'ERROR', errorMessage: 'card declined', errorType: 'PaymentDeclined' });
    expect((error.output as { stack: string; cause: string }).stack).toMatch(/^Error: card declined\n\s+at /);
    expect((error.output as { cause: string }).cause).toBe('TypeError: bad cvc');
    expect(await storedSession(project, syncKey)).toMatchObject({ status: 'FAILED', errorCount: 1 });
    expect((await storedSession(project, syncKey)).events[0]).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range' });
    expect((await storedSession(project, stringKey)).events[0]).toMatchObject({ type: 'ERROR', errorType: 'string', errorMessage: 'plain string' });
    expect(await storedSession(project, recordedKey)).toMatchObject({ status: 'FAILED', errorCount: 1, eventCount: 1 });
    expect(errors).toEqual([]);
  });
});

describe('SDK: events', () => {
  it('records every EventType through its helper, with metadata on any of them', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    const session = tracker.startSession();
    const meta = (n: number) => ({ metadata: { n } });
    session.question('What is 2+2?', meta(1));
    session.answer('4', meta(2));
    session.action('email.sent', { ...meta(3), input: { to: 'a@example.com' } });
    session.toolCall('calculator', { ...meta(4), input: { expr: '2+2' }, output: 4, durationMs: 1.5 });
    session.toolCall('weather', { ...meta(5), error: new Error('upstream timeout') });
    session.decision('route', { ...meta(6), choice: 'calculator', reason: 'arithmetic', alternatives: ['search', 'calculator'] });
    session.llmCall({ ...meta(7), model: 'gpt-4o-mini', promptTokens: 420, completionTokens: 96, costUsd: 0.00042, latencyMs: 812.5, input: [{ role: 'user', content: 'hi' }] });
    session.error(new SyntaxError('bad JSON from the model'), meta(8));
    session.feedback({ ...meta(9), name: 'thumbs', label: '👍', value: 1 });
    session.log('cache miss', { ...meta(10), level: 'warn' });
    session.custom('handoff', meta(11));
    session.track('AGENT', { ...meta(12), name: 'sub-agent', durationMs: 3 });
    session.track('OPERATION', { ...meta(13), name: 'retrieve', output: { docs: 3 } });
    expect(await tracker.flush()).toBe(true);

    const events = (await storedSession(project, session.key)).events;
    const pick = (e: (typeof events)[number]) => {
      const picked: Record<string, unknown> = { type: e.type, status: e.status };
      for (const field of ['name', 'input', 'output', 'durationMs', 'model', 'promptTokens', 'completionTokens', 'costUsd', 'errorMessage', 'errorType'] as const) {
        if (e[field] !== null) picked[field] = e[field];
      }
      return picked;
    };
    expect(events.map((e) => (e.metadata as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const picked = events.map(pick);
    // The error's stack is real but long: check its start and leave it out of the comparison.
    expect((picked[7]!.output as { stack: string }).stack).toMatch(/^SyntaxError: bad JSON from the model\n/);
    delete picked[7]!.output;
    expect((picked[4]!.output as { stack: string }).stack).toMatch(/^Error: upstream timeout\n/);
    delete picked[4]!.output;
    expect(picked).toEqual([
      { type: 'QUESTION', status: 'OK', input: { text: 'What is 2+2?' } },
      { type: 'ANSWER', status: 'OK', output: { text: '4' } },
      { type: 'ACTION', status: 'OK', name: 'email.sent', input: { to: 'a@example.com' } },
      { type: 'TOOL_CALL', status: 'OK', name: 'calculator', input: { expr: '2+2' }, output: 4, durationMs: 1.5 },
      { type: 'TOOL_CALL', status: 'ERROR', name: 'weather', errorMessage: 'upstream timeout', errorType: 'Error' },
      { type: 'DECISION', status: 'OK', name: 'route', input: { alternatives: ['search', 'calculator'] }, output: { choice: 'calculator', reason: 'arithmetic' } },
      {
        type: 'LLM_CALL', status: 'OK', name: 'gpt-4o-mini', input: [{ role: 'user', content: 'hi' }], durationMs: 812.5,
        model: 'gpt-4o-mini', promptTokens: 420, completionTokens: 96, costUsd: 0.00042,
      },
      { type: 'ERROR', status: 'ERROR', errorMessage: 'bad JSON from the model', errorType: 'SyntaxError' },
      { type: 'FEEDBACK', status: 'OK', name: 'thumbs', output: { label: '👍', value: 1 } },
      { type: 'LOG', status: 'OK', name: 'warn', input: { message: 'cache miss' } },
      { type: 'CUSTOM', status: 'OK', name: 'handoff' },
      { type: 'AGENT', status: 'OK', name: 'sub-agent', durationMs: 3 },
      { type: 'OPERATION', status: 'OK', name: 'retrieve', output: { docs: 3 } },
    ]);
    expect(errors).toEqual([]);
  });

  it('nests operations: an agent step holding tool and LLM calls makes the right tree, with durations', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    const session = tracker.startSession({ name: 'nested' });
    const ids: Record<string, string> = {};
    session.question('Plan my trip');
    await session.agent('planner', async (planner) => {
      ids.planner = planner.event.id;
      planner.llmCall({ model: 'gpt-4o', promptTokens: 10, completionTokens: 20 });
      await planner.operation('lookup', async (lookup) => {
        ids.lookup = lookup.event.id;
        // Calls on the session, and on the tracker, inside an operation nest under it too.
        session.toolCall('flights.search', { input: { from: 'CDG' } });
        await new Promise((resolve) => setTimeout(resolve, 5));
        tracker.llmCall({ model: 'gpt-4o-mini' });
        await session.wrap('TOOL_CALL', 'hotels.search', async (tool) => {
          ids.hotels = tool.event.id;
          tool.set({ output: { hotels: 2 } });
          tool.log('two found');
        });
      });
      planner.decision('pick', { choice: 'AF123' });
    });
    const answer = session.answer('Booked AF123.');
    ids.answer = answer.id;
    session.feedback({ name: 'thumbs', value: -1, parent: answer });
    expect(() =>
      session.operation('flaky', () => {
        throw new RangeError('no seats');
      }),
    ).toThrow(RangeError);
    session.end();
    expect(await tracker.flush()).toBe(true);

    const { session: stored } = await execute(server.url, SdkTestTree, { key: session.key }, { key: project.read });
    const tree = stored!.tree.map((node) => ({
      depth: node.depth,
      type: node.event.type,
      name: node.event.name,
      status: node.event.status,
      parent: node.event.parent ? Object.entries(ids).find(([, id]) => id === node.event.parent!.key)?.[0] ?? 'unknown' : null,
    }));
    expect(tree).toEqual([
      { depth: 0, type: 'QUESTION', name: null, status: 'OK', parent: null },
      { depth: 0, type: 'AGENT', name: 'planner', status: 'OK', parent: null },
      { depth: 1, type: 'LLM_CALL', name: 'gpt-4o', status: 'OK', parent: 'planner' },
      { depth: 1, type: 'OPERATION', name: 'lookup', status: 'OK', parent: 'planner' },
      { depth: 2, type: 'TOOL_CALL', name: 'flights.search', status: 'OK', parent: 'lookup' },
      { depth: 2, type: 'LLM_CALL', name: 'gpt-4o-mini', status: 'OK', parent: 'lookup' },
      { depth: 2, type: 'TOOL_CALL', name: 'hotels.search', status: 'OK', parent: 'lookup' },
      { depth: 3, type: 'LOG', name: 'info', status: 'OK', parent: 'hotels' },
      { depth: 1, type: 'DECISION', name: 'pick', status: 'OK', parent: 'planner' },
      { depth: 0, type: 'ANSWER', name: null, status: 'OK', parent: null },
      { depth: 1, type: 'FEEDBACK', name: 'thumbs', status: 'OK', parent: 'answer' },
      { depth: 0, type: 'OPERATION', name: 'flaky', status: 'ERROR', parent: null },
    ]);
    const byName = new Map(stored!.tree.map((node) => [node.event.name, node.event]));
    // The lookup waited 5 ms inside; the planner holds the lookup.
    expect(byName.get('lookup')!.durationMs!).toBeGreaterThanOrEqual(4);
    expect(byName.get('planner')!.durationMs!).toBeGreaterThanOrEqual(byName.get('lookup')!.durationMs!);
    expect(byName.get('flaky')).toMatchObject({ errorType: 'RangeError', errorMessage: 'no seats' });
    expect(errors).toEqual([]);
  });
});

describe('SDK: sending', () => {
  it('sends by size and by interval on its own, one request at a time, in order, split at the batch limit', async () => {
    const project = await server.newProject();
    // By size: 10 events make a request, with no flush() and no interval.
    const bySize = observedFetch();
    const sized = makeTracker(project, { fetch: bySize.fetch, flushAt: 10, flushIntervalMs: 0 });
    const sizedSession = sized.tracker.startSession();
    for (let i = 0; i < 9; i++) sizedSession.custom(`s${i}`);
    expect(bySize.sent).toEqual([]); // tracking touched no network
    sizedSession.log('s9');
    await bySize.changed.until(() => bySize.sent.length === 1);
    expect(bySize.sent[0]).toMatchObject({ operation: 'SdkIngestBatch', events: 10, sessions: 1, status: 200 });

    // By interval: one event goes out after flushIntervalMs, with no flush().
    const byTime = observedFetch();
    const timed = makeTracker(project, { fetch: byTime.fetch, flushAt: 1000, flushIntervalMs: 30 });
    timed.tracker.startSession().log('alone');
    await byTime.changed.until(() => byTime.sent.length === 1);
    expect(byTime.sent[0]).toMatchObject({ events: 1, status: 200 });

    // Many events: batches of at most maxBatchSize, one in flight at a time, in call order.
    const bulk = observedFetch();
    const many = makeTracker(project, { fetch: bulk.fetch, flushAt: 100 });
    const bulkSession = many.tracker.startSession();
    for (let i = 0; i < 2500; i++) bulkSession.custom(`m${i}`);
    expect(await many.tracker.flush()).toBe(true);
    const ingests = bulk.sent.filter((r) => r.operation === 'SdkIngestBatch');
    expect(ingests.map((r) => r.events)).toEqual([1000, 1000, 500]);
    expect(ingests.flatMap((r) => r.eventNames)).toEqual(Array.from({ length: 2500 }, (_, i) => `m${i}`));
    expect(bulk.maxInFlight()).toBe(1);
    expect(many.tracker.stats).toMatchObject({ tracked: 2500, sent: 2500, rejected: 0, dropped: 0, buffered: 0, inFlight: 0 });

    // Batches larger than the server's limit are refused whole: the tracker halves and learns.
    const large = observedFetch();
    const eager = makeTracker(project, { fetch: large.fetch, maxBatchSize: 2400, flushAt: 5000 });
    const eagerSession = eager.tracker.startSession();
    for (let i = 0; i < 2400; i++) eagerSession.custom(`l${i}`);
    expect(await eager.tracker.flush()).toBe(true);
    expect(large.sent.map((r) => [r.events, r.errorCode])).toEqual([
      [2400, 'PAYLOAD_TOO_LARGE'], [1200, 'PAYLOAD_TOO_LARGE'], [600, null], [600, null], [1200, 'PAYLOAD_TOO_LARGE'], [600, null], [600, null],
    ]);
    expect((await storedSession(project, eagerSession.key)).events.map((e) => e.name)).toEqual(Array.from({ length: 2400 }, (_, i) => `l${i}`));
    for (const made of [sized, timed, many, eager]) expect(made.errors).toEqual([]);
  });

  it('retries 5xx and RATE_LIMITED with backoff, honouring Retry-After, and stores each event once', async () => {
    const project = await server.newProject();
    const retries: RetryInfo[] = [];
    const flaky = observedFetch((index) => {
      if (index === 0) {
        return Response.json({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }, { status: 429, headers: { 'retry-after': '0.3' } });
      }
      if (index === 1) return new Response('<html>bad gateway</html>', { status: 502 });
      if (index === 2) return Response.json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      return undefined;
    });
    const { tracker, errors } = makeTracker(project, {
      fetch: flaky.fetch,
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
      onRetry: (info) => retries.push(info),
    });
    const session = tracker.startSession();
    for (let i = 0; i < 5; i++) session.custom(`r${i}`);
    expect(await tracker.flush()).toBe(true);
    expect(flaky.sent.map((r) => r.status)).toEqual([429, 502, 200, 200]);
    expect(retries.map((r) => [r.attempt, r.buffered])).toEqual([[1, 5], [2, 5], [3, 5]]);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(300); // Retry-After, above the backoff
    expect(retries[0]!.reason).toBe('slow down');
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(20);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(40);
    expect(retries[2]!.delayMs).toBeGreaterThanOrEqual(40);
    expect(retries[2]!.delayMs).toBeLessThanOrEqual(80);
    expect((await storedSession(project, session.key)).eventCount).toBe(5);
    expect(tracker.stats).toMatchObject({ sent: 5, retries: 3 });
    expect(errors).toEqual([]);
  });

  it('reports refused events and sessions through onError, sends the rest, and never throws into the agent', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    const session = tracker.startSession({ name: 'refusals' });
    session.custom('before');
    const bad = session.llmCall({ model: 'm', costUsd: -1 });
    session.custom('after');
    // A description the server refuses whole (an empty agent name): the tracker isolates it.
    const orphan = tracker.startSession({ agentName: '' });
    orphan.custom('kept');
    // Odd values and misuse: none of these may throw.
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(() => {
      session.custom('circular', { metadata: circular });
      session.custom('bigint', { input: { big: 10n } });
      session.llmCall(undefined as never);
      session.log(undefined as never, null as never);
      session.feedback(null as never);
      session.track('NOT_A_TYPE' as never);
    }).not.toThrow();
    session.end('SUCCEEDED');
    expect(await tracker.flush()).toBe(true);

    const stored = await storedSession(project, session.key);
    expect(stored.events.map((e) => e.name)).toEqual(['before', 'after', 'circular', 'bigint', null, 'info', null]);
    expect(stored.events[2]!.metadata).toEqual({ a: 1, self: '[Circular]' });
    expect(stored.events[3]!.input).toEqual({ big: '10' });
    expect((await storedSession(project, orphan.key)).events.map((e) => e.name)).toEqual(['kept']);

    const summary = errors.map((e) => [e.code, e.serverCode, e.count]);
    expect(summary).toEqual([
      ['SESSION_REJECTED', 'BAD_USER_INPUT', 0],
      ['EVENT_REJECTED', 'INVALID_VALUE', 1],
      ['BATCH_REJECTED', 'BAD_USER_INPUT', 1],
    ]);
    expect(errors[1]!.rejection).toMatchObject({ eventId: bad.id, code: 'INVALID_VALUE' });
    expect(errors[2]!.message).toContain('NOT_A_TYPE');
    expect(tracker.stats).toMatchObject({ rejected: 2, dropped: 0 });

    // Ending a session again with another status, and a key the server does not know.
    const other = makeTracker(project);
    other.tracker.conversation(session.key).end('FAILED');
    expect(await other.tracker.flush()).toBe(true);
    const unknown = makeTracker(project, { apiKey: 'sl_not-a-real-key-0123456789' });
    unknown.tracker.log('lost');
    expect(await unknown.tracker.flush()).toBe(true);
    expect(other.errors.map((e) => [e.code, e.serverCode, e.sessionKey])).toEqual([['SESSION_REJECTED', 'BAD_USER_INPUT', session.key]]);
    expect(unknown.errors.map((e) => [e.code, e.serverCode, e.count])).toEqual([['UNAUTHORIZED', 'UNAUTHENTICATED', 1]]);
  });

  it('keeps a bounded buffer: the oldest events are dropped and counted', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project, { maxBufferSize: 10, flushAt: Number.POSITIVE_INFINITY, flushIntervalMs: 0 });
    const session = tracker.startSession();
    for (let i = 0; i < 25; i++) session.custom(`b${i}`);
    expect(tracker.stats).toMatchObject({ tracked: 25, buffered: 10, dropped: 15 });
    expect(await tracker.flush()).toBe(true);
    expect((await storedSession(project, session.key)).events.map((e) => e.name)).toEqual(Array.from({ length: 10 }, (_, i) => `b${i + 15}`));
    expect(errors.map((e) => [e.code, e.count])).toEqual([['EVENTS_DROPPED', 15]]);
  });

  it('makes the next request while one is in flight, and sends what the queue holds when that one is answered', async () => {
    const project = await server.newProject();
    const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `e${from + i}`);
    // Untouched, the request made ahead goes as it is; when the full buffer pushes out its oldest
    // event meanwhile, the request is made again from what the queue holds.
    for (const overflow of [false, true]) {
      const observed = observedFetch();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reached!: () => void;
      const firstReached = new Promise<void>((resolve) => (reached = resolve));
      let calls = 0;
      const held: typeof globalThis.fetch = async (input, init) => {
        if (calls++ === 0) {
          reached();
          await released;
        }
        return observed.fetch(input, init);
      };
      const { tracker, errors } = makeTracker(project, { fetch: held, flushAt: 5, maxBatchSize: 5, maxBufferSize: 8, flushIntervalMs: 0 });
      const session = tracker.startSession();
      for (let i = 0; i < 5; i++) session.custom(`e${i}`);
      await firstReached;
      // e0..e4 are held in flight; the sender makes e5..e9 meanwhile (on the next turn of the loop).
      for (let i = 5; i < 10; i++) session.custom(`e${i}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (overflow) for (let i = 10; i < 14; i++) session.custom(`e${i}`); // e13 pushes out e5
      release();
      expect(await tracker.flush()).toBe(true);
      const expected = overflow ? [...names(0, 5), ...names(6, 14)] : names(0, 10);
      expect(observed.sent.map((r) => r.eventNames)).toEqual(overflow ? [names(0, 5), names(6, 11), names(11, 14)] : [names(0, 5), names(5, 10)]);
      expect(observed.maxInFlight()).toBe(1);
      expect((await storedSession(project, session.key)).events.map((e) => e.name)).toEqual(expected);
      expect(errors.map((e) => [e.code, e.count])).toEqual(overflow ? [['EVENTS_DROPPED', 1]] : []);
    }
  });
});

/** A TCP gate in front of the server: open, it forwards; shut, connections are refused and cut. */
async function gate(targetPort: number) {
  const sockets = new Set<Socket>();
  let listener: Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      listener = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      listener.listen(port, '127.0.0.1', () => {
        port = (listener!.address() as { port: number }).port;
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      listener!.close(() => resolve());
    });
  await open();
  return { url: () => `http://127.0.0.1:${port}`, open, shut };
}

describe('SDK: watching', () => {
  it('watchSession delivers the live timeline and resumes from the last cursor after a disconnect', async () => {
    const project = await server.newProject();
    const { tracker, errors } = makeTracker(project);
    const session = tracker.startSession({ name: 'watched' });
    session.custom("w0");
    expect(await tracker.flush()).toBe(true);

    const proxy = await gate(Number(new URL(server.url).port));
    const events: string[] = [];
    const statuses: string[] = [];
    const changed = new Condition();
    let connections = 0;
    const watchErrors: SightlineError[] = [];
    const watch = tracker.watchSession(
      session.key,
      (update: TimelineUpdate) => {
        if (update.__typename === 'EventAppended') events.push(update.event.name!);
        else statuses.push(update.session.status);
        changed.notify();
      },
      { endpoint: proxy.url(), apiKey: project.read, retry: { initialDelayMs: 20, maxDelayMs: 50 }, onError: (e) => watchErrors.push(e), onConnected: () => (connections++, changed.notify()) },
    );
    await changed.until(() => connections === 1);
    // From its start: w0 was there before, so only what follows comes.
    session.custom("w1");
    session.custom("w2");
    expect(await tracker.flush()).toBe(true);
    await changed.until(() => events.length === 2);
    const cursorBefore = watch.cursor;
    expect(cursorBefore).not.toBeNull();

    // Cut: everything ingested while the watcher is away arrives after it reconnects, once.
    await proxy.shut();
    for (let i = 3; i < 8; i++) session.custom(`w${i}`);
    expect(await tracker.flush()).toBe(true);
    await proxy.open();
    await changed.until(() => events.length === 7);
    session.custom("w8");
    session.end('SUCCEEDED');
    expect(await tracker.flush()).toBe(true);
    await changed.until(() => events.length === 8 && statuses.includes('SUCCEEDED'));
    expect(connections).toBeGreaterThanOrEqual(2);
    expect(events).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8']);
    expect(watch.cursor).not.toBe(cursorBefore);

    // A watcher given `after` replays from there; one with an INGEST key fails for good.
    const replayed: string[] = [];
    const replay = tracker.watchSession(session.key, (u) => {
      if (u.__typename === 'EventAppended') replayed.push(u.event.name!);
      changed.notify();
    }, { apiKey: project.read, after: cursorBefore });
    await changed.until(() => replayed.length === 6);
    expect(replayed).toEqual(['w3', 'w4', 'w5', 'w6', 'w7', 'w8']);
    const refusals: SightlineError[] = [];
    const refused = tracker.watchSession(session.key, () => {}, { onError: (e) => refusals.push(e) });
    await refused.done;
    expect(refusals.map((e) => [e.code, e.serverCode])).toEqual([['WATCH_FAILED', 'FORBIDDEN']]);

    await Promise.all([watch.close(), replay.close()]);
    await proxy.shut();
    expect(watchErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
