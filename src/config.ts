/**
 * The server's configuration: read from the environment once, validated, typed.
 * RUNNING.md is the contract for the variables and their defaults.
 */
import { z } from 'zod';

const secret = z.string().min(20, 'must be at least 20 characters');
const positiveInt = z.coerce.number().int().positive();
/** A limit where 0 means "no limit". */
const limitOrZero = z.coerce.number().int().min(0);
/** `true`/`false` (also 1/0, yes/no, on/off): z.coerce.boolean would read "false" as true. */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres:\/\/|postgresql:\/\/)/, 'must start with file:, postgres:// or postgresql://')
    .default('file:./data/sightline.db'),
  REDIS_URL: z.string().url().optional(),
  SIGHTLINE_INIT_PROJECT: z.string().min(1).max(200).default('default'),
  SIGHTLINE_INIT_ADMIN_KEY: secret.optional(),
  SIGHTLINE_INIT_READ_KEY: secret.optional(),
  SIGHTLINE_INIT_INGEST_KEY: secret.optional(),
  SIGHTLINE_SESSION_IDLE_TIMEOUT_S: positiveInt.default(86_400),
  SIGHTLINE_MAX_BATCH_EVENTS: positiveInt.default(1000),
  /** Largest request body accepted, in bytes; a larger one is refused whole with PAYLOAD_TOO_LARGE. */
  SIGHTLINE_MAX_BODY_BYTES: positiveInt.default(32 * 1024 * 1024),
  /** Largest single event (its JSON fields together), in bytes; a larger one is rejected alone with EVENT_TOO_LARGE. */
  SIGHTLINE_MAX_EVENT_BYTES: positiveInt.default(256 * 1024),
  /**
   * A WebSocket whose oldest unsent message has waited this long is a consumer too slow to keep
   * up: it is closed with 4008 and resumes from its last cursor.
   */
  SIGHTLINE_WS_SLOW_CONSUMER_MS: positiveInt.default(10_000),
  /**
   * Requests per second each API key may make, sustained (0: no rate limit). An HTTP request is
   * one, whatever it carries (an ingestBatch of 1000 events is one); so is each operation sent
   * over a WebSocket. The SDK sends one request at a time and a request takes milliseconds, so one
   * tracker flat out stays in the low hundreds per second: 1000 never slows a normal client, and
   * leaves room for many processes sharing a key; it stops a runaway loop taking the server.
   * A rate under 1 is one request per whole number of seconds (0.1: one per 10 s).
   */
  SIGHTLINE_RATE_LIMIT_PER_S: z.coerce.number().min(0).default(1000),
  /**
   * Requests an API key may make at once, as a token bucket's capacity: PER_S a second, and up to
   * BURST in a short burst, refilled over BURST / PER_S seconds (values under PER_S act as PER_S).
   */
  SIGHTLINE_RATE_LIMIT_BURST: limitOrZero.default(2000),
  /** WebSocket connections one server holds at most; past it an upgrade is answered 503 with Retry-After. */
  SIGHTLINE_WS_MAX_CONNECTIONS: positiveInt.default(10_000),
  /**
   * WebSocket connections one API key may hold on one server (0: no limit of its own); past it,
   * connection_init is answered by closing with 1013 (try again later). Keeps one leaked key or
   * runaway client from taking every connection a server has.
   */
  SIGHTLINE_WS_MAX_CONNECTIONS_PER_KEY: limitOrZero.default(2000),
  /** Operations running at once on one WebSocket (0: no limit); one more is refused with RATE_LIMITED. */
  SIGHTLINE_WS_MAX_SUBSCRIPTIONS_PER_SOCKET: limitOrZero.default(1000),
  /** A WebSocket that has not sent connection_init this long after opening is closed with 4408. */
  SIGHTLINE_WS_INIT_TIMEOUT_MS: positiveInt.default(10_000),
  /** Serve GraphiQL to browsers on GET /graphql; turn off in production if nobody needs it. */
  SIGHTLINE_GRAPHIQL: flag.default(true),
  /** Answer introspection (`__schema`, `__type`); when off such queries are refused with BAD_USER_INPUT. */
  SIGHTLINE_INTROSPECTION: flag.default(true),
  /**
   * At start, how long to wait for a PostgreSQL server that does not accept connections yet
   * (retrying with backoff, one log line per attempt) before giving up (0: do not wait).
   */
  SIGHTLINE_DB_STARTUP_TIMEOUT_S: limitOrZero.default(60),
  /**
   * Longest wait for a PostgreSQL connection (a new one, or a free one from the pool): past it the
   * request is answered 503 with Retry-After instead of hanging while the database is unreachable.
   */
  SIGHTLINE_DB_CONNECT_TIMEOUT_MS: positiveInt.default(5000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  initProject: string;
  initKeys: { role: 'ADMIN' | 'READ' | 'INGEST'; secret: string }[];
  sessionIdleTimeoutS: number;
  maxBatchEvents: number;
  maxBodyBytes: number;
  maxEventBytes: number;
  wsSlowConsumerMs: number;
  /** Per API key; `perSecond` 0 turns rate limiting off. */
  rateLimit: { perSecond: number; burst: number };
  wsMaxConnections: number;
  /** 0: no per-key limit. */
  wsMaxConnectionsPerKey: number;
  /** 0: no limit. */
  wsMaxSubscriptionsPerSocket: number;
  wsInitTimeoutMs: number;
  graphiql: boolean;
  introspection: boolean;
  dbStartupTimeoutS: number;
  dbConnectTimeoutMs: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
}

/** Parses the environment; throws one error listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "unset", as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const initKeys: Config['initKeys'] = [];
  if (e.SIGHTLINE_INIT_ADMIN_KEY) initKeys.push({ role: 'ADMIN', secret: e.SIGHTLINE_INIT_ADMIN_KEY });
  if (e.SIGHTLINE_INIT_READ_KEY) initKeys.push({ role: 'READ', secret: e.SIGHTLINE_INIT_READ_KEY });
  if (e.SIGHTLINE_INIT_INGEST_KEY) initKeys.push({ role: 'INGEST', secret: e.SIGHTLINE_INIT_INGEST_KEY });
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    initProject: e.SIGHTLINE_INIT_PROJECT,
    initKeys,
    sessionIdleTimeoutS: e.SIGHTLINE_SESSION_IDLE_TIMEOUT_S,
    maxBatchEvents: e.SIGHTLINE_MAX_BATCH_EVENTS,
    maxBodyBytes: e.SIGHTLINE_MAX_BODY_BYTES,
    maxEventBytes: e.SIGHTLINE_MAX_EVENT_BYTES,
    wsSlowConsumerMs: e.SIGHTLINE_WS_SLOW_CONSUMER_MS,
    rateLimit: { perSecond: e.SIGHTLINE_RATE_LIMIT_PER_S, burst: e.SIGHTLINE_RATE_LIMIT_BURST },
    wsMaxConnections: e.SIGHTLINE_WS_MAX_CONNECTIONS,
    wsMaxConnectionsPerKey: e.SIGHTLINE_WS_MAX_CONNECTIONS_PER_KEY,
    wsMaxSubscriptionsPerSocket: e.SIGHTLINE_WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
    wsInitTimeoutMs: e.SIGHTLINE_WS_INIT_TIMEOUT_MS,
    graphiql: e.SIGHTLINE_GRAPHIQL,
    introspection: e.SIGHTLINE_INTROSPECTION,
    dbStartupTimeoutS: e.SIGHTLINE_DB_STARTUP_TIMEOUT_S,
    dbConnectTimeoutMs: e.SIGHTLINE_DB_CONNECT_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
  };
}
