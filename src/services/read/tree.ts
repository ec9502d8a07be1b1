/**
 * A session's events as a tree: depth-first, parents before children, siblings in timeline
 * order. Events whose parent is not in the session are roots. The walk is iterative, so depth
 * costs no stack; an event caught in a parent cycle (a client bug) is still listed, as a root
 * where the cycle is first met in timeline order.
 */

export interface TreeInput {
  key: string;
  parentKey: string | null;
}

export interface TreeEntry<T> {
  node: T;
  depth: number;
  parent: T | null;
}

/** `rows` must be in timeline order; so will the siblings be. */
export function depthFirst<T extends TreeInput>(rows: readonly T[]): TreeEntry<T>[] {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const children = new Map<string, T[]>();
  for (const row of rows) {
    if (row.parentKey === null || !byKey.has(row.parentKey)) continue;
    const siblings = children.get(row.parentKey);
    if (siblings) siblings.push(row);
    else children.set(row.parentKey, [row]);
  }
  const out: TreeEntry<T>[] = [];
  const visited = new Set<string>();
  const walk = (root: T) => {
    const stack: { node: T; depth: number; parent: T | null }[] = [{ node: root, depth: 0, parent: null }];
    while (stack.length > 0) {
      const entry = stack.pop()!;
      if (visited.has(entry.node.key)) continue;
      visited.add(entry.node.key);
      out.push(entry);
      const kids = children.get(entry.node.key) ?? [];
      // Pushed last-first so the earliest child is walked first.
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, depth: entry.depth + 1, parent: entry.node });
    }
  };
  for (const row of rows) {
    if (row.parentKey === null || !byKey.has(row.parentKey)) walk(row);
  }
  if (visited.size < rows.length) {
    for (const row of rows) if (!visited.has(row.key)) walk(row);
  }
  return out;
}
