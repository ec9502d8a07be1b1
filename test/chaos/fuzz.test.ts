/**
 * Hostile input (issue 6, item 3): property-based fuzzing of one real server over real HTTP and
 * WebSocket, with valid keys of each role. Every category throws one kind of hostility at it
 * (operations built from the schema, token soup, truncated documents, wrong variables, huge
 * strings, deep JSON, __proto__ keys, NaN and friends, invalid dates, invalid UTF-8, lone
 * surrogates and U+0000, alias, fragment and directive bombs, batched arrays, bodies past the
 * limit, wrong content types and methods, forged credentials, malformed graphql-ws traffic) and
 * requires of every answer: no 5xx, an answer within 2 s, every refusal a clear error (a message
 * and one of the contract's codes, never INTERNAL_SERVER_ERROR); and after every case: the server
 * still answers /healthz and a normal query, and no prototype of this process was touched (the
 * server runs in it). `__proto__` payloads must also come back as the data they were.
 *
 * Seeded: the seed is printed, SIGHTLINE_FUZZ_SEED replays a run, SIGHTLINE_FUZZ_RUNS scales the
 * cases per category (the default keeps the file near a minute and a half). A `CHAOS-FIGURES`
 * line reports cases, requests, 5xx and the slowest answer, per category.
 */
import { randomInt, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { providerName } from '../helpers/database.js';
import { execute } from '../helpers/execute.js';
import { startServer, type TestProject, type TestServer } from '../helpers/server.js';
import { printFigures } from './support/figures.js';
import {
  canonicalJson, HOSTILE_DATES, HOSTILE_NUMBER_TEXTS, HOSTILE_STRINGS, INVALID_UTF8_SEQUENCES, nestedJsonText, nestedLiteral,
  PROTO_KEYS, protoJsonText, schemaOperation, tokenSoup, type Pools,
} from './support/fuzz-arbitraries.js';
import {
  answerProblems, ANSWER_BUDGET_MS, closeAgent, codesOf, conversationProblems, describeCase, Figures, sendHttp, wsConverse,
  type HttpAnswer, type HttpCase, type WsConversation,
} from './support/fuzz-http.js';

const SEED = Number(process.env.SIGHTLINE_FUZZ_SEED ?? randomInt(2 ** 31));
const RUNS = Number(process.env.SIGHTLINE_FUZZ_RUNS ?? 40);
/** Categories whose cases move megabytes get fewer of them. */
const HEAVY_RUNS = Math.max(3, Math.ceil(RUNS / 3));
/** Small enough that bodies past it are cheap to send, large enough for multi-megabyte strings. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MiB = 1024 * 1024;

let server: TestServer;
/** The project under fire, and another one whose ids and keys are thrown at it. */
let mine: TestProject;
let other: TestProject;
let revokedKey: string;
const pools: Pools = { ids: [], keys: [], cursors: [], names: [] };
const figures = new Figures();

type Role = 'ADMIN' | 'READ' | 'INGEST' | 'none' | 'revoked' | 'other';
function keyOf(role: Role): string | undefined {
  return { ADMIN: mine.admin, READ: mine.read, INGEST: mine.ingest, none: undefined, revoked: revokedKey, other: other.read }[role];
}
const roles = fc.constantFrom<Role>('ADMIN', 'ADMIN', 'READ', 'READ', 'INGEST', 'INGEST', 'none', 'revoked', 'other');

const SeedSession = `
  query FuzzSeed($key: String!) {
    session(key: $key) {
      id timelineCursor agent { id }
      events(first: 2) { edges { cursor node { id key } } }
    }
    sessions(first: 1) { edges { cursor } }
    apiKeys { id }
    viewer { project { id } }
  }`;

async function seedProject(project: TestProject, label: string): Promise<void> {
  const key = `fuzz-${label}-${randomUUID()}`;
  const now = Date.now();
  const events = [
    { id: `${key}-root`, sessionKey: key, type: 'AGENT', name: 'root', timestamp: new Date(now - 3000).toISOString() },
    { id: `${key}-llm`, sessionKey: key, parentId: `${key}-root`, type: 'LLM_CALL', model: 'gpt-fuzz', promptTokens: 10, completionTokens: 5, costUsd: 0.01, durationMs: 12.5, timestamp: new Date(now - 2000).toISOString() },
    { id: `${key}-tool`, sessionKey: key, parentId: `${key}-root`, type: 'TOOL_CALL', name: 'search', input: { q: 'x' }, timestamp: new Date(now - 1000).toISOString() },
  ];
  await execute(
    server.url,
    'mutation FuzzSeedIngest($input: IngestBatchInput!) { ingestBatch(input: $input) { accepted } }',
    { input: { sessions: [{ key, name: `seed ${label}`, agentName: `agent-${label}`, tags: ['fuzz'], metadata: { env: 'fuzz' } }], events } },
    { key: project.ingest },
  );
  const data = await execute<{
    session: { id: string; timelineCursor: string; agent: { id: string }; events: { edges: { cursor: string; node: { id: string; key: string } }[] } };
    sessions: { edges: { cursor: string }[] };
    apiKeys: { id: string }[];
    viewer: { project: { id: string } };
  }, { key: string }>(server.url, SeedSession, { key }, { key: project.admin });
  pools.ids.push(data.session.id, data.session.agent.id, data.viewer.project.id, ...data.session.events.edges.map((e) => e.node.id));
  // The other project's key ids only: a generated revokeApiKey must not revoke the keys the run uses.
  if (label === 'other') pools.ids.push(...data.apiKeys.map((k) => k.id));
  pools.keys.push(key, ...events.map((e) => e.id));
  pools.cursors.push(data.session.timelineCursor, ...data.session.events.edges.map((e) => e.cursor), ...data.sessions.edges.map((e) => e.cursor));
  pools.names.push(`agent-${label}`, 'gpt-fuzz', 'search');
}

let prototypesBefore: string;
function prototypeSnapshot(): string {
  return JSON.stringify([Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype].map((proto) => Object.getOwnPropertyNames(proto).sort()));
}

beforeAll(async () => {
  console.log(`fuzz on ${providerName}: seed ${SEED} (SIGHTLINE_FUZZ_SEED=${SEED} replays it), ${RUNS} runs per category (SIGHTLINE_FUZZ_RUNS), ${HEAVY_RUNS} for heavy ones`);
  prototypesBefore = prototypeSnapshot();
  // LOG_LEVEL error: an internal error's stack lands in the test output next to the failing case.
  server = await startServer({ SIGHTLINE_MAX_BODY_BYTES: String(MAX_BODY_BYTES), LOG_LEVEL: 'error' });
  mine = await server.newProject({ ingestAgentName: 'fuzz-agent' });
  other = await server.newProject();
  await seedProject(mine, 'mine');
  await seedProject(other, 'other');
  const { createApiKey } = await execute<{ createApiKey: { secret: string; apiKey: { id: string } } }, unknown>(
    server.url, 'mutation { createApiKey(input: {name: "to-revoke", role: READ}) { secret apiKey { id } } }', undefined, { key: mine.admin },
  );
  await execute(server.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: createApiKey.apiKey.id }, { key: mine.admin });
  revokedKey = createApiKey.secret;
  // Forged ids beside the real ones: other types, huge, negative, not base64.
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  pools.ids.push(b64('Session:0'), b64('Session:-1'), b64('Event:9223372036854775808'), b64('Viewer:1'), b64('Session:1e3'), 'not base64!', '');
}, 120_000);

