/**
 * Security review (issue 6, item 6), through the real surfaces. Project B's keys try to reach
 * project A's data through every field and argument, node and subscription, with A's real ids,
 * keys and cursors and with forged ones; every attempt must get the answer a value that exists
 * nowhere gets (so not even existence leaks) and must leave A untouched. Keys must match exactly.
 * And no secret may reach a log line, at any log level, including the first-run ADMIN key, which
 * goes to the terminal only. docs/SECURITY.md is the threat model these tests stand behind.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it as base } from 'vitest';
import { freshDatabase } from './chaos/support/chaos-database.js';
import { graphql } from './generated/gql.js';
import type { EventInput } from './generated/graphql.js';
import { execute, request, type GraphQLResponse } from './helpers/execute.js';
import { at, event, uniqueKey } from './helpers/factories.js';
import { connectLive, LiveSockets, subscribe, writeUntilHeard } from './helpers/live.js';
import { describeOutput, killProcess, ServerProcesses } from './helpers/process.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const it = base.extend<{ live: LiveSockets }>({
  // eslint-disable-next-line no-empty-pattern
  live: async ({}, use) => {
    const sockets = new LiveSockets();
    await use(sockets);
    await sockets.disposeAll();
  },
});

const SecIngest = graphql(`
  mutation SecIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index code message } }
  }
`);

const SecSessionDetail = graphql(`
  query SecSessionDetail($key: String!) {
    session(key: $key) {
      id key name status tags metadata eventCount timelineCursor
      agent { id name }
      events(first: 10) { edges { cursor node { id key parent { key } children { key } } } }
      tree { depth parentId event { key } }
    }
    sessions(first: 1) { edges { cursor } }
    viewer { project { id } apiKey { id } }
  }
`);

const SecNode = graphql(`
  query SecNode($id: ID!) {
    node(id: $id) { id __typename }
  }
`);

const SecSessionById = graphql(`
  query SecSessionById($id: ID!) {
    session(id: $id) { id key }
  }
`);

const SecSessionByKey = graphql(`
  query SecSessionByKey($key: String!) {
    session(key: $key) {
      id key name eventCount metadata
      events(first: 50) { edges { node { key input parent { key } children { key } } } }
      tree { depth parentId event { key } }
    }
  }
`);

const SecSessions = graphql(`
  query SecSessions($filter: SessionFilter, $after: String) {
    sessions(first: 50, filter: $filter, after: $after) {
      totalCount
      edges { node { key } }
    }
  }
`);

const SecAnalytics = graphql(`
  query SecAnalytics($filter: SessionFilter) {
    analytics(filter: $filter) {
      sessions events errors costUsd promptTokens
      byAgent { key sessions }
      byModel { key events }
      topTools { key events }
      feedback { key events }
    }
  }
`);

const SecEventsAfter = graphql(`
  query SecEventsAfter($key: String!, $after: String, $before: String) {
    session(key: $key) {
      events(first: 50, after: $after, before: $before) { edges { node { key } } }
    }
  }
`);

const SecLists = graphql(`
  query SecLists {
    apiKeys { id name prefix }
    agents { id name }
  }
`);

const SecRevoke = graphql(`
  mutation SecRevoke($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

const SecEnd = graphql(`
  mutation SecEnd($input: EndSessionInput!) {
    endSession(input: $input) { id key status }
  }
`);

const SecStart = graphql(`
  mutation SecStart($input: StartSessionInput!) {
    startSession(input: $input) { id key name eventCount metadata agent { name } }
  }
`);

const SecCreateKey = graphql(`
  mutation SecCreateKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { id prefix } }
  }
`);

const SecViewer = graphql(`
  query SecViewer {
    viewer { role project { id } }
  }
`);

const SecTimeline = graphql(`
  subscription SecTimeline($id: ID, $key: String, $after: String) {
    sessionTimeline(id: $id, key: $key, after: $after) {
      __typename
      ... on EventAppended { cursor event { key session { key } } }
      ... on SessionChanged { session { id key } }
    }
  }
`);

const SecFeed = graphql(`
  subscription SecFeed($filter: SessionFilter) {
    sessionsFeed(filter: $filter) { session { id key } }
  }
`);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

const b64 = (text: string) => Buffer.from(text).toString('base64url');
/** Global ids the server never handed out: row ids no test reaches (32-bit, so valid on PostgreSQL). */
const nowhere = (type: string) => b64(`${type}:${2_000_000_000 + Math.floor(Math.random() * 100_000_000)}`);
const eventInput = (...args: Parameters<typeof event>) => event(...args) as EventInput;

/**
 * What a response tells a client: status, data, and each error's message, code and path. The
 * value probed is blanked, so an error that merely echoes it does not count as a difference.
 */
function observable(response: GraphQLResponse<unknown>, probed: string): string {
  const seen = {
    status: response.status,
    data: response.data ?? null,
    errors: (response.errors ?? []).map((error) => ({ message: error.message, code: error.extensions?.code, path: error.path })),
  };
  const json = JSON.stringify(seen);
  // Short values (a tag, "") also occur by chance in any answer: only long ones are blanked.
  return probed.length < 8 ? json : json.split(JSON.stringify(probed).slice(1, -1)).join('<probed>');
}

