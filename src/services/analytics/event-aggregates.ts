/**
 * Every aggregate over events that one analytics request asks for, in one statement: each
 * requested part (a breakdown, a percentile set) is a branch of a UNION ALL, and each branch
 * reads the events it needs itself. Each branch yields the same columns; `part` says which
 * request a row answers. (Where it can, AnalyticsQuery runs each part as a statement of its own,
 * side by side: on PostgreSQL's pool and SQLite's reader threads. The timeseries has its own
 * statement: timeseries.ts.)
 *
 * Why each branch reads on its own: the events' analytics columns are covered by one narrow
 * index, (project_id, type, session_id, status, duration_ms, timestamp_us, model, tokens, cost, name),
 * which a branch reads in a fraction of the time a scan of the table (with its JSON payloads)
 * takes. Materialising the matching events once instead (a MATERIALIZED CTE, as before) cost
 * more than all the reads it saved: a million rows written to a temporary table and read back per
 * branch, and on PostgreSQL a tuplestore that spilled to disk. The index's order also serves
 * the biggest grouping, by type, without a sort: byEventType reads each type's events in a row,
 * sessions in order (so COUNT(DISTINCT session_id) is cheap).
 *
 * Which events match: the whole project is `e.project_id = ?` alone; a filter adds
 * `e.session_id IN (the matching sessions)`, a set both databases build once and probe per event.
 *
 * Percentiles are nearest rank on both databases (see sql.ts): PostgreSQL's percentile_disc
 * WITHIN GROUP; on SQLite percentile_disc(v, fraction) with the fraction computed from the
 * group's count so that its index lands on the nearest rank (nearestRankFraction), or, where the
 * count is not known in advance (agents, models, tools), a sentinel row per group (percentilesSql).
 */
import type { Provider } from '../../db/database.js';
import { Prisma } from '../../generated/sqlite/client.js';
import { SENTINEL, byCodePoint, exactSum, exactSumOn, nearestRankFraction, percentilesSql, toUnits } from './sql.js';

export type TimeBucket = 'MINUTE' | 'HOUR' | 'DAY';

export const BUCKET_MICROS: Record<TimeBucket, number> = {
  MINUTE: 60_000_000,
  HOUR: 3_600_000_000,
  DAY: 86_400_000_000,
};

/** More buckets than this is refused: the answer would be larger than any chart can show. */
export const MAX_TIMESERIES_BUCKETS = 10_000;

/** Fixed units of exact sums (see sql.ts). */
export const NANO_DOLLARS_PER_USD = 1_000_000_000;
export const MICROS_PER_MS = 1000;

export const PERCENTILE_RANKS = [50, 90, 95, 99] as const;

export type EventDimension = 'byModel' | 'byEventType' | 'topTools' | 'feedback';

export type EventPart =
  | { kind: 'llmLatency' }
  | { kind: 'agentP95'; agents: readonly number[] | null }
  | { kind: 'breakdown'; dimension: EventDimension; p95: boolean; limit: number | null };

export function partKey(part: EventPart): string {
  switch (part.kind) {
    case 'breakdown':
      return `breakdown:${part.dimension}:${part.p95}:${part.limit}`;
    case 'agentP95':
      return `agentP95:${part.agents?.join(',') ?? '*'}`;
    default:
      return part.kind;
  }
}

/**
 * Which events a breakdown counts, its key, and what to group by (the type itself, not its text,
 * so the index's order serves the grouping; the text is the same order on SQLite and the key).
 */
const DIMENSIONS: Record<EventDimension, { key: Prisma.Sql; group: Prisma.Sql; where: Prisma.Sql }> = {
  byModel: { key: Prisma.sql`e.model`, group: Prisma.sql`e.model`, where: Prisma.sql`e.model IS NOT NULL` },
  byEventType: { key: Prisma.sql`CAST(e.type AS TEXT)`, group: Prisma.sql`e.type`, where: Prisma.sql`1 = 1` },
  // Unnamed tool calls and feedback events are grouped under "" rather than dropped. The name is
  // the analytics index's last column (see events_analytics_idx): no table lookup per event.
  topTools: { key: Prisma.sql`COALESCE(e.name, '')`, group: Prisma.sql`COALESCE(e.name, '')`, where: Prisma.sql`e.type = 'TOOL_CALL'` },
  feedback: { key: Prisma.sql`COALESCE(e.name, '')`, group: Prisma.sql`COALESCE(e.name, '')`, where: Prisma.sql`e.type = 'FEEDBACK'` },
};

