/**
 * The HTTP server: GraphQL over HTTP (yoga) and over WebSocket (graphql-ws) on one path and port,
 * `/healthz`, request logs, body limits, graceful stop. `buildApp()` returns `{ start, stop }`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaInitialContext } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from './config.js';
import type { Caller, Context, Services } from './context.js';
import { openDatabase } from './db/database.js';
import { applyMigrations } from './db/migrate.js';
import { apiError, unauthenticated } from './errors.js';
import { createLoaders } from './loaders/index.js';
import type { Logger } from './logger.js';
import { useCostLimits } from './plugins/use-cost-limits.js';
import { createErrorMasker, useErrorCodes } from './plugins/use-error-codes.js';
import { usePreciseVariableErrors } from './plugins/use-precise-variable-errors.js';
import { sharedPayloadReplacer, sharedResultOnNext, spliceSharedPayload, useSharedSubscriptionResults } from './plugins/use-shared-subscription-results.js';
import { schema } from './schema/index.js';
import { ApiKeyAuthenticator } from './services/auth/api-keys.js';
import { bootstrap, type BootstrapResult } from './services/auth/bootstrap.js';
import { createWriteStore } from './services/ingest/index.js';
import { LiveBus } from './services/live/bus.js';
import { startIdleSweeper } from './services/live/idle-sweeper.js';

export const GRAPHQL_PATH = '/graphql';
/** RUNNING.md gives shutdown 10 seconds in all; in-flight requests get most of it. */
const SHUTDOWN_GRACE_MS = 8_000;
/** Close code for sockets the server closes because it is going away (RFC 6455). */
const CLOSE_GOING_AWAY = 1001;
/** Close code for a watcher too slow to take what it subscribed to (see watchSlowConsumers). */
export const CLOSE_SLOW_CONSUMER = 4008;
const SLOW_CONSUMER_REASON = 'consumer too slow: reconnect and resume with your last cursor';
const MAX_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * graphql-ws waits for each message to be written before taking the next from a subscription, so
 * a client that stops reading holds one unsent message per subscription rather than an unbounded
 * queue; what it must not do is stall its watchers forever. Each socket's sends are timed, and a
 * socket whose oldest unfinished send is older than `limitMs` is closed with 4008.
 */
function watchSlowConsumers(wsServer: WebSocketServer, limitMs: number): () => void {
  const oldestPending = new WeakMap<WebSocket, number[]>();
  wsServer.on('connection', (socket: WebSocket) => {
    const started: number[] = [];
    oldestPending.set(socket, started);
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      const callback = typeof rest.at(-1) === 'function' ? (rest.pop() as (error?: Error) => void) : undefined;
      started.push(Date.now());
      send(spliceSharedPayload(data), ...rest, (error?: Error) => {
        started.shift();
        callback?.(error);
      });
    }) as WebSocket['send'];
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const socket of wsServer.clients) {
      const oldest = oldestPending.get(socket)?.[0];
      const stalled = oldest !== undefined && now - oldest > limitMs;
      if (stalled || socket.bufferedAmount > MAX_SOCKET_BUFFER_BYTES) socket.close(CLOSE_SLOW_CONSUMER, SLOW_CONSUMER_REASON);
    }
  }, Math.min(1000, limitMs));
  sweep.unref();
  return () => clearInterval(sweep);
}

/**
 * Everything yoga is configured with but the context: shared with the benchmark's transport
 * limit, which must answer the same request through the same pipeline.
 */
export function yogaOptions(logger: Logger) {
  return {
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    logging: false,
    graphiql: { subscriptionsProtocol: 'WS' as const, title: 'Sightline GraphiQL' },
    maskedErrors: { maskError: createErrorMasker(logger) },
    // graphql-jit compiles each operation once, variable coercion included: a 1000-event batch
    // coerces in about a third of graphql-js' time, which is most of the GraphQL layer's cost.
    plugins: [
      useCostLimits(),
      // Subscriptions stay on graphql-js: graphql-jit's compiled subscribe loses field arguments.
      useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== 'subscription' }),
      usePreciseVariableErrors(),
      // Before the error plugins, so that what they rewrite is the shared result.
      useSharedSubscriptionResults(),
      useErrorCodes(),
    ],
  };
}

export interface App {
  services: Services;
  bootstrap: BootstrapResult;
  /** Listens on config.port (0 picks a free port) and returns the base URL. */
  start(): Promise<{ url: string; port: number }>;
  /** Stops accepting, lets in-flight requests finish, closes sockets with 1001, closes the database. */
  stop(): Promise<void>;
}

interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

/** What a socket remembers beside graphql-ws' own `request` and `socket`: who authenticated it. */
type SocketExtra = { caller?: Caller };

