/**
 * Per-API-key request budgets (SIGHTLINE_RATE_LIMIT_PER_S, SIGHTLINE_RATE_LIMIT_BURST), counted by
 * rate-limiter-flexible: in this process, or in Redis when REDIS_URL is set, so that every
 * instance draws on one budget per key.
 *
 * rate-limiter-flexible counts in fixed windows, not tokens; its BurstyRateLimiter is its token
 * bucket: a steady window of PER_S requests a second, and when that is spent a burst window of
 * BURST - PER_S more, which refills over BURST / PER_S seconds. A key can so make BURST requests
 * at once, then PER_S a second; flat out for long it gets between PER_S and twice that, which is
 * what a limit meant to stop runaway clients needs, at the cost of one counter per window.
 *
 * Redis is never a reason to refuse or slow a request: while it is unreachable (or slower than
 * REDIS_COMMAND_TIMEOUT_MS), each instance counts on its own (the insurance limiter), so the
 * budget is per instance until Redis is back; an error the limiter cannot place lets the
 * request through.
 */
import { Redis } from 'ioredis';
import {
  BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../../logger.js';

export interface RateLimitOptions {
  /** Requests a second per key, sustained (under 1: one per whole number of seconds); 0 turns rate limiting off. */
  perSecond: number;
  /** Requests a key may make at once (a token bucket's capacity); below `perSecond` counts as `perSecond`. */
  burst: number;
  /** Count in this Redis, shared by every instance that uses it; this process only when unset. */
  redisUrl?: string;
  logger: Logger;
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterS: number };

export interface RateLimiter {
  /** Takes one request from the key's budget. Never rejects. */
  consume(key: string): Promise<Verdict>;
  /** Whether the budget is shared through Redis (when Redis is reachable). */
  readonly shared: boolean;
  close(): Promise<void>;
}

const KEY_PREFIX = 'sightline:rate';
/** A request must not wait on a slow Redis: past this, this instance's own count decides. */
const REDIS_COMMAND_TIMEOUT_MS = 250;
const ERROR_LOG_INTERVAL_MS = 10_000;

interface Window {
  points: number;
  durationS: number;
  prefix: string;
}

/**
 * The steady window (a second, or for a rate under one a second the whole seconds one request
 * takes), and the burst window when the burst is larger than the steady window's count.
 */
function windowsOf(perSecond: number, burst: number): { steady: Window; burst: Window | null } {
  const steadyS = perSecond >= 1 ? 1 : Math.ceil(1 / perSecond);
  const steadyPoints = Math.max(1, Math.round(perSecond * steadyS));
  const extra = burst - steadyPoints;
  return {
    steady: { points: steadyPoints, durationS: steadyS, prefix: `${KEY_PREFIX}:steady` },
    burst: extra > 0 ? { points: extra, durationS: Math.max(steadyS, Math.ceil(burst / perSecond)), prefix: `${KEY_PREFIX}:burst` } : null,
  };
}

/** The limiter, or null when rate limiting is off. */
export async function createRateLimiter(options: RateLimitOptions): Promise<RateLimiter | null> {
  if (options.perSecond <= 0) return null;
  const windows = windowsOf(options.perSecond, options.burst);
  let redis: Redis | undefined;
  let lastErrorLog = 0;
  const logError = (error: unknown, message: string) => {
    const now = Date.now();
    if (now - lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    lastErrorLog = now;
    options.logger.warn({ err: error }, message);
  };

  const memory = (window: Window) =>
    new RateLimiterMemory({ keyPrefix: window.prefix, points: window.points, duration: window.durationS });
  let build: (window: Window) => RateLimiterAbstract = memory;
  if (options.redisUrl) {
    // No offline queue and a short command timeout: while Redis is away, a count fails at once
    // and the insurance limiter (this process) answers instead.
    const client = new Redis(options.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      lazyConnect: true,
    });
    client.on('error', (error) => logError(error, 'rate limiter: redis unreachable; each instance counts on its own until it is back'));
    redis = client;
    build = (window) => {
      const settings: IRateLimiterOptions = { keyPrefix: window.prefix, points: window.points, duration: window.durationS };
      return new RateLimiterRedis({
        ...settings,
        storeClient: client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(settings),
        // A key over its budget is refused from memory until its window ends, without asking
        // Redis again: a client hammering the server does not hammer Redis too.
        inMemoryBlockOnConsumed: window.points + 1,
      });
    };
    await client.connect().catch((error: unknown) =>
      options.logger.warn({ err: error }, 'rate limiter: redis unreachable at start; counting per instance until it is reachable'),
    );
  }
  const steady: RateLimiterAbstract = build(windows.steady);
  const limiter = windows.burst ? new BurstyRateLimiter(steady, build(windows.burst)) : steady;

  return {
    shared: redis !== undefined,
    async consume(key) {
      try {
        await limiter.consume(key, 1);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterS: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        // Neither Redis nor the insurance limiter could count: better one request too many
        // than ingest refused for a reason the client cannot act on.
        logError(rejection, 'rate limiter failed; letting the request through');
        return { allowed: true };
      }
    },
    async close() {
      await redis?.quit().catch(() => redis?.disconnect());
    },
  };
}
