/**
 * The SDK as a package user gets it: compiled by its own tsconfig (what `npm run build:sdk`
 * runs), importing nothing the server alone needs, and working as plain JavaScript in a process
 * of its own, including the flush when that process runs out of work and exits.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { execute } from './helpers/execute.js';
import { uniqueKey } from './helpers/factories.js';
import { repositoryRoot } from './helpers/process.js';
import { startServer, type TestServer } from './helpers/server.js';

const SdkPackageSessions = graphql(`
  query SdkPackageSessions {
    sessions(orderBy: { field: STARTED_AT, direction: ASC }) {
      edges { node { key name status eventCount errorCount tags agent { name } tree { depth event { type name } } } }
    }
  }
`);

const SdkPackageSession = graphql(`
  query SdkPackageSession($key: String!) {
    session(key: $key) {
      status
      eventCount
      events(first: 10) { edges { node { type input output } } }
    }
  }
`);

/** Where the compiled SDK goes: under dist/ (ignored by git), so `ws` and `graphql-ws` resolve. */
const outDir = join(repositoryRoot, 'dist', `.sdk-test-${randomBytes(6).toString('hex')}`);
let server: TestServer;

beforeAll(async () => {
  const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const [started] = await Promise.all([
    startServer(),
    promisify(execFile)(process.execPath, [tsc, '-p', join(repositoryRoot, 'src/sdk/tsconfig.json'), '--outDir', outDir], { cwd: repositoryRoot }),
  ]);
  server = started;
});
afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await server?.stop();
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('SDK package', () => {
  it('compiles to JavaScript with declarations that imports only graphql-ws, ws and Node built-ins', () => {
    const compiled = files(outDir);
    expect(compiled.map((path) => relative(outDir, path))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'tracker.js', 'watch.js', 'generated/graphql.js']));
    const imported = new Set<string>();
    for (const path of compiled.filter((p) => p.endsWith('.js'))) {
      const source = readFileSync(path, 'utf8');
      for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm)) {
        const specifier = match[1] ?? match[2] ?? match[3]!;
        if (!specifier.startsWith('.')) imported.add(specifier);
      }
    }
    expect([...imported].sort()).toEqual(['graphql-ws/client', 'node:async_hooks', 'node:http', 'node:https', 'ws']);
  });

  it('runs as plain JavaScript and sends what it buffered when the process runs out of work', async () => {
    const project = await server.newProject();
    const key = uniqueKey('exit');
    const script = join(outDir, 'exit-check.mjs');
    // No flush, no shutdown, a long interval: only the exit flush can deliver these events.
    writeFileSync(
      script,
      `import { Tracker } from './index.js';
       const tracker = new Tracker({ apiKey: process.env.KEY, endpoint: process.env.URL, session: { key: process.env.SESSION_KEY }, flushIntervalMs: 60000 });
       tracker.question('Are you there?');
       tracker.answer('Yes.');
       console.log('agent done');`,
    );
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, KEY: project.ingest, URL: server.url, SESSION_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'agent done' });

    const { session } = await execute(server.url, SdkPackageSession, { key }, { key: project.read });
    expect(session).toEqual({
      status: 'SUCCEEDED',
      eventCount: 2,
      events: {
        edges: [
          { node: { type: 'QUESTION', input: { text: 'Are you there?' }, output: null } },
          { node: { type: 'ANSWER', input: null, output: { text: 'Yes.' } } },
        ],
      },
    });
  });

  it('runs the example agent against a local server, using every helper', async () => {
    const project = await server.newProject();
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/support-agent.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, SIGHTLINE_API_KEY: project.ingest, SIGHTLINE_READ_KEY: project.read, SIGHTLINE_ENDPOINT: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('voice call failed as expected: speech-to-text service unavailable');
    expect(output).toContain('sent: everything');
    expect(output).not.toContain('sightline:');

    const { sessions } = await execute(server.url, SdkPackageSessions, undefined, { key: project.read });
    const summary = sessions.edges.map(({ node }) => [node.name, node.status, node.eventCount, node.errorCount, node.agent?.name]);
    expect(summary).toEqual([
      ['Web chat', 'RUNNING', 21, 2, 'support-agent'],
      ['nightly report', 'SUCCEEDED', 2, 0, 'support-agent'],
      ['voice call', 'FAILED', 2, 1, 'support-agent'],
      ['manual review', 'SUCCEEDED', 1, 0, 'support-agent'],
      [null, 'SUCCEEDED', 1, 0, 'support-agent'],
    ]);
    const chat = sessions.edges[0]!.node;
    const types = new Set(chat.tree.map((node) => node.event.type));
    for (const type of ['QUESTION', 'ANSWER', 'ACTION', 'TOOL_CALL', 'DECISION', 'LLM_CALL', 'ERROR', 'FEEDBACK', 'AGENT', 'OPERATION', 'LOG']) {
      expect(types.has(type as never), type).toBe(true);
    }
    expect(chat.tree.slice(0, 8).map((node) => [node.depth, node.event.type, node.event.name])).toEqual([
      [0, 'QUESTION', null],
      [0, 'AGENT', 'support-agent'],
      [1, 'LLM_CALL', 'classify-intent'],
      [1, 'DECISION', 'route'],
      [1, 'OPERATION', 'fetch-order'],
      [2, 'TOOL_CALL', 'orders.lookup'],
      [1, 'LLM_CALL', 'gpt-4o'],
      [0, 'ANSWER', null],
    ]);
  });
});