afterAll(async () => {
  printFigures({ test: 'fuzz', database: providerName, seed: SEED, runsPerCategory: RUNS, heavyRuns: HEAVY_RUNS, ...figures.summary() });
  closeAgent();
  await server?.stop();
});

/** Sends one request and holds its answer to every requirement; returns it for further checks. */
async function http(category: string, c: HttpCase): Promise<HttpAnswer> {
  const answer = await sendHttp(server.url, c);
  figures.request(category, answer, codesOf(answer));
  const problems = answerProblems(c, answer);
  if (problems.length > 0) {
    throw new Error(`${category}: ${problems.join('; ')}\n--- request\n${describeCase(c)}\n--- answer ${answer.status} (${Math.round(answer.ms)} ms)\n${answer.body.toString('utf8').slice(0, 2000)}`);
  }
  return answer;
}

function jsonCase(role: Role, body: string | Buffer, headers: Record<string, string> = {}): HttpCase {
  const key = keyOf(role);
  return { headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }, body };
}

const operationBody = (query: string, variables?: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ query, variables, ...extra });

function parsed(answer: HttpAnswer): { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] } {
  return JSON.parse(answer.body.toString('utf8')) as ReturnType<typeof parsed>;
}

/** The server still serves: health and a normal query, each within the budget. */
async function assertStillServing(): Promise<void> {
  const health = await sendHttp(server.url, { method: 'GET', path: '/healthz' });
  expect(health.status, `/healthz after the case: ${health.failure ?? health.body.toString('utf8')}`).toBe(200);
  const normal = await sendHttp(server.url, jsonCase('READ', operationBody('{ viewer { role } }')));
  expect(normal.status, `a normal query after the case: ${normal.failure ?? normal.body.toString('utf8')}`).toBe(200);
  expect(parsed(normal).data).toEqual({ viewer: { role: 'READ' } });
  expect(Math.max(health.ms, normal.ms)).toBeLessThan(ANSWER_BUDGET_MS);
}

function assertNoPollution(): void {
  expect(prototypeSnapshot(), 'a prototype gained or lost a property').toBe(prototypesBefore);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
}

/**
 * Runs a category: `runs` cases of `arbitrary`, each followed by the health and pollution checks.
 * `examples` run first, whatever the seed: the cases that once found a defect, kept as regressions.
 */
async function fuzz<T>(category: string, runs: number, arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>, examples: NoInfer<T>[] = []): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      figures.caseTried(category);
      await run(value);
      await assertStillServing();
      assertNoPollution();
    }),
    { seed: SEED, numRuns: runs, endOnFailure: true, examples: examples.map((example) => [example] as [T]) },
  );
}

const INGEST = 'mutation FuzzIngest($input: IngestBatchInput!) { ingestBatch(input: $input) { accepted duplicates rejected { index code message } } }';
const freshEvent = (extra: Record<string, unknown> = {}) => ({
  id: randomUUID(), sessionKey: `fuzz-${randomUUID()}`, type: 'LOG', timestamp: new Date().toISOString(), ...extra,
});

/** Real operations of the kinds clients send, for truncation, wrong variables and byte-level damage. */
const CORPUS: { query: string; variables: Record<string, unknown>; role: Role }[] = [
  {
    role: 'READ',
    query: `query FuzzDashboard($after: String, $filter: SessionFilter) {
      sessions(first: 20, after: $after, filter: $filter, orderBy: {field: LAST_EVENT_AT, direction: DESC}) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id key name status tags metadata costUsd durationMs agent { name }
          events(first: 5) { edges { cursor node { id type parent { id } children { id } } } } tree { depth event { key } } } }
      }
    }`,
    variables: { after: null, filter: { tagsAny: ['fuzz'] } },
  },
  { role: 'INGEST', query: INGEST, variables: { input: { events: [{ id: 'e1', sessionKey: 's1', type: 'QUESTION', timestamp: '2026-01-01T00:00:00Z', input: { text: 'hi' } }] } } },
  {
    role: 'READ',
    query: 'query FuzzTimeline($key: String!, $first: Int, $after: String) { session(key: $key) { id events(first: $first, after: $after) { edges { cursor node { key } } } } }',
    variables: { key: 's1', first: 10, after: null },
  },
  {
    role: 'READ',
    query: 'query FuzzAnalytics($filter: SessionFilter) { analytics(filter: $filter) { sessions events errorRate costUsd sessionDurationMs { p50 p95 } timeseries(bucket: HOUR) { start events } byModel { key tokens } topTools(limit: 5) { key } } }',
    variables: { filter: { startedAfter: '2026-01-01T00:00:00Z', metadata: [{ key: 'env', equals: 'fuzz' }] } },
  },
  { role: 'READ', query: 'query FuzzNode($id: ID!) { node(id: $id) { id __typename ... on Session { key } ... on Event { key } } }', variables: { id: 'U2Vzc2lvbjox' } },
  {
    role: 'INGEST',
    query: 'mutation FuzzStart($input: StartSessionInput!) { startSession(input: $input) { id key status tags metadata startedAt } }',
    variables: { input: { key: 'k', name: 'n', tags: ['t'], metadata: { a: 1 }, startedAt: '2026-01-01T00:00:00Z' } },
  },
  { role: 'INGEST', query: 'mutation FuzzEnd($input: EndSessionInput!) { endSession(input: $input) { id status endedAt } }', variables: { input: { key: 'k', status: 'SUCCEEDED' } } },
  { role: 'ADMIN', query: 'mutation FuzzKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id name } } }', variables: { input: { name: 'k', role: 'READ' } } },
];
const corpusEntry = fc.constantFrom(...CORPUS);

