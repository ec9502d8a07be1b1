/**
 * Prepared statements of one connection by their SQL text, the least recently used dropped first
 * past `capacity`: a server runs few shapes of statement, their values bound, but text built from
 * requests must not grow a cache without bound. Free of imports, so reader threads load only it.
 */
export function statementCache<S>(prepare: (sql: string) => S, capacity: number): (sql: string) => S {
  const statements = new Map<string, S>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement !== undefined) {
      // Most recently used last, so the first is the one to drop.
      statements.delete(sql);
    } else {
      statement = prepare(sql);
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  };
}
