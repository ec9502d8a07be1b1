/**
 * sessions(filter, orderBy, first, after) through GraphQL over HTTP: every SessionFilter field on
 * its own and all of them ANDed, every order field in both directions with ties and missing
 * values, keyset pages that concatenate to the order computed here from the inputs, cursors
 * bound to their order, totalCount under a filter, and the page-size limit.
 *
 * Where the contract is silent the server chose, and these tests hold it to: startedAfter
 * inclusive, startedBefore exclusive, min/maxDurationMs inclusive; sessions with no value for
 * the order field last in both directions; ties by creation order in the same direction;
 * metadata `equals` a JSON scalar, numbers compared by value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type {
  EventInput, EventType, OrderDirection, SessionFilter, SessionOrderField, SessionUpsertInput,
} from './generated/graphql.js';
import { execute, executeError } from './helpers/execute.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const SessionsQueryIngest = graphql(`
  mutation SessionsQueryIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }
  }
`);

const SessionsQueryStart = graphql(`
  mutation SessionsQueryStart($input: StartSessionInput!) {
    startSession(input: $input) { id key }
  }
`);

const SessionsQueryEnd = graphql(`
  mutation SessionsQueryEnd($input: EndSessionInput!) {
    endSession(input: $input) { id status }
  }
`);

const SessionsQueryList = graphql(`
  query SessionsQueryList($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {
    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { key } }
    }
  }
`);

const SessionsQueryValues = graphql(`
  query SessionsQueryValues {
    sessions(first: 500) {
      edges { node { key startedAt lastEventAt durationMs costUsd eventCount } }
    }
  }
`);

const MS = 1000; // microseconds

/** Microseconds since the epoch as the contract prints them. */
function iso(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

/** The same instant written with another UTC offset (minutes), to check inputs are normalised. */
function isoWithOffset(us: number, offsetMinutes: number): string {
  const local = iso(us + offsetMinutes * 60_000_000).slice(0, 26);
  const abs = Math.abs(offsetMinutes);
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Three hours ago on a whole second plus 417 µs: inside the accepted range, with microseconds. */
function baseUs(): number {
  return Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1_000_000 + 417;
}

let counter = 0;
function ev(sessionKey: string, type: EventType, timestampUs: number, extra: Partial<EventInput> = {}): EventInput {
  counter += 1;
  return { id: `${sessionKey}-ev-${counter}`, sessionKey, type, timestamp: iso(timestampUs), ...extra };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

async function ingest(project: TestProject, events: EventInput[], sessions: SessionUpsertInput[] = []): Promise<void> {
  const { ingestBatch } = await execute(server.url, SessionsQueryIngest, { input: { events, sessions } }, { key: project.ingest });
  expect(ingestBatch).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
}

async function start(project: TestProject, input: { key: string; startedAt: string; tags?: string[]; agentName?: string }) {
  await execute(server.url, SessionsQueryStart, { input }, { key: project.ingest });
}

async function end(project: TestProject, key: string, status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', endedAt?: string) {
  const { endSession } = await execute(server.url, SessionsQueryEnd, { input: { key, status, endedAt } }, { key: project.ingest });
  expect(endSession.status).toBe(status);
}

type Order = { field: SessionOrderField; direction: OrderDirection };

async function page(project: TestProject, vars: { filter?: SessionFilter; orderBy?: Order; first?: number; after?: string | null }) {
  return (await execute(server.url, SessionsQueryList, vars, { key: project.read })).sessions;
}

/** The keys matching a filter, sorted, after checking that totalCount agrees with the list. */
async function matching(project: TestProject, filter: SessionFilter): Promise<string[]> {
  const list = await page(project, { filter, first: 500 });
  expect(list.pageInfo.hasNextPage).toBe(false);
  expect(list.totalCount).toBe(list.edges.length);
  return list.edges.map((edge) => edge.node.key).sort();
}

/** The same for a filter written inline, for literals that JSON variables cannot express (1.0). */
async function matchingLiteral(project: TestProject, filterLiteral: string): Promise<string[]> {
  const data = await execute<{ sessions: { totalCount: number; edges: { node: { key: string } }[] } }, undefined>(
    server.url,
    `query { sessions(first: 500, filter: ${filterLiteral}) { totalCount edges { node { key } } } }`,
    undefined,
    { key: project.read },
  );
  expect(data.sessions.totalCount).toBe(data.sessions.edges.length);
  return data.sessions.edges.map((edge) => edge.node.key).sort();
}

describe('sessions filter, one field at a time', () => {
  it('status: any of the listed statuses', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await ingest(project, ['running', 'succeeded', 'failed', 'cancelled'].map((key) => ev(key, 'LOG', t)));
    await end(project, 'succeeded', 'SUCCEEDED');
    await end(project, 'failed', 'FAILED');
    await end(project, 'cancelled', 'CANCELLED');

    expect(await matching(project, { status: ['RUNNING'] })).toEqual(['running']);
    expect(await matching(project, { status: ['SUCCEEDED', 'FAILED'] })).toEqual(['failed', 'succeeded']);
    expect(await matching(project, { status: ['CANCELLED'] })).toEqual(['cancelled']);
    expect(await matching(project, { status: ['TIMED_OUT'] })).toEqual([]);
    expect(await matching(project, { status: ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] })).toEqual(
      ['cancelled', 'failed', 'running', 'succeeded'],
    );
  });

  it('agentNames: sessions of any of the named agents, names compared exactly', async () => {
    const project = await server.newProject();
    await ingest(project, [], [
      { key: 'a1', agentName: 'alpha' },
      { key: 'a2', agentName: 'alpha' },
      { key: 'b1', agentName: 'beta' },
      { key: 'cap', agentName: 'Alpha' },
      { key: 'none' },
    ]);
    expect(await matching(project, { agentNames: ['alpha'] })).toEqual(['a1', 'a2']);
    expect(await matching(project, { agentNames: ['alpha', 'beta'] })).toEqual(['a1', 'a2', 'b1']);
    expect(await matching(project, { agentNames: ['Alpha'] })).toEqual(['cap']);
    expect(await matching(project, { agentNames: ['nobody'] })).toEqual([]);
  });

  it('tagsAll needs every tag, tagsAny at least one, and both follow tags added by a later batch', async () => {
    const project = await server.newProject();
    await ingest(project, [], [
      { key: 't1', tags: ['x', 'y'] },
      { key: 't2', tags: ['x'] },
      { key: 't3', tags: ['y', 'z'] },
      { key: 't4' },
    ]);
    expect(await matching(project, { tagsAll: ['x', 'y'] })).toEqual(['t1']);
    expect(await matching(project, { tagsAll: ['x'] })).toEqual(['t1', 't2']);
    expect(await matching(project, { tagsAll: ['x', 'w'] })).toEqual([]);
    expect(await matching(project, { tagsAny: ['x', 'z'] })).toEqual(['t1', 't2', 't3']);
    expect(await matching(project, { tagsAny: ['w'] })).toEqual([]);
    expect(await matching(project, { tagsAll: ['y'], tagsAny: ['x', 'w'] })).toEqual(['t1']);

    // Upserts add tags (never remove them); the filters see the new ones at once.
    await ingest(project, [], [{ key: 't2', tags: ['y'] }, { key: 't4', tags: ['z'] }]);
    expect(await matching(project, { tagsAll: ['x', 'y'] })).toEqual(['t1', 't2']);
    expect(await matching(project, { tagsAny: ['z'] })).toEqual(['t3', 't4']);
    expect(await matching(project, { tagsAll: ['x'] })).toEqual(['t1', 't2']);
  });

  it('metadata: string, number and boolean values match by JSON type and value; several conditions are ANDed', async () => {
    const project = await server.newProject();
    await ingest(project, [], [
      { key: 'm1', metadata: { tier: 'gold', retries: 3, beta: true, limits: { max: 3 } } },
      { key: 'm2', metadata: { tier: 'gold', retries: '3', beta: 'true' } },
      { key: 'm3', metadata: { tier: 'silver', retries: 1, beta: false, ratio: 0.25 } },
      { key: 'm4' },
    ]);
    expect(await matching(project, { metadata: [{ key: 'tier', equals: 'gold' }] })).toEqual(['m1', 'm2']);
    expect(await matching(project, { metadata: [{ key: 'tier', equals: 'GOLD' }] })).toEqual([]);
    // A number never equals the string of its digits, nor a boolean the string "true".
    expect(await matching(project, { metadata: [{ key: 'retries', equals: 3 }] })).toEqual(['m1']);
    expect(await matching(project, { metadata: [{ key: 'retries', equals: '3' }] })).toEqual(['m2']);
    expect(await matching(project, { metadata: [{ key: 'beta', equals: true }] })).toEqual(['m1']);
    expect(await matching(project, { metadata: [{ key: 'beta', equals: 'true' }] })).toEqual(['m2']);
    expect(await matching(project, { metadata: [{ key: 'beta', equals: false }] })).toEqual(['m3']);
    expect(await matching(project, { metadata: [{ key: 'ratio', equals: 0.25 }] })).toEqual(['m3']);
    // Numbers by value: 3.0 is 3 and 1.0 is 1, written as literals since JSON variables lose the ".0".
    expect(await matchingLiteral(project, '{ metadata: [{ key: "retries", equals: 3.0 }] }')).toEqual(['m1']);
    expect(await matchingLiteral(project, '{ metadata: [{ key: "retries", equals: 1.0 }] }')).toEqual(['m3']);
    expect(await matchingLiteral(project, '{ metadata: [{ key: "ratio", equals: 2.5e-1 }] }')).toEqual(['m3']);
    // Only top-level keys: neither the nested key nor the object key matches a scalar.
    expect(await matching(project, { metadata: [{ key: 'max', equals: 3 }] })).toEqual([]);
    expect(await matching(project, { metadata: [{ key: 'limits', equals: 3 }] })).toEqual([]);
    expect(await matching(project, { metadata: [{ key: 'missing', equals: 'gold' }] })).toEqual([]);

    expect(await matching(project, { metadata: [{ key: 'tier', equals: 'gold' }, { key: 'beta', equals: true }] })).toEqual(['m1']);
    expect(await matching(project, { metadata: [{ key: 'tier', equals: 'gold' }, { key: 'retries', equals: '3' }] })).toEqual(['m2']);
    expect(await matching(project, { metadata: [{ key: 'tier', equals: 'gold' }, { key: 'beta', equals: false }] })).toEqual([]);
  });

  it('metadata stored as 1.0 matches equals 1 (numbers by value on the stored side too)', async () => {
    const project = await server.newProject();
    // Literals, so the stored value is sent as written.
    await execute(
      server.url,
      'mutation { ingestBatch(input: { events: [], sessions: [{ key: "f", metadata: { n: 1.0, big: 1e3 } }, { key: "i", metadata: { n: 2 } }] }) { accepted } }',
      undefined,
      { key: project.ingest },
    );
    expect(await matching(project, { metadata: [{ key: 'n', equals: 1 }] })).toEqual(['f']);
    expect(await matching(project, { metadata: [{ key: 'big', equals: 1000 }] })).toEqual(['f']);
    expect(await matchingLiteral(project, '{ metadata: [{ key: "n", equals: 2.0 }] }')).toEqual(['i']);
  });

  it('metadata equals that is not a string, number or boolean is BAD_USER_INPUT', async () => {
    const project = await server.newProject();
    for (const equals of [{ a: 1 }, [1], null]) {
      await executeError(
        server.url, SessionsQueryList, { filter: { metadata: [{ key: 'tier', equals }] } }, { key: project.read }, 'BAD_USER_INPUT',
      );
    }
  });

  it('metadata filters follow a value changed by a later upsert, and stop matching once it becomes an object', async () => {
    const project = await server.newProject();
    await ingest(project, [], [
      { key: 'k1', metadata: { tier: 'gold', region: 'eu' } },
      { key: 'k2', metadata: { tier: 'gold' } },
    ]);
    const tier = (equals: unknown) => matching(project, { metadata: [{ key: 'tier', equals }] });
    expect(await tier('gold')).toEqual(['k1', 'k2']);

    await ingest(project, [], [{ key: 'k1', metadata: { tier: 'platinum' } }]);
    expect(await tier('gold')).toEqual(['k2']);
    expect(await tier('platinum')).toEqual(['k1']);
    // Keys not named in the upsert are kept (merged), and still filterable.
    expect(await matching(project, { metadata: [{ key: 'region', equals: 'eu' }] })).toEqual(['k1']);

    // In a batch that also carries events for the session.
    await ingest(project, [ev('k1', 'LOG', baseUs())], [{ key: 'k1', metadata: { tier: { level: 'platinum' } } }]);
    expect(await tier('platinum')).toEqual([]);
    expect(await tier('gold')).toEqual(['k2']);
    expect(await matching(project, { metadata: [{ key: 'level', equals: 'platinum' }] })).toEqual([]);
    expect(await matching(project, { metadata: [{ key: 'region', equals: 'eu' }] })).toEqual(['k1']);

    // From an object back to a scalar, and from a string to a number.
    await ingest(project, [], [{ key: 'k1', metadata: { tier: 'gold' } }, { key: 'k2', metadata: { tier: 5 } }]);
    expect(await tier('gold')).toEqual(['k1']);
    expect(await tier(5)).toEqual(['k2']);
    expect(await tier('5')).toEqual([]);
  });

  it('search: case-insensitive substring of name or key, unicode folded, % _ and \\ taken literally', async () => {
    const project = await server.newProject();
    await ingest(project, [], [
      { key: 'order-ABC-123', name: 'Checkout Flow' },
      { key: 'uni', name: 'Ünïcode Session' },
      { key: 'pct', name: '100% done' },
      { key: 'pct-decoy', name: '1000 done' },
      { key: 'snake_case_key' },
      { key: 'snakeXcaseXkey', name: 'decoy' },
      { key: 'win', name: 'C:\\temp\\new' },
      { key: 'win-decoy', name: 'C:temp' },
      { key: 'nameless' },
    ]);
    expect.soft(await matching(project, { search: 'checkout' })).toEqual(['order-ABC-123']);
    expect.soft(await matching(project, { search: 'CHECKOUT FL' })).toEqual(['order-ABC-123']);
    expect.soft(await matching(project, { search: 'abc-1' })).toEqual(['order-ABC-123']);
    expect.soft(await matching(project, { search: 'nameless' })).toEqual(['nameless']);
    expect.soft(await matching(project, { search: 'üNÏCODE' })).toEqual(['uni']);
    expect.soft(await matching(project, { search: 'ÜNÏCODE SESS' })).toEqual(['uni']);
    expect.soft(await matching(project, { search: 'unicode' })).toEqual([]);
    // Wildcards of LIKE must be plain characters here.
    expect.soft(await matching(project, { search: '100%' })).toEqual(['pct']);
    expect.soft(await matching(project, { search: '0% d' })).toEqual(['pct']);
    expect.soft(await matching(project, { search: '%' })).toEqual(['pct']);
    expect.soft(await matching(project, { search: '_' })).toEqual(['snake_case_key']);
    expect.soft(await matching(project, { search: 'e_c' })).toEqual(['snake_case_key']);
    expect.soft(await matching(project, { search: '\\t' })).toEqual(['win']);
    expect.soft(await matching(project, { search: '\\' })).toEqual(['win']);
    expect.soft(await matching(project, { search: 'zzz' })).toEqual([]);
  });

  it('startedAfter is inclusive, startedBefore exclusive, to the microsecond and whatever the offset', async () => {
    const project = await server.newProject();
    const t = baseUs();
    const t1 = t + 1000 * MS;
    await ingest(project, [], [
      { key: 's0', startedAt: iso(t) },
      { key: 's1', startedAt: iso(t1) },
      { key: 's1b', startedAt: iso(t1 + 1) },
      { key: 's2', startedAt: iso(t + 2000 * MS) },
    ]);
    expect(await matching(project, { startedAfter: iso(t1) })).toEqual(['s1', 's1b', 's2']);
    expect(await matching(project, { startedAfter: isoWithOffset(t1, 330) })).toEqual(['s1', 's1b', 's2']);
    expect(await matching(project, { startedAfter: iso(t1 + 1) })).toEqual(['s1b', 's2']);
    expect(await matching(project, { startedBefore: iso(t1) })).toEqual(['s0']);
    expect(await matching(project, { startedBefore: isoWithOffset(t1 + 1, -420) })).toEqual(['s0', 's1']);
    expect(await matching(project, { startedAfter: iso(t1), startedBefore: iso(t + 2000 * MS) })).toEqual(['s1', 's1b']);
    expect(await matching(project, { startedAfter: iso(t1 + 1), startedBefore: iso(t1 + 1) })).toEqual([]);
  });

  it('hasErrors: sessions with at least one ERROR-status event, or none', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await ingest(
      project,
      [
        ev('error-type', 'LOG', t),
        ev('error-type', 'ERROR', t + MS, { errorMessage: 'boom' }),
        ev('error-status', 'TOOL_CALL', t, { status: 'ERROR' }),
        ev('error-type-ok', 'ERROR', t, { status: 'OK' }),
        ev('ok', 'LOG', t),
        ev('ok', 'TOOL_CALL', t, { status: 'OK' }),
      ],
      [{ key: 'empty' }],
    );
    expect(await matching(project, { hasErrors: true })).toEqual(['error-status', 'error-type']);
    expect(await matching(project, { hasErrors: false })).toEqual(['empty', 'error-type-ok', 'ok']);
  });

  it('minDurationMs / maxDurationMs: inclusive, on ended (endedAt) and running (lastEventAt) sessions; none without a duration', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await start(project, { key: 'ended-1000', startedAt: iso(t) });
    await start(project, { key: 'ended-4000', startedAt: iso(t) });
    await start(project, { key: 'no-duration', startedAt: iso(t) });
    await ingest(project, [
      ev('ended-4000', 'LOG', t + 100 * MS),
      ev('running-2500', 'LOG', t),
      ev('running-2500', 'LOG', t + 2500 * MS),
      ev('running-0', 'LOG', t),
    ]);
    await end(project, 'ended-1000', 'SUCCEEDED', iso(t + 1000 * MS));
    await end(project, 'ended-4000', 'FAILED', iso(t + 4000 * MS));

    const all = ['ended-1000', 'ended-4000', 'running-0', 'running-2500'];
    expect(await matching(project, { minDurationMs: 0 })).toEqual(all);
    expect(await matching(project, { maxDurationMs: 1e9 })).toEqual(all);
    expect(await matching(project, { minDurationMs: 1000 })).toEqual(['ended-1000', 'ended-4000', 'running-2500']);
    expect(await matching(project, { minDurationMs: 1000.001 })).toEqual(['ended-4000', 'running-2500']);
    expect(await matching(project, { maxDurationMs: 1000 })).toEqual(['ended-1000', 'running-0']);
    expect(await matching(project, { maxDurationMs: 999.999 })).toEqual(['running-0']);
    expect(await matching(project, { minDurationMs: 1000, maxDurationMs: 2500 })).toEqual(['ended-1000', 'running-2500']);
    expect(await matching(project, { minDurationMs: 2500, maxDurationMs: 2500 })).toEqual(['running-2500']);
    expect(await matching(project, { minDurationMs: 4000.001 })).toEqual([]);

    // A running session's duration grows with its events, and the filter follows.
    await ingest(project, [ev('running-2500', 'LOG', t + 5000 * MS)]);
    expect(await matching(project, { minDurationMs: 4500 })).toEqual(['running-2500']);
    expect(await matching(project, { minDurationMs: 1000, maxDurationMs: 2500 })).toEqual(['ended-1000']);
  });

  it('minDurationMs / maxDurationMs equal to a reported durationMs include that session (microsecond durations)', async () => {
    const project = await server.newProject();
    const t = baseUs();
    // 2.007 * 1000 and 1.001 * 1000 are not whole numbers in binary floating point.
    await ingest(project, [
      ev('d2007', 'LOG', t), ev('d2007', 'LOG', t + 2007),
      ev('d1001', 'LOG', t), ev('d1001', 'LOG', t + 1001),
    ]);
    const { sessions } = await execute(server.url, SessionsQueryValues, undefined, { key: project.read });
    const reported = Object.fromEntries(sessions.edges.map((edge) => [edge.node.key, edge.node.durationMs]));
    expect(reported).toEqual({ d2007: 2.007, d1001: 1.001 });

    expect.soft(await matching(project, { minDurationMs: 2.007 })).toEqual(['d2007']);
    expect.soft(await matching(project, { maxDurationMs: 1.001 })).toEqual(['d1001']);
    expect.soft(await matching(project, { minDurationMs: 2.007, maxDurationMs: 2.007 })).toEqual(['d2007']);
    expect.soft(await matching(project, { minDurationMs: 1.001, maxDurationMs: 1.001 })).toEqual(['d1001']);
  });

  it('model: sessions with an LLM_CALL of that model; the same model on another event type does not count', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await ingest(project, [
      ev('llm-gpt', 'LLM_CALL', t, { model: 'gpt-4o' }),
      ev('tool-gpt', 'TOOL_CALL', t, { model: 'gpt-4o' }),
      ev('tool-gpt', 'LLM_CALL', t, { model: 'claude-3' }),
      ev('llm-claude', 'LLM_CALL', t, { model: 'claude-3' }),
      ev('both', 'LLM_CALL', t, { model: 'claude-3' }),
      ev('both', 'LLM_CALL', t + MS, { model: 'gpt-4o' }),
      ev('none', 'LOG', t),
    ]);
    expect(await matching(project, { model: 'gpt-4o' })).toEqual(['both', 'llm-gpt']);
    expect(await matching(project, { model: 'claude-3' })).toEqual(['both', 'llm-claude', 'tool-gpt']);
    expect(await matching(project, { model: 'gpt-4' })).toEqual([]);

    await ingest(project, [ev('tool-gpt', 'LLM_CALL', t + 2 * MS, { model: 'gpt-4o' })]);
    expect(await matching(project, { model: 'gpt-4o' })).toEqual(['both', 'llm-gpt', 'tool-gpt']);
  });
});

