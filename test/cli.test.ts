/**
 * The operator CLI (`npm run cli -- keys ...`) as a child process against the run's database,
 * proven through a real server on that same database: a created key authenticates with its role,
 * `keys list` shows it without the secret, `keys revoke` makes it fail with UNAUTHENTICATED.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { execute, executeError, request } from './helpers/execute.js';
import { onPostgres, testDatabaseUrl } from './helpers/database.js';
import { uniqueKey } from './helpers/factories.js';
import { startServer, type TestServer } from './helpers/server.js';

const CliViewer = graphql(`
  query CliViewer {
    viewer {
      role
      project { name }
      apiKey { id name prefix agent { name } }
    }
  }
`);

const CliApiKeys = graphql(`
  query CliApiKeys {
    apiKeys { id name role prefix lastUsedAt revokedAt }
  }
`);

const CliStartSession = graphql(`
  mutation CliStartSession($input: StartSessionInput!) {
    startSession(input: $input) { key agent { name } }
  }
`);

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
/** Variables the test process may carry that would change what the CLI does. */
const SERVER_VARIABLES = /^(PORT|HOST|DATABASE_URL|REDIS_URL|LOG_LEVEL|SIGHTLINE_.*)$/;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run cli` does (tsx on src/cli.ts, from the repository root) and waits for it to exit. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SERVER_VARIABLES.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: repositoryRoot,
    env: { ...inherited, DATABASE_URL: databaseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Fails with everything the CLI printed when it did not exit 0. */
async function cliOk(args: string[], env?: Record<string, string>): Promise<CliResult> {
  const result = await cli(args, env);
  if (result.code !== 0) throw new Error(`cli ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

/** `keys create`: stdout is the secret alone, so scripts can capture it. */
async function createKey(project: string, name: string, role: string, extra: string[] = []): Promise<string> {
  const { stdout, stderr } = await cliOk(['keys', 'create', '--project', project, '--name', name, '--role', role, ...extra]);
  expect(stdout).toMatch(/^\S{20,}\n$/);
  expect(stderr).toContain(`"${name}"`);
  return stdout.trim();
}

/** `keys list`, its output and its rows parsed by the header: one record per key. */
async function listKeys(project: string): Promise<{ stdout: string; rows: Record<string, string>[] }> {
  const { stdout } = await cliOk(['keys', 'list', '--project', project]);
  const [header, ...lines] = stdout.trimEnd().split('\n');
  const columns = header!.split(/\s{2,}/);
  expect(columns).toEqual(['ID', 'NAME', 'ROLE', 'PREFIX', 'AGENT', 'CREATED', 'LAST USED', 'REVOKED']);
  return { stdout, rows: lines.map((line) => Object.fromEntries(line.split(/\s{2,}/).map((cell, i) => [columns[i]!, cell]))) };
}

const uniqueProject = () => `cli-${randomUUID()}`;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let databaseUrl: string;
let server: TestServer;
beforeAll(async () => {
  databaseUrl = testDatabaseUrl();
  server = await startServer({ DATABASE_URL: databaseUrl });
});
afterAll(() => server.stop());

