/**
 * The storage limit of ingest: the fastest the drivers can put the same event rows into the real
 * schema, with no HTTP, no GraphQL and no ingest logic. In the bench runner's own process, on a
 * fresh database opened and migrated by the server's own code (src/db), so the pragmas, the
 * indexes and the column types are the server's. The project and the sessions are made untimed,
 * by the server's own code; only the events are inserted raw.
 *
 * SQLite: one better-sqlite3 prepared INSERT run per row inside one transaction per batch, on a
 * connection with the server's pragmas (src/db/sqlite-pragmas.ts). PostgreSQL: one statement per
 * batch (autocommit, so one transaction each), by `unnest` over column arrays, by a multi-row
 * VALUES, or by COPY; the bench runs each and keeps the fastest. INSERTs say
 * `ON CONFLICT (project_id, key) DO NOTHING` as the server does; COPY cannot, and needs not with
 * the bench's unique ids.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { openDatabase, type Database, type Provider } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createWriteStore, ingestBatch } from '../../src/services/ingest/index.js';
import type { Batch } from './events.js';
import { copyFrom } from './pg-copy.js';

/** The columns of `events` that the server's write path fills, in its order. */
export const EVENT_COLUMNS = [
  'project_id', 'session_id', 'key', 'parent_key', 'seq', 'type', 'name', 'timestamp_us', 'duration_ms',
  'received_at_us', 'status', 'input', 'output', 'metadata', 'model', 'prompt_tokens', 'completion_tokens',
  'cost_usd', 'error_message', 'error_type',
] as const;
const RECEIVED_AT = EVENT_COLUMNS.indexOf('received_at_us');

/** One row of `events`, values in EVENT_COLUMNS order. */
export type EventRowValues = (string | number | null)[];

export type InsertMethod = 'prepared' | 'unnest' | 'values' | 'copy';

export interface TimedInsert {
  wallMs: number;
  rows: number;
  rowsPerSecond: number;
  latenciesMs: number[];
}

export interface RawEventStore {
  readonly provider: Provider;
  readonly db: Database;
  readonly projectId: number;
  /** The insert methods worth trying on this database. */
  readonly methods: InsertMethod[];
  /** Creates the sessions (untimed setup) and returns the rows the server would store for `batches`. */
  rowsFor(batches: Batch[]): Promise<EventRowValues[][]>;
  /**
   * Inserts `rows[i]` as batch i, one transaction per batch, `clients` at a time on PostgreSQL (each
   * client its own batches in order, like the load generator); sequential on SQLite, whose single
   * writer gains nothing from more connections.
   */
  insert(method: InsertMethod, rows: EventRowValues[][], clientOf: number[], clients: number): Promise<TimedInsert>;
  close(): Promise<void>;
}

export async function openRawEventStore(databaseUrl: string): Promise<RawEventStore> {
  const db = await openDatabase(databaseUrl);
  try {
    await applyMigrations(db);
    const { id: projectId } = await db.prisma.project.create({ data: { name: 'bench-storage-limit' } });
    const setup: Setup = { db, projectId, createSessions: (batches) => createSessions(db, projectId, batches) };
    return db.raw.provider === 'sqlite' ? sqliteStore(setup, db.raw.connection) : postgresStore(setup, db.raw.pool);
  } catch (error) {
    await db.close();
    throw error;
  }
}

interface Setup {
  db: Database;
  projectId: number;
  createSessions(batches: Batch[]): Promise<Map<string, number>>;
}

/**
 * The sessions the batches' events belong to, made by the server's own ingest service (untimed
 * setup, so the sessions table gets whatever the server puts there); returns key -> id.
 */
async function createSessions(db: Database, projectId: number, batches: Batch[]): Promise<Map<string, number>> {
  const earliest = new Map<string, number>();
  for (const batch of batches) {
    batch.events.forEach((e, i) => {
      const at = batch.timestampsUs[i]!;
      if (!(at >= (earliest.get(e.sessionKey) ?? Infinity))) earliest.set(e.sessionKey, at);
    });
  }
  const sessions = [...earliest].map(([key, startedAt]) => ({ key, startedAt }));
  const writeStore = createWriteStore(db);
  for (let i = 0; i < sessions.length; i += 500) {
    await ingestBatch(
      writeStore,
      { projectId, keyAgentId: null, sessions: sessions.slice(i, i + 500), events: [] },
      { maxBatchEvents: 1000, maxEventBytes: 256 * 1024 },
    );
  }
  const rows = await db.prisma.session.findMany({ where: { projectId, key: { in: [...earliest.keys()] } }, select: { id: true, key: true } });
  if (rows.length !== earliest.size) throw new Error(`expected ${earliest.size} sessions, found ${rows.length}`);
  return new Map(rows.map((row) => [row.key, row.id]));
}

