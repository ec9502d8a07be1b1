/**
 * The pragmas of every SQLite connection the server writes through: Prisma's (src/db/database.ts)
 * and the ingest writer thread's (services/ingest/sqlite-writer.ts), kept in one place so the two
 * cannot drift apart. A module of its own: the writer thread imports it without loading Prisma.
 */
import type BetterSqlite3 from 'better-sqlite3';

/**
 * WAL pages after which a commit checkpoints them into the database file: about 40 MB, where
 * SQLite's default of 1,000 pages (4 MB) made every second 1000-event batch pay a checkpoint
 * inside its COMMIT (a median commit of 10 ms, against 5 with this). Pages that later batches
 * rewrite (index pages) are copied once per checkpoint, not once per batch.
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

export function applySqlitePragmas(connection: BetterSqlite3.Database): void {
  // WAL lets readers run beside the writer; FULL syncs every commit, so an acknowledged batch
  // survives a power cut, not only a killed process.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
}
