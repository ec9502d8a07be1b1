/**
 * Query.analytics through GraphQL over HTTP: every field on a hand-computed fixture (expected
 * numbers written out here, not recomputed), nearest-rank percentiles, exact cost sums, UTC
 * buckets with empty ones filled, the bucket guard, breakdown order, filters that agree with
 * `sessions(filter)` (and the raw-SQL rendering of the filter, row for row), an empty project,
 * roles and project isolation. The same expectations hold on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Prisma } from '../src/generated/sqlite/client.js';
import { parseRfc3339 } from '../src/lib/micros.js';
import { sessionFilterSql } from '../src/services/analytics/session-filter-sql.js';
import type { SessionFilter as ServiceSessionFilter } from '../src/services/read/sessions.js';
import { graphql } from './generated/gql.js';
import type { EventInput, SessionFilter, SessionUpsertInput, TimeBucket } from './generated/graphql.js';
import { execute, executeError } from './helpers/execute.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const AnalyticsIngest = graphql(`
  mutation AnalyticsIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }
  }
`);

const AnalyticsEndSession = graphql(`
  mutation AnalyticsEndSession($input: EndSessionInput!) {
    endSession(input: $input) { key status durationMs }
  }
`);

const AnalyticsBreakdownFields = graphql(`
  fragment AnalyticsBreakdownFields on Breakdown { key sessions events errors tokens costUsd p95DurationMs }
`);

const AnalyticsPercentileFields = graphql(`
  fragment AnalyticsPercentileFields on Percentiles { avg p50 p90 p95 p99 max }
`);

const AnalyticsAll = graphql(`
  query AnalyticsAll($filter: SessionFilter, $bucket: TimeBucket!) {
    analytics(filter: $filter) {
      sessions events errors errorRate promptTokens completionTokens costUsd
      sessionDurationMs { ...AnalyticsPercentileFields }
      llmLatencyMs { ...AnalyticsPercentileFields }
      timeseries(bucket: $bucket) { start sessions events errors tokens costUsd }
      byAgent { ...AnalyticsBreakdownFields }
      byModel { ...AnalyticsBreakdownFields }
      byEventType { ...AnalyticsBreakdownFields }
      topTools { ...AnalyticsBreakdownFields }
      feedback { ...AnalyticsBreakdownFields }
    }
  }
`);

const AnalyticsTotals = graphql(`
  query AnalyticsTotals($filter: SessionFilter) {
    analytics(filter: $filter) {
      sessions events errors errorRate promptTokens completionTokens costUsd
      sessionDurationMs { max }
    }
  }
`);

const AnalyticsTimeseries = graphql(`
  query AnalyticsTimeseries($filter: SessionFilter, $bucket: TimeBucket!) {
    analytics(filter: $filter) { timeseries(bucket: $bucket) { start sessions events errors tokens costUsd } }
  }
`);

const AnalyticsTopTools = graphql(`
  query AnalyticsTopTools($limit: Int) {
    analytics { topTools(limit: $limit) { key events } }
  }
`);

const AnalyticsLatency = graphql(`
  query AnalyticsLatency($filter: SessionFilter) {
    analytics(filter: $filter) {
      costUsd
      llmLatencyMs { ...AnalyticsPercentileFields }
      byEventType { key costUsd p95DurationMs }
      timeseries(bucket: DAY) { costUsd }
    }
  }
`);

const AnalyticsByAgentKeys = graphql(`
  query AnalyticsByAgentKeys {
    analytics { byAgent { key sessions } }
  }
`);

const AnalyticsSessionsList = graphql(`
  query AnalyticsSessionsList($filter: SessionFilter) {
    sessions(filter: $filter, first: 500) {
      totalCount
      edges { node { key eventCount errorCount promptTokens completionTokens costUsd durationMs } }
    }
  }
`);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

async function ingest(project: TestProject, events: EventInput[], sessions: SessionUpsertInput[] = []): Promise<void> {
  const { ingestBatch } = await execute(server.url, AnalyticsIngest, { input: { events, sessions } }, { key: project.ingest });
  expect(ingestBatch).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
}

async function endSession(project: TestProject, key: string, status: 'SUCCEEDED' | 'FAILED', endedAt: string): Promise<void> {
  await execute(server.url, AnalyticsEndSession, { input: { key, status, endedAt } }, { key: project.ingest });
}

/** A UTC instant of the fixture days, to the microsecond: `utc('03-10 09:58:30')`. */
function utc(monthDayTime: string, micros = '000000'): string {
  return `2025-${monthDayTime.replace(' ', 'T')}.${micros}Z`;
}

let eventCounter = 0;
function ev(sessionKey: string, type: EventInput['type'], timestamp: string, extra: Partial<EventInput> = {}): EventInput {
  eventCounter += 1;
  return { id: `ev-${eventCounter}-${sessionKey}`, sessionKey, type, timestamp, ...extra };
}

