/**
 * A session's timeline: events ordered by timestamp, then by the order the client sent them
 * (the session's ingest sequence), paged by keyset on (timestampUs, seq) in both directions.
 */
import type { Database } from '../../db/database.js';
import { eventColumns, toEvent } from '../../db/event-rows.js';
import { countColumn, selectBuilt } from '../../db/raw-select.js';
import { Prisma, type Event } from '../../generated/sqlite/client.js';
import { decodeTypedCursor, encodeCursor } from '../../lib/cursor.js';
import type { EventStatus, EventType } from '../ingest/write-ops.js';
import { pageSize, type Page, type PageArgs } from './pagination.js';

export const TIMELINE_PAGE_DEFAULT = 50;
export const TIMELINE_PAGE_MAX = 1000;
const CURSOR_KIND = 'timeline';

export interface EventFilter {
  types?: EventType[] | null;
  status?: EventStatus | null;
  names?: string[] | null;
}

export function timelineCursor(event: Pick<Event, 'timestampUs' | 'seq'>): string {
  return encodeCursor(CURSOR_KIND, [Number(event.timestampUs), event.seq]);
}

function position(cursor: string, argument: string): Position {
  const [ts, seq] = decodeTypedCursor(CURSOR_KIND, cursor, ['int', 'int32'], argument) as [number, number];
  return { ts, seq };
}

type Position = { ts: number; seq: number };

/**
 * The EventFilter as SQL conditions on `events`, each starting with AND (none without a filter).
 * An empty list matches nothing. Enums compare as text, so the same SQL runs on SQLite and on
 * PostgreSQL's enum types.
 */
export function eventFilterSql(filter: EventFilter | null | undefined): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  const inList = (column: string, values: readonly string[]) =>
    values.length === 0 ? Prisma.sql`AND 1 = 0` : Prisma.sql`AND ${Prisma.raw(column)} IN (${Prisma.join(values)})`;
  if (filter?.types) parts.push(inList('CAST("type" AS TEXT)', filter.types));
  if (filter?.status) parts.push(Prisma.sql`AND CAST("status" AS TEXT) = ${filter.status}`);
  if (filter?.names) parts.push(inList('"name"', filter.names));
  return parts.length > 0 ? Prisma.join(parts, ' ') : Prisma.empty;
}

/**
 * Events on one side of a position: `(ts op x) AND (ts strict-op x OR seq op y)`, the same rows as
 * `(ts strict-op x) OR (ts = x AND seq op y)`, but its first half is a range of the
 * (session_id, timestamp_us, seq) index, where a bare OR read the session's events from the start
 * and filtered (5,000 of them for a page in the middle of a 10,000-event session).
 */
function beyond(p: Position, side: 'after' | 'before', inclusive: boolean): Prisma.Sql {
  const [range, strict, seq] = side === 'after' ? ['>=', '>', inclusive ? '>=' : '>'] : ['<=', '<', inclusive ? '<=' : '<'];
  return Prisma.sql`AND timestamp_us ${Prisma.raw(range)} ${p.ts} AND (timestamp_us ${Prisma.raw(strict)} ${p.ts} OR seq ${Prisma.raw(seq)} ${p.seq})`;
}

const COLUMNS = Prisma.raw(eventColumns({ payloads: true }));

/**
 * A page of a session's timeline, through the bare driver (db/raw-select.ts): the page, the
 * session's count under the filter, and whether anything lies on the far side of the cursor we
 * started from (the flag Relay leaves optional), so a client paging one way knows whether it can
 * turn back. Prisma's mapping of a hundred rows with their payloads cost more than the statements.
 */
export async function listTimeline(
  db: Database,
  sessionId: number,
  filter: EventFilter | null | undefined,
  args: PageArgs,
): Promise<Page<Event>> {
  const { size, backward } = pageSize(args, TIMELINE_PAGE_DEFAULT, TIMELINE_PAGE_MAX);
  const afterPosition = args.after ? position(args.after, 'after') : null;
  const beforePosition = args.before ? position(args.before, 'before') : null;
  const base = Prisma.sql`FROM events WHERE session_id = ${sessionId} ${eventFilterSql(filter)}`;
  const bounds = Prisma.sql`${afterPosition ? beyond(afterPosition, 'after', false) : Prisma.empty} ${beforePosition ? beyond(beforePosition, 'before', false) : Prisma.empty}`;
  const direction = Prisma.raw(backward ? 'DESC' : 'ASC');
  const start = backward ? beforePosition : afterPosition;

  const [rows, [totalCount = 0], outside] = await Promise.all([
    selectBuilt(db, Prisma.sql`SELECT ${COLUMNS} ${base} ${bounds} ORDER BY timestamp_us ${direction}, seq ${direction} LIMIT ${size + 1}`, toEvent),
    selectBuilt(db, Prisma.sql`SELECT COUNT(*) ${base}`, (row) => countColumn(row[0])),
    start
      ? selectBuilt(db, Prisma.sql`SELECT 1 ${base} ${beyond(start, backward ? 'after' : 'before', true)} LIMIT 1`, () => true).then((found) => found.length > 0)
      : Promise.resolve(false),
  ]);
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backward) page.reverse();
  return {
    items: page.map((node) => ({ cursor: timelineCursor(node), node })),
    hasNextPage: backward ? outside : more,
    hasPreviousPage: backward ? more : outside,
    totalCount,
  };
}
