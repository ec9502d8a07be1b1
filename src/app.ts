/**
 * The HTTP server: GraphQL over HTTP (yoga) and over WebSocket (graphql-ws) on one path and port,
 * `/healthz`, request logs, body, rate and connection limits, graceful stop. `buildApp()`
 * returns `{ start, stop }`.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from './config.js';
import type { Caller, Context, Services } from './context.js';
import { isDatabaseUnavailable, openDatabase, waitForDatabase } from './db/database.js';
import { applyMigrations } from './db/migrate.js';
import { apiError, DATABASE_RETRY_AFTER_S, databaseUnavailable, rateLimited, unauthenticated } from './errors.js';
import { readBodyAhead } from './http/json-body.js';
import { createLoaders } from './loaders/index.js';
import type { Logger } from './logger.js';
import { useCostLimits } from './plugins/use-cost-limits.js';
import { createErrorMasker, useErrorCodes, withCode } from './plugins/use-error-codes.js';
import { usePreciseVariableErrors } from './plugins/use-precise-variable-errors.js';
import { useRawJsonResults } from './plugins/use-raw-json-results.js';
import { sharedPayloadReplacer, sharedResultOnNext, spliceSharedPayload, useSharedSubscriptionResults } from './plugins/use-shared-subscription-results.js';
import { useRateLimit } from './plugins/use-rate-limit.js';
import { schema } from './schema/index.js';
import { ApiKeyAuthenticator } from './services/auth/api-keys.js';
import { bootstrap, type BootstrapResult } from './services/auth/bootstrap.js';
import { createWriteStore } from './services/ingest/index.js';
import { ConnectionsPerKey } from './services/limits/connections-per-key.js';
import { createRateLimiter } from './services/limits/rate-limiter.js';
import { LiveBus } from './services/live/bus.js';
import { startIdleSweeper } from './services/live/idle-sweeper.js';

export const GRAPHQL_PATH = '/graphql';
/** RUNNING.md gives shutdown 10 seconds in all; in-flight requests get most of it. */
const SHUTDOWN_GRACE_MS = 8_000;
/** Close code for sockets the server closes because it is going away (RFC 6455). */
const CLOSE_GOING_AWAY = 1001;
/** Close code for a watcher too slow to take what it subscribed to (see watchSlowConsumers). */
export const CLOSE_SLOW_CONSUMER = 4008;
/** graphql-ws' close code for a message that breaks the protocol. */
const CLOSE_BAD_REQUEST = 4400;
const SLOW_CONSUMER_REASON = 'consumer too slow: reconnect and resume with your last cursor';
/**
 * Close code for a socket refused for a passing reason (its key holds too many connections, the
 * database is unreachable): RFC 6455 "Try Again Later", which graphql-ws clients retry.
 */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** Retry-After of an upgrade refused because the server holds its maximum of WebSockets. */
const WS_FULL_RETRY_AFTER_S = 5;
const MAX_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
/** Below this much unsent data, a socket takes its next frame before the last one is written. */
const EARLY_ACK_BUFFER_BYTES = 64 * 1024;

/** Message types of graphql-transport-ws that only a server sends. */
const SERVER_ONLY_MESSAGE = /"type"\s*:\s*"(connection_ack|next|error)"/;

/**
 * A client that sends a message only servers send breaks the protocol: 4400 Bad Request, as for
 * any malformed message. graphql-ws itself would throw on it and close with 4500, an internal
 * error, which it is not. Only messages whose text names such a type are parsed here.
 */
function refuseServerOnlyMessages(wsServer: WebSocketServer): void {
  wsServer.on('connection', (socket: WebSocket) => {
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'message' && SERVER_ONLY_MESSAGE.test(String(args[0]))) {
        let type: unknown;
        try {
          type = (JSON.parse(String(args[0])) as { type?: unknown }).type;
        } catch {
          type = undefined; // graphql-ws answers malformed JSON itself
        }
        if (type === 'connection_ack' || type === 'next' || type === 'error') {
          socket.close(CLOSE_BAD_REQUEST, `a client must not send ${type} messages`);
          return true;
        }
      }
      return emit(event, ...args);
    }) as WebSocket['emit'];
  });
}

/**
 * Frames sent to one socket in one burst go out in one write (see watchSlowConsumers): the TCP
 * socket (a field ws keeps) is corked at a burst's first frame and uncorked once the burst's
 * microtasks have run, so no frame waits for a later event.
 */