/**
 * The columns every branch yields, in order, with the type of the NULL a branch puts where it
 * computes nothing: PostgreSQL resolves a chain of UNIONs pair by pair, and a column that is an
 * untyped NULL in two branches would become text and clash with the numbers of a third.
 */
const COLUMNS = {
  g: 'TEXT', gn: 'BIGINT', ord: 'BIGINT', sessions: 'NUMERIC', events: 'NUMERIC', errors: 'NUMERIC',
  tokens: 'NUMERIC', cost_hi: 'NUMERIC', cost_lo: 'NUMERIC', n: 'NUMERIC', p50: 'DOUBLE PRECISION',
  p90: 'DOUBLE PRECISION', p95: 'DOUBLE PRECISION', p99: 'DOUBLE PRECISION', max_v: 'DOUBLE PRECISION',
  sum_hi: 'NUMERIC', sum_lo: 'NUMERIC',
} as const;
type Column = keyof typeof COLUMNS;

function branch(index: number, from: Prisma.Sql, values: Partial<Record<Column, Prisma.Sql>>): Prisma.Sql {
  const columns = (Object.keys(COLUMNS) as Column[]).map(
    (column) => Prisma.sql`${values[column] ?? Prisma.raw(`CAST(NULL AS ${COLUMNS[column]})`)} AS ${Prisma.raw(column)}`,
  );
  return Prisma.sql`SELECT ${Prisma.raw(`'p${index}'`)} AS part, ${Prisma.join(columns, ', ')} FROM ${from}`;
}

export interface EventScope {
  provider: Provider;
  projectId: number;
  /** WHERE condition on `sessions s`: the matching sessions. */
  sessionsWhere: Prisma.Sql;
  /** The filter keeps every session of the project, so events need no check against the sessions. */
  wholeProject: boolean;
}

/** Column expressions over `events e`, the same in every branch. */
function eventTerms(scope: EventScope) {
  const { provider, projectId, sessionsWhere, wholeProject } = scope;
  return {
    /** The matching events. */
    match: wholeProject
      ? Prisma.sql`e.project_id = ${projectId}`
      : Prisma.sql`e.project_id = ${projectId} AND e.session_id IN (SELECT s.id FROM sessions s WHERE ${sessionsWhere})`,
    // Per-event expressions run a million times on a large project, so each is the cheapest
    // form: SQLite sums the comparison itself (0 or 1); a NULL cost stays NULL, which SUM skips.
    err: provider === 'sqlite' ? Prisma.sql`(e.status = 'ERROR')` : Prisma.sql`CASE WHEN e.status = 'ERROR' THEN 1 ELSE 0 END`,
    tokens: Prisma.sql`COALESCE(e.prompt_tokens, 0) + COALESCE(e.completion_tokens, 0)`,
    cost: toUnits(provider, Prisma.sql`e.cost_usd`, NANO_DOLLARS_PER_USD),
  };
}

/**
 * `events e`, on SQLite held to events_analytics_idx, whose (type, session_id) order keeps the
 * branches' lookups of their sessions' rows near one another and lets a filter seek
 * each matching session's events; the planner would pick events_timeseries_idx for some, whose
 * time order makes those lookups random. PostgreSQL has no such hint (see heavyQuery).
 */
function eventsIn(provider: Provider): Prisma.Sql {
  return provider === 'sqlite' ? Prisma.sql`events e INDEXED BY events_analytics_idx` : Prisma.sql`events e`;
}

/**
 * The statement answering `parts`; each row carries `part` = `p<index in parts>`.
 */
