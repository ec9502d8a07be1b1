/**
 * A real Sightline server for a test file: in-process (buildApp) on a free port, on the run's
 * database. Each test makes its own project with `server.newProject()`, so tests never share
 * mutable data and never wipe tables.
 */
import { randomUUID } from 'node:crypto';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/services/auth/api-keys.js';
import { testDatabaseUrl } from './database.js';

export interface TestProject {
  id: number;
  name: string;
  /** Secrets of one key per role. */
  admin: string;
  read: string;
  ingest: string;
}

export interface TestServer {
  url: string;
  app: App;
  config: Config;
  newProject(options?: { ingestAgentName?: string }): Promise<TestProject>;
  stop(): Promise<void>;
}

/** Starts a server; `env` adds or overrides environment variables of RUNNING.md. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({ DATABASE_URL: testDatabaseUrl(), PORT: '0', LOG_LEVEL: 'silent', ...env });
  const app = await buildApp(config, createLogger(config.logLevel));
  const { url } = await app.start();
  const prisma = app.services.db.prisma;
  return {
    url,
    app,
    config,
    async newProject(options = {}) {
      const project = await prisma.project.create({ data: { name: `test-${randomUUID()}` } });
      const key = async (role: 'ADMIN' | 'READ' | 'INGEST', agentName?: string) =>
        (await createApiKey(prisma, { projectId: project.id, name: `${role.toLowerCase()}-key`, role, agentName })).secret;
      return {
        id: project.id,
        name: project.name,
        admin: await key('ADMIN'),
        read: await key('READ'),
        ingest: await key('INGEST', options.ingestAgentName),
      };
    },
    stop: () => app.stop(),
  };
}
