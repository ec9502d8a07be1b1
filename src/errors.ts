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
 * A failure the caller caused, raised by services that know nothing of GraphQL. The schema
 * layer turns it into a GraphQLError with the same code.
 */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'PAYLOAD_TOO_LARGE' = 'BAD_USER_INPUT',
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}
