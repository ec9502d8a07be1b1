import type { Database } from '../../db/database.js';
import { createPostgresWriteStore } from './postgres-store.js';
import { createSqliteWriteStore } from './sqlite-store.js';
import type { WriteStore } from './write-ops.js';

export { ingestBatch, type IngestOutcome, type IngestLimits, type SessionUpsertInput } from './ingest-batch.js';
export { startSession, endSession, timeOutIdleSessions } from './session-commands.js';
export type { EventInput, IngestRejection } from './validate.js';
export type { SessionRow, WriteStore } from './write-ops.js';

/** How long the SQLite writer waits for the write lock while Prisma's connection holds it. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function createWriteStore(db: Database): WriteStore {
  if (db.raw.provider === 'postgresql') return createPostgresWriteStore(db.raw.pool);
  const path = db.raw.connection.name;
  if (db.raw.connection.memory) {
    throw new Error('an in-memory SQLite database cannot be shared with the writer thread; use a file: DATABASE_URL');
  }
  return createSqliteWriteStore({ path, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
}
