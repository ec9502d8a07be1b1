/**
 * Event payloads (input, output, metadata) come back exactly as sent, through every read that
 * returns them: a timeline page, node(id), Event.parent and children, the tree, and a live
 * timeline frame. HTTP answers write the stored JSON text as it is (src/lib/raw-json.ts), so
 * these payloads are chosen to trip a splice that went wrong: every kind of JSON value, quotes,
 * backslashes, escapes, text outside the BMP, and the very text of the placeholder the splice
 * uses (without its U+0000, which no payload can hold).
 */
import { request } from 'node:http';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from './helpers/execute.js';
import { uniqueKey } from './helpers/factories.js';
import { LiveSockets, subscribe } from './helpers/live.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const INGEST = `mutation PayloadIngest($input: IngestBatchInput!) {
  ingestBatch(input: $input) { accepted duplicates rejected { index code message } }
}`;

const PAYLOAD_FIELDS = 'key input output metadata';

const TIMELINE = `query PayloadTimeline($key: String!) {
  session(key: $key) {
    events(first: 50) { edges { node { id ${PAYLOAD_FIELDS} parent { ${PAYLOAD_FIELDS} } children { ${PAYLOAD_FIELDS} } } } }
    tree { event { ${PAYLOAD_FIELDS} } }
  }
}`;

const START = `mutation PayloadStart($input: StartSessionInput!) { startSession(input: $input) { timelineCursor } }`;

const NODE = `query PayloadNode($id: ID!) { node(id: $id) { ... on Event { ${PAYLOAD_FIELDS} } } }`;

const LIVE = parse(`subscription PayloadLive($key: String!, $after: String) {
  sessionTimeline(key: $key, after: $after) { __typename ... on EventAppended { event { ${PAYLOAD_FIELDS} } } }
}`);

/** Each event's payloads: [input, output, metadata]. */
const PAYLOADS: [unknown, unknown, Record<string, unknown> | null][] = [
  [{ messages: [{ role: 'user', content: 'Say "hi" \\ then C:\\temp\\n' }], temperature: 0.25 }, 'a bare string', { a: 1 }],
  [42, true, { nested: { deep: [1, [2, [3, { four: null }]]] } }],
  [[], {}, {}],
  [null, null, null],
  [-0.5e-7, 'tab\there, newline\nhere, bell \u0007, and \u001f', { 'key with "quotes"': 'value' }],
  ['emoji 🧭 and accents é ü 中文 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', ['\u2028', '\u2029'], { '': 'empty key' }],
  // The placeholder's text and its JSON spelling, each without the U+0000 (refused at ingest).
  ['sightline:raw-json', '"\\u0000sightline:raw-json"', { text: '\\u0000sightline:raw-json' }],
  [{ big: 'x'.repeat(20_000) }, 1e21, { n: 123456789.125 }],
];

let server: TestServer;
let project: TestProject;
const sessionKey = uniqueKey('payloads');
const keys = PAYLOADS.map((_, i) => `${sessionKey}-e${i}`);
const expected = new Map(PAYLOADS.map(([input, output, metadata], i) => [keys[i]!, { key: keys[i]!, input, output, metadata }]));
const asSent = (key: string | undefined) => expected.get(key!);
/** The session's cursor before any of its events: live frames replay them all from it. */
let beforeEvents: string;

beforeAll(async () => {
  server = await startServer();
  project = await server.newProject();
  type Started = { startSession: { timelineCursor: string } };
  const started = await execute<Started, unknown>(server.url, START, { input: { key: sessionKey } }, { key: project.ingest });
  beforeEvents = started.startSession.timelineCursor;
  const base = Date.now() - 60_000;
  const events = PAYLOADS.map(([input, output, metadata], i) => ({
    id: keys[i]!,
    sessionKey,
    // Each event the child of the one before, so parent and children carry payloads too.
    parentId: i > 0 ? keys[i - 1]! : undefined,
    type: 'TOOL_CALL',
    timestamp: new Date(base + i).toISOString(),
    input,
    output,
    metadata,
  }));
  const { ingestBatch } = await execute<{ ingestBatch: unknown }, unknown>(server.url, INGEST, { input: { events } }, { key: project.ingest });
  expect(ingestBatch).toEqual({ accepted: PAYLOADS.length, duplicates: 0, rejected: [] });
});
afterAll(() => server.stop());

interface PayloadEvent {
  key: string;
  input: unknown;
  output: unknown;
  metadata: unknown;
}

describe('event payloads read back exactly as sent', () => {
  it('on a timeline page, with each event\'s parent and children, and in the tree', async () => {
    type Data = {
      session: {
        events: { edges: { node: PayloadEvent & { id: string; parent: PayloadEvent | null; children: PayloadEvent[] } }[] };
        tree: { event: PayloadEvent }[];
      };
    };
    const data = await execute<Data, unknown>(server.url, TIMELINE, { key: sessionKey }, { key: project.read });
    const nodes = data.session.events.edges.map((edge) => edge.node);
    expect(nodes.map((node) => node.key)).toEqual(keys);
    nodes.forEach((node, i) => {
      const { id: _id, parent, children, ...payloads } = node;
      expect(payloads).toEqual(asSent(keys[i]));
      expect(parent).toEqual(i > 0 ? asSent(keys[i - 1]) : null);
      expect(children).toEqual(i + 1 < keys.length ? [asSent(keys[i + 1])] : []);
    });
    expect(data.session.tree.map((node) => node.event)).toEqual(keys.map(asSent));
  });

  it('by node(id)', async () => {
    type Data = { session: { events: { edges: { node: { id: string } }[] } } };
    const page = await execute<Data, unknown>(server.url, TIMELINE, { key: sessionKey }, { key: project.read });
    for (const { node } of page.session.events.edges) {
      const { node: event } = await execute<{ node: PayloadEvent }, unknown>(server.url, NODE, { id: node.id }, { key: project.read });
      expect(event).toEqual(asSent(event.key));
    }
  });

  it('in the raw HTTP answer, which parses whole', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${project.read}` },
      body: JSON.stringify({ query: TIMELINE, variables: { key: sessionKey } }),
    });
    const text = await response.text();
    // Parsing the answer is the check that every spliced text landed where a value belongs.
    const nodes = (JSON.parse(text) as { data: { session: { events: { edges: { node: PayloadEvent }[] } } } }).data.session.events.edges;
    expect(nodes.map(({ node }) => ({ key: node.key, input: node.input, output: node.output, metadata: node.metadata }))).toEqual(keys.map(asSent));
  });

  it('in live timeline frames', async () => {
    const sockets = new LiveSockets();
    try {
      const socket = sockets.connect(server.url, project.read);
      const live = subscribe<{ sessionTimeline: { __typename: string; event?: PayloadEvent } }, { key: string; after: string }>(
        socket, LIVE, { key: sessionKey, after: beforeEvents },
      );
      const frames = await live.until((data) => data.sessionTimeline.event?.key === keys.at(-1));
      const events = frames.flatMap((frame) => (frame.sessionTimeline.event ? [frame.sessionTimeline.event] : []));
      expect(events).toEqual(keys.map(asSent));
    } finally {
      await sockets.disposeAll();
    }
  });
});