describe('sessions filter, combined', () => {
  it('every condition must hold: each session failing exactly one is out, and is back once that condition is dropped', async () => {
    const project = await server.newProject();
    const t = baseUs();
    const base = { name: 'payment run', agentName: 'alpha', tags: ['x'], metadata: { tier: 'gold' }, startedAt: iso(t) };
    const variants: { key: string; dropped: (keyof SessionFilter)[]; session?: Partial<SessionUpsertInput>; events?: EventInput[] }[] = [
      { key: 'v-status', dropped: ['status'] },
      { key: 'v-agent', dropped: ['agentNames'], session: { agentName: 'beta' } },
      { key: 'v-tags', dropped: ['tagsAll', 'tagsAny'], session: { tags: ['y'] } },
      { key: 'v-meta', dropped: ['metadata'], session: { metadata: { tier: 'silver' } } },
      { key: 'v-name', dropped: ['search'], session: { name: 'refund run' } },
      { key: 'v-started', dropped: ['startedAfter'], session: { startedAt: iso(t - 3_600_000 * MS) } },
      {
        key: 'v-errors', dropped: ['hasErrors'],
        events: [ev('v-errors', 'LLM_CALL', t + 1000 * MS, { model: 'gpt-4o' }), ev('v-errors', 'LOG', t + 3000 * MS)],
      },
      {
        key: 'v-duration', dropped: ['minDurationMs'],
        events: [ev('v-duration', 'LLM_CALL', t + 100 * MS, { model: 'gpt-4o' }), ev('v-duration', 'ERROR', t + 200 * MS)],
      },
      {
        key: 'v-model', dropped: ['model'],
        events: [ev('v-model', 'LLM_CALL', t + 1000 * MS, { model: 'claude-3' }), ev('v-model', 'ERROR', t + 3000 * MS)],
      },
    ];
    const standardEvents = (key: string) => [ev(key, 'LLM_CALL', t + 1000 * MS, { model: 'gpt-4o' }), ev(key, 'ERROR', t + 3000 * MS)];
    await ingest(
      project,
      [...standardEvents('match'), ...variants.flatMap((v) => v.events ?? standardEvents(v.key))],
      [{ key: 'match', ...base }, ...variants.map((v) => ({ key: v.key, ...base, ...v.session }))],
    );
    await end(project, 'v-status', 'SUCCEEDED', iso(t + 3000 * MS));

    const filter: SessionFilter = {
      status: ['RUNNING'],
      agentNames: ['alpha'],
      tagsAll: ['x'],
      tagsAny: ['x', 'w'],
      metadata: [{ key: 'tier', equals: 'gold' }],
      search: 'PAY',
      startedAfter: iso(t),
      startedBefore: iso(t + 60_000 * MS),
      hasErrors: true,
      minDurationMs: 1000,
      maxDurationMs: 4_000_000,
      model: 'gpt-4o',
    };
    expect(await matching(project, filter)).toEqual(['match']);
    for (const variant of variants) {
      const relaxed: SessionFilter = { ...filter };
      for (const field of variant.dropped) delete relaxed[field];
      expect(await matching(project, relaxed), `without ${variant.dropped.join(', ')}`).toEqual([variant.key, 'match'].sort());
    }
  });
});

