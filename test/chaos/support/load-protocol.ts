/**
 * What the chaos tests and their load-generator processes (`load-worker.ts`) say to each other:
 * the worker's configuration, its IPC messages, and the report it writes when it stops, which
 * names every event it produced and what became of it, so the test can hold the stored data
 * against it.
 */

export interface LoadWorkerConfig {
  /** For messages and figures ("sdk-1", "raw"). */
  name: string;
  /**
   * `sdk`: the real Tracker (retries, splitting, dedup by event id are the SDK's own).
   * `raw`: `ingestBatch` over plain HTTP, so the worker knows exactly which events the server
   * acknowledged, and which requests were left in doubt (sent, no answer).
   */
  mode: 'sdk' | 'raw';
  /** The server's base URL. */
  endpoint: string;
  /** An INGEST key. */
  apiKey: string;
  /** Steady production rate, whatever the server is doing. */
  eventsPerSecond: number;
  seed: number;
  /** Session keys are `<keyPrefix>-s<slot>-g<generation>`. */
  keyPrefix: string;
  agentName: string;
  /** Sessions written to at the same time; each slot's session is replaced by the next generation. */
  slots: number;
  /** A slot's session ends (sdk) or is left (raw) after this many events, or this long. */
  rotateAfter: { events: number } | { ms: number };
  /** sdk: some events are operations with children (their event queued after the children). */
  nested: boolean;
  /** sdk: end every open session when stopping (otherwise they stay RUNNING). */
  endOnStop: boolean;
  /** A request unanswered this long is abandoned and retried (sdk: the Tracker's option). Default 10 s. */
  requestTimeoutMs?: number;
  /** raw: share of failed requests given up on (left in doubt) rather than sent again. */
  abandonRate?: number;
  /** Where the report goes (JSON). */
  reportPath: string;
}

/** Worker -> test. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; reportPath: string }
  | { type: 'failed'; error: string };

/** Test -> worker. */
export type ControlMessage = { type: 'stop' };

/** One produced event: what the stored copy must show. */
export interface ProducedEvent {
  id: string;
  session: string;
  /** Microseconds since the epoch (strictly increasing within a session). */
  t: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Its status is ERROR. */
  error: boolean;
  /** raw: the index of its batch in `batches`. */
  batch?: number;
}

export interface ProducedSession {
  key: string;
  /** The status the worker ended it with; RUNNING when it never ended it. */
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
}

/** raw: one batch and how it went. */
export interface BatchOutcome {
  size: number;
  /** Wall-clock ms of each attempt. */
  attempts: number[];
  /** acked: an ingestBatch answer accounted for every event; abandoned: given up while in doubt. */
  outcome: 'acked' | 'abandoned' | 'unsent';
  ackedAt?: number;
  accepted?: number;
  duplicates?: number;
}

export interface WorkerReport {
  name: string;
  mode: 'sdk' | 'raw';
  startedAt: number;
  stoppedAt: number;
  events: ProducedEvent[];
  sessions: ProducedSession[];
  /** sdk: the tracker's counters at the end, and whether shutdown() settled everything. */
  sdk?: {
    stats: Record<string, number>;
    shutdownSettled: boolean;
    errors: { code: string; message: string }[];
    retryReasons: Record<string, number>;
  };
  raw?: {
    batches: BatchOutcome[];
    /** Why attempts failed ("HTTP 503 DATABASE_UNAVAILABLE retry-after=5", "ECONNREFUSED"), counted. */
    failures: Record<string, number>;
    /** Answers that broke the contract (partial data, counts that do not add up). */
    anomalies: string[];
  };
}
