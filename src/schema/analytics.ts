/** Analytics: aggregates over the sessions a filter matches, each field computed only when selected. */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { builder } from '../builder.js';
import { callerOf } from '../context.js';
import { checkSessionFilter } from '../lib/filter-limits.js';
import type { Micros } from '../lib/micros.js';
import {
  AnalyticsQuery, MAX_TIMESERIES_BUCKETS, TOP_TOOLS_DEFAULT, TOP_TOOLS_MAX,
  type Breakdown, type Percentiles, type TimeseriesPoint,
} from '../services/analytics/analytics.js';
import { asGraphQLError } from './errors.js';
import { SessionFilterInput } from './session.js';

const TimeBucketEnum = builder.enumType('TimeBucket', {
  description: 'Buckets aligned in UTC: a bucket starts at floor(t / size) × size since the Unix epoch.',
  values: ['MINUTE', 'HOUR', 'DAY'] as const,
});

const PercentilesObject = builder.objectRef<Percentiles>('Percentiles').implement({
  description:
    'Percentiles over the matching population; null where it is empty.\n' +
    'Nearest rank: the p-th percentile of n values is the value at rank ceil(p/100 × n) in ascending\n' +
    'order. avg is the arithmetic mean (of values rounded to the microsecond), max the largest value.',
  fields: (t) => ({
    avg: t.exposeFloat('avg', { nullable: true }),
    p50: t.exposeFloat('p50', { nullable: true }),
    p90: t.exposeFloat('p90', { nullable: true }),
    p95: t.exposeFloat('p95', { nullable: true }),
    p99: t.exposeFloat('p99', { nullable: true }),
    max: t.exposeFloat('max', { nullable: true }),
  }),
});

const TimeseriesPointObject = builder.objectRef<TimeseriesPoint>('TimeseriesPoint').implement({
  fields: (t) => ({
    start: t.field({
      type: 'DateTime',
      description: 'Start of the bucket, UTC, aligned to the bucket size.',
      resolve: (point): Micros => point.start,
    }),
    sessions: t.exposeInt('sessions', { description: 'Matching sessions that started in this bucket.' }),
    events: t.exposeInt('events'),
    errors: t.exposeInt('errors', { description: 'ERROR-status events.' }),
    tokens: t.exposeFloat('tokens', { description: 'Prompt plus completion tokens.' }),
    costUsd: t.exposeFloat('costUsd'),
  }),
});

const BreakdownObject = builder.objectRef<Breakdown>('Breakdown').implement({
  description: 'One group of a breakdown. Rows come with the most events first, ties by key in code-point order.',
  fields: (t) => ({
    key: t.exposeString('key'),
    sessions: t.exposeInt('sessions', {
      description: 'Distinct sessions among the events counted in this row (byAgent: sessions of that agent).',
    }),
    events: t.exposeInt('events'),
    errors: t.exposeInt('errors', { description: 'ERROR-status events.' }),
    tokens: t.exposeFloat('tokens', { description: 'Prompt plus completion tokens.' }),
    costUsd: t.exposeFloat('costUsd'),
    p95DurationMs: t.exposeFloat('p95DurationMs', {
      nullable: true,
      description: 'p95 of durationMs of the events counted in this row; null where none has one.',
    }),
  }),
});

/**
 * Whether the field's selection names `name` (through fragments too). Directives are not
 * evaluated: a field under @skip counts as selected, which only costs a computation.
 */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

