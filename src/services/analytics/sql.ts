/**
 * SQL building blocks for analytics that give the same answer on SQLite and PostgreSQL.
 *
 * Floating-point sums are the trap: PostgreSQL adds doubles one after the other in whatever
 * order its plan (possibly parallel) reads them, SQLite's SUM compensates rounding errors, so
 * the same costs summed on both differ in the last digits. Sums of fractional values are
 * therefore taken exactly, as integers of a fixed unit (costs in nano-dollars, durations in
 * microseconds), each value rounded half up to the unit in IEEE double arithmetic that both
 * databases perform identically. An integer SUM is order-independent; to keep it inside 64 bits
 * on SQLite (which raises on overflow) it is split into a high and a low part.
 */
import type { Provider } from '../../db/database.js';
import { Prisma } from '../../generated/sqlite/client.js';

/** Low bits of an exact sum's split: each value contributes value / 2^20 and value % 2^20. */
const SPLIT = 1_048_576;
/** Values are clamped to 2^53 units, so a nonsensical input cannot overflow a cast. */
const MAX_UNITS = 9_007_199_254_740_991;

/**
 * `value * scale` rounded half up to an integer, for a non-negative double `value` (NULL stays NULL).
 * Both databases multiply and add in IEEE double; only the spelling of floor-and-cast differs
 * (SQLite's CAST truncates, PostgreSQL's rounds half to even).
 */
export function toUnits(provider: Provider, value: Prisma.Sql, scale: number): Prisma.Sql {
  const scaled = Prisma.sql`(${value}) * CAST(${Prisma.raw(String(scale))} AS DOUBLE PRECISION)`;
  // Written so that NULL stays NULL (a NULL comparison falls through to ELSE).
  const clamped = Prisma.sql`(CASE WHEN ${scaled} >= ${Prisma.raw(String(MAX_UNITS))} THEN ${Prisma.raw(String(MAX_UNITS))} ELSE ${scaled} END)`;
  return provider === 'sqlite'
    ? Prisma.sql`CAST(${clamped} + 0.5 AS INTEGER)`
    : Prisma.sql`CAST(FLOOR(${clamped} + 0.5) AS BIGINT)`;
}

/** Two aggregate columns, `<alias>_hi` and `<alias>_lo`, whose combination is SUM(units) exactly. */
export function exactSum(units: Prisma.Sql, alias: string): Prisma.Sql {
  const [hi, lo] = exactSumParts(units);
  return Prisma.sql`${hi} AS ${Prisma.raw(`${alias}_hi`)}, ${lo} AS ${Prisma.raw(`${alias}_lo`)}`;
}

/**
 * exactSum for one provider. PostgreSQL's SUM of bigint is already exact (numeric, no overflow),
 * so there the whole sum is the low part and the high part is NULL (read as 0): one conversion
 * per row instead of two, on the statements that sum a million events.
 */
export function exactSumOn(provider: Provider, units: Prisma.Sql, alias: string, only?: Prisma.Sql): Prisma.Sql {
  // `only`: the rows that have a value, so the conversion is not even evaluated on the others
  // (most events have no cost).
  const filter = only ? Prisma.sql` FILTER (WHERE ${only})` : Prisma.empty;
  if (provider === 'sqlite') {
    const [hi, lo] = exactSumParts(units);
    return Prisma.sql`${hi}${filter} AS ${Prisma.raw(`${alias}_hi`)}, ${lo}${filter} AS ${Prisma.raw(`${alias}_lo`)}`;
  }
  return Prisma.sql`CAST(NULL AS NUMERIC) AS ${Prisma.raw(`${alias}_hi`)}, SUM(${units})${filter} AS ${Prisma.raw(`${alias}_lo`)}`;
}

/** exactSum's two aggregates, high then low part, unnamed. */
export function exactSumParts(units: Prisma.Sql): [Prisma.Sql, Prisma.Sql] {
  const split = Prisma.raw(String(SPLIT));
  return [Prisma.sql`SUM((${units}) / ${split})`, Prisma.sql`SUM((${units}) % ${split})`];
}

/** The exact sum from a row holding `<alias>_hi` and `<alias>_lo` (null parts: an empty sum, 0). */
export function readExactSum(row: Record<string, unknown>, alias: string): bigint {
  return toBigInt(row[`${alias}_hi`]) * BigInt(SPLIT) + toBigInt(row[`${alias}_lo`]);
}

/**
 * Drivers return aggregates as bigint (COUNT on PostgreSQL), Decimal (SUM of bigint on
 * PostgreSQL), or number (SQLite): one conversion for all.
 */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number(String(value));
}

export function toCount(value: unknown): number {
  return toNumber(value) ?? 0;
}

export function toBigInt(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  // Decimal: toFixed never switches to exponent notation, as toString does past 1e21.
  const text = typeof (value as { toFixed?: unknown }).toFixed === 'function' ? (value as { toFixed(): string }).toFixed() : String(value);
  return BigInt(text);
}

