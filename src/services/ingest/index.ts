import type { Database } from '../../db/database.js';
import { createPostgresWriteStore } from './postgres-store.js';
import { createSqliteWriteStore } from './sqlite-store.js';
import type { WriteStore } from './write-ops.js';

export { ingestBatch, type IngestOutcome, type IngestLimits, type SessionUpsertInput } from './ingest-batch.js';
export { startSession, endSession, timeOutIdleSessions } from './session-commands.js';
export type { EventInput, IngestRejection } from './validate.js';
export type { SessionRow, WriteStore } from './write-ops.js';

export function createWriteStore(db: Database): WriteStore {
  return db.raw.provider === 'sqlite'
    ? createSqliteWriteStore(db.adapter, db.raw.connection)
    : createPostgresWriteStore(db.raw.pool);
}
