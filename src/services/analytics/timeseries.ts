/**
 * The timeseries in one statement: the bucket range, the matching sessions started per bucket,
 * and each bucket's events (count, ERROR-status count, tokens, exact cost).
 *
 * Events are read bucket by bucket, each bucket one range of `events_timeseries_idx`
 * (project_id, timestamp_us, session_id, then the summed columns), in time order. Grouping the project's
 * events by an expression of their timestamp instead made SQLite sort every one of them (it has
 * no hash aggregate): about 60% of the timeseries' cost on a million events. PostgreSQL reads
 * the same ranges (LATERAL), which also spares it a hash table of the whole project.
 *
 * The buckets span the matching sessions, from the first start to the last event (a session
 * starts no later than its first event, and last_event_at is its latest one). Events outside that
 * span, should there ever be any, are still counted: one more range read on each side, empty in
 * practice, whose buckets widen the series. Over MAX_TIMESERIES_BUCKETS buckets, nothing is
 * grouped: the caller refuses it from the range, which the statement returns as its own row.
 */
import type { Provider } from '../../db/database.js';
import { Prisma } from '../../generated/sqlite/client.js';
import { BUCKET_MICROS, MAX_TIMESERIES_BUCKETS, NANO_DOLLARS_PER_USD, bucketStartSql, type TimeBucket } from './event-aggregates.js';
import { exactSumOn, exactSumParts, toUnits } from './sql.js';

export interface TimeseriesScope {
  provider: Provider;
  projectId: number;
  /** WHERE condition on `sessions s`: the matching sessions. */
  sessionsWhere: Prisma.Sql;
  /** The filter keeps every session of the project. */
  wholeProject: boolean;
}

/**
 * Rows: one `kind = 'r'` row with the range (first bucket in `start_us`, last in `last_us`; null
 * when no session matches); per bucket in range a `kind = 'b'` row (`start_us`, `sessions`, event aggregates);
 * per bucket outside it a `kind = 'o'` row (event aggregates). Event aggregates are `events`,
 * `errors`, `prompt_tokens`, `completion_tokens`, `cost_hi`, `cost_lo`; on SQLite one JSON array
 * `agg` of them in that order, the cost parts as text (JSON numbers past 2^53 would lose digits).
 */