describe(`hostile input over HTTP (${providerName})`, () => {
  it('operations built from the schema, with every role', async () => {
    await fuzz('schema-operations', RUNS * 4, fc.tuple(schemaOperation(schema, pools, ['query', 'mutation']), roles), async ([operation, role]) => {
      await http('schema-operations', jsonCase(role, operationBody(operation.query, operation.variables)));
    });
  });

  it('token soup, as a POST body and as a GET query', async () => {
    await fuzz('token-soup', RUNS * 2, fc.tuple(tokenSoup, fc.boolean(), roles), async ([soup, viaGet, role]) => {
      const key = keyOf(role);
      if (viaGet) {
        await http('token-soup', { method: 'GET', path: `/graphql?query=${encodeURIComponent(soup)}`, headers: key ? { authorization: `Bearer ${key}` } : {} });
      } else {
        await http('token-soup', jsonCase(role, operationBody(soup)));
      }
    });
  });

  it('truncated and spliced documents', async () => {
    const damage = fc.record({
      entry: corpusEntry,
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      length: fc.nat({ max: 40 }),
      kind: fc.constantFrom('truncate', 'delete', 'duplicate', 'insert'),
      insert: fc.constantFrom('{', '}', '(', ')', '"', '"""', '$', '@', '...', '#', '\\', '\u0000', '\n', 'query'),
    });
    await fuzz('truncated', RUNS * 2, damage, async ({ entry, at, length, kind, insert }) => {
      const q = entry.query;
      const i = Math.floor(at * q.length);
      const damaged = {
        truncate: q.slice(0, i),
        delete: q.slice(0, i) + q.slice(i + length),
        duplicate: q.slice(0, i) + q.slice(i, i + length).repeat(3) + q.slice(i),
        insert: q.slice(0, i) + insert + q.slice(i),
      }[kind];
      await http('truncated', jsonCase(entry.role, operationBody(damaged, entry.variables)));
    });
  });

  it('variables of the wrong type, shape or JSON', async () => {
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc.dictionary(fc.constantFrom('input', 'key', 'first', 'after', 'filter', 'id', 'extra'), fc.jsonValue({ maxDepth: 3 })).map((v) => JSON.stringify(v)),
      fc.constantFrom(...HOSTILE_NUMBER_TEXTS, '"x"', '[]', '[{}]', 'null', 'true', '{"input": null}', '{"input": []}', '{"input": {"events": {}}}', '{"first": "10"}', '{"first": 1.5}'),
    );
    await fuzz('wrong-variables', RUNS * 2, fc.tuple(corpusEntry, replacement), async ([entry, variables]) => {
      const body = `{"query":${JSON.stringify(entry.query)},"variables":${variables}}`;
      await http('wrong-variables', jsonCase(entry.role, body));
    });
  });

  it('multi-megabyte strings in variables, literals, names, comments and extensions', async () => {
    const placements = [
      'session key', 'search', 'event input', 'event name', 'event id', 'session name', 'api key name', 'node id', 'cursor',
      'literal', 'comment', 'field name', 'operation name', 'unused variable', 'extensions', 'metadata filter',
    ] as const;
    const huge = fc.record({ megabytes: fc.double({ min: 1, max: 6, noNaN: true }), placement: fc.constantFrom(...placements), unit: fc.constantFrom('x', 'é', '😀', '\\') });
    await fuzz('huge-strings', HEAVY_RUNS * 2, huge, async ({ megabytes, placement, unit }) => {
      const text = unit.repeat(Math.floor((megabytes * MiB) / Buffer.byteLength(unit)));
      const bare = 'x'.repeat(Math.floor(megabytes * MiB)); // where only a name can go
      const c: Record<(typeof placements)[number], () => HttpCase> = {
        'session key': () => jsonCase('READ', operationBody('query($k: String!) { session(key: $k) { id } }', { k: text })),
        search: () => jsonCase('READ', operationBody('query($s: String) { sessions(filter: {search: $s}) { totalCount } analytics(filter: {search: $s}) { sessions } }', { s: text })),
        'event input': () => jsonCase('INGEST', operationBody(INGEST, { input: { events: [freshEvent({ input: { text }, output: text, metadata: { text } })] } })),
        'event name': () => jsonCase('INGEST', operationBody(INGEST, { input: { events: [freshEvent({ name: text, model: text, errorMessage: text })] } })),
        'event id': () => jsonCase('INGEST', operationBody(INGEST, { input: { events: [freshEvent({ id: text, parentId: text })] } })),
        'session name': () => jsonCase('INGEST', operationBody('mutation($t: String) { startSession(input: {name: $t, tags: [$t], agentName: $t}) { id } }', { t: text })),
        'api key name': () => jsonCase('ADMIN', operationBody('mutation($t: String!) { createApiKey(input: {name: $t, role: READ}) { secret } }', { t: text })),
        'node id': () => jsonCase('READ', operationBody('query($id: ID!) { node(id: $id) { id } }', { id: text })),
        cursor: () => jsonCase('READ', operationBody('query($c: String) { sessions(after: $c) { totalCount } }', { c: text })),
        literal: () => jsonCase('READ', operationBody(`{ session(key: ${JSON.stringify(text)}) { id } }`)),
        comment: () => jsonCase('READ', operationBody(`# ${bare}\n{ viewer { role } }`)),
        'field name': () => jsonCase('READ', operationBody(`{ ${bare} }`)),
        'operation name': () => jsonCase('READ', JSON.stringify({ query: '{ viewer { role } }', operationName: text })),
        'unused variable': () => jsonCase('READ', operationBody('{ viewer { role } }', { unused: text })),
        extensions: () => jsonCase('READ', operationBody('{ viewer { role } }', undefined, { extensions: { text } })),
        'metadata filter': () => jsonCase('READ', operationBody('query($k: String!, $v: JSON!) { sessions(filter: {metadata: [{key: $k, equals: $v}]}) { totalCount } }', { k: text, v: text })),
      };
      await http('huge-strings', c[placement]());
    }, [{ megabytes: 6, placement: 'search', unit: 'x' }, { megabytes: 6, placement: 'field name', unit: 'x' }]);
  });

  it('JSON nested up to 10,000 levels in variables, extensions and literals', async () => {
    const deep = fc.record({
      depth: fc.oneof(fc.constantFrom(1, 50, 99, 100, 101, 150, 1000, 5000, 10_000), fc.integer({ min: 1, max: 10_000 })),
      shape: fc.constantFrom('array', 'object', 'mixed'),
      placement: fc.constantFrom('event input', 'event metadata', 'session metadata', 'filter equals', 'unused variable', 'extensions', 'literal'),
    });
    await fuzz('deep-json', HEAVY_RUNS * 3, deep, async ({ depth, shape, placement }) => {
      const nested = nestedJsonText(depth, shape);
      const event = (field: string) => JSON.stringify(freshEvent()).slice(0, -1) + `,${JSON.stringify(field)}:${field === 'metadata' ? `{"d":${nested}}` : nested}}`;
      const bodies: Record<typeof placement, () => [Role, string]> = {
        'event input': () => ['INGEST', `{"query":${JSON.stringify(INGEST)},"variables":{"input":{"events":[${event('input')}]}}}`],
        'event metadata': () => ['INGEST', `{"query":${JSON.stringify(INGEST)},"variables":{"input":{"events":[${event('metadata')}]}}}`],
        'session metadata': () => ['INGEST', `{"query":"mutation($m: JSON) { startSession(input: {metadata: $m}) { id metadata } }","variables":{"m":{"d":${nested}}}}`],
        'filter equals': () => ['READ', `{"query":"query($v: JSON!) { sessions(filter: {metadata: [{key: \\"d\\", equals: $v}]}) { totalCount } }","variables":{"v":${nested}}}`],
        'unused variable': () => ['READ', `{"query":"{ viewer { role } }","variables":{"unused":${nested}}}`],
        extensions: () => ['READ', `{"query":"{ viewer { role } }","extensions":{"d":${nested}}}`],
        literal: () => ['INGEST', JSON.stringify({ query: `mutation { startSession(input: {metadata: {d: ${nestedLiteral(depth, shape)}}}) { id } }` })],
      };
      const [role, body] = bodies[placement]();
      const answer = await http('deep-json', jsonCase(role, body));
      // Past the limit (100 levels, plus the wrapping objects) it is a refusal, not a write.
      if (depth > 110 && placement !== 'extensions') {
        expect(parsed(answer).errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      }
    }, [
      { depth: 10_000, shape: 'array', placement: 'event input' },
      { depth: 10_000, shape: 'object', placement: 'session metadata' },
      { depth: 3000, shape: 'object', placement: 'literal' },
    ]);
  });

  it('__proto__, constructor and prototype keys are stored and returned as plain data', async () => {
    const proto = fc.record({
      session: protoJsonText, input: protoJsonText, output: protoJsonText, metadata: protoJsonText, filterKey: fc.constantFrom(...PROTO_KEYS),
      viaLiteral: fc.boolean(),
    });
    await fuzz('proto-keys', RUNS, proto, async ({ session, input, output, metadata, filterKey, viaLiteral }) => {
      const key = `proto-${randomUUID()}`;
      const eventJson = JSON.stringify(freshEvent({ sessionKey: key })).slice(0, -1) + `,"input":${input},"output":${output},"metadata":${metadata}}`;
      const body = `{"query":${JSON.stringify(INGEST)},"variables":{"input":{"sessions":[{"key":${JSON.stringify(key)},"metadata":${session}}],"events":[${eventJson}]}}}`;
      const ingested = parsed(await http('proto-keys', jsonCase('INGEST', body)));
      expect(ingested.data?.['ingestBatch']).toMatchObject({ accepted: 1, rejected: [] });
      const read = parsed(await http('proto-keys', jsonCase('READ', operationBody(
        'query($k: String!) { session(key: $k) { metadata events { edges { node { input output metadata } } } } }', { k: key },
      ))));
      const stored = read.data?.['session'] as { metadata: unknown; events: { edges: { node: { input: unknown; output: unknown; metadata: unknown } }[] } };
      const node = stored.events.edges[0]!.node;
      // The response was parsed with JSON.parse, which keeps `__proto__` as a key: compare as data.
      expect(canonicalJson(stored.metadata)).toBe(canonicalJson(JSON.parse(session)));
      expect([canonicalJson(node.input), canonicalJson(node.output), canonicalJson(node.metadata)]).toEqual(
        [input, output, metadata].map((text) => canonicalJson(JSON.parse(text))),
      );
      await http('proto-keys', jsonCase('READ', operationBody(`{ sessions(filter: {metadata: [{key: ${JSON.stringify(filterKey)}, equals: 1}]}) { totalCount } }`)));
      if (viaLiteral) {
        // The same object written as a GraphQL literal: its keys are names, so __proto__ is one too.
        const literalKey = `proto-literal-${randomUUID()}`;
        const value = JSON.parse(metadata) as unknown;
        const literal = toLiteral(value);
        const started = parsed(await http('proto-keys', jsonCase('INGEST', operationBody(
          `mutation { startSession(input: {key: ${JSON.stringify(literalKey)}, metadata: ${literal}}) { metadata } }`,
        ))));
        if (literal.includes('__proto__:')) {
          // graphql-jit would make it the object's prototype: refused, with the way round it named.
          expect(started.errors?.map((error) => [error.extensions?.code, /__proto__.*variable/.test(error.message)])).toEqual([['BAD_USER_INPUT', true]]);
        } else {
          expect(canonicalJson((started.data?.['startSession'] as { metadata: unknown }).metadata)).toBe(canonicalJson(value));
        }
      }
    }, [
      {
        session: '{"__proto__":{"polluted":"yes"}}', input: '{"constructor":{"prototype":{"polluted":"yes"}}}', output: '{"prototype":1}',
        metadata: '{"__proto__":{"isAdmin":true},"toString":"x"}', filterKey: '__proto__', viaLiteral: true,
      },
    ]);
  });

  it('NaN, Infinity, -0, 1e400 and other extreme numbers, as JSON and as literals', async () => {
    const spots = ['first', 'topTools', 'durationMs', 'costUsd', 'promptTokens', 'minDurationMs', 'events first'] as const;
    const numbers = fc.record({ text: fc.constantFrom(...HOSTILE_NUMBER_TEXTS), spot: fc.constantFrom(...spots), literal: fc.boolean() });
    await fuzz('special-numbers', RUNS * 2, numbers, async ({ text, spot, literal }) => {
      const sessionKey = `num-${randomUUID()}`;
      const templates: Record<(typeof spots)[number], [Role, string, string]> = {
        first: ['READ', 'query($n: Int) { sessions(first: $n) { totalCount } }', '{ sessions(first: §) { totalCount } }'],
        topTools: ['READ', 'query($n: Int) { analytics { topTools(limit: $n) { key } } }', '{ analytics { topTools(limit: §) { key } } }'],
        durationMs: ['INGEST', eventMutation(sessionKey, 'durationMs', 'Float'), eventLiteral(sessionKey, 'durationMs')],
        costUsd: ['INGEST', eventMutation(sessionKey, 'costUsd', 'Float'), eventLiteral(sessionKey, 'costUsd')],
        promptTokens: ['INGEST', eventMutation(sessionKey, 'promptTokens', 'Int'), eventLiteral(sessionKey, 'promptTokens')],
        minDurationMs: ['READ', 'query($n: Float) { sessions(filter: {minDurationMs: $n, maxDurationMs: $n}) { totalCount } analytics(filter: {minDurationMs: $n}) { sessions } }', '{ sessions(filter: {minDurationMs: §, maxDurationMs: §}) { totalCount } analytics(filter: {maxDurationMs: §}) { sessions } }'],
        'events first': ['READ', 'query($n: Int) { sessions(first: 3) { edges { node { events(first: $n) { totalCount } } } } }', '{ sessions(first: 3) { edges { node { events(last: §) { totalCount } } } } }'],
      };
      const [role, withVariable, withLiteral] = templates[spot];
      const body = literal ? JSON.stringify({ query: withLiteral.replaceAll('§', text) }) : `{"query":${JSON.stringify(withVariable)},"variables":{"n":${text}}}`;
      await http('special-numbers', jsonCase(role, body));
      // Whatever was accepted reads back: a stored value must never make a session unreadable.
      await http('special-numbers', jsonCase('READ', operationBody(
        `query($k: String!) { session(key: $k) { costUsd promptTokens durationMs events { edges { node { durationMs costUsd promptTokens } } } }
          analytics(filter: {search: $k}) { costUsd sessionDurationMs { avg max } llmLatencyMs { avg p95 max } timeseries(bucket: DAY) { costUsd tokens } byModel { key costUsd p95DurationMs } byEventType { key p95DurationMs } } }`, { k: sessionKey },
      )));
    }, [
      { text: '1e308', spot: 'durationMs', literal: false },
      { text: '1e308', spot: 'costUsd', literal: false },
      { text: '1e308', spot: 'minDurationMs', literal: true },
      { text: '1e400', spot: 'durationMs', literal: true },
      { text: '1e400', spot: 'minDurationMs', literal: true },
    ]);
  });

  it('sums of extreme but valid values keep sessions and lists readable', async () => {
    await fuzz('extreme-sums', Math.max(3, Math.ceil(RUNS / 3)), fc.record({
      cost: fc.constantFrom(1e308, Number.MAX_VALUE, 1e300, 0.1),
      tokens: fc.constantFrom(2147483647, 2147483646, 1_000_000_000),
      count: fc.integer({ min: 2, max: 5 }),
    }), async ({ cost, tokens, count }) => {
      const sessionKey = `sum-${randomUUID()}`;
      const events = Array.from({ length: count }, () => freshEvent({ sessionKey, type: 'LLM_CALL', costUsd: cost, promptTokens: tokens, completionTokens: tokens, durationMs: 1e308 }));
      await http('extreme-sums', jsonCase('INGEST', operationBody(INGEST, { input: { events } })));
      const read = parsed(await http('extreme-sums', jsonCase('READ', operationBody(
        'query($k: String!) { session(key: $k) { costUsd promptTokens completionTokens durationMs } sessions(first: 5, orderBy: {field: COST, direction: DESC}) { edges { node { key costUsd promptTokens } } } analytics { costUsd promptTokens llmLatencyMs { max p50 } byModel { key costUsd } } }',
        { k: sessionKey },
      ))));
      expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    });
  });

  it('invalid and extreme dates, as variables and literals', async () => {
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    const generated = fc
      .record({
        year: fc.integer({ min: 0, max: 10_000 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 25 }), minute: fc.integer({ min: 0, max: 61 }), second: fc.integer({ min: 0, max: 61 }),
        fraction: fc.stringMatching(/^(\.\d{0,12})?$/), offset: fc.oneof(fc.constantFrom('Z', 'z', ''), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`)),
      })
      .map((d) => `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T${pad(d.hour, 2)}:${pad(d.minute, 2)}:${pad(d.second, 2)}${d.fraction}${d.offset}`);
    const spots = ['startedAt', 'timestamp', 'endedAt', 'startedAfter', 'startedBefore'] as const;
    const dates = fc.record({ date: fc.oneof(fc.constantFrom(...HOSTILE_DATES), generated), spot: fc.constantFrom(...spots), literal: fc.boolean() });
    await fuzz('invalid-dates', RUNS * 2, dates, async ({ date, spot, literal }) => {
      const value = literal ? JSON.stringify(date) : '$d';
      const declare = literal ? '' : '($d: DateTime)';
      const key = `date-${randomUUID()}`;
      const queries: Record<(typeof spots)[number], [Role, string]> = {
        startedAt: ['INGEST', `mutation${declare} { startSession(input: {key: ${JSON.stringify(key)}, startedAt: ${value}}) { startedAt } }`],
        timestamp: ['INGEST', `mutation${literal ? '' : '($d: DateTime!)'} { ingestBatch(input: {events: [{id: ${JSON.stringify(key)}, sessionKey: ${JSON.stringify(key)}, type: LOG, timestamp: ${value}}]}) { accepted rejected { code } } }`],
        endedAt: ['INGEST', `mutation${declare} { endSession(input: {key: ${JSON.stringify(pools.keys[0])}, status: SUCCEEDED, endedAt: ${value}}) { endedAt } }`],
        startedAfter: ['READ', `query${declare} { sessions(filter: {startedAfter: ${value}}) { totalCount } analytics(filter: {startedAfter: ${value}}) { sessions timeseries(bucket: DAY) { start } } }`],
        startedBefore: ['READ', `query${declare} { sessions(filter: {startedBefore: ${value}}) { totalCount } analytics(filter: {startedBefore: ${value}}) { timeseries(bucket: HOUR) { start } } }`],
      };
      const [role, query] = queries[spot];
      const answer = parsed(await http('invalid-dates', jsonCase(role, operationBody(query, literal ? undefined : { d: date }))));
      const startedAt = (answer.data?.['startSession'] as { startedAt?: string } | undefined)?.startedAt;
      if (startedAt !== undefined) expect(startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    });
  });

  it('bytes that are not UTF-8 anywhere in the body', async () => {
    const templates: [Role, string][] = [
      ['INGEST', `{"query":${JSON.stringify(INGEST)},"variables":{"input":{"events":[{"id":"§","sessionKey":"utf8-§","type":"LOG","timestamp":"${new Date().toISOString()}","metadata":{"§":"§"},"input":"§"}]}}}`],
      ['READ', '{"query":"query($k: String!) { session(key: $k) { id } }","variables":{"k":"§"}}'],
      ['READ', '{"query":"{ session(key: \\"§\\") { id } }"}'],
      ['READ', '{"query":"{ viewer { role § } }"}'],
      ['READ', '{"query":"{ sessions(filter: {search: \\"§\\", tagsAny: [\\"§\\"]}) { totalCount } }"}'],
      ['ADMIN', '{"query":"mutation { createApiKey(input: {name: \\"§\\", role: READ}) { apiKey { name } } }"}'],
      ['READ', '{"query§":"{ viewer { role } }"}'],
      ['READ', '§{"query":"{ viewer { role } }"}'],
    ];
    const damage = fc.record({ template: fc.constantFrom(...templates), bytes: fc.array(fc.constantFrom(...INVALID_UTF8_SEQUENCES), { minLength: 1, maxLength: 3 }) });
    await fuzz('invalid-utf8', RUNS * 2, damage, async ({ template: [role, text], bytes }) => {
      const replacement = Buffer.from(bytes.flat());
      const eventId = randomUUID();
      const parts = text.replace('"id":"§"', `"id":"${eventId}"`).split('§');
      const body = Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [replacement, Buffer.from(part)])));
      await http('invalid-utf8', jsonCase(role, body));
    });
  });

  it('lone surrogates and U+0000 in every kind of string', async () => {
    const hostile = fc.constantFrom('\\ud800', '\\udc00', '\\ud83d', 'a\\ude00b', '\\u0000', 'a\\u0000', '\\u0000\\ud800');
    const spots = [
      'event id', 'session key', 'parent id', 'event name', 'model', 'error', 'metadata key', 'metadata value', 'input', 'tags',
      'session lookup', 'search', 'filter lists', 'metadata filter', 'api key name', 'agent name', 'node id', 'cursor', 'timeline key', 'end key',
    ] as const;
    await fuzz('surrogates-nul', RUNS * 2, fc.record({ text: hostile, spot: fc.constantFrom(...spots), literal: fc.boolean() }), async ({ text, spot, literal }) => {
      const now = new Date().toISOString();
      const ev = (fields: string, sessionKey = `"nul-${randomUUID()}"`) => `{id: "${randomUUID()}", sessionKey: ${sessionKey}, type: LLM_CALL, timestamp: "${now}", ${fields}}`;
      const ingest = (event: string) => `{ ingestBatch(input: {events: [${event}]}) { accepted rejected { code } } }`;
      // Each spot: who sends it, the operation type, the variable's type, and the selection around the value v.
      const documents: Record<(typeof spots)[number], [Role, 'query' | 'mutation', string, (v: string) => string]> = {
        'event id': ['INGEST', 'mutation', 'String!', (v) => ingest(`{id: ${v}, sessionKey: "k", type: LOG, timestamp: "${now}"}`)],
        'session key': ['INGEST', 'mutation', 'String!', (v) => ingest(ev('name: "x"', v))],
        'parent id': ['INGEST', 'mutation', 'String', (v) => ingest(ev(`parentId: ${v}`))],
        'event name': ['INGEST', 'mutation', 'String', (v) => ingest(ev(`name: ${v}`))],
        model: ['INGEST', 'mutation', 'String', (v) => ingest(ev(`model: ${v}`))],
        error: ['INGEST', 'mutation', 'String', (v) => ingest(ev(`errorMessage: ${v}, errorType: ${v}`))],
        'metadata key': ['INGEST', 'mutation', 'JSON', (v) => `{ startSession(input: {metadata: ${v}}) { metadata } }`],
        'metadata value': ['INGEST', 'mutation', 'JSON', (v) => ingest(ev(`metadata: {k: ${v}}`))],
        input: ['INGEST', 'mutation', 'JSON', (v) => ingest(ev(`input: ${v}, output: [${v}]`))],
        tags: ['INGEST', 'mutation', 'String!', (v) => `{ startSession(input: {tags: [${v}], name: ${v}, agentName: ${v}}) { id tags } }`],
        'session lookup': ['READ', 'query', 'String', (v) => `{ session(key: ${v}) { id } }`],
        search: ['READ', 'query', 'String', (v) => `{ sessions(filter: {search: ${v}, model: ${v}}) { totalCount } analytics(filter: {search: ${v}}) { sessions } }`],
        'filter lists': ['READ', 'query', 'String!', (v) => `{ sessions(filter: {tagsAny: [${v}], tagsAll: [${v}], agentNames: [${v}]}) { totalCount edges { node { events(filter: {names: [${v}]}) { totalCount } } } } }`],
        'metadata filter': ['READ', 'query', 'String!', (v) => `{ sessions(filter: {metadata: [{key: ${v}, equals: 1}]}) { totalCount } analytics(filter: {metadata: [{key: ${v}, equals: 1}]}) { sessions } }`],
        'api key name': ['ADMIN', 'mutation', 'String!', (v) => `{ createApiKey(input: {name: ${v}, role: READ}) { apiKey { name } } }`],
        'agent name': ['ADMIN', 'mutation', 'String', (v) => `{ createApiKey(input: {name: "n", role: INGEST, agentName: ${v}}) { apiKey { agent { name } } } }`],
        'node id': ['READ', 'query', 'ID!', (v) => `{ node(id: ${v}) { id } session(id: ${v}) { id } }`],
        cursor: ['READ', 'query', 'String', (v) => `{ sessions(after: ${v}) { totalCount } }`],
        'timeline key': ['INGEST', 'mutation', 'ID', (v) => `{ endSession(input: {id: ${v}, status: FAILED}) { id } }`],
        'end key': ['INGEST', 'mutation', 'String', (v) => `{ endSession(input: {key: ${v}, status: FAILED}) { id } }`],
      };
      const [role, operation, type, around] = documents[spot];
      // JSON and GraphQL share these escapes. A JSON value for metadata keys: an object keyed by the string.
      const value = type === 'JSON' && spot === 'metadata key' ? `{"${text}":"${text}"}` : `"${text}"`;
      const literalValue = spot === 'metadata key' ? `{k: "${text}"}` : `"${text}"`;
      // Through a literal, GraphQL's lexer refuses lone surrogates; through a variable, JSON.parse lets them by.
      const body = literal
        ? JSON.stringify({ query: `${operation} ${around(literalValue)}` })
        : `{"query":${JSON.stringify(`${operation}($s: ${type}) ${around('$s')}`)},"variables":{"s":${value}}}`;
      await http('surrogates-nul', jsonCase(role, body));
    }, [
      { text: '\\u0000', spot: 'session lookup', literal: false },
      { text: '\\u0000', spot: 'end key', literal: false },
      { text: '\\u0000', spot: 'search', literal: false },
      { text: '\\u0000', spot: 'api key name', literal: true },
      { text: '\\ud800', spot: 'agent name', literal: false },
      { text: 'a\\ude00b', spot: 'event id', literal: false },
      { text: '\\ud800', spot: 'metadata key', literal: false },
    ]);
  });

  it('huge lists in filters and batches', async () => {
    const spots = ['tagsAny', 'tagsAll', 'agentNames', 'status', 'metadata', 'event names', 'event types', 'analytics', 'session tags', 'batch sessions', 'batch events'] as const;
    const lists = fc.record({ length: fc.oneof(fc.constantFrom(100, 101, 1000, 32_767, 70_000), fc.integer({ min: 1, max: 70_000 })), spot: fc.constantFrom(...spots) });
    await fuzz('huge-lists', HEAVY_RUNS * 2, lists, async ({ length, spot }) => {
      const strings = Array.from({ length }, (_, i) => `v${i}`);
      const cases: Record<(typeof spots)[number], () => [Role, string, unknown]> = {
        tagsAny: () => ['READ', 'query($l: [String!]) { sessions(filter: {tagsAny: $l}) { totalCount } }', { l: strings }],
        tagsAll: () => ['READ', 'query($l: [String!]) { sessions(filter: {tagsAll: $l}) { totalCount } }', { l: strings }],
        agentNames: () => ['READ', 'query($l: [String!]) { sessions(filter: {agentNames: $l}) { totalCount } }', { l: strings }],
        status: () => ['READ', 'query($l: [SessionStatus!]) { sessions(filter: {status: $l}) { totalCount } }', { l: strings.map(() => 'RUNNING') }],
        metadata: () => ['READ', 'query($l: [MetadataFilter!]) { sessions(filter: {metadata: $l}) { totalCount } }', { l: strings.map((key) => ({ key, equals: 1 })) }],
        'event names': () => ['READ', 'query($l: [String!]) { sessions(first: 5) { edges { node { events(filter: {names: $l}) { totalCount } } } } }', { l: strings }],
        'event types': () => ['READ', 'query($l: [EventType!]) { sessions(first: 5) { edges { node { events(first: 5, after: null, filter: {types: $l}) { totalCount } } } } }', { l: strings.map(() => 'LOG') }],
        analytics: () => ['READ', 'query($l: [String!]) { analytics(filter: {tagsAny: $l, agentNames: $l}) { sessions byAgent { key } } }', { l: strings }],
        'session tags': () => ['INGEST', 'mutation($l: [String!]) { startSession(input: {tags: $l}) { id } }', { l: strings }],
        'batch sessions': () => ['INGEST', INGEST, { input: { sessions: strings.slice(0, 20_000).map((key) => ({ key: `list-${key}` })), events: [] } }],
        'batch events': () => ['INGEST', INGEST, { input: { events: strings.slice(0, 20_000).map(() => freshEvent()) } }],
      };
      const [role, query, variables] = cases[spot]();
      await http('huge-lists', jsonCase(role, operationBody(query, variables)));
    }, [{ length: 40_000, spot: 'tagsAny' }, { length: 70_000, spot: 'analytics' }, { length: 70_000, spot: 'event names' }]);
  });

  it('alias bombs', async () => {
    const aliasName = fc.oneof(fc.constantFrom(...PROTO_KEYS.filter((key) => /^[_A-Za-z]\w*$/.test(key))), fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/));
    const bomb = fc.record({ count: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3000 })), shape: fc.constantFrom('flat', 'nested', 'expensive'), name: aliasName });
    await fuzz('alias-bombs', RUNS, bomb, async ({ count, shape, name }) => {
      const aliases = (field: string) => Array.from({ length: count }, (_, i) => `${i === 0 ? name : `${name}${i}`}: ${field}`).join(' ');
      const query = {
        flat: `{ ${aliases('viewer { role }')} }`,
        nested: `{ sessions(first: 500) { edges { node { ${aliases('events(first: 1000) { edges { node { key } } }')} } } } }`,
        expensive: `{ ${aliases('analytics { sessions timeseries(bucket: MINUTE) { start } byAgent { key } }')} }`,
      }[shape];
      const answer = parsed(await http('alias-bombs', jsonCase('READ', operationBody(query))));
      // An answer made with an alias named __proto__ carries it as a key of the data, not a prototype.
      if (answer.data && count === 1 && shape === 'flat') expect(Object.keys(answer.data)).toEqual([name]);
    });
  });

  it('fragment bombs: cycles, exponential spreads, unused floods', async () => {
    const bomb = fc.record({ kind: fc.constantFrom('self', 'cycle', 'exponential', 'wide', 'unused', 'wrong type', 'inline nest'), size: fc.integer({ min: 1, max: 60 }) });
    await fuzz('fragment-bombs', RUNS, bomb, async ({ kind, size }) => {
      const fragments: string[] = [];
      let query: string;
      switch (kind) {
        case 'self':
          query = '{ ...F0 } fragment F0 on Query { viewer { role } ...F0 }';
          break;
        case 'cycle':
          for (let i = 0; i < size; i++) fragments.push(`fragment F${i} on Query { viewer { role } ...F${(i + 1) % size} }`);
          query = `{ ...F0 } ${fragments.join(' ')}`;
          break;
        case 'exponential':
          // F0 spreads F1 twice, F1 spreads F2 twice...: 2^size paths to the last one.
          for (let i = 0; i < size; i++) fragments.push(`fragment F${i} on Query { viewer { role } ...F${i + 1} ...F${i + 1} }`);
          fragments.push(`fragment F${size} on Query { sessions(first: 500) { totalCount } }`);
          query = `{ ...F0 } ${fragments.join(' ')}`;
          break;
        case 'wide':
          for (let i = 0; i < size; i++) fragments.push(`fragment F${i} on Query { viewer { role } ${Array.from({ length: size }, (_, j) => (j > i ? `...F${j}` : '')).join(' ')} }`);
          query = `{ ...F0 } ${fragments.join(' ')}`;
          break;
        case 'unused':
          for (let i = 0; i < size * 20; i++) fragments.push(`fragment U${i} on Query { viewer { role } }`);
          query = `{ viewer { role } } ${fragments.join(' ')}`;
          break;
        case 'wrong type':
          query = '{ ...F0 } fragment F0 on Mutation { startSession(input: {}) { id } } fragment F1 on Nope { x }';
          break;
        default:
          query = `{ ${'... on Query { '.repeat(size * 3)}viewer { role }${' }'.repeat(size * 3)} }`;
      }
      await http('fragment-bombs', jsonCase('READ', operationBody(query)));
    });
  });

  it('directive floods', async () => {
    const flood = fc.record({
      count: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3000 })),
      directive: fc.constantFrom('@skip(if: false)', '@include(if: true)', '@nope', '@deprecated', '@skip(if: $b)', '@include(if: false)', '@specifiedBy(url: "x")'),
      where: fc.constantFrom('field', 'operation', 'spread', 'inline', 'variable'),
    });
    await fuzz('directive-floods', RUNS, flood, async ({ count, directive, where }) => {
      const ds = Array.from({ length: count }, () => directive).join(' ');
      const query = {
        field: `query($b: Boolean = false) { viewer ${ds} { role } }`,
        operation: `query Q($b: Boolean = false) ${ds} { viewer { role } }`,
        spread: `query($b: Boolean = false) { ...F ${ds} } fragment F on Query { viewer { role } }`,
        inline: `query($b: Boolean = false) { ... on Query ${ds} { viewer { role } } }`,
        variable: `query($b: Boolean = false ${ds}) { viewer { role } }`,
      }[where];
      await http('directive-floods', jsonCase('READ', operationBody(query)));
    });
  });

  it('batched operation arrays', async () => {
    const batch = fc.array(fc.oneof(corpusEntry.map((entry) => ({ query: entry.query, variables: entry.variables })), fc.constant({ query: '{ viewer { role } }' }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 100 });
    await fuzz('batched-arrays', RUNS, fc.tuple(batch, roles), async ([operations, role]) => {
      await http('batched-arrays', jsonCase(role, JSON.stringify(operations)));
    });
  });

  it('bodies past the size limit: declared, streamed, or announced and never sent', async () => {
    const oversize = fc.record({ extra: fc.integer({ min: 1, max: 2 * MiB }), mode: fc.constantFrom('content-length', 'chunked', 'announced') });
    await fuzz('oversized-bodies', HEAVY_RUNS, oversize, async ({ extra, mode }) => {
      const size = MAX_BODY_BYTES + extra;
      const skeleton = JSON.stringify({ query: '{ viewer { role } }', variables: { filler: '' } });
      const body = JSON.stringify({ query: '{ viewer { role } }', variables: { filler: 'x'.repeat(size - skeleton.length) } });
      const base = jsonCase('INGEST', body);
      const c: HttpCase =
        mode === 'chunked' ? { ...base, chunked: true }
        : mode === 'announced' ? { ...base, headers: { ...base.headers, 'content-length': String(size) }, body: '{"query":' }
        : base;
      const answer = await http('oversized-bodies', c);
      expect(answer.status).toBe(413);
      expect(codesOf(answer)).toEqual(['PAYLOAD_TOO_LARGE']);
    });
  });

  it('wrong content types and accept headers', async () => {
    const contentTypes = [
      'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'multipart/form-data', 'application/graphql',
      'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/graphql-response+json', 'foo/bar', '', '*/*',
      'application/json, text/plain', 'APPLICATION/JSON', 'application/xml', 'text/html',
    ];
    const accepts = [undefined, 'application/json', 'application/graphql-response+json', 'text/html', 'text/event-stream', 'multipart/mixed', 'image/png', '*/*', 'garbage'];
    const bodies = fc.constantFrom(
      JSON.stringify({ query: '{ viewer { role } }' }),
      'query=%7B%20viewer%20%7B%20role%20%7D%20%7D',
      '{ viewer { role } }',
      '--xyz\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ viewer { role } }"}\r\n--xyz\r\nContent-Disposition: form-data; name="map"\r\n\r\n{}\r\n--xyz--\r\n',
      '--xyz\r\ngarbage',
      'query=%7B&variables=%7Bnope',
      '<xml/>',
    );
    const c = fc.record({ contentType: fc.constantFrom(...contentTypes), accept: fc.constantFrom(...accepts), body: bodies, role: fc.constantFrom<Role>('READ', 'none'), query: fc.constantFrom('{ viewer { role } }', 'mutation { startSession(input: {}) { id } }') });
    await fuzz('content-types', RUNS * 2, c, async ({ contentType, accept, body, role, query }) => {
      const key = keyOf(role);
      const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}), ...(accept ? { accept } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) };
      await http('content-types', { headers, body: body.replace('{ viewer { role } }', query) });
    }, [{ contentType: 'text/plain', accept: undefined, body: JSON.stringify({ query: '{ viewer { role } }' }), role: 'READ', query: '{ viewer { role } }' }]);
  });

  it('methods: GET with mutations, garbage parameters, and the methods GraphQL does not take', async () => {
    const methods = fc.record({
      method: fc.constantFrom('GET', 'GET', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      query: fc.constantFrom('{ viewer { role } }', 'mutation { startSession(input: {}) { id } }', 'mutation { ingestBatch(input: {events: []}) { accepted } }', '{ __schema { queryType { name } } }', '', '{'),
      variables: fc.constantFrom(undefined, '{}', '{nope', '[]', '"x"', '{"a":1}', 'null', '1e400'),
      extensions: fc.constantFrom(undefined, '{}', '{nope', '[1]'),
      operationName: fc.constantFrom(undefined, 'Nope', ''),
      role: fc.constantFrom<Role>('READ', 'ADMIN', 'none'),
      accept: fc.constantFrom(undefined, 'application/json', 'text/html'),
    });
    await fuzz('methods', RUNS * 2, methods, async ({ method, query, variables, extensions, operationName, role, accept }) => {
      const params = new URLSearchParams();
      params.set('query', query);
      if (variables !== undefined) params.set('variables', variables);
      if (extensions !== undefined) params.set('extensions', extensions);
      if (operationName !== undefined) params.set('operationName', operationName);
      const key = keyOf(role);
      const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(accept ? { accept } : {}) };
      const answer = await http('methods', { method, path: `/graphql?${params}`, headers });
      // A mutation never runs from a GET: refused (or, for a browser asking for HTML, GraphiQL's page).
      if (method === 'GET' && query.startsWith('mutation')) {
        if (/json/.test(String(answer.headers['content-type']))) {
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(parsed(answer).data ?? null).toBeNull();
        } else {
          expect(answer.body.toString('utf8')).toMatch(/^<!doctype html>/i);
        }
      }
    }, [{ method: 'GET', query: '{ viewer { role } }', variables: '{nope', extensions: undefined, operationName: undefined, role: 'READ', accept: undefined }]);
  });

  it('forged, malformed and misplaced credentials', async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 80 });
    const header = fc.oneof(
      printable,
      printable.map((text) => `Bearer ${text}`),
      fc.constantFrom('Bearer', 'Bearer ', 'bearer  x', 'Basic dXNlcjpwYXNz', 'Bearer sl_', 'Bearer null', 'Token abc'),
      fc.constantFrom<Role>('ADMIN', 'READ', 'INGEST', 'revoked', 'other').map((role) => `Bearer ${keyOf(role)}`),
      fc.tuple(fc.constantFrom<Role>('ADMIN', 'READ'), fc.constantFrom('x', ' extra', ', Bearer x', '\t')).map(([role, tail]) => `Bearer ${keyOf(role)}${tail}`),
      fc.tuple(fc.constantFrom<Role>('ADMIN', 'READ'), fc.integer({ min: 0, max: 40 })).map(([role, cut]) => `Bearer ${keyOf(role)!.slice(0, -1 - cut)}`),
      fc.integer({ min: 1, max: 30_000 }).map((length) => `Bearer ${'k'.repeat(length)}`),
    );
    await fuzz('credentials', RUNS * 2, fc.tuple(header, fc.constantFrom('{ viewer { role } }', 'mutation { startSession(input: {}) { id } }')), async ([authorization, query]) => {
      const answer = await http('credentials', { headers: { 'content-type': 'application/json', authorization }, body: operationBody(query) });
      const valid = [mine.admin, mine.read, mine.ingest, other.read].some((secret) => new RegExp(`^Bearer\\s+${secret}\\s*$`, 'i').test(authorization));
      if (!valid && answer.status !== 431) {
        expect(answer.status).toBe(401);
        expect(codesOf(answer)).toEqual(['UNAUTHENTICATED']);
      }
    });
  });
});

describe(`hostile input over WebSocket (${providerName})`, () => {
  const wsCheck = (category: string, conversation: WsConversation) => {
    // A 4500 or 1011 close is the WebSocket's 5xx; latency is from the last message to the first answer.
    figures.request(category, { status: conversation.close?.code === 4500 || conversation.close?.code === 1011 ? 500 : 200, ms: conversation.answerMs ?? 0 });
    const problems = conversationProblems(conversation);
    if (problems.length > 0) {
      throw new Error(`${category}: ${problems.join('; ')}\n--- frames\n${JSON.stringify(conversation.frames).slice(0, 3000)}\n--- close ${JSON.stringify(conversation.close)}`);
    }
  };

  it('malformed and hostile graphql-ws messages after connection_init', async () => {
    const message = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(schemaOperation(schema, pools, ['subscription', 'subscription', 'query', 'mutation']), fc.nat({ max: 3 })).map(([operation, id]) => JSON.stringify({ id: String(id), type: 'subscribe', payload: operation })) },
      { weight: 2, arbitrary: fc.record({ id: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)), type: fc.constantFrom('subscribe', 'complete', 'ping', 'pong', 'connection_init', 'next', 'error', 'connection_ack', 'nope'), payload: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['type'] }).map((m) => JSON.stringify(m)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constantFrom(`{"id":"1","type":"subscribe","payload":{"query":"subscription { sessionsFeed { session { id } } }","variables":${nestedJsonText(5000, 'array')}}}`, '{"id":"1","type":"subscribe","payload":{"query":"subscription { sessionTimeline(key: \\"\\\\u0000\\") { __typename } }"}}', '{"id":"1","type":"subscribe","payload":{"query":"subscription { sessionTimeline(id: \\"U2Vzc2lvbjox\\", after: \\"garbage\\") { __typename } }"}}') },
    );
    await fuzz('ws-messages', RUNS * 2, fc.array(message, { minLength: 1, maxLength: 5 }), async (messages) => {
      const conversation = await wsConverse(server.url, { init: { type: 'connection_init', payload: { authorization: `Bearer ${mine.read}` } }, awaitAck: true, messages, listenMs: 400 });
      wsCheck('ws-messages', conversation);
    }, [
      ['{"id":"1","type":"subscribe","payload":{"query":"subscription { sessionsFeed { "}}'],
      ['{"id":"1","type":"subscribe","payload":{"query":"subscription { nope }"}}'],
      ['{"id":"1","type":"subscribe","payload":{"query":"subscription($k: String) { sessionTimeline(key: $k) { __typename } }","variables":{"k":5}}}'],
      ['{"type":"connection_ack"}'],
      ['{"id":"1","type":"next","payload":{}}'],
    ]);
  });

  it('the handshake: messages before init, bad init payloads, second init', async () => {
    const init = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 2 }).map((payload) => ({ type: 'connection_init', payload })),
      fc.constantFrom<Role>('ADMIN', 'READ', 'INGEST', 'revoked', 'other').map((role) => ({ type: 'connection_init', payload: { authorization: `Bearer ${keyOf(role)}` } })),
      fc.constantFrom('not json', '{"type":"connection_init","payload":"Bearer x"}', JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${'x'.repeat(MiB)}` } })),
    );
    const after = fc.array(fc.constantFrom(
      '{"type":"connection_init"}', '{"id":"1","type":"subscribe","payload":{"query":"subscription { sessionsFeed { session { id } } }"}}', '{"type":"ping"}', '{"type":"pong"}', '{"id":"1","type":"complete"}', 'garbage',
    ), { maxLength: 3 });
    await fuzz('ws-handshake', RUNS, fc.record({ init, after, awaitAck: fc.boolean() }), async ({ init: first, after: messages, awaitAck }) => {
      const conversation = await wsConverse(server.url, { init: first, awaitAck: awaitAck && first !== undefined, messages, listenMs: 400 });
      wsCheck('ws-handshake', conversation);
    });
  });

  it('huge frames, under and over the payload limit', async () => {
    const frames = fc.record({ megabytes: fc.double({ min: 1, max: 12, noNaN: true }), asQuery: fc.boolean() });
    await fuzz('ws-huge-frames', HEAVY_RUNS, frames, async ({ megabytes, asQuery }) => {
      const size = Math.floor(megabytes * MiB);
      const frame = asQuery ? JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { sessionTimeline(key: "${'x'.repeat(size)}") { __typename } }` } }) : Buffer.alloc(size, 0x61);
      const conversation = await wsConverse(server.url, {
        init: { type: 'connection_init', payload: { authorization: `Bearer ${mine.read}` } }, awaitAck: true, messages: [frame], listenMs: 1500,
        doneWhen: (c) => c.frames.some((f) => f.type === 'error' || f.type === 'next'),
      });
      wsCheck('ws-huge-frames', conversation);
      if (Buffer.byteLength(frame) > MAX_BODY_BYTES) expect(conversation.close?.code).toBe(1009);
    });
  });
});

function eventMutation(sessionKey: string, field: string, type: string): string {
  return `mutation($n: ${type}) { ingestBatch(input: {events: [{id: "${randomUUID()}", sessionKey: "${sessionKey}", type: LLM_CALL, timestamp: "${new Date().toISOString()}", ${field}: $n}]}) { accepted rejected { code } } }`;
}

function eventLiteral(sessionKey: string, field: string): string {
  return `mutation { ingestBatch(input: {events: [{id: "${randomUUID()}", sessionKey: "${sessionKey}", type: LLM_CALL, timestamp: "${new Date().toISOString()}", ${field}: §}]}) { accepted rejected { code } } }`;
}

/** A JSON value as a GraphQL literal, keeping every key (all of PROTO_KEYS are valid names). */
function toLiteral(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(', ')}]`;
  return `{${Object.keys(value).map((key) => `${key}: ${toLiteral(Object.getOwnPropertyDescriptor(value, key)!.value)}`).join(', ')}}`;
}