export function eventAggregatesSql(scope: EventScope, parts: readonly EventPart[]): Prisma.Sql {
  const ctes: Prisma.Sql[] = [];
  const branches = parts.map((part, index) => {
    switch (part.kind) {
      case 'llmLatency': {
        const { cte, select } = llmLatencyBranch(scope, index);
        ctes.push(...cte);
        return select;
      }
      case 'agentP95': {
        const { cte, select } = agentP95Branch(scope, index, part.agents);
        ctes.push(...cte);
        return select;
      }
      case 'breakdown': {
        const { cte, select } = breakdownBranch(scope, index, part);
        ctes.push(...cte);
        return select;
      }
    }
  });
  const union = Prisma.join(branches, ' UNION ALL ');
  return ctes.length > 0 ? Prisma.sql`WITH ${Prisma.join(ctes, ', ')} ${union}` : union;
}

/**
 * avg (exact sum of microseconds), max and the nearest-rank percentiles of LLM_CALL durations.
 * PostgreSQL sorts them once in percentile_disc. SQLite counts them, then collects them once for
 * a percentile_disc aimed at the nearest rank by that count (the CROSS JOIN keeps that one-row
 * count outside).
 */
function llmLatencyBranch(scope: EventScope, index: number): { cte: Prisma.Sql[]; select: Prisma.Sql } {
  const { provider } = scope;
  const { match } = eventTerms(scope);
  const llm = Prisma.sql`${match} AND e.type = 'LLM_CALL' AND e.duration_ms IS NOT NULL`;
  const sum = exactSumOn(provider, toUnits(provider, Prisma.sql`e.duration_ms`, MICROS_PER_MS), 'sum');
  const percentile = (p: number) =>
    provider === 'postgresql'
      ? Prisma.sql`percentile_disc(${Prisma.raw(String(p / 100))}) WITHIN GROUP (ORDER BY e.duration_ms)`
      : Prisma.sql`percentile_disc(e.duration_ms, ${nearestRankFraction(p, Prisma.sql`c.n`)})`;
  const from =
    provider === 'postgresql'
      ? Prisma.sql`events e WHERE ${llm}`
      : Prisma.sql`(SELECT COUNT(*) AS n FROM ${eventsIn(provider)} WHERE ${llm}) c CROSS JOIN ${eventsIn(provider)} WHERE ${llm}`;
  const stats = Prisma.sql`(
    SELECT COUNT(e.duration_ms) AS n, MAX(e.duration_ms) AS max_v,
      ${Prisma.join(PERCENTILE_RANKS.map((p) => Prisma.sql`${percentile(p)} AS ${Prisma.raw(`p${p}`)}`), ', ')},
      ${sum}
    FROM ${from}
  ) pc`;
  const col = (name: string) => Prisma.raw(`pc.${name}`);
  const select = branch(index, stats, {
    n: col('n'),
    sum_hi: col('sum_hi'),
    sum_lo: col('sum_lo'),
    ...Object.fromEntries(PERCENTILE_RANKS.map((p) => [`p${p}`, col(`p${p}`)])),
    max_v: col('max_v'),
  });
  return { cte: [], select };
}

/**
 * p95 of all durations per agent of the matching sessions (agent ids start at 1: 0 is "no
 * agent"). Events drive the join, each looking its session up by id: CROSS JOIN keeps that order
 * on SQLite, whose planner would otherwise put the sessions outside and, for a filter that keeps
 * a few thousand of them, read the whole project's index once per session.
 */
