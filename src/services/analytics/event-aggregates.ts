/**
 * Every aggregate over events that one analytics request asks for, in one statement: the
 * matching events are read once into a narrow projection (`ev`), and each requested part (a
 * breakdown, the timeseries, a percentile set) is a branch of a UNION ALL over it. Reading the
 * events table is the dominant cost, so a dashboard asking for six aggregates pays for one scan,
 * not six. Each branch yields the same columns; `part` says which request a row answers.
 */
import type { Provider } from '../../db/database.js';
import { Prisma } from '../../generated/sqlite/client.js';
import { byCodePoint, exactSum, percentilesSql, toUnits } from './sql.js';

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
  | { kind: 'timeseries'; bucket: TimeBucket }
  | { kind: 'llmLatency' }
  | { kind: 'agentP95' }
  | { kind: 'breakdown'; dimension: EventDimension; p95: boolean; limit: number | null };

export function partKey(part: EventPart): string {
  switch (part.kind) {
    case 'timeseries':
      return `timeseries:${part.bucket}`;
    case 'breakdown':
      return `breakdown:${part.dimension}:${part.p95}:${part.limit}`;
    default:
      return part.kind;
  }
}

/** Which events a breakdown counts, and its key. */
const DIMENSIONS: Record<EventDimension, { key: Prisma.Sql; where: Prisma.Sql }> = {
  byModel: { key: Prisma.sql`ev.model`, where: Prisma.sql`ev.model IS NOT NULL` },
  byEventType: { key: Prisma.sql`ev.type`, where: Prisma.sql`1 = 1` },
  // Unnamed tool calls and feedback events are grouped under "" rather than dropped.
  topTools: { key: Prisma.sql`COALESCE(ev.name, '')`, where: Prisma.sql`ev.type = 'TOOL_CALL'` },
  feedback: { key: Prisma.sql`COALESCE(ev.name, '')`, where: Prisma.sql`ev.type = 'FEEDBACK'` },
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
  /** WHERE condition on `sessions s`: the matching sessions. */
  sessionsWhere: Prisma.Sql;
}

/**
 * The statement answering `parts`; each row carries `part` = `p<index in parts>`. A timeseries
 * part groups nothing when its range is over MAX_TIMESERIES_BUCKETS (the caller, which reads the
 * range from the session rows, refuses it with a message).
 */
export function eventAggregatesSql(scope: EventScope, parts: readonly EventPart[]): Prisma.Sql {
  const { provider, sessionsWhere } = scope;
  const cost = toUnits(provider, Prisma.sql`COALESCE(e.cost_usd, 0)`, NANO_DOLLARS_PER_USD);
  const ctes: Prisma.Sql[] = [
    // MATERIALIZED: SQLite would otherwise inline `ev` into every reference, reading events again each time.
    Prisma.sql`ev AS MATERIALIZED (
      SELECT e.session_id AS sid, s.agent_id AS agent_id, CAST(e.type AS TEXT) AS type,
        CASE WHEN CAST(e.status AS TEXT) = 'ERROR' THEN 1 ELSE 0 END AS err,
        e.timestamp_us AS ts, e.duration_ms AS v, e.model AS model, e.name AS name,
        COALESCE(e.prompt_tokens, 0) + COALESCE(e.completion_tokens, 0) AS tokens,
        ${cost} AS cost
      FROM sessions s JOIN events e ON e.session_id = s.id
      WHERE ${sessionsWhere}
    )`,
  ];
  const branches = parts.map((part, index) => {
    switch (part.kind) {
      case 'timeseries':
        return timeseriesBranch(index, part.bucket, sessionsWhere);
      case 'llmLatency':
        return percentileBranch(
          index,
          PERCENTILE_RANKS,
          percentilesSql(
            provider,
            Prisma.sql`SELECT 0 AS g, ev.v AS v FROM ev WHERE ev.type = 'LLM_CALL' AND ev.v IS NOT NULL`,
            PERCENTILE_RANKS,
            (v) => toUnits(provider, v, MICROS_PER_MS),
          ),
          false,
        );
      case 'agentP95':
        // Agent ids start at 1: 0 stands for sessions without an agent.
        return percentileBranch(
          index,
          [95],
          percentilesSql(provider, Prisma.sql`SELECT COALESCE(ev.agent_id, 0) AS g, ev.v AS v FROM ev WHERE ev.v IS NOT NULL`, [95], null),
          true,
        );
      case 'breakdown': {
        const { cte, select } = breakdownBranch(provider, index, part);
        ctes.push(cte);
        return select;
      }
    }
  });
  return Prisma.sql`WITH ${Prisma.join(ctes, ', ')} ${Prisma.join(branches, ' UNION ALL ')}`;
}

/** A percentilesSql result as a branch: per group, or (with sums, for avg) over all rows. */
function percentileBranch(index: number, ranks: readonly number[], sql: Prisma.Sql, perGroup: boolean): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`pc.${name}`);
  return branch(index, Prisma.sql`(${sql}) pc`, {
    ...(perGroup ? { gn: col('g') } : { sum_hi: col('sum_hi'), sum_lo: col('sum_lo') }),
    n: col('n'),
    ...Object.fromEntries(ranks.map((p) => [`p${p}`, col(`p${p}`)])),
    max_v: col('max_v'),
  });
}

