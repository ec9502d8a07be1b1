/**
 * The tracker: tracking calls record into an in-memory queue, in call order, and return; a single
 * sender drains the queue with `ingestBatch` (one request in flight at a time, so order holds
 * across batches), retries what failed for a transient reason, splits what was refused whole,
 * and drops the oldest events when the queue is full.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { formatMicros, nowMicros, resyncClock } from './clock.js';
import { EndSessionDocument, IngestBatchDocument } from './documents.js';
import { SightlineError } from './errors.js';
import {
  DescribeMarker, EndMarker, EventRecord, type EventFields, type EventType, type QueueItem, type SessionStatus, type TrackedEvent,
} from './events.js';
import { registerExitFlush, unregisterExitFlush } from './exit.js';
import type { EndSessionInput, SdkEndSessionMutation, SdkIngestBatchMutation, SessionUpsertInput } from './generated/graphql.js';
import { uuidv7 } from './ids.js';
import { EventRecorder, type EventOptions, type OperationOptions, type OperationScope } from './recorder.js';
import { classify, fetchSender, graphqlUrl, isTransientCode, nodeHttpSender, postGraphQL, type TransportOptions } from './transport.js';
import { watchSession, type SessionWatch, type TimelineUpdate, type WatchOptions } from './watch.js';

/** Retry timing for transient failures (network errors, 5xx, RATE_LIMITED). */
export interface RetryOptions {
  /**
   * Delay before the first retry; each further one doubles it, up to `maxDelayMs`, with jitter
   * (each delay is drawn between half and all of its step).
   * @default 250
   */
  initialDelayMs?: number;
  /**
   * Longest delay between two attempts. A server's Retry-After is honoured even when longer.
   * @default 30_000
   */
  maxDelayMs?: number;
}

/** How a session is described: all optional. */
export interface SessionOptions {
  /**
   * The session's key: a run id, a conversation id, a phone number. Unique within the project.
   * @default a fresh UUIDv7
   */
  key?: string;
  /**
   * A human-readable name.
   * @default none
   */
  name?: string;
  /**
   * Tags, for filters; added to those the session already has.
   * @default none
   */
  tags?: string[];
  /**
   * Free-form JSON object; its keys are merged into the session's metadata.
   * @default none
   */
  metadata?: Record<string, unknown>;
  /**
   * The agent that runs the session.
   * @default the tracker's `agentName`
   */
  agentName?: string;
}

export interface RetryInfo {
  /** Consecutive failed attempts so far (1 for the first failure). */
  attempt: number;
  /** How long the tracker waits before the next attempt. */
  delayMs: number;
  /** Why the attempt failed (a network error, an HTTP status, a GraphQL error). */
  reason: string;
  /** Events waiting to be sent, the failed batch included. */
  buffered: number;
}

export interface TrackerOptions {
  /** An INGEST (or ADMIN) API key of the project. Required. */
  apiKey: string;
  /** The server's base URL (`http://127.0.0.1:4000`) or its GraphQL URL (`…/graphql`). Required. */
  endpoint: string;
  /**
   * The agent name given to every session this tracker creates, unless the session names another.
   * @default none: the agent bound to the API key, if any
   */
  agentName?: string;
  /**
   * Send as soon as this many events are buffered.
   * @default 100
   */
  flushAt?: number;
  /**
   * Send what is buffered at least this often, in milliseconds; 0 sends only on `flushAt`,
   * `flush()`, shutdown and exit.
   * @default 1000
   */
  flushIntervalMs?: number;
  /**
   * Most events in one request. Keep it at or under the server's `SIGHTLINE_MAX_BATCH_EVENTS`
   * (a larger batch refused as too large is split, and the limit learned).
   * @default 1000
   */
  maxBatchSize?: number;
  /**
   * Most bytes of event JSON in one request (a single larger event still goes alone).
   * @default 4_194_304 (4 MiB)
   */
  maxBatchBytes?: number;
  /**
   * Most events held while the server cannot take them; past it the oldest are dropped and
   * counted (`stats.dropped`, and an EVENTS_DROPPED report). The batch being sent is held on top.
   * @default 10_000
   */
  maxBufferSize?: number;
  /**
   * A request not answered within this many milliseconds is abandoned and retried.
   * @default 30_000
   */
  requestTimeoutMs?: number;
  /** @default { initialDelayMs: 250, maxDelayMs: 30_000 } */
  retry?: RetryOptions;
  /**
   * Told of every event or session the SDK could not deliver, and why; never throws into the
   * agent (an exception in the hook is swallowed).
   * @default a one-line `console.warn`
   */
  onError?: (error: SightlineError) => void;
  /**
   * Told of every transient failure before the retry waits.
   * @default none
   */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Describes the session started automatically by the first tracking call made outside any
   * session (`tracker.question(…)` and the like). It ends SUCCEEDED on `shutdown()` or exit.
   * @default a fresh UUIDv7 key, nothing else
   */
  session?: SessionOptions;
  /**
   * Send what is buffered when the process is about to exit (Node's `beforeExit`).
   * @default true
   */
  flushOnExit?: boolean;
  /**
   * How long the exit flush may keep the process alive, in milliseconds.
   * @default 5_000
   */
  exitTimeoutMs?: number;
  /**
   * A fetch implementation to send with (a proxy-aware one, a test double).
   * @default none: node:http(s) with a keep-alive agent
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Extra HTTP headers on every request.
   * @default {}
   */
  headers?: Record<string, string>;
}

export interface TrackerStats {
  /** Events recorded by tracking calls. */
  tracked: number;
  /** Events the server accepted. */
  sent: number;
  /** Events the server already had (a retried batch that had been committed): not stored twice. */
  duplicates: number;
  /** Events the server refused (per event, as a whole batch, or for a bad key): not retried. */
  rejected: number;
  /** Events lost without a verdict: buffer overflow, or shutdown before they could be sent. */
  dropped: number;
  /** Tracking calls after shutdown, not recorded. */
  ignored: number;
  /** Events waiting to be sent. */
  buffered: number;
  /** Events in the request being sent. */
  inFlight: number;
  /** HTTP requests made. */
  requests: number;
  /** Transient failures, each followed by a retry. */
  retries: number;
}

