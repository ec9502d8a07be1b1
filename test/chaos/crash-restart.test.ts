/**
 * Crash and restart under load (issue 6, item 1). Three load generators in processes of their
 * own ingest at a steady rate into a server child process, two through the real SDK and one
 * with raw `ingestBatch` requests (so exactly what was acknowledged is known), while the server
 * is killed with SIGKILL at random moments (serving, or again while it starts up) and started
 * again on the same port and database, many times. Then every event the server acknowledged
 * must be stored, none twice, each session's counters must equal a recount of its events, and
 * timelines must be in order (support/audit.ts). The schedule comes from a seeded generator
 * whose seed is printed: SIGHTLINE_CHAOS_SEED replays it (the timings around it are the
 * machine's). SIGHTLINE_CHAOS_KILLS sets the number of kills.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { providerName } from '../helpers/database.js';
import { random } from '../helpers/live.js';
import { describeOutput, freePort, killProcess, ServerProcesses, type ServerProcess } from '../helpers/process.js';
import { audit, readProject } from './support/audit.js';
import { freshDatabase } from './support/chaos-database.js';
import { pause, percentile, printFigures, summary } from './support/figures.js';
import { LoadWorkers } from './support/load-workers.js';

const KILLS = Number(process.env.SIGHTLINE_CHAOS_KILLS ?? 10);
const SEED = Number(process.env.SIGHTLINE_CHAOS_SEED ?? randomInt(2 ** 31));

const processes = new ServerProcesses();
const workers = new LoadWorkers();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await workers.killAll();
  await processes.killAll();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const secret = () => `chaos-${randomBytes(24).toString('base64url')}`;

/** Rejects if the server exits on its own: only the test may end it. */
function diesUnasked(server: ServerProcess): Promise<never> {
  const watch = server.exited.then((exit) => {
    throw new Error(`the server exited on its own (code ${exit.code}, signal ${exit.signal})\n${describeOutput(server)}`);
  });
  watch.catch(() => {});
  return watch;
}

interface Kill {
  phase: 'serving' | 'startup';
  at: number;
  /** serving kills: when a server served again (after any startup kills in between). */
  servingAgainAt?: number;
}