const AnalyticsObject = builder.objectRef<AnalyticsQuery>('Analytics').implement({
  description:
    'Aggregates over the sessions that match the filter (and their events). Exact, not sampled,\n' +
    'and equal to what the same filter lists through `sessions`. Costs are summed exactly in\n' +
    'nano-dollars, so every database gives the same totals.',
  fields: (t) => ({
    sessions: t.int({ resolve: (analytics) => analytics.totals().then((totals) => totals.sessions) }),
    events: t.int({ resolve: (analytics) => analytics.totals().then((totals) => totals.events) }),
    errors: t.int({
      description: 'ERROR-status events.',
      resolve: (analytics) => analytics.totals().then((totals) => totals.errors),
    }),
    errorRate: t.float({
      description: 'Share of matching sessions with at least one ERROR-status event, 0 when there are none.',
      resolve: (analytics) => analytics.totals().then((totals) => totals.errorRate),
    }),
    promptTokens: t.float({ resolve: (analytics) => analytics.totals().then((totals) => totals.promptTokens) }),
    completionTokens: t.float({ resolve: (analytics) => analytics.totals().then((totals) => totals.completionTokens) }),
    costUsd: t.float({ resolve: (analytics) => analytics.totals().then((totals) => totals.costUsd) }),
    sessionDurationMs: t.field({
      type: PercentilesObject,
      description: 'Over the matching sessions that have a duration (Session.durationMs not null).',
      resolve: (analytics) => analytics.sessionDurationMs(),
    }),
    llmLatencyMs: t.field({
      type: PercentilesObject,
      description: 'durationMs of LLM_CALL events.',
      resolve: (analytics) => analytics.llmLatencyMs(),
    }),
    timeseries: t.field({
      type: [TimeseriesPointObject],
      description:
        'Buckets covering every matching session\'s start and every timestamp of their events, from\n' +
        'the first to the last, empty buckets included. A session counts in the bucket of its start;\n' +
        'an event (and its error, tokens and cost) in the bucket of its own timestamp. Oldest first.\n' +
        `More than ${MAX_TIMESERIES_BUCKETS.toLocaleString('en-US')} buckets is BAD_USER_INPUT: use a coarser bucket or a narrower filter.`,
      args: { bucket: t.arg({ type: TimeBucketEnum, required: true }) },
      resolve: (analytics, { bucket }) => asGraphQLError(() => analytics.timeseries(bucket)),
    }),
    byAgent: t.field({
      type: [BreakdownObject],
      description:
        'Matching sessions grouped by agent name; sessions without an agent are grouped under the key "".\n' +
        'Each row counts all the events of its sessions.',
      resolve: (analytics, _args, _context, info) => analytics.byAgent({ p95: selects(info, 'p95DurationMs') }),
    }),
    byModel: t.field({
      type: [BreakdownObject],
      description: 'Events that name a model (of any type), grouped by model.',
      resolve: (analytics, _args, _context, info) =>
        analytics.eventBreakdown('byModel', { p95: selects(info, 'p95DurationMs') }),
    }),
    byEventType: t.field({
      type: [BreakdownObject],
      description: 'Events grouped by type (the key is the EventType name).',
      resolve: (analytics, _args, _context, info) =>
        analytics.eventBreakdown('byEventType', { p95: selects(info, 'p95DurationMs') }),
    }),
    topTools: t.field({
      type: [BreakdownObject],
      description:
        'TOOL_CALL events grouped by name, most frequent first (ties by name in code-point order);\n' +
        `unnamed ones under "". limit: 1 to ${TOP_TOOLS_MAX}, else BAD_USER_INPUT.`,
      args: { limit: t.arg.int({ defaultValue: TOP_TOOLS_DEFAULT }) },
      resolve: (analytics, { limit }, _context, info) =>
        asGraphQLError(() => analytics.topTools(limit, { p95: selects(info, 'p95DurationMs') })),
    }),
    feedback: t.field({
      type: [BreakdownObject],
      description: 'FEEDBACK events grouped by name; unnamed ones under "".',
      resolve: (analytics, _args, _context, info) =>
        analytics.eventBreakdown('feedback', { p95: selects(info, 'p95DurationMs') }),
    }),
  }),
});

builder.queryField('analytics', (t) =>
  t.field({
    type: AnalyticsObject,
    authScopes: { read: true },
    args: { filter: t.arg({ type: SessionFilterInput }) },
    resolve: (_root, { filter }, context) =>
      asGraphQLError(async () => new AnalyticsQuery(context.services.db, callerOf(context).project.id, checkSessionFilter(filter))),
  }),
);
