/**
 * The write path on SQLite: write programs run on a writer thread (sqlite-writer.ts) with a
 * connection of its own, so inserts and fsync never block the event loop. This side is the
 * thread's client: it posts each program by name and settles the caller's promise with the
 * answer, which arrives after the program's transaction committed.
 */
import { Worker } from 'node:worker_threads';
import { UserInputError } from '../../lib/user-input-error.js';
import type { ProgramInput, WriteStore } from './write-ops.js';
import type { ProgramArgs, ProgramName, ProgramResult } from './write-programs.js';
import type { SerialisedError, WriteAnswer, WriterMessage, WriterOptions } from './sqlite-writer.js';

/**
 * The thread's entry: the compiled module when this one is compiled (`npm start` runs build/),
 * else a bootstrap that loads the TypeScript source through tsx (tests, `npm run dev`).
 */
const WRITER_ENTRY = new URL(import.meta.url.endsWith('.js') ? './sqlite-writer.js' : './sqlite-writer.bootstrap.mjs', import.meta.url);

/** Rebuilds an error thrown on the writer thread: the expected ones keep their class and code. */
function reviveError(error: SerialisedError): Error {
  if (error.name === 'UserInputError') {
    return new UserInputError(error.message, error.code as ConstructorParameters<typeof UserInputError>[1]);
  }
  const revived = new Error(error.message) as Error & { code?: string };
  revived.name = error.name;
  if (error.code !== undefined) revived.code = error.code;
  return revived;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export function createSqliteWriteStore(options: WriterOptions): WriteStore {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let writer: Worker | undefined;
  let closed = false;

  function failAll(error: Error): void {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  }

  /** The writer thread, started on first use and again after it died. */
  function ensureWriter(): Worker {
    if (writer) return writer;
    const thread = new Worker(WRITER_ENTRY, { workerData: options, name: 'sightline-sqlite-writer' });
    // The server's own handles keep the process alive; the writer alone never should.
    thread.unref();
    thread.on('message', (answer: WriteAnswer) => {
      const waiting = pending.get(answer.id);
      if (!waiting) return;
      pending.delete(answer.id);
      if (answer.ok) waiting.resolve(answer.value);
      else waiting.reject(reviveError(answer.error));
    });
    thread.on('error', (error) => {
      // A crash of the thread (not a failed program: those are answered) fails what it held;
      // none of it was acknowledged, and the next write starts a new thread.
      if (writer === thread) writer = undefined;
      failAll(new Error(`the SQLite writer thread failed: ${error.message}`));
    });
    thread.on('exit', (code) => {
      if (writer === thread) writer = undefined;
      if (pending.size > 0) failAll(new Error(`the SQLite writer thread exited (code ${code}) with writes in flight`));
    });
    writer = thread;
    return thread;
  }

  // Started now, not at the first write, which would otherwise wait for the thread to load.
  ensureWriter();

  /** Posts a program to the writer; the promise settles with its answer, after its COMMIT. */
  function post<N extends ProgramName>(name: N, args: ProgramArgs<N>, streamed: boolean): { id: number; answer: Promise<ProgramResult<N>> } {
    const id = nextId++;
    const answer = new Promise<ProgramResult<N>>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    send({ type: 'run', id, name, args, streamed });
    return { id, answer };
  }

  function send(message: WriterMessage): void {
    ensureWriter().postMessage(message);
  }

  return {
    run<N extends ProgramName>(name: N, ...args: ProgramArgs<N>): Promise<ProgramResult<N>> {
      if (closed) return Promise.reject(new Error('the write store is closed'));
      return post(name, args, false).answer;
    },
    open<N extends ProgramName>(name: N, ...args: ProgramArgs<N>): ProgramInput<ProgramResult<N>> {
      if (closed) throw new Error('the write store is closed');
      const { id, answer } = post(name, args, true);
      // A writer that died answers every program it held: only an aborted one's answer goes unread.
      let aborted = false;
      return {
        push: (part) => send({ type: 'part', id, part }),
        end() {
          send({ type: 'part', id, part: null });
          return answer;
        },
        abort() {
          if (aborted) return;
          aborted = true;
          answer.catch(() => undefined);
          send({ type: 'abort', id });
        },
      };
    },
    async close() {
      closed = true;
      const thread = writer;
      if (!thread) return;
      // The thread writes what it holds, closes its connection and exits. Referenced meanwhile:
      // an unreferenced thread is no reason to stay alive, and Node would exit mid-stop.
      thread.ref();
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      thread.postMessage({ type: 'close' } satisfies WriterMessage);
      await exited;
    },
  };
}