function coalesceBurstWrites(wsServer: WebSocketServer): void {
  wsServer.on('connection', (socket: WebSocket) => {
    const tcp = (socket as unknown as { _socket?: Socket })._socket;
    if (!tcp) return;
    const send = socket.send.bind(socket) as (...args: unknown[]) => void;
    let corked = false;
    socket.send = ((...args: unknown[]) => {
      if (!corked) {
        corked = true;
        tcp.cork();
        process.nextTick(() => {
          corked = false;
          tcp.uncork();
        });
      }
      send(...args);
    }) as WebSocket['send'];
  });
}

/**
 * graphql-ws waits for each message's send callback before taking the next from a subscription,
 * so a client that stops reading holds a bounded amount per subscription rather than an unbounded
 * queue; what it must not do is stall its watchers forever. Each socket's sends are timed, and a
 * socket whose oldest unfinished send is older than `limitMs`, or whose unsent data passes
 * MAX_SOCKET_BUFFER_BYTES, is closed with 4008.
 *
 * While less than EARLY_ACK_BUFFER_BYTES wait to be sent, the callback comes at once rather than
 * after the write: a batch's events then reach a watcher in one burst, which coalesceBurstWrites
 * sends in one write, where waiting for each write cost a write (a syscall) per frame, a quarter
 * of the server's CPU at 20,000 frames/s. Past that, sends wait for their writes as before, so
 * what a socket holds stays bounded.
 */
function watchSlowConsumers(wsServer: WebSocketServer, limitMs: number): () => void {
  const oldestPending = new WeakMap<WebSocket, number[]>();
  wsServer.on('connection', (socket: WebSocket) => {
    const started: number[] = [];
    oldestPending.set(socket, started);
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      const callback = typeof rest.at(-1) === 'function' ? (rest.pop() as (error?: Error) => void) : undefined;
      let answered = false;
      const answer = (error?: Error) => {
        if (answered) return;
        answered = true;
        callback?.(error);
      };
      started.push(Date.now());
      send(spliceSharedPayload(data), ...rest, (error?: Error) => {
        started.shift();
        answer(error);
      });
      if (callback && socket.bufferedAmount < EARLY_ACK_BUFFER_BYTES) queueMicrotask(answer);
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
 * CSRF: a browser sends a cross-site request without asking the server first (no CORS preflight)
 * only when it is "simple": a GET, or a POST of a form or text/plain, with no custom header. Every
 * operation needs an API key in the Authorization header, which such a request cannot carry and
 * which browsers never attach on their own (there are no cookies), so classic CSRF cannot act as
 * anyone. As defence in depth, yoga's CSRF prevention refuses simple requests outright, before the
 * body is read: a request passes with a non-simple content type (application/json, as the SDK,
 * GraphiQL and every GraphQL client send), an Authorization header (so `curl` GETs with a key
 * work, as RUNNING.md says they must), or the `x-graphql-yoga-csrf` header. What it refuses has
 * no key, so the refusal is the contract's UNAUTHENTICATED (401), not a new kind of error.
 */
function useCsrfPrevention(): Plugin {
  const check = useCSRFPrevention({ requestHeaders: ['authorization', 'x-graphql-yoga-csrf'] });
  return {
    onRequestParse(payload) {
      try {
        return check.onRequestParse?.(payload);
      } catch {
        // Such a request carries no key, so it is what the contract calls unauthenticated.
        throw apiError(
          'UNAUTHENTICATED',
          'send an API key as "Authorization: Bearer <key>"; a request without one that a browser could send cross-site (GET, form or text/plain POST) is refused unread',
          { http: { status: 401 } },
        );
      }
    },
  };
}

/**
 * SIGHTLINE_INTROSPECTION=false. graphql-js' rule, as @graphql-yoga/plugin-disable-introspection
 * adds it, but for every operation: that plugin decides per HTTP request (in onRequestParse), which
 * graphql-ws operations never go through, so it would leave introspection open over WebSocket.
 */
/**
 * Subscriptions are served over WebSocket, with its limits (connections, slow consumers, key
 * revocation). Over HTTP yoga would stream them as server-sent events, around all of those; an
 * HTTP subscription is refused with a pointer to the WebSocket endpoint instead.
 */
function useSubscriptionsOverWebSocketOnly(): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if ((args.contextValue as { extra?: unknown }).extra !== undefined) return; // a graphql-ws operation
      setResultAndStopExecution({
        errors: [apiError('BAD_USER_INPUT', `subscriptions are served over WebSocket (graphql-transport-ws) at ${GRAPHQL_PATH}, not over HTTP`, { http: { status: 400 } })],
      });
    },
  };
}

