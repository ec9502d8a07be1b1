/**
 * The SQLite writer thread. It owns a connection of its own to the database file and runs write
 * programs (write-programs.ts) sent by the server's main thread, so inserting rows and waiting
 * for fsync never block the event loop that parses and answers requests: while one batch is
 * being written, the next ones are already being parsed and validated.
 *
 * Group commit: programs that arrive while a transaction runs share the next one, each inside
 * its own SAVEPOINT (a program that fails rolls back alone). Every caller is answered only after
 * the shared COMMIT, so one fsync covers a whole group of batches.
 *
 * Protocol (see sqlite-store.ts): the main thread posts `{ id, name, args }`; the thread answers
 * `{ id, ok: true, value }` or `{ id, ok: false, error }` after the group's COMMIT.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createSqliteOpExecutor } from './sqlite-ops.js';
import type { WriteOp } from './write-ops.js';
import { startProgram, type ProgramName } from './write-programs.js';

export interface WriterOptions {
  /** The database file; migrations have already run on it. */
  path: string;
  /** How long to wait for another connection's write lock (Prisma's) before failing, in ms. */
  busyTimeoutMs: number;
}

export interface WriteRequest {
  id: number;
  name: ProgramName;
  args: unknown[];
}

export interface SerialisedError {
  name: string;
  message: string;
  code?: string;
}

export type WriteAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerialisedError };

/** Programs sharing one transaction at most: bounds how long a burst holds the write lock. */
const MAX_GROUP = 64;

function serialiseError(error: unknown): SerialisedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

function startWriter(port: NonNullable<typeof parentPort>, options: WriterOptions): void {
  const connection = new Database(options.path, { timeout: options.busyTimeoutMs });
  // As the server's own connection: WAL so readers run beside this writer; FULL syncs every
  // commit, so an acknowledged batch survives a power cut, not only a killed process.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  const execute = createSqliteOpExecutor(connection);
  const begin = connection.prepare('BEGIN IMMEDIATE');
  const commit = connection.prepare('COMMIT');
  const rollback = connection.prepare('ROLLBACK');
  const savepoint = connection.prepare('SAVEPOINT program');
  const release = connection.prepare('RELEASE program');
  const rollbackToSavepoint = connection.prepare('ROLLBACK TO program');

  function runProgram(request: WriteRequest): unknown {
    const steps = startProgram(request.name, request.args as never);
    let step = steps.next();
    while (!step.done) step = steps.next(execute(step.value as WriteOp));
    return step.value;
  }

  function runGroup(group: WriteRequest[]): WriteAnswer[] {
    try {
      begin.run();
    } catch (error) {
      // No transaction, no writes: every caller of the group hears why.
      return group.map(({ id }) => ({ id, ok: false, error: serialiseError(error) }));
    }
    const answers: WriteAnswer[] = [];
    try {
      for (const request of group) {
        savepoint.run();
        try {
          answers.push({ id: request.id, ok: true, value: runProgram(request) });
          release.run();
        } catch (error) {
          rollbackToSavepoint.run();
          release.run();
          answers.push({ id: request.id, ok: false, error: serialiseError(error) });
        }
      }
      commit.run();
      return answers;
    } catch (error) {
      if (connection.inTransaction) rollback.run();
      return group.map(({ id }) => ({ id, ok: false, error: serialiseError(error) }));
    }
  }

  const queue: WriteRequest[] = [];
  let scheduled = false;
  function drain(): void {
    scheduled = false;
    while (queue.length > 0) {
      for (const answer of runGroup(queue.splice(0, MAX_GROUP))) port.postMessage(answer);
    }
  }
  port.on('message', (message: WriteRequest | 'close') => {
    if (message === 'close') {
      drain();
      connection.close();
      port.close();
      return;
    }
    queue.push(message);
    // Requests posted while a group ran are delivered together; setImmediate lets them all
    // arrive before the next group starts, so they share its COMMIT.
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
}

if (parentPort) startWriter(parentPort, workerData as WriterOptions);
