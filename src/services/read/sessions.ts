/**
 * The sessions list: every SessionFilter condition (ANDed), every order field in both
 * directions, keyset-paged with the row id as tie-breaker so a page boundary never skips or
 * repeats a row, also while new sessions arrive. Sessions without a value for the order field
 * (no event yet, so no lastEventAt or duration) come last in both directions.
 */
import { UserInputError } from '../../lib/user-input-error.js';
import type { Database } from '../../db/database.js';
import { countColumn, selectBuilt } from '../../db/raw-select.js';
import { SESSION_COLUMNS, selectSessions, toSession } from '../../db/session-rows.js';
import { Prisma, type Session } from '../../generated/sqlite/client.js';
import { decodeTypedCursor, encodeCursor, type CursorValue } from '../../lib/cursor.js';
import type { Micros } from '../../lib/micros.js';
import { sessionFilterSql } from '../analytics/session-filter-sql.js';
import { foldForSearch, metadataFilterValue } from '../ingest/session-merge.js';
import type { SessionStatus } from '../ingest/write-ops.js';
import { pageSize, type Page } from './pagination.js';

export const SESSIONS_PAGE_DEFAULT = 50;
export const SESSIONS_PAGE_MAX = 500;

export interface SessionFilter {
  status?: SessionStatus[] | null;
  agentNames?: string[] | null;
  tagsAll?: string[] | null;
  tagsAny?: string[] | null;
  metadata?: { key: string; equals?: unknown }[] | null;
  search?: string | null;
  /** Inclusive. */
  startedAfter?: Micros | null;
  /** Exclusive, so consecutive ranges neither overlap nor leave a gap. */
  startedBefore?: Micros | null;
  hasErrors?: boolean | null;
  minDurationMs?: number | null;
  maxDurationMs?: number | null;
  model?: string | null;
}

export type SessionOrderField = 'STARTED_AT' | 'LAST_EVENT_AT' | 'DURATION' | 'COST' | 'EVENT_COUNT';
export type OrderDirection = 'ASC' | 'DESC';
export interface SessionOrder {
  field: SessionOrderField;
  direction: OrderDirection;
}

export const DEFAULT_SESSION_ORDER: SessionOrder = { field: 'STARTED_AT', direction: 'DESC' };

type OrderColumn = 'startedAtUs' | 'lastEventAtUs' | 'durationUs' | 'costUsd' | 'eventCount';
const orderColumns: Record<SessionOrderField, { column: OrderColumn; sql: Prisma.Sql; nullable: boolean }> = {
  STARTED_AT: { column: 'startedAtUs', sql: Prisma.raw('s.started_at_us'), nullable: false },
  LAST_EVENT_AT: { column: 'lastEventAtUs', sql: Prisma.raw('s.last_event_at_us'), nullable: true },
  DURATION: { column: 'durationUs', sql: Prisma.raw('s.duration_us'), nullable: true },
  COST: { column: 'costUsd', sql: Prisma.raw('s.cost_usd'), nullable: false },
  EVENT_COUNT: { column: 'eventCount', sql: Prisma.raw('s.event_count'), nullable: false },
};

/**
 * The Prisma condition for a filter, within a project: what live feeds match sessions with. The
 * list and analytics use its raw twin, sessionFilterSql, which must select the same rows.
 */
export function sessionFilterWhere(projectId: number, filter: SessionFilter | null | undefined): Prisma.SessionWhereInput {
  const and: Prisma.SessionWhereInput[] = [{ projectId }];
  if (!filter) return and[0]!;
  if (filter.status) and.push({ status: { in: filter.status } });
  if (filter.agentNames) and.push({ agent: { name: { in: filter.agentNames } } });
  for (const tag of filter.tagsAll ?? []) and.push({ tagLinks: { some: { tag } } });
  if (filter.tagsAny) and.push({ tagLinks: { some: { tag: { in: filter.tagsAny } } } });
  for (const [index, { key, equals }] of (filter.metadata ?? []).entries()) {
    const value = metadataFilterValue(equals);
    if (value === null || equals === null) {
      throw new UserInputError(`filter.metadata[${index}].equals must be a string, number or boolean`);
    }
    and.push({ metadataEntries: { some: { key, value } } });
  }
  if (filter.search != null && filter.search !== '') and.push({ searchText: { contains: foldForSearch(filter.search) } });
  if (filter.startedAfter != null) and.push({ startedAtUs: { gte: filter.startedAfter } });
  if (filter.startedBefore != null) and.push({ startedAtUs: { lt: filter.startedBefore } });
  if (filter.hasErrors != null) and.push({ errorCount: filter.hasErrors ? { gt: 0 } : 0 });
  // Durations are whole microseconds; the tolerance keeps 2.007 ms (2007.0000000000002 µs in
  // floating point) from excluding the session whose durationMs reads 2.007.
  if (filter.minDurationMs != null) and.push({ durationUs: { gte: Math.ceil(filter.minDurationMs * 1000 - 1e-6) } });
  if (filter.maxDurationMs != null) and.push({ durationUs: { lte: Math.floor(filter.maxDurationMs * 1000 + 1e-6) } });
  if (filter.model != null) and.push({ models: { some: { model: filter.model } } });
  return { AND: and };
}

