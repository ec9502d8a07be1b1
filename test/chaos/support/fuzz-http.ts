/**
 * The fuzz run's side of the wire: raw HTTP requests (node:http, so a body can hold any bytes, a
 * header any value, a length any lie), raw graphql-transport-ws sockets, the verdict on each
 * answer, and the figures for docs/RELIABILITY.md.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import { deferred, wsUrl } from '../../helpers/live.js';

/** RUNNING.md and the issue: every answer within this, hostile or not. */
export const ANSWER_BUDGET_MS = 2_000;
/** How long the client waits before calling a request hung (well past the budget, so the verdict names it). */
const HANG_MS = 10_000;

/** The codes the contract lets a client see. */
export const CONTRACT_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR',
]);

export interface HttpCase {
  method?: string;
  /** Path and query string; /graphql by default. */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
  /** A transport failure (reset, hang) instead of, or after, an answer. */
  failure?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export function closeAgent(): void {
  agent.destroy();
}

export function sendHttp(baseUrl: string, c: HttpCase): Promise<HttpAnswer> {
  const url = new URL(c.path ?? '/graphql', baseUrl);
  const body = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8');
  const headers: Record<string, string> = { ...c.headers };
  // A given Content-Length stands, even when it lies (a body announced and never sent).
  if (body && !c.chunked && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  if (c.chunked) headers['transfer-encoding'] = 'chunked';
  const started = performance.now();
  const done = deferred<HttpAnswer>();
  let answer: HttpAnswer | null = null;
  const req = httpRequest(url, { method: c.method ?? 'POST', headers, agent }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', (error) => done.resolve({ ...answer!, failure: `response: ${error.message}` }));
    answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0), ms: 0 };
    res.on('end', () => done.resolve({ ...answer!, body: Buffer.concat(chunks), ms: performance.now() - started }));
  });
  const timer = setTimeout(() => {
    req.destroy(new Error(`no complete answer within ${HANG_MS} ms`));
  }, HANG_MS);
  req.on('error', (error) => {
    // A server that answers 413 and hangs up while the body is still going out: the answer counts.
    done.resolve(answer ? { ...answer, ms: performance.now() - started } : { status: 0, headers: {}, body: Buffer.alloc(0), ms: performance.now() - started, failure: error.message });
  });
  if (body && c.chunked) {
    // Several chunks, so the server sees a stream of unknown length.
    const piece = Math.max(1, Math.ceil(body.length / 4));
    for (let i = 0; i < body.length; i += piece) req.write(body.subarray(i, i + piece));
    req.end();
  } else {
    req.end(body);
  }
  return done.promise.finally(() => clearTimeout(timer));
}

interface ErrorJson {
  message?: unknown;
  extensions?: { code?: unknown };
}

/** What is wrong with the errors of a GraphQL response body: each needs a message and a contract code. */
export function errorProblems(errors: unknown, where = ''): string[] {
  if (!Array.isArray(errors) || errors.length === 0) return [`${where}errors is not a non-empty list`];
  const problems: string[] = [];
  for (const error of errors as ErrorJson[]) {
    const code = error?.extensions?.code;
    if (typeof error?.message !== 'string' || error.message.trim() === '') problems.push(`${where}an error without a message`);
    if (typeof code !== 'string' || !CONTRACT_CODES.has(code)) problems.push(`${where}error code ${JSON.stringify(code)} is not a contract code (${String(error?.message).slice(0, 120)})`);
    else if (code === 'INTERNAL_SERVER_ERROR') problems.push(`${where}INTERNAL_SERVER_ERROR: ${String(error.message).slice(0, 120)}`);
  }
  return problems;
}

/**
 * Statuses the server may answer without a GraphQL body: node's own HTTP parser refuses headers
 * over 16 KiB with 431 before the application sees the request; HEAD never has a body; OPTIONS
 * is a CORS preflight.
 */
const BODYLESS_OK = new Set([204, 431]);

