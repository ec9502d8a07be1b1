/**
 * Reader threads for the statements that read a large part of a SQLite database (analytics):
 * each thread has a read-only connection of its own (sqlite-reader-thread.ts), so such a
 * statement neither holds the event loop (better-sqlite3 runs on the calling thread) nor waits
 * for another: statements sent together run side by side, one per thread. WAL lets them read
 * while the writer thread writes.
 *
 * Threads start on first use, so a server that is never asked for analytics never pays their
 * memory, and a thread that died is replaced by the next statement.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReadAnswer, ReaderOptions, ReadRequest } from './sqlite-reader-thread.js';

/** As sqlite-store.ts: the compiled module under build/, else a bootstrap that loads the source through tsx. */
const READER_ENTRY = new URL(
  import.meta.url.endsWith('.js') ? './sqlite-reader-thread.js' : './sqlite-reader-thread.bootstrap.mjs',
  import.meta.url,
);

/** Reader threads per database: more than the cores would only take turns. */
export const SQLITE_READER_THREADS = Math.min(availableParallelism(), 4);

export interface SqliteReaders {
  /** Runs one statement (`?` placeholders) on the first free reader; rows as objects keyed by column. */
  query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

interface Job {
  request: ReadRequest;
  resolve(rows: Record<string, unknown>[]): void;
  reject(error: Error): void;
}

interface Reader {
  thread: Worker;
  job: Job | undefined;
}

export function createSqliteReaders(options: ReaderOptions & { threads: number }): SqliteReaders {
  const readers: Reader[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  function startReader(): Reader {
    const thread = new Worker(READER_ENTRY, { workerData: { path: options.path, busyTimeoutMs: options.busyTimeoutMs } satisfies ReaderOptions, name: 'sightline-sqlite-reader' });
    // Idle readers never keep the process alive.
    thread.unref();
    const reader: Reader = { thread, job: undefined };
    thread.on('message', (answer: ReadAnswer) => {
      const job = reader.job;
      reader.job = undefined;
      if (job && job.request.id === answer.id) {
        if (answer.ok) job.resolve(answer.rows);
        else job.reject(Object.assign(new Error(answer.error.message), { name: answer.error.name, code: answer.error.code }));
      }
      dispatch();
    });
    const fail = (error: Error) => {
      const index = readers.indexOf(reader);
      if (index === -1) return; // closed, or failed already (an error is followed by an exit)
      readers.splice(index, 1);
      reader.job?.reject(error);
      reader.job = undefined;
      dispatch();
    };
    thread.on('error', (error) => fail(new Error(`a SQLite reader thread failed: ${error.message}`)));
    thread.on('exit', (code) => fail(new Error(`a SQLite reader thread exited (code ${code})`)));
    readers.push(reader);
    return reader;
  }

  function dispatch(): void {
    while (queue.length > 0 && !closed) {
      const reader = readers.find((r) => r.job === undefined) ?? (readers.length < options.threads ? startReader() : undefined);
      if (!reader) return;
      const job = queue.shift()!;
      reader.job = job;
      reader.thread.ref(); // a statement in flight keeps the process alive until it answers
      reader.thread.postMessage(job.request);
    }
    for (const reader of readers) if (reader.job === undefined) reader.thread.unref();
  }

  return {
    query(sql, params) {
      if (closed) return Promise.reject(new Error('the SQLite readers are closed'));
      return new Promise((resolve, reject) => {
        queue.push({ request: { id: nextId++, sql, params: [...params] }, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the SQLite readers are closed'));
      const threads = readers.splice(0).map((reader) => {
        reader.job?.reject(new Error('the SQLite readers are closed'));
        return reader.thread.terminate();
      });
      await Promise.all(threads);
    },
  };
}