describe('large answers, written in chunks (src/lib/result-chunks.ts)', () => {
  /** More events than a long array's threshold, so the timeline page and the tree are written a slice at a time. */
  const count = 700;
  const longKey = uniqueKey('payloads-long');
  const longKeys = Array.from({ length: count }, (_, i) => `${longKey}-e${i}`);
  const longExpected = longKeys.map((key, i) => {
    const [input, output, metadata] = PAYLOADS[i % PAYLOADS.length]!;
    return { key, input, output, metadata };
  });
  const LONG = `query PayloadLong($key: String!, $first: Int) {
    session(key: $key) {
      events(first: $first) { totalCount edges { node { ${PAYLOAD_FIELDS} } } }
      tree { depth event { ${PAYLOAD_FIELDS} } }
    }
  }`;

  beforeAll(async () => {
    const base = Date.now() - 60_000;
    const events = longExpected.map(({ key, input, output, metadata }, i) => ({
      id: key, sessionKey: longKey, type: 'TOOL_CALL', timestamp: new Date(base + i).toISOString(), input, output, metadata,
    }));
    const { ingestBatch } = await execute<{ ingestBatch: unknown }, unknown>(server.url, INGEST, { input: { events } }, { key: project.ingest });
    expect(ingestBatch).toEqual({ accepted: count, duplicates: 0, rejected: [] });
  });

  it('a 700-event timeline page and tree carry every payload as sent, in order', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${project.read}` },
      body: JSON.stringify({ query: LONG, variables: { key: longKey, first: count } }),
    });
    expect(response.status).toBe(200);
    // Sent in chunks, so with no declared length: the path under test was taken.
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('content-type')).toContain('application/json');
    type Data = { session: { events: { totalCount: number; edges: { node: PayloadEvent }[] }; tree: { depth: number; event: PayloadEvent }[] } };
    const { data, errors } = JSON.parse(await response.text()) as { data: Data; errors?: unknown };
    expect(errors).toBeUndefined();
    expect(data.session.events.totalCount).toBe(count);
    expect(data.session.events.edges.map(({ node }) => node)).toEqual(longExpected);
    expect(data.session.tree.map((node) => node.depth)).toEqual(longKeys.map(() => 0));
    expect(data.session.tree.map((node) => node.event)).toEqual(longExpected);
  });

  it('asked for as server-sent events or multipart, a large answer is the same JSON in one event or part', async () => {
    const body = JSON.stringify({ query: LONG, variables: { key: longKey, first: count } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${project.read}` };
    type Data = { session: { events: { edges: { node: PayloadEvent }[] }; tree: { event: PayloadEvent }[] } };
    const expectAll = (json: string) => {
      const { data } = JSON.parse(json) as { data: Data };
      expect(data.session.events.edges.map(({ node }) => node)).toEqual(longExpected);
      expect(data.session.tree.map((node) => node.event)).toEqual(longExpected);
    };

    const sse = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { ...headers, accept: 'text/event-stream' }, body });
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const events = (await sse.text()).split('\n\n').filter((event) => event.startsWith('event: next'));
    expect(events).toHaveLength(1);
    expectAll(events[0]!.slice(events[0]!.indexOf('data: ') + 'data: '.length));

    const multipart = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { ...headers, accept: 'multipart/mixed' }, body });
    expect(multipart.headers.get('content-type')).toContain('multipart/mixed');
    const text = await multipart.text();
    const part = text.slice(text.indexOf('\r\n\r\n{') + 4, text.lastIndexOf('}') + 1);
    expectAll(part);
  });

  it('a client that hangs up in the middle of a large answer leaves the server answering', async () => {
    const body = JSON.stringify({ query: LONG, variables: { key: longKey, first: count } });
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), authorization: `Bearer ${project.read}` };
    for (let i = 0; i < 5; i++) {
      const received = await new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/graphql`, { method: 'POST', headers }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > 64 * 1024) {
              req.destroy();
              resolve(bytes);
            }
          });
          res.on('end', () => reject(new Error(`the whole answer (${bytes} bytes) arrived before the hang-up`)));
        });
        req.on('error', () => {});
        req.end(body);
      });
      expect(received).toBeGreaterThan(64 * 1024);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${project.read}` }, body });
    const { data } = (await response.json()) as { data: { session: { tree: { event: PayloadEvent }[] } } };
    expect(data.session.tree.map((node) => node.event)).toEqual(longExpected);
  });

  it('a small answer keeps its declared length', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${project.read}` },
      body: JSON.stringify({ query: LONG, variables: { key: sessionKey, first: 50 } }),
    });
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(await response.text()));
  });
});