/**
 * The fixture. Five sessions over three days (03-11 has nothing), one without an agent, one
 * without events; 18 events. Hand-computed facts used below:
 *
 * | session | agent | tags      | started      | ended (status)        | duration ms | events | errors | prompt | completion | cost      |
 * | s1      | alpha | prod, eu  | 03-10 09:58:30 | 10:01:00 SUCCEEDED  | 150000      | 4      | 1      | 300    | 150        | 0.0045    |
 * | s2      | beta  | prod      | 03-10 10:00:30 | 10:04:30 FAILED     | 240000      | 5      | 1      | 300    | 150        | 0.0045    |
 * | s3      | -     | staging   | 03-10 12:10:00 | running (last 12:11) | 60000      | 7      | 0      | 70     | 25         | 0.000752  |
 * | s4      | alpha | -         | 03-10 12:30:00 | running, no event   | null        | 0      | 0      | 0      | 0          | 0         |
 * | s5      | beta  | prod, eu  | 03-12 00:00:00 | 00:01:30 SUCCEEDED  | 90000       | 2      | 1      | 10     | 5          | 0.0001    |
 */
async function loadFixture(project: TestProject): Promise<void> {
  const sessions: SessionUpsertInput[] = [
    { key: 's1-checkout', name: 'Checkout flow', agentName: 'alpha', tags: ['prod', 'eu'], metadata: { region: 'eu', tier: 2, beta: true }, startedAt: utc('03-10 09:58:30') },
    { key: 's2-refund', name: 'Refund_50%', agentName: 'beta', tags: ['prod'], metadata: { region: 'us', tier: 1 }, startedAt: utc('03-10 10:00:30') },
    { key: 's3-batch', tags: ['staging'], startedAt: utc('03-10 12:10:00') },
    { key: 's4-idle', name: 'Idle', agentName: 'alpha', startedAt: utc('03-10 12:30:00') },
    { key: 's5-late', name: 'Late night', agentName: 'beta', tags: ['prod', 'eu'], metadata: { region: 'eu' }, startedAt: utc('03-12 00:00:00') },
  ];
  const events: EventInput[] = [
    // s1: one microsecond either side of 10:00 (minute and hour boundary).
    ev('s1-checkout', 'LLM_CALL', utc('03-10 09:58:40'), { name: 'chat', model: 'gpt-4o', durationMs: 1200, promptTokens: 100, completionTokens: 50, costUsd: 0.0015 }),
    ev('s1-checkout', 'TOOL_CALL', utc('03-10 09:59:59', '999999'), { name: 'search', durationMs: 300 }),
    ev('s1-checkout', 'TOOL_CALL', utc('03-10 10:00:00'), { name: 'search', durationMs: 500, status: 'ERROR' }),
    ev('s1-checkout', 'LLM_CALL', utc('03-10 10:00:20'), { name: 'chat', model: 'gpt-4o', durationMs: 800, promptTokens: 200, completionTokens: 100, costUsd: 0.003 }),
    // s2
    ev('s2-refund', 'LLM_CALL', utc('03-10 10:00:35'), { name: 'chat', model: 'claude-3', durationMs: 2000, promptTokens: 300, completionTokens: 150, costUsd: 0.0045 }),
    ev('s2-refund', 'ERROR', utc('03-10 10:00:50'), { name: 'timeout', errorMessage: 'upstream timed out' }),
    ev('s2-refund', 'TOOL_CALL', utc('03-10 10:03:10'), { name: 'db.query', durationMs: 100 }),
    ev('s2-refund', 'TOOL_CALL', utc('03-10 10:03:20'), { name: 'calc' }),
    ev('s2-refund', 'FEEDBACK', utc('03-10 10:03:30'), { name: 'thumbs_up' }),
    // s3: no agent; a model on a non-LLM event; an unnamed tool call.
    ev('s3-batch', 'LLM_CALL', utc('03-10 12:10:05'), { name: 'chat', model: 'gpt-4o', durationMs: 400, promptTokens: 50, completionTokens: 25, costUsd: 0.00075 }),
    ev('s3-batch', 'TOOL_CALL', utc('03-10 12:10:15'), { name: 'search', durationMs: 700 }),
    ev('s3-batch', 'TOOL_CALL', utc('03-10 12:10:20'), { name: 'Zeta' }),
    ev('s3-batch', 'TOOL_CALL', utc('03-10 12:10:25'), { durationMs: 10 }),
    ev('s3-batch', 'FEEDBACK', utc('03-10 12:10:30'), { name: 'thumbs_down' }),
    ev('s3-batch', 'CUSTOM', utc('03-10 12:10:40'), { name: 'embed', model: 'text-embedding-3', durationMs: 50, promptTokens: 20, completionTokens: 0, costUsd: 0.000002 }),
    ev('s3-batch', 'LOG', utc('03-10 12:11:00')),
    // s5, two days later.
    ev('s5-late', 'LLM_CALL', utc('03-12 00:00:10'), { name: 'chat', model: 'claude-3', durationMs: 1000, promptTokens: 10, completionTokens: 5, costUsd: 0.0001 }),
    ev('s5-late', 'TOOL_CALL', utc('03-12 00:00:20'), { name: 'db.query', durationMs: 250, status: 'ERROR' }),
  ];
  await ingest(project, events, sessions);
  await endSession(project, 's1-checkout', 'SUCCEEDED', utc('03-10 10:01:00'));
  await endSession(project, 's2-refund', 'FAILED', utc('03-10 10:04:30'));
  await endSession(project, 's5-late', 'SUCCEEDED', utc('03-12 00:01:30'));
}

