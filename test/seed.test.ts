import { afterAll, describe, expect, it } from 'vitest';
import { seed } from '../prisma/seed.js';
import { graphql } from './generated/gql.js';
import { onPostgres, testDatabaseUrl } from './helpers/database.js';
import { execute } from './helpers/execute.js';
import { startServer, type TestServer } from './helpers/server.js';
import { randomUUID } from 'node:crypto';

const SeedSessions = graphql(`
  query SeedSessions($after: String) {
    sessions(first: 20, after: $after, orderBy: { field: STARTED_AT, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { key name tags metadata agent { name } eventCount startedAt
        events(first: 100) { edges { node { key type name timestamp parent { key } model promptTokens costUsd status } } } } }
    }
  }
`);

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop())));

/** Seeds a project, then reads everything back through a real server with an ADMIN key on it. */
async function seedAndRead(databaseUrl: string, project: string, seedNumber: number) {
  await seed(databaseUrl, project, { sessions: 20, events: 600, seed: seedNumber, bigSession: 0 });
  const secret = `seed-admin-${randomUUID()}`;
  const server = await startServer({ DATABASE_URL: databaseUrl, SIGHTLINE_INIT_PROJECT: project, SIGHTLINE_INIT_ADMIN_KEY: secret });
  servers.push(server);
  const { sessions } = await execute(server.url, SeedSessions, { after: null }, { key: secret });
  return sessions;
}

describe('npm run seed', () => {
  it('is deterministic from its seed number, realistic, and idempotent', async () => {
    // Two databases on SQLite; on PostgreSQL, two projects of the run's database.
    const first = await seedAndRead(testDatabaseUrl(), `seed-${randomUUID()}`, 7);
    const second = await seedAndRead(onPostgres ? testDatabaseUrl() : testDatabaseUrl(), `seed-${randomUUID()}`, 7);
    expect(first.totalCount).toBe(20);
    expect(second.edges).toEqual(first.edges); // cursors hold row ids, which differ between projects

    const events = first.edges.flatMap((edge) => edge.node.events.edges.map((e) => e.node));
    expect(events).toHaveLength(600);
    const types = new Set(events.map((event) => event.type));
    for (const type of ['QUESTION', 'AGENT', 'LLM_CALL', 'TOOL_CALL', 'DECISION', 'ANSWER']) expect(types).toContain(type);
    expect(events.filter((event) => event.parent).length).toBeGreaterThan(100); // nested operations
    expect(new Set(events.filter((event) => event.model).map((event) => event.model)).size).toBeGreaterThan(1);
    expect(first.edges.every((edge) => edge.node.agent?.name)).toBe(true);
  });

  it('stores nothing twice when run again', async () => {
    const databaseUrl = testDatabaseUrl();
    const project = `seed-${randomUUID()}`;
    const before = await seedAndRead(databaseUrl, project, 3);
    const after = await seedAndRead(databaseUrl, project, 3);
    expect(after.edges).toEqual(before.edges);
    expect(after.totalCount).toBe(before.totalCount);
  });
});
