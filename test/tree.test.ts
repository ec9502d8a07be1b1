/**
 * Session.tree through GraphQL over HTTP: every event once, depth-first (parents before
 * children, siblings in timeline order: timestamp, then send order), depth counted from the
 * roots, TreeNode.parentId the parent's global Event id. Events whose parent is unknown (never
 * sent, not sent yet, or in another session) are roots; a parent cycle still lists each event
 * once. Shapes: a deep chain, a wide fan, several roots, late parents, and 10,000 events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { EventInput } from './generated/graphql.js';
import { execute, executeError } from './helpers/execute.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const TreeIngest = graphql(`
  mutation TreeIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }
  }
`);

const TreeOfSession = graphql(`
  query TreeOfSession($key: String!) {
    session(key: $key) {
      tree { depth parentId event { id key parent { id key } } }
    }
  }
`);

const TreeStartSession = graphql(`
  mutation TreeStartSession($input: StartSessionInput!) {
    startSession(input: $input) { key tree { depth } }
  }
`);

const TreeWithPayloads = graphql(`
  query TreeWithPayloads($key: String!) {
    session(key: $key) {
      tree { depth event { key input output metadata } }
    }
  }
`);

/** The lean form for the large tree: no Event.parent lookups. */
const TreeOfSessionLean = graphql(`
  query TreeOfSessionLean($key: String!) {
    session(key: $key) {
      tree { depth parentId event { id key } }
    }
  }
`);

const MS = 1000; // microseconds

