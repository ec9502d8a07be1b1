/**
 * The event helpers, one per EventType, shared by the tracker (its current or automatic session),
 * a session, and an operation (whose events are its children). Each returns at once: it reads the
 * clock, builds one record and queues it. None throws: a helper that fails returns a detached
 * event and the failure goes to `onError`.
 */
import type { EventFields, EventRecord, EventStatus, EventType, TrackedEvent } from './events.js';

/** Options every helper takes. */
export interface EventOptions {
  /**
   * The event's name in the timeline (a tool, a step, a button).
   * @default the helper's own argument where it takes one, otherwise none
   */
  name?: string;
  /**
   * What went in (any JSON value).
   * @default what the helper builds from its arguments (e.g. `{ text }` for a question), otherwise none
   */
  input?: unknown;
  /**
   * What came out (any JSON value).
   * @default what the helper builds from its arguments (e.g. `{ text }` for an answer), otherwise none
   */
  output?: unknown;
  /**
   * Free-form JSON object attached to the event.
   * @default none
   */
  metadata?: Record<string, unknown>;
  /**
   * How long it took, in milliseconds.
   * @default none
   */
  durationMs?: number;
  /**
   * OK or ERROR.
   * @default ERROR for error events and helpers given an `error`, OK otherwise (set by the server)
   */
  status?: EventStatus;
  /**
   * The parent event: one returned by a helper, or a client id. `null` makes the event a root.
   * @default the operation running around the call (see `operation()`), otherwise none
   */
  parent?: TrackedEvent | string | null;
}

export interface ToolCallOptions extends EventOptions {
  /**
   * The tool failed with this (an Error or anything thrown): status ERROR, with its message and type.
   * @default none
   */
  error?: unknown;
}

export interface DecisionOptions extends EventOptions {
  /**
   * What was chosen; recorded in `output` as `{ choice, reason }` unless `output` is given.
   * @default none
   */
  choice?: unknown;
  /**
   * Why.
   * @default none
   */
  reason?: string;
  /**
   * The options considered; recorded in `input` as `{ alternatives }` unless `input` is given.
   * @default none
   */
  alternatives?: unknown[];
}

export interface LlmCallOptions extends EventOptions {
  /**
   * The model, e.g. `gpt-4o-mini`.
   * @default none
   */
  model?: string;
  /** @default none */
  promptTokens?: number;
  /** @default none */
  completionTokens?: number;
  /**
   * Cost of the call in US dollars.
   * @default none
   */
  costUsd?: number;
  /**
   * The call's latency, in milliseconds (same as `durationMs`).
   * @default none
   */
  latencyMs?: number;
}

export interface ErrorOptions extends EventOptions {
  /**
   * The error's type.
   * @default the error's `name`, or its class name
   */
  errorType?: string;
  /**
   * The error's message.
   * @default the error's `message` (or the thrown value as text)
   */
  errorMessage?: string;
}

