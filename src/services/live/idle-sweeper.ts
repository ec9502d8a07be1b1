/**
 * Closes sessions nobody has written to for SIGHTLINE_SESSION_IDLE_TIMEOUT_S (by the server's
 * clock at receipt, never by event timestamps, so backfilled history is not closed on arrival)
 * and announces each one. Every instance sweeps; the write path's re-check under the row lock
 * makes that safe.
 */
import type { Database } from '../../db/database.js';
import { nowMicros } from '../../lib/micros.js';
import type { Logger } from '../../logger.js';
import { timeOutIdleSessions, type WriteStore } from '../ingest/index.js';
import { announceSessions, type LiveBus } from './bus.js';

const SWEEP_BATCH = 500;

export interface IdleSweeper {
  /** One sweep now; resolves with the number of sessions timed out. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startIdleSweeper(options: {
  db: Database;
  store: WriteStore;
  bus: LiveBus;
  timeoutS: number;
  logger: Logger;
}): IdleSweeper {
  const { db, store, bus, timeoutS, logger } = options;
  // Often enough that a session is closed within a quarter of the timeout of going idle.
  const intervalMs = Math.min(60_000, Math.max(250, (timeoutS * 1000) / 4));
  let running: Promise<number> | null = null;

  async function sweepOnce(): Promise<number> {
    const cutoffUs = nowMicros() - timeoutS * 1_000_000;
    let total = 0;
    for (;;) {
      const candidates = await db.prisma.session.findMany({
        where: { status: 'RUNNING', lastReceivedAtUs: { lte: cutoffUs } },
        select: { projectId: true, key: true },
        orderBy: { lastReceivedAtUs: 'asc' },
        take: SWEEP_BATCH,
      });
      const byProject = new Map<number, string[]>();
      for (const { projectId, key } of candidates) byProject.set(projectId, [...(byProject.get(projectId) ?? []), key]);
      for (const [projectId, keys] of byProject) {
        const timedOut = await timeOutIdleSessions(store, { projectId, keys, cutoffUs });
        announceSessions(bus, projectId, timedOut);
        total += timedOut.length;
      }
      if (candidates.length < SWEEP_BATCH) return total;
    }
  }

  const sweep = () => (running ??= sweepOnce().finally(() => (running = null)));
  const timer = setInterval(() => {
    sweep().then(
      (count) => count > 0 && logger.info({ count }, 'timed out idle sessions'),
      (error: unknown) => logger.warn({ err: error }, 'idle sweep failed; retrying at the next interval'),
    );
  }, intervalMs);
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
