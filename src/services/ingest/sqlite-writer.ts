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
 * Streamed input: a program opened with WriteStore.open starts on the first part of its input
 * and waits, inside the open transaction, for the next (a `receive` op), so the writer inserts the
 * first events of a batch while the main thread still validates the rest. Programs run one after
 * another: the next starts only once the waiting one has ended, so savepoints never interleave.
 *
 * Protocol (see sqlite-store.ts): the main thread posts `{ type: 'run', id, name, args, streamed }`,
 * then for a streamed program `{ type: 'part', id, part }` messages (a null part ends the input)
 * or `{ type: 'abort', id }`; the thread answers `{ id, ok: true, value }` or
 * `{ id, ok: false, error }` after the group's COMMIT.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applySqlitePragmas } from '../../db/sqlite-pragmas.js';
import { createSqliteOpExecutor } from './sqlite-ops.js';
import type { WriteOpResults, WriteProgram } from './write-ops.js';
import { startProgram, type ProgramName } from './write-programs.js';

export interface WriterOptions {
  /** The database file; migrations have already run on it. */
  path: string;
  /** How long to wait for another connection's write lock (Prisma's) before failing, in ms. */
  busyTimeoutMs: number;
}

export interface WriteRequest {
  type: 'run';
  id: number;
  name: ProgramName;
  args: unknown[];
  /** Whether input parts follow (WriteStore.open); without them every `receive` gets null. */
  streamed: boolean;
}

export type WriterMessage =
  | WriteRequest
  | { type: 'part'; id: number; part: readonly unknown[] | null }
  | { type: 'abort'; id: number }
  | { type: 'close' };

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

/** The caller gave up on a streamed program (its answer is not awaited). */
class ProgramAborted extends Error {
  constructor() {
    super('the program was aborted by its caller');
    this.name = 'ProgramAborted';
  }
}

const ABORTED = Symbol('aborted');
type InputPart = readonly unknown[] | null | typeof ABORTED;

/** A program that has started in the open transaction and not yet ended. */
interface Running {
  id: number;
  steps: WriteProgram<unknown>;
  streamed: boolean;
}

/** What a program's pending `receive` gets: a part (null once its input ended), or the abort. */
type Input = { value: WriteOpResults['receive'] } | { error: Error };