describe('sessions order and pages', () => {
  /**
   * Twelve sessions started one by one (so creation order is the array order) with keys in
   * reverse alphabetical order, so a tie broken by key instead of creation order shows. Ties
   * and missing values on every field.
   */
  const fixture: { key: string; start: number; events: [number, number][]; end?: number }[] = [
    { key: 'o-l', start: 0, events: [[10_000, 0.25]] },
    { key: 'o-k', start: 0, events: [[10_000, 0.25]] },
    { key: 'o-j', start: 5_000, events: [] },
    { key: 'o-i', start: 5_000, events: [[20_000, 0.5], [30_000, 0]] },
    { key: 'o-h', start: 5_001, events: [[30_000, 0.125]] },
    { key: 'o-g', start: 1_000, events: [], end: 41_000 },
    { key: 'o-f', start: 2_000, events: [[12_000, 0.25], [12_000, 0.25], [42_000, 0]] },
    { key: 'o-e', start: 7_000, events: [[8_000, 0]], end: 47_000 },
    { key: 'o-d', start: 3_000, events: [] },
    { key: 'o-c', start: 9_000, events: [[9_000, 1]] },
    { key: 'o-b', start: 9_000, events: [[29_999, 0.125], [30_000, 0]] },
    { key: 'o-a', start: 0, events: [], end: 0 },
  ];
  const oddKeys = new Set(fixture.filter((_, i) => i % 2 === 1).map((s) => s.key));

  interface Expected { key: string; index: number; startedAt: number; lastEventAt: number | null; duration: number | null; cost: number; count: number }

  function expectedValues(t: number): Expected[] {
    return fixture.map((s, index) => {
      const lastEventAt = s.events.length ? t + Math.max(...s.events.map(([ts]) => ts)) : null;
      const endAt = s.end !== undefined ? t + s.end : lastEventAt;
      return {
        key: s.key,
        index,
        startedAt: t + s.start,
        lastEventAt,
        duration: endAt === null ? null : endAt - (t + s.start),
        cost: s.events.reduce((sum, [, cost]) => sum + cost, 0),
        count: s.events.length,
      };
    });
  }

  const valueOf: Record<SessionOrderField, (e: Expected) => number | null> = {
    STARTED_AT: (e) => e.startedAt,
    LAST_EVENT_AT: (e) => e.lastEventAt,
    DURATION: (e) => e.duration,
    COST: (e) => e.cost,
    EVENT_COUNT: (e) => e.count,
  };

  /** Missing values last whichever the direction; ties by creation order in the same direction. */
  function expectedOrder(rows: Expected[], order: Order): string[] {
    const sign = order.direction === 'ASC' ? 1 : -1;
    return [...rows]
      .sort((a, b) => {
        const va = valueOf[order.field](a);
        const vb = valueOf[order.field](b);
        if (va === null || vb === null) {
          if (va !== vb) return va === null ? 1 : -1;
        } else if (va !== vb) return sign * (va - vb);
        return sign * (a.index - b.index);
      })
      .map((row) => row.key);
  }

  async function buildFixture(project: TestProject): Promise<Expected[]> {
    const t = baseUs();
    for (const [i, s] of fixture.entries()) {
      await start(project, { key: s.key, startedAt: iso(t + s.start), tags: i % 2 === 1 ? ['odd'] : [] });
    }
    await ingest(project, fixture.flatMap((s) => s.events.map(([ts, costUsd]) => ev(s.key, 'LLM_CALL', t + ts, { costUsd }))));
    for (const s of fixture) if (s.end !== undefined) await end(project, s.key, 'SUCCEEDED', iso(t + s.end));

    const expected = expectedValues(t);
    // The inputs landed as computed here, so an order failure below is about the order.
    const { sessions } = await execute(server.url, SessionsQueryValues, undefined, { key: project.read });
    const stored = sessions.edges.map(({ node }) => node).sort((a, b) => a.key.localeCompare(b.key));
    expect(stored).toEqual(
      [...expected].sort((a, b) => a.key.localeCompare(b.key)).map((e) => ({
        key: e.key,
        startedAt: iso(e.startedAt),
        lastEventAt: e.lastEventAt === null ? null : iso(e.lastEventAt),
        durationMs: e.duration === null ? null : e.duration / 1000,
        costUsd: e.cost,
        eventCount: e.count,
      })),
    );
    return expected;
  }

  /** Every page of size `first`, checked page by page, concatenated. */
  async function walk(project: TestProject, orderBy: Order | undefined, first: number, filter?: SessionFilter): Promise<string[]> {
    const keys: string[] = [];
    let after: string | null = null;
    const total = (await page(project, { filter, orderBy, first: 500 })).totalCount;
    for (let i = 0; ; i++) {
      expect(i).toBeLessThan(50);
      const current: Awaited<ReturnType<typeof page>> = await page(project, { filter, orderBy, first, after });
      expect(current.totalCount).toBe(total);
      expect(current.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1)?.cursor ?? null);
      keys.push(...current.edges.map((edge) => edge.node.key));
      if (!current.pageInfo.hasNextPage) break;
      expect(current.edges).toHaveLength(first);
      after = current.pageInfo.endCursor;
    }
    expect(keys).toHaveLength(total);
    return keys;
  }

  const orders: Order[] = (['STARTED_AT', 'LAST_EVENT_AT', 'DURATION', 'COST', 'EVENT_COUNT'] as const).flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
  );

  it('every order field in both directions, paged by 1 and by 5, concatenates to the expected order', async () => {
    const project = await server.newProject();
    const expected = await buildFixture(project);
    for (const orderBy of orders) {
      const want = expectedOrder(expected, orderBy);
      const label = `${orderBy.field} ${orderBy.direction}`;
      const all = await page(project, { orderBy, first: 500 });
      expect(all.edges.map((edge) => edge.node.key), label).toEqual(want);
      expect(await walk(project, orderBy, 5), label).toEqual(want);
      // By one, every row is a page boundary: cursors on ties and on missing values included.
      expect(await walk(project, orderBy, 1), label).toEqual(want);
    }
    // No orderBy: STARTED_AT DESC.
    expect(await walk(project, undefined, 5)).toEqual(expectedOrder(expected, { field: 'STARTED_AT', direction: 'DESC' }));
  });

  it('with a filter, every order pages by 2 through exactly the matching sessions, totalCount following the filter', async () => {
    const project = await server.newProject();
    const expected = await buildFixture(project);
    const odd = expected.filter((e) => oddKeys.has(e.key));
    for (const orderBy of orders) {
      const label = `${orderBy.field} ${orderBy.direction}`;
      expect(await walk(project, orderBy, 2, { tagsAny: ['odd'] }), label).toEqual(expectedOrder(odd, orderBy));
    }
    const firstOfOdd = await page(project, { filter: { tagsAny: ['odd'] }, first: 1 });
    expect(firstOfOdd.totalCount).toBe(6);
    expect(firstOfOdd.edges).toHaveLength(1);
    expect((await page(project, { first: 1 })).totalCount).toBe(12);
    expect((await page(project, { filter: { tagsAny: ['none-such'] }, first: 1 })).totalCount).toBe(0);
  });

  it('a cursor of one order is refused under another; the default order is STARTED_AT DESC and shares its cursors', async () => {
    const project = await server.newProject();
    const expected = await buildFixture(project);
    const startedDesc = await page(project, { orderBy: { field: 'STARTED_AT', direction: 'DESC' }, first: 3 });
    const durationAsc = await page(project, { orderBy: { field: 'DURATION', direction: 'ASC' }, first: 3 });
    const refusals: [string, Order][] = [
      [startedDesc.pageInfo.endCursor!, { field: 'COST', direction: 'ASC' }],
      [startedDesc.pageInfo.endCursor!, { field: 'STARTED_AT', direction: 'ASC' }],
      [startedDesc.pageInfo.endCursor!, { field: 'LAST_EVENT_AT', direction: 'DESC' }],
      [durationAsc.pageInfo.endCursor!, { field: 'DURATION', direction: 'DESC' }],
      [durationAsc.pageInfo.endCursor!, { field: 'EVENT_COUNT', direction: 'ASC' }],
      ['not-a-cursor', { field: 'COST', direction: 'DESC' }],
    ];
    for (const [after, orderBy] of refusals) {
      await executeError(server.url, SessionsQueryList, { orderBy, after, first: 3 }, { key: project.read }, 'BAD_USER_INPUT');
    }
    await executeError(server.url, SessionsQueryList, { after: durationAsc.pageInfo.endCursor, first: 3 }, { key: project.read }, 'BAD_USER_INPUT');

    const want = expectedOrder(expected, { field: 'STARTED_AT', direction: 'DESC' });
    const byDefault = await page(project, { first: 3 });
    expect(byDefault.edges.map((edge) => edge.node.key)).toEqual(want.slice(0, 3));
    const next = await page(project, { orderBy: { field: 'STARTED_AT', direction: 'DESC' }, first: 3, after: byDefault.pageInfo.endCursor });
    expect(next.edges.map((edge) => edge.node.key)).toEqual(want.slice(3, 6));
  });

  it('first: 500 is allowed, 501 and negative sizes are BAD_USER_INPUT', async () => {
    const project = await server.newProject();
    await ingest(project, [], [{ key: 'only' }]);
    expect((await page(project, { first: 500 })).totalCount).toBe(1);
    await executeError(server.url, SessionsQueryList, { first: 501 }, { key: project.read }, 'BAD_USER_INPUT');
    await executeError(server.url, SessionsQueryList, { first: 501, filter: { search: 'only' } }, { key: project.read }, 'BAD_USER_INPUT');
    await executeError(server.url, SessionsQueryList, { first: -1 }, { key: project.read }, 'BAD_USER_INPUT');
  });
});
