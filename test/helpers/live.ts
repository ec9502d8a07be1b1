/**
 * Live subscriptions over real WebSockets, as a user's app would hold them: a graphql-ws client
 * that never retries (each close is the test's to see), and every subscription's messages in a
 * queue the test takes from in order, with a deadline that turns a missing message into a
 * failure naming what was expected and what had arrived, instead of a hang.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/** How long a test waits for one expected message before failing with what it has. */
export const MESSAGE_TIMEOUT_MS = 15_000;

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Items in arrival order; take() waits for the next one (with a deadline) when none is queued. */
export class Queue<T> {
  private readonly items: T[] = [];
  private waiter: Deferred<T> | null = null;
  /** Everything ever pushed, for failure messages and after-the-fact checks. */
  readonly history: T[] = [];

  private readonly watchers: { matches: (item: T) => boolean; found: (item: T) => void }[] = [];

  push(item: T): void {
    this.history.push(item);
    for (const watcher of this.watchers.filter((w) => w.matches(item))) {
      this.watchers.splice(this.watchers.indexOf(watcher), 1);
      watcher.found(item);
    }
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.resolve(item);
    } else {
      this.items.push(item);
    }
  }

  /** Settles with the first item ever pushed that matches, without taking anything. */
  seen(matches: (item: T) => boolean): Promise<T> {
    const found = this.history.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.watchers.push({ matches, found: resolve }));
  }

  get size(): number {
    return this.items.length;
  }

  /** The next item; rejects after `timeoutMs` with `describe()` in the message. */
  take(timeoutMs = MESSAGE_TIMEOUT_MS, describe: () => string = () => ''): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    if (this.waiter) throw new Error('Queue.take() called while another take() is waiting');
    const waiter = deferred<T>();
    this.waiter = waiter;
    const timer = setTimeout(() => {
      if (this.waiter !== waiter) return;
      this.waiter = null;
      waiter.reject(new Error(`nothing arrived within ${timeoutMs} ms. ${describe()}`));
    }, timeoutMs);
    return waiter.promise.finally(() => clearTimeout(timer));
  }
}

export interface GraphQLErrorJson {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** One graphql-ws message of a subscription, as its sink saw it. */
export type LiveMessage<T> =
  | { type: 'next'; payload: FormattedExecutionResult<T, Record<string, unknown>> }
  | { type: 'error'; errors: GraphQLErrorJson[]; closed?: Closed }
  | { type: 'complete' };

export interface LiveSocket {
  client: Client;
  /** Settles when the server acknowledges connection_init; rejects if the socket closes first. */
  acknowledged: Promise<void>;
  /** Settles with the close event of the (only) socket. */
  closed: Promise<Closed>;
  dispose(): Promise<void>;
}

/** Sockets not disposed by their test; `disposeAllSockets()` (in afterEach) closes them. */
const openSockets = new Set<LiveSocket>();

export async function disposeAllSockets(): Promise<void> {
  await Promise.all([...openSockets].map((socket) => socket.dispose()));
}

/**
 * The sockets of one test, for tests that run concurrently (where an afterEach closing every
 * socket would close other tests' too): a vitest fixture disposes them when its test ends.
 */
export class LiveSockets {
  private readonly open = new Set<LiveSocket>();

  connect(url: string, key?: string, connectionParams?: Record<string, unknown>): LiveSocket {
    const socket = connectLive(url, key, connectionParams);
    this.open.add(socket);
    return socket;
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.open].map((socket) => socket.dispose()));
    this.open.clear();
  }
}