describe('crash and restart under load', () => {
  it(`stores every acknowledged event exactly once across ${KILLS} SIGKILLs of the server (${providerName})`, async () => {
    console.log(`crash-restart on ${providerName}: seed ${SEED} (SIGHTLINE_CHAOS_SEED=${SEED} replays this schedule), ${KILLS} kills`);
    const rng = random(SEED);
    const database = await freshDatabase('chaos_crash');
    cleanups.push(() => database.drop());
    const keys = { admin: secret(), read: secret(), ingest: secret() };
    const env = {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      SIGHTLINE_INIT_PROJECT: `chaos-crash-${randomUUID()}`,
      SIGHTLINE_INIT_ADMIN_KEY: keys.admin,
      SIGHTLINE_INIT_READ_KEY: keys.read,
      SIGHTLINE_INIT_INGEST_KEY: keys.ingest,
    };
    const port = await freePort();
    const startups: number[] = [];
    const startServer = async () => {
      const began = Date.now();
      const server = await processes.start(env, { port });
      startups.push(Date.now() - began);
      return server;
    };
    let server = await startServer();
    const startedAt = Date.now();

    const common = { endpoint: server.url, apiKey: keys.ingest, nested: true, endOnStop: false };
    const load = [
      workers.start({ ...common, name: 'sdk-1', mode: 'sdk', eventsPerSecond: 120, seed: SEED + 1, keyPrefix: 'sdk1', agentName: 'chaos-sdk-1', slots: 3, rotateAfter: { events: 300 } }),
      workers.start({ ...common, name: 'sdk-2', mode: 'sdk', eventsPerSecond: 120, seed: SEED + 2, keyPrefix: 'sdk2', agentName: 'chaos-sdk-2', slots: 3, rotateAfter: { events: 300 } }),
      workers.start({ ...common, name: 'raw', mode: 'raw', eventsPerSecond: 100, seed: SEED + 3, keyPrefix: 'raw', agentName: 'chaos-raw', slots: 4, rotateAfter: { events: 400 }, abandonRate: 0.3 }),
    ];
    await Promise.all(load.map((worker) => worker.ready));

    const kills: Kill[] = [];
    while (kills.length < KILLS) {
      // Serving for a while, under load, then killed.
      await pause(200 + rng() * 2_800, diesUnasked(server));
      const serving: Kill = { phase: 'serving', at: Date.now() };
      kills.push(serving);
      await killProcess(server);
      // Sometimes killed again while starting up (migrations check, bootstrap, listen).
      const typicalStartup = percentile(startups, 50)!;
      while (kills.length < KILLS && rng() < 0.25) {
        const starting = await processes.spawn(env, { port });
        await pause(rng() * typicalStartup, diesUnasked(starting));
        kills.push({ phase: 'startup', at: Date.now() });
        await killProcess(starting);
      }
      server = await startServer();
      serving.servingAgainAt = Date.now();
    }
    // A last stretch of normal service, then the workers send what they have left.
    await pause(1_000 + rng() * 2_000, diesUnasked(server));
    const reports = await Promise.all(load.map((worker) => worker.stop()));
    const stoppedAt = Date.now();
    expect(server.hasExited(), describeOutput(server)).toBe(false);

    const stored = await readProject(server.url, keys.read);
    const { problems, figures } = audit(reports, stored);

    // How long ingest took to come back after each kill: from the server serving again to the
    // raw worker's first acknowledged batch (its retry backoff is at most a second), when that
    // came before the next kill.
    const raw = reports.find((report) => report.mode === 'raw')!;
    const acks = raw.raw!.batches.filter((batch) => batch.outcome === 'acked').map((batch) => batch.ackedAt!).sort((a, b) => a - b);
    const servingKills = kills.filter((kill) => kill.phase === 'serving');
    const recovery = servingKills.map((kill, i) => {
      const firstAck = acks.find((at) => at > kill.servingAgainAt!);
      const nextKill = servingKills[i + 1]?.at ?? Infinity;
      return firstAck !== undefined && firstAck < nextKill ? firstAck - kill.servingAgainAt! : null;
    });
    const recovered = recovery.filter((ms): ms is number => ms !== null);
    const downtime = servingKills.map((kill) => kill.servingAgainAt! - kill.at);
    const sdkRetryReasons: Record<string, number> = {};
    for (const report of reports) {
      for (const [reason, count] of Object.entries(report.sdk?.retryReasons ?? {})) sdkRetryReasons[reason] = (sdkRetryReasons[reason] ?? 0) + count;
    }

    printFigures({
      test: 'crash-restart',
      database: providerName,
      seed: SEED,
      durationS: Math.round((stoppedAt - startedAt) / 1000),
      kills: kills.length,
      killsWhileServing: servingKills.length,
      killsDuringStartup: kills.length - servingKills.length,
      events: figures,
      downtimeMs: summary(downtime),
      startupMs: summary(startups),
      ingestRecoveryMs: summary(recovered),
      killedAgainBeforeFirstAck: recovery.length - recovered.length,
      sdkRetryReasons,
      rawFailures: raw.raw!.failures,
    });

    expect(problems).toEqual([]);
    expect(kills).toHaveLength(KILLS);
    expect(figures.lost).toBe(0);
    expect(figures.storedTwice).toBe(0);
    expect(figures.acknowledged).toBeGreaterThan(0);
    // The outages were felt (the SDK retried) and ingest went on after the last restart.
    for (const report of reports.filter((r) => r.sdk)) expect(report.sdk!.stats.retries, report.name).toBeGreaterThan(0);
    expect(recovery.at(-1), 'an acknowledged batch after the last restart').not.toBeNull();
  });
});
