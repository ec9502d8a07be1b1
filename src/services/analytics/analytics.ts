/**
 * Analytics over the sessions a SessionFilter matches and their events: exact aggregates
 * computed in the database, identical on SQLite and PostgreSQL for the same data.
 *
 * Definitions (the schema's descriptions repeat them for clients):
 * - Percentiles by nearest rank: the p-th percentile of n values is the value at rank
 *   ceil(p/100 × n) in ascending order; avg is the arithmetic mean, max the largest value.
 * - Sums of costs are exact in nano-dollars and sums of event durations (for avg) exact in
 *   microseconds, each value rounded to that unit first (see sql.ts): fixed-unit integer sums
 *   are the only ones both databases compute alike.
 * - Totals (sessions, events, errors, tokens, cost) come from the counters the write path keeps
 *   on each session row, so they equal the sums over what `sessions(filter)` lists and need no
 *   scan of events; so do byAgent's counts.
 * - Time buckets are aligned in UTC: start = floor(ts / size) × size in microseconds.
 * - Breakdowns list the most events first, ties by key in code-point order.
 *
 * An `AnalyticsQuery` is made per request. Each aggregate runs only when asked for, once. The
 * ones over events (event-aggregates.ts) read what each needs from the events' analytics index,
 * each as a statement of its own, at once: on PostgreSQL's pool, and on SQLite's reader threads
 * (db/sqlite-readers.ts), which also keep these long statements off the event loop; a SQLite
 * database in memory runs them as one statement on its one connection. The timeseries is a
 * statement of its own that reads events bucket by bucket in time order (timeseries.ts).
 */
import DataLoader from 'dataloader';
import { UserInputError } from '../../lib/user-input-error.js';
import type { Database, Provider } from '../../db/database.js';
import { Prisma } from '../../generated/sqlite/client.js';
import type { Micros } from '../../lib/micros.js';
import type { SessionFilter } from '../read/sessions.js';
import {
  BUCKET_MICROS, MAX_TIMESERIES_BUCKETS, MICROS_PER_MS, NANO_DOLLARS_PER_USD, PERCENTILE_RANKS,
  eventAggregatesSql, partKey, type EventDimension, type EventPart, type EventScope, type TimeBucket,
} from './event-aggregates.js';
import { matchesWholeProject, sessionFilterSql } from './session-filter-sql.js';
import { timeseriesSql } from './timeseries.js';
import { byCodePoint, exactSum, percentilesSql, readExactSum, toBigInt, toCount, toNumber, toUnits } from './sql.js';

export { BUCKET_MICROS, MAX_TIMESERIES_BUCKETS, type EventDimension, type TimeBucket } from './event-aggregates.js';

export const TOP_TOOLS_DEFAULT = 10;
/** Up to this many agents, byAgent's p95 is one aggregate per agent (see agentP95Branch). */
const MAX_AGENTS_BY_FILTER = 64;
/** PostgreSQL work_mem for one analytics statement (see heavyQuery). */
const ANALYTICS_WORK_MEM = '64MB';
export const TOP_TOOLS_MAX = 1000;