/** Everything the fuzz run requires of one HTTP answer; an empty list when it holds. */
export function answerProblems(c: HttpCase, a: HttpAnswer): string[] {
  const problems: string[] = [];
  if (a.failure && a.status === 0) return [`no answer: ${a.failure}`];
  if (a.status >= 500) problems.push(`status ${a.status}`);
  if (a.ms > ANSWER_BUDGET_MS) problems.push(`answered in ${Math.round(a.ms)} ms, over ${ANSWER_BUDGET_MS} ms`);
  if (BODYLESS_OK.has(a.status) || c.method === 'HEAD') return problems;
  const type = String(a.headers['content-type'] ?? '');
  if (a.body.length === 0) {
    problems.push(`status ${a.status} with an empty body`);
    return problems;
  }
  const accept = String(Object.entries(c.headers ?? {}).find(([name]) => name.toLowerCase() === 'accept')?.[1] ?? '');
  const streamed = /^(text\/event-stream|multipart\/mixed)/.exec(type)?.[1];
  if (streamed && accept.includes(streamed)) {
    // The client asked for a stream (server-sent events, incremental delivery): each `data:` line
    // or each part's JSON is a GraphQL result.
    const results = a.body
      .toString('utf8')
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data: {') || line.startsWith('{'))
      .map((line) => line.replace(/^data: /, ''));
    if (results.length === 0) problems.push(`status ${a.status}: an event stream without a result`);
    for (const result of results) {
      try {
        const parsed = JSON.parse(result) as { errors?: unknown };
        if (parsed.errors !== undefined) problems.push(...errorProblems(parsed.errors));
        else if (a.status >= 400) problems.push(`status ${a.status} without errors`);
      } catch {
        problems.push(`an event whose data is not JSON: ${result.slice(0, 200)}`);
      }
    }
    return problems;
  }
  if (!/json/.test(type)) {
    // GraphiQL for a browser's GET is the one HTML page the endpoint serves.
    if (!(a.status === 200 && /text\/html/.test(type))) problems.push(`status ${a.status} with content-type ${type || 'none'}`);
    return problems;
  }
  let parsed: { data?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(a.body.toString('utf8')) as typeof parsed;
  } catch {
    problems.push(`status ${a.status} with a body that is not JSON: ${a.body.toString('utf8').slice(0, 200)}`);
    return problems;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push(`a JSON body that is not an object: ${a.body.toString('utf8').slice(0, 200)}`);
  } else if (parsed.errors !== undefined) {
    problems.push(...errorProblems(parsed.errors));
  } else if (a.status >= 400) {
    problems.push(`status ${a.status} without errors`);
  } else if (!('data' in parsed)) {
    problems.push('a 2xx answer with neither data nor errors');
  }
  return problems;
}

/** The codes of a GraphQL body's errors, for the figures. */
export function codesOf(a: HttpAnswer): string[] {
  try {
    const parsed = JSON.parse(a.body.toString('utf8')) as { errors?: ErrorJson[] };
    return (parsed.errors ?? []).map((error) => String(error.extensions?.code));
  } catch {
    return [];
  }
}

export function describeCase(c: HttpCase): string {
  const body = c.body === undefined ? '' : Buffer.isBuffer(c.body) ? c.body.toString('latin1') : c.body;
  const shown = body.length > 600 ? `${body.slice(0, 400)} … (${body.length} bytes) … ${body.slice(-100)}` : body;
  const headers = Object.fromEntries(
    Object.entries(c.headers ?? {}).map(([name, value]) => [name, value.length > 120 ? `${value.slice(0, 100)}… (${value.length})` : value]),
  );
  return `${c.method ?? 'POST'} ${(c.path ?? '/graphql').slice(0, 300)} ${JSON.stringify(headers)}${c.chunked ? ' chunked' : ''}\n${shown}`;
}

/** Per category: cases tried, requests sent, 5xx seen, slowest answer, refusals by code. */
export class Figures {
  private readonly categories = new Map<string, { cases: number; requests: number; status5xx: number; maxLatencyMs: number; codes: Record<string, number> }>();

  private of(category: string) {
    let entry = this.categories.get(category);
    if (!entry) {
      entry = { cases: 0, requests: 0, status5xx: 0, maxLatencyMs: 0, codes: {} };
      this.categories.set(category, entry);
    }
    return entry;
  }

  caseTried(category: string): void {
    this.of(category).cases++;
  }

  request(category: string, answer: { status: number; ms: number }, codes: string[] = []): void {
    const entry = this.of(category);
    entry.requests++;
    if (answer.status >= 500) entry.status5xx++;
    entry.maxLatencyMs = Math.max(entry.maxLatencyMs, Math.round(answer.ms));
    for (const code of codes) entry.codes[code] = (entry.codes[code] ?? 0) + 1;
  }

  summary() {
    const categories = Object.fromEntries(this.categories);
    const all = [...this.categories.values()];
    return {
      cases: all.reduce((sum, entry) => sum + entry.cases, 0),
      requests: all.reduce((sum, entry) => sum + entry.requests, 0),
      status5xx: all.reduce((sum, entry) => sum + entry.status5xx, 0),
      maxLatencyMs: all.reduce((max, entry) => Math.max(max, entry.maxLatencyMs), 0),
      categories,
    };
  }
}

/** One raw graphql-transport-ws conversation: every frame the server sent, and how it closed. */
export interface WsConversation {
  frames: { type?: string; id?: string; payload?: unknown }[];
  /** Frames that were not JSON objects (none expected). */
  unparsable: string[];
  close: { code: number; reason: string } | null;
  /** The whole conversation, listening included. */
  ms: number;
  /** From the last message sent to the server's first frame or close after it; null if it said nothing. */
  answerMs: number | null;
}

export interface WsScript {
  /** Sent before anything else; omit to start without connection_init. */
  init?: unknown;
  /** Wait for connection_ack before the messages (a client that follows the protocol does). */
  awaitAck?: boolean;
  messages: (string | Buffer)[];
  /** How long to listen after the last message for what the server says. */
  listenMs: number;
  /** Stop listening early once this holds. */
  doneWhen?: (conversation: WsConversation) => boolean;
}

export async function wsConverse(baseUrl: string, script: WsScript): Promise<WsConversation> {
  const started = performance.now();
  const conversation: WsConversation = { frames: [], unparsable: [], close: null, ms: 0, answerMs: null };
  let sentAt: number | null = null;
  let hangingUp = false;
  const answered = () => {
    if (sentAt !== null && !hangingUp && conversation.answerMs === null) conversation.answerMs = performance.now() - sentAt;
  };
  const ws = new WebSocket(wsUrl(baseUrl), 'graphql-transport-ws', { maxPayload: 64 * 1024 * 1024 });
  const closed = deferred<void>();
  let changed: (() => void) | null = null;
  ws.on('message', (data) => {
    const text = String(data);
    try {
      const frame = JSON.parse(text) as unknown;
      if (frame && typeof frame === 'object' && !Array.isArray(frame)) conversation.frames.push(frame as WsConversation['frames'][number]);
      else conversation.unparsable.push(text.slice(0, 200));
    } catch {
      conversation.unparsable.push(text.slice(0, 200));
    }
    answered();
    changed?.();
  });
  ws.on('close', (code, reason) => {
    conversation.close = { code, reason: String(reason) };
    answered();
    closed.resolve();
    changed?.();
  });
  ws.on('error', () => {}); // the close says what happened
  const opened = deferred<void>();
  ws.once('open', () => opened.resolve());
  ws.once('close', () => opened.reject(new Error('closed before open')));
  ws.once('unexpected-response', (_req, res) => opened.reject(new Error(`upgrade refused with ${res.statusCode}`)));
  await opened.promise;

  /** Resolves when `done` holds, the socket closes, or `ms` pass. */
  const until = (done: () => boolean, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        changed = null;
        resolve();
      }
      changed = () => {
        if (done() || conversation.close) finish();
      };
      changed();
    });

  const open = () => ws.readyState === WebSocket.OPEN;
  if (script.init !== undefined) ws.send(typeof script.init === 'string' ? script.init : JSON.stringify(script.init));
  if (script.awaitAck) await until(() => conversation.frames.some((frame) => frame.type === 'connection_ack'), ANSWER_BUDGET_MS * 2);
  for (const message of script.messages) if (open()) ws.send(message);
  sentAt = performance.now();
  await until(() => script.doneWhen?.(conversation) ?? false, script.listenMs);
  hangingUp = true; // what follows answers our close, not the messages
  if (open()) ws.close(1000);
  await Promise.race([closed.promise, new Promise((resolve) => setTimeout(resolve, 1000))]);
  if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  conversation.ms = performance.now() - started;
  return conversation;
}

