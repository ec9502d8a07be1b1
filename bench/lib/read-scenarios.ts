/**
 * The read bench's requests: what a dashboard asks of a seeded project (bench/lib/read-dataset.ts).
 * Seeded sessions start within the 30 days before 2026-01-01 UTC; about a quarter carry each tag,
 * a tenth have metadata tier "enterprise"; none is ended, so all are RUNNING.
 */
import type { SessionFilter, SessionOrder } from '../../src/services/read/sessions.js';

/** `reference` has no target: it shows the fixed cost of any request, beside which the others' floors are set. */
export type ScenarioGroup = 'reference' | 'list' | 'timeline' | 'tree' | 'analytics';

export interface ReadScenario {
  name: string;
  group: ScenarioGroup;
  description: string;
  query: string;
  /** Variables; `after` cursors are filled in once the database is known (see `cursor`). */
  variables: Record<string, unknown>;
  /** For a deep page: the row (0-based) whose cursor goes into `variables.after`. */
  cursor?: { kind: 'sessions'; filter: SessionFilter | null; order: SessionOrder; offset: number } | { kind: 'timeline'; offset: number };
}

const VIEWER = 'query BenchViewer { viewer { role } }';

const SESSION_FIELDS = 'id key name status tags startedAt lastEventAt durationMs eventCount errorCount costUsd agent { name }';

const LIST = `query BenchSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {
  sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { ${SESSION_FIELDS} } }
  }
}`;

const TIMELINE = `query BenchTimeline($key: String!, $first: Int, $after: String) {
  session(key: $key) {
    id eventCount
    events(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id key type name timestamp durationMs status model promptTokens completionTokens costUsd input output metadata errorMessage errorType } }
    }
  }
}`;

const TREE = `query BenchTree($key: String!) {
  session(key: $key) {
    id eventCount
    tree { depth parentId event { id key type name timestamp durationMs status model costUsd } }
  }
}`;

const BREAKDOWN = 'key sessions events errors tokens costUsd p95DurationMs';
const PERCENTILES = 'avg p50 p90 p95 p99 max';
const ANALYTICS = `query BenchAnalytics($filter: SessionFilter, $bucket: TimeBucket!) {
  analytics(filter: $filter) {
    sessions events errors errorRate promptTokens completionTokens costUsd
    sessionDurationMs { ${PERCENTILES} }
    llmLatencyMs { ${PERCENTILES} }
    timeseries(bucket: $bucket) { start sessions events errors tokens costUsd }
    byAgent { ${BREAKDOWN} }
    byModel { ${BREAKDOWN} }
    byEventType { ${BREAKDOWN} }
    topTools(limit: 10) { ${BREAKDOWN} }
    feedback { key sessions events errors tokens costUsd }
  }
}`;

const microsOf = (iso: string) => Date.parse(iso) * 1000;

export function readScenarios(plan: { sessions: number; bigSession: number }, bigSessionKey: string): ReadScenario[] {
  const byCost: SessionOrder = { field: 'COST', direction: 'DESC' };
  const statusAndTag: SessionFilter = { status: ['RUNNING', 'SUCCEEDED'], tagsAll: ['vip'] };
  const deepRow = Math.floor(plan.sessions / 2);
  return [
    {
      name: 'reference: viewer',
      group: 'reference',
      description: 'viewer { role }: the API key lookup every request makes and nothing else; what HTTP, GraphQL and authentication cost a request beside its floor',
      query: VIEWER,
      variables: {},
    },
    {
      name: 'list: default order, first page',
      group: 'list',
      description: 'sessions(first: 50), STARTED_AT DESC, no filter',
      query: LIST,
      variables: { first: 50 },
    },
    {
      name: 'list: default order, deep page',
      group: 'list',
      description: `sessions(first: 50, after: the cursor of row ${deepRow.toLocaleString('en-US')})`,
      query: LIST,
      variables: { first: 50 },
      cursor: { kind: 'sessions', filter: null, order: { field: 'STARTED_AT', direction: 'DESC' }, offset: deepRow },
    },
    {
      name: 'list: status + tag by cost, first page',
      group: 'list',
      description: 'filter { status: [RUNNING, SUCCEEDED], tagsAll: [vip] }, orderBy COST DESC',
      query: LIST,
      variables: { first: 50, filter: statusAndTag, orderBy: byCost },
    },
    {
      name: 'list: status + tag by cost, deep page',
      group: 'list',
      description: `the same, after the cursor of matching row ${Math.floor(deepRow / 8).toLocaleString('en-US')}`,
      query: LIST,
      variables: { first: 50, filter: statusAndTag, orderBy: byCost },
      cursor: { kind: 'sessions', filter: statusAndTag, order: byCost, offset: Math.floor(deepRow / 8) },
    },
    {
      name: 'list: metadata filter',
      group: 'list',
      description: 'filter { metadata: [{ key: tier, equals: enterprise }] }, default order',
      query: LIST,
      variables: { first: 50, filter: { metadata: [{ key: 'tier', equals: 'enterprise' }] } },
    },
    {
      name: 'list: time range by duration',
      group: 'list',
      description: 'filter { startedAfter: 2025-12-10, startedBefore: 2025-12-12 }, orderBy DURATION DESC',
      query: LIST,
      variables: {
        first: 50,
        filter: { startedAfter: '2025-12-10T00:00:00Z', startedBefore: '2025-12-12T00:00:00Z' },
        orderBy: { field: 'DURATION', direction: 'DESC' },
      },
    },
    {
      name: 'timeline: first page',
      group: 'timeline',
      description: `session(key) { events(first: 100) } of the ${plan.bigSession.toLocaleString('en-US')}-event session, with input/output`,
      query: TIMELINE,
      variables: { key: bigSessionKey, first: 100 },
    },
    {
      name: 'timeline: middle page',
      group: 'timeline',
      description: `the same, after the cursor of event ${Math.floor(plan.bigSession / 2).toLocaleString('en-US')}`,
      query: TIMELINE,
      variables: { key: bigSessionKey, first: 100 },
      cursor: { kind: 'timeline', offset: Math.floor(plan.bigSession / 2) },
    },
    {
      name: 'tree',
      group: 'tree',
      description: `session(key) { tree } of the ${plan.bigSession.toLocaleString('en-US')}-event session (no payloads)`,
      query: TREE,
      variables: { key: bigSessionKey },
    },
    {
      name: 'analytics: whole project',
      group: 'analytics',
      description: 'every Analytics field, p95DurationMs on the breakdowns, timeseries(DAY)',
      query: ANALYTICS,
      variables: { bucket: 'DAY' },
    },
    {
      name: 'analytics: tag + time range',
      group: 'analytics',
      description: 'the same with filter { tagsAll: [prod], 2025-12-10 <= startedAt < 2025-12-17 }, timeseries(HOUR)',
      query: ANALYTICS,
      variables: { bucket: 'HOUR', filter: { tagsAll: ['prod'], startedAfter: '2025-12-10T00:00:00Z', startedBefore: '2025-12-17T00:00:00Z' } },
    },
  ];
}

/** The service-level filter of a scenario's GraphQL filter (DateTime strings as micros). */
export function serviceFilter(filter: SessionFilter | null): SessionFilter | null {
  if (!filter) return null;
  const convert = (value: unknown) => (typeof value === 'string' ? microsOf(value) : (value as number | null | undefined));
  return { ...filter, startedAfter: convert(filter.startedAfter), startedBefore: convert(filter.startedBefore) };
}