/**
 * Sorts text by code point (UTF-8 byte order) on both databases, whatever the PostgreSQL
 * database's default collation, so ties in a breakdown order the same everywhere.
 */
export function byCodePoint(provider: Provider, expression: Prisma.Sql): Prisma.Sql {
  return provider === 'sqlite' ? Prisma.sql`${expression} COLLATE BINARY` : Prisma.sql`${expression} COLLATE "C"`;
}

/** The largest finite double: sorts after every duration a client can send. */
export const SENTINEL = '1.7976931348623157e308';

/**
 * Per group `g` of `source` (a query with columns `g` and `v`, v never null): the count `n`,
 * `max_v`, `p<k>` for each percentile k by nearest rank (the value at rank ceil(k/100 × n) in
 * ascending order), and optionally the exact sum of `units(v)` as `sum_hi`/`sum_lo`.
 *
 * Both databases sort each group's values once in a native percentile aggregate, several times
 * faster on a million rows than ROW_NUMBER() windows, which SQLite evaluates slowly:
 * - PostgreSQL's percentile_disc(p) is nearest rank by definition (the first value whose
 *   position reaches p × n, i.e. rank ceil(p × n)); for p = 0.5, 0.9, 0.95 and 0.99 the
 *   product rounds to the exact integer whenever k × n / 100 is one, so no rank is off by one.
 * - SQLite's percentile_disc(v, p) (bundled with better-sqlite3) takes the value at 0-based
 *   index floor(p × (n − 1)) instead. With one sentinel above every value appended to each group
 *   (n + 1 values) and p lowered by 1e-12, that index is floor(p × n − ε) = ceil(p × n) − 1:
 *   exactly the nearest rank, for any group of fewer than 10^9 values (k × n / 100 is either an
 *   integer or at least 0.01 away from one). test/analytics.test.ts checks ranks 1 to 60.
 */
export function percentilesSql(
  provider: Provider,
  source: Prisma.Sql,
  percentiles: readonly number[],
  units: ((v: Prisma.Sql) => Prisma.Sql) | null,
  /**
   * SQLite: a query listing every group `g` of `source` (more do no harm: they come out with
   * n = 0), for the sentinels, when it is cheaper than reading `source` a second time.
   */
  groups?: Prisma.Sql,
): Prisma.Sql {
  const sums = units ? Prisma.sql`, ${exactSum(units(Prisma.sql`src.v`), 'sum')}` : Prisma.empty;
  if (provider === 'postgresql') {
    const columns = percentiles.map(
      (p) => Prisma.sql`percentile_disc(${Prisma.raw(String(p / 100))}) WITHIN GROUP (ORDER BY src.v) AS ${Prisma.raw(`p${p}`)}`,
    );
    return Prisma.sql`
      SELECT src.g AS g, COUNT(*) AS n, MAX(src.v) AS max_v, ${Prisma.join(columns, ', ')} ${sums}
      FROM (${source}) src
      GROUP BY src.g`;
  }
  const columns = percentiles.map(
    (p) => Prisma.sql`percentile_disc(src.w, ${Prisma.raw(String(p / 100))} - 1e-12) AS ${Prisma.raw(`p${p}`)}`,
  );
  // v is null on the sentinel rows, so n, max and sums see the real values only.
  return Prisma.sql`
    SELECT src.g AS g, COUNT(src.v) AS n, MAX(src.v) AS max_v, ${Prisma.join(columns, ', ')} ${sums}
    FROM (
      SELECT vals.g AS g, vals.v AS v, vals.v AS w FROM (${source}) vals
      UNION ALL
      SELECT DISTINCT sentinels.g AS g, NULL AS v, ${Prisma.raw(SENTINEL)} AS w FROM (${groups ?? source}) sentinels
    ) src
    GROUP BY src.g`;
}

/**
 * SQLite: the fraction that makes percentile_disc(v, fraction) return the nearest-rank p-th
 * percentile of a group of `n` values, for an integer percent `p` and an expression `n` that is
 * the same for every row of the group (percentile_disc refuses a fraction that changes within a
 * group). It takes the value at 0-based index floor(fraction × (n − 1)); the nearest rank is
 * r = ceil(p × n / 100), computed in integers as (p × n + 99) / 100, so the fraction is
 * (r − 0.5) / (n − 1), whose product with n − 1 lands half a step above r − 1 and truncates to it
 * whatever the rounding; 1 when r = n (the largest value), 0 when n is 1.
 */
export function nearestRankFraction(p: number, n: Prisma.Sql): Prisma.Sql {
  const rank = Prisma.sql`((${Prisma.raw(String(p))} * ${n} + 99) / 100)`;
  return Prisma.sql`(CASE WHEN ${n} <= 1 THEN 0.0 WHEN ${rank} >= ${n} THEN 1.0 ELSE (${rank} - 0.5) / (${n} - 1.0) END)`;
}