export interface FlushOptions {
  /**
   * Give up waiting after this many milliseconds (sending goes on in the background).
   * @default no limit
   */
  timeoutMs?: number;
}

export interface ShutdownOptions {
  /**
   * How long to keep sending before dropping what is left, in milliseconds.
   * @default 10_000
   */
  timeoutMs?: number;
}

type FinalStatus = Extract<SessionStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>;

/** What a wrapped function runs inside: its session, and the operation its events nest under. */
interface RunContext {
  session: Session;
  parent: EventRecord | null;
}

const context = new AsyncLocalStorage<RunContext>();

/** endSession calls in one request, as aliases (the server allows 30 aliases per operation). */
const MAX_ENDS_PER_REQUEST = 25;
/** Sessions untouched this long are forgotten by `conversation()` (a handle still held keeps working). */
const SESSION_IDLE_FORGET_US = 10 * 60 * 1_000_000;

const INGEST_BODY_PREFIX = `{"operationName":"SdkIngestBatch","query":${JSON.stringify(IngestBatchDocument.toString())},"variables":{"input":{`;
const INGEST_BODY_PREFIX_BYTES = Buffer.byteLength(INGEST_BODY_PREFIX);
const SESSIONS_OPEN = '"sessions":[';
const SESSIONS_CLOSE = '],';
const EVENTS_OPEN = '"events":[';
const BODY_CLOSE = ']}}}';
const COMMA = 0x2c;

/** The ingestBatch request body of these sessions and events, as UTF-8. */
function ingestBody(upserts: DescribeMarker[], events: EventRecord[]): Buffer {
  // Written piece by piece into one buffer of the exact size: half the work of joining the
  // pieces into one string and encoding that, and no megabyte string to collect afterwards.
  let size = INGEST_BODY_PREFIX_BYTES + EVENTS_OPEN.length + BODY_CLOSE.length + Math.max(0, events.length - 1);
  if (upserts.length > 0) size += SESSIONS_OPEN.length + SESSIONS_CLOSE.length + upserts.length - 1;
  for (const upsert of upserts) size += Buffer.byteLength(upsert.json());
  for (const event of events) size += Buffer.byteLength(event.json());
  const body = Buffer.allocUnsafe(size);
  let at = body.write(INGEST_BODY_PREFIX, 0);
  if (upserts.length > 0) {
    at += body.write(SESSIONS_OPEN, at);
    for (let i = 0; i < upserts.length; i++) {
      if (i > 0) body[at++] = COMMA;
      at += body.write(upserts[i]!.json(), at);
    }
    at += body.write(SESSIONS_CLOSE, at);
  }
  at += body.write(EVENTS_OPEN, at);
  for (let i = 0; i < events.length; i++) {
    if (i > 0) body[at++] = COMMA;
    at += body.write(events[i]!.json(), at);
  }
  at += body.write(BODY_CLOSE, at);
  if (at === size) return body;
  // Cannot happen with JSON.stringify's well-formed output; if it ever did, the plain way is right.
  const sessions = upserts.length > 0 ? `${SESSIONS_OPEN}${upserts.map((u) => u.json()).join(',')}${SESSIONS_CLOSE}` : '';
  return Buffer.from(`${INGEST_BODY_PREFIX}${sessions}${EVENTS_OPEN}${events.map((e) => e.json()).join(',')}${BODY_CLOSE}`, 'utf8');
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function positive(value: number | undefined, fallback: number, name: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`Sightline tracker: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number (got ${String(value)})`);
  }
  return value;
}

function parentOf(parent: TrackedEvent | string | null | undefined, implicit: EventRecord | null): EventRecord | string | null {
  if (parent === undefined) return implicit;
  if (parent === null) return null;
  if (typeof parent === 'string') return parent;
  return parent instanceof EventRecord ? parent : parent.id;
}

const endSessionsDocuments = new Map<number, string>();
/** `endSession` under n aliases: ending many sessions costs one request, not n. */
function endSessionsDocument(count: number): string {
  let document = endSessionsDocuments.get(count);
  if (!document) {
    const variables = Array.from({ length: count }, (_, i) => `$e${i}: EndSessionInput!`).join(', ');
    const fields = Array.from({ length: count }, (_, i) => `e${i}: endSession(input: $e${i}) { key status }`).join(' ');
    document = `mutation SdkEndSessions(${variables}) { ${fields} }`;
    endSessionsDocuments.set(count, document);
  }
  return document;
}

/** A batch as the sender takes it off the queue. */
interface Batch {
  /** Queue slots it spans (its events and the markers among them). */
  slots: number;
  events: EventRecord[];
  upserts: DescribeMarker[];
  ends: EndMarker[];
  /** No further event can join it: it reached the event or byte limit. */
  full: boolean;
}

/** Which items of a batch a transient failure leaves to send again. */
interface Transient {
  reason: string;
  retryAfterMs: number | null;
}

export class Tracker extends EventRecorder {
  private readonly transport: TransportOptions;
  private readonly endpoint: string;
  private readonly apiKey: string;
  private readonly agentName: string | undefined;
  private readonly flushAt: number;
  private readonly flushIntervalMs: number;
  private readonly maxBatchBytes: number;
  private readonly maxBufferSize: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly exitTimeoutMs: number;
  private readonly flushOnExit: boolean;
  private readonly onErrorHook: (error: SightlineError) => void;
  private readonly onRetryHook: ((info: RetryInfo) => void) | undefined;
  private readonly autoSessionOptions: SessionOptions;

