/**
 * RUNNING.md's lifecycle, against the server as a real child process started as `npm start`
 * starts it: crash durability (SIGKILL), graceful SIGTERM, the `npm start` wiring, first-start
 * bootstrap, /healthz, and refusal of bad configuration. On PostgreSQL the processes share the
 * run's database, each test in its own project (SIGHTLINE_INIT_PROJECT); tests that need an
 * empty or disposable database create one and drop it afterwards. The tests run concurrently:
 * each mostly waits for processes to start, and shares nothing with the others.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { describe, expect, it as base } from 'vitest';
import WebSocket from 'ws';
import { graphql } from './generated/gql.js';
import type { EventInput, LifecycleSessionEventsQuery } from './generated/graphql.js';
import { execute, executeError } from './helpers/execute.js';
import { onPostgres } from './helpers/database.js';
import { at, llmCall, event, uniqueKey, type EventInputJson } from './helpers/factories.js';
import { connectionRefused, describeOutput, ServerProcesses, type Exit, type ServerProcess } from './helpers/process.js';

/**
 * Each test here starts real server processes (through tsx, or npm start), twice for a restart,
 * several at once: 18 to 21 s apiece alone on a slow day of this 2-core machine, and past the
 * suite's 30 s beside the other files. The deadlines these tests are about (exit within 10 s,
 * healthz within its bound) are asserted inside them; this only bounds the whole.
 */
const PROCESS_TEST_TIMEOUT_MS = 90_000;

const LifecycleIngest = graphql(`
  mutation LifecycleIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) {
      accepted
      duplicates
      rejected { index eventId code message }
    }
  }
`);

const LifecycleSessionEvents = graphql(`
  query LifecycleSessionEvents($key: String!, $after: String) {
    session(key: $key) {
      key
      eventCount
      errorCount
      promptTokens
      completionTokens
      costUsd
      events(first: 500, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { key type } }
      }
    }
  }
`);

const LifecycleTotals = graphql(`
  query LifecycleTotals {
    sessions(first: 500) {
      totalCount
      edges { node { key } }
    }
  }
`);

const LifecycleViewer = graphql(`
  query LifecycleViewer {
    viewer { role project { name } }
  }
`);

const LifecycleApiKeys = graphql(`
  query LifecycleApiKeys {
    apiKeys { id name role revokedAt }
  }
`);

const LifecycleCreateApiKey = graphql(`
  mutation LifecycleCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { apiKey { role } }
  }
`);

/** An operator's secret as RUNNING.md asks for it: random, well over 20 characters. */
const secret = () => `lifecycle-${randomBytes(24).toString('base64url')}`;

/** What a test may create besides processes, each disposed of after the test. */
interface Lab {
  processes: ServerProcesses;
  /** An empty database of its own: a new SQLite file, or a new PostgreSQL database. */
  freshDatabase(): Promise<{ url: string; name: string }>;
  /**
   * Environment for a server on the run's database (SQLite: a new file, which `run` reuses),
   * with a project of the test's own and one INIT key per role.
   */
  projectEnv(databaseUrl?: string): ProjectEnv;
}

interface ProjectEnv {
  env: Record<string, string>;
  project: string;
  admin: string;
  read: string;
  ingest: string;
}

function adminConnection(): pg.Client {
  return new pg.Client({ connectionString: process.env.DATABASE_URL });
}

