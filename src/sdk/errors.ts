/** What the SDK reports through `onError`: never thrown into the agent. */

/**
 * - `EVENT_REJECTED`: the server refused one event (`rejection` tells why); it is not retried.
 * - `BATCH_REJECTED`: the server refused a request whole and it could not be split further
 *   (an event or a session description that does not fit the schema); what it held is dropped.
 * - `SESSION_REJECTED`: a session description or an end was refused (e.g. ended twice with
 *   different statuses).
 * - `EVENTS_DROPPED`: the buffer was full (the server unreachable for long), or the tracker shut
 *   down before everything could be sent; `count` events were lost, the oldest first.
 * - `UNAUTHORIZED`: the API key was refused (UNAUTHENTICATED or FORBIDDEN); what was sent is dropped.
 * - `WATCH_FAILED`: a `watchSession` stopped for good (bad key, bad cursor).
 * - `INTERNAL`: a bug in the SDK or in a callback; the agent goes on.
 */
export type SightlineErrorCode =
  | 'EVENT_REJECTED'
  | 'BATCH_REJECTED'
  | 'SESSION_REJECTED'
  | 'EVENTS_DROPPED'
  | 'UNAUTHORIZED'
  | 'WATCH_FAILED'
  | 'INTERNAL';

/** A per-event refusal, as `ingestBatch` returns it. */
export interface EventRejection {
  /** The event's client id. */
  eventId: string;
  /** A stable machine-readable reason, e.g. INVALID_VALUE, TIMESTAMP_OUT_OF_RANGE, EVENT_TOO_LARGE. */
  code: string;
  message: string;
}

export class SightlineError extends Error {
  override readonly name = 'SightlineError';
  readonly code: SightlineErrorCode;
  /** How many events this report is about (0 when it is about a session or a watch). */
  readonly count: number;
  /** The server's error code (`extensions.code`), when the server answered. */
  readonly serverCode: string | undefined;
  /** For EVENT_REJECTED: the server's reason. */
  readonly rejection: EventRejection | undefined;
  /** The session key concerned, when there is one. */
  readonly sessionKey: string | undefined;

  constructor(
    code: SightlineErrorCode,
    message: string,
    details: { count?: number; serverCode?: string; rejection?: EventRejection; sessionKey?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.count = details.count ?? 0;
    this.serverCode = details.serverCode;
    this.rejection = details.rejection;
    this.sessionKey = details.sessionKey;
  }
}