function cursorKind(order: SessionOrder): string {
  return `sessions:${order.field}:${order.direction}`;
}

function sortValue(session: Session, column: OrderColumn): CursorValue {
  const value = session[column];
  return value === null ? null : Number(value);
}

export function sessionsCursor(session: Session, order: SessionOrder = DEFAULT_SESSION_ORDER): string {
  return encodeCursor(cursorKind(order), [sortValue(session, orderColumns[order.field].column), session.id]);
}

/** Rows strictly after the cursor row in this order (nulls last whichever the direction). */
function afterCursor(order: SessionOrder, value: CursorValue, id: number): Prisma.Sql {
  const { sql: column, nullable } = orderColumns[order.field];
  const beyond = Prisma.raw(order.direction === 'DESC' ? '<' : '>');
  if (value === null) return Prisma.sql`(${column} IS NULL AND s.id ${beyond} ${id})`;
  if (!nullable) {
    // The same rows as (column beyond value) OR (column = value AND id beyond), spelled so that
    // its first half is a range of the (project_id, column, id) index: as a bare OR, both
    // databases read the index from its start and filtered, 25,000 entries for a page halfway
    // down 50,000 sessions.
    const beyondOrAt = Prisma.raw(order.direction === 'DESC' ? '<=' : '>=');
    return Prisma.sql`(${column} ${beyondOrAt} ${value} AND (${column} ${beyond} ${value} OR s.id ${beyond} ${id}))`;
  }
  return Prisma.sql`(${column} ${beyond} ${value} OR (${column} = ${value} AND s.id ${beyond} ${id}) OR ${column} IS NULL)`;
}

function orderBy(order: SessionOrder): Prisma.Sql {
  const { sql: column, nullable } = orderColumns[order.field];
  const sort = Prisma.raw(order.direction);
  return nullable ? Prisma.sql`${column} ${sort} NULLS LAST, s.id ${sort}` : Prisma.sql`${column} ${sort}, s.id ${sort}`;
}

/**
 * The list reads through the bare driver (db/raw-select.ts), with the filter as raw SQL
 * (sessionFilterSql, the same rows as sessionFilterWhere): Prisma's query building and row
 * mapping cost several times the statements for a page of 50, and its count spelled a tag or
 * metadata condition as an EXISTS probed once per session of the project, where the raw form
 * reads the side table's index once.
 */
export async function listSessions(
  db: Database,
  projectId: number,
  args: { filter?: SessionFilter | null; orderBy?: SessionOrder | null; first?: number | null; after?: string | null },
): Promise<Page<Session>> {
  const { size } = pageSize({ first: args.first }, SESSIONS_PAGE_DEFAULT, SESSIONS_PAGE_MAX);
  const order = args.orderBy ?? DEFAULT_SESSION_ORDER;
  const base = sessionFilterSql(projectId, args.filter);
  let bound: Prisma.Sql | null = null;
  if (args.after) {
    const { nullable } = orderColumns[order.field];
    const valueKind = order.field === 'COST' ? 'float' : nullable ? 'nullable-int' : 'int';
    const [value, id] = decodeTypedCursor(cursorKind(order), args.after, [valueKind, 'int32'], 'after') as [number | null, number];
    bound = afterCursor(order, value, id);
  }
  const [rows, [totalCount = 0], earlier] = await Promise.all([
    selectBuilt(
      db,
      Prisma.sql`SELECT ${Prisma.raw(SESSION_COLUMNS)} FROM sessions s WHERE ${bound ? Prisma.sql`${base} AND ${bound}` : base}
        ORDER BY ${orderBy(order)} LIMIT ${size + 1}`,
      toSession,
    ),
    selectBuilt(db, Prisma.sql`SELECT COUNT(*) FROM sessions s WHERE ${base}`, (row) => countColumn(row[0])),
    // Anything at or before the cursor row means a client can page back.
    bound
      ? selectBuilt(db, Prisma.sql`SELECT s.id FROM sessions s WHERE ${base} AND NOT ${bound} LIMIT 1`, () => true).then((found) => found.length > 0)
      : false,
  ]);
  const page = rows.slice(0, size);
  return {
    items: page.map((node) => ({ cursor: sessionsCursor(node, order), node })),
    hasNextPage: rows.length > size,
    hasPreviousPage: earlier,
    totalCount,
  };
}

/** A session of the project by its key, or null: one statement prepared once per connection. */
export async function sessionByKey(db: Database, projectId: number, key: string): Promise<Session | null> {
  const [session] = await selectSessions(db, 'session_by_key', `SELECT ${SESSION_COLUMNS} FROM sessions WHERE project_id = ? AND key = ?`, [projectId, key]);
  return session ?? null;
}

/** A session of the project by its id, or null (another project's id is as good as none). */
export async function sessionById(db: Database, projectId: number, id: number): Promise<Session | null> {
  const [session] = await selectSessions(db, 'session_by_id', `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ? AND project_id = ?`, [id, projectId]);
  return session ?? null;
}
