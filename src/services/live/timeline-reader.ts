/**
 * Reads for live timelines, batched across watchers. A write wakes every watcher of the sessions
 * it touched in the same turn of the event loop; each then asks for its session's row and for its
 * new events. Answered one by one, 1,000 watchers woken together would cost 2,000 queries; here
 * the requests of one turn become one query for the sessions and one for the events (DataLoader
 * batches what is asked before the turn ends), however many watchers there are. The periodic
 * re-reads of all watchers happen on one timer, so they are batched as well.
 */
import DataLoader from 'dataloader';
import type { Database } from '../../db/database.js';
import { eventColumns, selectEvents } from '../../db/event-rows.js';
import { inListSql, listParameter } from '../../db/raw-select.js';
import { SESSION_COLUMNS, selectSessions } from '../../db/session-rows.js';
import type { Event, Session } from '../../generated/sqlite/client.js';

/** Events of one session with `after < seq <= upTo`: a range announced by ticks, so all committed. */
export interface EventRange {
  sessionId: number;
  after: number;
  upTo: number;
}

/** Longest range read through the batch; a watcher further behind pages on its own. */
export const MAX_BATCHED_RANGE = 500;
/** Ranges or sessions per query: keeps each statement's size and parameter count modest. */
const MAX_BATCH = 200;

/** How often every watcher re-reads on its own, in case a tick was lost (Redis restarted, say). */
const REREAD_MS = 5_000;

export class TimelineReader {
  private readonly rereaders = new Set<() => void>();
  private readonly rereadTimer: NodeJS.Timeout;
  private readonly sessions: DataLoader<number, Session | null>;
  private readonly sessionsByKey: DataLoader<{ projectId: number; key: string }, Session | null, string>;
  private readonly ranges: DataLoader<EventRange, Event[], string>;

  constructor(private readonly db: Database) {
    // No cache: every load is a fresh read; DataLoader is here only for batching.
    this.sessions = new DataLoader(
      async (ids) => {
        const rows = await this.readSessions([...new Set(ids)]);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { cache: false, maxBatchSize: MAX_BATCH },
    );
    // By key: a thousand watchers may start together, so the keys go in as one parameter.
    this.sessionsByKey = new DataLoader(
      async (refs) => {
        const keysByProject = new Map<number, string[]>();
        for (const { projectId, key } of refs) keysByProject.set(projectId, [...(keysByProject.get(projectId) ?? []), key]);
        const rows = await Promise.all(
          [...keysByProject].map(([projectId, keys]) => this.readSessionsByKey(projectId, [...new Set(keys)])),
        );
        const found = new Map(rows.flat().map((row) => [`${row.projectId}\n${row.key}`, row]));
        return refs.map(({ projectId, key }) => found.get(`${projectId}\n${key}`) ?? null);
      },
      { cache: false, maxBatchSize: MAX_BATCH, cacheKeyFn: ({ projectId, key }) => `${projectId}\n${key}` },
    );
    this.ranges = new DataLoader(
      async (ranges) => {
        const events = await this.readRanges(ranges);
        const bySession = new Map<number, Event[]>();
        for (const event of events) {
          const list = bySession.get(event.sessionId);
          if (list) list.push(event);
          else bySession.set(event.sessionId, [event]);
        }
        // Two watchers of one session may ask for overlapping ranges: each gets its own slice.
        return ranges.map((r) => (bySession.get(r.sessionId) ?? []).filter((e) => e.seq > r.after && e.seq <= r.upTo));
      },
      { cache: false, maxBatchSize: MAX_BATCH, cacheKeyFn: (r) => `${r.sessionId}:${r.after}:${r.upTo}` },
    );
    // One timer for every watcher's periodic re-read, so that those reads are batched too.
    this.rereadTimer = setInterval(() => {
      for (const wake of this.rereaders) wake();
    }, REREAD_MS);
    this.rereadTimer.unref();
  }

  /**
   * The events of many ranges in one statement of a fixed shape: the ranges go in as one JSON
   * parameter, whatever their number (a Prisma `OR` of ranges changes shape with every batch, and
   * Prisma compiles and caches a query plan per shape: the cache grew without end). Watchers of
   * one session ask for overlapping ranges, so rows are picked by id, each once. Read through the
   * bare driver (db/event-rows.ts): at a thousand watchers, Prisma's mapping of these rows was a
   * fifth of the server's CPU.
   */
  private readRanges(ranges: readonly EventRange[]): Promise<Event[]> {
    const json = JSON.stringify(ranges.map((r) => ({ s: r.sessionId, a: r.after, u: r.upTo })));
    const matching =
      this.db.provider === 'postgresql'
        ? `SELECT e.id FROM jsonb_to_recordset(?::jsonb) AS r(s int, a int, u int)
             JOIN events AS e ON e.session_id = r.s AND e.seq > r.a AND e.seq <= r.u`
        : `SELECT e.id FROM json_each(?) AS r
             JOIN events AS e ON e.session_id = json_extract(r.value, '$.s')
               AND e.seq > json_extract(r.value, '$.a') AND e.seq <= json_extract(r.value, '$.u')`;
    const sql = `SELECT ${eventColumns({ payloads: true })} FROM events WHERE id IN (${matching}) ORDER BY session_id, seq`;
    return selectEvents(this.db, 'live_event_ranges', sql, [json]);
  }

  /** Sessions by id, read through the bare driver as the events are. */
  private readSessions(ids: number[]): Promise<Session[]> {
    const { provider } = this.db;
    const sql = `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${inListSql(provider, 'id', 'int')}`;
    return selectSessions(this.db, 'live_sessions_by_id', sql, [listParameter(provider, ids)]);
  }

  private readSessionsByKey(projectId: number, keys: string[]): Promise<Session[]> {
    const { provider } = this.db;
    const sql = `SELECT ${SESSION_COLUMNS} FROM sessions WHERE project_id = ? AND ${inListSql(provider, 'key', 'text')}`;
    return selectSessions(this.db, 'live_sessions_by_key', sql, [projectId, listParameter(provider, keys)]);
  }

  /** Calls `wake` every few seconds, together with every other watcher's; returns how to stop. */
  onReread(wake: () => void): () => void {
    this.rereaders.add(wake);
    return () => this.rereaders.delete(wake);
  }

  session(id: number): Promise<Session | null> {
    return this.sessions.load(id);
  }

  /** A session by its key, which may name none yet. */
  sessionByKey(projectId: number, key: string): Promise<Session | null> {
    return this.sessionsByKey.load({ projectId, key });
  }

  /** The events of a range, in ingest order; the range must be at most MAX_BATCHED_RANGE long. */
  range(range: EventRange): Promise<Event[]> {
    return this.ranges.load(range);
  }

  /** One page of events after a position, read on its own (a replay, or a watcher far behind). */
  page(sessionId: number, after: number, take: number): Promise<Event[]> {
    const sql = `SELECT ${eventColumns({ payloads: true })} FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`;
    return selectEvents(this.db, 'live_event_page', sql, [sessionId, after, take]);
  }
}

const readers = new WeakMap<Database, TimelineReader>();

/** The reader of a database: one per server, so that all its watchers share batches. */
export function timelineReader(db: Database): TimelineReader {
  let reader = readers.get(db);
  if (!reader) readers.set(db, (reader = new TimelineReader(db)));
  return reader;
}
