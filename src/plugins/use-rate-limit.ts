/**
 * Per-API-key rate limiting (see services/limits/rate-limiter.ts): every operation takes one
 * request from its key's budget once the key is known, i.e. when its context is built. HTTP
 * requests and graphql-ws operations build their context through the same envelop, so both are
 * counted here; an ingestBatch is one request whatever its size.
 *
 * Over the budget: RATE_LIMITED, HTTP 429 with Retry-After (whole seconds, at least 1). The
 * SDK honours both and retries.
 */
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { rateLimited } from '../errors.js';
import type { RateLimiter } from '../services/limits/rate-limiter.js';

export function useRateLimit(limiter: RateLimiter, limits: { perSecond: number; burst: number }): Plugin<Context> {
  const budget = `${limits.perSecond} requests a second, bursts of ${Math.max(Math.ceil(limits.perSecond), limits.burst)}`;
  return {
    async onContextBuilding({ context }) {
      // Built by the server's context function (a plugin that runs before this one): a request
      // refused for its key never gets here.
      const caller = context.caller;
      if (!caller) return;
      const verdict = await limiter.consume(String(caller.apiKey.id));
      if (!verdict.allowed) {
        throw rateLimited(
          `rate limit of this API key exceeded (${budget}); retry in ${verdict.retryAfterS} s`,
          verdict.retryAfterS,
        );
      }
    },
  };
}