function startWriter(port: NonNullable<typeof parentPort>, options: WriterOptions): void {
  const connection = new Database(options.path, { timeout: options.busyTimeoutMs });
  applySqlitePragmas(connection);
  const execute = createSqliteOpExecutor(connection);
  const begin = connection.prepare('BEGIN IMMEDIATE');
  const commit = connection.prepare('COMMIT');
  const rollback = connection.prepare('ROLLBACK');
  const savepoint = connection.prepare('SAVEPOINT program');
  const release = connection.prepare('RELEASE program');
  const rollbackToSavepoint = connection.prepare('ROLLBACK TO program');

  /** Programs not started yet, in arrival order. */
  const queue: WriteRequest[] = [];
  /** Input parts of streamed programs that their program has not asked for yet. */
  const inputs = new Map<number, InputPart[]>();
  /** Answers of the open transaction's programs, posted after its COMMIT. */
  let answers: WriteAnswer[] = [];
  let running: Running | undefined;
  let closing = false;

  /** The answer to a program's `receive`, or undefined while its next part has not arrived. */
  function nextInput(program: Running): Input | undefined {
    if (!program.streamed) return { value: null }; // run(): no input beyond its arguments
    const part = inputs.get(program.id)?.shift();
    if (part === undefined) return undefined;
    return part === ABORTED ? { error: new ProgramAborted() } : { value: part };
  }

  /**
   * Runs the program from its start (no input) or from the `receive` it waits at, until it ends
   * (true; its savepoint released or rolled back, its answer kept) or asks for input that has not
   * arrived (false; `resume` goes on when the input does).
   */
  function advance(program: Running, input?: Input): boolean {
    try {
      let step = input === undefined ? program.steps.next() : 'error' in input ? program.steps.throw(input.error) : program.steps.next(input.value);
      while (!step.done) {
        const op = step.value;
        if (op.kind !== 'receive') {
          step = program.steps.next(execute(op));
          continue;
        }
        const received = nextInput(program);
        if (!received) return false;
        step = 'error' in received ? program.steps.throw(received.error) : program.steps.next(received.value);
      }
      release.run();
      answers.push({ id: program.id, ok: true, value: step.value });
    } catch (error) {
      rollbackToSavepoint.run();
      release.run();
      answers.push({ id: program.id, ok: false, error: serialiseError(error) });
    }
    inputs.delete(program.id);
    return true;
  }

  /** Resumes a program that waits for input, once some has arrived. */
  function resume(program: Running): boolean {
    const input = nextInput(program);
    return input !== undefined && advance(program, input);
  }

  function commitGroup(): void {
    const group = answers;
    answers = [];
    let outcome = group;
    try {
      commit.run();
    } catch (error) {
      if (connection.inTransaction) rollback.run();
      outcome = group.map(({ id }) => ({ id, ok: false, error: serialiseError(error) }));
    }
    for (const answer of outcome) port.postMessage(answer);
  }

  /**
   * A statement of the transaction itself failed (a savepoint, a rollback to one: an I/O error or
   * a full disk): nothing of the open transaction can be trusted, so every program in it fails.
   */
  function abandonGroup(error: unknown): void {
    const failed = answers.map(({ id }) => id);
    if (running) failed.push(running.id);
    answers = [];
    running = undefined;
    try {
      if (connection.inTransaction) rollback.run();
    } catch {
      // The connection is beyond use; the answers below still tell every caller.
    }
    for (const id of failed) {
      inputs.delete(id);
      port.postMessage({ id, ok: false, error: serialiseError(error) } satisfies WriteAnswer);
    }
  }

  let scheduled = false;
  /**
   * Messages posted while a group ran are delivered together; setImmediate lets them all arrive
   * before the next group starts, so they share its COMMIT.
   */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  }

  function drain(): void {
    scheduled = false;
    try {
      runQueued();
    } catch (error) {
      abandonGroup(error);
      // The programs still queued get a transaction of their own.
      if (queue.length > 0) return schedule();
    }
    if (closing && !running) {
      connection.close();
      port.close();
    }
  }

  function runQueued(): void {
    let programsInGroup = answers.length;
    for (;;) {
      if (running) {
        if (!resume(running)) return; // the transaction stays open until its input arrives
        running = undefined;
        programsInGroup++;
      }
      const request = programsInGroup < MAX_GROUP ? queue.shift() : undefined;
      if (request) {
        if (!connection.inTransaction) {
          try {
            begin.run();
          } catch (error) {
            // No transaction, no writes: the caller hears why.
            inputs.delete(request.id);
            port.postMessage({ id: request.id, ok: false, error: serialiseError(error) } satisfies WriteAnswer);
            continue;
          }
        }
        // Running from here on, so that a failing savepoint statement still answers it (abandonGroup).
        running = { id: request.id, steps: startProgram(request.name, request.args as never), streamed: request.streamed };
        savepoint.run();
        if (!advance(running)) return; // it waits for input, in the open transaction
        running = undefined;
        programsInGroup++;
        continue;
      }
      if (connection.inTransaction) commitGroup();
      programsInGroup = 0;
      if (queue.length === 0) break;
    }
  }

  port.on('message', (message: WriterMessage) => {
    switch (message.type) {
      case 'run':
        queue.push(message);
        if (message.streamed && !inputs.has(message.id)) inputs.set(message.id, []);
        break;
      case 'part':
        inputs.get(message.id)?.push(message.part);
        break;
      case 'abort':
        inputs.get(message.id)?.push(ABORTED);
        break;
      case 'close':
        // The server has stopped taking requests: what was sent is written, then the thread ends.
        // A program still waiting for input will never get it.
        closing = true;
        for (const parts of inputs.values()) parts.push(ABORTED);
        break;
    }
    schedule();
  });
}

if (parentPort) startWriter(parentPort, workerData as WriterOptions);