function agentP95Branch(scope: EventScope, index: number, agents: readonly number[] | null): { cte: Prisma.Sql[]; select: Prisma.Sql } {
  const { provider, sessionsWhere } = scope;
  const { match } = eventTerms(scope);
  const agent = Prisma.sql`COALESCE(s.agent_id, 0)`;
  const rows = Prisma.sql`${eventsIn(provider)} CROSS JOIN sessions s WHERE s.id = e.session_id AND ${match} AND e.duration_ms IS NOT NULL`;
  if (agents && agents.length > 0) {
    // The agents are known (byAgent's counts): one aggregate per agent, each taking its rows by a
    // FILTER, in one pass with no GROUP BY, so no sort of every duration by agent first (a third
    // of the statement on both databases). SQLite aims at the nearest rank with a sentinel per
    // agent, as percentilesSql does; COUNT(w) is one more than the agent's durations.
    const sentinel = Prisma.raw(SENTINEL);
    const source =
      provider === 'postgresql'
        ? Prisma.sql`SELECT ${agent} AS g, e.duration_ms AS w FROM ${rows}`
        : Prisma.sql`SELECT ${agent} AS g, e.duration_ms AS w FROM ${rows}
            UNION ALL ${Prisma.join(agents.map((id) => Prisma.sql`SELECT ${Prisma.raw(String(id))}, ${sentinel}`), ' UNION ALL ')}`;
    const columns = agents.map((id, i) => {
      const only = Prisma.sql`FILTER (WHERE src.g = ${Prisma.raw(String(id))})`;
      return provider === 'postgresql'
        ? Prisma.sql`percentile_disc(0.95) WITHIN GROUP (ORDER BY src.w) ${only} AS ${Prisma.raw(`a${i}`)}`
        : Prisma.sql`CASE WHEN COUNT(src.w) ${only} > 1 THEN percentile_disc(src.w, 0.95 - 1e-12) ${only} END AS ${Prisma.raw(`a${i}`)}`;
    });
    const byAgent = Prisma.raw(`agent_p95_${index}`);
    const cte = Prisma.sql`${byAgent} AS (SELECT ${Prisma.join(columns, ', ')} FROM (${source}) src)`;
    const stats = Prisma.sql`(${Prisma.join(
      agents.map((id, i) => Prisma.sql`SELECT ${Prisma.raw(String(id))} AS g, a.${Prisma.raw(`a${i}`)} AS p95 FROM ${byAgent} a`),
      ' UNION ALL ',
    )}) pc`;
    return { cte: [cte], select: branch(index, stats, { gn: Prisma.sql`pc.g`, p95: Prisma.sql`pc.p95` }) };
  }
  const stats =
    provider === 'postgresql'
      ? Prisma.sql`(
          SELECT ${agent} AS g, percentile_disc(0.95) WITHIN GROUP (ORDER BY e.duration_ms) AS p95
          FROM ${rows} GROUP BY ${agent}
        ) pc`
      : Prisma.sql`(${percentilesSql(provider, Prisma.sql`SELECT ${agent} AS g, e.duration_ms AS v FROM ${rows}`, [95], null, Prisma.sql`SELECT DISTINCT ${agent} AS g FROM sessions s WHERE ${sessionsWhere}`)}) pc`;
  // SQLite's sentinel groups include agents whose sessions have no duration: n = 0, no p95.
  const p95 = provider === 'postgresql' ? Prisma.sql`pc.p95` : Prisma.sql`CASE WHEN pc.n > 0 THEN pc.p95 END`;
  return { cte: [], select: branch(index, stats, { gn: Prisma.sql`pc.g`, p95 }) };
}

/** floor(ts / size) × size, also right for instants before 1970 (SQL's % truncates). */
export function bucketStartSql(ts: Prisma.Sql, bucket: TimeBucket): Prisma.Sql {
  const size = Prisma.raw(String(BUCKET_MICROS[bucket]));
  return Prisma.sql`(${ts} - ((${ts} % ${size}) + ${size}) % ${size})`;
}

/**
 * A breakdown: per key, distinct sessions, events, errors, tokens and exact cost, ranked most
 * events first then key by code point (`ord`), cut to `limit`, with the p95 of durations when
 * asked. One grouping reads the events, except on SQLite:
 * - byEventType groups in the index's order (by type, no sort), then each kept type's p95
 *   collects that type's matching durations in a subquery per row;
 * - other keys, with p95, first list their keys (SELECT DISTINCT, which needs no sort), then
 *   group the events together with one sentinel row per key (see percentilesSql), in one sort.
 */
