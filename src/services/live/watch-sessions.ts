/**
 * A live session list: SessionChanged for every session of the project that matches a filter
 * when it starts, ends or changes its counters. Ticks only mark sessions dirty; at most once
 * per window the dirty ones are read back through the same filter as `sessions`, so a hot
 * session reaches a watcher a few times a second at most, however fast it is written.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PrismaClient, Session } from '../../generated/sqlite/client.js';
import { sessionFilterWhere, type SessionFilter } from '../read/sessions.js';
import type { LiveBus } from './bus.js';
import type { Wakeup } from './wakeup.js';

/** At most one update per session per window: four a second. */
export const FEED_WINDOW_MS = 250;

export async function* watchSessions(
  prisma: PrismaClient,
  bus: LiveBus,
  request: { projectId: number; filter: SessionFilter | null | undefined },
  wakeup: Wakeup,
): AsyncGenerator<Session> {
  const where = sessionFilterWhere(request.projectId, request.filter); // validates the filter up front
  const ticks = bus.subscribe('project', String(request.projectId));
  const dirty = new Set<number>();
  const listening = (async () => {
    for await (const tick of ticks) {
      dirty.add(tick.sessionId);
      wakeup.wake();
    }
  })();
  try {
    while (await wakeup.wait()) {
      const started = Date.now();
      const ids = [...dirty];
      dirty.clear();
      if (ids.length > 0) {
        const sessions = await prisma.session.findMany({ where: { AND: [where, { id: { in: ids } }] }, orderBy: { id: 'asc' } });
        for (const session of sessions) yield session;
      }
      // Whatever arrives during the rest of the window waits for the next one.
      const rest = FEED_WINDOW_MS - (Date.now() - started);
      if (rest > 0) await sleep(rest);
    }
  } finally {
    await ticks.return?.();
    await listening;
  }
}
