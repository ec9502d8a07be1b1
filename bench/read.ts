/**
 * Read latency: what a dashboard asks of a project with a million events, through GraphQL over
 * HTTP against the real server (a child process), each request beside its floor: the same SQL
 * statements the server sent for it, replayed through the bare driver (bench/lib/read-floor.ts).
 *
 * Dataset: prisma/seed.ts, 1,000,000 events in 50,000 sessions plus one session of 10,000
 * events (BENCH_QUICK=1: 50,000 in 2,500 plus one of 2,000), seeded once per database and
 * reused while the seed, its parameters and the migrations are unchanged (bench/lib/read-dataset.ts).
 *
 * Scenarios (bench/lib/read-scenarios.ts): the sessions list (default order, status + tag by cost,
 * metadata, time range by duration; first and deep pages), the big session's timeline (first and
 * middle page) and tree, and analytics (whole project, and tag + time range). Each runs a timed
 * warm-up, then rounds of one server request and one floor replay, in an order that alternates
 * per round, so a slow patch of a shared machine lands on both.
 *
 * Registered in bench/run.ts (BENCH_FAMILIES=read for this family alone), or on its own:
 * `npx tsx bench/read.ts` (BENCH_QUICK=1 and BENCH_ONLY=sqlite|postgresql apply).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Session } from '../src/generated/sqlite/client.js';
import { sessionFilterWhere, sessionsCursor } from '../src/services/read/sessions.js';
import { timelineCursor } from '../src/services/read/timeline.js';
import { summariseBusiestProfile } from './lib/cpu-profile.js';
import { post } from './lib/http-load.js';
import { readDataset, type Dataset, type DatasetPlan } from './lib/read-dataset.js';
import { captureStatements, describeStatements, openFloorRunner, type CapturedStatement } from './lib/read-floor.js';
import { readScenarios, serviceFilter, type ReadScenario, type ScenarioGroup } from './lib/read-scenarios.js';
import { formatMs, formatRatio, type BenchContext, type BenchFamily, type Database, type FamilyReport } from './lib/report.js';
import { isEntry, runAlone } from './lib/standalone.js';
import { startServerProcess } from './lib/server-process.js';
import { percentile, round } from './lib/stats.js';

/** The issue's targets. Latencies are per request; "p50" is the median over the rounds. */
export const TARGETS = {
  /** Sessions list: p95 under this. */
  listP95Ms: 50,
  /** Timeline page and tree of the big session: p50 under this. */
  timelineP50Ms: 100,
  /** Whole-project analytics: p50 under this, per database. */
  analyticsWholeP50Ms: { postgresql: 1000, sqlite: 2000 },
  /** Every scenario: server p50 at most this many times its floor's p50. */
  maxRatioToFloor: 1.5,
} as const;

function plan(quick: boolean): DatasetPlan {
  return quick
    ? { sessions: 2_500, events: 50_000, bigSession: 2_000, seed: 1, project: 'bench-read' }
    : { sessions: 50_000, events: 1_000_000, bigSession: 10_000, seed: 1, project: 'bench-read' };
}

/**
 * Warm-up pairs (server request, floor replay) before the timed rounds: at least `minimum`, and
 * more until `ms` have passed (at most `maximum`). The targets are about a server that has been
 * answering dashboards, whose code V8 has long optimised. Timed from a fresh server's third
 * request, a timeline page took 4.9 ms; after a thousand the same server answered it in 2.7 ms,
 * while the floor, mostly native code, barely moves. Analytics, whose cost is its statements,
 * warms with two.
 */
interface Warmup {
  minimum: number;
  ms: number;
  maximum: number;
}

const WARMUP: Warmup = { minimum: 2, ms: 3_000, maximum: 500 };
const ANALYTICS_WARMUP: Warmup = { minimum: 2, ms: 0, maximum: 2 };
const TIMED_ROUNDS = { list: 40, timeline: 20, analytics: 7 } as const;

function rounds(group: ScenarioGroup, quick: boolean): { warmup: Warmup; timed: number } {
  if (quick) return { warmup: { minimum: 1, ms: 0, maximum: 1 }, timed: group === 'analytics' ? 2 : 5 };
  if (group === 'analytics') return { warmup: ANALYTICS_WARMUP, timed: TIMED_ROUNDS.analytics };
  return { warmup: WARMUP, timed: group === 'list' || group === 'reference' ? TIMED_ROUNDS.list : TIMED_ROUNDS.timeline };
}

