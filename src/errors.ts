/**
 * The error codes of the public contract, and constructors for the expected failures. Anything
 * thrown that is not one of these is unexpected: yoga masks it as INTERNAL_SERVER_ERROR.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export function apiError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  apiError('BAD_USER_INPUT', message, extensions);
export const notFound = (message: string) => apiError('NOT_FOUND', message);
export const forbidden = (message: string) => apiError('FORBIDDEN', message);
export const unauthenticated = (message: string) => apiError('UNAUTHENTICATED', message);
export const payloadTooLarge = (message: string) => apiError('PAYLOAD_TOO_LARGE', message);

/**
 * Over a rate limit: HTTP 429 with Retry-After (whole seconds, at least 1), the same delay in
 * `extensions.retryAfter` for clients that only see the body (and over WebSocket).
 */
export function rateLimited(message: string, retryAfterS: number): GraphQLError {
  return apiError('RATE_LIMITED', message, {
    retryAfter: retryAfterS,
    http: { status: 429, headers: { 'Retry-After': String(retryAfterS) } },
  });
}

/** How long a client is asked to wait when the database is unreachable; /healthz says the same. */
export const DATABASE_RETRY_AFTER_S = 5;

/**
 * The database cannot be reached: HTTP 503 with Retry-After. The contract has no code of its own
 * for it, so it is an INTERNAL_SERVER_ERROR (which clients retry) that says why in `reason`.
 */
export function databaseUnavailable(): GraphQLError {
  return apiError('INTERNAL_SERVER_ERROR', `the database is unreachable; retry in ${DATABASE_RETRY_AFTER_S} s`, {
    reason: 'DATABASE_UNAVAILABLE',
    retryAfter: DATABASE_RETRY_AFTER_S,
    http: { status: 503, headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_S) } },
  });
}
