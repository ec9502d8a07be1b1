/**
 * PostgreSQL restarted under a running server (issue 6, item 1). The shared PostgreSQL service is
 * never touched: the test makes a private throwaway cluster (test/helpers/private-postgres.ts),
 * points a server child process at it, and while SDK and raw load workers ingest, stops the
 * cluster hard (`pg_ctl stop -m immediate`: no checkpoint, crash recovery at the next start) and
 * starts it again, several times. The server must stay up throughout and serve again once the
 * database is back; afterwards every acknowledged event is stored, none twice, counters equal a
 * recount and timelines are in order (support/audit.ts). What the server answered while the
 * database was gone is printed with the figures, not asserted: only the end state is.
 * SIGHTLINE_CHAOS_SEED replays the schedule; SIGHTLINE_CHAOS_PG_RESTARTS sets the count.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/database.js';
import { random } from '../helpers/live.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { describeOutput, ServerProcesses, waitUntilHealthy, type ServerProcess } from '../helpers/process.js';
import { audit, readProject } from './support/audit.js';
import { pause, printFigures, summary } from './support/figures.js';
import { LoadWorkers } from './support/load-workers.js';

const RESTARTS = Number(process.env.SIGHTLINE_CHAOS_PG_RESTARTS ?? 6);
const SEED = Number(process.env.SIGHTLINE_CHAOS_SEED ?? randomInt(2 ** 31));

const processes = new ServerProcesses();
const workers = new LoadWorkers();
let cluster: PrivatePostgres | null = null;
afterEach(async () => {
  await workers.killAll();
  await processes.killAll();
  await cluster?.destroy();
  cluster = null;
});

const secret = () => `chaos-${randomBytes(24).toString('base64url')}`;

function diesUnasked(server: ServerProcess): Promise<never> {
  const watch = server.exited.then((exit) => {
    throw new Error(`the server exited while PostgreSQL was restarted under it (code ${exit.code}, signal ${exit.signal})\n${describeOutput(server)}`);
  });
  watch.catch(() => {});
  return watch;
}

interface Restart {
  stoppedAt: number;
  startedAt: number;
}

const unavailable = privatePostgresUnavailable();
const why = !onPostgres
  ? 'PostgreSQL runs only (DATABASE_URL=postgres://…): on SQLite the database is a file inside the server process, nothing to restart'
  : unavailable
    ? `a private PostgreSQL cluster cannot be made here: ${unavailable}`
    : '';

describe('PostgreSQL restarted under a running server', () => {
  it.skipIf(why !== '')(
    `keeps serving, and stores every acknowledged event exactly once across ${RESTARTS} hard restarts of PostgreSQL${why ? ` (skipped: ${why})` : ''}`,
    async () => {
      console.log(`postgres-restart: seed ${SEED} (SIGHTLINE_CHAOS_SEED=${SEED} replays this schedule), ${RESTARTS} restarts`);
      const rng = random(SEED);
      cluster = await startPrivatePostgres();
      const databaseUrl = await cluster.createDatabase('sightline');
      const keys = { admin: secret(), read: secret(), ingest: secret() };
      const server = await processes.start({
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'warn',
        SIGHTLINE_INIT_PROJECT: `chaos-pg-${randomUUID()}`,
        SIGHTLINE_INIT_ADMIN_KEY: keys.admin,
        SIGHTLINE_INIT_READ_KEY: keys.read,
        SIGHTLINE_INIT_INGEST_KEY: keys.ingest,
      });
      const exited = diesUnasked(server);
      const began = Date.now();

      const common = { endpoint: server.url, apiKey: keys.ingest, nested: true, endOnStop: false };
      const load = [
        workers.start({ ...common, name: 'sdk-1', mode: 'sdk', eventsPerSecond: 120, seed: SEED + 1, keyPrefix: 'sdk1', agentName: 'chaos-sdk-1', slots: 3, rotateAfter: { events: 300 } }),
        workers.start({ ...common, name: 'sdk-2', mode: 'sdk', eventsPerSecond: 120, seed: SEED + 2, keyPrefix: 'sdk2', agentName: 'chaos-sdk-2', slots: 3, rotateAfter: { events: 300 } }),
        workers.start({ ...common, name: 'raw', mode: 'raw', eventsPerSecond: 100, seed: SEED + 3, keyPrefix: 'raw', agentName: 'chaos-raw', slots: 4, rotateAfter: { events: 400 }, abandonRate: 0.3 }),
      ];
      await Promise.race([Promise.all(load.map((worker) => worker.ready)), exited]);

      const restarts: Restart[] = [];
      for (let i = 0; i < RESTARTS; i++) {
        await pause(1_000 + rng() * 3_000, exited);
        const stoppedAt = Date.now();
        await Promise.race([cluster.stop('immediate'), exited]);
        await pause(200 + rng() * 2_800, exited);
        await Promise.race([cluster.start(), exited]);
        restarts.push({ stoppedAt, startedAt: Date.now() });
      }
      // Serving again without a restart of its own: /healthz says the database answers.
      await Promise.race([waitUntilHealthy(server, 30_000), exited]);
      const healthyAt = Date.now();
      await pause(1_000 + rng() * 2_000, exited);
      const reports = await Promise.race([Promise.all(load.map((worker) => worker.stop())), exited]);
      expect(server.hasExited(), describeOutput(server)).toBe(false);

      const stored = await readProject(server.url, keys.read);
      const { problems, figures } = audit(reports, stored);

      const raw = reports.find((report) => report.mode === 'raw')!;
      const acks = raw.raw!.batches.filter((batch) => batch.outcome === 'acked').map((batch) => batch.ackedAt!).sort((a, b) => a - b);
      // From PostgreSQL accepting connections again to the raw worker's next acknowledged batch.
      const recovery = restarts.map((restart, i) => {
        const firstAck = acks.find((at) => at > restart.startedAt);
        const nextStop = restarts[i + 1]?.stoppedAt ?? Infinity;
        return firstAck !== undefined && firstAck < nextStop ? firstAck - restart.startedAt : null;
      });
      const recovered = recovery.filter((ms): ms is number => ms !== null);
      const sdkRetryReasons: Record<string, number> = {};
      for (const report of reports) {
        for (const [reason, count] of Object.entries(report.sdk?.retryReasons ?? {})) sdkRetryReasons[reason] = (sdkRetryReasons[reason] ?? 0) + count;
      }
      printFigures({
        test: 'postgres-restart',
        database: 'postgresql (private cluster, pg_ctl stop -m immediate)',
        seed: SEED,
        durationS: Math.round((Date.now() - began) / 1000),
        restarts: restarts.length,
        serverExited: server.hasExited(),
        events: figures,
        databaseDownMs: summary(restarts.map((restart) => restart.startedAt - restart.stoppedAt)),
        ingestRecoveryMs: summary(recovered),
        stoppedAgainBeforeFirstAck: recovery.length - recovered.length,
        healthyAfterLastRestartMs: healthyAt - restarts.at(-1)!.startedAt,
        sdkRetryReasons,
        rawFailures: raw.raw!.failures,
      });

      expect(problems).toEqual([]);
      expect(restarts).toHaveLength(RESTARTS);
      expect(figures.lost).toBe(0);
      expect(figures.storedTwice).toBe(0);
      expect(recovery.at(-1), 'an acknowledged batch after the last restart').not.toBeNull();
      // The outages reached the clients (the server did not hide them behind a success).
      expect(figures.retries).toBeGreaterThan(0);
    },
  );
});
