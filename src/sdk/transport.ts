/**
 * One GraphQL request over HTTP and what it means for the sender: done, worth retrying later,
 * refused as a whole (split it), or refused for good. Never throws.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; retryAfter?: number; retryAfterMs?: number; [key: string]: unknown };
}

/** What became of a request, before deciding what it means for what it carried. */
export type Answer<T> =
  /** The server answered with GraphQL: data (possibly partial or null) and errors. */
  | { kind: 'answer'; data: T | null; errors: GraphQLErrorJson[]; status: number; retryAfterMs: number | null }
  /** Network error, timeout, 5xx, 429: the same request may succeed later. */
  | { kind: 'transient'; reason: string; retryAfterMs: number | null };

export type Outcome<T> =
  | { kind: 'ok'; data: T; errors: GraphQLErrorJson[] }
  /** Network error, timeout, 5xx, RATE_LIMITED, INTERNAL_SERVER_ERROR: the same request may succeed later. */
  | { kind: 'transient'; reason: string; retryAfterMs: number | null }
  /** BAD_USER_INPUT or PAYLOAD_TOO_LARGE for the whole request: retrying it as is cannot succeed. */
  | { kind: 'refused'; code: string; reason: string }
  /** UNAUTHENTICATED, FORBIDDEN or anything else the SDK cannot fix by retrying. */
  | { kind: 'fatal'; code: string; reason: string };

/**
 * One HTTP POST: status, Retry-After and body text; rejects on a network error or timeout. The
 * body is text, or its UTF-8 bytes when the sender made them ahead (a batch, built while the
 * previous one was in flight).
 */
export type Send = (body: string | Buffer, headers: Record<string, string>) => Promise<{ status: number; retryAfter: string | null; text: string }>;

export interface TransportOptions {
  send: Send;
  apiKey: string;
  headers: Record<string, string>;
}

/**
 * POST with node:http(s) on a keep-alive agent: for the large JSON bodies of batches it costs a
 * fraction of what fetch does, on the path between two batches. Idle sockets do not keep the
 * process alive (the agent unrefs them).
 */
export function nodeHttpSender(url: string, timeoutMs: number): Send {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const request = secure ? httpsRequest : httpRequest;
  return (body, headers) =>
    new Promise((resolve, reject) => {
      const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const req = request(target, { method: 'POST', agent, headers: { ...headers, 'content-length': String(payload.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      function fail(error: Error): void {
        clearTimeout(timer);
        reject(error);
      }
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('request timed out'), { name: 'TimeoutError' })), timeoutMs);
      timer.unref();
      req.on('error', fail);
      req.end(payload);
    });
}

/** POST with a fetch implementation (the `fetch` option). */
export function fetchSender(fetchImpl: typeof globalThis.fetch, url: string, timeoutMs: number): Send {
  return async (body, headers) => {
    // A string, as before bytes were made ahead: a wrapping fetch may read the body as text.
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const response = await fetchImpl(url, { method: 'POST', headers, body: text, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
  };
}

const TRANSIENT_CODES = new Set(['RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);
const REFUSED_CODES = new Set(['BAD_USER_INPUT', 'PAYLOAD_TOO_LARGE']);

/** The `/graphql` URL of an endpoint given as a base URL or as the GraphQL URL itself. */
export function graphqlUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!url.pathname.endsWith('/graphql')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/graphql`;
  return url.toString();
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now; null when absent or invalid. */
export function parseRetryAfter(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function retryAfterFromErrors(errors: GraphQLErrorJson[]): number | null {
  for (const error of errors) {
    const ext = error.extensions;
    if (typeof ext?.retryAfterMs === 'number') return ext.retryAfterMs;
    if (typeof ext?.retryAfter === 'number') return ext.retryAfter * 1000;
  }
  return null;
}

/** Sends one request; never throws. */
export async function postGraphQL<T>(options: TransportOptions, body: string | Buffer): Promise<Answer<T>> {
  let response: { status: number; retryAfter: string | null; text: string };
  try {
    response = await options.send(body, {
      ...options.headers,
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${options.apiKey}`,
    });
  } catch (error) {
    return { kind: 'transient', reason: describeNetworkError(error), retryAfterMs: null };
  }
  const text = response.text;
  const retryAfterMs = parseRetryAfter(response.retryAfter);
  let json: { data?: T | null; errors?: GraphQLErrorJson[] } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  const errors = Array.isArray(json?.errors) ? json.errors : [];
  if (response.status === 429 || errors.some((error) => error.extensions?.code === 'RATE_LIMITED')) {
    return { kind: 'transient', reason: reasonOf(errors, response.status), retryAfterMs: retryAfterMs ?? retryAfterFromErrors(errors) };
  }
  if (json === undefined || typeof json !== 'object') {
    if (response.status === 413) {
      return { kind: 'answer', data: null, errors: [{ message: 'request body too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }], status: 413, retryAfterMs };
    }
    // A proxy's error page, a half-written body: nothing says the request was understood.
    return { kind: 'transient', reason: `HTTP ${response.status}, not a GraphQL response`, retryAfterMs };
  }
  if (response.status >= 500 && json.data == null) {
    return { kind: 'transient', reason: reasonOf(errors, response.status), retryAfterMs };
  }
  return { kind: 'answer', data: json.data ?? null, errors, status: response.status, retryAfterMs };
}

/** What an answer means for a request that succeeds or fails as a whole. */
export function classify<T>(answer: Answer<T>): Outcome<T> {
  if (answer.kind === 'transient') return answer;
  const { data, errors, status } = answer;
  if (data != null) return { kind: 'ok', data, errors };
  const codes = errors.map((error) => error.extensions?.code ?? 'UNKNOWN');
  const reason = reasonOf(errors, status);
  if (codes.length > 0 && codes.every((code) => TRANSIENT_CODES.has(code))) {
    return { kind: 'transient', reason, retryAfterMs: answer.retryAfterMs ?? retryAfterFromErrors(errors) };
  }
  const refused = codes.find((code) => REFUSED_CODES.has(code)) ?? (status === 413 ? 'PAYLOAD_TOO_LARGE' : undefined);
  if (refused) return { kind: 'refused', code: refused, reason };
  return { kind: 'fatal', code: codes[0] ?? `HTTP_${status}`, reason };
}

export function isTransientCode(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_CODES.has(code);
}

function reasonOf(errors: GraphQLErrorJson[], status: number): string {
  return errors.length > 0 ? errors.map((e) => e.message).join('; ') : `HTTP ${status}`;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error.name === 'TimeoutError') return 'request timed out';
  return cause?.code ? `${error.message} (${cause.code})` : cause?.message ? `${error.message}: ${cause.message}` : error.message;
}