describe('keys create', () => {
  it('creates the project and keys the server accepts with their roles; --project defaults to SIGHTLINE_INIT_PROJECT', async () => {
    const project = uniqueProject();
    const agent = uniqueKey('cli-agent');
    const [admin, read, ingest] = await Promise.all([
      createKey(project, 'ops', 'ADMIN'),
      createKey(project, 'dashboard', 'READ'),
      createKey(project, 'worker', 'INGEST', ['--agent', agent]),
    ]);
    for (const [secret, role, name] of [[admin, 'ADMIN', 'ops'], [read, 'READ', 'dashboard'], [ingest, 'INGEST', 'worker']] as const) {
      const { viewer } = await execute(server.url, CliViewer, undefined, { key: secret });
      expect(viewer).toMatchObject({ role, project: { name: project }, apiKey: { name } });
      expect(secret.startsWith(viewer.apiKey.prefix)).toBe(true);
    }
    // The roles are the server's: READ may not write, INGEST gets its bound agent.
    await executeError(server.url, CliStartSession, { input: {} }, { key: read }, 'FORBIDDEN');
    const { startSession } = await execute(server.url, CliStartSession, { input: {} }, { key: ingest });
    expect(startSession.agent?.name).toBe(agent);

    // No --project: the configured init project (here the same unique one, so runs never share it),
    // which now exists and gets the key added.
    const { stdout } = await cliOk(['keys', 'create', '--name', 'later', '--role', 'read'], { SIGHTLINE_INIT_PROJECT: project });
    const { viewer } = await execute(server.url, CliViewer, undefined, { key: stdout.trim() });
    expect(viewer).toMatchObject({ role: 'READ', project: { name: project }, apiKey: { name: 'later' } });
    const { apiKeys } = await execute(server.url, CliApiKeys, undefined, { key: admin });
    // The first three were created concurrently, so in any order.
    expect(apiKeys.map((key) => `${key.name}:${key.role}`).sort()).toEqual(['dashboard:READ', 'later:READ', 'ops:ADMIN', 'worker:INGEST']);
  });

  it.skipIf(onPostgres)('works on a fresh database, applying the migrations first', async () => {
    const fresh = testDatabaseUrl();
    const project = uniqueProject();
    const created = await cliOk(['keys', 'create', '--project', project, '--name', 'boot', '--role', 'ADMIN'], { DATABASE_URL: fresh });
    expect(created.stderr).toMatch(/applied migration/);
    const again = await cliOk(['keys', 'list', '--project', project], { DATABASE_URL: fresh });
    expect(again.stderr).not.toMatch(/applied migration/);
    expect(again.stdout).toContain('boot');
  });
});

describe('keys list', () => {
  it('shows every key of the project with its metadata, never a secret, nothing of other projects', async () => {
    const agent = uniqueKey('cli-agent');
    const project = await server.newProject({ ingestAgentName: agent });
    const other = await server.newProject();
    const before = Date.now();
    await execute(server.url, CliViewer, undefined, { key: project.ingest });
    const { apiKeys } = await execute(server.url, CliApiKeys, undefined, { key: project.admin });
    const otherKeys = await execute(server.url, CliApiKeys, undefined, { key: other.admin });

    const { stdout, rows } = await listKeys(project.name);
    for (const secret of [project.admin, project.read, project.ingest]) {
      expect(stdout).not.toContain(secret);
      expect(stdout).not.toContain(secret.slice(-16));
    }
    // Ids are the API's global ids, so an operator can cross-reference both.
    expect(rows.map((row) => [row.ID, row.NAME, row.ROLE, row.PREFIX])).toEqual(apiKeys.map((key) => [key.id, key.name, key.role, key.prefix]));
    const byName = Object.fromEntries(rows.map((row) => [row.NAME, row]));
    expect(byName['read-key']).toMatchObject({ ROLE: 'READ', AGENT: '-', REVOKED: '-' });
    expect(byName['ingest-key']).toMatchObject({ ROLE: 'INGEST', AGENT: agent, REVOKED: '-' });
    for (const row of rows) expect(row.CREATED).toMatch(ISO);
    // Used keys show when (the API's lastUsedAt; milliseconds in the table).
    const ingestRow = byName['ingest-key']!;
    expect(ingestRow['LAST USED']).toMatch(ISO);
    expect(Date.parse(ingestRow['LAST USED']!)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(ingestRow['LAST USED']!)).toBe(Date.parse(apiKeys.find((key) => key.name === 'ingest-key')!.lastUsedAt!));
    // The other project's keys (same names) are not listed.
    for (const key of otherKeys.apiKeys) {
      expect(stdout).not.toContain(key.id);
      expect(stdout).not.toContain(key.prefix);
    }
  });
});

