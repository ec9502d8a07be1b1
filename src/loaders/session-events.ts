/**
 * The first page of many sessions' timelines at once: what a session list asks for with
 * `events(first: N)` on each row. One statement finds every session's first N+1 event ids (a
 * UNION ALL of one ordered, limited read per session, each a short range of the
 * (session_id, timestamp_us, seq) index however long the session is), one Prisma query reads
 * those rows, one grouped count gives the totals: three queries for a page of sessions, whatever
 * its size.
 */
import DataLoader from 'dataloader';
import { Prisma, type Event, type PrismaClient } from '../generated/sqlite/client.js';
import type { Page } from '../services/read/pagination.js';
import { eventFilterWhere, timelineCursor, type EventFilter } from '../services/read/timeline.js';

const ID_CHUNK = 900;
/** Sessions per statement of first ids: SQLite allows at most 500 terms in a compound SELECT. */
const SESSION_CHUNK = 400;

/** Sessions per statement of first ids, so that it also binds fewer than ID_CHUNK parameters. */
function sessionChunk(filter: EventFilter | null | undefined): number {
  const perSession = 2 + (filter?.types?.length ?? 0) + (filter?.status ? 1 : 0) + (filter?.names?.length ?? 0);
  return Math.max(1, Math.min(SESSION_CHUNK, Math.floor(ID_CHUNK / perSession)));
}

export interface FirstEventsKey {
  sessionId: number;
  first: number;
  filter: EventFilter | null | undefined;
}

const filterKey = (filter: EventFilter | null | undefined) =>
  JSON.stringify([filter?.types ?? null, filter?.status ?? null, filter?.names ?? null]);

function filterSql(filter: EventFilter | null | undefined): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  // Enums compare as text so the same SQL runs on SQLite and on PostgreSQL's enum types.
  if (filter?.types?.length) parts.push(Prisma.sql`AND CAST("type" AS TEXT) IN (${Prisma.join(filter.types)})`);
  if (filter?.status) parts.push(Prisma.sql`AND CAST("status" AS TEXT) = ${filter.status}`);
  if (filter?.names?.length) parts.push(Prisma.sql`AND "name" IN (${Prisma.join(filter.names)})`);
  return parts.length > 0 ? Prisma.join(parts, ' ') : Prisma.empty;
}

export function createFirstEventsLoader(prisma: PrismaClient): DataLoader<FirstEventsKey, Page<Event>, string> {
  return new DataLoader(
    async (keys) => {
      // Keys differ only by session within a list; group anyway, so mixed arguments stay correct.
      const groups = new Map<string, FirstEventsKey[]>();
      for (const key of keys) {
        const group = `${key.first}:${filterKey(key.filter)}`;
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      const pages = new Map<string, Page<Event>>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { first, filter } = group[0]!;
          const sessionIds = [...new Set(group.map((key) => key.sessionId))];
          const size = sessionChunk(filter);
          const sessionChunks = Array.from({ length: Math.ceil(sessionIds.length / size) }, (_, i) =>
            sessionIds.slice(i * size, (i + 1) * size),
          );
          const [ranked, counts] = await Promise.all([
            // A window over every event of the sessions (ROW_NUMBER() OVER (PARTITION BY ...)) cost
            // 8 ms for one 10,000-event session; a LIMIT per session reads only what it returns.
            Promise.all(
              sessionChunks.map((chunk) =>
                prisma.$queryRaw<{ id: number | bigint }[]>(
                  Prisma.join(
                    chunk.map(
                      (sessionId, i) => Prisma.sql`SELECT "id" FROM (
                        SELECT "id" FROM "events" WHERE "session_id" = ${sessionId} ${filterSql(filter)}
                        ORDER BY "timestamp_us", "seq" LIMIT ${first + 1}
                      ) AS ${Prisma.raw(`"s${i}"`)}`,
                    ),
                    ' UNION ALL ',
                  ),
                ),
              ),
            ).then((results) => results.flat()),
            prisma.event.groupBy({
              by: ['sessionId'],
              where: eventFilterWhere({ in: sessionIds }, filter),
              _count: { _all: true },
            }),
          ]);
          const ids = ranked.map((row) => Number(row.id));
          // SQLite binds at most 999 parameters a statement in some builds: read the rows in chunks.
          const chunks = Array.from({ length: Math.ceil(ids.length / ID_CHUNK) }, (_, i) => ids.slice(i * ID_CHUNK, (i + 1) * ID_CHUNK));
          const rows = (
            await Promise.all(
              chunks.map((chunk) =>
                prisma.event.findMany({
                  where: { id: { in: chunk } },
                  orderBy: [{ sessionId: 'asc' }, { timestampUs: 'asc' }, { seq: 'asc' }],
                }),
              ),
            )
          )
            .flat()
            .sort((a, b) => a.sessionId - b.sessionId || Number(a.timestampUs - b.timestampUs) || a.seq - b.seq);
          const totals = new Map(counts.map((count) => [count.sessionId, count._count._all]));
          for (const sessionId of sessionIds) {
            const events = rows.filter((row) => row.sessionId === sessionId);
            const page = events.slice(0, first);
            pages.set(`${sessionId}:${first}:${filterKey(filter)}`, {
              items: page.map((node) => ({ cursor: timelineCursor(node), node })),
              hasNextPage: events.length > first,
              hasPreviousPage: false,
              totalCount: totals.get(sessionId) ?? 0,
            });
          }
        }),
      );
      return keys.map((key) => pages.get(`${key.sessionId}:${key.first}:${filterKey(key.filter)}`)!);
    },
    { cacheKeyFn: (key) => `${key.sessionId}:${key.first}:${filterKey(key.filter)}` },
  );
}