function iso(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

/** Three hours ago on a whole second plus 417 µs: inside the accepted range, with microseconds. */
function baseUs(): number {
  return Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1_000_000 + 417;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

function ev(sessionKey: string, id: string, timestampUs: number, parentId?: string): EventInput {
  return { id, sessionKey, type: 'LOG', timestamp: iso(timestampUs), parentId };
}

async function ingest(project: TestProject, events: EventInput[]): Promise<void> {
  const { ingestBatch } = await execute(server.url, TreeIngest, { input: { events } }, { key: project.ingest });
  expect(ingestBatch).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
}

async function tree(project: TestProject, key: string) {
  const { session } = await execute(server.url, TreeOfSession, { key }, { key: project.read });
  expect(session).not.toBeNull();
  return session!.tree;
}

/**
 * The tree as `key@depth<parentKey`, after checking that every parentId is the global id of
 * the listed parent (and of Event.parent when that is in the same session).
 */
async function shape(project: TestProject, key: string): Promise<string[]> {
  const nodes = await tree(project, key);
  const keyById = new Map(nodes.map((node) => [node.event.id, node.event.key]));
  return nodes.map((node) => {
    let parentKey = '';
    if (node.parentId !== null) {
      parentKey = keyById.get(node.parentId) ?? `unknown id ${node.parentId}`;
      expect(node.event.parent?.id).toBe(node.parentId);
    }
    return `${node.event.key}@${node.depth}${parentKey ? `<${parentKey}` : ''}`;
  });
}

describe('Session.tree shapes', () => {
  it('a 50-level chain lists depths 0..49 in order, whatever order the events were sent in', async () => {
    const project = await server.newProject();
    const t = baseUs();
    const chain = Array.from({ length: 50 }, (_, i) => ev('chain', `c${i}`, t + i * MS, i > 0 ? `c${i - 1}` : undefined));
    await ingest(project, shuffle(chain, random(50)));
    expect(await shape(project, 'chain')).toEqual(chain.map((_, i) => `c${i}@${i}${i > 0 ? `<c${i - 1}` : ''}`));
  });

  it('one root with 200 children lists them in timeline order, timestamp ties by send order', async () => {
    const project = await server.newProject();
    const t = baseUs();
    const next = random(200);
    // Forty distinct timestamps for 200 children: ties everywhere. Sent in a shuffled order,
    // so send order is neither key order nor timestamp order.
    const children = shuffle(
      Array.from({ length: 200 }, (_, i) => ev('wide', `child-${String(i).padStart(3, '0')}`, t + (1 + Math.floor(next() * 40)) * MS, 'root')),
      next,
    );
    await ingest(project, [ev('wide', 'root', t), ...children]);
    const expected = children
      .map((child, sendIndex) => ({ child, sendIndex }))
      .sort((a, b) => a.child.timestamp.localeCompare(b.child.timestamp) || a.sendIndex - b.sendIndex)
      .map(({ child }) => `${child.id}@1<root`);
    expect(await shape(project, 'wide')).toEqual(['root@0', ...expected]);
  });

  it('several roots, each followed by its subtree, roots and siblings in timeline order', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await ingest(project, [
      ev('forest', 'r2', t + 1 * MS),
      ev('forest', 'r1c1', t + 2 * MS, 'r1'),
      ev('forest', 'r3', t + 3 * MS),
      ev('forest', 'r1', t),
      ev('forest', 'r2c1', t + 4 * MS, 'r2'),
      ev('forest', 'r1c2', t + 5 * MS, 'r1'),
      ev('forest', 'r1c1g1', t + 6 * MS, 'r1c1'),
      ev('forest', 'r1c0', t + 2 * MS, 'r1'), // same timestamp as r1c1, sent after it
    ]);
    expect(await shape(project, 'forest')).toEqual([
      'r1@0', 'r1c1@1<r1', 'r1c1g1@2<r1c1', 'r1c0@1<r1', 'r1c2@1<r1', 'r2@0', 'r2c1@1<r2', 'r3@0',
    ]);
  });

  it('an event whose parent is unknown is a root (depth 0, parentId null) and keeps its own children', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await ingest(project, [
      ev('orphans', 'a', t),
      ev('orphans', 'orphan', t + 1 * MS, 'never-sent'),
      ev('orphans', 'orphan-child', t + 2 * MS, 'orphan'),
      ev('orphans', 'a-child', t + 3 * MS, 'a'),
    ]);
    expect(await shape(project, 'orphans')).toEqual(['a@0', 'a-child@1<a', 'orphan@0', 'orphan-child@1<orphan']);
    const nodes = await tree(project, 'orphans');
    expect(nodes[2]).toMatchObject({ depth: 0, parentId: null, event: { key: 'orphan', parent: null } });
  });

  it('a parent arriving in a later batch turns the orphan root into a nested child', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await ingest(project, [
      ev('late', 'other', t),
      ev('late', 'child', t + 2 * MS, 'parent'),
      ev('late', 'grandchild', t + 3 * MS, 'child'),
    ]);
    expect(await shape(project, 'late')).toEqual(['other@0', 'child@0', 'grandchild@1<child']);
    await ingest(project, [ev('late', 'parent', t + 1 * MS, 'other')]);
    expect(await shape(project, 'late')).toEqual(['other@0', 'parent@1<other', 'child@2<parent', 'grandchild@3<child']);
  });

  it('a parent in another session: the child is a root of its own session tree, and absent from the other', async () => {
    const project = await server.newProject();
    const t = baseUs();
    await ingest(project, [
      ev('session-a', 'in-a', t),
      ev('session-b', 'in-b', t + 1 * MS, 'in-a'),
      ev('session-b', 'in-b-child', t + 2 * MS, 'in-b'),
    ]);
    const b = await tree(project, 'session-b');
    expect(b.map((node) => [node.event.key, node.depth, node.parentId])).toEqual([
      ['in-b', 0, null],
      ['in-b-child', 1, b[0]!.event.id],
    ]);
    expect(await shape(project, 'session-a')).toEqual(['in-a@0']);
  });

  const cycleEvents = (t: number) => [
    ev('cycle', 'a', t, 'b'),
    ev('cycle', 'b', t + 1 * MS, 'a'),
    ev('cycle', 'c', t + 2 * MS, 'a'),
    ev('cycle', 'plain', t + 3 * MS),
    ev('cycle', 'x', t + 4 * MS, 'z'),
    ev('cycle', 'z', t + 5 * MS, 'y'),
    ev('cycle', 'y', t + 6 * MS, 'x'),
    ev('cycle', 'last', t + 7 * MS),
  ];

  it('parent cycles (a→b→a, x→y→z→x) still list every event exactly once, each cycle broken into a root', async () => {
    const project = await server.newProject();
    // (An event naming itself as parent is refused at ingest, so cycles need two events or more.)
    await ingest(project, cycleEvents(baseUs()));
    const listed = await shape(project, 'cycle');
    expect(listed.map((entry) => entry.split('@')[0]).sort()).toEqual(['a', 'b', 'c', 'last', 'plain', 'x', 'y', 'z']);
    // Each cycle is broken where it is first met in timeline order (a, x); the rest hangs below.
    const subtree = (root: string) => listed.slice(listed.indexOf(`${root}@0`), listed.indexOf(`${root}@0`) + 3);
    expect(subtree('a')).toEqual(['a@0', 'b@1<a', 'c@1<a']);
    expect(subtree('x')).toEqual(['x@0', 'y@1<x', 'z@2<y']);
  });

  it('a root made by breaking a cycle takes its timeline place among the other roots', async () => {
    const project = await server.newProject();
    await ingest(project, cycleEvents(baseUs()));
    // Roots are siblings: the contract lists siblings in timeline order.
    expect(await shape(project, 'cycle')).toEqual(['a@0', 'b@1<a', 'c@1<a', 'plain@0', 'x@0', 'y@1<x', 'z@2<y', 'last@0']);
  });

  it('carries every JSON payload as sent when they are selected: strings, numbers, arrays, objects, null', async () => {
    // On PostgreSQL jsonb arrives parsed: a JSON string must not be parsed a second time.
    const project = await server.newProject();
    const t = baseUs();
    const payloads = [
      { input: 'plain string', output: '{"looks": "like json"}', metadata: { nested: { list: [1, 'two'] } } },
      { input: 42.5, output: [1, 'a', null, { b: true }], metadata: null },
      { input: null, output: false, metadata: { '': '' } },
    ];
    await ingest(project, payloads.map((payload, i) => ({ ...ev('payloads', `p${i}`, t + i * MS, i > 0 ? 'p0' : undefined), ...payload })));
    const { session } = await execute(server.url, TreeWithPayloads, { key: 'payloads' }, { key: project.read });
    expect(session!.tree).toEqual(payloads.map((payload, i) => ({ depth: i > 0 ? 1 : 0, event: { key: `p${i}`, ...payload } })));
  });

  it('a session without events has an empty tree', async () => {
    const project = await server.newProject();
    await execute(server.url, TreeIngest, { input: { events: [], sessions: [{ key: 'empty' }] } }, { key: project.ingest });
    expect(await tree(project, 'empty')).toEqual([]);
  });

  it('10,000 events in ten batches, parents often after children: exactly the depth-first order computed here', async () => {
    const project = await server.newProject();
    const t = baseUs();
    const next = random(10_000);
    const count = 10_000;
    // A long chain (2,000 deep) plus random branching onto earlier events, some roots, some
    // orphans; timestamps drawn from a narrow range so many siblings tie.
    const events: EventInput[] = Array.from({ length: count }, (_, i) => {
      let parent: string | undefined;
      if (i > 0 && i < 2000) parent = `e${i - 1}`;
      else if (i >= 2000) {
        const roll = next();
        if (roll < 0.01) parent = undefined;
        else if (roll < 0.02) parent = `missing-${i}`;
        else parent = `e${Math.floor(next() * i)}`;
      }
      return ev('big', `e${i}`, t + Math.floor(next() * 500) * MS, parent);
    });
    const sent = shuffle(events, next);
    for (let i = 0; i < count; i += 1000) await ingest(project, sent.slice(i, i + 1000));

    // The expected listing, from the inputs alone.
    const sendIndex = new Map(sent.map((e, i) => [e.id, i]));
    const byTimeline = [...events].sort(
      (a, b) => a.timestamp.localeCompare(b.timestamp) || sendIndex.get(a.id)! - sendIndex.get(b.id)!,
    );
    const known = new Set(events.map((e) => e.id));
    const children = new Map<string, string[]>();
    const roots: string[] = [];
    for (const e of byTimeline) {
      if (e.parentId && known.has(e.parentId)) children.set(e.parentId, [...(children.get(e.parentId) ?? []), e.id]);
      else roots.push(e.id);
    }
    const expected: string[] = [];
    const stack: [string, number, string | null][] = roots.map((id) => [id, 0, null] as [string, number, string | null]).reverse();
    while (stack.length > 0) {
      const [id, depth, parent] = stack.pop()!;
      expected.push(`${id}@${depth}${parent ? `<${parent}` : ''}`);
      const kids = children.get(id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth + 1, id]);
    }

    const { session } = await execute(server.url, TreeOfSessionLean, { key: 'big' }, { key: project.read });
    const nodes = session!.tree;
    expect(nodes).toHaveLength(count);
    expect(new Set(nodes.map((node) => node.event.key)).size).toBe(count);
    const position = new Map(nodes.map((node, i) => [node.event.id, i]));
    const keyById = new Map(nodes.map((node) => [node.event.id, node.event.key]));
    // The structural rules on their own, for a readable failure before the exact comparison.
    nodes.forEach((node, i) => {
      if (node.parentId === null) {
        expect(node.depth).toBe(0);
        return;
      }
      const parentAt = position.get(node.parentId);
      expect(parentAt, `parent of ${node.event.key}`).toBeDefined();
      expect(parentAt!).toBeLessThan(i);
      expect(node.depth).toBe(nodes[parentAt!]!.depth + 1);
    });
    expect(Math.max(...nodes.map((node) => node.depth))).toBeGreaterThanOrEqual(1999);
    const listed = nodes.map((node) => `${node.event.key}@${node.depth}${node.parentId ? `<${keyById.get(node.parentId)}` : ''}`);
    expect(listed).toEqual(expected);
  });
});

describe('Session.tree access', () => {
  it('needs a READ key: an INGEST key gets FORBIDDEN and no tree', async () => {
    const project = await server.newProject();
    await ingest(project, [ev('guarded', 'g1', baseUs())]);
    const errors = await executeError(server.url, TreeOfSessionLean, { key: 'guarded' }, { key: project.ingest }, 'FORBIDDEN');
    expect(errors.length).toBeGreaterThan(0);
    const { session } = await execute(server.url, TreeOfSessionLean, { key: 'guarded' }, { key: project.admin });
    expect(session!.tree.map((node) => node.event.key)).toEqual(['g1']);
  });

  it('is guarded on its own: an INGEST key may start a session but not read its tree through the result', async () => {
    const project = await server.newProject();
    const errors = await executeError(server.url, TreeStartSession, { input: { key: 'started' } }, { key: project.ingest }, 'FORBIDDEN');
    expect(errors.map((error) => error.path)).toEqual([['startSession', 'tree']]);
    const { startSession } = await execute(server.url, TreeStartSession, { input: { key: 'started' } }, { key: project.admin });
    expect(startSession).toEqual({ key: 'started', tree: [] });
  });
});
