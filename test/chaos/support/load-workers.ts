/**
 * The test's side of the load generators: each `load-worker.ts` runs in a child process of its
 * own (`node --import tsx`, like the server), so killing and restarting the server, and the
 * worker's own event loop, are each real. `stop()` asks a worker to send what it has left and
 * resolves with its report; `killAll()` (after the test) leaves none behind.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferred } from '../../helpers/live.js';
import { failOnExitBeforeReport, repositoryRoot } from '../../helpers/process.js';
import type { ControlMessage, LoadWorkerConfig, WorkerMessage, WorkerReport } from './load-protocol.js';

/** A worker that has had nothing acknowledged this long after it started is stuck. */
const READY_TIMEOUT_MS = 60_000;
const WORKER_SCRIPT = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export interface LoadWorker {
  name: string;
  /** Settles once the worker has had its first events acknowledged. */
  ready: Promise<void>;
  /** Stops producing, sends what is left, and resolves with the report. */
  stop(timeoutMs?: number): Promise<WorkerReport>;
}

export class LoadWorkers {
  private readonly children: ChildProcess[] = [];
  /** Made on the first start: a test file whose test is skipped leaves nothing behind. */
  private folder: string | null = null;

  start(config: Omit<LoadWorkerConfig, 'reportPath'>): LoadWorker {
    this.folder ??= mkdtempSync(join(tmpdir(), 'sightline-load-'));
    const reportPath = join(this.folder, `${config.name}.json`);
    const child = fork(WORKER_SCRIPT, [JSON.stringify({ ...config, reportPath } satisfies LoadWorkerConfig)], {
      cwd: repositoryRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.children.push(child);
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let readyTimer: NodeJS.Timeout | undefined;
    const ready = deferred<void>();
    const done = deferred<WorkerReport>();
    ready.promise.catch(() => {});
    done.promise.catch(() => {});
    const fail = (why: string) => {
      clearTimeout(readyTimer);
      const error = new Error(`load worker ${config.name}: ${why}\n${output.slice(-4000)}`);
      ready.reject(error);
      done.reject(error);
    };
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') ready.resolve();
      else if (message.type === 'failed') fail(message.error);
      else if (message.type === 'done') done.resolve(JSON.parse(readFileSync(message.reportPath, 'utf8')) as WorkerReport);
    });
    failOnExitBeforeReport(child, fail);
    child.once('error', (error) => fail(error.message));
    readyTimer = setTimeout(() => fail(`no events acknowledged within ${READY_TIMEOUT_MS} ms of starting`), READY_TIMEOUT_MS);
    void ready.promise.then(() => clearTimeout(readyTimer), () => clearTimeout(readyTimer));
    return {
      name: config.name,
      ready: ready.promise,
      async stop(timeoutMs = 150_000) {
        if (child.connected) child.send({ type: 'stop' } satisfies ControlMessage);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`load worker ${config.name} did not report within ${timeoutMs} ms\n${output.slice(-4000)}`)), timeoutMs);
        });
        try {
          return await Promise.race([done.promise, timeout]);
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }

  /** Kills every worker still running and removes the reports. */
  async killAll(): Promise<void> {
    await Promise.all(
      this.children.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
  }
}
