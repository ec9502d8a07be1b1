/**
 * The number of SQL statements a request costs, pinned so that an N+1 cannot creep back: a page
 * of sessions with their agent, counters and the first page of their timelines costs the same
 * for 5 rows as for 50, and so does the agents list with sessionCount for 6 agents or 16.
 *
 * Counted at the driver, beneath both Prisma's adapter and the server's raw selects
 * (src/db/raw-select.ts), only while the request under test is in flight: better-sqlite3
 * statements as they are bound (Prisma's) or run with values (the raw ones), pg queries as they
 * are sent.
 */
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { EventInput, EventType, SessionUpsertInput } from './generated/graphql.js';
import { execute } from './helpers/execute.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const QueryCountIngest = graphql(`
  mutation QueryCountIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }
  }
`);

const QueryCountSessions = graphql(`
  query QueryCountSessions($first: Int!) {
    sessions(first: $first) {
      edges {
        node {
          id key name agent { name } eventCount errorCount costUsd
          events(first: 10) { totalCount edges { node { id type name timestamp } } }
        }
      }
    }
  }
`);

const QueryCountAgents = graphql(`
  query QueryCountAgents {
    agents { name sessionCount }
  }
`);

function iso(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

let server: TestServer;
/** The SQL of every statement sent while a counted request runs; null outside one. */
let statements: string[] | null = null;
let restore: () => void;

/** Records every statement the server's connection runs; returns what undoes it. */
function recordStatements(): () => void {
  const raw = server.app.services.db.raw;
  if (raw.provider === 'sqlite') {
    const prototype = Object.getPrototypeOf(raw.connection.prepare('SELECT 1')) as BetterSqlite3.Statement;
    const { bind, all } = prototype;
    prototype.bind = function (this: BetterSqlite3.Statement, ...values: unknown[]) {
      statements?.push(this.source);
      return bind.apply(this, values);
    } as typeof bind;
    prototype.all = function (this: BetterSqlite3.Statement, ...values: unknown[]) {
      if (values.length > 0) statements?.push(this.source);
      return all.apply(this, values);
    } as typeof all;
    return () => Object.assign(prototype, { bind, all });
  }
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const { query } = prototype;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    const sql = typeof config === 'string' ? config : config.text;
    if (!/^\s*(BEGIN|COMMIT|ROLLBACK|SET|SAVEPOINT|RELEASE)\b/i.test(sql)) statements?.push(sql);
    return query.apply(this, args);
  };
  return () => Object.assign(prototype, { query });
}

beforeAll(async () => {
  server = await startServer();
  restore = recordStatements();
});
afterAll(async () => {
  restore();
  await server.stop();
});

/** Runs `run` and returns its result with the statements sent meanwhile. */
async function counted<T>(run: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  statements = [];
  try {
    const result = await run();
    return { result, sql: statements };
  } finally {
    statements = null;
  }
}

/** What a failing count prints: one line per statement, shortened. */
const describeSql = (sql: string[]) =>
  sql.map((text, i) => {
    const flat = text.replace(/\s+/g, ' ').trim();
    return `${i + 1}. ${flat.length > 300 ? `${flat.slice(0, 120)} … ${flat.slice(-170)}` : flat}`;
  }).join('\n');

async function ingest(project: TestProject, events: EventInput[], sessions: SessionUpsertInput[] = []): Promise<void> {
  const { ingestBatch } = await execute(server.url, QueryCountIngest, { input: { events, sessions } }, { key: project.ingest });
  expect(ingestBatch).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
}

/** 60 sessions over 6 agents, 12 events each (one LLM call with a cost, one error), in one batch. */
async function fixture(project: TestProject): Promise<void> {
  const t = (Date.now() - 3 * 3_600_000) * 1000;
  const types: EventType[] = ['QUESTION', 'LLM_CALL', 'TOOL_CALL', 'ERROR', 'DECISION', 'ANSWER', 'LOG', 'LOG', 'ACTION', 'FEEDBACK', 'OPERATION', 'CUSTOM'];
  const sessions: SessionUpsertInput[] = Array.from({ length: 60 }, (_, i) => ({
    key: `s${String(i).padStart(2, '0')}`,
    name: `session ${i}`,
    agentName: `agent-${i % 6}`,
    startedAt: iso(t + i * 1_000_000),
  }));
  const events = sessions.flatMap((session, i) =>
    types.map((type, j): EventInput => ({
      id: `${session.key}-e${j}`,
      sessionKey: session.key,
      type,
      name: `${type.toLowerCase()}-${j}`,
      timestamp: iso(t + i * 1_000_000 + (j + 1) * 1000),
      ...(type === 'LLM_CALL' ? { model: 'gpt-4o', costUsd: 0.25 } : {}),
    })),
  );
  await ingest(project, events, sessions);
}

describe('SQL statements per request', () => {
  it('a page of sessions with agent, counters and events(first: 10) costs the same for 5 rows and 50', async () => {
    const project = await server.newProject();
    await fixture(project);
    const page = (first: number) => execute(server.url, QueryCountSessions, { first }, { key: project.read });
    // Warm-up: the key's lastUsedAt hint is written on its first use (fire and forget), and
    // that write must not land in a counted request; the key's project is read once, then kept.
    await page(5);

    const five = await counted(() => page(5));
    const fifty = await counted(() => page(50));

    expect(five.result.sessions.edges).toHaveLength(5);
    expect(fifty.result.sessions.edges).toHaveLength(50);
    for (const { node } of fifty.result.sessions.edges) {
      expect(node.agent?.name).toBe(`agent-${Number(node.key.slice(1)) % 6}`);
      expect(node.eventCount).toBe(12);
      expect(node.errorCount).toBe(1);
      expect(node.costUsd).toBe(0.25);
      expect(node.events.totalCount).toBe(12);
      expect(node.events.edges.map((edge) => edge.node.name)).toEqual(
        ['question-0', 'llm_call-1', 'tool_call-2', 'error-3', 'decision-4', 'answer-5', 'log-6', 'log-7', 'action-8', 'feedback-9'],
      );
    }

    // 1. authentication: the API key by its secret hash (its project was read once, at warm-up)
    // 2. the page of sessions (first + 1 rows)
    // 3. the sessions' totalCount
    // 4. firstEvents loader: every session's first 11 events (a UNION ALL of one limited read each)
    // 5. firstEvents loader: the event count per session (grouped)
    // 6. agentById loader: the agents of those sessions, by id IN (...)
    const expected = 6;
    expect(fifty.sql.length, `N=50 sent:\n${describeSql(fifty.sql)}\nN=5 sent:\n${describeSql(five.sql)}`).toBe(five.sql.length);
    expect(five.sql.length, describeSql(five.sql)).toBe(expected);
  });

  it('agents with sessionCount cost the same for 6 agents and for 16', async () => {
    const project = await server.newProject();
    await fixture(project);
    const agents = () => execute(server.url, QueryCountAgents, undefined, { key: project.read });
    await agents(); // warm-up, as above

    const six = await counted(agents);
    expect(six.result.agents).toEqual(Array.from({ length: 6 }, (_, i) => ({ name: `agent-${i}`, sessionCount: 10 })));

    await ingest(project, [], Array.from({ length: 10 }, (_, i) => ({ key: `more-${i}`, agentName: `agent-x${i}` })));
    const sixteen = await counted(agents);
    expect(sixteen.result.agents).toHaveLength(16);
    expect(sixteen.result.agents.filter((agent) => agent.name.startsWith('agent-x')).map((agent) => agent.sessionCount)).toEqual(
      Array(10).fill(1),
    );

    // 1. authentication: the API key by its secret hash (its project was read once, at warm-up)
    // 2. the project's agents
    // 3. agentSessionCount loader: sessions grouped by agent, for every listed agent at once
    const expected = 3;
    expect(sixteen.sql.length, `16 agents sent:\n${describeSql(sixteen.sql)}\n6 agents sent:\n${describeSql(six.sql)}`).toBe(six.sql.length);
    expect(six.sql.length, describeSql(six.sql)).toBe(expected);
  });
});