function bearerSecret(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export async function buildApp(config: Config, logger: Logger): Promise<App> {
  const db = await openDatabase(config.databaseUrl);
  try {
    const { applied } = await applyMigrations(db, { log: (message) => logger.info(message) });
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }
  const live = new LiveBus(logger);
  if (config.redisUrl) await live.connectRedis(config.redisUrl);
  const services: Services = {
    config,
    db,
    writeStore: createWriteStore(db),
    authenticator: new ApiKeyAuthenticator(db.prisma),
    live,
  };
  const bootstrapResult = await bootstrap(db.prisma, config);
  const sweeper = startIdleSweeper({
    db,
    store: services.writeStore,
    bus: live,
    timeoutS: config.sessionIdleTimeoutS,
    logger,
  });

  /** The caller a credential names; over HTTP a refusal answers 401 (yoga reads the `http` extension). */
  async function authenticate(header: unknown): Promise<Caller> {
    const refuse = (message: string) => apiError('UNAUTHENTICATED', message, { http: { status: 401 } });
    const secret = bearerSecret(header);
    if (!secret) throw refuse('send an API key as "Authorization: Bearer <key>"');
    const found = await services.authenticator.authenticate(secret);
    if (!found) throw refuse('the API key is unknown or revoked');
    return { apiKey: found.apiKey, project: found.project, role: found.apiKey.role };
  }

  function contextFor(caller: Caller): Context {
    return { services, caller, loaders: createLoaders(db.prisma, () => caller.project.id) };
  }

  const yoga = createYoga<ServerContext, Context>({
    ...yogaOptions(logger),
    context: async (initial: YogaInitialContext & Partial<{ extra: SocketExtra }>) => {
      // Over WebSocket the key was checked once, at connection_init.
      const caller = initial.extra?.caller ?? (await authenticate(initial.request.headers.get('authorization')));
      return contextFor(caller);
    },
  });

  const inFlight = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const started = performance.now();
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      logger.info(
        { method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 },
        'request',
      );
    });
    void route(req, res);
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url?.split('?')[0];
    if (path === '/healthz') return healthz(res);
    if (path !== GRAPHQL_PATH) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found; GraphQL is at /graphql' }));
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > config.maxBodyBytes) return refuseTooLarge(res);
    if (req.method === 'POST' && req.headers['content-length'] === undefined && req.headers['transfer-encoding']) {
      // A streamed body of unknown size: count it while yoga reads it, and cut it off past the limit.
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > config.maxBodyBytes) {
          refuseTooLarge(res);
          req.destroy();
        }
      });
    }
    await yoga.requestListener(req, res);
  }

  function refuseTooLarge(res: ServerResponse): void {
    if (res.headersSent) return;
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(
      JSON.stringify({
        errors: [{
          message: `request body is larger than ${config.maxBodyBytes} bytes; send smaller batches`,
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        }],
      }),
    );
  }

  async function healthz(res: ServerResponse): Promise<void> {
    try {
      await Promise.race([
        db.adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database did not answer in 2 s')), 2000).unref()),
      ]);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', database: db.provider }));
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end(
        JSON.stringify({ status: 'unavailable', database: db.provider }),
      );
    }
  }

  const wsServer = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: config.maxBodyBytes });
  const stopSlowConsumerWatch = watchSlowConsumers(wsServer, config.wsSlowConsumerMs);
  const wsDisposable = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
      // A result shared by several watchers is sent as is and serialised once (see the plugin).
      onNext: (_ctx, _id, _payload, _args, result) => sharedResultOnNext(result),
      jsonMessageReplacer: sharedPayloadReplacer,
      onConnect: async (ctx) => {
        try {
          ctx.extra.caller = await authenticate(ctx.connectionParams?.['authorization']);
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        // The key was checked at connection_init; a revocation since then ends the socket's rights.
        const caller = ctx.extra.caller;
        if (caller && !(await services.authenticator.isStillValid(caller.apiKey.id))) {
          return [unauthenticated('the API key was revoked')];
        }
        // Every operation goes through yoga's envelop, so HTTP and WebSocket share one pipeline.
        const { schema: envelopedSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const document = parse(params.query);
        const errors = validate(envelopedSchema, document);
        if (errors.length > 0) return errors;
        return {
          schema: envelopedSchema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wsServer,
  );

  let stopping: Promise<void> | undefined;
  return {
    services,
    bootstrap: bootstrapResult,
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          resolve({ url: `http://${host}:${port}`, port });
        });
      }),
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        for (const socket of wsServer.clients) socket.close(CLOSE_GOING_AWAY, 'server shutting down');
        await Promise.resolve(wsDisposable.dispose()).catch(() => {});
        const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        // Keep-alive sockets that finish their request are closed as they go idle.
        const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
        await closed;
        clearTimeout(deadline);
        clearInterval(idleSweep);
        stopSlowConsumerWatch();
        await sweeper.stop();
        await services.writeStore.close();
        await live.close();
        await db.close();
      })()),
  };
}