async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = adminConnection();
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const it = base.extend<{ lab: Lab }>({
  lab: async ({}, use) => {
    const processes = new ServerProcesses();
    const cleanups: (() => Promise<unknown>)[] = [];
    const sqliteFile = () => {
      const folder = mkdtempSync(join(tmpdir(), 'sightline-lifecycle-'));
      cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
      return `file:${join(folder, 'sightline.db')}`;
    };
    await use({
      processes,
      async freshDatabase() {
        if (!onPostgres) {
          const url = sqliteFile();
          return { url, name: url };
        }
        const name = `sightline_lifecycle_${randomBytes(6).toString('hex')}`;
        await adminQuery(`CREATE DATABASE ${name}`);
        cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        const url = new URL(process.env.DATABASE_URL!);
        url.pathname = `/${name}`;
        return { url: url.toString(), name };
      },
      projectEnv(databaseUrl) {
        const keys = { project: `lifecycle-${randomUUID()}`, admin: secret(), read: secret(), ingest: secret() };
        return {
          ...keys,
          env: {
            DATABASE_URL: databaseUrl ?? (onPostgres ? process.env.DATABASE_URL! : sqliteFile()),
            SIGHTLINE_INIT_PROJECT: keys.project,
            SIGHTLINE_INIT_ADMIN_KEY: keys.admin,
            SIGHTLINE_INIT_READ_KEY: keys.read,
            SIGHTLINE_INIT_INGEST_KEY: keys.ingest,
          },
        };
      },
    });
    // Processes first: a database is dropped only once nothing uses it.
    await processes.killAll();
    for (const cleanup of cleanups.reverse()) await cleanup();
  },
});

/** Fails with the process output when the promise does not settle in time. */
async function within<T>(promise: Promise<T>, ms: number, what: string, server?: ServerProcess): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms${server ? `\n${describeOutput(server)}` : ''}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops a server as an operator would, and checks it went quietly. */
async function stopGracefully(server: ServerProcess): Promise<void> {
  server.kill('SIGTERM');
  expect(await within(server.exited, 10_000, 'exit after SIGTERM', server), describeOutput(server)).toEqual({ code: 0, signal: null });
}

