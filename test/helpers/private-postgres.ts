/**
 * A throwaway PostgreSQL cluster of a test's own, for what must never be done to the shared
 * server: stopping it hard (`pg_ctl stop -m immediate`, as a crash or a power cut would) and
 * starting it again under a running Sightline. `initdb` and `pg_ctl` refuse to run as root, so
 * they run as the `postgres` OS user (`runuser`), on a data directory in a temporary folder that
 * user owns; the cluster listens on 127.0.0.1 and a free port, its unix socket in the same folder,
 * trust authentication, fsync on (the default, stated so nobody "speeds it up").
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, chownSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './process.js';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 binaries; `SIGHTLINE_PG_BIN` points elsewhere. */
const PG_BIN = process.env.SIGHTLINE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';

export interface PrivatePostgres {
  port: number;
  /** The cluster's temporary folder (data directory, socket, log). */
  folder: string;
  /** A URL for `database` on this cluster, over TCP. */
  url(database: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the cluster: `immediate` is a crash (no checkpoint; recovery at the next start). */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** The server log so far (for failure messages). */
  log(): string;
  /** Stops it (if running) and removes every file. */
  destroy(): Promise<void>;
}

/** Why a private cluster cannot be made here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (to run initdb and pg_ctl as the postgres OS user through runuser)';
  for (const binary of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(PG_BIN, binary))) return `no ${binary} in ${PG_BIN} (set SIGHTLINE_PG_BIN)`;
  }
  return null;
}

async function asPostgres(binary: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('runuser', ['-u', OS_USER, '--', join(PG_BIN, binary), ...args], { timeout: 120_000 });
    return stdout + stderr;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

/** initdb + start. The caller must `destroy()` it (in a finally or an afterEach). */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const unavailable = privatePostgresUnavailable();
  if (unavailable) throw new Error(`private PostgreSQL: ${unavailable}`);
  const folder = mkdtempSync(join(tmpdir(), 'sightline-pg-'));
  const { stdout: ids } = await run('id', ['-u', OS_USER]);
  const { stdout: gids } = await run('id', ['-g', OS_USER]);
  chownSync(folder, Number(ids.trim()), Number(gids.trim()));
  const dataDir = join(folder, 'data');
  const logFile = join(folder, 'postgres.log');
  await asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  let running = false;
  let port = 0;

  const options = () =>
    [
      `-p ${port}`,
      `-k ${folder}`,
      "-c listen_addresses='127.0.0.1'",
      '-c fsync=on',
      '-c synchronous_commit=on',
      '-c full_page_writes=on',
      '-c max_connections=60',
      '-c shared_buffers=32MB',
    ].join(' ');

  const startOnce = () => asPostgres('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options(), 'start']);

  const cluster: PrivatePostgres = {
    get port() {
      return port;
    },
    folder,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: cluster.url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return cluster.url(name);
    },
    async stop(mode = 'immediate') {
      await asPostgres('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async start() {
      await startOnce();
      running = true;
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-6000) : ''),
    async destroy() {
      if (running || existsSync(join(dataDir, 'postmaster.pid'))) {
        await cluster.stop('immediate').catch(() => {});
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };

  // The first start picks the port; a port taken between freePort() and postgres' bind is retried.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await cluster.start();
      break;
    } catch (error) {
      if (attempt >= 3 || !/could not (bind|create listen)/i.test(cluster.log())) {
        await cluster.destroy();
        throw error;
      }
    }
  }
  if (!statSync(dataDir).isDirectory()) throw new Error(`initdb made no ${dataDir}`);
  return cluster;
}
