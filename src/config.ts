/**
 * The server's configuration: read from the environment once, validated, typed.
 * RUNNING.md is the contract for the variables and their defaults.
 */
import { z } from 'zod';

const secret = z.string().min(20, 'must be at least 20 characters');
const positiveInt = z.coerce.number().int().positive();

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
    logLevel: e.LOG_LEVEL,
  };
}
