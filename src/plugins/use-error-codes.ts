/**
 * Every error a client sees carries one of the contract's codes. Parse, validation and variable
 * coercion errors come out of graphql-js and yoga with none, or with codes of their own: they are
 * the client's, so BAD_USER_INPUT.
 * Unexpected errors are masked (INTERNAL_SERVER_ERROR) and logged here with their stack; an
 * unreachable database is INTERNAL_SERVER_ERROR too, but answered 503 with Retry-After.
 */
import { GraphQLError } from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable } from '../db/database.js';
import { databaseUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';

/** The codes the contract lets a client see. */
const contractCodes = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
]);

function hasContractCode(error: GraphQLError): boolean {
  return contractCodes.has(error.extensions?.['code'] as string);
}

/** Yoga attaches the parser's own error to malformed bodies: an internal detail, never sent. */
const hiddenExtensions = ['originalError', 'unexpected'];

function needsRewrite(error: GraphQLError): boolean {
  return (
    !hasContractCode(error) ||
    hiddenExtensions.some((name) => error.extensions && name in error.extensions) ||
    (error.extensions?.['http'] as { spec?: boolean } | undefined)?.spec === true
  );
}

/** The same error (place and path) with other extensions, and another message if given. */
function withExtensions(error: GraphQLError, extensions: Record<string, unknown>, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/**
 * Errors without a contract code (none, or yoga's GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED)
 * are the client's. Exported for graphql-ws, whose parse and validation errors skip yoga's result
 * processing.
 */
export function withCode(error: GraphQLError): GraphQLError {
  if (!needsRewrite(error)) return error;
  const extensions: Record<string, unknown> = { ...error.extensions };
  for (const name of hiddenExtensions) delete extensions[name];
  if (!hasContractCode(error)) extensions['code'] = 'BAD_USER_INPUT';
  // Yoga answers spec-marked request errors with 200 when the response is application/json; a
  // malformed request is the client's fault whatever it accepts, so its own status (400) stands.
  const http = extensions['http'] as { spec?: boolean } | undefined;
  if (http?.spec) extensions['http'] = { ...http, spec: false };
  return withExtensions(error, extensions);
}

/** A refusal before execution (no `data` at all) without a status of its own, such as graphql-armor's, is a 400. */
function withRefusalStatus(error: GraphQLError): GraphQLError {
  const http = error.extensions?.['http'] as { status?: number } | undefined;
  if (http?.status || error.extensions?.['code'] !== 'BAD_USER_INPUT') return error;
  return withExtensions(error, { ...error.extensions, http: { ...http, status: 400 } });
}

/** What an empty 4xx from yoga means, for the body it lacks. */
const emptyRefusals: Record<number, string> = {
  405: 'method not allowed: POST a GraphQL request, or GET a query',
  406: 'none of the accepted media types can be produced: accept application/json or application/graphql-response+json',
  415: 'unsupported content type: POST application/json (or GET a query with URL parameters)',
};

export function useErrorCodes(): Plugin {
  return {
    // Yoga answers some malformed requests (wrong content type, unacceptable Accept) with a bare
    // status; every refusal says what was wrong, with a contract code, in a JSON body.
    onResponse({ response, setResponse, fetchAPI }) {
      if (response.status < 400 || response.status >= 500 || response.body !== null) return;
      const message = emptyRefusals[response.status] ?? `request refused (HTTP ${response.status})`;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      headers.delete('content-length');
      setResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }), {
          status: response.status,
          headers,
        }),
      );
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      const refused = !('data' in result);
      if (!refused && !result.errors.some((error) => needsRewrite(error as GraphQLError))) return;
      const errors = result.errors.map((error) => withCode(error as GraphQLError));
      setResult({ ...result, errors: refused ? errors.map(withRefusalStatus) : errors });
    },
  };
}

/** Unreachable-database failures arrive in bursts (every request fails alike): one log line per interval. */
const UNAVAILABLE_LOG_INTERVAL_MS = 5000;

/**
 * Yoga's masking, never in development mode (which would serialise the original error), plus a
 * log line. A database that cannot be reached is not a bug: it is answered 503 with Retry-After
 * (see databaseUnavailable), so clients back off and retry, and logged as a warning.
 */
export function createErrorMasker(logger: Logger) {
  let lastUnavailableLog = 0;
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (!(original instanceof GraphQLError) && isDatabaseUnavailable(original)) {
      const now = Date.now();
      if (now - lastUnavailableLog > UNAVAILABLE_LOG_INTERVAL_MS) {
        lastUnavailableLog = now;
        logger.warn({ err: original }, 'database unreachable: answering 503 with Retry-After');
      }
      const unavailable = databaseUnavailable();
      return error instanceof GraphQLError ? withExtensions(error, unavailable.extensions, unavailable.message) : unavailable;
    }
    const masked = maskError(error, message, false);
    if (masked !== error) {
      logger.error({ err: original, path: error instanceof GraphQLError ? error.path : undefined }, 'unexpected error');
    }
    return masked;
  };
}
