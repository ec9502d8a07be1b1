/**
 * A TCP proxy a test can cut, to make a dependency (PostgreSQL, Redis) unreachable for one
 * server without touching the shared service others use: the server is given the proxy's
 * address, and the test decides what the network does.
 *
 * - `open`: connections are forwarded to the target.
 * - `refuse()`: the port stops listening (a new connection gets ECONNREFUSED, as when the
 *   database is down) and every open connection is reset.
 * - `blackhole()`: new connections are accepted but nothing ever answers (a network partition:
 *   only timeouts find it out), and every open connection is reset.
 * - `restore()`: back to `open` on the same port.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyState = 'open' | 'refusing' | 'blackholed';

export interface TcpProxy {
  port: number;
  readonly state: ProxyState;
  /** Connections through the proxy right now (both ends open). */
  readonly connections: number;
  refuse(): Promise<void>;
  blackhole(): Promise<void>;
  restore(): Promise<void>;
  /** Stops everything; for afterAll/finally. */
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** The port to listen on; a free one when omitted. */
  port?: number;
  /** Starts refusing (not listening) instead of open: for a dependency that is "not there yet". */
  startRefusing?: boolean;
}

/** `url` with its host and port replaced by the proxy's (credentials, database and query kept). */
export function throughProxy(url: string, proxy: { port: number }): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

/** The host and port a URL points at (the defaults of postgres:// and redis:// when absent). */
export function targetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const defaultPort = parsed.protocol.startsWith('redis') ? 6379 : 5432;
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port ? Number(parsed.port) : defaultPort };
}

export async function startTcpProxy(target: { host: string; port: number }, options: ProxyOptions = {}): Promise<TcpProxy> {
  let state: ProxyState = 'refusing';
  const pairs = new Set<[Socket, Socket | null]>();
  let listener: Server | null = null;

  const resetAll = () => {
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream?.resetAndDestroy();
    }
    pairs.clear();
  };

  const accept = (client: Socket) => {
    client.on('error', () => {});
    if (state === 'blackholed') {
      // Accepted and never answered; kept so that restore() can reset it.
      const pair: [Socket, Socket | null] = [client, null];
      pairs.add(pair);
      client.once('close', () => pairs.delete(pair));
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket | null] = [client, upstream];
    pairs.add(pair);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.once('close', () => {
      upstream.destroy();
      pairs.delete(pair);
    });
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(accept);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(server);
      });
    });

  const stopListening = async () => {
    const server = listener;
    listener = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  let port = options.port ?? 0;
  if (!options.startRefusing || port === 0) {
    listener = await listen(port);
    port = (listener.address() as { port: number }).port;
    state = 'open';
    if (options.startRefusing) {
      // A port was needed to hand out; it is released again until restore().
      await stopListening();
      state = 'refusing';
    }
  }

  return {
    port,
    get state() {
      return state;
    },
    get connections() {
      return pairs.size;
    },
    async refuse() {
      state = 'refusing';
      // close() waits for open connections, so they are reset first.
      const closing = stopListening();
      resetAll();
      await closing;
    },
    async blackhole() {
      state = 'blackholed';
      resetAll();
      listener ??= await listen(port);
    },
    async restore() {
      // Connections accepted while blackholed never reached the target: reset, so clients retry.
      resetAll();
      state = 'open';
      listener ??= await listen(port);
    },
    async close() {
      state = 'refusing';
      const closing = stopListening();
      resetAll();
      await closing;
    },
  };
}
