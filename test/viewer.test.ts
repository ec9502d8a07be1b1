import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { execute, executeError, request } from './helpers/execute.js';
import { startServer, type TestServer } from './helpers/server.js';

const Viewer = graphql(`
  query Viewer {
    viewer {
      role
      project { id name createdAt }
      apiKey { id name role prefix revokedAt }
    }
  }
`);

const ViewerKeyDates = graphql(`
  query ViewerKeyDates {
    viewer { apiKey { id createdAt lastUsedAt revokedAt } }
  }
`);

const ListedKeyDates = graphql(`
  query ListedKeyDates {
    apiKeys { id createdAt lastUsedAt revokedAt }
  }
`);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

describe('viewer', () => {
  it('tells each key its role and project, and never the secret', async () => {
    const project = await server.newProject();
    for (const [role, key] of [['ADMIN', project.admin], ['READ', project.read], ['INGEST', project.ingest]] as const) {
      const { viewer } = await execute(server.url, Viewer, undefined, { key });
      expect(viewer.role).toBe(role);
      expect(viewer.project.name).toBe(project.name);
      expect(viewer.apiKey.role).toBe(role);
      expect(key.startsWith(viewer.apiKey.prefix)).toBe(true);
      expect(viewer.apiKey.prefix.length).toBeLessThan(key.length / 3);
      expect(viewer.project.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
  });

  it("gives the caller's key with the same dates as the key list", async () => {
    // The caller's key is read on every request without Prisma (api-key-rows.ts); the list is read through it.
    const project = await server.newProject();
    const first = await execute(server.url, ViewerKeyDates, undefined, { key: project.read });
    expect(first.viewer.apiKey.lastUsedAt).toBeNull(); // read before this request marked it used
    let listed: { id: string; createdAt: string; lastUsedAt?: string | null; revokedAt?: string | null } | undefined;
    const deadline = Date.now() + 5_000;
    // The request marks the key used after answering, so the list may not show it yet.
    while (!listed?.lastUsedAt && Date.now() < deadline) {
      const { apiKeys } = await execute(server.url, ListedKeyDates, undefined, { key: project.admin });
      listed = apiKeys.find((key) => key.id === first.viewer.apiKey.id);
    }
    expect(listed?.lastUsedAt).toBeTruthy();
    const { viewer } = await execute(server.url, ViewerKeyDates, undefined, { key: project.read });
    expect(viewer.apiKey).toEqual({ ...listed, revokedAt: null });
    expect(Date.parse(viewer.apiKey.createdAt)).toBeLessThanOrEqual(Date.parse(viewer.apiKey.lastUsedAt!));
  });

  it('refuses a request without a key, or with an unknown one, as UNAUTHENTICATED with 401', async () => {
    const missing = await request(server.url, Viewer);
    expect(missing.status).toBe(401);
    expect(missing.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await executeError(server.url, Viewer, undefined, { key: 'sl_not-a-real-key-0123456789' }, 'UNAUTHENTICATED');
    await executeError(server.url, Viewer, undefined, { headers: { authorization: 'Basic abc' } }, 'UNAUTHENTICATED');
  });
});