function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/** What a production deployment may turn off; both on by default. */
export interface ExposureOptions {
  /** Serve GraphiQL on GET /graphql to browsers. @default true */
  graphiql?: boolean;
  /** Answer `__schema` and `__type`. @default true */
  introspection?: boolean;
}

/**
 * Everything yoga is configured with but the context: shared with the benchmark's transport
 * limit, which must answer the same request through the same pipeline.
 */
export function yogaOptions(logger: Logger, exposure: ExposureOptions = {}) {
  return {
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    logging: false,
    graphiql: exposure.graphiql === false ? (false as const) : { subscriptionsProtocol: 'WS' as const, title: 'Sightline GraphiQL' },
    maskedErrors: { maskError: createErrorMasker(logger) },
    // The server's router refuses a body over SIGHTLINE_MAX_BODY_BYTES before yoga reads it (see
    // route()). Yoga's own limit piped every body through a web TransformStream, whose teardown
    // (an AbortController aborted with a DOMException and its stack) cost a tenth of a small request.
    maxRequestBodySize: false as const,
    // graphql-jit compiles each operation once, variable coercion included: a 1000-event batch
    // coerces in about a third of graphql-js' time, which is most of the GraphQL layer's cost.
    plugins: [
      useCsrfPrevention(),
      ...(exposure.introspection === false ? [useNoIntrospection()] : []),
      useSubscriptionsOverWebSocketOnly(),
      useCostLimits(),
      // Subscriptions stay on graphql-js: graphql-jit's compiled subscribe loses field arguments.
      useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== 'subscription' }),
      usePreciseVariableErrors(),
      // Before the error plugins, so that what they rewrite is the shared result.
      useSharedSubscriptionResults(),
      useErrorCodes(),
      useRawJsonResults(),
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

/**
 * What a socket remembers beside graphql-ws' own `request` and `socket`: who authenticated it,
 * and whether it holds one of its key's connection slots.
 */
type SocketExtra = { caller?: Caller; holdsKeySlot?: boolean };

/** Yoga reads `extensions.http` for the HTTP answer and leaves it out of the body; graphql-ws sends it as is. */
function withoutHttp(error: GraphQLError): GraphQLError {
  if (!error.extensions?.['http']) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions });
}

