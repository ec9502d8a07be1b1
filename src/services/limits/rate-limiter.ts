/**
 * Per-API-key request budgets (SIGHTLINE_RATE_LIMIT_PER_S, SIGHTLINE_RATE_LIMIT_BURST) as token
 * buckets: a key's bucket holds up to BURST tokens, refills at PER_S tokens a second, and each
 * request takes one. A key can so make BURST requests at once, then PER_S a second, exactly.
 *
 * Kept in this process, or with REDIS_URL in Redis, so that every instance draws on one bucket per
 * key: one Lua script reads, refills and takes a token atomically, on Redis' own clock (instances'
 * clocks may differ). No library here: rate-limiter-flexible, the well-kept choice, counts in
 * fixed windows only, and its burst emulation lets a key going flat out make up to twice its rate.
 *
 * Redis is never a reason to refuse or slow a request: while it is unreachable (or slower than
 * REDIS_COMMAND_TIMEOUT_MS), each instance answers from its own buckets, so the budget is per
 * instance until Redis is back.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';

export interface RateLimitOptions {
  /** Tokens a second per key, sustained (under 1: one per whole number of seconds); 0 turns rate limiting off. */
  perSecond: number;
  /** Requests a key may make at once: the bucket's capacity; below `perSecond` counts as `perSecond`. */
  burst: number;
  /** Keep the buckets in this Redis, shared by every instance that uses it; this process only when unset. */
  redisUrl?: string;
  logger: Logger;
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterS: number };

export interface RateLimiter {
  /** Takes one token from the key's bucket. Never rejects. */
  consume(key: string): Promise<Verdict>;
  /** Whether the buckets are shared through Redis (when Redis is reachable). */
  readonly shared: boolean;
  close(): Promise<void>;
}

const KEY_PREFIX = 'sightline:rate:bucket:';
/** A request must not wait on a slow Redis: past this, this instance's own bucket decides. */
const REDIS_COMMAND_TIMEOUT_MS = 250;
const ERROR_LOG_INTERVAL_MS = 10_000;

/** What a request must wait, in whole seconds (at least 1), for a bucket holding `tokens`. */
function retryAfterS(tokens: number, perSecond: number): number {
  return Math.max(1, Math.ceil((1 - tokens) / perSecond));
}

/** Buckets in this process. A full bucket is the same as none, so it is forgotten. */
class MemoryBuckets {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
  ) {
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const [key, bucket] of this.buckets) if (this.refilled(bucket, now) >= this.capacity) this.buckets.delete(key);
    }, 60_000);
    this.sweep.unref();
  }

  private refilled(bucket: { tokens: number; atMs: number }, now: number): number {
    return Math.min(this.capacity, bucket.tokens + (Math.max(0, now - bucket.atMs) / 1000) * this.perSecond);
  }

  take(key: string): Verdict {
    const now = Date.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? this.refilled(bucket, now) : this.capacity;
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, atMs: now });
      return { allowed: true };
    }
    this.buckets.set(key, { tokens, atMs: now });
    return { allowed: false, retryAfterS: retryAfterS(tokens, this.perSecond) };
  }

  close(): void {
    clearInterval(this.sweep);
  }
}

/**
 * KEYS[1]: the bucket; ARGV: tokens a second, capacity. Returns {1} when a token was taken, else
 * {0, tokens left * 1e6} (an integer: Redis turns Lua numbers into integers).
 */
const TAKE_TOKEN_LUA = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
if taken == 1 then return {1} end
return {0, math.floor(tokens * 1000000)}
`;

type TokenRedis = Redis & { takeToken(key: string, perSecond: number, capacity: number): Promise<[number, number?]> };

/** The limiter, or null when rate limiting is off. */
export async function createRateLimiter(options: RateLimitOptions): Promise<RateLimiter | null> {
  if (options.perSecond <= 0) return null;
  const { perSecond } = options;
  const capacity = Math.max(options.burst, perSecond, 1);
  const memory = new MemoryBuckets(perSecond, capacity);
  let lastErrorLog = 0;
  const logError = (error: unknown, message: string) => {
    const now = Date.now();
    if (now - lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    lastErrorLog = now;
    options.logger.warn({ err: error }, message);
  };

  let redis: TokenRedis | undefined;
  if (options.redisUrl) {
    // No offline queue and a short command timeout: while Redis is away, taking a token fails at
    // once and this instance's own bucket answers instead.
    // Loaded only when used: an instance without Redis does not carry the client (~8 MB).
    const { Redis } = await import('ioredis');
    const client = new Redis(options.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      lazyConnect: true,
    });
    client.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
    client.on('error', (error) => logError(error, 'rate limiter: redis unreachable; each instance counts on its own until it is back'));
    redis = client as TokenRedis;
    await client.connect().catch((error: unknown) =>
      options.logger.warn({ err: error }, 'rate limiter: redis unreachable at start; counting per instance until it is reachable'),
    );
  }

  return {
    shared: redis !== undefined,
    async consume(key) {
      if (redis) {
        try {
          const [taken, tokensLeftMicros] = await redis.takeToken(KEY_PREFIX + key, perSecond, capacity);
          return taken === 1 ? { allowed: true } : { allowed: false, retryAfterS: retryAfterS((tokensLeftMicros ?? 0) / 1e6, perSecond) };
        } catch (error) {
          logError(error, 'rate limiter: redis did not answer; this instance counts on its own meanwhile');
        }
      }
      return memory.take(key);
    },
    async close() {
      memory.close();
      await redis?.quit().catch(() => redis?.disconnect());
    },
  };
}
