/**
 * The test's side of `watchers.ts`: starts the watcher process, tells it when to subscribe and
 * when to finish, and reads its report. `kill()` (after the test) leaves nothing behind.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferred } from '../../helpers/live.js';
import { failOnExitBeforeReport, repositoryRoot } from '../../helpers/process.js';
import type { FinalState, FleetControl, FleetMessage, FleetReport, WatchFleetConfig } from './watch-protocol.js';

const SCRIPT = fileURLToPath(new URL('./watchers.ts', import.meta.url));

function within<T>(promise: Promise<T>, ms: number, what: string, output: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`watchers: ${what} took over ${ms} ms\n${output().slice(-4000)}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class WatcherFleet {
  private child: ChildProcess | null = null;
  private folder: string | null = null;
  private output = '';
  private readonly connected = deferred<number>();
  private readonly subscribed = deferred<number>();
  private readonly done = deferred<FleetReport>();

  /** Starts the process; resolves once every socket is open and acknowledged. */
  async start(config: Omit<WatchFleetConfig, 'reportPath'>, timeoutMs = 120_000): Promise<number> {
    this.folder ??= mkdtempSync(join(tmpdir(), 'sightline-watchers-'));
    const reportPath = join(this.folder, 'report.json');
    const child = fork(SCRIPT, [JSON.stringify({ ...config, reportPath } satisfies WatchFleetConfig)], {
      cwd: repositoryRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    for (const waiting of [this.connected, this.subscribed, this.done]) waiting.promise.catch(() => {});
    const fail = (why: string) => {
      const error = new Error(`watchers: ${why}\n${this.output.slice(-4000)}`);
      this.connected.reject(error);
      this.subscribed.reject(error);
      this.done.reject(error);
    };
    child.on('message', (message: FleetMessage) => {
      if (message.type === 'connected') this.connected.resolve(message.sockets);
      else if (message.type === 'subscribed') this.subscribed.resolve(message.subscriptions);
      else if (message.type === 'done') this.done.resolve(JSON.parse(readFileSync(message.reportPath, 'utf8')) as FleetReport);
      else if (message.type === 'failed') fail(message.error);
    });
    failOnExitBeforeReport(child, fail);
    return within(this.connected.promise, timeoutMs, 'connecting', () => this.output);
  }

  /** Subscribes every watcher (the sessions they start from must exist); resolves with the count. */
  subscribe(timeoutMs = 60_000): Promise<number> {
    this.child?.send({ type: 'subscribe' } satisfies FleetControl);
    return within(this.subscribed.promise, timeoutMs, 'subscribing', () => this.output);
  }

  /** Waits (up to `settleMs`) for every timeline to end and every feed to show `finals`, then reports. */
  finish(finals: FinalState[], settleMs: number): Promise<FleetReport> {
    this.child?.send({ type: 'finish', finals, timeoutMs: settleMs } satisfies FleetControl);
    return within(this.done.promise, settleMs + 60_000, 'finishing', () => this.output);
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
  }
}