/** B asking with A's value is answered exactly as B asking with a value that exists nowhere. */
async function expectSameAnswer<T>(label: string, probe: (value: string) => Promise<GraphQLResponse<T>>, aValue: string, nowhereValue: string): Promise<GraphQLResponse<T>> {
  const withA = await probe(aValue);
  const withNothing = await probe(nowhereValue);
  expect(observable(withA, aValue), label).toBe(observable(withNothing, nowhereValue));
  return withA;
}

interface ProjectA {
  project: TestProject;
  sessionKey: string;
  /** A key of A's used nowhere else. */
  onlyKey: string;
  root: string;
  child: string;
  tool: string;
  feedback: string;
  ids: { Project: string; Agent: string; ApiKey: string; Session: string; Event: string };
  cursors: { sessions: string; events: string; timeline: string };
  agentName: string;
}

/** Project A: one session with a small tree, an agent, tags, metadata, a model, a tool, feedback. */
async function projectA(): Promise<ProjectA> {
  const agentName = uniqueKey('agent-A');
  const project = await server.newProject({ ingestAgentName: agentName });
  const sessionKey = uniqueKey('A-session');
  const root = uniqueKey('A-root');
  const child = uniqueKey('A-child');
  const tool = uniqueKey('A-tool');
  const feedback = uniqueKey('A-feedback');
  await execute(server.url, SecIngest, {
    input: {
      sessions: [{ key: sessionKey, name: 'A secret name', tags: ['tag-A'], metadata: { tenant: 'A' } }],
      events: [
        eventInput(sessionKey, { id: root, type: 'AGENT', name: 'root', timestamp: at(0), input: { secret: 'A-input' } }),
        eventInput(sessionKey, { id: child, parentId: root, type: 'LLM_CALL', model: 'model-A', promptTokens: 7, costUsd: 0.5, durationMs: 3, timestamp: at(1) }),
        eventInput(sessionKey, { id: tool, parentId: root, type: 'TOOL_CALL', name: 'tool-A', timestamp: at(2) }),
        eventInput(sessionKey, { id: feedback, type: 'FEEDBACK', name: 'feedback-A', timestamp: at(3) }),
      ],
    },
  }, { key: project.ingest });
  const { session, sessions, viewer } = await execute(server.url, SecSessionDetail, { key: sessionKey }, { key: project.read });
  const onlyKey = uniqueKey('A-only');
  await execute(server.url, SecStart, { input: { key: onlyKey } }, { key: project.ingest });
  return {
    project,
    sessionKey,
    onlyKey,
    root,
    child,
    tool,
    feedback,
    agentName,
    ids: {
      Project: viewer.project.id,
      Agent: session!.agent!.id,
      ApiKey: viewer.apiKey.id,
      Session: session!.id,
      Event: session!.events.edges[0]!.node.id,
    },
    cursors: { sessions: sessions.edges[0]!.cursor, events: session!.events.edges[0]!.cursor, timeline: session!.timelineCursor },
  };
}

/** A's session as A sees it, to prove every attempt left it alone. */
async function snapshotOf(a: ProjectA) {
  const { session } = await execute(server.url, SecSessionByKey, { key: a.sessionKey }, { key: a.project.admin });
  const { apiKeys } = await execute(server.url, SecLists, undefined, { key: a.project.admin });
  return { session, keys: apiKeys.length, viewer: (await execute(server.url, SecViewer, undefined, { key: a.project.read })).viewer.role };
}

