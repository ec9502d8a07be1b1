/**
 * Every error a client sees carries one of the contract's codes. Parse, validation and variable
 * coercion errors come out of graphql-js and yoga with none, or with codes of their own: they are
 * the client's, so BAD_USER_INPUT.
 * Unexpected errors are masked (INTERNAL_SERVER_ERROR) and logged here with their stack.
 */
import { GraphQLError } from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';

/** The codes the contract lets a client see. */
const contractCodes = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED',
  'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR',
]);

function hasContractCode(error: GraphQLError): boolean {
  return contractCodes.has(error.extensions?.['code'] as string);
}

/** Errors without a contract code (none, or yoga's GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED) are the client's. */
function withCode(error: GraphQLError): GraphQLError {
  if (hasContractCode(error)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      if (result.errors.every((error) => hasContractCode(error as GraphQLError))) return;
      setResult({ ...result, errors: result.errors.map((error) => withCode(error as GraphQLError)) });
    },
  };
}

/** Yoga's masking, never in development mode (which would serialise the original error), plus a log line. */
export function createErrorMasker(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const masked = maskError(error, message, false);
    if (masked !== error) {
      const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
      logger.error({ err: original, path: error instanceof GraphQLError ? error.path : undefined }, 'unexpected error');
    }
    return masked;
  };
}