describe('keys revoke', () => {
  it('by id or prefix: the key fails with UNAUTHENTICATED at once; list and API agree on revokedAt; again keeps it', async () => {
    const project = await server.newProject();
    const readId = (await execute(server.url, CliViewer, undefined, { key: project.read })).viewer.apiKey.id;
    const ingestPrefix = (await execute(server.url, CliViewer, undefined, { key: project.ingest })).viewer.apiKey.prefix;

    const [byId, byPrefix] = await Promise.all([
      cliOk(['keys', 'revoke', readId, '--project', project.name]),
      cliOk(['keys', 'revoke', ingestPrefix, '--project', project.name]),
    ]);
    expect(byId.stdout).toContain('Revoked READ key "read-key"');
    expect(byPrefix.stdout).toContain('Revoked INGEST key "ingest-key"');
    for (const key of [project.read, project.ingest]) {
      const refused = await request(server.url, CliViewer, undefined, { key });
      expect(refused.status).toBe(401);
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    // Only those keys.
    expect((await execute(server.url, CliViewer, undefined, { key: project.admin })).viewer.role).toBe('ADMIN');

    const { apiKeys } = await execute(server.url, CliApiKeys, undefined, { key: project.admin });
    const revokedAt = Object.fromEntries(apiKeys.map((key) => [key.name, key.revokedAt]));
    expect(revokedAt['admin-key']).toBeNull();
    const [{ rows }, again] = await Promise.all([
      listKeys(project.name),
      cliOk(['keys', 'revoke', readId, '--project', project.name]),
    ]);
    for (const row of rows) {
      expect({ name: row.NAME, revoked: row.REVOKED === '-' ? null : Date.parse(row.REVOKED!) }).toEqual({
        name: row.NAME,
        revoked: revokedAt[row.NAME!] ? Date.parse(revokedAt[row.NAME!]!) : null,
      });
    }
    const readRow = rows.find((row) => row.ID === readId)!;
    expect(again.stdout).toContain(`already revoked at ${readRow.REVOKED}`);
    const after = await execute(server.url, CliApiKeys, undefined, { key: project.admin });
    expect(after.apiKeys.find((key) => key.id === readId)!.revokedAt).toBe(revokedAt['read-key']);
  });

  it('cannot reach a key of another project, nor an unknown one: exit 1, and the key still works', async () => {
    const project = await server.newProject();
    const other = await server.newProject();
    const { viewer } = await execute(server.url, CliViewer, undefined, { key: other.read });

    const references = [viewer.apiKey.id, viewer.apiKey.prefix, 'no-such-key'];
    const results = await Promise.all(references.map((reference) => cli(['keys', 'revoke', reference, '--project', project.name])));
    results.forEach((result, i) => {
      expect({ reference: references[i], code: result.code, stdout: result.stdout }).toEqual({ reference: references[i], code: 1, stdout: '' });
      expect(result.stderr).toContain(`in project "${project.name}"`);
    });
    expect((await execute(server.url, CliViewer, undefined, { key: other.read })).viewer.role).toBe('READ');
  });
});

describe('bad invocations', () => {
  it('exit 2 with a clear message and the usage, before touching the database; an unknown project exits 1', async () => {
    const project = uniqueProject();
    const cases: [string[], string][] = [
      [[], 'Usage:'],
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['keys', 'rotate'], 'unknown command "keys rotate"'],
      [['keys', 'create', '--project', project, '--name', 'x'], 'keys create needs --role'],
      [['keys', 'create', '--project', project, '--role', 'READ'], 'keys create needs --name'],
      [['keys', 'create', '--project', project, '--name', 'x', '--role', 'OWNER'], 'unknown role "OWNER"'],
      [['keys', 'create', '--project', project, '--name', 'x', '--role', 'READ', '--colour', 'red'], "Unknown option '--colour'"],
      [['keys', 'create', '--project', project, '--name', ' ', '--role', 'READ'], '--name must not be empty'],
      [['keys', 'list', '--project', project, 'extra'], 'unexpected argument "extra"'],
      [['keys', 'revoke', '--project', project], 'missing argument'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('Usage:');
      expect(result.stderr).toContain('keys create --name <name> --role INGEST|READ|ADMIN');
    });
    // None of the create attempts made the project; list says so and fails (1: understood, not possible).
    const list = await cli(['keys', 'list', '--project', project]);
    expect(list).toMatchObject({ code: 1, stdout: '' });
    expect(list.stderr).toContain(`no project named "${project}"`);
    expect(list.stderr).not.toContain('Usage:');
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('keys revoke <global id or prefix>');
  });
});
