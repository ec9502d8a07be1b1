/**
 * The read path through GraphQL over HTTP: the sessions list and its keyset pages, a session's
 * timeline in both directions with filters, lookups by id and key, `node`, event fields and
 * relations, agents and API keys. Filters on the list, trees and analytics come later.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { EventFilter, EventInput, EventType, SessionUpsertInput } from './generated/graphql.js';
import { execute, executeError, request } from './helpers/execute.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const ReadStartSession = graphql(`
  mutation ReadStartSession($input: StartSessionInput!) {
    startSession(input: $input) { id key startedAt }
  }
`);

const ReadEndSession = graphql(`
  mutation ReadEndSession($input: EndSessionInput!) {
    endSession(input: $input) { id status endedAt }
  }
`);

const ReadIngestBatch = graphql(`
  mutation ReadIngestBatch($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }
  }
`);

const ReadSessionsPage = graphql(`
  query ReadSessionsPage($first: Int, $after: String) {
    sessions(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id key startedAt } }
    }
  }
`);

const ReadTimelinePage = graphql(`
  query ReadTimelinePage($key: String!, $filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String) {
    session(key: $key) {
      events(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { key type name status timestamp } }
      }
    }
  }
`);

const ReadSessionFields = graphql(`
  fragment ReadSessionFields on Session {
    id key name status tags metadata startedAt endedAt lastEventAt durationMs
    eventCount errorCount promptTokens completionTokens costUsd timelineCursor
    agent { id name }
  }
`);

const ReadSessionLookup = graphql(`
  query ReadSessionLookup($id: ID, $key: String) {
    session(id: $id, key: $key) { ...ReadSessionFields }
  }
`);

const ReadSessionsFull = graphql(`
  query ReadSessionsFull($first: Int) {
    sessions(first: $first) { edges { node { ...ReadSessionFields } } }
  }
`);

const ReadNode = graphql(`
  query ReadNode($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Project { projectName: name }
      ... on Agent { agentName: name sessionCount }
      ... on ApiKey { keyName: name role prefix }
      ... on Session { key sessionName: name }
      ... on Event { key type session { key } }
    }
  }
`);

const ReadEventDetails = graphql(`
  query ReadEventDetails($key: String!) {
    session(key: $key) {
      id
      events(first: 100) {
        edges {
          node {
            id key type name timestamp durationMs receivedAt status input output metadata model
            promptTokens completionTokens costUsd errorMessage errorType
            session { id key }
            parent { id key }
            children { key }
          }
        }
      }
    }
  }
`);

const ReadViewerIds = graphql(`
  query ReadViewerIds {
    viewer { project { id name } apiKey { id name } }
  }
`);

const ReadAgents = graphql(`
  query ReadAgents {
    agents { id name createdAt sessionCount }
  }
`);

const ReadApiKeys = graphql(`
  query ReadApiKeys {
    apiKeys { id name role prefix agent { name } createdAt lastUsedAt revokedAt }
  }
`);

const ReadCreateApiKey = graphql(`
  mutation ReadCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { id name role prefix } }
  }
`);

const ReadRevokeApiKey = graphql(`
  mutation ReadRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

/** The contract's output form of a DateTime: UTC, 'Z', exactly six fractional digits. */
const UTC_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** Microseconds since the epoch as the contract prints them. */
function iso(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

/** The same instant written in another offset (`+05:30` for 330), to check inputs are normalised to UTC. */
function isoWithOffset(us: number, offsetMinutes: number): string {
  const local = iso(us + offsetMinutes * 60_000_000).slice(0, 26);
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

function parseIsoUs(text: string): number {
  const match = /\.(\d{6})Z$/.exec(text);
  if (!match) throw new Error(`not a six-digit UTC DateTime: ${text}`);
  return Date.parse(`${text.slice(0, 19)}Z`) * 1000 + Number(match[1]);
}

/** A recent instant (two hours ago, well inside the accepted range) with a non-zero microsecond part. */
function recentUs(): number {
  return (Date.now() - 2 * 3_600_000) * 1000 + 417;
}

const MS = 1000; // microseconds

function ev(sessionKey: string, id: string, type: EventType, timestampUs: number, extra: Partial<EventInput> = {}): EventInput {
  return { id, sessionKey, type, timestamp: iso(timestampUs), ...extra };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

async function ingest(project: TestProject, events: EventInput[], sessions: SessionUpsertInput[] = []): Promise<void> {
  const { ingestBatch } = await execute(server.url, ReadIngestBatch, { input: { events, sessions } }, { key: project.ingest });
  expect(ingestBatch).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
}

async function startSession(project: TestProject, key: string, startedAt: string, agentName?: string) {
  const { startSession: session } = await execute(
    server.url,
    ReadStartSession,
    { input: { key, startedAt, agentName } },
    { key: project.ingest },
  );
  return session;
}

async function sessionsPage(project: TestProject, first?: number | null, after?: string | null) {
  return (await execute(server.url, ReadSessionsPage, { first, after }, { key: project.read })).sessions;
}

async function timeline(
  project: TestProject,
  key: string,
  page: { filter?: EventFilter; first?: number; after?: string | null; last?: number; before?: string | null } = {},
) {
  const { session } = await execute(server.url, ReadTimelinePage, { key, ...page }, { key: project.read });
  expect(session).not.toBeNull();
  return session!.events;
}

interface Connection {
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** pageInfo exactly: both flags as given, and the cursors those of the first and last edge. */
function expectPageInfo(connection: Connection, flags: { hasPreviousPage: boolean; hasNextPage: boolean }): void {
  for (const edge of connection.edges) expect(edge.cursor).toMatch(/^\S+$/);
  expect(connection.pageInfo).toEqual({
    ...flags,
    startCursor: connection.edges[0]?.cursor ?? null,
    endCursor: connection.edges.at(-1)?.cursor ?? null,
  });
}

const keysOf = (connection: { edges: { node: { key: string } }[] }) => connection.edges.map((edge) => edge.node.key);

describe('sessions list', () => {
  it('orders by startedAt DESC with a stable tie-breaker and pages by two with no skip, no repeat and exact pageInfo', async () => {
    const project = await server.newProject();
    const t = recentUs();
    // Ties at t1 and t2 are made both ways, by startSession and by batch upserts; c is one
    // microsecond after the t1 group, so microseconds must order too.
    const t0 = t + 4000 * MS, t1 = t + 3000 * MS, t2 = t + 2000 * MS, t3 = t + 1000 * MS;
    await startSession(project, 'a', iso(t0));
    await startSession(project, 'b1', iso(t1));
    await startSession(project, 'b2', isoWithOffset(t1, -420));
    await ingest(project, [], [
      { key: 'b3', startedAt: iso(t1) },
      { key: 'c', startedAt: iso(t1 + 1) },
      { key: 'd1', startedAt: iso(t2) },
      { key: 'd2', startedAt: isoWithOffset(t2, 330) },
    ]);
    await startSession(project, 'e', iso(t3));

    const full = await sessionsPage(project, 500);
    expect(full.totalCount).toBe(8);
    expectPageInfo(full, { hasPreviousPage: false, hasNextPage: false });
    expect(full.edges.map((edge) => edge.node.startedAt)).toEqual([t0, t1 + 1, t1, t1, t1, t2, t2, t3].map(iso));
    const order = keysOf(full);
    expect(order[0]).toBe('a');
    expect(order[1]).toBe('c');
    expect(order.slice(2, 5).sort()).toEqual(['b1', 'b2', 'b3']);
    expect(order.slice(5, 7).sort()).toEqual(['d1', 'd2']);
    expect(order[7]).toBe('e');
    // The tie-breaker is deterministic: asking again gives the same order and cursors.
    expect(await sessionsPage(project, 500)).toEqual(full);

    const pages = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof sessionsPage>> = await sessionsPage(project, 2, after);
      pages.push(page);
      if (!page.pageInfo.hasNextPage) break;
      expect(pages.length).toBeLessThan(10);
      after = page.pageInfo.endCursor;
    }
    expect(pages.map((page) => page.edges.length)).toEqual([2, 2, 2, 2]);
    pages.forEach((page, i) => {
      expect(page.totalCount).toBe(8);
      expectPageInfo(page, { hasPreviousPage: i > 0, hasNextPage: i < 3 });
    });
    expect(pages.flatMap(keysOf)).toEqual(order);

    // Any edge's cursor resumes right after that edge, not only endCursor.
    const fromMiddle = await sessionsPage(project, 3, full.edges[2]!.cursor);
    expect(keysOf(fromMiddle)).toEqual(order.slice(3, 6));
    expectPageInfo(fromMiddle, { hasPreviousPage: true, hasNextPage: true });

    const pastTheEnd = await sessionsPage(project, 2, pages.at(-1)!.pageInfo.endCursor);
    expect(pastTheEnd.edges).toEqual([]);
    expect(pastTheEnd.totalCount).toBe(8);
    expectPageInfo(pastTheEnd, { hasPreviousPage: true, hasNextPage: false });
  });

  it('an empty project lists nothing, with totalCount 0 and empty pageInfo', async () => {
    const project = await server.newProject();
    const page = await sessionsPage(project);
    expect(page).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('sessions inserted between page fetches never shift later pages: no duplicate, no skip among the originals', async () => {
    const project = await server.newProject();
    const t = recentUs();
    const originals: SessionUpsertInput[] = [
      { key: 'o1', startedAt: iso(t + 3000 * MS) },
      { key: 'o2', startedAt: iso(t + 2000 * MS) },
      { key: 'o3', startedAt: iso(t + 2000 * MS) },
      { key: 'o4', startedAt: iso(t + 2000 * MS) },
      { key: 'o5', startedAt: iso(t + 1000 * MS) },
      { key: 'o6', startedAt: iso(t + 1000 * MS) },
      { key: 'o7', startedAt: iso(t) },
    ];
    await ingest(project, [], originals);
    const order = keysOf(await sessionsPage(project, 500));
    expect(new Set(order)).toEqual(new Set(originals.map((s) => s.key)));

    const seen: { key: string; startedAt: string }[] = [];
    const newer: string[] = [];
    const older: string[] = [];
    let inserted = 0;
    let after: string | null = null;
    for (let round = 0; ; round++) {
      expect(round).toBeLessThan(20);
      const page: Awaited<ReturnType<typeof sessionsPage>> = await sessionsPage(project, 2, after);
      expect(page.totalCount).toBe(originals.length + inserted);
      seen.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      const originalsLeft = order.some((key) => !seen.some((s) => s.key === key));
      if (!originalsLeft) continue;
      // Between fetches: one newer than everything, one tied with the row the cursor points at
      // (it may land on either side of it, but at most once), and one older than everything.
      const cursorRow = page.edges.at(-1)!.node;
      newer.push(`newer-${round}`);
      older.push(`older-${round}`);
      const batch = [
        { key: `newer-${round}`, startedAt: iso(t + (10_000 + round) * MS) },
        { key: `tied-${round}`, startedAt: cursorRow.startedAt },
        // Each older one is older than the last, so they list in the order they were inserted.
        { key: `older-${round}`, startedAt: iso(t - (10_000 + round) * MS) },
      ];
      // Alternate the two ways of creating a session, so both meet the cursor.
      if (round % 2 === 1) {
        for (const s of batch) await startSession(project, s.key, s.startedAt);
      } else {
        await ingest(project, [], batch);
      }
      inserted += batch.length;
    }
    expect(newer.length).toBeGreaterThanOrEqual(3);
    const seenKeys = seen.map((s) => s.key);
    expect(new Set(seenKeys).size).toBe(seenKeys.length);
    expect(seenKeys.filter((key) => order.includes(key))).toEqual(order);
    // Newer ones sort before a cursor already passed: none of them may appear.
    expect(seenKeys.filter((key) => key.startsWith('newer-'))).toEqual([]);
    // Older ones sort after every original, so every one of them is reached, last, in order.
    expect(seenKeys.slice(-older.length)).toEqual(older);
    const times = seen.map((s) => parseIsoUs(s.startedAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('first defaults to 50 and is at most 500; a negative or larger first, or a garbage cursor, is BAD_USER_INPUT', async () => {
    const project = await server.newProject();
    const t = recentUs();
    const sessions = Array.from({ length: 51 }, (_, i) => ({ key: `s${String(i).padStart(2, '0')}`, startedAt: iso(t + i * MS) }));
    await ingest(project, [], sessions);
    const newestFirst = sessions.map((s) => s.key).reverse();

    const byDefault = await sessionsPage(project);
    expect(byDefault.totalCount).toBe(51);
    expect(keysOf(byDefault)).toEqual(newestFirst.slice(0, 50));
    expectPageInfo(byDefault, { hasPreviousPage: false, hasNextPage: true });
    const rest = await sessionsPage(project, null, byDefault.pageInfo.endCursor);
    expect(keysOf(rest)).toEqual(['s00']);
    expectPageInfo(rest, { hasPreviousPage: true, hasNextPage: false });

    const atMost = await sessionsPage(project, 500);
    expect(keysOf(atMost)).toEqual(newestFirst);
    expectPageInfo(atMost, { hasPreviousPage: false, hasNextPage: false });
    const one = await sessionsPage(project, 1);
    expect(keysOf(one)).toEqual(['s50']);
    expectPageInfo(one, { hasPreviousPage: false, hasNextPage: true });

    const options = { key: project.read };
    await executeError(server.url, ReadSessionsPage, { first: 501 }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadSessionsPage, { first: -1 }, options, 'BAD_USER_INPUT');
    for (const garbage of [
      'garbage',
      'not base64 at all!!',
      Buffer.from('["sessions",1]').toString('base64url'),
      Buffer.from('{"id":1}').toString('base64url'),
      randomBytes(24).toString('base64url'),
      'x'.repeat(5000),
    ]) {
      await executeError(server.url, ReadSessionsPage, { first: 2, after: garbage }, options, 'BAD_USER_INPUT');
    }
  });
});

describe('Session.events', () => {
  /**
   * Nine events over three batches, timestamps deliberately out of send order: ties at +1 ms and
   * +3 ms are broken by send order (across batches), and e9 is one microsecond after the +3 ms group.
   */
  async function timelineFixture(project: TestProject) {
    const key = 'timeline';
    const t = recentUs();
    await ingest(project, [
      ev(key, 'e1', 'LLM_CALL', t + 3 * MS),
      ev(key, 'e2', 'LOG', t + 1 * MS),
      ev(key, 'e3', 'TOOL_CALL', t + 3 * MS),
      ev(key, 'e9', 'LOG', t + 3 * MS + 1),
    ]);
    await ingest(project, [
      ev(key, 'e4', 'DECISION', t + 2 * MS),
      ev(key, 'e5', 'ANSWER', t + 3 * MS),
      ev(key, 'e6', 'QUESTION', t),
    ]);
    await ingest(project, [ev(key, 'e7', 'ACTION', t + 1 * MS), ev(key, 'e8', 'FEEDBACK', t + 5 * MS)]);
    return { key, t, order: ['e6', 'e2', 'e7', 'e4', 'e1', 'e3', 'e5', 'e9', 'e8'] };
  }

  it('lists the timeline by timestamp then send order; forward and backward paging agree, with exact pageInfo and totalCount', async () => {
    const project = await server.newProject();
    const { key, t, order } = await timelineFixture(project);

    const all = await timeline(project, key, { first: 100 });
    expect(keysOf(all)).toEqual(order);
    expect(all.edges.map((edge) => edge.node.timestamp)).toEqual(
      [t, t + 1 * MS, t + 1 * MS, t + 2 * MS, t + 3 * MS, t + 3 * MS, t + 3 * MS, t + 3 * MS + 1, t + 5 * MS].map(iso),
    );
    expect(all.totalCount).toBe(9);
    expectPageInfo(all, { hasPreviousPage: false, hasNextPage: false });
    expect(await timeline(project, key)).toEqual(all);

    const forward = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof timeline>> = await timeline(project, key, { first: 4, after });
      forward.push(page);
      after = page.pageInfo.endCursor;
      expect(forward.length).toBeLessThan(10);
    } while (forward.at(-1)!.pageInfo.hasNextPage);
    expect(forward.map(keysOf)).toEqual([order.slice(0, 4), order.slice(4, 8), order.slice(8)]);
    forward.forEach((page, i) => {
      expect(page.totalCount).toBe(9);
      expectPageInfo(page, { hasPreviousPage: i > 0, hasNextPage: i < 2 });
    });

    const backward = [];
    let before: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof timeline>> = await timeline(project, key, { last: 4, before });
      backward.push(page);
      before = page.pageInfo.startCursor;
      expect(backward.length).toBeLessThan(10);
    } while (backward.at(-1)!.pageInfo.hasPreviousPage);
    // Each backward page is still in timeline order; the pages come from the end.
    expect(backward.map(keysOf)).toEqual([order.slice(5), order.slice(1, 5), order.slice(0, 1)]);
    expect([...backward].reverse().flatMap(keysOf)).toEqual(forward.flatMap(keysOf));
    backward.forEach((page, i) => {
      expect(page.totalCount).toBe(9);
      expectPageInfo(page, { hasPreviousPage: i < 2, hasNextPage: i > 0 });
    });
    // An event has the same cursor whichever way it was reached.
    expect(backward.flatMap((page) => page.edges.map((e) => e.cursor)).sort()).toEqual(all.edges.map((e) => e.cursor).sort());

    // after and before together bound a window.
    const cursors = all.edges.map((edge) => edge.cursor);
    const window = await timeline(project, key, { first: 10, after: cursors[1], before: cursors[6] });
    expect(keysOf(window)).toEqual(order.slice(2, 6));
    expect(window.totalCount).toBe(9);
    const windowTail = await timeline(project, key, { last: 2, after: cursors[1], before: cursors[6] });
    expect(keysOf(windowTail)).toEqual(order.slice(4, 6));

    const pastTheEnd = await timeline(project, key, { first: 4, after: cursors[8] });
    expect(pastTheEnd.edges).toEqual([]);
    expectPageInfo(pastTheEnd, { hasPreviousPage: true, hasNextPage: false });
    const beforeTheStart = await timeline(project, key, { last: 4, before: cursors[0] });
    expect(beforeTheStart.edges).toEqual([]);
    expectPageInfo(beforeTheStart, { hasPreviousPage: false, hasNextPage: true });
  });

  it('refuses first with last, negative sizes, garbage cursors, and cursors of the other list as BAD_USER_INPUT', async () => {
    const project = await server.newProject();
    const { key } = await timelineFixture(project);
    await startSession(project, 'other', iso(recentUs()));
    const options = { key: project.read };
    const eventCursor = (await timeline(project, key, { first: 1 })).edges[0]!.cursor;
    const sessionCursor = (await sessionsPage(project, 1)).edges[0]!.cursor;

    await executeError(server.url, ReadTimelinePage, { key, first: 2, last: 2 }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadTimelinePage, { key, first: -1 }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadTimelinePage, { key, last: -1 }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadTimelinePage, { key, first: 2, after: 'garbage' }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadTimelinePage, { key, last: 2, before: 'garbage' }, options, 'BAD_USER_INPUT');
    // A timeline cursor is not a position in the sessions list, nor the reverse.
    await executeError(server.url, ReadSessionsPage, { first: 2, after: eventCursor }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadTimelinePage, { key, first: 2, after: sessionCursor }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadTimelinePage, { key, last: 2, before: sessionCursor }, options, 'BAD_USER_INPUT');
  });

  it('filters by types, status and names, alone and combined, with totalCount following the filter', async () => {
    const project = await server.newProject();
    const key = 'filtered';
    const t = recentUs();
    await ingest(project, [
      ev(key, 'f1', 'LLM_CALL', t + 1 * MS, { name: 'plan' }),
      ev(key, 'f2', 'TOOL_CALL', t + 2 * MS, { name: 'search' }),
      ev(key, 'f3', 'TOOL_CALL', t + 3 * MS, { name: 'search', status: 'ERROR', errorMessage: 'timeout' }),
      ev(key, 'f4', 'ERROR', t + 4 * MS, { name: 'search' }), // ERROR by default
      ev(key, 'f5', 'LOG', t + 5 * MS, { name: 'plan' }),
      ev(key, 'f6', 'TOOL_CALL', t + 6 * MS, { name: 'fetch', status: 'OK' }),
      ev(key, 'f7', 'LLM_CALL', t + 7 * MS, { name: 'answer', status: 'ERROR' }),
      ev(key, 'f8', 'TOOL_CALL', t + 8 * MS),
    ]);
    const cases: [EventFilter, string[]][] = [
      [{}, ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8']],
      [{ types: ['TOOL_CALL'] }, ['f2', 'f3', 'f6', 'f8']],
      [{ types: ['TOOL_CALL', 'LLM_CALL'] }, ['f1', 'f2', 'f3', 'f6', 'f7', 'f8']],
      [{ types: ['CUSTOM'] }, []],
      // An empty list matches nothing, as an empty SessionFilter list does.
      [{ types: [] }, []],
      [{ names: [] }, []],
      [{ status: 'ERROR' }, ['f3', 'f4', 'f7']],
      [{ status: 'OK' }, ['f1', 'f2', 'f5', 'f6', 'f8']],
      [{ names: ['search'] }, ['f2', 'f3', 'f4']],
      [{ names: ['search', 'plan'] }, ['f1', 'f2', 'f3', 'f4', 'f5']],
      [{ names: ['nope'] }, []],
      [{ types: ['TOOL_CALL'], status: 'ERROR' }, ['f3']],
      [{ types: ['TOOL_CALL'], names: ['search', 'fetch'] }, ['f2', 'f3', 'f6']],
      [{ status: 'OK', names: ['plan'] }, ['f1', 'f5']],
      [{ types: ['TOOL_CALL', 'ERROR'], status: 'ERROR', names: ['search'] }, ['f3', 'f4']],
      [{ types: ['LLM_CALL'], status: 'OK', names: ['answer'] }, []],
    ];
    for (const [filter, expected] of cases) {
      const page = await timeline(project, key, { filter, first: 50 });
      expect({ filter, keys: keysOf(page), totalCount: page.totalCount }).toEqual({ filter, keys: expected, totalCount: expected.length });
      expectPageInfo(page, { hasPreviousPage: false, hasNextPage: false });
    }
    expect(
      (await timeline(project, key, { filter: { status: 'ERROR' } })).edges.map((edge) => [edge.node.key, edge.node.type, edge.node.status]),
    ).toEqual([['f3', 'TOOL_CALL', 'ERROR'], ['f4', 'ERROR', 'ERROR'], ['f7', 'LLM_CALL', 'ERROR']]);

    // Paging through a filtered timeline pages over the matching events only.
    const tools = { types: ['TOOL_CALL'] as EventType[] };
    const p1 = await timeline(project, key, { filter: tools, first: 2 });
    expect(keysOf(p1)).toEqual(['f2', 'f3']);
    expect(p1.totalCount).toBe(4);
    expectPageInfo(p1, { hasPreviousPage: false, hasNextPage: true });
    const p2 = await timeline(project, key, { filter: tools, first: 2, after: p1.pageInfo.endCursor });
    expect(keysOf(p2)).toEqual(['f6', 'f8']);
    expect(p2.totalCount).toBe(4);
    expectPageInfo(p2, { hasPreviousPage: true, hasNextPage: false });
    const ok = { status: 'OK' as const };
    const b1 = await timeline(project, key, { filter: ok, last: 3 });
    expect(keysOf(b1)).toEqual(['f5', 'f6', 'f8']);
    expect(b1.totalCount).toBe(5);
    expectPageInfo(b1, { hasPreviousPage: true, hasNextPage: false });
    const b2 = await timeline(project, key, { filter: ok, last: 3, before: b1.pageInfo.startCursor });
    expect(keysOf(b2)).toEqual(['f1', 'f2']);
    expectPageInfo(b2, { hasPreviousPage: false, hasNextPage: true });
  });
});

describe('session lookup', () => {
  it('session(id:) and session(key:) give the same session; neither or both is BAD_USER_INPUT; unknown is null', async () => {
    const project = await server.newProject();
    const other = await server.newProject();
    const started = await startSession(project, 'lookup-me', iso(recentUs()), 'looker');
    await ingest(project, [ev('lookup-me', 'l1', 'LOG', recentUs() + 5 * MS)]);
    const foreign = await startSession(other, 'foreign', iso(recentUs()));

    const options = { key: project.read };
    const byKey = (await execute(server.url, ReadSessionLookup, { key: 'lookup-me' }, options)).session;
    const byId = (await execute(server.url, ReadSessionLookup, { id: started.id }, options)).session;
    expect(byKey).not.toBeNull();
    expect(byId).toEqual(byKey);
    expect(byKey!.id).toBe(started.id);
    expect(byKey!.key).toBe('lookup-me');
    expect(byKey!.agent?.name).toBe('looker');

    await executeError(server.url, ReadSessionLookup, {}, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadSessionLookup, { id: started.id, key: 'lookup-me' }, options, 'BAD_USER_INPUT');
    await executeError(server.url, ReadSessionLookup, { id: started.id, key: 'something-else' }, options, 'BAD_USER_INPUT');

    for (const variables of [{ key: 'no-such-key' }, { key: 'foreign' }, { id: foreign.id }, { id: 'bm90LWFuLWlk' }]) {
      const response = await request(server.url, ReadSessionLookup, variables, options);
      expect({ variables, status: response.status, errors: response.errors, data: response.data }).toEqual({
        variables,
        status: 200,
        errors: undefined,
        data: { session: null },
      });
    }
  });
});

describe('node', () => {
  it('resolves Session, Event, Agent, Project and ApiKey ids to their type and fields', async () => {
    const project = await server.newProject();
    const session = await startSession(project, 'noded', iso(recentUs()), 'node-agent');
    await ingest(project, [ev('noded', 'n1', 'TOOL_CALL', recentUs() + 1 * MS, { name: 'lookup' })]);
    const details = (await execute(server.url, ReadEventDetails, { key: 'noded' }, { key: project.read })).session!;
    const eventId = details.events.edges[0]!.node.id;
    const { viewer } = await execute(server.url, ReadViewerIds, undefined, { key: project.admin });
    const [agent] = (await execute(server.url, ReadAgents, undefined, { key: project.read })).agents;
    expect(agent?.name).toBe('node-agent');

    const node = async (id: string, key = project.read) => (await execute(server.url, ReadNode, { id }, { key })).node;
    expect(await node(session.id)).toEqual({ __typename: 'Session', id: session.id, key: 'noded', sessionName: null });
    expect(await node(eventId)).toEqual({ __typename: 'Event', id: eventId, key: 'n1', type: 'TOOL_CALL', session: { key: 'noded' } });
    expect(await node(agent!.id)).toEqual({ __typename: 'Agent', id: agent!.id, agentName: 'node-agent', sessionCount: 1 });
    expect(await node(viewer.project.id)).toEqual({ __typename: 'Project', id: viewer.project.id, projectName: project.name });
    const adminKeyNode = await node(viewer.apiKey.id, project.admin);
    expect(adminKeyNode).toEqual({
      __typename: 'ApiKey',
      id: viewer.apiKey.id,
      keyName: 'admin-key',
      role: 'ADMIN',
      prefix: project.admin.slice(0, (adminKeyNode as { prefix: string }).prefix.length),
    });
    expect((adminKeyNode as { prefix: string }).prefix.length).toBeGreaterThan(0);
    // READ has every query (the contract), so it may look a key up too: its metadata, never its secret.
    const asRead = await request(server.url, ReadNode, { id: viewer.apiKey.id }, { key: project.read });
    expect(asRead.errors).toBeUndefined();
    expect(asRead.data?.node).toMatchObject({ __typename: 'ApiKey', id: viewer.apiKey.id });

    // Every one of these ids is invisible from another project.
    const stranger = await server.newProject();
    for (const id of [session.id, eventId, agent!.id, viewer.project.id, viewer.apiKey.id]) {
      const response = await request(server.url, ReadNode, { id }, { key: stranger.admin });
      expect({ id, errors: response.errors, data: response.data }).toEqual({ id, errors: undefined, data: { node: null } });
    }
  });

  it('forged ids are null, never an error', async () => {
    const project = await server.newProject();
    // A project with a session and no event, so a Session id retyped as Event can match nothing.
    const session = await startSession(project, 'forgery-target', iso(recentUs()));
    const decoded = Buffer.from(session.id, 'base64url').toString('utf8');
    expect(decoded).toContain('Session');
    const retype = (type: string) => Buffer.from(decoded.replace('Session', type)).toString('base64url');
    const encode = (text: string) => Buffer.from(text).toString('base64url');
    const forged = [
      randomBytes(12).toString('base64'),
      randomBytes(30).toString('base64url'),
      retype('Event'),
      retype('Agent'),
      retype('ApiKey'),
      retype('Nonsense'),
      encode('Session:99999999999999999999'),
      encode('Session:9007199254740993'),
      encode('Event:99999999999999999999999999999999999999'),
      encode('Session:0'),
      encode('Session:-1'),
      encode('Session:1.5'),
      encode('Session:1e3'),
      encode('Session:'),
      encode('Session'),
      encode(':1'),
      '',
      '====',
      '%%%',
      'Session:1',
      'a'.repeat(10_000),
    ];
    for (const id of forged) {
      const response = await request(server.url, ReadNode, { id }, { key: project.admin });
      expect({ id: id.slice(0, 60), status: response.status, errors: response.errors, data: response.data }).toEqual({
        id: id.slice(0, 60),
        status: 200,
        errors: undefined,
        data: { node: null },
      });
    }
    // The genuine id still works after all that.
    expect((await execute(server.url, ReadNode, { id: session.id }, { key: project.read })).node?.__typename).toBe('Session');
  });
});

describe('events', () => {
  it('round-trips every field and resolves parent, children (timeline order) and session', async () => {
    const project = await server.newProject();
    const key = 'rich';
    const t = recentUs();
    const llmInput = {
      messages: [
        { role: 'system', content: 'Réponds en français. 日本語もOK. مرحبا. 👩‍💻🚀 e\u0301' },
        { role: 'user', content: 'quote " backslash \\ newline \n tab \t slash / <b>html</b>' },
      ],
      params: {
        temperature: 0.2, top_p: 1, max_tokens: 256, stop: null, seed: -42, tiny: 1e-7, huge: 1.5e300,
        safe: Number.MAX_SAFE_INTEGER, nested: { deep: { deeper: [1, [2, [3, { four: 4 }]]] } },
      },
      flags: [true, false, null],
      empty: { obj: {}, arr: [], str: '' },
    };
    const llmOutput = [{ type: 'text', text: 'Bien sûr — voici 💡' }, 42, 'plain', null, { done: true }];
    const llmMetadata = { temperature: 0.2, 'key with spaces': 'v', ключ: 'значение', list: [1, 'two', { three: 3 }] };

    const sent1 = Date.now();
    // Children first: their parent arrives in the next batch.
    await ingest(project, [
      ev(key, 'c1', 'LLM_CALL', t + 30 * MS, {
        parentId: 'root',
        name: 'chat.completions',
        // Any offset and nine fractional digits are accepted; output is UTC with six.
        timestamp: `${isoWithOffset(t + 30 * MS, 330)}`.replace(/(\.\d{6})/, '$1000'),
        durationMs: 812.5,
        input: llmInput,
        output: llmOutput,
        metadata: llmMetadata,
        model: 'gpt-4o-mini',
        promptTokens: 420,
        completionTokens: 96,
        costUsd: 0.000_42,
      }),
      ev(key, 'c2', 'TOOL_CALL', t + 10 * MS, { parentId: 'root', name: 'search', input: 'plain string', output: 12.5, durationMs: 0 }),
      ev(key, 'g1', 'LOG', t + 15 * MS, { parentId: 'c2', output: false }),
      ev(key, 'c3', 'ERROR', t + 10 * MS, {
        parentId: 'root',
        name: 'tool failed:\ttab, back\\slash, \\N, CR\r',
        errorMessage: 'Délai dépassé\nline two ✗',
        errorType: 'TimeoutError',
      }),
      ev(key, 'orphan', 'LOG', t + 40 * MS, { parentId: 'never-sent' }),
    ]);
    const received1 = Date.now();
    const sent2 = Date.now();
    await ingest(project, [ev(key, 'root', 'AGENT', t, { name: 'run', metadata: { nested: { a: [1, { b: null }] } } })]);
    const received2 = Date.now();

    const session = (await execute(server.url, ReadEventDetails, { key }, { key: project.read })).session!;
    const byKey = new Map(session.events.edges.map((edge) => [edge.node.key, edge.node]));
    expect(session.events.edges.map((edge) => edge.node.key)).toEqual(['root', 'c2', 'c3', 'g1', 'c1', 'orphan']);
    const id = (k: string) => byKey.get(k)!.id;
    const common = { session: { id: session.id, key } };
    const nulls = {
      name: null, durationMs: null, input: null, output: null, metadata: null, model: null, promptTokens: null,
      completionTokens: null, costUsd: null, errorMessage: null, errorType: null,
    };
    const withoutReceivedAt = ({ receivedAt: _, ...rest }: { receivedAt: string }) => rest;

    expect(withoutReceivedAt(byKey.get('root')!)).toEqual({
      ...nulls, ...common, id: id('root'), key: 'root', type: 'AGENT', name: 'run', timestamp: iso(t), status: 'OK',
      metadata: { nested: { a: [1, { b: null }] } }, parent: null,
      children: [{ key: 'c2' }, { key: 'c3' }, { key: 'c1' }],
    });
    expect(withoutReceivedAt(byKey.get('c1')!)).toEqual({
      ...common, id: id('c1'), key: 'c1', type: 'LLM_CALL', name: 'chat.completions', timestamp: iso(t + 30 * MS),
      durationMs: 812.5, status: 'OK', input: llmInput, output: llmOutput, metadata: llmMetadata, model: 'gpt-4o-mini',
      promptTokens: 420, completionTokens: 96, costUsd: 0.000_42, errorMessage: null, errorType: null,
      parent: { id: id('root'), key: 'root' }, children: [],
    });
    expect(withoutReceivedAt(byKey.get('c2')!)).toEqual({
      ...nulls, ...common, id: id('c2'), key: 'c2', type: 'TOOL_CALL', name: 'search', timestamp: iso(t + 10 * MS),
      durationMs: 0, status: 'OK', input: 'plain string', output: 12.5,
      parent: { id: id('root'), key: 'root' }, children: [{ key: 'g1' }],
    });
    expect(withoutReceivedAt(byKey.get('c3')!)).toEqual({
      ...nulls, ...common, id: id('c3'), key: 'c3', type: 'ERROR', name: 'tool failed:\ttab, back\\slash, \\N, CR\r', timestamp: iso(t + 10 * MS),
      status: 'ERROR', errorMessage: 'Délai dépassé\nline two ✗', errorType: 'TimeoutError',
      parent: { id: id('root'), key: 'root' }, children: [],
    });
    expect(withoutReceivedAt(byKey.get('g1')!)).toEqual({
      ...nulls, ...common, id: id('g1'), key: 'g1', type: 'LOG', timestamp: iso(t + 15 * MS), status: 'OK', output: false,
      parent: { id: id('c2'), key: 'c2' }, children: [],
    });
    expect(withoutReceivedAt(byKey.get('orphan')!)).toEqual({
      ...nulls, ...common, id: id('orphan'), key: 'orphan', type: 'LOG', timestamp: iso(t + 40 * MS), status: 'OK',
      parent: null, children: [],
    });

    // receivedAt is the server's commit time: within the request that carried the event, UTC, six digits.
    for (const [keys, sent, received] of [[['c1', 'c2', 'c3', 'g1', 'orphan'], sent1, received1], [['root'], sent2, received2]] as const) {
      for (const k of keys) {
        const receivedAt = byKey.get(k)!.receivedAt;
        expect(receivedAt).toMatch(UTC_MICROS);
        const us = parseIsoUs(receivedAt);
        expect(us).toBeGreaterThanOrEqual(sent * 1000);
        expect(us).toBeLessThanOrEqual((received + 1) * 1000);
      }
    }
    expect(parseIsoUs(byKey.get('c1')!.receivedAt)).toBeLessThanOrEqual(parseIsoUs(byKey.get('root')!.receivedAt));
  });

  it('a U+0000 inside JSON either round-trips or is that event\'s own rejection, never a failed batch', async () => {
    // "\u0000" is valid JSON, but PostgreSQL's jsonb cannot hold it: the server must store it
    // faithfully or refuse that one event, and the other events of the batch go in regardless.
    const project = await server.newProject();
    const key = 'nul';
    const t = recentUs();
    const payload = { text: 'before\u0000after', list: ['\u0000'] };
    const response = await request(
      server.url,
      ReadIngestBatch,
      { input: { events: [ev(key, 'fine', 'LOG', t, { input: { ok: true } }), ev(key, 'nul', 'LOG', t + 1 * MS, { input: payload })] } },
      { key: project.ingest },
    );
    expect(response.errors).toBeUndefined();
    const result = response.data!.ingestBatch;
    expect(result.duplicates).toBe(0);
    if (result.accepted === 2) {
      expect(result.rejected).toEqual([]);
    } else {
      expect(result.accepted).toBe(1);
      expect(result.rejected.map((r) => [r.index, r.eventId, r.code])).toEqual([[1, 'nul', 'INVALID_VALUE']]);
    }
    const session = (await execute(server.url, ReadEventDetails, { key }, { key: project.read })).session!;
    const inputs = session.events.edges.map((edge) => [edge.node.key, edge.node.input]);
    expect(inputs).toEqual(result.accepted === 2 ? [['fine', { ok: true }], ['nul', payload]] : [['fine', { ok: true }]]);
  });
  it('half a surrogate pair: in JSON or an id it is that event\'s own rejection, in text it is stored as U+FFFD, alike on both databases', async () => {
    // JSON.stringify writes a lone surrogate as an escape that PostgreSQL's jsonb refuses; in a
    // text column both drivers encode it as U+FFFD. Either way the rest of the batch goes in.
    const project = await server.newProject();
    const key = 'surrogates';
    const t = recentUs();
    const response = await request(
      server.url,
      ReadIngestBatch,
      {
        input: {
          events: [
            ev(key, 'named', 'LOG', t, { name: 'a\ud800b', input: { pair: '\ud83d\ude00' } }),
            ev(key, 'lone', 'LOG', t + 1 * MS, { input: { text: 'x\udc00y' } }),
            ev(key, 'escaped', 'LOG', t + 2 * MS, { input: { text: '\\ud800 is six characters here' } }),
            ev(key, 'broken-id-\udbff', 'LOG', t + 3 * MS),
          ],
        },
      },
      { key: project.ingest },
    );
    expect(response.errors).toBeUndefined();
    const result = response.data!.ingestBatch;
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([[1, 'INVALID_VALUE'], [3, 'INVALID_VALUE']]);
    expect(result.rejected[0]!.message).toMatch(/^input must be valid Unicode/);
    // An identifier is not repaired: two different broken ids must not become one.
    expect(result.rejected[1]!.message).toMatch(/^id must be valid Unicode/);
    const session = (await execute(server.url, ReadEventDetails, { key }, { key: project.read })).session!;
    expect(session.events.edges.map((edge) => [edge.node.key, edge.node.name, edge.node.input])).toEqual([
      ['named', 'a\ufffdb', { pair: '\ud83d\ude00' }],
      ['escaped', null, { text: '\\ud800 is six characters here' }],
    ]);
  });
});

describe('agents and apiKeys', () => {
  it('lists the project\'s agents with their session counts, zero included', async () => {
    const project = await server.newProject({ ingestAgentName: 'key-agent' });
    const t = recentUs();
    await startSession(project, 'p1', iso(t), 'planner');
    await startSession(project, 'p2', iso(t + 1), 'planner');
    await ingest(project, [], [
      { key: 'p3', agentName: 'planner', startedAt: iso(t + 2) },
      { key: 'k1', agentName: 'coder', startedAt: iso(t + 3) },
      { key: 'k2', agentName: 'coder', startedAt: iso(t + 4) },
    ]);
    // Sessions named by no one belong to the ingest key's agent.
    await ingest(project, [ev('bound-1', 'b1', 'LOG', t + 5), ev('bound-2', 'b2', 'LOG', t + 6)]);
    await execute(server.url, ReadCreateApiKey, { input: { name: 'idle-ingest', role: 'INGEST', agentName: 'idle' } }, { key: project.admin });
    // Another project's agent of the same name counts apart.
    const other = await server.newProject();
    await startSession(other, 'elsewhere', iso(t), 'planner');

    const { agents } = await execute(server.url, ReadAgents, undefined, { key: project.read });
    const byName = [...agents].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName.map((a) => [a.name, a.sessionCount])).toEqual([['coder', 2], ['idle', 0], ['key-agent', 2], ['planner', 3]]);
    expect(new Set(agents.map((a) => a.id)).size).toBe(4);
    for (const agent of agents) expect(agent.createdAt).toMatch(UTC_MICROS);
    const otherAgents = (await execute(server.url, ReadAgents, undefined, { key: other.read })).agents;
    expect(otherAgents.map((a) => [a.name, a.sessionCount])).toEqual([['planner', 1]]);
    expect(agents.map((a) => a.id)).not.toContain(otherAgents[0]!.id);

    const sessions = (await execute(server.url, ReadSessionsFull, { first: 50 }, { key: project.read })).sessions.edges;
    const agentOf = Object.fromEntries(sessions.map((edge) => [edge.node.key, edge.node.agent?.name ?? null]));
    expect(agentOf).toEqual({ p1: 'planner', p2: 'planner', p3: 'planner', k1: 'coder', k2: 'coder', 'bound-1': 'key-agent', 'bound-2': 'key-agent' });
  });

  it('lists the project\'s API keys in their newest state, to READ and ADMIN', async () => {
    const project = await server.newProject({ ingestAgentName: 'worker' });
    const other = await server.newProject();
    const created = (
      await execute(server.url, ReadCreateApiKey, { input: { name: 'ci-reader', role: 'READ' } }, { key: project.admin })
    ).createApiKey;
    const revoked = (await execute(server.url, ReadRevokeApiKey, { id: created.apiKey.id }, { key: project.admin })).revokeApiKey;
    expect(revoked.revokedAt).toMatch(UTC_MICROS);

    const { apiKeys } = await execute(server.url, ReadApiKeys, undefined, { key: project.admin });
    const byName = [...apiKeys].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName.map((k) => ({ name: k.name, role: k.role, agent: k.agent?.name ?? null, revoked: k.revokedAt !== null }))).toEqual([
      { name: 'admin-key', role: 'ADMIN', agent: null, revoked: false },
      { name: 'ci-reader', role: 'READ', agent: null, revoked: true },
      { name: 'ingest-key', role: 'INGEST', agent: 'worker', revoked: false },
      { name: 'read-key', role: 'READ', agent: null, revoked: false },
    ]);
    const secrets: Record<string, string> = { 'admin-key': project.admin, 'ci-reader': created.secret, 'ingest-key': project.ingest, 'read-key': project.read };
    for (const key of apiKeys) {
      expect(key.prefix.length).toBeGreaterThan(0);
      expect(secrets[key.name]!.startsWith(key.prefix)).toBe(true);
      expect(key.createdAt).toMatch(UTC_MICROS);
    }
    const ci = apiKeys.find((k) => k.name === 'ci-reader')!;
    expect(ci).toEqual({ ...created.apiKey, agent: null, createdAt: ci.createdAt, lastUsedAt: null, revokedAt: revoked.revokedAt });
    const otherIds = (await execute(server.url, ReadApiKeys, undefined, { key: other.admin })).apiKeys.map((k) => k.id);
    expect(otherIds).toHaveLength(3);
    for (const id of otherIds) expect(apiKeys.map((k) => k.id)).not.toContain(id);

    const asRead = (await execute(server.url, ReadApiKeys, undefined, { key: project.read })).apiKeys;
    expect(asRead.map((k) => k.id).sort()).toEqual(apiKeys.map((k) => k.id).sort());
    await executeError(server.url, ReadApiKeys, undefined, { key: project.ingest }, 'FORBIDDEN');
  });
});

describe('Session fields', () => {
  it('reads tags, metadata, name, agent, status, times, durations and counters, and a timelineCursor that moves on ingest', async () => {
    const project = await server.newProject();
    const key = 'fields';
    const t = recentUs();
    const metadata = { customer: { id: 7, tier: 'gold', tags: ['vip', 'émigré'] }, locale: 'fr-FR', score: 0.5, active: true };
    await execute(
      server.url,
      ReadStartSession,
      { input: { key, name: 'Order #42 — support', agentName: 'support-bot', tags: ['billing', 'urgent', 'billing'], metadata, startedAt: iso(t) } },
      { key: project.ingest },
    );
    const read = async () => (await execute(server.url, ReadSessionLookup, { key }, { key: project.read })).session!;

    const fresh = await read();
    expect(fresh).toEqual({
      id: fresh.id, key, name: 'Order #42 — support', status: 'RUNNING', tags: ['billing', 'urgent'], metadata,
      startedAt: iso(t), endedAt: null, lastEventAt: null, durationMs: null,
      eventCount: 0, errorCount: 0, promptTokens: 0, completionTokens: 0, costUsd: 0,
      timelineCursor: fresh.timelineCursor, agent: { id: fresh.agent!.id, name: 'support-bot' },
    });
    expect(fresh.timelineCursor).toMatch(/^\S+$/);

    await ingest(project, [
      ev(key, 'x1', 'LLM_CALL', t + 1000 * MS + 500, { promptTokens: 100, completionTokens: 20, costUsd: 0.25 }),
      ev(key, 'x2', 'ERROR', t + 2500 * MS + 250, { errorMessage: 'boom' }),
      ev(key, 'x3', 'LLM_CALL', t + 1500 * MS, { promptTokens: 50, completionTokens: 5, costUsd: 0.125 }),
      ev(key, 'x4', 'TOOL_CALL', t + 1700 * MS, { status: 'ERROR' }),
    ]);
    const running = await read();
    expect(running).toEqual({
      ...fresh, eventCount: 4, errorCount: 2, promptTokens: 150, completionTokens: 25, costUsd: 0.375,
      lastEventAt: iso(t + 2500 * MS + 250), durationMs: 2500.25, timelineCursor: running.timelineCursor,
    });
    expect(running.timelineCursor).toMatch(/^\S+$/);
    expect(running.timelineCursor).not.toBe(fresh.timelineCursor);

    // An event older than the latest one leaves lastEventAt alone but still moves the cursor.
    await ingest(project, [ev(key, 'x5', 'LOG', t + 2000 * MS)]);
    const later = await read();
    expect(later).toEqual({ ...running, eventCount: 5, timelineCursor: later.timelineCursor });
    expect(new Set([fresh.timelineCursor, running.timelineCursor, later.timelineCursor]).size).toBe(3);

    await execute(server.url, ReadEndSession, { input: { key, status: 'FAILED', endedAt: iso(t + 4000 * MS + 1) } }, { key: project.ingest });
    const ended = await read();
    expect(ended).toEqual({ ...later, status: 'FAILED', endedAt: iso(t + 4000 * MS + 1), durationMs: 4000.001, timelineCursor: ended.timelineCursor });

    // The list shows the same session as the lookup.
    const listed = (await execute(server.url, ReadSessionsFull, {}, { key: project.read })).sessions.edges.map((edge) => edge.node);
    expect(listed).toEqual([ended]);
  });
});

describe('a first page of a long timeline', () => {
  it('returns 1000 events in one page, on every database', async () => {
    const project = await server.newProject();
    const key = 'long-timeline';
    const events = Array.from({ length: 1200 }, (_, i) => ({ id: `long-${i}`, sessionKey: key, type: 'LOG', timestamp: new Date(Date.now() - 60_000 + i).toISOString() }));
    for (let i = 0; i < events.length; i += 600) {
      await execute(server.url, `mutation($i: IngestBatchInput!) { ingestBatch(input: $i) { accepted } }`, { i: { events: events.slice(i, i + 600) } }, { key: project.ingest });
    }
    const data = await execute<{ session: { events: { totalCount: number; pageInfo: { hasNextPage: boolean }; edges: { node: { key: string } }[] } } }, unknown>(
      server.url,
      `query { session(key: "${key}") { events(first: 1000) { totalCount pageInfo { hasNextPage } edges { node { key } } } } }`,
      undefined,
      { key: project.read },
    );
    expect(data.session.events.totalCount).toBe(1200);
    expect(data.session.events.pageInfo.hasNextPage).toBe(true);
    expect(data.session.events.edges.map((edge) => edge.node.key)).toEqual(events.slice(0, 1000).map((event) => event.id));
  });
});