interface Latencies {
  p50Ms: number;
  p95Ms: number;
  perRoundMs: number[];
}

export interface ReadScenarioResult {
  database: Database;
  scenario: string;
  group: ScenarioGroup;
  description: string;
  rounds: number;
  server: Latencies & { responseBytes: number };
  floor: Latencies & { statements: number; shape: string };
  /** server p50 / floor p50. */
  ratioToFloor: number;
  target: { rule: string; pass: boolean; checks: { rule: string; pass: boolean }[] };
}

function latencies(values: number[]): Latencies {
  return { p50Ms: round(percentile(values, 50)), p95Ms: round(percentile(values, 95)), perRoundMs: values.map((v) => round(v, 4)) };
}

function targetOf(database: Database, scenario: ReadScenario, server: Latencies, ratio: number): ReadScenarioResult['target'] {
  if (scenario.group === 'reference') return { rule: 'none (a reference)', pass: true, checks: [] };
  const checks: { rule: string; pass: boolean }[] = [];
  if (scenario.group === 'list') checks.push({ rule: `p95 < ${TARGETS.listP95Ms} ms`, pass: server.p95Ms < TARGETS.listP95Ms });
  if (scenario.group === 'timeline' || scenario.group === 'tree') {
    checks.push({ rule: `p50 < ${TARGETS.timelineP50Ms} ms`, pass: server.p50Ms < TARGETS.timelineP50Ms });
  }
  if (scenario.name === 'analytics: whole project') {
    const limit = TARGETS.analyticsWholeP50Ms[database];
    checks.push({ rule: `p50 < ${limit} ms`, pass: server.p50Ms < limit });
  }
  checks.push({ rule: `<= ${TARGETS.maxRatioToFloor} x floor`, pass: ratio <= TARGETS.maxRatioToFloor });
  return { rule: checks.map((c) => c.rule).join(' and '), pass: checks.every((c) => c.pass), checks };
}