const zeroPoint = (start: string) => ({ start, sessions: 0, events: 0, errors: 0, tokens: 0, costUsd: 0 });
const noPercentiles = { avg: null, p50: null, p90: null, p95: null, p99: null, max: null };

describe('analytics on a hand-computed fixture', () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await server.newProject();
    await loadFixture(project);
  });

  it('answers every field exactly', async () => {
    const { analytics } = await execute(server.url, AnalyticsAll, { bucket: 'DAY' }, { key: project.read });
    expect(analytics).toEqual({
      sessions: 5,
      events: 18,
      errors: 3,
      errorRate: 0.6,
      promptTokens: 680,
      completionTokens: 330,
      costUsd: 0.009852,
      // Durations 60000, 90000, 150000, 240000 (s4 has none): nearest rank p50 = 2nd value.
      sessionDurationMs: { avg: 135000, p50: 90000, p90: 240000, p95: 240000, p99: 240000, max: 240000 },
      // LLM_CALL durations 400, 800, 1000, 1200, 2000 (the CUSTOM event with a model is not one).
      llmLatencyMs: { avg: 1080, p50: 1000, p90: 2000, p95: 2000, p99: 2000, max: 2000 },
      timeseries: [
        { start: '2025-03-10T00:00:00.000000Z', sessions: 4, events: 16, errors: 2, tokens: 995, costUsd: 0.009752 },
        zeroPoint('2025-03-11T00:00:00.000000Z'),
        { start: '2025-03-12T00:00:00.000000Z', sessions: 1, events: 2, errors: 1, tokens: 15, costUsd: 0.0001 },
      ],
      // Most events first; beta and "" (no agent) tie at 7 and order by key.
      byAgent: [
        { key: '', sessions: 1, events: 7, errors: 0, tokens: 95, costUsd: 0.000752, p95DurationMs: 700 },
        { key: 'beta', sessions: 2, events: 7, errors: 2, tokens: 465, costUsd: 0.0046, p95DurationMs: 2000 },
        { key: 'alpha', sessions: 2, events: 4, errors: 1, tokens: 450, costUsd: 0.0045, p95DurationMs: 1200 },
      ],
      byModel: [
        { key: 'gpt-4o', sessions: 2, events: 3, errors: 0, tokens: 525, costUsd: 0.00525, p95DurationMs: 1200 },
        { key: 'claude-3', sessions: 2, events: 2, errors: 0, tokens: 465, costUsd: 0.0046, p95DurationMs: 2000 },
        { key: 'text-embedding-3', sessions: 1, events: 1, errors: 0, tokens: 20, costUsd: 0.000002, p95DurationMs: 50 },
      ],
      byEventType: [
        // Durations 10, 100, 250, 300, 500, 700: rank ceil(0.95 × 6) = 6.
        { key: 'TOOL_CALL', sessions: 4, events: 8, errors: 2, tokens: 0, costUsd: 0, p95DurationMs: 700 },
        { key: 'LLM_CALL', sessions: 4, events: 5, errors: 0, tokens: 990, costUsd: 0.00985, p95DurationMs: 2000 },
        { key: 'FEEDBACK', sessions: 2, events: 2, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: null },
        { key: 'CUSTOM', sessions: 1, events: 1, errors: 0, tokens: 20, costUsd: 0.000002, p95DurationMs: 50 },
        { key: 'ERROR', sessions: 1, events: 1, errors: 1, tokens: 0, costUsd: 0, p95DurationMs: null },
        { key: 'LOG', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: null },
      ],
      // Ties by code point: "" < "Zeta" < "calc" (a locale collation would put calc first).
      topTools: [
        { key: 'search', sessions: 2, events: 3, errors: 1, tokens: 0, costUsd: 0, p95DurationMs: 700 },
        { key: 'db.query', sessions: 2, events: 2, errors: 1, tokens: 0, costUsd: 0, p95DurationMs: 250 },
        { key: '', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: 10 },
        { key: 'Zeta', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: null },
        { key: 'calc', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: null },
      ],
      feedback: [
        { key: 'thumbs_down', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: null },
        { key: 'thumbs_up', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: null },
      ],
    });
  });

  it('buckets by hour in UTC with the empty hour filled, a session in its start bucket and events in theirs', async () => {
    const { analytics } = await execute(
      server.url,
      AnalyticsTimeseries,
      { bucket: 'HOUR', filter: { startedBefore: '2025-03-11T00:00:00Z' } },
      { key: project.read },
    );
    expect(analytics.timeseries).toEqual([
      { start: '2025-03-10T09:00:00.000000Z', sessions: 1, events: 2, errors: 0, tokens: 150, costUsd: 0.0015 },
      { start: '2025-03-10T10:00:00.000000Z', sessions: 1, events: 7, errors: 2, tokens: 750, costUsd: 0.0075 },
      zeroPoint('2025-03-10T11:00:00.000000Z'),
      { start: '2025-03-10T12:00:00.000000Z', sessions: 2, events: 7, errors: 0, tokens: 95, costUsd: 0.000752 },
    ]);
  });

  it('buckets by minute to the microsecond, from the first instant to the last', async () => {
    const minutes = async (filter: SessionFilter) =>
      (await execute(server.url, AnalyticsTimeseries, { bucket: 'MINUTE', filter }, { key: project.read })).analytics.timeseries;
    // s1: started 09:58:30, events at 09:58:40, 09:59:59.999999, 10:00:00.000000, 10:00:20.
    expect(await minutes({ search: 'checkout' })).toEqual([
      { start: '2025-03-10T09:58:00.000000Z', sessions: 1, events: 1, errors: 0, tokens: 150, costUsd: 0.0015 },
      { start: '2025-03-10T09:59:00.000000Z', sessions: 0, events: 1, errors: 0, tokens: 0, costUsd: 0 },
      { start: '2025-03-10T10:00:00.000000Z', sessions: 0, events: 2, errors: 1, tokens: 300, costUsd: 0.003 },
    ]);
    // s2: started 10:00:30, events until 10:03:30; its end (10:04:30) is no event and adds no bucket.
    expect(await minutes({ agentNames: ['beta'], startedBefore: '2025-03-11T00:00:00Z' })).toEqual([
      { start: '2025-03-10T10:00:00.000000Z', sessions: 1, events: 2, errors: 1, tokens: 450, costUsd: 0.0045 },
      zeroPoint('2025-03-10T10:01:00.000000Z'),
      zeroPoint('2025-03-10T10:02:00.000000Z'),
      { start: '2025-03-10T10:03:00.000000Z', sessions: 0, events: 3, errors: 0, tokens: 0, costUsd: 0 },
    ]);
    // A session without events is one bucket: its start.
    expect(await minutes({ search: 'idle' })).toEqual([
      { start: '2025-03-10T12:30:00.000000Z', sessions: 1, events: 0, errors: 0, tokens: 0, costUsd: 0 },
    ]);
    // The whole fixture by the minute: allowed, and every bucket is there.
    const all = await minutes({});
    expect(all).toHaveLength(2283); // 03-10 09:58 to 03-12 00:00: 842 + 1440 minutes later
    expect(all[0]!.start).toBe('2025-03-10T09:58:00.000000Z');
    expect(all.at(-1)!.start).toBe('2025-03-12T00:00:00.000000Z');
    expect(all.reduce((sum, point) => sum + point.events, 0)).toBe(18);
    expect(all.reduce((sum, point) => sum + point.sessions, 0)).toBe(5);
  });

  it('keeps the first rows of topTools up to limit, and refuses a limit outside 1..1000', async () => {
    const top = async (limit?: number) =>
      (await execute(server.url, AnalyticsTopTools, { limit }, { key: project.read })).analytics.topTools.map((row) => row.key);
    expect(await top(1)).toEqual(['search']);
    expect(await top(4)).toEqual(['search', 'db.query', '', 'Zeta']);
    expect(await top(1000)).toEqual(['search', 'db.query', '', 'Zeta', 'calc']);
    for (const limit of [0, -1, 1001]) {
      const errors = await executeError(server.url, AnalyticsTopTools, { limit }, { key: project.read }, 'BAD_USER_INPUT');
      expect(errors[0]!.message).toMatch(/limit must be between 1 and 1000/);
    }
  });

  /** Filters, each with the sessions it must match, written out from the fixture table. */
  const filterCases: { filter: SessionFilter; keys: string[] }[] = [
    { filter: {}, keys: ['s1-checkout', 's2-refund', 's3-batch', 's4-idle', 's5-late'] },
    { filter: { status: ['SUCCEEDED'] }, keys: ['s1-checkout', 's5-late'] },
    { filter: { status: ['RUNNING', 'FAILED'] }, keys: ['s2-refund', 's3-batch', 's4-idle'] },
    { filter: { status: [] }, keys: [] },
    { filter: { agentNames: ['alpha'] }, keys: ['s1-checkout', 's4-idle'] },
    { filter: { agentNames: ['alpha', 'nobody'] }, keys: ['s1-checkout', 's4-idle'] },
    { filter: { agentNames: [] }, keys: [] },
    { filter: { tagsAll: ['prod', 'eu'] }, keys: ['s1-checkout', 's5-late'] },
    { filter: { tagsAll: [] }, keys: ['s1-checkout', 's2-refund', 's3-batch', 's4-idle', 's5-late'] },
    { filter: { tagsAny: ['staging', 'eu'] }, keys: ['s1-checkout', 's3-batch', 's5-late'] },
    { filter: { tagsAny: [] }, keys: [] },
    { filter: { metadata: [{ key: 'region', equals: 'eu' }] }, keys: ['s1-checkout', 's5-late'] },
    { filter: { metadata: [{ key: 'tier', equals: 2 }] }, keys: ['s1-checkout'] },
    { filter: { metadata: [{ key: 'tier', equals: '2' }] }, keys: [] },
    { filter: { metadata: [{ key: 'beta', equals: true }, { key: 'region', equals: 'eu' }] }, keys: ['s1-checkout'] },
    { filter: { search: 'REFUND' }, keys: ['s2-refund'] },
    { filter: { search: 's3-' }, keys: ['s3-batch'] },
    { filter: { search: '' }, keys: ['s1-checkout', 's2-refund', 's3-batch', 's4-idle', 's5-late'] },
    { filter: { startedAfter: '2025-03-10T10:00:30Z' }, keys: ['s2-refund', 's3-batch', 's4-idle', 's5-late'] },
    { filter: { startedBefore: '2025-03-10T10:00:30Z' }, keys: ['s1-checkout'] },
    { filter: { startedAfter: '2025-03-10T12:00:00+02:00', startedBefore: '2025-03-10T12:30:00.000001Z' }, keys: ['s2-refund', 's3-batch', 's4-idle'] },
    { filter: { hasErrors: true }, keys: ['s1-checkout', 's2-refund', 's5-late'] },
    { filter: { hasErrors: false }, keys: ['s3-batch', 's4-idle'] },
    { filter: { minDurationMs: 90000 }, keys: ['s1-checkout', 's2-refund', 's5-late'] },
    { filter: { minDurationMs: 90000.5 }, keys: ['s1-checkout', 's2-refund'] },
    { filter: { maxDurationMs: 90000 }, keys: ['s3-batch', 's5-late'] },
    { filter: { maxDurationMs: 89999.9 }, keys: ['s3-batch'] },
    { filter: { model: 'gpt-4o' }, keys: ['s1-checkout', 's3-batch'] },
    // Only LLM_CALL events name a session's models.
    { filter: { model: 'text-embedding-3' }, keys: [] },
    { filter: { agentNames: ['beta'], hasErrors: true, tagsAny: ['prod'], status: ['SUCCEEDED', 'FAILED'] }, keys: ['s2-refund', 's5-late'] },
  ];

  /** The raw-SQL rendering of a filter (what analytics aggregates over), read back as keys. */
  async function keysBySql(filter: SessionFilter): Promise<string[]> {
    const micros = (value: unknown) => (value == null ? value : parseRfc3339(String(value)));
    const serviceFilter = { ...filter, startedAfter: micros(filter.startedAfter), startedBefore: micros(filter.startedBefore) } as ServiceSessionFilter;
    const rows = await server.app.services.db.prisma.$queryRaw<{ key: string }[]>(
      Prisma.sql`SELECT s.key AS key FROM sessions s WHERE ${sessionFilterSql(project.id, serviceFilter)}`,
    );
    return rows.map((row) => row.key).sort();
  }

  it.each(filterCases)('matches exactly the sessions that sessions(filter) lists: %j', async ({ filter, keys }) => {
    const [{ sessions }, { analytics }] = await Promise.all([
      execute(server.url, AnalyticsSessionsList, { filter }, { key: project.read }),
      execute(server.url, AnalyticsTotals, { filter }, { key: project.read }),
    ]);
    const listed = sessions.edges.map((edge) => edge.node);
    expect(listed.map((node) => node.key).sort()).toEqual(keys);
    expect(await keysBySql(filter)).toEqual(keys);

    const sum = (pick: (node: (typeof listed)[number]) => number) => listed.reduce((total, node) => total + pick(node), 0);
    const durations = listed.flatMap((node) => (node.durationMs === null ? [] : [node.durationMs]));
    expect(analytics.sessions).toBe(sessions.totalCount);
    expect(analytics.events).toBe(sum((node) => node.eventCount));
    expect(analytics.errors).toBe(sum((node) => node.errorCount));
    expect(analytics.promptTokens).toBe(sum((node) => node.promptTokens));
    expect(analytics.completionTokens).toBe(sum((node) => node.completionTokens));
    expect(analytics.costUsd).toBeCloseTo(sum((node) => node.costUsd), 12);
    expect(analytics.errorRate).toBe(listed.length === 0 ? 0 : listed.filter((node) => node.errorCount > 0).length / listed.length);
    expect(analytics.sessionDurationMs.max).toBe(durations.length === 0 ? null : Math.max(...durations));
  });

  /** As LIKE wildcards `%` and `_` would match much more; as text, only what holds them. */
  const wildcardSearches = [
    { search: '_50%', keys: ['s2-refund'] },
    { search: '%', keys: ['s2-refund'] },
    { search: 'refun__50', keys: [] }, // LIKE would match "refund_50"
    { search: 'checkout_', keys: [] },
    { search: '\\', keys: [] },
  ];

  it('takes % and _ in search literally', async () => {
    for (const { search, keys } of wildcardSearches) {
      expect(await keysBySql({ search }), `search ${search}`).toEqual(keys);
      const { analytics } = await execute(server.url, AnalyticsTotals, { filter: { search } }, { key: project.read });
      expect(analytics.sessions, `search ${search}`).toBe(keys.length);
    }
  });

  it('agrees with the sessions list on searches holding % and _', async () => {
    for (const { search, keys } of wildcardSearches) {
      const { sessions } = await execute(server.url, AnalyticsSessionsList, { filter: { search } }, { key: project.read });
      expect(sessions.edges.map((edge) => edge.node.key).sort(), `sessions(filter: {search: ${JSON.stringify(search)}})`).toEqual(keys);
    }
  });

  it('bounds durations inclusively at the microsecond, as sessions does', async () => {
    const other = await server.newProject();
    // 2.007 ms: 2007.0000000000002 µs when multiplied out in doubles.
    await ingest(other, [], [{ key: 'short', startedAt: utc('03-10 10:00:00', '000000') }]);
    await endSession(other, 'short', 'SUCCEEDED', utc('03-10 10:00:00', '002007'));
    for (const filter of [{ minDurationMs: 2.007 }, { maxDurationMs: 2.007 }, { minDurationMs: 2.007, maxDurationMs: 2.007 }]) {
      const [{ sessions }, { analytics }] = await Promise.all([
        execute(server.url, AnalyticsSessionsList, { filter }, { key: other.read }),
        execute(server.url, AnalyticsTotals, { filter }, { key: other.read }),
      ]);
      expect(sessions.totalCount, JSON.stringify(filter)).toBe(1);
      expect(analytics.sessions, JSON.stringify(filter)).toBe(1);
      expect(analytics.sessionDurationMs.max).toBe(2.007);
    }
    for (const filter of [{ minDurationMs: 2.008 }, { maxDurationMs: 2.006 }]) {
      const { analytics } = await execute(server.url, AnalyticsTotals, { filter }, { key: other.read });
      expect(analytics.sessions, JSON.stringify(filter)).toBe(0);
    }
  });

  it('refuses a metadata filter on a non-scalar value as sessions does', async () => {
    const errors = await executeError(
      server.url,
      AnalyticsTotals,
      { filter: { metadata: [{ key: 'region', equals: { nested: true } }] } },
      { key: project.read },
      'BAD_USER_INPUT',
    );
    expect(errors[0]!.message).toMatch(/filter\.metadata\[0\]\.equals/);
  });

  it('runs one query for all the totals, one for all that reads events, and reads events for byAgent only for p95', async () => {
    // SQLite on a file runs these statements on its reader threads, anything else through Prisma.
    const { db } = server.app.services;
    const spy = db.readers ? vi.spyOn(db.readers, 'query') : vi.spyOn(db.prisma, '$queryRaw');
    try {
      await execute(server.url, AnalyticsTotals, { filter: { tagsAny: ['prod'] } }, { key: project.read });
      // sessions, events, errors, errorRate, tokens and cost share one query; durations one more.
      expect(spy).toHaveBeenCalledTimes(2);
      spy.mockClear();
      const { analytics } = await execute(server.url, AnalyticsByAgentKeys, undefined, { key: project.read });
      expect(analytics.byAgent).toEqual([{ key: '', sessions: 1 }, { key: 'beta', sessions: 2 }, { key: 'alpha', sessions: 2 }]);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockClear();
      await execute(server.url, AnalyticsAll, { bucket: 'HOUR' }, { key: project.read });
      // totals, session durations, the timeseries (its range, session starts and events per
      // bucket: one statement since it reads events by time range), byAgent's counts, then its
      // p95 (which needs the agents the counts name), and each of the five over events (LLM
      // latency, byModel, byEventType, topTools, feedback) as a statement of its own, at once on
      // PostgreSQL's pool or SQLite's reader threads; SQLite in memory has one connection, so
      // those five are one statement there.
      expect(spy).toHaveBeenCalledTimes(db.provider === 'postgresql' || db.readers ? 5 + 5 : 6);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('analytics definitions', () => {
  it('takes percentiles by nearest rank and sums costs and durations exactly', async () => {
    const project = await server.newProject();
    // 20 LLM calls of 10, 20, ..., 200 ms, sent shuffled.
    const durations = [130, 20, 200, 70, 110, 10, 160, 90, 40, 190, 60, 150, 30, 180, 100, 120, 50, 170, 80, 140];
    await ingest(project, durations.map((durationMs, i) => ev('ranks', 'LLM_CALL', utc(`03-10 10:00:${String(i).padStart(2, '0')}`), { model: 'm', durationMs })));
    // 0.1 + 0.2 is 0.30000000000000004 in doubles; the exact sums say 0.3, and 0.15 for the mean.
    await ingest(project, [
      ev('fractions', 'LLM_CALL', utc('03-10 11:00:00'), { model: 'm', durationMs: 0.1, costUsd: 0.1 }),
      ev('fractions', 'LLM_CALL', utc('03-10 11:00:01'), { model: 'm', durationMs: 0.2, costUsd: 0.2 }),
    ]);
    await ingest(project, [ev('single', 'LLM_CALL', utc('03-10 12:00:00'), { model: 'm', durationMs: 42.125, costUsd: 0.7 })]);

    const latency = async (search: string) =>
      (await execute(server.url, AnalyticsLatency, { filter: { search } }, { key: project.read })).analytics;
    const ranks = await latency('ranks');
    // ceil(0.5 × 20) = 10th, ceil(0.9 × 20) = 18th, ceil(0.95 × 20) = 19th, ceil(0.99 × 20) = 20th.
    expect(ranks.llmLatencyMs).toEqual({ avg: 105, p50: 100, p90: 180, p95: 190, p99: 200, max: 200 });
    expect(ranks.byEventType).toEqual([{ key: 'LLM_CALL', costUsd: 0, p95DurationMs: 190 }]);

    const fractions = await latency('fractions');
    expect(fractions.llmLatencyMs).toEqual({ avg: 0.15, p50: 0.1, p90: 0.2, p95: 0.2, p99: 0.2, max: 0.2 });
    expect(fractions.costUsd).toBe(0.3);
    expect(fractions.byEventType).toEqual([{ key: 'LLM_CALL', costUsd: 0.3, p95DurationMs: 0.2 }]);
    expect(fractions.timeseries).toEqual([{ costUsd: 0.3 }]);

    const single = await latency('single');
    expect(single.llmLatencyMs).toEqual({ avg: 42.125, p50: 42.125, p90: 42.125, p95: 42.125, p99: 42.125, max: 42.125 });

    const all = await latency('');
    expect(all.costUsd).toBe(1);
    expect(all.llmLatencyMs.p50).toBe(90); // 23 values: 0.1, 0.2, 10, ..., 200, 42.125 → 12th is 90
  });

  it('picks the nearest rank for every group size from 1 to 60', async () => {
    const project = await server.newProject();
    const sizes = Array.from({ length: 60 }, (_, i) => i + 1);
    // Session n: n LLM calls of model m<n> lasting 1.5, 3, ..., 1.5 n ms, sent in a scrambled order (61 is prime to every n).
    const events = sizes.flatMap((n) =>
      Array.from({ length: n }, (_, i) => ((i * 61) % n) + 1).map((rank, i) =>
        ev(`size-${String(n).padStart(3, '0')}-`, 'LLM_CALL', utc('03-10 10:00:00', String(i).padStart(6, '0')), {
          model: `m${n}`,
          durationMs: rank * 1.5,
        }),
      ),
    );
    for (let start = 0; start < events.length; start += 1000) await ingest(project, events.slice(start, start + 1000));
    const nearestRank = (p: number, n: number) => Math.ceil((p * n) / 100) * 1.5;

    const { analytics } = await execute(server.url, AnalyticsLatency, {}, { key: project.read });
    expect(analytics.llmLatencyMs.max).toBe(90);
    const byModel = await execute(server.url, AnalyticsAll, { bucket: 'DAY' }, { key: project.read });
    const p95ByModel = Object.fromEntries(byModel.analytics.byModel.map((row) => [row.key, row.p95DurationMs]));
    expect(p95ByModel).toEqual(Object.fromEntries(sizes.map((n) => [`m${n}`, nearestRank(95, n)])));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 19, 20, 21, 33, 49, 50, 51, 59, 60]) {
      const { analytics: one } = await execute(server.url, AnalyticsLatency, { filter: { search: `size-${String(n).padStart(3, '0')}-` } }, { key: project.read });
      expect(one.llmLatencyMs, `n = ${n}`).toEqual({
        avg: ((n + 1) / 2) * 1.5,
        p50: nearestRank(50, n),
        p90: nearestRank(90, n),
        p95: nearestRank(95, n),
        p99: nearestRank(99, n),
        max: n * 1.5,
      });
    }
  });

  it('refuses a timeseries of more than 10,000 buckets, naming a coarser bucket', async () => {
    const project = await server.newProject();
    // Eight days apart: 11,521 minutes, 193 hours.
    await ingest(project, [ev('first', 'LOG', utc('03-01 00:00:00')), ev('last', 'LOG', utc('03-09 00:00:00'))]);
    const errors = await executeError(server.url, AnalyticsTimeseries, { bucket: 'MINUTE' }, { key: project.read }, 'BAD_USER_INPUT');
    expect(errors[0]!.message).toMatch(/more than 10000.*coarser bucket \(HOUR or DAY\)/);
    expect(errors[0]!.path).toEqual(['analytics', 'timeseries']);
    const { analytics } = await execute(server.url, AnalyticsTimeseries, { bucket: 'HOUR' }, { key: project.read });
    expect(analytics.timeseries).toHaveLength(193);
    expect(analytics.timeseries[0]).toEqual({ ...zeroPoint('2025-03-01T00:00:00.000000Z'), sessions: 1, events: 1 });
    expect(analytics.timeseries[192]).toEqual({ ...zeroPoint('2025-03-09T00:00:00.000000Z'), sessions: 1, events: 1 });
    // Narrowed by the filter, minutes are fine again.
    const narrowed = await execute(server.url, AnalyticsTimeseries, { bucket: 'MINUTE', filter: { search: 'last' } }, { key: project.read });
    expect(narrowed.analytics.timeseries).toEqual([{ ...zeroPoint('2025-03-09T00:00:00.000000Z'), sessions: 1, events: 1 }]);
  });

  it('answers zeros, null percentiles and empty lists for an empty project', async () => {
    const project = await server.newProject();
    for (const bucket of ['MINUTE', 'HOUR', 'DAY'] as TimeBucket[]) {
      const { analytics } = await execute(server.url, AnalyticsAll, { bucket }, { key: project.read });
      expect(analytics).toEqual({
        sessions: 0, events: 0, errors: 0, errorRate: 0, promptTokens: 0, completionTokens: 0, costUsd: 0,
        sessionDurationMs: noPercentiles,
        llmLatencyMs: noPercentiles,
        timeseries: [], byAgent: [], byModel: [], byEventType: [], topTools: [], feedback: [],
      });
    }
  });
});

describe('analytics access', () => {
  it('is allowed to READ and ADMIN keys and FORBIDDEN to INGEST keys', async () => {
    const project = await server.newProject();
    await ingest(project, [ev('one', 'LOG', utc('03-10 10:00:00'))]);
    for (const key of [project.read, project.admin]) {
      const { analytics } = await execute(server.url, AnalyticsTotals, {}, { key });
      expect(analytics).toMatchObject({ sessions: 1, events: 1 });
    }
    const errors = await executeError(server.url, AnalyticsTotals, {}, { key: project.ingest }, 'FORBIDDEN');
    expect(errors[0]!.path).toEqual(['analytics']);
    await executeError(server.url, AnalyticsTotals, {}, {}, 'UNAUTHENTICATED');
  });

  it('groups event names up to their limit, 500 characters of the widest UTF-8, and refuses longer ones', async () => {
    // topTools and feedback read names from the events' analytics index. On PostgreSQL an entry
    // may not pass 2704 bytes: 500 three-byte characters beside a 200-character three-byte model
    // must fit, or the batch would fail at its insert rather than be answered. The characters do
    // not repeat, so PostgreSQL cannot compress the entry under the limit (1000 of them did not fit).
    const project = await server.newProject();
    const cjk = (length: number, step: number) => Array.from({ length }, (_, i) => String.fromCharCode(0x4e00 + (((i + 1) * step) % 20_000))).join('');
    const tool = cjk(500, 104_729);
    const feedback = cjk(500, 7_919);
    const model = cjk(200, 31);
    await ingest(project, [
      ev('names', 'TOOL_CALL', utc('03-10 10:00:00'), { name: tool, model, durationMs: 4 }),
      ev('names', 'TOOL_CALL', utc('03-10 10:00:01'), { name: tool, model, durationMs: 8 }),
      ev('names', 'FEEDBACK', utc('03-10 10:00:02'), { name: feedback, model }),
    ]);
    const { ingestBatch } = await execute(
      server.url,
      AnalyticsIngest,
      { input: { events: [ev('names', 'TOOL_CALL', utc('03-10 10:00:03'), { id: 'too-long', name: 'n'.repeat(501) })] } },
      { key: project.ingest },
    );
    expect(ingestBatch.accepted).toBe(0);
    expect(ingestBatch.rejected).toEqual([{ index: 0, eventId: 'too-long', code: 'INVALID_VALUE', message: expect.stringMatching(/name .*500/) }]);

    const { analytics } = await execute(server.url, AnalyticsAll, { bucket: 'DAY' }, { key: project.read });
    expect(analytics.topTools).toEqual([{ key: tool, sessions: 1, events: 2, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: 8 }]);
    expect(analytics.feedback).toEqual([{ key: feedback, sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0, p95DurationMs: null }]);
  });

  it('sees only its own project, agents of the same name included', async () => {
    const [mine, theirs] = await Promise.all([server.newProject(), server.newProject()]);
    await ingest(mine, [ev('m', 'TOOL_CALL', utc('03-10 10:00:00'), { name: 'search', costUsd: 0.25 })], [{ key: 'm', agentName: 'shared' }]);
    await ingest(
      theirs,
      [
        ev('t1', 'TOOL_CALL', utc('03-10 10:00:00'), { name: 'search', costUsd: 1 }),
        ev('t2', 'LLM_CALL', utc('03-20 10:00:00'), { model: 'x', durationMs: 5 }),
      ],
      [{ key: 't1', agentName: 'shared' }, { key: 't2', agentName: 'other' }],
    );
    const { analytics } = await execute(server.url, AnalyticsAll, { bucket: 'DAY', filter: { agentNames: ['shared', 'other'] } }, { key: mine.read });
    expect(analytics).toMatchObject({
      sessions: 1,
      events: 1,
      costUsd: 0.25,
      llmLatencyMs: noPercentiles,
      timeseries: [{ start: '2025-03-10T00:00:00.000000Z', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0.25 }],
      byAgent: [{ key: 'shared', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0.25, p95DurationMs: null }],
      byModel: [],
      topTools: [{ key: 'search', sessions: 1, events: 1, errors: 0, tokens: 0, costUsd: 0.25, p95DurationMs: null }],
    });
    const other = await execute(server.url, AnalyticsTotals, {}, { key: theirs.read });
    expect(other.analytics).toMatchObject({ sessions: 2, events: 2, costUsd: 1 });
  });
});