/** Polls /healthz until it answers `status`; the server's pool recovers on its own schedule. */
async function healthzBecomes(server: ServerProcess, status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'none';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === status) return;
      last = String(response.status);
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/healthz did not answer ${status} within ${timeoutMs} ms (last: ${last})\n${describeOutput(server)}`);
}

/** A graphql-ws connection, acknowledged, whose close event the test can await. */
async function openSocket(url: string, key: string): Promise<{ client: Client; closed: Promise<{ code: number; reason: string }> }> {
  let connected!: () => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    connected = resolve;
    failed = reject;
  });
  let onClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: false,
    retryAttempts: 0,
    // The close is what the test observes, through `closed`.
    onNonLazyError: () => {},
    on: {
      connected: () => connected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason });
        failed(new Error(`socket closed before it was acknowledged: ${code} ${reason}`));
      },
    },
  });
  await ready;
  return { client, closed };
}

/**
 * A POST that asks `Expect: 100-continue`: the server's "100 Continue" proves it has taken the
 * request in, and the body goes only when the test says so. That makes "a request in flight
 * when the signal arrives" a certainty instead of a race.
 */
function postInTwoSteps(port: number, key: string, body: string) {
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path: '/graphql',
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      authorization: `Bearer ${key}`,
      expect: '100-continue',
    },
  });
  const taken = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.once('error', reject);
    });
  });
  req.flushHeaders();
  return { taken, response, sendBody: () => new Promise<void>((resolve) => req.end(body, () => resolve())) };
}

interface Expected {
  events: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/**
 * 100 events of an agent at work, spread over the sessions: LLM calls with their tool calls as
 * children, logs, and now and then an error. `totals` accumulates what the server must count.
 */
function agentBatch(sessionKeys: string[], batch: number, totals: Map<string, Expected>): EventInputJson[] {
  const events: EventInputJson[] = [];
  let lastLlmId: string | undefined;
  for (let i = 0; i < 100; i++) {
    const sessionKey = sessionKeys[i % sessionKeys.length]!;
    const timestamp = at((batch * 100 + i) * 250);
    const seq = batch * 100 + i;
    let item: EventInputJson;
    if (i % 4 === 0) {
      item = llmCall(sessionKey, {
        timestamp,
        promptTokens: 300 + seq,
        completionTokens: 20 + (seq % 17),
        costUsd: (300 + seq) * 0.000_001 + (seq % 7) * 0.000_01,
      });
      lastLlmId = item.id;
    } else if (i % 4 === 1) {
      item = event(sessionKey, {
        type: 'TOOL_CALL',
        parentId: lastLlmId,
        timestamp,
        name: ['search_orders', 'lookup_customer', 'send_email'][seq % 3]!,
        durationMs: 40 + (seq % 13),
        input: { orderId: `ord_${seq}`, fields: ['status', 'eta'] },
        output: { status: 'shipped', eta: '2026-11-22', carrier: { name: 'DHL', tracking: `JD${seq}` } },
      });
    } else if (i % 20 === 2) {
      item = event(sessionKey, {
        type: 'ERROR',
        timestamp,
        name: 'tool_failure',
        errorType: 'TimeoutError',
        errorMessage: `lookup_customer timed out after 30 s (attempt ${seq})`,
      });
    } else {
      item = event(sessionKey, {
        timestamp,
        name: 'agent.log',
        metadata: { step: seq, note: 'considered the customer’s last three orders', tags: ['support', 'eu'] },
      });
    }
    events.push(item);
    const sum = totals.get(sessionKey) ?? { events: 0, errors: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
    sum.events += 1;
    if (item.type === 'ERROR') sum.errors += 1;
    sum.promptTokens += item.promptTokens ?? 0;
    sum.completionTokens += item.completionTokens ?? 0;
    sum.costUsd += item.costUsd ?? 0;
    totals.set(sessionKey, sum);
  }
  return events;
}

/** Every event key of a session, page by page, in timeline order. */
async function readSession(url: string, key: string, sessionKey: string) {
  const keys: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { session }: LifecycleSessionEventsQuery = await execute(url, LifecycleSessionEvents, { key: sessionKey, after }, { key });
    if (!session) throw new Error(`session ${sessionKey} is missing`);
    keys.push(...session.events.edges.map((edge) => edge.node.key));
    if (!session.events.pageInfo.hasNextPage) return { session, keys };
    after = session.events.pageInfo.endCursor ?? null;
  }
}

/** The factories' loose JSON shape, as the generated input type (its `type` is an enum there). */
const asInput = (events: EventInputJson[]) => events as EventInput[];

/** Secrets the server printed for a person to copy: a line holding nothing but a generated key. */
function printedSecrets(stdout: string): string[] {
  return [...stdout.matchAll(/^[ \t]*(sl_[A-Za-z0-9_-]{20,})[ \t]*$/gm)].map((match) => match[1]!);
}

function sorted<T>(values: Iterable<T>): T[] {
  return [...values].sort();
}

describe.concurrent('a crash right after an acknowledged batch (SIGKILL)', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('loses nothing: after a restart every acknowledged event is there exactly once, counters exact', async ({ lab }) => {
    const project = lab.projectEnv();
    const first = await lab.processes.start(project.env);
    const sessionKeys = Array.from({ length: 5 }, () => uniqueKey('crash'));
    const totals = new Map<string, Expected>();
    const sent: EventInputJson[][] = [];
    for (let batch = 0; batch < 10; batch++) {
      const events = agentBatch(sessionKeys, batch, totals);
      sent.push(events);
      const { ingestBatch } = await execute(first.url, LifecycleIngest, { input: { events: asInput(events) } }, { key: project.ingest });
      expect(ingestBatch).toEqual({ accepted: 100, duplicates: 0, rejected: [] });
    }
    // The last batch was answered a moment ago: "committed before this answer is sent".
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await lab.processes.start(project.env);
    // Sending the last batch again proves the ids survived too: all duplicates, nothing twice.
    const { ingestBatch: again } = await execute(second.url, LifecycleIngest, { input: { events: asInput(sent[9]!) } }, { key: project.ingest });
    expect(again).toEqual({ accepted: 0, duplicates: 100, rejected: [] });

    for (const sessionKey of sessionKeys) {
      const expected = totals.get(sessionKey)!;
      const { session, keys } = await readSession(second.url, project.read, sessionKey);
      const sentKeys = sent.flat().filter((e) => e.sessionKey === sessionKey).map((e) => e.id);
      expect(keys.length).toBe(sentKeys.length);
      expect(sorted(keys)).toEqual(sorted(sentKeys));
      expect(session.events.totalCount).toBe(expected.events);
      expect(session.eventCount).toBe(expected.events);
      expect(session.errorCount).toBe(expected.errors);
      expect(session.promptTokens).toBe(expected.promptTokens);
      expect(session.completionTokens).toBe(expected.completionTokens);
      expect(session.costUsd).toBeCloseTo(expected.costUsd, 9);
    }
    // Nothing more either: no session appeared twice or out of nowhere.
    const { sessions } = await execute(second.url, LifecycleTotals, undefined, { key: project.read });
    expect(sessions.totalCount).toBe(5);
    expect(sorted(sessions.edges.map((edge) => edge.node.key))).toEqual(sorted(sessionKeys));
  });
});

describe.concurrent('SIGTERM', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('answers the request in flight, closes WebSockets with 1001, refuses new connections, exits 0 within 10 s', async ({ lab }) => {
    const project = lab.projectEnv();
    const server = await lab.processes.start(project.env);
    const socket = await openSocket(server.url, project.read);
    const sessionKey = uniqueKey('sigterm');
    const events = Array.from({ length: 1000 }, (_, i) =>
      i % 3 === 0 ? llmCall(sessionKey, { timestamp: at(i * 10) }) : event(sessionKey, { timestamp: at(i * 10), metadata: { i } }),
    );
    const body = JSON.stringify({ query: print(LifecycleIngest), variables: { input: { events } } });
    const post = postInTwoSteps(server.port, project.ingest, body);
    await post.taken;

    const signalledAt = Date.now();
    server.kill('SIGTERM');
    expect(await within(socket.closed, 5_000, 'WebSocket close after SIGTERM', server)).toMatchObject({ code: 1001 });
    // The socket was closed by stop(), after it stopped listening: nobody new gets in.
    expect(await connectionRefused(server.port)).toBe(true);
    // The request's body has not even been sent, so the server is certainly still shutting down.
    expect(server.hasExited()).toBe(false);
    server.kill('SIGTERM');

    await post.sendBody();
    const answer = await within(post.response, 9_000, 'answer to the in-flight batch', server);
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { ingestBatch: { accepted: 1000, duplicates: 0, rejected: [] } } });

    const exit = await within(server.exited, 10_000 - (Date.now() - signalledAt), 'exit after SIGTERM', server);
    expect(exit, describeOutput(server)).toEqual<Exit>({ code: 0, signal: null });
    expect(await connectionRefused(server.port)).toBe(true);
    await socket.client.dispose();

    // The answered batch was committed: a new process serves it.
    const restarted = await lab.processes.start(project.env);
    const { session } = await readSession(restarted.url, project.read, sessionKey);
    expect(session.eventCount).toBe(1000);
    expect(session.events.totalCount).toBe(1000);
  });
});

describe.concurrent('npm start', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('hands signals to the server: SIGTERM to npm makes it exit 0 and the server stops listening', async ({ lab }) => {
    const project = lab.projectEnv();
    const npm = await lab.processes.start(project.env, { via: 'npm' });
    const { viewer } = await execute(npm.url, LifecycleViewer, undefined, { key: project.read });
    expect(viewer).toEqual({ role: 'READ', project: { name: project.project } });

    npm.kill('SIGTERM');
    expect(await within(npm.exited, 10_000, 'npm exit after SIGTERM', npm), describeOutput(npm)).toEqual<Exit>({ code: 0, signal: null });
    // Without `exec`, the shell between npm and node dies and leaves the server running.
    expect(await connectionRefused(npm.port)).toBe(true);
  });
});

describe.concurrent('bootstrap', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('creates the SIGHTLINE_INIT_* keys with their roles, and nothing new on a restart with the same env', async ({ lab }) => {
    const project = lab.projectEnv();
    const first = await lab.processes.start(project.env);
    for (const [role, key] of [['ADMIN', project.admin], ['READ', project.read], ['INGEST', project.ingest]] as const) {
      const { viewer } = await execute(first.url, LifecycleViewer, undefined, { key });
      expect(viewer).toEqual({ role, project: { name: project.project } });
    }
    // The roles are real roles, not labels.
    await executeError(first.url, LifecycleCreateApiKey, { input: { name: 'nope', role: 'READ' } }, { key: project.read }, 'FORBIDDEN');
    await executeError(first.url, LifecycleApiKeys, undefined, { key: project.ingest }, 'FORBIDDEN');
    const { apiKeys: before } = await execute(first.url, LifecycleApiKeys, undefined, { key: project.admin });
    expect(sorted(before.map((k) => k.role))).toEqual(['ADMIN', 'INGEST', 'READ']);
    expect(before.every((k) => k.revokedAt === null)).toBe(true);
    expect(printedSecrets(first.stdout()), describeOutput(first)).toEqual([]);
    await stopGracefully(first);

    const second = await lab.processes.start(project.env);
    const { apiKeys: after } = await execute(second.url, LifecycleApiKeys, undefined, { key: project.admin });
    expect(sorted(after.map((k) => k.id))).toEqual(sorted(before.map((k) => k.id)));
    const { viewer } = await execute(second.url, LifecycleViewer, undefined, { key: project.ingest });
    expect(viewer.role).toBe('INGEST');
    expect(printedSecrets(second.stdout()), describeOutput(second)).toEqual([]);
  });

  it('on an empty database with no INIT key, prints a working ADMIN secret on the first start only', async ({ lab }) => {
    const { url } = await lab.freshDatabase();
    const first = await lab.processes.start({ DATABASE_URL: url });
    const printed = printedSecrets(first.stdout());
    expect(printed, describeOutput(first)).toHaveLength(1);
    const admin = printed[0]!;
    expect(first.stdout()).toMatch(/createApiKey|keys create/);
    const { viewer } = await execute(first.url, LifecycleViewer, undefined, { key: admin });
    expect(viewer).toEqual({ role: 'ADMIN', project: { name: 'default' } });
    await stopGracefully(first);

    const second = await lab.processes.start({ DATABASE_URL: url });
    expect(printedSecrets(second.stdout()), describeOutput(second)).toEqual([]);
    expect(second.stdout()).not.toContain(admin);
    const { apiKeys } = await execute(second.url, LifecycleApiKeys, undefined, { key: admin });
    expect(apiKeys.map((k) => k.role)).toEqual(['ADMIN']);
  });

  it('refuses to start with an INIT key shorter than 20 characters, naming the variable', async ({ lab }) => {
    const { env } = lab.projectEnv();
    const server = await lab.processes.spawn({ ...env, SIGHTLINE_INIT_ADMIN_KEY: 'short-secret-123' });
    const exit = await within(server.exited, 30_000, 'exit on a short INIT key', server);
    expect(exit.signal).toBeNull();
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(server.stdout() + server.stderr()).toMatch(/SIGHTLINE_INIT_ADMIN_KEY.*20/);
  });
});

describe.concurrent('/healthz', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('answers 200 with a JSON body while the database answers', async ({ lab }) => {
    const server = await lab.processes.start(lab.projectEnv().env);
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body: unknown = await response.json();
    expect(typeof body === 'object' && body !== null && !Array.isArray(body)).toBe(true);
  });

  it.skipIf(!onPostgres)(
    'answers 503 while PostgreSQL refuses connections, and 200 again once it accepts them, without a restart (PostgreSQL only: SQLite is a file that cannot go away)',
    async ({ lab }) => {
      const { url, name } = await lab.freshDatabase();
      const server = await lab.processes.start({ DATABASE_URL: url });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      await adminQuery(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      await healthzBecomes(server, 503, 15_000);

      await adminQuery(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      await healthzBecomes(server, 200, 15_000);
      expect(server.hasExited()).toBe(false);
    },
  );
});

describe.concurrent('invalid configuration', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('exits non-zero naming DATABASE_URL when it is not SQLite or PostgreSQL', async ({ lab }) => {
    const server = await lab.processes.spawn({ DATABASE_URL: 'mysql://x' });
    const exit = await within(server.exited, 30_000, 'exit on a bad DATABASE_URL', server);
    expect(exit.signal).toBeNull();
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(server.stdout() + server.stderr()).toContain('DATABASE_URL');
  });
});
