/**
 * A session's timeline: events ordered by timestamp, then by the order the client sent them
 * (the session's ingest sequence), paged by keyset on (timestampUs, seq) in both directions.
 */
import type { Event, Prisma, PrismaClient } from '../../generated/sqlite/client.js';
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

function position(cursor: string, argument: string): { ts: bigint; seq: number } {
  const [ts, seq] = decodeTypedCursor(CURSOR_KIND, cursor, ['int', 'int32'], argument) as [number, number];
  return { ts: BigInt(ts), seq };
}

// Each bound is (ts beyond-or-at x) AND (ts beyond x OR seq beyond y): the same rows as
// (ts beyond x) OR (ts = x AND seq beyond y), but its first half is a range of the
// (session_id, timestamp_us, seq) index, where a bare OR read the session's events from the
// start and filtered (5,000 of them for a page in the middle of a 10,000-event session).
type Position = { ts: bigint; seq: number };
const after = (p: Position): Prisma.EventWhereInput => ({
  AND: [{ timestampUs: { gte: p.ts } }, { OR: [{ timestampUs: { gt: p.ts } }, { seq: { gt: p.seq } }] }],
});
const before = (p: Position): Prisma.EventWhereInput => ({
  AND: [{ timestampUs: { lte: p.ts } }, { OR: [{ timestampUs: { lt: p.ts } }, { seq: { lt: p.seq } }] }],
});
const atOrAfter = (p: Position): Prisma.EventWhereInput => ({
  AND: [{ timestampUs: { gte: p.ts } }, { OR: [{ timestampUs: { gt: p.ts } }, { seq: { gte: p.seq } }] }],
});
const atOrBefore = (p: Position): Prisma.EventWhereInput => ({
  AND: [{ timestampUs: { lte: p.ts } }, { OR: [{ timestampUs: { lt: p.ts } }, { seq: { lte: p.seq } }] }],
});

export function eventFilterWhere(sessionId: number | { in: number[] }, filter: EventFilter | null | undefined): Prisma.EventWhereInput {
  return {
    sessionId,
    ...(filter?.types ? { type: { in: filter.types } } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.names ? { name: { in: filter.names } } : {}),
  };
}

export async function listTimeline(
  prisma: PrismaClient,
  sessionId: number,
  filter: EventFilter | null | undefined,
  args: PageArgs,
  query: { include?: Prisma.EventInclude; select?: Prisma.EventSelect } = {},
): Promise<Page<Event>> {
  const { size, backward } = pageSize(args, TIMELINE_PAGE_DEFAULT, TIMELINE_PAGE_MAX);
  const base = eventFilterWhere(sessionId, filter);
  const bounds: Prisma.EventWhereInput[] = [];
  const afterPosition = args.after ? position(args.after, 'after') : null;
  const beforePosition = args.before ? position(args.before, 'before') : null;
  if (afterPosition) bounds.push(after(afterPosition));
  if (beforePosition) bounds.push(before(beforePosition));
  const direction = backward ? 'desc' : 'asc';

  const [rows, totalCount, outside] = await Promise.all([
    prisma.event.findMany({
      ...query,
      where: { AND: [base, ...bounds] },
      orderBy: [{ timestampUs: direction }, { seq: direction }],
      take: size + 1,
    }) as Promise<Event[]>,
    prisma.event.count({ where: base }),
    // Whether anything lies on the far side of the cursor we started from (the flag Relay leaves
    // optional), so a client paging one way knows whether it can turn back.
    (backward ? beforePosition : afterPosition)
      ? prisma.event.findFirst({
          where: { AND: [base, backward ? atOrAfter(beforePosition!) : atOrBefore(afterPosition!)] },
          select: { id: true },
        }).then((row) => row !== null)
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