  /** Lowered when the server refuses a batch as too large. */
  private batchLimit: number;
  /** Call order: a FIFO of everything not yet taken by the sender; `head` is its first live slot. */
  private queue: (QueueItem | undefined)[] = [];
  private head = 0;
  private seq = 0;
  private bufferedEvents = 0;
  /** What the sender has taken and not yet settled, in queue order. */
  private inflight: QueueItem[] = [];
  private inflightEvents = 0;

  private pumping = false;
  private kickScheduled = false;
  /** The interval elapsed with events waiting: send even below `flushAt`. */
  private due = false;
  private timer: NodeJS.Timeout | null = null;
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  private failures = 0;
  private waiters: { target: number; resolve: (done: boolean) => void }[] = [];
  /** The next batch's request body, made while the previous batch was in flight. */
  private prepared: { upserts: DescribeMarker[]; events: EventRecord[]; body: Buffer } | null = null;
  private droppedUnreported = 0;

  private closed = false;
  private stopped = false;
  private exiting = false;
  private exitGaveUp = false;
  private shutdownPromise: Promise<boolean> | null = null;

  private readonly sessions = new Map<string, Session>();
  private autoSession: Session | null = null;
  private readonly counters = { tracked: 0, sent: 0, duplicates: 0, rejected: 0, dropped: 0, ignored: 0, requests: 0, retries: 0 };
  private readonly pumpBound = () => void this.pump();
  private readonly onTimerBound = () => this.onTimer();
  private readonly prepareNextBound = () => this.prepareNext();

  constructor(options: TrackerOptions) {
    super();
    if (!options || typeof options.apiKey !== 'string' || options.apiKey.length === 0) {
      throw new TypeError('Sightline tracker: apiKey is required');
    }
    if (typeof options.endpoint !== 'string' || options.endpoint.length === 0) {
      throw new TypeError('Sightline tracker: endpoint is required (e.g. http://127.0.0.1:4000)');
    }
    this.endpoint = options.endpoint;
    this.apiKey = options.apiKey;
    this.agentName = options.agentName;
    this.flushAt = positive(options.flushAt, 100, 'flushAt');
    this.flushIntervalMs = positive(options.flushIntervalMs, 1000, 'flushIntervalMs', true);
    this.batchLimit = Math.floor(positive(options.maxBatchSize, 1000, 'maxBatchSize'));
    this.maxBatchBytes = positive(options.maxBatchBytes, 4 * 1024 * 1024, 'maxBatchBytes');
    this.maxBufferSize = Math.floor(positive(options.maxBufferSize, 10_000, 'maxBufferSize'));
    this.initialDelayMs = positive(options.retry?.initialDelayMs, 250, 'retry.initialDelayMs', true);
    this.maxDelayMs = positive(options.retry?.maxDelayMs, 30_000, 'retry.maxDelayMs', true);
    this.exitTimeoutMs = positive(options.exitTimeoutMs, 5_000, 'exitTimeoutMs', true);
    this.flushOnExit = options.flushOnExit ?? true;
    this.onErrorHook = options.onError ?? ((error) => console.warn(`[sightline] ${error.code}: ${error.message}`));
    this.onRetryHook = options.onRetry;
    this.autoSessionOptions = options.session ?? {};
    const url = graphqlUrl(options.endpoint);
    const timeoutMs = positive(options.requestTimeoutMs, 30_000, 'requestTimeoutMs');
    this.transport = {
      send: options.fetch ? fetchSender(options.fetch, url, timeoutMs) : nodeHttpSender(url, timeoutMs),
      apiKey: options.apiKey,
      headers: options.headers ?? {},
    };
    if (this.flushOnExit) registerExitFlush(this);
  }

  // ---------------------------------------------------------------- sessions

  /**
   * The session tracking calls on the tracker go to: the one a `withSession` or an operation is
   * running in, otherwise the automatic session (started by this first use).
   */
  get currentSession(): Session {
    const ctx = context.getStore();
    return ctx !== undefined && ctx.session.tracker === this ? ctx.session : this.automaticSession();
  }

  /**
   * Starts a session explicitly: end it with `session.end(status)`. Starting a key this tracker
   * already knows returns that session, with the new description merged in.
   */
  startSession(options: SessionOptions = {}): Session {
    try {
      const key = options.key ?? uuidv7(nowMicros());
      const known = this.sessions.get(key);
      if (known) {
        known.update(options);
        return known;
      }
      const session = new Session(this, key, options, true);
      this.sessions.set(key, session);
      session.announce();
      return session;
    } catch (error) {
      this.internalError(error);
      return new Session(this, options.key ?? uuidv7(nowMicros()), {}, true);
    }
  }

  /**
   * A conversation the application identifies (a chat id, a phone number, a call id from
   * `newConversationId()`): the same key continues the same session across many sends and
   * processes. It is not ended automatically. Options given are merged into its description.
   */
  conversation(key: string, options: Omit<SessionOptions, 'key'> = {}): Session {
    try {
      const known = this.sessions.get(key);
      if (known) {
        if (options.name !== undefined || options.tags !== undefined || options.metadata !== undefined || options.agentName !== undefined) {
          known.update(options);
        }
        return known;
      }
      const session = new Session(this, key, options, false);
      this.sessions.set(key, session);
      return session;
    } catch (error) {
      this.internalError(error);
      return new Session(this, key, {}, false);
    }
  }

  /**
   * Runs `fn` in a new session: it ends SUCCEEDED when `fn` returns (or its promise resolves),
   * FAILED when it throws (or rejects), after an ERROR event for what was thrown; the exception
   * is re-thrown unchanged. Tracking calls on the tracker inside `fn` go to this session.
   */
  withSession<T>(fn: (session: Session) => T): T;
  withSession<T>(options: SessionOptions, fn: (session: Session) => T): T;
  withSession<T>(optionsOrFn: SessionOptions | ((session: Session) => T), maybeFn?: (session: Session) => T): T {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn!;
    const session = this.startSession(typeof optionsOrFn === 'function' ? {} : optionsOrFn);
    let result: T;
    try {
      result = context.run({ session, parent: null }, fn, session);
    } catch (error) {
      session.fail(error);
      throw error;
    }
    if (isPromiseLike(result)) {
      return result.then(
        (value) => {
          session.end('SUCCEEDED');
          return value;
        },
        (error: unknown) => {
          session.fail(error);
          throw error;
        },
      ) as T;
    }
    session.end('SUCCEEDED');
    return result;
  }