export interface Percentiles {
  avg: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface Totals {
  sessions: number;
  events: number;
  errors: number;
  /** Sessions with at least one ERROR-status event. */
  sessionsWithErrors: number;
  errorRate: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface TimeseriesPoint {
  start: Micros;
  sessions: number;
  events: number;
  errors: number;
  tokens: number;
  costUsd: number;
}

export interface Breakdown {
  key: string;
  sessions: number;
  events: number;
  errors: number;
  tokens: number;
  costUsd: number;
  p95DurationMs: number | null;
}

export interface BreakdownOptions {
  /** Whether to compute p95DurationMs (a sort of the rows' durations); null in every row otherwise. */
  p95: boolean;
}

type Row = Record<string, unknown>;

const EMPTY_PERCENTILES: Percentiles = { avg: null, p50: null, p90: null, p95: null, p99: null, max: null };

export class AnalyticsQuery {
  private readonly provider: Provider;
  /** WHERE condition on `sessions s`: the matching sessions. */
  private readonly sessionsWhere: Prisma.Sql;
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Event aggregates asked for in the same tick go out together (see the batch function). */
  private readonly eventParts: DataLoader<EventPart, Row[], string>;
  private readonly scope: EventScope;

  /** Throws UserInputError for a filter `sessions` refuses too. */
  constructor(
    private readonly db: Database,
    readonly projectId: number,
    readonly filter: SessionFilter | null | undefined,
  ) {
    this.provider = db.provider;
    this.sessionsWhere = sessionFilterSql(projectId, filter);
    const scope: EventScope = { provider: this.provider, projectId, sessionsWhere: this.sessionsWhere, wholeProject: matchesWholeProject(filter) };
    this.scope = scope;
    this.eventParts = new DataLoader(
      async (parts) => {
        // PostgreSQL runs the parts as statements of their own, at once on the pool's connections
        // (a UNION ALL runs its branches one after the other in one backend, so one statement
        // used one core however many the server has), and SQLite on its reader threads likewise.
        // A SQLite database in memory has one connection: one statement.
        if (this.provider === 'postgresql' || this.db.readers) {
          return Promise.all(parts.map((part) => this.heavyQuery(eventAggregatesSql(scope, [part]))));
        }
        const rows = await this.heavyQuery(eventAggregatesSql(scope, parts));
        return parts.map((_part, index) => rows.filter((row) => row.part === `p${index}`));
      },
      { cacheKeyFn: partKey },
    );
  }

  /** Each aggregate at most once per query, however many fields or aliases ask for it. */
  private once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let result = this.memo.get(key) as Promise<T> | undefined;
    if (!result) {
      result = compute();
      this.memo.set(key, result);
    }
    return result;
  }

  /** On SQLite, on a reader thread when there are some: these statements read whole projects. */
  private query(sql: Prisma.Sql): Promise<Row[]> {
    if (this.db.readers) return this.db.readers.query(sql.sql, sql.values);
    return this.db.prisma.$queryRaw<Row[]>(sql);
  }

  /**
   * A statement that may read millions of rows. PostgreSQL runs it without JIT and with more
   * work_mem (SET LOCAL, so only this transaction): compiling a statement this size takes about
   * a second, more than it ever saves here; and the default 4 MB made every sort and hash of a
   * million-event project spill to temporary files (the percentile sorts hold up to ~50 MB of
   * durations). random_page_cost 1.1 (instead of 4, a spinning disk's) keeps the planner on the
   * events' indexes rather than the table (with its payloads). Prisma's default 5 s limit on a
   * transaction would cut a large project's analytics short, hence the generous bounds.
   */
  private heavyQuery(sql: Prisma.Sql): Promise<Row[]> {
    if (this.provider !== 'postgresql') return this.query(sql);
    return this.db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('jit', 'off', true), set_config('work_mem', ${ANALYTICS_WORK_MEM}, true),
          set_config('random_page_cost', '1.1', true)`;
        return tx.$queryRaw<Row[]>(sql);
      },
      { maxWait: 30_000, timeout: 300_000 },
    );
  }

  private costUnits(value: Prisma.Sql): Prisma.Sql {
    return toUnits(this.provider, Prisma.sql`COALESCE(${value}, 0)`, NANO_DOLLARS_PER_USD);
  }

  /** sessions, events, errors, errorRate, tokens and cost: one pass over the matching session rows. */
  totals(): Promise<Totals> {
    return this.once('totals', async () => {
      const [row = {}] = await this.query(Prisma.sql`
        SELECT COUNT(*) AS sessions,
          SUM(s.event_count) AS events,
          SUM(s.error_count) AS errors,
          SUM(CASE WHEN s.error_count > 0 THEN 1 ELSE 0 END) AS sessions_with_errors,
          SUM(s.prompt_tokens) AS prompt_tokens,
          SUM(s.completion_tokens) AS completion_tokens,
          ${exactSum(this.costUnits(Prisma.sql`s.cost_usd`), 'cost')}
        FROM sessions s WHERE ${this.sessionsWhere}`);
      const sessions = toCount(row.sessions);
      const sessionsWithErrors = toCount(row.sessions_with_errors);
      return {
        sessions,
        events: toCount(row.events),
        errors: toCount(row.errors),
        sessionsWithErrors,
        errorRate: sessions === 0 ? 0 : sessionsWithErrors / sessions,
        promptTokens: toCount(row.prompt_tokens),
        completionTokens: toCount(row.completion_tokens),
        costUsd: Number(readExactSum(row, 'cost')) / NANO_DOLLARS_PER_USD,
      };
    });
  }

  /** Over matching sessions that have a duration (an end, or an event). */
  sessionDurationMs(): Promise<Percentiles> {
    return this.once('sessionDurationMs', async () => {
      const rows = await this.heavyQuery(
        percentilesSql(
          this.provider,
          Prisma.sql`SELECT 0 AS g, s.duration_us AS v FROM sessions s WHERE ${this.sessionsWhere} AND s.duration_us IS NOT NULL`,
          PERCENTILE_RANKS,
          (v) => v, // already whole microseconds
        ),
      );
      return percentilesOf(rows[0], MICROS_PER_MS);
    });
  }

  /** durationMs of the matching sessions' LLM_CALL events that have one. */
  llmLatencyMs(): Promise<Percentiles> {
    return this.once('llmLatencyMs', async () => percentilesOf((await this.eventParts.load({ kind: 'llmLatency' }))[0], 1));
  }

  /**
   * Buckets from the first to the last instant (session starts and event timestamps), empty ones
   * included; more than MAX_TIMESERIES_BUCKETS is refused before anything is filled in. One
   * statement (timeseries.ts): the range, session starts and events per bucket.
   */
  timeseries(bucket: TimeBucket): Promise<TimeseriesPoint[]> {
    return this.once(`timeseries:${bucket}`, async () => {
      const size = BUCKET_MICROS[bucket];
      const rows = await this.heavyQuery(timeseriesSql(this.scope, bucket));
      const range = rows.find((row) => row.kind === 'r');
      if (!range || range.start_us == null) return [];
      let first = Number(toBigInt(range.start_us));
      let last = Number(toBigInt(range.last_us));
      checkBucketCount(first, last, bucket);
      const eventRows = rows.filter((row) => row.kind !== 'r').map((row) => ({ start: Number(toBigInt(row.start_us)), row, events: eventsOf(row) }));
      for (const { start } of eventRows) {
        if (start < first) first = start;
        if (start > last) last = start;
      }
      checkBucketCount(first, last, bucket);

      const points = new Map<number, TimeseriesPoint>();
      for (let start = first; start <= last; start += size) {
        points.set(start, { start, sessions: 0, events: 0, errors: 0, tokens: 0, costUsd: 0 });
      }
      for (const { start, row, events } of eventRows) {
        const point = points.get(start)!;
        if (row.kind === 'b') point.sessions = toCount(row.sessions);
        // A bucket is read once in range ('b') or once outside it ('o'), never both.
        point.events += events.events;
        point.errors += events.errors;
        point.tokens += events.tokens;
        point.costUsd += Number(events.cost) / NANO_DOLLARS_PER_USD;
      }
      return [...points.values()];
    });
  }

  /**
   * Per agent (key: its name, "" for sessions without one): the matching sessions of that agent
   * and all their events. Counts come from the session rows; only p95 reads events.
   */
  byAgent(options: BreakdownOptions): Promise<Breakdown[]> {
    return this.once(`byAgent:${options.p95}`, async () => {
      const key = Prisma.sql`COALESCE(a.name, '')`;
      const counts = this.query(Prisma.sql`
        SELECT ${key} AS g, s.agent_id AS agent_id, COUNT(*) AS sessions,
          SUM(s.event_count) AS events, SUM(s.error_count) AS errors,
          SUM(s.prompt_tokens + s.completion_tokens) AS tokens,
          ${exactSum(this.costUnits(Prisma.sql`s.cost_usd`), 'cost')}
        FROM sessions s LEFT JOIN agents a ON a.id = s.agent_id
        WHERE ${this.sessionsWhere}
        GROUP BY s.agent_id, a.name
        ORDER BY SUM(s.event_count) DESC, ${byCodePoint(this.provider, key)}`);
      // p95 after the counts, which name the agents: with a few of them, it takes each one's
      // durations in one pass instead of sorting them all by agent (see agentP95Branch).
      // A statement of its own: it cannot start with the other event aggregates anyway.
      const p95 = options.p95
        ? counts.then((rows) => {
            const agents = rows.map((row) => toCount(row.agent_id ?? 0));
            const part = { kind: 'agentP95', agents: agents.length <= MAX_AGENTS_BY_FILTER ? agents : null } as const;
            return this.heavyQuery(eventAggregatesSql(this.scope, [part]));
          })
        : Promise.resolve([]);
      const [rows, p95Rows] = await Promise.all([counts, p95]);
      const p95ByAgent = new Map(p95Rows.map((row) => [toCount(row.gn), toNumber(row.p95)]));
      return rows.map((row) => ({
        ...breakdownOf(row),
        p95DurationMs: p95ByAgent.get(toCount(row.agent_id ?? 0)) ?? null,
      }));
    });
  }

  /** Events of the matching sessions grouped by one dimension, ranked; `limit` keeps the first rows. */
  eventBreakdown(dimension: EventDimension, options: BreakdownOptions & { limit?: number | null }): Promise<Breakdown[]> {
    return this.once(`${dimension}:${options.p95}:${options.limit ?? null}`, async () => {
      const rows = await this.eventParts.load({ kind: 'breakdown', dimension, p95: options.p95, limit: options.limit ?? null });
      return [...rows]
        .sort((a, b) => toCount(a.ord) - toCount(b.ord))
        .map((row) => ({ ...breakdownOf(row), p95DurationMs: toNumber(row.p95) }));
    });
  }

  topTools(limit: number | null | undefined, options: BreakdownOptions): Promise<Breakdown[]> {
    const top = limit ?? TOP_TOOLS_DEFAULT;
    if (!Number.isInteger(top) || top < 1 || top > TOP_TOOLS_MAX) {
      return Promise.reject(new UserInputError(`limit must be between 1 and ${TOP_TOOLS_MAX} (got ${top})`));
    }
    return this.eventBreakdown('topTools', { ...options, limit: top });
  }
}

function checkBucketCount(first: number, last: number, bucket: TimeBucket): void {
  const count = (last - first) / BUCKET_MICROS[bucket] + 1;
  if (count > MAX_TIMESERIES_BUCKETS) {
    const coarser = bucket === 'MINUTE' ? 'HOUR or DAY' : bucket === 'HOUR' ? 'DAY' : null;
    throw new UserInputError(
      `timeseries(bucket: ${bucket}) would have ${count} buckets, more than ${MAX_TIMESERIES_BUCKETS}: ` +
        (coarser ? `use a coarser bucket (${coarser}) or narrow the filter` : 'narrow the filter (startedAfter, startedBefore)'),
    );
  }
}

/** A timeseries row's event aggregates: columns on PostgreSQL, one JSON array on SQLite (see timeseries.ts). */
function eventsOf(row: Row): { events: number; errors: number; tokens: number; cost: bigint } {
  const [events, errors, promptTokens, completionTokens, costHi, costLo] =
    typeof row.agg === 'string'
      ? (JSON.parse(row.agg) as unknown[])
      : [row.events, row.errors, row.prompt_tokens, row.completion_tokens, row.cost_hi, row.cost_lo];
  return {
    events: toCount(events),
    errors: toCount(errors),
    tokens: toCount(promptTokens) + toCount(completionTokens),
    cost: readExactSum({ cost_hi: costHi, cost_lo: costLo }, 'cost'),
  };
}

function percentilesOf(row: Row | undefined, unitsPerMs: number): Percentiles {
  const n = toCount(row?.n);
  if (!row || n === 0) return { ...EMPTY_PERCENTILES };
  const ms = (value: unknown) => {
    const number = toNumber(value);
    return number === null ? null : number / unitsPerMs;
  };
  return {
    avg: Number(readExactSum(row, 'sum')) / MICROS_PER_MS / n,
    p50: ms(row.p50),
    p90: ms(row.p90),
    p95: ms(row.p95),
    p99: ms(row.p99),
    max: ms(row.max_v),
  };
}

function breakdownOf(row: Row): Omit<Breakdown, 'p95DurationMs'> {
  return {
    key: String(row.g),
    sessions: toCount(row.sessions),
    events: toCount(row.events),
    errors: toCount(row.errors),
    tokens: toCount(row.tokens),
    costUsd: Number(readExactSum(row, 'cost')) / NANO_DOLLARS_PER_USD,
  };
}
