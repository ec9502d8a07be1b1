/**
 * What the tracker buffers: event records and session markers (a description to upsert, an end),
 * in call order. A record is built in the tracking call with nothing but references and numbers;
 * its id, timestamp text and JSON are made when it is sent (or when someone asks for its id).
 */
import { formatMicros } from './clock.js';
import type { EndSessionInput, EventInput, EventStatus, EventType, SessionStatus, SessionUpsertInput } from './generated/graphql.js';
import { uuidv7 } from './ids.js';

export type { EventStatus, EventType, SessionStatus };

/** An event as the helpers return it: enough to refer to it (as a parent, in feedback). */
export interface TrackedEvent {
  /** The client id (UUIDv7), the event's idempotency key on the server. */
  readonly id: string;
  readonly type: EventType;
  readonly sessionKey: string;
  /** Microseconds since the epoch; strictly increasing within a session. */
  readonly timestampMicros: number;
  /** RFC 3339, UTC, six fractional digits, as the server stores it. */
  readonly timestamp: string;
}

/** The fields an event can carry besides its type, session and time. */
export interface EventFields {
  name?: string | null;
  input?: unknown;
  output?: unknown;
  metadata?: Record<string, unknown> | null;
  durationMs?: number | null;
  status?: EventStatus | null;
  model?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  costUsd?: number | null;
  errorMessage?: string | null;
  errorType?: string | null;
}

/** Anything queued gets a sequence number (call order) and is `done` once sent, refused or dropped. */
interface Queued {
  seq: number;
  done: boolean;
}

export class EventRecord implements TrackedEvent, Queued {
  seq = 0;
  done = false;
  name: string | null;
  durationMs: number | null = null;
  status: EventStatus | null = null;
  input: unknown = undefined;
  output: unknown = undefined;
  metadata: Record<string, unknown> | null = null;
  model: string | null = null;
  promptTokens: number | null = null;
  completionTokens: number | null = null;
  costUsd: number | null = null;
  errorMessage: string | null = null;
  errorType: string | null = null;
  /** A thrown value, described (message, type, stack) only when sent. */
  error: unknown = undefined;
  private _id: string | null = null;
  private _json: string | null = null;

  constructor(
    readonly sessionKey: string,
    readonly type: EventType,
    name: string | null,
    readonly timestampMicros: number,
    /** A record (whose id is made when needed), a client id given by the caller, or none. */
    readonly parent: EventRecord | string | null,
  ) {
    this.name = name;
  }

  get id(): string {
    return (this._id ??= uuidv7(this.timestampMicros));
  }

  get timestamp(): string {
    return formatMicros(this.timestampMicros);
  }

  /** Copies fields given by the caller; ignores undefined ones. */
  assign(fields: EventFields): void {
    if (fields.name !== undefined) this.name = fields.name;
    if (fields.input !== undefined) this.input = fields.input;
    if (fields.output !== undefined) this.output = fields.output;
    if (fields.metadata !== undefined) this.metadata = fields.metadata;
    if (fields.durationMs !== undefined) this.durationMs = fields.durationMs;
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.model !== undefined) this.model = fields.model;
    if (fields.promptTokens !== undefined) this.promptTokens = fields.promptTokens;
    if (fields.completionTokens !== undefined) this.completionTokens = fields.completionTokens;
    if (fields.costUsd !== undefined) this.costUsd = fields.costUsd;
    if (fields.errorMessage !== undefined) this.errorMessage = fields.errorMessage;
    if (fields.errorType !== undefined) this.errorType = fields.errorType;
  }

  /**
   * The event as `EventInput` JSON, made once: retries and splits reuse it. The payload objects
   * are released then, so a buffered event holds its JSON and nothing the agent may still change.
   */
  json(): string {
    if (this._json !== null) return this._json;
    const wire: EventInput = { id: this.id, sessionKey: this.sessionKey, type: this.type, timestamp: formatMicros(this.timestampMicros) };
    if (this.parent !== null) wire.parentId = typeof this.parent === 'string' ? this.parent : this.parent.id;
    if (this.name != null) wire.name = String(this.name);
    const durationMs = finite(this.durationMs);
    if (durationMs !== undefined) wire.durationMs = durationMs;
    if (this.status != null) wire.status = this.status;
    let output = this.output;
    if (this.error !== undefined) {
      const described = describeError(this.error);
      wire.errorMessage = this.errorMessage ?? described.message;
      wire.errorType = this.errorType ?? described.type;
      if (output === undefined && (described.stack !== undefined || described.cause !== undefined)) {
        output = described.cause === undefined ? { stack: described.stack } : { stack: described.stack, cause: described.cause };
      }
    } else {
      if (this.errorMessage != null) wire.errorMessage = String(this.errorMessage);
      if (this.errorType != null) wire.errorType = String(this.errorType);
    }
    if (this.input !== undefined) wire.input = this.input;
    if (output !== undefined) wire.output = output;
    if (this.metadata != null) wire.metadata = this.metadata;
    if (this.model != null) wire.model = String(this.model);
    const promptTokens = integer(this.promptTokens);
    if (promptTokens !== undefined) wire.promptTokens = promptTokens;
    const completionTokens = integer(this.completionTokens);
    if (completionTokens !== undefined) wire.completionTokens = completionTokens;
    const costUsd = finite(this.costUsd);
    if (costUsd !== undefined) wire.costUsd = costUsd;
    this._json = stringify(wire);
    this.input = this.output = this.error = undefined;
    this.metadata = null;
    return this._json;
  }
}

/** A session description to upsert (`sessions` of ingestBatch), queued where it was given. */
export class DescribeMarker implements Queued {
  seq = 0;
  done = false;
  private _json: string | null = null;
  constructor(readonly upsert: SessionUpsertInput) {}

  get sessionKey(): string {
    return this.upsert.key;
  }

  json(): string {
    return (this._json ??= stringify(this.upsert));
  }
}

/** An endSession, queued after the session's events so it never overtakes them. */
export class EndMarker implements Queued {
  seq = 0;
  done = false;
  constructor(readonly input: EndSessionInput & { key: string }) {}

  get sessionKey(): string {
    return this.input.key;
  }
}

export type QueueItem = EventRecord | DescribeMarker | EndMarker;

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Int fields must be integers, or the whole batch is refused: round what a caller computed. A
 * negative count stays negative, for the server to refuse (and onError to tell).
 */
function integer(value: unknown): number | undefined {
  const number = finite(value);
  return number === undefined ? undefined : Math.round(number);
}

export interface DescribedError {
  message: string;
  type: string;
  stack: string | undefined;
  cause: string | undefined;
}

/** Message, type and stack of anything thrown. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof Error) {
    const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
    // A subclass that does not set `name` still says what it is through its constructor.
    const type = error.name && error.name !== 'Error' ? error.name : typeof constructorName === 'string' && constructorName ? constructorName : 'Error';
    const cause = error.cause === undefined ? undefined : error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error.cause);
    return { message: error.message, type, stack: typeof error.stack === 'string' ? error.stack : undefined, cause };
  }
  if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return { message: (error as { message: string }).message, type: 'object', stack: undefined, cause: undefined };
  }
  return { message: String(error), type: typeof error, stack: undefined, cause: undefined };
}

/**
 * JSON.stringify, and when it throws (a cycle, a BigInt) a second pass that writes what it can:
 * one odd value in an event must not lose the event.
 */
export function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v !== null && typeof v === 'object') {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
  }
}