/** floor(ts / size) × size, also right for instants before 1970 (SQL's % truncates). */
export function bucketStartSql(ts: Prisma.Sql, bucket: TimeBucket): Prisma.Sql {
  const size = Prisma.raw(String(BUCKET_MICROS[bucket]));
  return Prisma.sql`(${ts} - ((${ts} % ${size}) + ${size}) % ${size})`;
}

/**
 * How many buckets the matching sessions span: from the first start to the last event (a
 * session starts no later than its first event, and last_event_at is its latest one).
 */
export function bucketCountSql(bucket: TimeBucket, sessionsWhere: Prisma.Sql): Prisma.Sql {
  const last = Prisma.sql`CASE WHEN s.last_event_at_us > s.started_at_us THEN s.last_event_at_us ELSE s.started_at_us END`;
  return Prisma.sql`(SELECT (MAX(${bucketStartSql(last, bucket)}) - MIN(${bucketStartSql(Prisma.sql`s.started_at_us`, bucket)}))
    / ${Prisma.raw(String(BUCKET_MICROS[bucket]))} + 1 FROM sessions s WHERE ${sessionsWhere})`;
}

function timeseriesBranch(index: number, bucket: TimeBucket, sessionsWhere: Prisma.Sql): Prisma.Sql {
  const grouped = Prisma.sql`(
    SELECT b.start_us AS start_us, COUNT(*) AS events, SUM(b.err) AS errors, SUM(b.tokens) AS tokens,
      ${exactSum(Prisma.sql`b.cost`, 'cost')}
    FROM (SELECT ${bucketStartSql(Prisma.sql`ev.ts`, bucket)} AS start_us, ev.err AS err, ev.tokens AS tokens, ev.cost AS cost FROM ev) b
    WHERE ${bucketCountSql(bucket, sessionsWhere)} <= ${Prisma.raw(String(MAX_TIMESERIES_BUCKETS))}
    GROUP BY b.start_us
  ) ts`;
  return branch(index, grouped, {
    gn: Prisma.sql`ts.start_us`,
    events: Prisma.sql`ts.events`,
    errors: Prisma.sql`ts.errors`,
    tokens: Prisma.sql`ts.tokens`,
    cost_hi: Prisma.sql`ts.cost_hi`,
    cost_lo: Prisma.sql`ts.cost_lo`,
  });
}

/**
 * A breakdown: per key, distinct sessions (grouping by key and session first), events, errors,
 * tokens and exact cost, ranked most events first then key by code point (`ord`), cut to
 * `limit`; p95 of durations only for the rows kept.
 */
function breakdownBranch(
  provider: Provider,
  index: number,
  part: Extract<EventPart, { kind: 'breakdown' }>,
): { cte: Prisma.Sql; select: Prisma.Sql } {
  const { key, where } = DIMENSIONS[part.dimension];
  const name = Prisma.raw(`grouped_${index}`);
  const order = Prisma.sql`SUM(ps.events) DESC, ${byCodePoint(provider, Prisma.sql`ps.g`)}`;
  const cte = Prisma.sql`${name} AS (
    SELECT ps.g AS g, ROW_NUMBER() OVER (ORDER BY ${order}) AS ord, COUNT(*) AS sessions,
      SUM(ps.events) AS events, SUM(ps.errors) AS errors, SUM(ps.tokens) AS tokens,
      SUM(ps.cost_hi) AS cost_hi, SUM(ps.cost_lo) AS cost_lo
    FROM (
      SELECT ${key} AS g, ev.sid AS sid, COUNT(*) AS events, SUM(ev.err) AS errors, SUM(ev.tokens) AS tokens,
        ${exactSum(Prisma.sql`ev.cost`, 'cost')}
      FROM ev WHERE ${where} GROUP BY ${key}, ev.sid
    ) ps
    GROUP BY ps.g
    ORDER BY ${order}
    ${part.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${Prisma.raw(String(part.limit))}`}
  )`;
  const p95 = part.p95
    ? Prisma.sql`LEFT JOIN (${percentilesSql(
        provider,
        Prisma.sql`SELECT ${key} AS g, ev.v AS v FROM ev WHERE ${where} AND ev.v IS NOT NULL AND ${key} IN (SELECT k.g FROM ${name} k)`,
        [95],
        null,
      )}) pc ON pc.g = gr.g`
    : Prisma.empty;
  const col = (column: string) => Prisma.raw(`gr.${column}`);
  const select = branch(index, Prisma.sql`${name} gr ${p95}`, {
    g: col('g'),
    ord: col('ord'),
    sessions: col('sessions'),
    events: col('events'),
    errors: col('errors'),
    tokens: col('tokens'),
    cost_hi: col('cost_hi'),
    cost_lo: col('cost_lo'),
    ...(part.p95 ? { p95: Prisma.sql`pc.p95` } : {}),
  });
  return { cte, select };
}
