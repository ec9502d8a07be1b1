/**
 * A server under test in a child process of its own: it gets its own event loop (the load
 * generator never competes with it inside one process), and its memory can be read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

export interface ServerProcessOptions {
  /** What it is, for messages. */
  label: string;
  /**
   * The script to run, relative to `cwd`: `src/server.ts` runs as `npm start` does (compiled into
   * build/ by `npm run build`, then plain node); anything else runs with `node --import tsx`.
   */
  script: string;
  cwd: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** @default 60_000 */
  startTimeoutMs?: number;
}

export interface ServerProcess {
  readonly label: string;
  readonly pid: number;
  readonly url: string;
  /** Forgets the peak so far, so the next peakRssBytes() covers only what follows. */
  resetPeak(): void;
  /** Peak resident set size since start or the last resetPeak(). */
  peakRssBytes(): number;
  /** Resident set size once it first answered /healthz: what it holds before any work. */
  readonly startRssBytes: number;
  /** SIGTERM, then waits for the exit (SIGKILL after a deadline). */
  stop(): Promise<void>;
  /** The last output of the process, for error messages. */
  output(): string;
}

/** A port free right now on 127.0.0.1 (the child binds it a moment later). */
export async function freePort(): Promise<number> {
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

/** The runner's environment minus the server's own settings: those come only from `options.env`. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const serverSettings = /^(SIGHTLINE_|DATABASE_URL$|REDIS_URL$|PORT$|HOST$|LOG_LEVEL$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !serverSettings.test(name)));
}

const running = new Set<ServerProcess>();

/** Stops every server process still running (after a failure or an interrupt). */
export async function stopAllServerProcesses(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

function readStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const SERVER_SOURCE = 'src/server.ts';
const builtOnce = new Map<string, Promise<void>>();

/** `npm run build` in `cwd`, once per run: the server is measured as `npm start` runs it. */
function buildServer(cwd: string): Promise<void> {
  let built = builtOnce.get(cwd);
  if (!built) {
    built = new Promise<void>((resolve, reject) => {
      const child = spawn('npm', ['run', 'build', '--silent'], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
    });
    builtOnce.set(cwd, built);
  }
  return built;
}

/**
 * The node flags `npm start` passes (package.json's start script, `node <flags> build/server.js`):
 * the server is measured with the heap settings it runs with.
 */
function startScriptNodeFlags(cwd: string): string[] {
  const scripts = (JSON.parse(readFileSync(`${cwd}/package.json`, 'utf8')) as { scripts?: Record<string, string> }).scripts;
  const start = scripts?.start ?? '';
  const flags = /\bnode((?:\s+--\S+)*)\s+build\/server\.js\b/.exec(start);
  if (!flags) throw new Error(`package.json's start script does not run \`node [flags] build/server.js\` (it is: ${start})`);
  return flags[1]!.trim().split(/\s+/).filter(Boolean);
}

/** Starts the script (see `script`) and resolves once GET /healthz answers 200. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const compiled = options.script === SERVER_SOURCE;
  if (compiled) await buildServer(options.cwd);
  const entry = compiled ? [...startScriptNodeFlags(options.cwd), 'build/server.js'] : ['--import', 'tsx', options.script];
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeFlags ?? []), ...entry], {
    cwd: options.cwd,
    env: { ...inheritedEnv(), ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-16_384);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.label}: could not spawn ${options.script}`);

  // Polling is the only way to learn that another process is up; the deadline bounds it.
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while ((await get(`${url}/healthz`)) !== 200) {
    if (exited) throw new Error(`${options.label} exited during start (${JSON.stringify(exited)}):\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.label} did not answer /healthz within ${options.startTimeoutMs ?? 60_000} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // Linux resets VmHWM when 5 is written to clear_refs; where it cannot, a sampler keeps the peak.
  let canReset = true;
  let sampledPeakKb = 0;
  const sampler = setInterval(() => {
    sampledPeakKb = Math.max(sampledPeakKb, readStatusKb(pid, 'VmRSS') || 0);
  }, 100);
  sampler.unref();

  const server: ServerProcess = {
    label: options.label,
    pid,
    url,
    startRssBytes: (readStatusKb(pid, 'VmRSS') || 0) * 1024,
    resetPeak() {
      sampledPeakKb = readStatusKb(pid, 'VmRSS') || 0;
      if (!canReset) return;
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        canReset = false;
      }
    },
    peakRssBytes() {
      const hwm = canReset ? readStatusKb(pid, 'VmHWM') : Number.NaN;
      return (Number.isNaN(hwm) ? sampledPeakKb : Math.max(hwm, sampledPeakKb)) * 1024;
    },
    async stop() {
      running.delete(server);
      clearInterval(sampler);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
    output: () => log,
  };
  running.add(server);
  return server;
}
