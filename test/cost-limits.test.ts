import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_LIMITS } from '../src/plugins/use-cost-limits.js';
import { request } from './helpers/execute.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

let server: TestServer;
let project: TestProject;
beforeAll(async () => {
  server = await startServer();
  project = await server.newProject();
});
afterAll(() => server.stop());

async function refusal(query: string): Promise<string> {
  const response = await request(server.url, query, undefined, { key: project.read });
  expect(response.status).toBe(400);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  return response.errors![0]!.message;
}

const dashboardQuery = `
  query CostDashboard($after: String) {
    viewer { role project { name } }
    agents { id name sessionCount }
    sessions(first: 50, after: $after, orderBy: { field: LAST_EVENT_AT, direction: DESC },
             filter: { status: [RUNNING, FAILED], tagsAny: ["prod"], hasErrors: true }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id key name status tags metadata startedAt endedAt lastEventAt durationMs
          eventCount errorCount promptTokens completionTokens costUsd timelineCursor
          agent { id name sessionCount }
          events(first: 10, filter: { types: [ERROR, LLM_CALL] }) {
            totalCount
            edges { cursor node { id key type name status timestamp durationMs model costUsd errorMessage
              parent { id key type } children { id key type } session { id key agent { name } } } }
          }
          tree { depth parentId event { id key type name timestamp } }
        }
      }
    }
  }`;

describe('cost limits', () => {
  it('let a realistic dashboard query and GraphiQL introspection through', async () => {
    const dashboard = await request(server.url, dashboardQuery, { after: null }, { key: project.read });
    expect(dashboard.errors).toBeUndefined();
    expect(dashboard.data).toMatchObject({ viewer: { role: 'READ' }, sessions: { totalCount: 0 } });
    const introspection = await request(server.url, getIntrospectionQuery({ descriptions: true }), undefined, { key: project.read });
    expect(introspection.errors).toBeUndefined();
  });

  it('refuse nesting deeper than the limit, naming it', async () => {
    let selection = 'key';
    for (let i = 0; i < COST_LIMITS.maxDepth; i++) selection = `parent { ${selection} }`;
    const message = await refusal(`query { node(id: "x") { ... on Event { ${selection} } } }`);
    expect(message).toMatch(/depth/i);
    expect(message).toContain(String(COST_LIMITS.maxDepth));
  });

  it('refuse an alias flood', async () => {
    const aliases = Array.from({ length: COST_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: viewer { role }`).join(' ');
    expect(await refusal(`query { ${aliases} }`)).toMatch(/alias/i);
  });

  it('refuse a document with too many tokens', async () => {
    const fields = Array.from({ length: COST_LIMITS.maxTokens }, () => 'role').join(' ');
    expect(await refusal(`query { viewer { ${fields} } }`)).toMatch(/token/i);
  });

  it('refuse a directive flood', async () => {
    const directives = Array.from({ length: COST_LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
    expect(await refusal(`query { viewer { role ${directives} } }`)).toMatch(/directive/i);
  });

  it('refuse one list-times-list query that would return far more than a screen', async () => {
    const message = await refusal(`query { sessions(first: 500) { edges { node { key
      events(first: 1000) { edges { node { id key type name timestamp input output metadata } } } } } } }`);
    expect(message).toMatch(/cost/i);
  });

  it('refuse a query whose cost is over the limit, even within depth and alias limits', async () => {
    const wide = 'id key name status tags metadata startedAt endedAt lastEventAt durationMs eventCount errorCount costUsd';
    const perAlias = `sessions(first: 500) { edges { node { ${wide} agent { id name sessionCount }
      events(first: 1000) { edges { node { id key type name timestamp input output metadata
        parent { id key type name } children { id key type name } } } } } } }`;
    const aliases = Array.from({ length: COST_LIMITS.maxAliases }, (_, i) => `s${i}: ${perAlias}`).join(' ');
    expect(await refusal(`query { ${aliases} }`)).toMatch(/cost/i);
  });
});
