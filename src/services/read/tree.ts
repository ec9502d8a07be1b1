/**
 * A session's events as a tree: depth-first, parents before children, siblings in timeline
 * order. Events whose parent is not in the session are roots. The walk is iterative, so depth
 * costs no stack; events caught in a parent cycle (a client bug) are still listed, under the
 * cycle's first event in timeline order, which becomes a root in its place among the others.
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

  /** Walks one subtree depth-first, skipping what `visited` holds; `emit` sees each event once. */
  const walk = (root: T, visited: Set<string>, emit: (entry: TreeEntry<T>) => void) => {
    const stack: TreeEntry<T>[] = [{ node: root, depth: 0, parent: null }];
    while (stack.length > 0) {
      const entry = stack.pop()!;
      if (visited.has(entry.node.key)) continue;
      visited.add(entry.node.key);
      emit(entry);
      const kids = children.get(entry.node.key) ?? [];
      // Pushed last-first so the earliest child is walked first.
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, depth: entry.depth + 1, parent: entry.node });
    }
  };

  // Roots are events without a parent in the session, plus, for each parent cycle nothing else
  // reaches, its first event in timeline order. Roots are siblings, so they go in timeline order.
  const roots = new Set(rows.filter((row) => row.parentKey === null || !byKey.has(row.parentKey)).map((row) => row.key));
  const reached = new Set<string>();
  for (const row of rows) if (roots.has(row.key)) walk(row, reached, () => {});
  for (const row of rows) {
    if (reached.has(row.key)) continue;
    roots.add(row.key);
    walk(row, reached, () => {});
  }

  const out: TreeEntry<T>[] = [];
  const visited = new Set<string>();
  for (const row of rows) if (roots.has(row.key)) walk(row, visited, (entry) => out.push(entry));
  return out;
}