  /**
   * Watches a session's live timeline over graphql-ws (for dashboards and tests); see
   * `watchSession`. Uses this tracker's endpoint, and its API key unless `options.apiKey` gives
   * one with READ access (an INGEST key cannot watch).
   */
  watchSession(key: string, onUpdate: (update: TimelineUpdate) => void, options: Partial<WatchOptions> = {}): SessionWatch {
    return watchSession(key, onUpdate, { endpoint: this.endpoint, apiKey: this.apiKey, ...options });
  }

  // ---------------------------------------------------------------- helpers on the current session

  protected _emit(
    type: EventType,
    name: string | null,
    options: (EventOptions & EventFields) | undefined,
    input: unknown,
    output: unknown,
    extra?: (record: EventRecord) => void,
  ): TrackedEvent {
    const ctx = context.getStore();
    const session = ctx !== undefined && ctx.session.tracker === this ? ctx.session : this.automaticSession();
    return this.record(session, ctx !== undefined && ctx.session === session ? ctx.parent : null, type, name, options, input, output, extra);
  }

  wrap<T>(type: EventType, name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T {
    const ctx = context.getStore();
    const session = ctx !== undefined && ctx.session.tracker === this ? ctx.session : this.automaticSession();
    return this.runOperation(session, ctx !== undefined && ctx.session === session ? ctx.parent : null, type, name, fn, options);
  }

  protected _noteRecordedError(error: unknown): void {
    this.currentSession.noteRecordedError(error);
  }

  // ---------------------------------------------------------------- sending

  /**
   * Sends everything buffered so far, in order, and resolves `true` once it is settled (stored,
   * refused or dropped), or `false` when `timeoutMs` passed first. Never rejects.
   */
  flush(options: FlushOptions = {}): Promise<boolean> {
    try {
      this.reportDrops();
      const target = this.seq;
      if (this.lowestUnsettled() > target) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        let timeout: NodeJS.Timeout | undefined;
        const waiter = {
          target,
          resolve: (done: boolean) => {
            if (timeout) clearTimeout(timeout);
            resolve(done);
          },
        };
        this.waiters.push(waiter);
        if (options.timeoutMs !== undefined) {
          timeout = setTimeout(() => {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            resolve(false);
          }, options.timeoutMs);
        }
        // Someone waits now: a retry's timer must keep the process alive.
        this.sleeping?.timer.ref();
        this.kick();
      });
    } catch (error) {
      this.internalError(error);
      return Promise.resolve(false);
    }
  }

  /**
   * Ends the automatic session (SUCCEEDED) if one was started, sends what is buffered (up to
   * `timeoutMs`), then stops: later tracking calls are ignored. Resolves `true` when everything
   * was settled; what could not be sent in time is dropped and reported. Never rejects.
   */
  shutdown(options: ShutdownOptions = {}): Promise<boolean> {
    return (this.shutdownPromise ??= (async () => {
      try {
        if (this.autoSession && !this.autoSession.ended) this.autoSession.end('SUCCEEDED');
        this.closed = true;
        const done = await this.flush({ timeoutMs: options.timeoutMs ?? 10_000 });
        this.stop();
        return done;
      } catch (error) {
        this.internalError(error);
        this.stop();
        return false;
      }
    })());
  }

  /** Counters since the tracker was made. */
  get stats(): TrackerStats {
    return { ...this.counters, buffered: this.bufferedEvents, inFlight: this.inflightEvents };
  }

  // ---------------------------------------------------------------- internals shared with Session and Operation

  /** @internal Builds and queues one event; never throws. */
  record(
    session: Session,
    implicitParent: EventRecord | null,
    type: EventType,
    name: string | null,
    options: (EventOptions & EventFields) | undefined,
    input: unknown,
    output: unknown,
    extra: ((record: EventRecord) => void) | undefined,
  ): TrackedEvent {
    try {
      if (this.closed) return this.ignore(session, type);
      const record = new EventRecord(session.key, type, name, session.tick(), parentOf(options?.parent, implicitParent));
      if (input !== undefined) record.input = input;
      if (output !== undefined) record.output = output;
      if (options != null) record.assign(options);
      if (extra !== undefined) extra(record);
      this.enqueueEvent(record, session);
      return record;
    } catch (error) {
      this.internalError(error);
      return this.detached(session, type);
    }
  }

  /** @internal Runs `fn` as an operation of `session` under `implicitParent`. */
  runOperation<T>(
    session: Session,
    implicitParent: EventRecord | null,
    type: EventType,
    name: string,
    fn: (scope: OperationScope) => T,
    options: OperationOptions | undefined,
  ): T {
    let operation: Operation;
    let started: number;
    try {
      const record = new EventRecord(session.key, type, name, session.tick(), parentOf(options?.parent, implicitParent));
      if (options?.input !== undefined) record.input = options.input;
      if (options?.metadata !== undefined) record.metadata = options.metadata;
      operation = new Operation(session, record);
      started = performance.now();
    } catch (error) {
      this.internalError(error);
      return fn(new Operation(session, this.detached(session, type), true));
    }
    let result: T;
    try {
      result = context.run({ session, parent: operation.record }, fn, operation);
    } catch (error) {
      this.finishOperation(operation, session, started, true, error);
      throw error;
    }
    if (isPromiseLike(result)) {
      return result.then(
        (value) => {
          this.finishOperation(operation, session, started, false, undefined);
          return value;
        },
        (error: unknown) => {
          this.finishOperation(operation, session, started, true, error);
          throw error;
        },
      ) as T;
    }
    this.finishOperation(operation, session, started, false, undefined);
    return result;
  }

  /**
   * The operation's event is queued when it ends, with the timestamp of its start: the timeline
   * (ordered by timestamp) shows it before its children, and it carries its duration and outcome.
   */
  private finishOperation(operation: Operation, session: Session, started: number, failed: boolean, error: unknown): void {
    try {
      const record = operation.record;
      if (record.durationMs === null) record.durationMs = performance.now() - started;
      if (failed) {
        if (record.status === null) record.status = 'ERROR';
        record.error = error;
      }
      if (this.closed || operation.detached) return;
      this.enqueueEvent(record, session);
    } catch (caught) {
      this.internalError(caught);
    }
  }

  /** @internal Queues a session's description (an upsert in the next batch). */
  enqueueDescription(upsert: SessionUpsertInput): void {
    if (this.stopped) return;
    this.enqueueMarker(new DescribeMarker(upsert));
  }

  /** @internal Queues a session's end behind its events. */
  enqueueEnd(input: EndSessionInput & { key: string }): void {
    if (this.stopped) return;
    this.enqueueMarker(new EndMarker(input));
  }

  /** @internal An ended session is not kept: a later `conversation(key)` starts a new handle. */
  forgetSession(session: Session): void {
    if (this.sessions.get(session.key) === session) this.sessions.delete(session.key);
  }

  /** @internal The tracker's default agent name. */
  get defaultAgentName(): string | undefined {
    return this.agentName;
  }

  /** @internal Reports a failure inside the SDK (or a hook) without disturbing the agent. */
  internalError(error: unknown): void {
    this.report(new SightlineError('INTERNAL', `internal error: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
  }

  /** @internal Called by the process exit hook. */
  onBeforeExit(): void {
    try {
      if (this.stopped || this.exitGaveUp) return;
      this.exiting = true;
      if (this.autoSession && !this.autoSession.ended) this.autoSession.end('SUCCEEDED');
      if (this.lowestUnsettled() > this.seq) return;
      void this.flush({ timeoutMs: this.exitTimeoutMs }).then((done) => {
        if (!done) this.exitGaveUp = true;
      });
    } catch (error) {
      this.internalError(error);
    }
  }

  private automaticSession(): Session {
    if (this.autoSession === null) {
      const options = this.autoSessionOptions;
      this.autoSession = new Session(this, options.key ?? uuidv7(nowMicros()), options, false);
      this.sessions.set(this.autoSession.key, this.autoSession);
    }
    return this.autoSession;
  }

  private ignore(session: Session, type: EventType): TrackedEvent {
    this.counters.ignored++;
    return this.detached(session, type);
  }

  /** An event that is not queued, returned where recording failed: its id is still a valid UUID. */
  private detached(session: Session, type: EventType): EventRecord {
    return new EventRecord(session.key, type, null, nowMicros(), null);
  }

  private enqueueEvent(record: EventRecord, session: Session): void {
    if (!session.announced) session.announce();
    if (this.bufferedEvents >= this.maxBufferSize) this.dropOldest();
    record.seq = ++this.seq;
    this.queue.push(record);
    this.bufferedEvents++;
    this.counters.tracked++;
    if (this.bufferedEvents >= this.flushAt) this.kick();
    else if (this.timer === null) this.armTimer();
  }

  private enqueueMarker(marker: DescribeMarker | EndMarker): void {
    marker.seq = ++this.seq;
    this.queue.push(marker);
    if (this.timer === null) this.armTimer();
  }

  /** Drops the oldest waiting event; markers (descriptions, ends) are kept, in their order. */
  private dropOldest(): void {
    const queue = this.queue;
    for (let i = this.head; i < queue.length; i++) {
      const item = queue[i];
      if (!(item instanceof EventRecord)) continue;
      item.done = true;
      // Shift the few markers in front of it by one slot instead of splicing the whole queue.
      for (let j = i; j > this.head; j--) queue[j] = queue[j - 1];
      queue[this.head] = undefined;
      this.head++;
      this.bufferedEvents--;
      this.counters.dropped++;
      this.droppedUnreported++;
      if (this.waiters.length > 0) this.settleWaiters();
      return;
    }
  }

  private kick(): void {
    if (this.pumping || this.kickScheduled || this.stopped) return;
    this.kickScheduled = true;
    queueMicrotask(this.pumpBound);
  }

  private armTimer(): void {
    if (this.flushIntervalMs <= 0 || this.timer !== null || this.stopped) return;
    this.timer = setTimeout(this.onTimerBound, this.flushIntervalMs);
    this.timer.unref();
  }

  private onTimer(): void {
    this.timer = null;
    try {
      resyncClock();
      this.forgetIdleSessions();
      this.due = true;
      this.kick();
    } catch (error) {
      this.internalError(error);
    }
  }

  private queueLength(): number {
    return this.queue.length - this.head;
  }

  private urgent(): boolean {
    return this.due || this.waiters.length > 0 || this.closed || this.exiting || this.bufferedEvents >= this.flushAt;
  }

  private async pump(): Promise<void> {
    this.kickScheduled = false;
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    let failed = false;
    try {
      for (;;) {
        this.reportDrops();
        if (this.stopped) break;
        if (this.queueLength() === 0) {
          this.due = false;
          break;
        }
        if (!this.urgent()) break;
        const taken = this.take();
        const transient = await this.deliver(taken);
        if (this.stopped) break;
        if (transient) {
          this.putBack();
          this.failures++;
          this.counters.retries++;
          const step = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.min(this.failures - 1, 30));
          const delayMs = Math.max(transient.retryAfterMs ?? 0, step / 2 + (Math.random() * step) / 2);
          this.callHook(() => this.onRetryHook?.({ attempt: this.failures, delayMs, reason: transient.reason, buffered: this.bufferedEvents }));
          this.settleWaiters();
          await this.sleep(delayMs);
          continue;
        }
        this.failures = 0;
        this.inflight = [];
        this.inflightEvents = 0;
        this.settleWaiters();
      }
    } catch (error) {
      failed = true;
      this.internalError(error);
      if (this.inflight.length > 0) this.putBack();
    } finally {
      this.pumping = false;
      this.settleWaiters();
      if (!this.stopped && this.queueLength() > 0) {
        // Something came in while sending: below flushAt it waits for the interval, unless
        // someone is waiting for it now.
        if (!failed && (this.waiters.length > 0 || this.closed || this.exiting || this.bufferedEvents >= this.flushAt)) this.kick();
        else this.armTimer();
      }
    }
  }

  /** Takes the next batch off the queue: events up to the limits, and the markers among them. */
  private take(): Batch {
    const batch = this.nextBatch();
    const queue = this.queue;
    for (let n = 0; n < batch.slots; n++) {
      this.inflight.push(queue[this.head]!);
      queue[this.head++] = undefined;
    }
    this.bufferedEvents -= batch.events.length;
    this.inflightEvents = batch.events.length;
    if (this.head > 1024 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /** The batch `take()` would take now, left in the queue (each event's JSON is made and kept). */
  private nextBatch(): Batch {
    const events: EventRecord[] = [];
    const upserts: DescribeMarker[] = [];
    const ends: EndMarker[] = [];
    const queue = this.queue;
    let bytes = 0;
    let full = false;
    let i = this.head;
    for (; i < queue.length; i++) {
      const item = queue[i]!;
      if (item instanceof EventRecord) {
        if (events.length >= this.batchLimit) break;
        const size = item.json().length;
        if (events.length > 0 && bytes + size > this.maxBatchBytes) {
          full = true;
          break;
        }
        bytes += size;
        events.push(item);
      } else if (item instanceof DescribeMarker) {
        if (upserts.length >= this.batchLimit) break;
        upserts.push(item);
      } else {
        if (ends.length >= MAX_ENDS_PER_REQUEST) break;
        ends.push(item);
      }
    }
    return { slots: i - this.head, events, upserts, ends, full: full || events.length >= this.batchLimit };
  }

  /**
   * Runs while a batch is in flight: makes the next batch's JSON and, when that batch is full (or
   * nothing more can join it), its request body, so the next request leaves as soon as this one is
   * answered. One still filling gets its body when taken, with whatever joined it meanwhile.
   */
  private prepareNext(): void {
    try {
      this.prepared = null;
      const batch = this.nextBatch();
      if (batch.events.length + batch.upserts.length === 0 || !(batch.full || this.closed)) return;
      this.prepared = { upserts: batch.upserts, events: batch.events, body: ingestBody(batch.upserts, batch.events) };
    } catch (error) {
      this.internalError(error);
    }
  }

  /** The request body for these items: the one made ahead if it holds exactly them, else made now. */
  private bodyFor(upserts: DescribeMarker[], events: EventRecord[]): Buffer {
    const prepared = this.prepared;
    this.prepared = null;
    if (prepared !== null && sameItems(prepared.events, events) && sameItems(prepared.upserts, upserts)) return prepared.body;
    return ingestBody(upserts, events);
  }

  /** What a transient failure left unsent goes back to the front of the queue, in its order. */
  private putBack(): void {
    const back = this.inflight.filter((item) => !item.done);
    this.inflight = [];
    this.inflightEvents = 0;
    if (back.length > 0) {
      this.queue = [...back, ...this.queue.slice(this.head)];
      this.head = 0;
      for (const item of back) if (item instanceof EventRecord) this.bufferedEvents++;
    }
    while (this.bufferedEvents > this.maxBufferSize) this.dropOldest();
  }

  /** Sends a batch, then the ends it carried; returns why it must be retried, or null. */
  private async deliver(taken: Batch): Promise<Transient | null> {
    if (taken.events.length > 0 || taken.upserts.length > 0) {
      const transient = await this.sendIngest(taken.upserts, taken.events);
      if (transient) return transient;
    }
    for (let i = 0; i < taken.ends.length && !this.stopped; ) {
      const ends = taken.ends.slice(i, i + MAX_ENDS_PER_REQUEST);
      const transient = await this.sendEnds(ends);
      if (transient) return transient;
      i += ends.length;
    }
    return null;
  }

  private async sendIngest(upserts: DescribeMarker[], events: EventRecord[]): Promise<Transient | null> {
    const body = this.bodyFor(upserts, events);
    this.counters.requests++;
    const answer = postGraphQL<SdkIngestBatchMutation>(this.transport, body);
    // While the server works on this batch, serialise the next one, so the two overlap (and no
    // time passes between this answer and the next request but taking it off the queue).
    setImmediate(this.prepareNextBound);
    const outcome = classify(await answer);
    if (this.stopped) return null;
    switch (outcome.kind) {
      case 'transient':
        return outcome;
      case 'ok': {
        const result = outcome.data.ingestBatch;
        this.counters.sent += result.accepted;
        this.counters.duplicates += result.duplicates;
        for (const rejection of result.rejected) {
          const event = events[rejection.index];
          const eventId = rejection.eventId ?? event?.id ?? '';
          this.counters.rejected++;
          this.report(
            new SightlineError('EVENT_REJECTED', `event ${eventId} (${event?.type ?? '?'}) refused: ${rejection.code}: ${rejection.message}`, {
              count: 1,
              serverCode: rejection.code,
              rejection: { eventId, code: rejection.code, message: rejection.message },
              sessionKey: event?.sessionKey,
            }),
          );
        }
        this.settle(upserts, events);
        return null;
      }
      case 'refused': {
        if (outcome.code === 'PAYLOAD_TOO_LARGE' && events.length > 1) {
          this.batchLimit = Math.max(1, Math.min(this.batchLimit, Math.floor(events.length / 2)));
        }
        if (upserts.length + events.length <= 1) {
          this.settle(upserts, events);
          this.counters.rejected += events.length;
          const what = events[0] ? `event ${events[0].id} (${events[0].type})` : `description of session "${upserts[0]?.sessionKey}"`;
          this.report(
            new SightlineError(events[0] ? 'BATCH_REJECTED' : 'SESSION_REJECTED', `${what} refused: ${outcome.code}: ${outcome.reason}`, {
              count: events.length,
              serverCode: outcome.code,
              sessionKey: events[0]?.sessionKey ?? upserts[0]?.sessionKey,
            }),
          );
          return null;
        }
        // Refused whole: too large, send it by halves; invalid, find the culprit by halves,
        // sending every part that is fine.
        const half = events.length >> 1;
        const parts: [DescribeMarker[], EventRecord[]][] =
          outcome.code === 'PAYLOAD_TOO_LARGE' && events.length > 1
            ? [[upserts, events.slice(0, half)], [[], events.slice(half)]]
            : upserts.length > 0 && events.length > 0
            ? [[upserts, []], [[], events]]
            : upserts.length > 1
              ? [[upserts.slice(0, upserts.length >> 1), []], [upserts.slice(upserts.length >> 1), []]]
              : [[[], events.slice(0, half)], [[], events.slice(half)]];
        for (const [u, e] of parts) {
          const transient = await this.sendIngest(u, e);
          if (transient) return transient;
        }
        return null;
      }
      case 'fatal': {
        this.settle(upserts, events);
        this.counters.rejected += events.length;
        const unauthorized = outcome.code === 'UNAUTHENTICATED' || outcome.code === 'FORBIDDEN';
        this.report(
          new SightlineError(unauthorized ? 'UNAUTHORIZED' : 'BATCH_REJECTED', `${events.length} event(s) refused: ${outcome.code}: ${outcome.reason}`, {
            count: events.length,
            serverCode: outcome.code,
          }),
        );
        return null;
      }
    }
  }

  private async sendEnds(ends: EndMarker[]): Promise<Transient | null> {
    const pending = ends.filter((end) => !end.done);
    if (pending.length === 0) return null;
    const aliases = pending.length === 1 ? ['endSession'] : pending.map((_, i) => `e${i}`);
    const body =
      pending.length === 1
        ? JSON.stringify({ operationName: 'SdkEndSession', query: EndSessionDocument.toString(), variables: { input: pending[0]!.input } })
        : JSON.stringify({
            operationName: 'SdkEndSessions',
            query: endSessionsDocument(pending.length),
            variables: Object.fromEntries(pending.map((end, i) => [`e${i}`, end.input])),
          });
    this.counters.requests++;
    const answer = await postGraphQL<SdkEndSessionMutation | Record<string, SdkEndSessionMutation['endSession'] | null>>(this.transport, body);
    if (this.stopped) return null;
    if (answer.kind === 'transient') return answer;
    const whole = answer.errors.filter((error) => typeof error.path?.[0] !== 'string');
    let retry: Transient | null = null;
    pending.forEach((end, i) => {
      const error = answer.errors.find((e) => e.path?.[0] === aliases[i]) ?? whole[0];
      const code = error?.extensions?.code;
      if (error && isTransientCode(code)) {
        retry = { reason: error.message, retryAfterMs: answer.retryAfterMs };
        return;
      }
      end.done = true;
      if (error) {
        const unauthorized = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
        this.report(
          new SightlineError(unauthorized ? 'UNAUTHORIZED' : 'SESSION_REJECTED', `ending session "${end.input.key}" as ${end.input.status} refused: ${code ?? 'UNKNOWN'}: ${error.message}`, {
            serverCode: code,
            sessionKey: end.input.key,
          }),
        );
      }
    });
    return retry;
  }

  private settle(upserts: DescribeMarker[], events: EventRecord[]): void {
    for (const upsert of upserts) upsert.done = true;
    for (const event of events) event.done = true;
  }

  private lowestUnsettled(): number {
    for (const item of this.inflight) if (!item.done) return item.seq;
    for (let i = this.head; i < this.queue.length; i++) {
      const item = this.queue[i];
      if (item && !item.done) return item.seq;
    }
    return Number.POSITIVE_INFINITY;
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const lowest = this.lowestUnsettled();
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (lowest > waiter.target) waiter.resolve(true);
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      // A background retry must not keep the process alive; one someone awaits must.
      if (this.waiters.length === 0 && !this.exiting) timer.unref();
      this.sleeping = { timer, wake };
    });
  }

  private reportDrops(): void {
    if (this.droppedUnreported === 0) return;
    const count = this.droppedUnreported;
    this.droppedUnreported = 0;
    this.report(
      new SightlineError('EVENTS_DROPPED', `buffer full (${this.maxBufferSize} events): dropped the ${count} oldest; ${this.counters.dropped} in all`, { count }),
    );
  }

  private stop(): void {
    if (this.stopped) return;
    this.closed = true;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sleeping?.wake();
    unregisterExitFlush(this);
    // What is left could not be sent in time: it is lost, and said so.
    let lost = 0;
    for (const item of [...this.inflight, ...this.queue.slice(this.head)]) {
      if (item && !item.done && item instanceof EventRecord) lost++;
      if (item) item.done = true;
    }
    this.queue = [];
    this.head = 0;
    this.prepared = null;
    this.inflight = [];
    this.inflightEvents = 0;
    this.bufferedEvents = 0;
    this.counters.dropped += lost;
    this.droppedUnreported += lost;
    this.reportDrops();
    this.settleWaiters();
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }

  private forgetIdleSessions(): void {
    if (this.sessions.size < 1000) return;
    const cutoff = nowMicros() - SESSION_IDLE_FORGET_US;
    for (const [key, session] of this.sessions) {
      if (session !== this.autoSession && session.lastMicros < cutoff) this.sessions.delete(key);
    }
  }

  private report(error: SightlineError): void {
    this.callHook(() => this.onErrorHook(error));
  }

  private callHook(call: () => void): void {
    try {
      call();
    } catch {
      // A hook that throws must not stop the sender; there is nowhere better to report it.
    }
  }
}

/**
 * One session: an explicit run, a conversation, or the automatic session. Its clock gives every
 * event a timestamp strictly later than the previous one, even within the same microsecond.
 */
export class Session extends EventRecorder {
  /** @internal */
  lastMicros = 0;
  /** @internal The description was queued (the server will know the session). */
  announced = false;
  private status: SessionStatus = 'RUNNING';
  private readonly initial: SessionOptions;
  private readonly startedAtMicros: number | null;
  private recordedErrors: WeakSet<object> | null = null;

  /** @internal */
  constructor(
    /** @internal */
    readonly tracker: Tracker,
    /** The session's key, unique within the project. */
    readonly key: string,
    options: SessionOptions,
    explicit: boolean,
  ) {
    super();
    this.initial = { ...options };
    this.startedAtMicros = explicit ? this.tick() : null;
  }

  /** RUNNING until `end()`, then the status it ended with (as this process knows it). */
  get state(): SessionStatus {
    return this.status;
  }

  /** Whether `end()` was called. */
  get ended(): boolean {
    return this.status !== 'RUNNING';
  }

  /** Ends the session (once; later calls are ignored). Queued behind its events. */
  end(status: FinalStatus = 'SUCCEEDED'): void {
    try {
      if (this.ended) return;
      this.status = status;
      if (!this.announced) this.announce();
      this.tracker.enqueueEnd({ key: this.key, status, endedAt: formatMicros(this.tick()) });
      this.tracker.forgetSession(this);
    } catch (error) {
      this.tracker.internalError(error);
    }
  }

  /** Adds tags, merges metadata keys, and sets the name and agent if the session has none yet. */
  update(options: Omit<SessionOptions, 'key'>): void {
    try {
      const upsert: SessionUpsertInput = { key: this.key };
      if (options.name !== undefined) upsert.name = options.name;
      if (options.tags !== undefined) upsert.tags = options.tags;
      if (options.metadata !== undefined) upsert.metadata = options.metadata;
      if (options.agentName !== undefined) upsert.agentName = options.agentName;
      if (!this.announced) {
        // Not sent yet: fold into the first description, as the server would merge it.
        const o = this.initial;
        if (o.name === undefined) o.name = options.name;
        if (o.agentName === undefined) o.agentName = options.agentName;
        if (options.tags !== undefined) o.tags = [...new Set([...(o.tags ?? []), ...options.tags])];
        if (options.metadata !== undefined) o.metadata = { ...o.metadata, ...options.metadata };
        return;
      }
      this.tracker.enqueueDescription(upsert);
    } catch (error) {
      this.tracker.internalError(error);
    }
  }

  /** @internal The next timestamp: now, or one microsecond after the previous one. */
  tick(): number {
    const now = nowMicros();
    const next = now > this.lastMicros ? now : this.lastMicros + 1;
    this.lastMicros = next;
    return next;
  }

  /** @internal Queues the description, so the session exists (with its name, tags, agent) before anything else. */
  announce(): void {
    this.announced = true;
    const o = this.initial;
    const upsert: SessionUpsertInput = { key: this.key };
    if (o.name !== undefined) upsert.name = o.name;
    const agentName = o.agentName ?? this.tracker.defaultAgentName;
    if (agentName !== undefined) upsert.agentName = agentName;
    if (o.tags !== undefined) upsert.tags = o.tags;
    if (o.metadata !== undefined) upsert.metadata = o.metadata;
    if (this.startedAtMicros !== null) upsert.startedAt = formatMicros(this.startedAtMicros);
    this.tracker.enqueueDescription(upsert);
  }

  /** @internal Records what was thrown (unless already recorded) and ends FAILED. */
  fail(error: unknown): void {
    try {
      if (!(typeof error === 'object' && error !== null && this.recordedErrors?.has(error))) this.error(error);
      this.end('FAILED');
    } catch (caught) {
      this.tracker.internalError(caught);
    }
  }

  /** @internal */
  noteRecordedError(error: unknown): void {
    if (typeof error === 'object' && error !== null) (this.recordedErrors ??= new WeakSet()).add(error);
  }

  protected _emit(
    type: EventType,
    name: string | null,
    options: (EventOptions & EventFields) | undefined,
    input: unknown,
    output: unknown,
    extra?: (record: EventRecord) => void,
  ): TrackedEvent {
    const ctx = context.getStore();
    return this.tracker.record(this, ctx !== undefined && ctx.session === this ? ctx.parent : null, type, name, options, input, output, extra);
  }

  wrap<T>(type: EventType, name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T {
    const ctx = context.getStore();
    return this.tracker.runOperation(this, ctx !== undefined && ctx.session === this ? ctx.parent : null, type, name, fn, options);
  }

  protected _noteRecordedError(error: unknown): void {
    this.noteRecordedError(error);
  }
}

/** The scope an operation's function receives: its events are the operation's children. */
export class Operation extends EventRecorder implements OperationScope {
  /** @internal */
  constructor(
    readonly session: Session,
    /** @internal */
    readonly record: EventRecord,
    /** @internal Recording failed: run the function, record nothing. */
    readonly detached = false,
  ) {
    super();
  }

  get event(): TrackedEvent {
    return this.record;
  }

  set(fields: EventFields): void {
    try {
      this.record.assign(fields);
    } catch (error) {
      this.session.tracker.internalError(error);
    }
  }

  protected _emit(
    type: EventType,
    name: string | null,
    options: (EventOptions & EventFields) | undefined,
    input: unknown,
    output: unknown,
    extra?: (record: EventRecord) => void,
  ): TrackedEvent {
    return this.session.tracker.record(this.session, this.record, type, name, options, input, output, extra);
  }

  wrap<T>(type: EventType, name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T {
    return this.session.tracker.runOperation(this.session, this.record, type, name, fn, options);
  }

  protected _noteRecordedError(error: unknown): void {
    this.session.noteRecordedError(error);
  }
}
