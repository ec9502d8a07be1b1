/**
 * The first page of many sessions' timelines at once: what a session list asks for with
 * `events(first: N)` on each row. One statement finds every session's first N+1 event ids (a
 * UNION ALL of one ordered, limited read per session, each a short range of the
 * (session_id, timestamp_us, seq) index however long the session is) reads every session's
 * first N+1 events, one grouped count gives the totals: two statements for a page of sessions,
 * whatever its size. Both go through the bare driver (db/raw-select.ts): Prisma's mapping of a
 * hundred rows with their JSON payloads cost several times the statements.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import { eventColumns, toEvent } from '../db/event-rows.js';
import { countColumn, selectBuilt } from '../db/raw-select.js';
import { Prisma, type Event } from '../generated/sqlite/client.js';
import type { Page } from '../services/read/pagination.js';
import { eventFilterSql, timelineCursor, type EventFilter } from '../services/read/timeline.js';

/** Bound parameters per statement: SQLite allows 999 in some builds. */
const MAX_PARAMETERS = 900;
/** Sessions per statement of first events: SQLite allows at most 500 terms in a compound SELECT. */
const SESSION_CHUNK = 400;

/** Sessions per statement, so that it also binds fewer than MAX_PARAMETERS parameters. */
function sessionChunk(filter: EventFilter | null | undefined): number {
  const perSession = 2 + (filter?.types?.length ?? 0) + (filter?.status ? 1 : 0) + (filter?.names?.length ?? 0);
  return Math.max(1, Math.min(SESSION_CHUNK, Math.floor(MAX_PARAMETERS / perSession)));
}

export interface FirstEventsKey {
  sessionId: number;
  first: number;
  filter: EventFilter | null | undefined;
}

const filterKey = (filter: EventFilter | null | undefined) =>
  JSON.stringify([filter?.types ?? null, filter?.status ?? null, filter?.names ?? null]);

const COLUMNS = Prisma.raw(eventColumns({ payloads: true }));

/** Timestamp, then ingest order within the session: the timeline's order. */
const timelineOrder = (a: Event, b: Event) =>
  a.timestampUs < b.timestampUs ? -1 : a.timestampUs > b.timestampUs ? 1 : a.seq - b.seq;

export function createFirstEventsLoader(db: Database): DataLoader<FirstEventsKey, Page<Event>, string> {
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
          const [chunkRows, chunkCounts] = await Promise.all([
            // A window over every event of the sessions (ROW_NUMBER() OVER (PARTITION BY ...)) cost
            // 8 ms for one 10,000-event session; a LIMIT per session reads only what it returns.
            Promise.all(
              sessionChunks.map((chunk) =>
                selectBuilt(
                  db,
                  Prisma.join(
                    chunk.map(
                      (sessionId, i) => Prisma.sql`SELECT ${COLUMNS} FROM (
                        SELECT ${COLUMNS} FROM events WHERE session_id = ${sessionId} ${eventFilterSql(filter)}
                        ORDER BY timestamp_us, seq LIMIT ${first + 1}
                      ) AS ${Prisma.raw(`s${i}`)}`,
                    ),
                    ' UNION ALL ',
                  ),
                  toEvent,
                ),
              ),
            ),
            Promise.all(
              sessionChunks.map((chunk) =>
                selectBuilt(
                  db,
                  Prisma.sql`SELECT session_id, COUNT(*) FROM events WHERE session_id IN (${Prisma.join(chunk)}) ${eventFilterSql(filter)}
                    GROUP BY session_id`,
                  (row) => [row[0] as number, countColumn(row[1])] as const,
                ),
              ),
            ),
          ]);
          const bySession = new Map<number, Event[]>();
          for (const row of chunkRows.flat()) {
            const events = bySession.get(row.sessionId);
            if (events) events.push(row);
            else bySession.set(row.sessionId, [row]);
          }
          // SQL gives a UNION ALL no order of its own (PostgreSQL may run its branches in
          // parallel): each session's rows are put in timeline order here.
          for (const events of bySession.values()) events.sort(timelineOrder);
          const totals = new Map(chunkCounts.flat());
          for (const sessionId of sessionIds) {
            const events = bySession.get(sessionId) ?? [];
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