const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Session ids and per-session seq, as the server would assign them, then the event rows. */
function buildRows(batches: Batch[], projectId: number, sessionIds: Map<string, number>): EventRowValues[][] {
  const seqs = new Map<string, number>();
  return batches.map((batch) =>
    batch.events.map((e, i) => {
      const seq = (seqs.get(e.sessionKey) ?? 0) + 1;
      seqs.set(e.sessionKey, seq);
      const status = e.status ?? (e.type === 'ERROR' ? 'ERROR' : 'OK');
      return [
        projectId, sessionIds.get(e.sessionKey)!, e.id, e.parentId ?? null, seq, e.type, e.name ?? null,
        batch.timestampsUs[i]!, e.durationMs ?? null, 0, status,
        e.input == null ? null : JSON.stringify(e.input), e.output == null ? null : JSON.stringify(e.output),
        e.metadata == null ? null : JSON.stringify(e.metadata), e.model ?? null, e.promptTokens ?? null,
        e.completionTokens ?? null, e.costUsd ?? null, e.errorMessage ?? null, e.errorType ?? null,
      ];
    }),
  );
}

function sqliteStore({ db, projectId, createSessions }: Setup, connection: BetterSqlite3.Database): RawEventStore {
  const insertEvent = connection.prepare(
    `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (project_id, key) DO NOTHING`,
  );
  const insertRows = connection.transaction((rows: EventRowValues[]) => {
    for (const row of rows) insertEvent.run(row);
  });
  return {
    provider: 'sqlite',
    db,
    projectId,
    methods: ['prepared'],
    async rowsFor(batches) {
      return buildRows(batches, projectId, await createSessions(batches));
    },
    async insert(method, rows) {
      if (method !== 'prepared') throw new Error(`SQLite has no insert method ${method}`);
      const latenciesMs: number[] = [];
      let count = 0;
      const started = performance.now();
      for (const batch of rows) {
        const sent = performance.now();
        const receivedAt = nowMicros();
        for (const row of batch) row[RECEIVED_AT] = receivedAt;
        insertRows(batch);
        latenciesMs.push(performance.now() - sent);
        count += batch.length;
      }
      const wallMs = performance.now() - started;
      return { wallMs, rows: count, rowsPerSecond: (count / wallMs) * 1000, latenciesMs };
    },
    close: () => db.close(),
  };
}

/** unnest's array types, per column (project_id is passed once, as $1). */
const UNNEST_TYPES = [
  'int', 'text', 'text', 'int', '"EventType"', 'text', 'bigint', 'float8', 'bigint', '"EventStatus"',
  'jsonb', 'jsonb', 'jsonb', 'text', 'int', 'int', 'float8', 'text', 'text',
];
const UNNEST_SQL = `INSERT INTO events (${EVENT_COLUMNS.join(', ')})
  SELECT $1, u.* FROM unnest(${UNNEST_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(', ')}) AS u
  ON CONFLICT (project_id, key) DO NOTHING`;

const valuesSqlCache = new Map<number, string>();
function valuesSql(rowCount: number): string {
  let sql = valuesSqlCache.get(rowCount);
  if (!sql) {
    const tuples: string[] = [];
    let n = 2;
    for (let r = 0; r < rowCount; r++) tuples.push(`($1, ${UNNEST_TYPES.map((type) => `$${n++}::${type}`).join(', ')})`);
    sql = `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (project_id, key) DO NOTHING`;
    valuesSqlCache.set(rowCount, sql);
  }
  return sql;
}

function postgresStore({ db, projectId, createSessions }: Setup, pool: pg.Pool): RawEventStore {
  async function insertOne(client: pg.PoolClient, method: InsertMethod, rows: EventRowValues[]): Promise<void> {
    switch (method) {
      case 'unnest': {
        const columns: unknown[][] = UNNEST_TYPES.map(() => new Array(rows.length));
        rows.forEach((row, r) => {
          for (let c = 1; c < row.length; c++) columns[c - 1]![r] = row[c];
        });
        await client.query(UNNEST_SQL, [projectId, ...columns]);
        return;
      }
      case 'values': {
        const params: unknown[] = [projectId];
        for (const row of rows) for (let c = 1; c < row.length; c++) params.push(row[c]);
        await client.query(valuesSql(rows.length), params);
        return;
      }
      case 'copy':
        await copyFrom(client, 'events', EVENT_COLUMNS, rows);
        return;
      case 'prepared':
        throw new Error('the prepared method is SQLite-only');
    }
  }

  return {
    provider: 'postgresql',
    db,
    projectId,
    methods: ['unnest', 'values', 'copy'],
    async rowsFor(batches) {
      return buildRows(batches, projectId, await createSessions(batches));
    },
    async insert(method, rows, clientOf, clients) {
      const latenciesMs: number[] = [];
      let count = 0;
      const connections = await Promise.all(Array.from({ length: clients }, () => pool.connect()));
      const started = performance.now();
      try {
        await Promise.all(
          connections.map(async (connection, client) => {
            for (let b = 0; b < rows.length; b++) {
              if (clientOf[b] !== client) continue;
              const batch = rows[b]!;
              const sent = performance.now();
              const receivedAt = nowMicros();
              for (const row of batch) row[RECEIVED_AT] = receivedAt;
              await insertOne(connection, method, batch);
              latenciesMs.push(performance.now() - sent);
              count += batch.length;
            }
          }),
        );
      } finally {
        for (const connection of connections) connection.release();
      }
      const wallMs = performance.now() - started;
      return { wallMs, rows: count, rowsPerSecond: (count / wallMs) * 1000, latenciesMs };
    },
    close: () => db.close(),
  };
}
