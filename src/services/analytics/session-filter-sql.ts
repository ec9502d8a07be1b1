/**
 * The SessionFilter as raw SQL over `sessions AS s`: what analytics needs to name the matching
 * sessions once, inside its aggregate queries, and what the sessions list counts with, where the
 * Prisma condition of `sessionFilterWhere` (src/services/read/sessions.ts) cannot go or plans
 * badly. It must select exactly the rows that condition selects, condition by condition;
 * test/analytics.test.ts checks every field against it.
 *
 * Side-table conditions (tags, metadata, models) are `s.id IN (SELECT session_id ... WHERE
 * project_id = ? AND ...)`, which reads the side table's (project_id, value, session_id) index
 * once into a set; an EXISTS per session would probe the side table once for every session of the
 * project, which is what made counting a tag or metadata filter cost 50 to 120 ms at 50,000
 * sessions on SQLite.
 *
 * Portable SQL only: it runs unchanged on SQLite and PostgreSQL.
 */
import { UserInputError } from '../../lib/user-input-error.js';
import { Prisma } from '../../generated/sqlite/client.js';
import { foldForSearch, metadataFilterValue } from '../ingest/session-merge.js';
import type { SessionFilter } from '../read/sessions.js';

const NOTHING = Prisma.sql`1 = 0`;

/**
 * A LIKE pattern matching `text` anywhere, literally. The write path already stores `%`, `_` and
 * `\` as control characters (foldForSearch), and folds the term alike, so escaping finds nothing
 * left to escape today; it keeps the pattern literal should that folding ever change.
 */
export function likeContainsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Micros compare against BigInt columns; BigInt keeps values past 2^53 exact. */
const micros = (value: number) => BigInt(Math.trunc(value));

/** A duration bound in microseconds, rounded as sessionFilterWhere rounds it, kept to a BigInt column's range. */
function durationBound(us: number): bigint {
  const limit = 2 ** 62;
  return BigInt(Math.max(-limit, Math.min(limit, us)));
}

/** The WHERE condition (no leading keyword) on `sessions AS s` for a filter, within a project. */
export function sessionFilterSql(projectId: number, filter: SessionFilter | null | undefined): Prisma.Sql {
  return Prisma.join(sessionFilterConditions(projectId, filter), ' AND ');
}

/** Whether the filter keeps every session of the project (no condition, or only empty ones). */
export function matchesWholeProject(filter: SessionFilter | null | undefined): boolean {
  return sessionFilterConditions(0, filter).length === 1;
}

function sessionFilterConditions(projectId: number, filter: SessionFilter | null | undefined): Prisma.Sql[] {
  const and: Prisma.Sql[] = [Prisma.sql`s.project_id = ${projectId}`];
  if (!filter) return and;
  // An empty list in an `in` condition matches nothing in Prisma; SQL's IN () is not valid.
  const inList = (column: Prisma.Sql, values: readonly string[]) =>
    values.length === 0 ? NOTHING : Prisma.sql`${column} IN (${Prisma.join(values)})`;

  // The column itself, not CAST(s.status AS TEXT): PostgreSQL reads untyped parameters as the
  // enum, and has statistics for the column but none for the cast, which it guessed matched 1% of
  // sessions and so chose to hash every session rather than walk the order index (44 ms, not 8).
  if (filter.status) and.push(inList(Prisma.sql`s.status`, filter.status));
  if (filter.agentNames) {
    and.push(
      filter.agentNames.length === 0
        ? NOTHING
        : Prisma.sql`s.agent_id IN (SELECT a.id FROM agents a WHERE a.project_id = ${projectId} AND a.name IN (${Prisma.join(filter.agentNames)}))`,
    );
  }
  for (const tag of filter.tagsAll ?? []) {
    and.push(Prisma.sql`s.id IN (SELECT t.session_id FROM session_tags t WHERE t.project_id = ${projectId} AND t.tag = ${tag})`);
  }
  if (filter.tagsAny) {
    and.push(
      filter.tagsAny.length === 0
        ? NOTHING
        : Prisma.sql`s.id IN (SELECT t.session_id FROM session_tags t WHERE t.project_id = ${projectId} AND t.tag IN (${Prisma.join(filter.tagsAny)}))`,
    );
  }
  for (const [index, { key, equals }] of (filter.metadata ?? []).entries()) {
    // The side table holds canonical JSON text of scalar values (see sessionIndexRows).
    const value = metadataFilterValue(equals);
    if (value === null || equals === null) {
      throw new UserInputError(`filter.metadata[${index}].equals must be a string, number or boolean`);
    }
    and.push(
      Prisma.sql`s.id IN (SELECT m.session_id FROM session_metadata m WHERE m.project_id = ${projectId} AND m.key = ${key} AND m.value = ${value})`,
    );
  }
  if (filter.search != null && filter.search !== '') {
    // search_text is folded by the write path; both sides folded (lower-cased), SQLite's
    // ASCII-only case folding in LIKE changes nothing.
    and.push(Prisma.sql`s.search_text LIKE ${likeContainsPattern(foldForSearch(filter.search))} ESCAPE '\\'`);
  }
  if (filter.startedAfter != null) and.push(Prisma.sql`s.started_at_us >= ${micros(filter.startedAfter)}`);
  if (filter.startedBefore != null) and.push(Prisma.sql`s.started_at_us < ${micros(filter.startedBefore)}`);
  if (filter.hasErrors != null) and.push(filter.hasErrors ? Prisma.sql`s.error_count > 0` : Prisma.sql`s.error_count = 0`);
  // The same tolerance as sessionFilterWhere: 2.007 ms is 2007.0000000000002 µs in doubles.
  if (filter.minDurationMs != null) {
    and.push(Prisma.sql`s.duration_us >= ${durationBound(Math.ceil(filter.minDurationMs * 1000 - 1e-6))}`);
  }
  if (filter.maxDurationMs != null) {
    and.push(Prisma.sql`s.duration_us <= ${durationBound(Math.floor(filter.maxDurationMs * 1000 + 1e-6))}`);
  }
  if (filter.model != null) {
    and.push(Prisma.sql`s.id IN (SELECT sm.session_id FROM session_models sm WHERE sm.project_id = ${projectId} AND sm.model = ${filter.model})`);
  }
  return and;
}
