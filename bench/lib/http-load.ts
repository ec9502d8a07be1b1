/**
 * The load generator: N clients, each posting its own pre-serialised batches one after another
 * over a keep-alive connection, as an SDK flushing its buffer would. node:http rather than fetch:
 * less client-side work per request on a 2-core machine that the server shares.
 */
import { Agent, request } from 'node:http';

export interface LoadRequest {
  /** Which client sends it; each client sends its requests in array order. */
  client: number;
  body: Buffer;
  /** Events in the batch, to count throughput. */
  events: number;
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  clients: number;
  requests: LoadRequest[];
  /** Throws when a response is not what the scenario expects; called outside the timed path's hot loop. */
  check: (status: number, body: string, request: LoadRequest) => void;
}

export interface LoadResult {
  wallMs: number;
  events: number;
  eventsPerSecond: number;
  /** One per request, in milliseconds. */
  latenciesMs: number[];
}

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * One POST with a body, its answer read whole; shared by the benchmark families. A request reset
 * on a reused keep-alive socket before any answer (the server closed the socket while idle, as the
 * request went out) is sent once more on a fresh one, as Node's documentation advises for
 * `reusedSocket`. Had the server read it and died instead, an ingest batch sent twice is still
 * stored once; the live floor's publish would send its frames twice. Any other failure, and a
 * second one, fails the run with what was sent where.
 */
export async function post(agent: Agent, url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
  try {
    return await postOnce(agent, url, headers, body);
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    try {
      return await postOnce(agent, url, headers, body);
    } catch (again) {
      throw new Error(`POST ${url.pathname} (${body.length} bytes) failed twice: ${error.message}, then ${(again as Error).message}`, { cause: again });
    }
  }
}

/** The request went out on a keep-alive socket that turned out to be closed. */
class StaleSocketError extends Error {}

function postOnce(agent: Agent, url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const where = `${req.reusedSocket ? 'a reused keep-alive socket' : 'a new socket'}, after ${Math.round(performance.now() - started)} ms`;
      const stale = req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      const described = `POST ${url.pathname} (${body.length} bytes) on ${where}: ${error.message}`;
      reject(stale ? new StaleSocketError(described) : new Error(described, { cause: error }));
    });
    // A server that stops answering fails the run instead of hanging it.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.end(body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const latenciesMs: number[] = [];
  let events = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: options.clients }, async (_, client) => {
        for (const item of options.requests) {
          if (item.client !== client) continue;
          const sent = performance.now();
          const response = await post(agent, url, options.headers, item.body);
          latenciesMs.push(performance.now() - sent);
          options.check(response.status, response.body, item);
          events += item.events;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const wallMs = performance.now() - started;
  return { wallMs, events, eventsPerSecond: (events / wallMs) * 1000, latenciesMs };
}

/** The check for an ingestBatch answer: every event accepted, nothing rejected or duplicated. */
export function expectAllAccepted(status: number, body: string, request: LoadRequest): void {
  let parsed: { data?: { ingestBatch?: { accepted: number; duplicates: number; rejected: unknown[] } }; errors?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new Error(`HTTP ${status}, not JSON: ${body.slice(0, 500)}`);
  }
  const result = parsed.data?.ingestBatch;
  if (status !== 200 || !result || result.accepted !== request.events || result.duplicates !== 0 || result.rejected.length !== 0) {
    throw new Error(`ingestBatch of ${request.events} events did not accept them all: HTTP ${status} ${body.slice(0, 800)}`);
  }
}
