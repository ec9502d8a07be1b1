/**
 * SQLite's reader threads (src/db/sqlite-readers.ts), on a real server's database file: the
 * statements that read whole projects (analytics) run there, off the event loop. SQLite only:
 * PostgreSQL has its pool instead.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteReaders } from '../src/db/sqlite-readers.js';
import { graphql } from './generated/gql.js';
import { onPostgres } from './helpers/database.js';
import { execute } from './helpers/execute.js';
import { uniqueKey } from './helpers/factories.js';
import { startServer, type TestServer } from './helpers/server.js';

const ReadersIngest = graphql(`
  mutation ReadersIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted }
  }
`);

/** Counts to `?` in SQL: a statement that keeps SQLite busy for a while and reads nothing. */
const COUNT_TO = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT COUNT(*) AS c FROM n';

describe.skipIf(onPostgres)('SQLite reader threads', () => {
  let server: TestServer;
  let readers: SqliteReaders;

  beforeAll(async () => {
    server = await startServer();
    readers = server.app.services.db.readers!;
  });
  afterAll(() => server?.stop());

  it('run a long statement while the event loop goes on', async () => {
    await readers.query('SELECT 1 AS one', []); // a thread is up
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const [row] = await readers.query(COUNT_TO, [2_000_000]);
      expect(row).toEqual({ c: 2_000_000n });
      // On the main thread the statement would have held the loop: no tick before it answered.
      expect(ticks).toBeGreaterThan(2);
    } finally {
      clearInterval(timer);
    }
  });

  it('see what was committed before the statement, and integers exactly', async () => {
    const project = await server.newProject();
    const sessionKey = uniqueKey();
    const { ingestBatch } = await execute(
      server.url,
      ReadersIngest,
      { input: { events: [7, 5].map((promptTokens) => ({ id: randomUUID(), sessionKey, type: 'LOG' as const, timestamp: new Date().toISOString(), promptTokens })) } },
      { key: project.ingest },
    );
    expect(ingestBatch.accepted).toBe(2);
    const rows = await readers.query('SELECT COUNT(*) AS n, SUM(prompt_tokens) AS tokens, 9007199254740993 AS big FROM events WHERE project_id = ?', [project.id]);
    expect(rows).toEqual([{ n: 2n, tokens: 12n, big: 9007199254740993n }]);
  });

  it('answer statements sent together, each its own', async () => {
    const counts = [300_000, 1, 200_000, 2, 100_000];
    const answers = await Promise.all(counts.map((count) => readers.query(COUNT_TO, [count])));
    expect(answers).toEqual(counts.map((count) => [{ c: BigInt(count) }]));
  });

  it('report a failing statement with SQLite\'s message, refuse writes, and go on serving', async () => {
    await expect(readers.query('SELECT * FROM no_such_table', [])).rejects.toThrow(/no such table: no_such_table/);
    await expect(readers.query('DELETE FROM events RETURNING id', [])).rejects.toThrow(/readonly/);
    expect(await readers.query('SELECT 41 + 1 AS answer', [])).toEqual([{ answer: 42n }]);
  });
});