function breakdownBranch(
  scope: EventScope,
  index: number,
  part: Extract<EventPart, { kind: 'breakdown' }>,
): { cte: Prisma.Sql[]; select: Prisma.Sql } {
  const { provider } = scope;
  const { match, err, tokens, cost } = eventTerms(scope);
  const { key, group, where } = DIMENSIONS[part.dimension];
  const grouped = Prisma.raw(`grouped_${index}`);
  const ctes: Prisma.Sql[] = [];
  let stats: Prisma.Sql;
  let p95: Prisma.Sql | undefined;
  if (provider === 'postgresql' || !part.p95 || part.dimension === 'byEventType') {
    const postgresP95 = provider === 'postgresql' && part.p95;
    // Aggregate-level forms: a filter instead of a per-event CASE, two token sums instead of a
    // per-event addition, the cost converted only where there is one (a fifth of byEventType).
    stats = Prisma.sql`
      SELECT ${key} AS g, COUNT(DISTINCT e.session_id) AS sessions, COUNT(*) AS events,
        COUNT(*) FILTER (WHERE e.status = 'ERROR') AS errors,
        COALESCE(SUM(e.prompt_tokens), 0) + COALESCE(SUM(e.completion_tokens), 0) AS tokens,
        ${exactSumOn(provider, cost, 'cost', Prisma.sql`e.cost_usd IS NOT NULL`)}, COUNT(e.duration_ms) AS nv
        ${postgresP95 ? Prisma.sql`, percentile_disc(0.95) WITHIN GROUP (ORDER BY e.duration_ms) AS p95` : Prisma.empty}
      FROM ${eventsIn(provider)} WHERE ${match} AND ${where}
      GROUP BY ${group}`;
    if (postgresP95) p95 = Prisma.sql`gr.p95`;
    else if (part.p95) {
      // SQLite: each kept type's matching durations collected once (see llmLatencyBranch).
      p95 = Prisma.sql`(
        SELECT percentile_disc(e.duration_ms, ${nearestRankFraction(95, Prisma.sql`gr.nv`)})
        FROM ${eventsIn(provider)} WHERE e.type = gr.g AND ${match} AND e.duration_ms IS NOT NULL
      )`;
    }
  } else {
    const keys = Prisma.raw(`keys_${index}`);
    const rows = Prisma.sql`
      SELECT ${key} AS g, e.session_id AS sid, ${err} AS err, ${tokens} AS tokens, ${cost} AS c, e.duration_ms AS w
      FROM ${eventsIn(provider)} WHERE ${match} AND ${where}`;
    ctes.push(Prisma.sql`${keys} AS (SELECT DISTINCT ${key} AS g FROM ${eventsIn(provider)} WHERE ${match} AND ${where})`);
    // Every key has its sentinel, so COUNT(w) is one more than the key's durations.
    stats = Prisma.sql`
      SELECT src.g AS g, COUNT(DISTINCT src.sid) AS sessions, COUNT(src.sid) AS events, SUM(src.err) AS errors,
        SUM(src.tokens) AS tokens, ${exactSum(Prisma.sql`src.c`, 'cost')},
        CASE WHEN COUNT(src.w) > 1 THEN percentile_disc(src.w, 0.95 - 1e-12) END AS p95
      FROM (
        ${rows}
        UNION ALL
        SELECT k.g, NULL, NULL, NULL, NULL, ${Prisma.raw(SENTINEL)} FROM ${keys} k
      ) src
      GROUP BY src.g`;
    p95 = Prisma.sql`gr.p95`;
  }
  const order = Prisma.sql`gs.events DESC, ${byCodePoint(provider, Prisma.sql`gs.g`)}`;
  ctes.push(Prisma.sql`${grouped} AS (
    SELECT gs.*, ROW_NUMBER() OVER (ORDER BY ${order}) AS ord
    FROM (${stats}) gs
    ORDER BY ${order}
    ${part.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${Prisma.raw(String(part.limit))}`}
  )`);
  const col = (column: string) => Prisma.raw(`gr.${column}`);
  const select = branch(index, Prisma.sql`${grouped} gr`, {
    g: col('g'),
    ord: col('ord'),
    sessions: col('sessions'),
    events: col('events'),
    errors: col('errors'),
    tokens: col('tokens'),
    cost_hi: col('cost_hi'),
    cost_lo: col('cost_lo'),
    ...(p95 ? { p95 } : {}),
  });
  return { cte: ctes, select };
}