export interface FeedbackOptions extends Omit<EventOptions, 'name'> {
  /** The button or the feedback widget, e.g. `thumbs` or `rating`: feedback is grouped by it. */
  name: string;
  /**
   * What the user saw, e.g. `👍` or `Helpful`.
   * @default none
   */
  label?: string;
  /** What it is worth, e.g. `1`, `-1`, `5` or `"helpful"`. */
  value: unknown;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogOptions extends EventOptions {
  /**
   * Severity; it is the event's name unless `name` is given.
   * @default 'info'
   */
  level?: LogLevel;
}

export interface OperationOptions {
  /**
   * What went in (any JSON value).
   * @default none
   */
  input?: unknown;
  /**
   * Free-form JSON object attached to the operation's event.
   * @default none
   */
  metadata?: Record<string, unknown>;
  /**
   * The parent of the operation's event.
   * @default the operation running around the call, otherwise none
   */
  parent?: TrackedEvent | string | null;
}

/** The handle an operation's function receives: helpers whose events are its children. */
export interface OperationScope extends EventHelpers {
  /** The operation's own event (recorded when the function returns or throws). */
  readonly event: TrackedEvent;
  /** Sets fields of the operation's event, e.g. `output`, or `model` and tokens for a wrapped LLM call. */
  set(fields: EventFields): void;
}

/** The helpers available on a tracker, a session and an operation scope. */
export interface EventHelpers {
  question(text: string, options?: EventOptions): TrackedEvent;
  answer(text: string, options?: EventOptions): TrackedEvent;
  action(name: string, options?: EventOptions): TrackedEvent;
  toolCall(name: string, options?: ToolCallOptions): TrackedEvent;
  decision(name: string, options?: DecisionOptions): TrackedEvent;
  llmCall(options: LlmCallOptions): TrackedEvent;
  error(error: unknown, options?: ErrorOptions): TrackedEvent;
  feedback(options: FeedbackOptions): TrackedEvent;
  log(message: string, options?: LogOptions): TrackedEvent;
  custom(name: string, options?: EventOptions): TrackedEvent;
  track(type: EventType, options?: EventOptions & EventFields): TrackedEvent;
  operation<T>(name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T;
  agent<T>(name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T;
  wrap<T>(type: EventType, name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T;
}

export abstract class EventRecorder implements EventHelpers {
  /**
   * Builds and queues one record; never throws. `input`/`output` are the helper's defaults,
   * overridden by the caller's options.
   */
  protected abstract _emit(
    type: EventType,
    name: string | null,
    options: (EventOptions & EventFields) | undefined,
    input: unknown,
    output: unknown,
    extra?: (record: EventRecord) => void,
  ): TrackedEvent;

  /** Runs `fn` as an operation: its event gets the duration, its status, and parents the events inside. */
  abstract wrap<T>(type: EventType, name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T;

  /** A user's question (QUESTION), recorded as `input: { text }`. */
  question(text: string, options?: EventOptions): TrackedEvent {
    return this._emit('QUESTION', null, options, { text }, undefined);
  }

  /** The agent's answer (ANSWER), recorded as `output: { text }`. */
  answer(text: string, options?: EventOptions): TrackedEvent {
    return this._emit('ANSWER', null, options, undefined, { text });
  }

  /** Something the agent did in the world (ACTION), e.g. `refund.issued`. */
  action(name: string, options?: EventOptions): TrackedEvent {
    return this._emit('ACTION', name, options, undefined, undefined);
  }

  /** A tool call that already happened (TOOL_CALL); to time one, use `wrap('TOOL_CALL', name, fn)`. */
  toolCall(name: string, options?: ToolCallOptions): TrackedEvent {
    const error = options?.error;
    return this._emit('TOOL_CALL', name, options, undefined, undefined, error === undefined ? undefined : (record) => {
      record.error = error;
      if (options?.status === undefined) record.status = 'ERROR';
    });
  }

  /** A choice the agent made (DECISION): `output: { choice, reason }`, `input: { alternatives }`. */
  decision(name: string, options?: DecisionOptions): TrackedEvent {
    const output = options?.choice !== undefined || options?.reason !== undefined ? { choice: options.choice, reason: options.reason } : undefined;
    const input = options?.alternatives !== undefined ? { alternatives: options.alternatives } : undefined;
    return this._emit('DECISION', name, options, input, output);
  }

  /** A call to a language model (LLM_CALL): model, tokens, cost, latency, messages in and out. */
  llmCall(options: LlmCallOptions): TrackedEvent {
    const o = options ?? {};
    return this._emit('LLM_CALL', o.name ?? o.model ?? null, o, undefined, undefined, (record) => {
      if (o.durationMs === undefined && o.latencyMs !== undefined) record.durationMs = o.latencyMs;
    });
  }

  /** An error (ERROR, status ERROR): message, type and stack (in `output.stack`) from what was thrown. */
  error(error: unknown, options?: ErrorOptions): TrackedEvent {
    return this._emit('ERROR', null, options, undefined, undefined, (record) => {
      record.error = error;
      this._noteRecordedError(error);
    });
  }

  /** A user's feedback on a button or widget (FEEDBACK): `output: { label, value }`, grouped by `name`. */
  feedback(options: FeedbackOptions): TrackedEvent {
    return this._emit('FEEDBACK', options?.name ?? null, options ?? undefined, undefined, { label: options?.label, value: options?.value });
  }

  /** A log line (LOG): `input: { message }`, named by its level. */
  log(message: string, options?: LogOptions): TrackedEvent {
    return this._emit('LOG', options?.level ?? 'info', options, { message }, undefined);
  }

  /** Anything else (CUSTOM). */
  custom(name: string, options?: EventOptions): TrackedEvent {
    return this._emit('CUSTOM', name, options, undefined, undefined);
  }

  /** Any event type with any fields: the general form of the helpers above. */
  track(type: EventType, options?: EventOptions & EventFields): TrackedEvent {
    return this._emit(type, null, options, undefined, undefined);
  }

  /** Runs `fn` as a step (OPERATION) whose events nest under it. */
  operation<T>(name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T {
    return this.wrap('OPERATION', name, fn, options);
  }

  /** Runs `fn` as an agent (AGENT), e.g. a sub-agent a planner hands work to; its events nest under it. */
  agent<T>(name: string, fn: (scope: OperationScope) => T, options?: OperationOptions): T {
    return this.wrap('AGENT', name, fn, options);
  }

  /** Remembers an error recorded as an ERROR event, so a wrapper does not record it twice. */
  protected abstract _noteRecordedError(error: unknown): void;
}