export const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}/graphql`;

/**
 * A graphql-ws client on `url` that connects at once and never retries. `key` goes into the
 * connection_init payload as the contract says; `connectionParams` replaces that payload.
 */
export function connectLive(url: string, key?: string, connectionParams?: Record<string, unknown>): LiveSocket {
  const acknowledged = deferred<void>();
  acknowledged.promise.catch(() => {}); // observed where a test expects it
  const closed = deferred<Closed>();
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    connectionParams: connectionParams ?? (key ? { authorization: `Bearer ${key}` } : undefined),
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    on: {
      connected: () => acknowledged.resolve(),
      closed: (event) => {
        const { code, reason } = event as Closed;
        closed.resolve({ code, reason: String(reason) });
        acknowledged.reject(new Error(`closed before connection_ack: ${code} ${String(reason)}`));
      },
    },
  });
  const socket: LiveSocket = {
    client,
    acknowledged: acknowledged.promise,
    closed: closed.promise,
    dispose: async () => {
      openSockets.delete(socket);
      await client.dispose();
    },
  };
  openSockets.add(socket);
  return socket;
}

export interface LiveSubscription<T> {
  messages: Queue<LiveMessage<T>>;
  /** The next message, whatever it is. */
  take(timeoutMs?: number): Promise<LiveMessage<T>>;
  /** The next message's data; fails if the next message is an error or the end. */
  next(timeoutMs?: number): Promise<T>;
  /** Data messages until one satisfies `done` (included); fails on an error or the end. */
  until(done: (data: T) => boolean, timeoutMs?: number): Promise<T[]>;
  /** The first error codes to arrive (from an error message or a result with errors), skipping data. */
  errorCodes(timeoutMs?: number): Promise<string[]>;
  /** Stops the subscription (graphql-ws `complete` from the client). */
  unsubscribe(): void;
}

const describeMessages = (history: unknown[]) =>
  `${history.length} message(s) so far; the last ones: ${JSON.stringify(history.slice(-5)).slice(0, 3000)}`;

function errorsOf(error: unknown): { errors: GraphQLErrorJson[]; closed?: Closed } {
  if (Array.isArray(error)) return { errors: error as GraphQLErrorJson[] };
  const event = error as Partial<Closed> & { message?: string };
  if (typeof event?.code === 'number') {
    const closed = { code: event.code, reason: String(event.reason ?? '') };
    return { errors: [{ message: `socket closed: ${closed.code} ${closed.reason}` }], closed };
  }
  return { errors: [{ message: event?.message ?? String(error) }] };
}

/** Subscribes on `socket` and queues every message of the operation. */
export function subscribe<T, V extends Record<string, unknown>>(
  socket: LiveSocket,
  document: TypedDocumentNode<T, V> | DocumentNode,
  variables?: V,
): LiveSubscription<T> {
  const messages = new Queue<LiveMessage<T>>();
  const unsubscribe = socket.client.subscribe<T, Record<string, unknown>>(
    { query: print(document), variables },
    {
      next: (payload) => messages.push({ type: 'next', payload }),
      error: (error) => messages.push({ type: 'error', ...errorsOf(error) }),
      complete: () => messages.push({ type: 'complete' }),
    },
  );
  const take = (timeoutMs?: number) => messages.take(timeoutMs, () => describeMessages(messages.history));
  const next = async (timeoutMs?: number): Promise<T> => {
    const message = await take(timeoutMs);
    if (message.type !== 'next' || message.payload.errors?.length || !message.payload.data) {
      throw new Error(`expected data, got ${JSON.stringify(message).slice(0, 2000)}; ${describeMessages(messages.history)}`);
    }
    return message.payload.data;
  };
  return {
    messages,
    take,
    next,
    async until(done, timeoutMs) {
      const taken: T[] = [];
      for (;;) {
        const data = await next(timeoutMs);
        taken.push(data);
        if (done(data)) return taken;
      }
    },
    async errorCodes(timeoutMs) {
      for (;;) {
        const message = await take(timeoutMs);
        if (message.type === 'complete') throw new Error(`completed without an error; ${describeMessages(messages.history)}`);
        const errors = message.type === 'error' ? message.errors : (message.payload.errors ?? []);
        if (errors.length > 0) return errors.map((error) => String(error.extensions?.code));
      }
    },
    unsubscribe,
  };
}

/**
 * Writes until every subscription has heard something, so a test knows the server-side
 * subscriptions are live: graphql-ws acknowledges no subscribe, so hearing is the only evidence.
 * Each write waits for the previous one's answer; the loop stops as soon as all have heard.
 * Returns how many writes it made.
 */
export async function writeUntilHeard(
  subscriptions: { messages: { history: readonly unknown[] } }[],
  write: (attempt: number) => Promise<void>,
  maxWrites = 300,
): Promise<number> {
  const allHeard = () => subscriptions.every((subscription) => subscription.messages.history.length > 0);
  for (let attempt = 0; attempt < maxWrites; attempt++) {
    if (allHeard()) return attempt;
    await write(attempt);
  }
  if (allHeard()) return maxWrites;
  throw new Error(`a subscription heard none of ${maxWrites} writes`);
}

/**
 * A raw graphql-transport-ws socket, for what the client library hides: pausing the reading side
 * of the TCP socket (a consumer that stops reading) and seeing every frame and the close code.
 */
export interface RawSocket {
  ws: WebSocket;
  /** Parsed server messages, in order. */
  messages: Queue<{ type: string; id?: string; payload?: unknown }>;
  closed: Promise<Closed>;
  send(message: Record<string, unknown>): void;
  /** Stops reading from the TCP socket: the kernel buffers fill, then the server's. */
  pause(): void;
  resume(): void;
}

export async function openRawSocket(url: string, key: string): Promise<RawSocket> {
  const ws = new WebSocket(wsUrl(url), 'graphql-transport-ws');
  const messages = new Queue<{ type: string; id?: string; payload?: unknown }>();
  const closed = deferred<Closed>();
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
  ws.on('close', (code, reason) => closed.resolve({ code, reason: String(reason) }));
  ws.on('error', () => {}); // the close event says what happened
  const opened = deferred<void>();
  ws.once('open', () => opened.resolve());
  ws.once('close', (code) => opened.reject(new Error(`closed before open: ${code}`)));
  await opened.promise;
  const tcp = (ws as unknown as { _socket: import('node:net').Socket })._socket;
  const raw: RawSocket = {
    ws,
    messages,
    closed: closed.promise,
    send: (message) => ws.send(JSON.stringify(message)),
    pause: () => tcp.pause(),
    resume: () => tcp.resume(),
  };
  raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
  const ack = await messages.take(MESSAGE_TIMEOUT_MS, () => 'waiting for connection_ack');
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  return raw;
}

/** A small deterministic PRNG (mulberry32), so a failing random schedule can be replayed by seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