/**
 * Close codes a server may end a hostile conversation with: normal closes, 1009 (a frame over
 * the payload limit), 1013 (try later) and graphql-ws' client-error codes. 4500 (internal error)
 * and 1011 are failures.
 */
export const ACCEPTABLE_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1001, 1005, 1009, 1013, 4400, 4401, 4403, 4406, 4408, 4409, 4429]);

/** What is wrong with a conversation: bad close codes, unparsable frames, errors without contract codes. */
export function conversationProblems(conversation: WsConversation): string[] {
  const problems: string[] = [];
  if (conversation.answerMs !== null && conversation.answerMs > ANSWER_BUDGET_MS) {
    problems.push(`answered in ${Math.round(conversation.answerMs)} ms, over ${ANSWER_BUDGET_MS} ms`);
  }
  if (conversation.close && !ACCEPTABLE_CLOSE_CODES.has(conversation.close.code)) {
    problems.push(`closed with ${conversation.close.code} ${conversation.close.reason.slice(0, 120)}`);
  }
  for (const text of conversation.unparsable) problems.push(`a frame that is not a JSON object: ${text}`);
  for (const frame of conversation.frames) {
    if (frame.type === 'error') problems.push(...errorProblems(frame.payload, `error frame ${frame.id}: `));
    if (frame.type === 'next') {
      const errors = (frame.payload as { errors?: unknown } | undefined)?.errors;
      if (errors !== undefined) problems.push(...errorProblems(errors, `next frame ${frame.id}: `));
    }
  }
  return problems;
}
