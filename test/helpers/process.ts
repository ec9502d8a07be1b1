/**
 * A real Sightline server as a child process, started the way `npm start` starts it
 * (`node --import tsx src/server.ts` from the repository root), for what only a process can
 * show: signals, exit codes, restarts, what is printed on the terminal. A test starts its
 * processes through its own `ServerProcesses`, whose `killAll()` (after the test) makes sure none
 * outlives it, even when the test fails halfway; tests running concurrently keep their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  /** Base URL, without `/graphql`. */
  url: string;
  port: number;
  pid: number;
  /** Everything the process printed so far. */
  stdout(): string;
  stderr(): string;
  /** Sends a signal to the process itself (not its group), as `kill <pid>` would. */
  kill(signal: NodeJS.Signals): void;
  /** Settles when the process has exited; never rejects. */
  exited: Promise<Exit>;
  /** True once `exited` has settled. */
  hasExited(): boolean;
  /** Started through npm: its group may hold a server that outlived npm. */
  viaNpm: boolean;
}

export interface SpawnOptions {
  /** `node` runs the entry point directly; `npm` runs `npm start`, which must hand over to it. */
  via?: 'node' | 'npm';
  /** Port to listen on; a free one is picked when omitted (PORT=0 would not tell us which). */
  port?: number;
}

/** Variables of RUNNING.md that the test process may carry and that must not leak into a child. */
const SERVER_VARIABLES = /^(PORT|HOST|DATABASE_URL|REDIS_URL|LOG_LEVEL|SIGHTLINE_.*)$/;

/** A port that was free a moment ago: the kernel's pick for port 0, released again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the process and returns at once, without waiting for it to serve. */
async function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SERVER_VARIABLES.test(name)));
  const [command, args] =
    options.via === 'npm' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'src/server.ts']];
  const child: ChildProcess = spawn(command, args, {
    cwd: repositoryRoot,
    env: { ...inherited, HOST: '127.0.0.1', LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that cleanup can also reach whatever npm started beneath it.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exitedFlag = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('error', (error) => {
      stderr += `\n[spawn error] ${error.message}`;
      exitedFlag = true;
      resolve({ code: null, signal: null });
    });
    // 'close' rather than 'exit': by then stdout and stderr have been read to the end.
    child.once('close', (code, signal) => {
      exitedFlag = true;
      resolve({ code, signal });
    });
  });
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal) => {
      if (!exitedFlag) child.kill(signal);
    },
    exited,
    hasExited: () => exitedFlag,
    viaNpm: options.via === 'npm',
  };
  return server;
}

export function describeOutput(server: ServerProcess): string {
  return `--- stdout ---\n${server.stdout().slice(-6000)}\n--- stderr ---\n${server.stderr().slice(-6000)}`;
}

/**
 * Polls `/healthz` until it answers 200. Polling is the only way to learn that another process
 * is up; the deadline bounds it, and a failure shows what the process printed.
 */
export async function waitUntilHealthy(server: ServerProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.hasExited()) {
      const { code, signal } = await server.exited;
      throw new Error(`server exited before serving (code ${code}, signal ${signal})\n${describeOutput(server)}`);
    }
    try {
      const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  throw new Error(`server did not answer /healthz with 200 within ${timeoutMs} ms (last: ${last})\n${describeOutput(server)}`);
}


/** SIGKILLs the process and its group (npm's children included) and waits for it to be gone. */
export async function killProcess(server: ServerProcess): Promise<Exit> {
  if ((!server.hasExited() || server.viaNpm) && server.pid > 0) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      server.kill('SIGKILL');
    }
  }
  return server.exited;
}

/** The processes of one test. */
export class ServerProcesses {
  private readonly started: ServerProcess[] = [];

  /** Starts a server and returns at once, without waiting for it to serve (or to fail). */
  async spawn(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServerProcess> {
    const server = await spawnServer(env, options);
    this.started.push(server);
    return server;
  }

  /**
   * Starts a server and waits until it serves. A port taken between `freePort()` and the
   * child's listen is retried with another one; any other early exit fails with the output.
   */
  async start(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServerProcess> {
    for (let attempt = 1; ; attempt++) {
      const server = await this.spawn(env, options);
      try {
        await waitUntilHealthy(server);
        return server;
      } catch (error) {
        const portTaken = server.hasExited() && /EADDRINUSE/.test(server.stdout() + server.stderr());
        if (!portTaken || options.port !== undefined || attempt >= 3) throw error;
      }
    }
  }

  /** No process of a test survives it, even a failed one. */
  async killAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((server) => killProcess(server)));
  }
}

/** Whether a new TCP connection to the port is refused (nobody listening any more). */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(true);
      else reject(error);
    });
  });
}

/**
 * Calls `fail` when a forked child exits, once its IPC channel has closed: Node may emit 'exit'
 * before the channel has handed over the child's last message (its report), and every message
 * sent on the channel has arrived once it is closed. A child that reported has settled its
 * promise by then, so `fail` only counts for one that did not.
 */
export function failOnExitBeforeReport(child: ChildProcess, fail: (why: string) => void): void {
  child.once('exit', (code, signal) => {
    const why = `exited (code ${code}, signal ${signal}) before reporting`;
    if (child.connected) child.once('disconnect', () => fail(why));
    else fail(why);
  });
}