describe('project B cannot reach project A', () => {
  let a: ProjectA;
  let b: TestProject;
  let before: Awaited<ReturnType<typeof snapshotOf>>;
  beforeAll(async () => {
    a = await projectA();
    b = await server.newProject();
    before = await snapshotOf(a);
  });
  afterAll(async () => {
    // Whatever the tests below tried, A is as it was.
    expect(await snapshotOf(a)).toEqual(before);
  });

  it('node(id) and session(id): A\'s rows of every type answer as ids that exist nowhere (null)', async () => {
    for (const [type, id] of Object.entries(a.ids)) {
      const node = await expectSameAnswer(`node(${type})`, (value) => request(server.url, SecNode, { id: value }, { key: b.admin }), id, nowhere(type));
      expect(node.data).toEqual({ node: null });
    }
    const session = await expectSameAnswer('session(id)', (value) => request(server.url, SecSessionById, { id: value }, { key: b.read }), a.ids.Session, nowhere('Session'));
    expect(session.data).toEqual({ session: null });
    // A's row ids under another type name are no better.
    const rowId = Buffer.from(a.ids.Session, 'base64url').toString().split(':')[1]!;
    for (const type of ['Event', 'Agent', 'ApiKey', 'Project']) {
      expect((await execute(server.url, SecNode, { id: b64(`${type}:${rowId}`) }, { key: b.admin })).node).toBeNull();
    }
  });

  it('session(key), and sessions and analytics filtered by A\'s names, tags, metadata, model and search, answer as for values that exist nowhere', async () => {
    const byKey = await expectSameAnswer('session(key)', (value) => request(server.url, SecSessionByKey, { key: value }, { key: b.read }), a.sessionKey, uniqueKey('nowhere'));
    expect(byKey.data).toEqual({ session: null });
    const filters: [string, (value: string) => object, string][] = [
      ['agentNames', (v) => ({ agentNames: [v] }), a.agentName],
      ['tagsAll', (v) => ({ tagsAll: [v] }), 'tag-A'],
      ['tagsAny', (v) => ({ tagsAny: [v] }), 'tag-A'],
      ['metadata', (v) => ({ metadata: [{ key: 'tenant', equals: v }] }), 'A'],
      ['model', (v) => ({ model: v }), 'model-A'],
      ['search by key', (v) => ({ search: v }), a.sessionKey],
      ['search by name', (v) => ({ search: v }), 'A secret name'],
    ];
    for (const [label, filter, value] of filters) {
      const sessions = await expectSameAnswer(`sessions(${label})`, (v) => request(server.url, SecSessions, { filter: filter(v) }, { key: b.read }), value, uniqueKey('nowhere'));
      expect(sessions.data?.sessions.totalCount, label).toBe(0);
      const analytics = await expectSameAnswer(`analytics(${label})`, (v) => request(server.url, SecAnalytics, { filter: filter(v) }, { key: b.read }), value, uniqueKey('nowhere'));
      expect(analytics.data?.analytics, label).toMatchObject({ sessions: 0, events: 0, byAgent: [], byModel: [], topTools: [], feedback: [] });
    }
    // Unfiltered, B's analytics hold none of A's agents, models, tools or feedback.
    const { analytics } = await execute(server.url, SecAnalytics, {}, { key: b.read });
    expect(JSON.stringify(analytics)).not.toMatch(/agent-A|model-A|tool-A|feedback-A/);
  });

  it('apiKeys and agents list only B\'s own', async () => {
    const asB = await execute(server.url, SecLists, undefined, { key: b.admin });
    expect(asB.apiKeys.map((key) => key.id)).not.toContain(a.ids.ApiKey);
    expect(asB.agents.map((agent) => agent.name)).not.toContain(a.agentName);
    expect(asB.apiKeys).toHaveLength(3); // newProject's three
  });

  it('revokeApiKey of A\'s key and endSession of A\'s session: NOT_FOUND as for nonexistent ones, and A keeps working', async () => {
    const revoke = await expectSameAnswer('revokeApiKey', (id) => request(server.url, SecRevoke, { id }, { key: b.admin }), a.ids.ApiKey, nowhere('ApiKey'));
    expect(revoke.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    const byId = await expectSameAnswer(
      'endSession(id)', (id) => request(server.url, SecEnd, { input: { id, status: 'FAILED' } }, { key: b.ingest }), a.ids.Session, nowhere('Session'),
    );
    expect(byId.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    const byKey = await expectSameAnswer(
      'endSession(key)', (key) => request(server.url, SecEnd, { input: { key, status: 'FAILED' } }, { key: b.ingest }), a.onlyKey, uniqueKey('nowhere'),
    );
    expect(byKey.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    // The afterAll snapshot checks A's session status and its keys.
  });

  it('startSession and ingestBatch with A\'s session key and event ids make B\'s own rows: no duplicate, nothing of A', async () => {
    const started = await expectSameAnswer(
      'startSession(key)',
      (key) => request(server.url, SecStart, { input: { key } }, { key: b.ingest }).then((response) => ({
        ...response, data: response.data && { startSession: { ...response.data.startSession, id: '<new>' } },
      })),
      a.onlyKey, uniqueKey('nowhere'),
    );
    expect(started.data?.startSession).toMatchObject({ key: a.onlyKey, name: null, eventCount: 0, metadata: null });
    // The same event ids as A's, into a session key A uses: accepted, not duplicates.
    const batch = (sessionKey: string, id: string) => request(server.url, SecIngest, { input: { events: [eventInput(sessionKey, { id, timestamp: at(5) })] } }, { key: b.ingest });
    for (const id of [a.child, a.feedback]) {
      const aSide = await batch(a.sessionKey, id);
      const nowhereSide = await batch(uniqueKey('nowhere'), uniqueKey('nowhere-event'));
      expect(aSide.data?.ingestBatch).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect(nowhereSide.data?.ingestBatch).toEqual(aSide.data?.ingestBatch);
    }
    const { session } = await execute(server.url, SecSessionByKey, { key: a.sessionKey }, { key: b.read });
    expect(session?.eventCount).toBe(2);
    expect(JSON.stringify(session)).not.toContain('A-input');
  });

  it('Event.parent, Event.children and Session.tree stay in B, even for events named after A\'s', async () => {
    const sessionKey = uniqueKey('B-tree');
    const twin = uniqueKey('B-twin');
    const grandchild = uniqueKey('B-grandchild');
    // B stores an event under A's root id (A's root has children in A), and names A's tool
    // event (which exists only in A) as a parent.
    await execute(server.url, SecIngest, {
      input: {
        events: [
          eventInput(sessionKey, { id: a.root, timestamp: at(10) }),
          eventInput(sessionKey, { id: twin, parentId: a.tool, timestamp: at(11) }),
          eventInput(sessionKey, { id: grandchild, parentId: twin, timestamp: at(12) }),
        ],
      },
    }, { key: b.ingest });
    const { session } = await execute(server.url, SecSessionByKey, { key: sessionKey }, { key: b.read });
    const nodes = session!.events.edges.map((edge) => edge.node);
    expect(nodes.map((node) => [node.key, node.parent?.key ?? null, node.children.map((c) => c.key)])).toEqual([
      [a.root, null, []],
      [twin, null, [grandchild]],
      [grandchild, twin, []],
    ]);
    expect(session!.tree.map((node) => [node.event.key, node.depth])).toEqual([[a.root, 0], [twin, 0], [grandchild, 1]]);
  });

  it('A\'s cursors in B\'s lists page through B\'s rows only; forged ones are refused like garbage', async () => {
    const sessionKey = uniqueKey('B-cursor');
    await execute(server.url, SecIngest, { input: { events: [eventInput(sessionKey, { timestamp: at(-5) }), eventInput(sessionKey, { timestamp: at(20) })] } }, { key: b.ingest });
    const bKeys = new Set((await execute(server.url, SecSessions, {}, { key: b.read })).sessions.edges.map((edge) => edge.node.key));
    // A cursor is a position, not a capability: in B's list it finds B's rows around it.
    const sessions = await execute(server.url, SecSessions, { after: a.cursors.sessions }, { key: b.read });
    expect(sessions.sessions.edges.every((edge) => bKeys.has(edge.node.key))).toBe(true);
    for (const field of ['after', 'before'] as const) {
      const { session } = await execute(server.url, SecEventsAfter, { key: sessionKey, [field]: a.cursors.events }, { key: b.read });
      expect(session!.events.edges.every((edge) => !edge.node.key.includes('A-'))).toBe(true);
    }

    const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    const encode = (tuple: unknown[]) => b64(JSON.stringify(tuple));
    const [sessionsKind, ...sessionValues] = decode(a.cursors.sessions);
    const [eventsKind, ...eventValues] = decode(a.cursors.events);
    const forged: [string, string][] = [
      ['timeline cursor as a list cursor', a.cursors.timeline],
      ['events cursor in sessions', a.cursors.events],
      ['another order\'s kind', encode(['sessions:COST:ASC', ...sessionValues])],
      ['a string for the id', encode([sessionsKind, sessionValues[0], String(sessionValues[1])])],
      ['a negative id', encode([sessionsKind, sessionValues[0], -1])],
      ['an id past 32 bits', encode([sessionsKind, sessionValues[0], 2 ** 31])],
      ['a fractional id', encode([sessionsKind, sessionValues[0], 1.5])],
      ['one value more', encode([sessionsKind, ...sessionValues, 1])],
      ['an object', b64(JSON.stringify({ kind: sessionsKind }))],
      ['standard base64 with padding', Buffer.from(JSON.stringify([sessionsKind, ...sessionValues, 1])).toString('base64')],
    ];
    const garbage = await request(server.url, SecSessions, { after: 'garbage' }, { key: b.read });
    expect(garbage.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    for (const [label, cursor] of forged) {
      const response = await request(server.url, SecSessions, { after: cursor }, { key: b.read });
      expect(observable(response, cursor), label).toBe(observable(garbage, 'garbage'));
    }
    const eventsGarbage = await request(server.url, SecEventsAfter, { key: sessionKey, after: 'garbage' }, { key: b.read });
    for (const [label, cursor] of [
      ['a sessions cursor', a.cursors.sessions],
      ['the timeline cursor', a.cursors.timeline],
      ['a string position', encode([eventsKind, String(eventValues[0]), eventValues[1]])],
      ['a negative seq', encode([eventsKind, eventValues[0], -1])],
      ['a null position', encode([eventsKind, null, eventValues[1]])],
    ] as [string, string][]) {
      const response = await request(server.url, SecEventsAfter, { key: sessionKey, after: cursor }, { key: b.read });
      expect(observable(response, cursor), label).toBe(observable(eventsGarbage, 'garbage'));
    }
  });

  it('forged global ids answer as ids that exist nowhere, whatever they hold', async () => {
    const rowId = Buffer.from(a.ids.Session, 'base64url').toString().split(':')[1]!;
    const forged: Record<string, string> = {
      'another type name': b64(`Viewer:${rowId}`),
      'a lower-case type': b64(`session:${rowId}`),
      'a leading zero': b64(`Session:0${rowId}`),
      'a sign': b64(`Session:+${rowId}`),
      'spaces': b64(`Session: ${rowId}`),
      'a huge number': b64('Session:99999999999999999999999999'),
      'a negative number': b64(`Session:-${rowId}`),
      'an exponent': b64('Session:1e3'),
      'not base64': '!!!not base64!!!',
      'A\'s id in standard base64': Buffer.from(`Session:${rowId}`).toString('base64'),
      'A\'s id with a suffix': `${a.ids.Session}AAAA`,
      'unicode': b64(`Session:${rowId}\u0000`),
      'empty': '',
    };
    const reference = (value: string) => request(server.url, SecSessionById, { id: value }, { key: b.read });
    const referenceNode = (value: string) => request(server.url, SecNode, { id: value }, { key: b.read });
    for (const [label, id] of Object.entries(forged)) {
      await expectSameAnswer(`session(id: ${label})`, reference, id, nowhere('Session'));
      await expectSameAnswer(`node(${label})`, referenceNode, id, nowhere('Session'));
      const end = await request(server.url, SecEnd, { input: { id, status: 'FAILED' } }, { key: b.ingest });
      expect(end.errors?.map((error) => error.extensions?.code), label).toEqual(['NOT_FOUND']);
      const revoke = await request(server.url, SecRevoke, { id }, { key: b.admin });
      expect(revoke.errors?.map((error) => error.extensions?.code), label).toEqual(['NOT_FOUND']);
    }
  });

  it('subscriptions: A\'s session id is NOT_FOUND as a nonexistent one, A\'s key and A\'s writes never reach B\'s watchers, A\'s cursor is refused', async ({ live }) => {
    const socket = live.connect(server.url, b.read);
    await socket.acknowledged;
    // Errors name no value, so the first message of each subscription compares as a whole.
    const errorOf = async (variables: { id?: string; key?: string; after?: string }) => JSON.stringify(await subscribe(socket, SecTimeline, variables).take());
    expect(await errorOf({ id: a.ids.Session })).toBe(await errorOf({ id: nowhere('Session') }));
    expect(await errorOf({ id: a.ids.Session })).toContain('NOT_FOUND');
    // A's timeline cursor, on a key of B's (existing or not): not a cursor of this timeline.
    const withACursor = await errorOf({ key: a.onlyKey, after: a.cursors.timeline });
    const forgedCursor = b64(JSON.stringify(['ingest', 2_000_000_000, 1]));
    expect(withACursor).toBe(await errorOf({ key: a.onlyKey, after: forgedCursor }));
    expect(withACursor).toContain('BAD_USER_INPUT');

    // Watching A's key from B, and B's whole feed, while both projects write under that key
    // (A's second session, so the snapshot of A's first one stays as it was).
    const timeline = subscribe(socket, SecTimeline, { key: a.onlyKey });
    const feed = subscribe(socket, SecFeed, {});
    const aWrites: string[] = [];
    await writeUntilHeard([timeline, feed], async () => {
      const aEvent = uniqueKey('A-live');
      aWrites.push(aEvent);
      await execute(server.url, SecIngest, { input: { events: [eventInput(a.onlyKey, { id: aEvent })] } }, { key: a.project.ingest });
      await execute(server.url, SecIngest, { input: { events: [eventInput(a.onlyKey, { id: uniqueKey('B-live') })] } }, { key: b.ingest });
    });
    // One more write by A after B's watchers are live: still nothing of it.
    const last = uniqueKey('A-live');
    aWrites.push(last);
    await execute(server.url, SecIngest, { input: { events: [eventInput(a.onlyKey, { id: last })] } }, { key: a.project.ingest });
    const closing = uniqueKey('B-live');
    await execute(server.url, SecIngest, { input: { events: [eventInput(a.onlyKey, { id: closing })] } }, { key: b.ingest });
    await timeline.messages.seen((message) => JSON.stringify(message).includes(closing));
    const heard = JSON.stringify([timeline.messages.history, feed.messages.history]);
    const { session: aOnly } = await execute(server.url, SecSessionByKey, { key: a.onlyKey }, { key: a.project.read });
    for (const id of [...aWrites, aOnly!.id, a.ids.Session]) expect(heard).not.toContain(id);
    const { session: bSession } = await execute(server.url, SecSessionByKey, { key: a.onlyKey }, { key: b.read });
    expect(heard).toContain(bSession!.id);
  });
});

describe('API keys', () => {
  it('a near miss of a real key is UNAUTHENTICATED, exactly like a key that never existed', async () => {
    const project = await server.newProject();
    const secret = project.read;
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const misses = [
      flip(secret, secret.length - 1), flip(secret, 3), flip(secret, Math.floor(secret.length / 2)),
      secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), secret.toLowerCase(), ` ${secret}x`, secret.slice(0, 20),
      `sl_${'A'.repeat(secret.length - 3)}`,
    ].filter((miss) => miss !== secret);
    const unknown = await request(server.url, SecViewer, undefined, { key: `sl_${randomUUID()}${randomUUID()}` });
    expect(unknown.status).toBe(401);
    for (const miss of misses) {
      const response = await request(server.url, SecViewer, undefined, { key: miss });
      expect(observable(response, miss), miss).toBe(observable(unknown, 'nothing to blank'));
    }
    // The real one, for contrast: the refusals above are about the secret, not the request.
    expect((await execute(server.url, SecViewer, undefined, { key: secret })).viewer.role).toBe('READ');
  });

  it('labels PostgreSQL cannot store, or that are not Unicode, are BAD_USER_INPUT on both databases', async () => {
    const project = await server.newProject();
    for (const input of [
      { name: 'a\u0000b', role: 'READ' as const },
      { name: 'ok', role: 'INGEST' as const, agentName: 'agent\u0000' },
      { name: 'lone \ud800 surrogate', role: 'READ' as const },
      { name: 'ok', role: 'INGEST' as const, agentName: '\udc00' },
    ]) {
      const response = await request(server.url, SecCreateKey, { input }, { key: project.admin });
      expect(response.errors?.map((error) => error.extensions?.code), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
    }
    // A well-formed pair is not an unpaired surrogate.
    const emoji = await execute(server.url, SecCreateKey, { input: { name: 'key 😀', role: 'READ' } }, { key: project.admin });
    expect(emoji.createApiKey.secret).toMatch(/^sl_/);
  });
});

describe('filters ask for bounded work', () => {
  it('lists past 100 values, more than 10 subquery conditions, searches longer than any name and key, and U+0000 are BAD_USER_INPUT naming the argument', async () => {
    const project = await server.newProject();
    const many = Array.from({ length: 101 }, (_, i) => `v${i}`);
    const refused: [string, object][] = [
      ['filter.tagsAny', { tagsAny: many }],
      ['filter.tagsAll', { tagsAll: many }],
      ['filter.agentNames', { agentNames: many }],
      ['filter.metadata', { metadata: many.map((key) => ({ key, equals: 1 })) }],
      // Each tagsAll or metadata entry is a subquery: ten together at most.
      ['filter.tagsAll and filter.metadata', { tagsAll: many.slice(0, 6), metadata: many.slice(0, 5).map((key) => ({ key, equals: 1 })) }],
      ['filter.search', { search: 'x'.repeat(1202) }],
      ['filter.search', { search: 'a\u0000b' }],
      ['filter.model', { model: '\u0000' }],
      ['filter.metadata[0].key', { metadata: [{ key: '\u0000', equals: 1 }] }],
    ];
    for (const [argument, filter] of refused) {
      for (const document of [SecSessions, SecAnalytics]) {
        const response = await request(server.url, document, { filter }, { key: project.read });
        expect(response.errors?.map((error) => error.extensions?.code), argument).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0]?.message).toContain(argument);
      }
    }
    // At the bounds, they are answered.
    const atBounds = {
      tagsAny: many.slice(0, 100), tagsAll: many.slice(0, 5), metadata: many.slice(0, 5).map((key) => ({ key, equals: 1 })),
      search: 'x'.repeat(1201), minDurationMs: 1e308, maxDurationMs: -1e308,
    };
    expect((await execute(server.url, SecSessions, { filter: atBounds }, { key: project.read })).sessions.totalCount).toBe(0);
    expect((await execute(server.url, SecAnalytics, { filter: atBounds }, { key: project.read })).analytics.sessions).toBe(0);
    // A key holding U+0000 names no session (PostgreSQL could not even look it up).
    expect((await execute(server.url, SecSessionByKey, { key: 'a\u0000' }, { key: project.read })).session).toBeNull();
  });
});

describe('hostile documents and variables are refusals, not internal errors (found by test/chaos/fuzz.test.ts)', () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await server.newProject();
  });
  const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((error) => error.extensions?.code);
  const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

  it('nesting: 3,000 brackets in a document and 10,000 levels of JSON in variables are BAD_USER_INPUT; 90 pass', async () => {
    const deepLiteral = await request(server.url, `mutation { startSession(input: {metadata: {d: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}}}) { id } }`, undefined, { key: project.ingest });
    expect([deepLiteral.status, codesOf(deepLiteral)]).toEqual([400, ['BAD_USER_INPUT']]);
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${project.ingest}` },
      body: `{"query":"mutation($input: IngestBatchInput!) { ingestBatch(input: $input) { accepted } }","variables":{"input":{"events":[{"id":"deep","sessionKey":"deep","type":"LOG","timestamp":"${new Date().toISOString()}","input":${nested(10_000)}}]}}}`,
    });
    const body = (await response.json()) as GraphQLResponse<unknown>;
    expect([response.status, codesOf({ ...body, status: response.status, headers: response.headers })]).toEqual([400, ['BAD_USER_INPUT']]);
    // The limit counts every level of the variables, the input objects around the payload included.
    const fine = await execute(server.url, SecIngest, { input: { events: [eventInput(uniqueKey(), { input: JSON.parse(nested(90)) as unknown })] } }, { key: project.ingest });
    expect(fine.ingestBatch.accepted).toBe(1);
  });

  it('a document past 100,000 characters is refused before it is parsed or cached, even without a key; a long name too', async () => {
    // Yoga caches parsed documents by their text, before authentication: a bound keeps that cache small.
    const huge = await request(server.url, `# ${'x'.repeat(100_000)}\n{ viewer { role } }`, undefined, {});
    expect([huge.status, codesOf(huge)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(huge.errors?.[0]?.message).toMatch(/variables/);
    const fits = await request(server.url, `# ${'x'.repeat(90_000)}\n{ viewer { role } }`, undefined, { key: project.read });
    expect(fits.data).toEqual({ viewer: { role: 'READ' } });
    // A name of 50,000 characters took graphql-js seconds to refuse, and came back whole in the error.
    const started = performance.now();
    const name = await request(server.url, `{ ${'x'.repeat(50_000)} }`, undefined, { key: project.read });
    expect(codesOf(name)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(name.errors).length).toBeLessThan(1000);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a subscription holds no more than it needs: keys longer than any session key and oversized variables are refused', async ({ live }) => {
    const socket = live.connect(server.url, project.read);
    await socket.acknowledged;
    const longKey = await subscribe(socket, SecTimeline, { key: 'k'.repeat(201) }).errorCodes();
    expect(longKey).toEqual(['BAD_USER_INPUT']);
    const bigFilter = await subscribe(socket, SecFeed, { filter: { metadata: [{ key: 'k', equals: 'v'.repeat(70_000) }] } }).errorCodes();
    expect(bigFilter).toEqual(['BAD_USER_INPUT']);
    // At the bound it runs: the feed hears a session start.
    const feed = subscribe(socket, SecFeed, { filter: { search: 'x'.repeat(1201) } });
    const timeline = subscribe(socket, SecTimeline, { key: 'k'.repeat(200) });
    const sessionKey = `${'k'.repeat(200)}`;
    await writeUntilHeard([timeline], async () => {
      await execute(server.url, SecIngest, { input: { events: [eventInput(sessionKey)] } }, { key: project.ingest });
    });
    expect(feed.messages.history.filter((message) => message.type === 'error')).toEqual([]);
  });

  it('literals graphql-jit would alter: Infinity floats, variables and __proto__ inside JSON literals', async () => {
    for (const document of [
      '{ sessions(filter: {minDurationMs: 1e400}) { totalCount } }',
      'mutation { ingestBatch(input: {events: [{id: "i", sessionKey: "i", type: LOG, timestamp: "2026-01-01T00:00:00Z", durationMs: 1e400}]}) { accepted } }',
      'mutation($v: JSON) { startSession(input: {metadata: {a: $v}}) { metadata } }',
      'mutation { startSession(input: {metadata: {__proto__: {isAdmin: true}}}) { metadata } }',
    ]) {
      const response = await request(server.url, document, { v: 1 }, { key: project.admin });
      expect(codesOf(response), document).toEqual(['BAD_USER_INPUT']);
    }
    // Through variables the same values arrive whole: __proto__ is a key like any other.
    const viaVariable = await request(server.url, 'mutation($m: JSON) { startSession(input: {metadata: $m}) { metadata } }', { m: JSON.parse('{"__proto__":{"isAdmin":true}}') as unknown }, { key: project.ingest });
    expect(JSON.stringify(viaVariable.data)).toBe('{"startSession":{"metadata":{"__proto__":{"isAdmin":true}}}}');
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('variables that are not JSON, in a GET query string, are BAD_USER_INPUT', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ viewer { role } }')}&variables=%7Bnope`, { headers: { authorization: `Bearer ${project.read}` } });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect([response.status, body.errors.map((error) => error.extensions.code)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  it('costs past a double\'s range are each event\'s own rejection; the session still reads, alone and in lists', async () => {
    // A cost per event is bounded (1,000,000 USD), so no sum can leave a double's range.
    const key = uniqueKey('overflow-cost');
    const events = [1, 2].map(() => eventInput(key, { type: 'LLM_CALL', costUsd: Number.MAX_VALUE }));
    const ingested = await request(server.url, SecIngest, { input: { events: [...events, eventInput(key, { type: 'LLM_CALL', costUsd: 1_000_000 })] } }, { key: project.ingest });
    expect(ingested.errors).toBeUndefined();
    expect(ingested.data!.ingestBatch.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([[0, 'INVALID_VALUE'], [1, 'INVALID_VALUE']]);
    const read = await request(server.url, 'query($k: String!) { session(key: $k) { costUsd } sessions { edges { node { costUsd } } } }', { k: key }, { key: project.read });
    expect(read.errors).toBeUndefined();
    expect(read.data).toMatchObject({ session: { costUsd: 1_000_000 } });
  });

  it('a session whose token sums pass 2^31 is never an internal error, and reads back saturated', async () => {
    const key = uniqueKey('overflow-tokens');
    const events = [1, 2].map(() => eventInput(key, { type: 'LLM_CALL', promptTokens: 2147483647, completionTokens: 2147483647 }));
    const ingested = await request(server.url, SecIngest, { input: { events } }, { key: project.ingest });
    // Accepted (the counters saturate) or rejected per event: either way an answer, not a 500-class error.
    expect(codesOf(ingested) ?? [], JSON.stringify(ingested.errors)).not.toContain('INTERNAL_SERVER_ERROR');
    const read = await request(server.url, 'query($k: String!) { session(key: $k) { promptTokens completionTokens } sessions { edges { node { promptTokens } } } }', { k: key }, { key: project.read });
    expect(read.errors).toBeUndefined();
    if (ingested.data?.ingestBatch.accepted === 2) expect(read.data).toMatchObject({ session: { promptTokens: 2147483647, completionTokens: 2147483647 } });
  });
});

describe('secrets never reach the logs', () => {
  const processes = new ServerProcesses();
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await processes.killAll();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  const secretOf = (role: string) => `sl_${role}_${randomUUID().replaceAll('-', '')}`;

  it('at LOG_LEVEL=trace: no key, no near miss of one, no Authorization header, whatever the request did', async () => {
    const database = await freshDatabase('security_logs');
    cleanups.push(() => database.drop());
    const keys = { admin: secretOf('admin'), read: secretOf('read'), ingest: secretOf('ingest') };
    const child = await processes.start({
      DATABASE_URL: database.url, LOG_LEVEL: 'trace',
      SIGHTLINE_INIT_ADMIN_KEY: keys.admin, SIGHTLINE_INIT_READ_KEY: keys.read, SIGHTLINE_INIT_INGEST_KEY: keys.ingest,
    });
    const url = child.url;
    const created = await execute(url, SecCreateKey, { input: { name: 'made at runtime', role: 'INGEST', agentName: 'logger-agent' } }, { key: keys.admin });
    const secrets = [...Object.values(keys), created.createApiKey.secret];
    const misses = secrets.map((secret) => `${secret.slice(0, -1)}Z`);
    // Requests of every kind: answered, refused for the key, refused for the input, refused as too large.
    await execute(url, SecViewer, undefined, { key: keys.read });
    await execute(url, SecIngest, { input: { events: [eventInput(uniqueKey('log'), { input: { note: 'hello' } })] } }, { key: created.createApiKey.secret });
    for (const miss of misses) await request(url, SecViewer, undefined, { key: miss });
    const basic = Buffer.from(`user:${keys.admin}`).toString('base64');
    await request(url, SecViewer, undefined, { headers: { authorization: `Basic ${basic}` } });
    await request(url, SecSessions, { filter: { search: 'x'.repeat(5000) } }, { key: keys.read });
    await request(url, 'query { nope }', undefined, { key: keys.ingest });
    await request(url, SecRevoke, { id: 'garbage' }, { key: keys.admin });
    await fetch(`${url}/graphql?query=${encodeURIComponent('{ viewer { role } }')}&variables=%7Bnope`, { headers: { authorization: `Bearer ${keys.read}` } }).then((r) => r.text());
    // Over WebSocket too: a good key and a near miss.
    const good = connectLive(url, keys.read);
    await good.acknowledged;
    await good.dispose();
    const bad = connectLive(url, misses[1]!);
    await bad.closed;
    await bad.dispose();
    // The key made at runtime, revoked, then used.
    await execute(url, SecRevoke, { id: created.createApiKey.apiKey.id }, { key: keys.admin });
    await request(url, SecViewer, undefined, { key: created.createApiKey.secret });

    child.kill('SIGTERM');
    await child.exited;
    const output = child.stdout() + child.stderr();
    // It logged, at trace level, one line per request at least: the check below looked at something.
    expect(output.split('\n').filter((line) => line.includes('"request"')).length, describeOutput(child)).toBeGreaterThanOrEqual(10);
    for (const secret of [...secrets, ...misses]) {
      // Whole, and everything past the displayed prefix (12 characters at most).
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.slice(12));
    }
    expect(output).not.toContain(basic);
    expect(output).not.toMatch(/bearer\s+sl_/i);
    expect(output).not.toMatch(/"authorization":"(?!\[redacted\])/i);
  });

  it('the first-run ADMIN key is printed once, on stdout, outside any log line', async () => {
    const database = await freshDatabase('security_first_run');
    cleanups.push(() => database.drop());
    const child = await processes.start({ DATABASE_URL: database.url, LOG_LEVEL: 'trace' });
    const stdout = child.stdout();
    const found = stdout.match(/\bsl_[A-Za-z0-9_-]{20,}/g) ?? [];
    expect(found, describeOutput(child)).toHaveLength(1);
    const secret = found[0]!;
    const lines = stdout.split('\n').filter((line) => line.includes(secret));
    expect(lines).toEqual([`    ${secret}`]);
    expect(child.stderr()).not.toContain(secret);
    // Every line that is a log line (JSON) is free of it, and the key is the ADMIN key it says.
    for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) expect(line).not.toContain(secret.slice(12));
    expect((await execute(child.url, SecViewer, undefined, { key: secret })).viewer.role).toBe('ADMIN');
    // A second start prints nothing: the key is shown only once.
    await killProcess(child);
    const again = await processes.start({ DATABASE_URL: database.url, LOG_LEVEL: 'trace' });
    expect(again.stdout()).not.toMatch(/\bsl_[A-Za-z0-9_-]{20,}/);
  });
});
