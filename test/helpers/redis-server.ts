/**
 * A private redis-server child process on its own port, for tests that kill and restart Redis
 * without disturbing the shared one other tests use. Readiness is redis-server's own
 * "Ready to accept connections" line, not a timer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { deferred } from './live.js';
import { freePort } from './process.js';

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILLs the process (a crash, not a shutdown) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty, and waits until it accepts connections. */
  restart(): Promise<void>;
  /** Kills it if it runs; for afterAll/finally. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

function launch(port: number): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = deferred<void>();
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}`;
      resolve();
    });
    child.once('exit', () => resolve());
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (/Ready to accept connections/.test(output)) ready.resolve();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  void exited.then(() => ready.reject(new Error(`redis-server on port ${port} exited before it was ready:\n${output.slice(-3000)}`)));
  const timer = setTimeout(() => ready.reject(new Error(`redis-server on port ${port} not ready in ${READY_TIMEOUT_MS} ms:\n${output.slice(-3000)}`)), READY_TIMEOUT_MS);
  return ready.promise
    .then(() => ({ child, exited }))
    .catch(async (error: unknown) => {
      child.kill('SIGKILL');
      await exited;
      throw error;
    })
    .finally(() => clearTimeout(timer));
}

export async function startRedisServer(): Promise<RedisServer> {
  let port = 0;
  let current: { child: ChildProcess; exited: Promise<void> } | null = null;
  // A port free a moment ago may be taken by the time redis binds it: try another.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      current = await launch(port);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const kill = async () => {
    if (!current) return;
    const { child, exited } = current;
    current = null;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart() {
      await kill();
      current = await launch(port);
    },
    stop: kill,
  };
}