export function timeseriesSql(scope: TimeseriesScope, bucket: TimeBucket): Prisma.Sql {
  const { provider, projectId, sessionsWhere, wholeProject } = scope;
  const size = Prisma.raw(String(BUCKET_MICROS[bucket]));
  const lastInstant = Prisma.sql`CASE WHEN s.last_event_at_us > s.started_at_us THEN s.last_event_at_us ELSE s.started_at_us END`;
  // A filter's sessions are listed once (`matching`): an IN (subquery) inside the per-bucket
  // subquery was built again for every bucket on SQLite.
  const matching = wholeProject ? Prisma.empty : Prisma.sql`matching AS MATERIALIZED (SELECT s.id FROM sessions s WHERE ${sessionsWhere}),`;
  const match = wholeProject
    ? Prisma.sql`e.project_id = ${projectId}`
    : provider === 'postgresql'
      ? Prisma.sql`e.project_id = ${projectId} AND e.session_id IN (SELECT matching.id FROM matching)`
      : Prisma.sql`e.project_id = ${projectId} AND e.session_id IN matching`;
  const cost = toUnits(provider, Prisma.sql`e.cost_usd`, NANO_DOLLARS_PER_USD);
  const errors = Prisma.sql`COUNT(*) FILTER (WHERE e.status = 'ERROR')`;
  const hasCost = Prisma.sql`e.cost_usd IS NOT NULL`;
  // Tokens as two sums: SUM skips NULLs, so no COALESCE per event; the caller adds them. The cost
  // is converted only where there is one (see exactSumOn).
  const aggregates = Prisma.sql`COUNT(*) AS events, ${errors} AS errors, SUM(e.prompt_tokens) AS prompt_tokens,
    SUM(e.completion_tokens) AS completion_tokens, ${exactSumOn(provider, cost, 'cost', hasCost)}`;
  const withinLimit = Prisma.sql`(r.last_us - r.first_us) / ${size} + 1 <= ${Prisma.raw(String(MAX_TIMESERIES_BUCKETS))}`;
  // Event timestamps are never before 2000 (ingest refuses them), so integer division is the floor.
  // Two range reads (bounds as scalar subqueries, so each is a seek), null when over the limit.
  const outsideOf = (condition: Prisma.Sql) => Prisma.sql`
    SELECT e.timestamp_us / ${size} * ${size} AS start_us, ${aggregates}
    FROM events e WHERE ${match} AND ${condition}
    GROUP BY e.timestamp_us / ${size}`;
  const outside = Prisma.sql`${outsideOf(Prisma.sql`e.timestamp_us < (SELECT r.first_us FROM r WHERE ${withinLimit})`)}
    UNION ALL ${outsideOf(Prisma.sql`e.timestamp_us >= (SELECT r.last_us + ${size} FROM r WHERE ${withinLimit})`)}`;
  const inBucket = Prisma.sql`${match} AND e.timestamp_us >= b.start_us AND e.timestamp_us < b.start_us + ${size}`;
  const ctes = Prisma.sql`${matching}
    r AS (
      SELECT MIN(${bucketStartSql(Prisma.sql`s.started_at_us`, bucket)}) AS first_us, MAX(${bucketStartSql(lastInstant, bucket)}) AS last_us
      FROM sessions s WHERE ${sessionsWhere}
    ),
    b (start_us) AS (
      SELECT r.first_us FROM r WHERE r.first_us IS NOT NULL AND ${withinLimit}
      UNION ALL
      SELECT b.start_us + ${size} FROM b CROSS JOIN r WHERE b.start_us < r.last_us
    ),
    sc AS (
      SELECT ${bucketStartSql(Prisma.sql`s.started_at_us`, bucket)} AS start_us, COUNT(*) AS sessions
      FROM sessions s WHERE ${sessionsWhere}
      GROUP BY ${bucketStartSql(Prisma.sql`s.started_at_us`, bucket)}
    )`;
  if (provider === 'postgresql') {
    return Prisma.sql`
      WITH RECURSIVE ${ctes}
      SELECT 'r' AS kind, r.first_us AS start_us, r.last_us AS last_us, NULL::bigint AS sessions, NULL::bigint AS events,
        NULL::bigint AS errors, NULL::bigint AS prompt_tokens, NULL::bigint AS completion_tokens, NULL::numeric AS cost_hi, NULL::numeric AS cost_lo
      FROM r
      UNION ALL
      SELECT 'b', b.start_us, NULL, sc.sessions, x.events, x.errors, x.prompt_tokens, x.completion_tokens, x.cost_hi, x.cost_lo
      FROM b LEFT JOIN sc ON sc.start_us = b.start_us
        CROSS JOIN LATERAL (SELECT ${aggregates} FROM events e WHERE ${inBucket}) x
      UNION ALL
      SELECT 'o', o.start_us, NULL, NULL, o.events, o.errors, o.prompt_tokens, o.completion_tokens, o.cost_hi, o.cost_lo
      FROM (${outside}) o`;
  }
  // SQLite has no LATERAL: a correlated subquery per bucket, its aggregates packed in one value.
  const packed = Prisma.sql`json_array(COUNT(*), ${errors}, SUM(e.prompt_tokens), SUM(e.completion_tokens),
    ${Prisma.join(exactSumParts(cost).map((part) => Prisma.sql`CAST(${part} FILTER (WHERE ${hasCost}) AS TEXT)`), ', ')})`;
  return Prisma.sql`
    WITH RECURSIVE ${ctes}
    SELECT 'r' AS kind, r.first_us AS start_us, r.last_us AS last_us, NULL AS sessions, NULL AS agg FROM r
    UNION ALL
    SELECT 'b', b.start_us, NULL, sc.sessions, (SELECT ${packed} FROM events e WHERE ${inBucket})
    FROM b LEFT JOIN sc ON sc.start_us = b.start_us
    UNION ALL
    SELECT 'o', o.start_us, NULL, NULL,
      json_array(o.events, o.errors, o.prompt_tokens, o.completion_tokens, CAST(o.cost_hi AS TEXT), CAST(o.cost_lo AS TEXT))
    FROM (${outside}) o`;
}