/** Throws unless the answer is a 200 with data and no errors; returns its size. */
function checkAnswer(scenario: ReadScenario, status: number, body: string): number {
  let parsed: { data?: Record<string, unknown> | null; errors?: unknown[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new Error(`${scenario.name}: HTTP ${status}, not JSON: ${body.slice(0, 300)}`);
  }
  if (status !== 200 || parsed.errors || !parsed.data) throw new Error(`${scenario.name}: HTTP ${status} ${body.slice(0, 800)}`);
  const data = parsed.data as {
    sessions?: { edges: unknown[] };
    session?: { eventCount: number; tree?: unknown[]; events?: { edges: unknown[] } } | null;
    analytics?: { events: number };
  };
  const empty =
    (data.sessions && data.sessions.edges.length === 0) ||
    (scenario.group !== 'list' && scenario.group !== 'analytics' && scenario.group !== 'reference' && !data.session) ||
    (data.session?.tree && data.session.tree.length !== data.session.eventCount) ||
    (data.session?.events && data.session.events.edges.length === 0) ||
    (data.analytics && data.analytics.events === 0);
  if (empty) throw new Error(`${scenario.name}: an empty or short answer, is the dataset seeded? ${body.slice(0, 300)}`);
  return Buffer.byteLength(body);
}

interface Prepared {
  scenario: ReadScenario;
  variables: Record<string, unknown>;
  statements: CapturedStatement[];
}

const serverEnv = (dataset: Dataset, readKey: string): Record<string, string> => ({
  DATABASE_URL: dataset.databaseUrl,
  SIGHTLINE_INIT_PROJECT: dataset.plan.project,
  SIGHTLINE_INIT_READ_KEY: readKey,
  // Seeded sessions never end; the idle sweeper must not time them out (a write) during a run.
  SIGHTLINE_SESSION_IDLE_TIMEOUT_S: String(10 * 365 * 86_400),
});

/**
 * Fills in the deep-page cursors and captures every scenario's statements, on the server's own
 * code running in this process (see read-floor.ts).
 */
async function prepare(dataset: Dataset, readKey: string, scenarios: ReadScenario[]): Promise<Prepared[]> {
  const config = loadConfig({ ...serverEnv(dataset, readKey), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const app = await buildApp(config, createLogger('silent'));
  const { url } = await app.start();
  const capture = captureStatements(app.services.db);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const prisma = app.services.db.prisma;
    const project = await prisma.project.findUniqueOrThrow({ where: { name: dataset.plan.project } });
    const big = await prisma.session.findUniqueOrThrow({ where: { projectId_key: { projectId: project.id, key: dataset.bigSessionKey } } });
    const prepared: Prepared[] = [];
    for (const scenario of scenarios) {
      const variables = { ...scenario.variables };
      if (scenario.cursor?.kind === 'sessions') {
        const { filter, order, offset } = scenario.cursor;
        const column = order.field === 'COST' ? 'costUsd' : 'startedAtUs';
        const sort = order.direction === 'DESC' ? 'desc' : 'asc';
        const [row] = await prisma.session.findMany({
          where: sessionFilterWhere(project.id, serviceFilter(filter)),
          orderBy: [{ [column]: sort }, { id: sort }],
          skip: offset,
          take: 1,
        });
        if (!row) throw new Error(`${scenario.name}: no row ${offset}; is the dataset seeded?`);
        variables.after = sessionsCursor(row as Session, order);
      } else if (scenario.cursor?.kind === 'timeline') {
        const [row] = await prisma.event.findMany({
          where: { sessionId: big.id },
          orderBy: [{ timestampUs: 'asc' }, { seq: 'asc' }],
          skip: scenario.cursor.offset,
          take: 1,
        });
        if (!row) throw new Error(`${scenario.name}: no event ${scenario.cursor.offset} in the big session`);
        variables.after = timelineCursor(row);
      }
      const body = Buffer.from(JSON.stringify({ query: scenario.query, variables }));
      const send = async () => {
        const answer = await post(agent, new URL(`${url}/graphql`), { authorization: `Bearer ${readKey}` }, body);
        checkAnswer(scenario, answer.status, answer.body);
      };
      await send(); // the first request also writes the key's last-used hint; capture the second
      const statements = await capture.during(send);
      if (statements.length === 0) throw new Error(`${scenario.name}: captured no statement; has the database layer changed?`);
      prepared.push({ scenario, variables, statements });
    }
    return prepared;
  } finally {
    agent.destroy();
    capture.release();
    // The SQLite writer thread is unref'd and app.stop() awaits its exit: with nothing else
    // pending, Node would exit mid-await. An interval holds the loop open until it is done.
    const holdOpen = setInterval(() => {}, 1000);
    try {
      await app.stop();
    } finally {
      clearInterval(holdOpen);
    }
  }
}

async function runDatabase(context: BenchContext, database: Database, scenarios: ReadScenario[], notes: string[], profileDirs: Map<string, number>): Promise<ReadScenarioResult[]> {
  const dataset = await readDataset(context.repoRoot, database, plan(context.quick), context.log);
  notes.push(
    `${database}: dataset ${dataset.seeded ? `seeded this run in ${Math.round(dataset.seedSeconds ?? 0)} s` : 'reused from the cache'} (${dataset.databaseUrl.replace(/:[^:@/]*@/, ':***@')})`,
  );
  const readKey = `sl_bench_read_${randomBytes(18).toString('base64url')}`;
  const prepared = await prepare(dataset, readKey, scenarios);
  if (process.env.BENCH_READ_SHOW_SQL === '1') {
    const show = (value: unknown) => (typeof value === 'bigint' ? String(value) : value);
    for (const { scenario, statements } of prepared) {
      context.log(`--- ${database} ${scenario.name}: ${describeStatements(statements)}`);
      for (const s of statements) context.log(`[unit ${s.unit}] ${s.sql}\n    values: ${JSON.stringify(s.values.map(show))}`);
    }
  }
  const profileDir = context.cpuProfileDir ? join(context.cpuProfileDir, `read-${database}`) : null;
  const server = await startServerProcess({
    label: `server (read, ${database})`,
    script: 'src/server.ts',
    cwd: context.repoRoot,
    env: { ...serverEnv(dataset, readKey), LOG_LEVEL: 'warn' },
    nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const floor = await openFloorRunner(dataset.databaseUrl);
  // Keep-alive for the quick requests. Analytics answers can take longer than the server's
  // keep-alive timeout spends idle between them, so those get a connection each: a socket the
  // server closes at the moment a request goes out would fail it.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const freshAgent = new Agent({ keepAlive: false });
  const started = Date.now();
  const results: ReadScenarioResult[] = [];
  try {
    for (const { scenario, variables, statements } of prepared) {
      const body = Buffer.from(JSON.stringify({ query: scenario.query, variables }));
      const url = new URL(`${server.url}/graphql`);
      let responseBytes = 0;
      const timeServer = async () => {
        const sent = performance.now();
        const answer = await post(scenario.group === 'analytics' ? freshAgent : agent, url, { authorization: `Bearer ${readKey}` }, body);
        const ms = performance.now() - sent;
        responseBytes = checkAnswer(scenario, answer.status, answer.body);
        return ms;
      };
      const timeFloor = async () => {
        const sent = performance.now();
        await floor.replay(statements);
        return performance.now() - sent;
      };
      const { warmup, timed } = rounds(scenario.group, context.quick);
      const serverMs: number[] = [];
      const floorMs: number[] = [];
      const warmStarted = performance.now();
      for (let warmed = 0; warmed < warmup.maximum && (warmed < warmup.minimum || performance.now() - warmStarted < warmup.ms); warmed++) {
        await timeServer();
        await timeFloor();
      }
      for (let r = 0; r < timed; r++) {
        const pair = r % 2 === 0 ? [timeServer, timeFloor] : [timeFloor, timeServer];
        const first = await pair[0]!();
        const second = await pair[1]!();
        serverMs.push(r % 2 === 0 ? first : second);
        floorMs.push(r % 2 === 0 ? second : first);
      }
      const serverLatencies = latencies(serverMs);
      const floorLatencies = latencies(floorMs);
      const ratio = round(serverLatencies.p50Ms / floorLatencies.p50Ms, 3);
      const result: ReadScenarioResult = {
        database,
        scenario: scenario.name,
        group: scenario.group,
        description: scenario.description,
        rounds: timed,
        server: { ...serverLatencies, responseBytes },
        floor: { ...floorLatencies, statements: statements.length, shape: describeStatements(statements) },
        ratioToFloor: ratio,
        target: targetOf(database, scenario, serverLatencies, ratio),
      };
      results.push(result);
      context.log(
        `  ${database} ${scenario.name}: server p50 ${formatMs(serverLatencies.p50Ms)} ms p95 ${formatMs(serverLatencies.p95Ms)} ms, ` +
          `floor p50 ${formatMs(floorLatencies.p50Ms)} ms (${statements.length} statements), x${formatRatio(ratio)}, load ${os.loadavg()[0]!.toFixed(2)}`,
      );
    }
  } finally {
    agent.destroy();
    freshAgent.destroy();
    await floor.close();
    await server.stop();
    if (profileDir) profileDirs.set(database, Date.now() - started);
  }
  return results;
}

const columns = [
  { header: 'database', align: 'left' as const },
  { header: 'scenario', align: 'left' as const },
  { header: 'p50 ms' },
  { header: 'p95 ms' },
  { header: 'floor p50' },
  { header: 'floor p95' },
  { header: 'stmts' },
  { header: 'x floor' },
  { header: 'target', align: 'left' as const },
  { header: 'result', align: 'left' as const },
];

function row(r: ReadScenarioResult): string[] {
  return [
    r.database,
    r.scenario,
    formatMs(r.server.p50Ms),
    formatMs(r.server.p95Ms),
    formatMs(r.floor.p50Ms),
    formatMs(r.floor.p95Ms),
    String(r.floor.statements),
    formatRatio(r.ratioToFloor),
    r.target.rule,
    r.group === 'reference' ? '-' : r.target.pass ? 'PASS' : `FAIL (${r.target.checks.filter((c) => !c.pass).map((c) => c.rule).join(', ')})`,
  ];
}

export const read: BenchFamily = {
  name: 'read',
  async run(context): Promise<FamilyReport> {
    const results: ReadScenarioResult[] = [];
    const rows: string[][] = [];
    const notes: string[] = [];
    const appendix: string[] = [];
    const profileWindows = new Map<string, number>();
    const loads: Record<string, number[]> = {};
    for (const database of ['sqlite', 'postgresql'] as const) {
      const skipped = context.skipped[database];
      if (skipped) {
        rows.push([database, 'skipped', ...columns.slice(2).map(() => '-')]);
        notes.push(`${database} skipped: ${skipped}`);
      }
      if (!context.databases.includes(database)) continue;
      const p = plan(context.quick);
      context.log(`read: ${database}, ${(p.events + p.bigSession).toLocaleString('en-US')} events`);
      const before = os.loadavg()[0]!;
      const only = process.env.BENCH_READ_ONLY;
      const scenarios = readScenarios(p, `seed${p.seed}-big`).filter((s) => !only || s.name.includes(only));
      const measured = await runDatabase(context, database, scenarios, notes, profileWindows);
      loads[database] = [round(before, 3), round(os.loadavg()[0]!, 3)];
      results.push(...measured);
      rows.push(...measured.map(row));
    }

    if (context.cpuProfileDir) {
      for (const [database, windowMs] of profileWindows) {
        const dir = join(context.cpuProfileDir, `read-${database}`);
        const summary = existsSync(dir) ? summariseBusiestProfile(dir, context.repoRoot, windowMs) : null;
        if (!summary) continue;
        const line = (entry: { name: string; ms: number; share: number }) =>
          `    ${(entry.share * 100).toFixed(1).padStart(5)}%  ${String(entry.ms).padStart(6)} ms  ${entry.name}`;
        appendix.push(
          `Server CPU profile, read ${database}: ${summary.totalMs} ms on CPU while measuring; ${summary.file}`,
          '  by area:',
          ...summary.areas.slice(0, 10).map(line),
          '  by function (self time):',
          ...summary.functions.map(line),
          '',
        );
      }
    }

    const p = plan(context.quick);
    notes.push(
      `dataset: prisma/seed.ts, ${p.events.toLocaleString('en-US')} events in ${p.sessions.toLocaleString('en-US')} sessions plus one of ${p.bigSession.toLocaleString('en-US')}, seed ${p.seed}; cached between runs (BENCH_READ_RESEED=1 seeds again).`,
      'p50/p95: one GraphQL request over HTTP (keep-alive, sequential) to the server in a child process; floor: the statements the server sent for the same request, replayed through better-sqlite3 / pg; x floor = p50 / floor p50.',
      `targets: lists p95 < ${TARGETS.listP95Ms} ms; timeline and tree p50 < ${TARGETS.timelineP50Ms} ms; whole-project analytics p50 < ${TARGETS.analyticsWholeP50Ms.postgresql} ms (PostgreSQL), < ${TARGETS.analyticsWholeP50Ms.sqlite} ms (SQLite); every scenario <= ${TARGETS.maxRatioToFloor} x its floor.`,
      `load average (1 min) before and after each database: ${Object.entries(loads).map(([db, [a, b]]) => `${db} ${a} -> ${b}`).join(', ')}.`,
    );
    notes.push(
      context.quick
        ? 'BENCH_QUICK=1: a small dataset and few rounds; a smoke run, not a measurement.'
        : `rounds: each scenario first warms the server and the floor with pairs of requests for ${WARMUP.ms / 1000} s (at least ${WARMUP.minimum}, at most ${WARMUP.maximum}; analytics ${ANALYTICS_WARMUP.maximum}), so what is timed is a server V8 has optimised, as one answering dashboards is; then ${TIMED_ROUNDS.list} timed rounds for lists, ${TIMED_ROUNDS.timeline} for timelines and the tree, ${TIMED_ROUNDS.analytics} for analytics.`,
    );
    if (context.cpuProfileDir) notes.push('BENCH_CPU_PROF=1: the server ran under the CPU profiler, which slows it down.');
    return {
      family: 'read',
      title: 'Read: sessions list, timeline, tree and analytics over GraphQL over HTTP, beside the same SQL through the driver',
      columns,
      rows,
      notes,
      scenarios: results,
      targets: TARGETS,
      passed: results.length === 0 ? null : results.every((r) => r.target.pass),
      appendix,
    };
  },
};

// ---------------------------------------------------------------- on its own: npx tsx bench/read.ts

if (isEntry(import.meta.url)) void runAlone('read');
