/**
 * A session's events as a tree: depth-first, parents before children, siblings in timeline
 * order. Events whose parent is not in the session are roots. The walk is iterative, so depth
 * costs no stack; events caught in a parent cycle (a client bug) are still listed, under the
 * cycle's first event in timeline order, which becomes a root in its place among the others.
 */
import type { Database } from '../../db/database.js';
import { eventColumns, selectEvents } from '../../db/event-rows.js';
import type { Event } from '../../generated/sqlite/client.js';

export interface TreeInput {
  key: string;
  parentKey: string | null;
}

/** The depth-first listing as row positions, with no object per row. */
export interface TreeOrder {
  /** Row positions in listing order. */
  order: Int32Array;
  /** By row position: its depth, 0 for a root. */
  depth: Int32Array;
  /** By row position: the position of the row it is listed under, -1 for a root. */
  parent: Int32Array;
}

/**
 * `rows` must be in timeline order; so will the siblings be.
 *
 * Works on row positions (typed arrays, children as one flat array of positions) rather than
 * maps and sets of keys: for a 10,000-event session that is about a millisecond instead of the
 * 15 to 50 ms, mostly garbage collection, that per-key maps, sets and entry objects cost.
 */
export function depthFirstOrder(rows: readonly TreeInput[]): TreeOrder {
  const n = rows.length;
  const positionOf = new Map<string, number>();
  for (let i = 0; i < n; i++) positionOf.set(rows[i]!.key, i);

  // Each row's parent position (-1: none in the session), and children in timeline order as
  // one flat array: the children of row p are childList[childStart[p] .. childStart[p + 1]).
  const parentOf = new Int32Array(n);
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const parentKey = rows[i]!.parentKey;
    const parent = parentKey === null ? -1 : (positionOf.get(parentKey) ?? -1);
    parentOf[i] = parent;
    if (parent >= 0) childStart[parent + 1]!++;
  }
  for (let p = 0; p < n; p++) childStart[p + 1]! += childStart[p]!;
  const childList = new Int32Array(childStart[n]!);
  const filled = childStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    const parent = parentOf[i]!;
    if (parent >= 0) childList[filled[parent]!++] = i;
  }

  const stack = new Int32Array(n + 1);
  /** Marks what a walk from `root` reaches, skipping what `seen` holds. */
  const mark = (root: number, seen: Uint8Array) => {
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const at = stack[--top]!;
      if (seen[at]) continue;
      seen[at] = 1;
      for (let c = childStart[at + 1]! - 1; c >= childStart[at]!; c--) stack[top++] = childList[c]!;
    }
  };

  // Roots are events without a parent in the session, plus, for each parent cycle nothing else
  // reaches, its first event in timeline order. Roots are siblings, so they go in timeline order.
  const isRoot = new Uint8Array(n);
  const reached = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (parentOf[i] === -1) isRoot[i] = 1;
  for (let i = 0; i < n; i++) if (isRoot[i]) mark(i, reached);
  for (let i = 0; i < n; i++) {
    if (reached[i]) continue;
    isRoot[i] = 1;
    mark(i, reached);
  }

  // The walk that lists: depth-first, the earliest child first (pushed last), each event once.
  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  const parent = new Int32Array(n);
  let listed = 0;
  const visited = new Uint8Array(n);
  const depthOf = new Int32Array(n);
  const pushedBy = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if (!isRoot[root]) continue;
    let top = 0;
    stack[top++] = root;
    depthOf[root] = 0;
    pushedBy[root] = -1;
    while (top > 0) {
      const at = stack[--top]!;
      if (visited[at]) continue;
      visited[at] = 1;
      order[listed++] = at;
      depth[at] = depthOf[at]!;
      parent[at] = pushedBy[at]!;
      for (let c = childStart[at + 1]! - 1; c >= childStart[at]!; c--) {
        const child = childList[c]!;
        if (visited[child]) continue;
        depthOf[child] = depthOf[at]! + 1;
        pushedBy[child] = at;
        stack[top++] = child;
      }
    }
  }
  return { order, depth, parent };
}

export interface Tree extends TreeOrder {
  /** The session's events in timeline order; TreeOrder's positions index this. */
  events: Event[];
}

/**
 * A session's tree. Without `payloads` the JSON columns (input, output, metadata) are left
 * unread, as null: they are most of a row, and a tree view rarely shows them.
 *
 * One statement through the bare driver (db/event-rows.ts) rather than `prisma.event.findMany`:
 * for a 10,000-event session Prisma's row mapping cost several times the statement itself.
 */
export async function loadTree(db: Database, sessionId: number, options: { payloads: boolean }): Promise<Tree> {
  const sql = `SELECT ${eventColumns(options)} FROM events WHERE session_id = ? ORDER BY timestamp_us, seq`;
  const events = await selectEvents(db, options.payloads ? 'tree_with_payloads' : 'tree', sql, [sessionId]);
  return { events, ...depthFirstOrder(events) };
}
