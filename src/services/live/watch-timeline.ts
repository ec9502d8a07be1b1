/**
 * One session's live timeline: every event ingested after a position, in ingest order, each
 * exactly once, then SessionChanged whenever the session's row changed.
 *
 * It listens before it reads: ticks that arrive while it replays only wake it again, and every
 * read asks the database for `seq > position`. Batches of one session commit in sequence order
 * (they serialise on the session's row), so nothing can commit behind a position already read:
 * no gap and no duplicate, whatever races with the start, and whether a tick came from this
 * instance, from Redis, or not at all (a periodic re-read covers a lost one). Reads of watchers
 * woken together are batched (timeline-reader.ts).
 */
import type { Database } from '../../db/database.js';
import type { Event, Session } from '../../generated/sqlite/client.js';
import { encodeCursor } from '../../lib/cursor.js';
import { sessionTopicKey, type LiveBus } from './bus.js';
import { MAX_BATCHED_RANGE, timelineReader } from './timeline-reader.js';
import type { Wakeup } from './wakeup.js';

/**
 * `share` is the row object that every watcher woken by the same write receives: results are
 * executed and serialised once per share (plugins/use-shared-subscription-results.ts).
 */
export type TimelineUpdate =
  | { kind: 'event'; cursor: string; event: Event; share: object }
  | { kind: 'session'; session: Session; share: object };

/** Cursor of a position in a session's ingest order (what Session.timelineCursor returns). */
export function ingestCursor(sessionId: number, seq: number): string {
  return encodeCursor('ingest', [sessionId, seq]);
}

const PAGE = 500;

/** What a SessionChanged reports: when any of these moves, watchers hear of it. */
function fingerprint(session: Session): string {
  return [
    session.status, session.endedAtUs, session.lastEventAtUs, session.eventCount, session.errorCount,
    session.promptTokens, session.completionTokens, session.costUsd, session.startedAtUs, session.name,
    session.agentId, JSON.stringify(session.tags), JSON.stringify(session.metadata),
  ].join('|');
}

export interface WatchTimelineRequest {
  projectId: number;
  sessionKey: string;
  /** Deliver events after this sequence number; null: only what is ingested from now on. */
  afterSeq: number | null;
}

export async function* watchTimeline(
  db: Database,
  bus: LiveBus,
  request: WatchTimelineRequest,
  wakeup: Wakeup,
): AsyncGenerator<TimelineUpdate> {
  const reader = timelineReader(db);
  const ticks = bus.subscribe('session', sessionTopicKey(request.projectId, request.sessionKey));
  /** The highest sequence number a tick announced: every event up to it is committed. */
  let announced = 0;
  const listening = (async () => {
    for await (const tick of ticks) {
      if (tick.seq > announced) announced = tick.seq;
      wakeup.wake();
    }
  })();
  const stopRereads = reader.onReread(() => wakeup.wake());
  try {
    const findSession = () => reader.sessionByKey(request.projectId, request.sessionKey);
    let session = await findSession();
    let position = request.afterSeq ?? session?.seq ?? 0;
    // A client resuming from a cursor is told the session's state after the replay, since its
    // status or counters may have moved while it was away; a new watcher only hears of changes.
    let seen = session && request.afterSeq === null ? fingerprint(session) : null;
    if (request.afterSeq !== null) wakeup.wake(); // replay first
    while (await wakeup.wait()) {
      session ??= await findSession();
      if (!session) continue;
      for (;;) {
        // A short range that ticks announced, or on a periodic re-read the next page-sized range,
        // is read in the batch shared with every watcher woken in this turn; a replay or a
        // watcher far behind pages alone.
        const behind = announced - position;
        const rereading = behind <= 0;
        const batched = behind <= MAX_BATCHED_RANGE;
        const events = batched
          ? await reader.range({ sessionId: session.id, after: position, upTo: rereading ? position + MAX_BATCHED_RANGE : announced })
          : await reader.page(session.id, position, PAGE);
        for (const event of events) {
          position = event.seq;
          yield { kind: 'event', cursor: ingestCursor(session.id, event.seq), event, share: event };
        }
        const full = events.length === (rereading ? MAX_BATCHED_RANGE : PAGE);
        if ((batched && !rereading) || !full) break;
      }
      // Read after the events, so the row reported covers at least every event just sent.
      session = (await reader.session(session.id)) ?? session;
      const now = fingerprint(session);
      if (now !== seen) {
        seen = now;
        yield { kind: 'session', session, share: session };
      }
    }
  } finally {
    stopRereads();
    await ticks.return?.();
    await listening;
  }
}