/** Answers an upgrade request with an HTTP error instead of a WebSocket, and hangs up. */
function refuseUpgrade(socket: Duplex, status: number, message: string, code: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function bearerSecret(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export async function buildApp(config: Config, logger: Logger): Promise<App> {
  const db = await openDatabase(config.databaseUrl, { connectTimeoutMs: config.dbConnectTimeoutMs });
  try {
    await waitForDatabase(db, {
      timeoutMs: config.dbStartupTimeoutS * 1000,
      onRetry: (attempt, reason, delayMs) =>
        logger.warn(
          { attempt, retryInMs: delayMs, reason, giveUpAfterS: config.dbStartupTimeoutS },
          `database not reachable yet (attempt ${attempt}: ${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`,
        ),
    });
    const { applied } = await applyMigrations(db, { log: (message) => logger.info(message) });
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }
  const live = new LiveBus(logger);
  if (config.redisUrl) await live.connectRedis(config.redisUrl);
  const rateLimiter = await createRateLimiter({ ...config.rateLimit, redisUrl: config.redisUrl, logger });
  if (rateLimiter) {
    logger.info({ ...config.rateLimit, shared: rateLimiter.shared }, 'rate limit per API key');
  }
  const connectionsPerKey = new ConnectionsPerKey(config.wsMaxConnectionsPerKey);
  const services: Services = {
    config,
    db,
    writeStore: createWriteStore(db),
    authenticator: new ApiKeyAuthenticator(db),
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
    return { services, caller, loaders: createLoaders(db, () => caller.project.id) };
  }

  const options = yogaOptions(logger, { graphiql: config.graphiql, introspection: config.introspection });
  const yoga = createYoga<ServerContext, Context>({
    ...options,
    plugins: [...options.plugins, ...(rateLimiter ? [useRateLimit(rateLimiter, config.rateLimit)] : [])],
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
    if (!(await readBodyAhead(req, declared))) return;
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
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(DATABASE_RETRY_AFTER_S) }).end(
        JSON.stringify({ status: 'unavailable', database: db.provider }),
      );
    }
  }

  let stopping: Promise<void> | undefined;
  // The upgrade is ours to answer (noServer), so that a server holding its maximum of sockets
  // refuses more with a plain 503 before a WebSocket, and its memory, exists.
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: config.maxBodyBytes });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {}); // a peer that resets during the handshake is its own problem
    if (req.url?.split('?')[0] !== GRAPHQL_PATH) {
      refuseUpgrade(socket, 404, 'not found; GraphQL over WebSocket is at /graphql', 'NOT_FOUND');
      return;
    }
    if (stopping) {
      refuseUpgrade(socket, 503, 'server shutting down', 'INTERNAL_SERVER_ERROR');
      return;
    }
    if (wsServer.clients.size >= config.wsMaxConnections) {
      refuseUpgrade(
        socket, 503,
        `this server holds its maximum of ${config.wsMaxConnections} WebSocket connections; retry in ${WS_FULL_RETRY_AFTER_S} s`,
        'RATE_LIMITED', { 'Retry-After': String(WS_FULL_RETRY_AFTER_S) },
      );
      return;
    }
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  });
  refuseServerOnlyMessages(wsServer);
  coalesceBurstWrites(wsServer);
  const stopSlowConsumerWatch = watchSlowConsumers(wsServer, config.wsSlowConsumerMs);
  const wsDisposable = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
      // A result shared by several watchers is serialised once (see use-shared-subscription-results).
      jsonMessageReplacer: sharedPayloadReplacer,
      // A socket that never says who it is holds a connection slot for nothing: 4408 after this.
      connectionInitWaitTimeout: config.wsInitTimeoutMs,
      onConnect: async (ctx) => {
        let caller: Caller;
        try {
          caller = await authenticate(ctx.connectionParams?.['authorization']);
        } catch (error) {
          if (!isDatabaseUnavailable(error)) return false; // graphql-ws closes with 4403 Forbidden
          // Not the key's fault: 4403 would tell a client to give up; 1013 tells it to come back.
          ctx.extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'database unreachable; retry shortly');
          return false;
        }
        if (!connectionsPerKey.tryAcquire(caller.apiKey.id)) {
          ctx.extra.socket.close(
            CLOSE_TRY_AGAIN_LATER,
            `this API key holds its maximum of ${config.wsMaxConnectionsPerKey} connections`,
          );
          return false;
        }
        ctx.extra.caller = caller;
        ctx.extra.holdsKeySlot = true;
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.holdsKeySlot && ctx.extra.caller) connectionsPerKey.release(ctx.extra.caller.apiKey.id);
        ctx.extra.holdsKeySlot = false;
      },
      onSubscribe: async (ctx, _id, params) => {
        try {
          const running = Object.keys(ctx.subscriptions).length; // this one included
          if (config.wsMaxSubscriptionsPerSocket > 0 && running > config.wsMaxSubscriptionsPerSocket) {
            return [withoutHttp(rateLimited(
              `this socket runs its maximum of ${config.wsMaxSubscriptionsPerSocket} operations at once; complete one or open another socket`,
              1,
            ))];
          }
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
          if (errors.length > 0) return errors.map(withCode);
          return {
            schema: envelopedSchema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            // Where the rate limit is taken (useRateLimit), as for HTTP.
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          // Refusals (a syntax error, the rate limit) are the operation's answer; graphql-ws
          // would close the whole socket with 4500 on a throw.
          if (error instanceof GraphQLError) return [withoutHttp(withCode(error))];
          if (isDatabaseUnavailable(error)) return [withoutHttp(databaseUnavailable())];
          throw error;
        }
      },
      // Yoga's result processing (useErrorCodes) is HTTP's: over WebSocket every error gets its
      // contract code here, and loses the HTTP status only a response could carry.
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => withoutHttp(withCode(error)).toJSON()),
      onNext: (_ctx, _id, _payload, _args, result) => {
        // A shared result is sent as is, not as graphql-ws' per-socket copy.
        if (!result.errors?.length) return sharedResultOnNext(result);
        return { ...result, errors: result.errors.map((error) => withoutHttp(withCode(error)).toJSON()) };
      },
    },
    wsServer,
  );

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
        await rateLimiter?.close();
        await db.close();
      })()),
  };
}
