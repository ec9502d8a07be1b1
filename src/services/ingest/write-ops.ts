/**
 * The database operations the write path needs, as plain data. The write algorithms
 * (ingest-batch.ts, session-commands.ts) are generators that yield these and receive results,
 * so one algorithm runs on both stores: synchronously inside one SQLite transaction on the writer
 * thread (sqlite-writer.ts), and awaited on a PostgreSQL client.
 */
import type { Micros } from '../../lib/micros.js';
import type { ProgramArgs, ProgramName, ProgramResult } from './write-programs.js';

export type SessionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export type EventType =
  | 'QUESTION' | 'ANSWER' | 'ACTION' | 'TOOL_CALL' | 'DECISION' | 'LLM_CALL'
  | 'ERROR' | 'FEEDBACK' | 'AGENT' | 'OPERATION' | 'LOG' | 'CUSTOM';
export type EventStatus = 'OK' | 'ERROR';

/** A session row as the write path reads and writes it. JSON fields are kept as parsed values. */
export interface SessionRow {
  id: number;
  key: string;
  name: string | null;
  agentId: number | null;
  status: SessionStatus;
  tags: string[];
  metadata: Record<string, unknown> | null;
  startedAtUs: Micros;
  endedAtUs: Micros | null;
  lastEventAtUs: Micros | null;
  lastReceivedAtUs: Micros;
  eventCount: number;
  errorCount: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  seq: number;
}

export type NewSession = Pick<SessionRow, 'key' | 'name' | 'agentId' | 'tags' | 'metadata' | 'startedAtUs' | 'lastReceivedAtUs'>;

/** An event ready to store. JSON fields are already serialised (their size was checked on them). */
export interface EventRow {
  sessionId: number;
  key: string;
  parentKey: string | null;
  seq: number;
  type: EventType;
  name: string | null;
  timestampUs: Micros;
  durationMs: number | null;
  receivedAtUs: Micros;
  status: EventStatus;
  inputJson: string | null;
  outputJson: string | null;
  metadataJson: string | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  errorMessage: string | null;
  errorType: string | null;
}

/** Rows of the side tables that let filters use indexes (see prisma/schema.prisma). */
export interface SessionIndexRows {
  tags: { sessionId: number; tag: string }[];
  /** `value` is canonical JSON of a scalar; null removes the entry (its value is no longer a scalar). */
  metadata: { sessionId: number; key: string; value: string | null }[];
  models: { sessionId: number; model: string }[];
}

/** The operations a store's database runs. */
export type DatabaseOp =
  /** Creates the sessions whose keys are new; returns the keys it created. */
  | { kind: 'insertSessions'; projectId: number; sessions: NewSession[] }
  /** Reads and locks the sessions with these keys until the transaction ends. */
  | { kind: 'lockSessions'; projectId: number; keys: string[] }
  /** Finds or creates agents by name; returns name -> id. */
  | { kind: 'upsertAgents'; projectId: number; names: string[] }
  /** Inserts the events whose keys are new in the project; returns, per row, whether it was inserted. */
  | { kind: 'insertEvents'; projectId: number; events: EventRow[] }
  /** Writes back sessions read with lockSessions. */
  | { kind: 'updateSessions'; sessions: SessionRow[] }
  /** Adds tags and models, and replaces metadata entries, in the side tables. */
  | ({ kind: 'indexSessions'; projectId: number } & SessionIndexRows);

/**
 * Asks for the next part of the program's input, streamed by its caller after the program started
 * (WriteStore.open), or null once that input has ended. The store answers it, not the database.
 */
export interface ReceiveOp {
  kind: 'receive';
}

export type WriteOp = DatabaseOp | ReceiveOp;

export interface WriteOpResults {
  insertSessions: Set<string>;
  lockSessions: SessionRow[];
  upsertAgents: Map<string, number>;
  insertEvents: boolean[];
  updateSessions: void;
  indexSessions: void;
  receive: readonly unknown[] | null;
}

export interface ProgramInput<T> {
  push(part: readonly unknown[]): void;
  /** Ends the input; settles when the program's transaction committed (or failed). */
  end(): Promise<T>;
  /** Gives up: the program fails and nothing of it is written. */
  abort(): void;
}

export type WriteProgram<T> = Generator<WriteOp, T, unknown>;

/** Yields one operation and returns its typed result: `const rows = yield* perform({...})`. */
export function* perform<K extends WriteOp['kind']>(
  op: Extract<WriteOp, { kind: K }>,
): Generator<WriteOp, WriteOpResults[K], unknown> {
  return (yield op) as WriteOpResults[K];
}

/** Runs a write program (write-programs.ts) in one transaction, retrying when the database asks to. */
export interface WriteStore {
  /** Runs a program on its arguments alone: each `receive` it yields gets null. */
  run<N extends ProgramName>(name: N, ...args: ProgramArgs<N>): Promise<ProgramResult<N>>;
  /**
   * Starts a program whose input goes on arriving: each part pushed answers one of its `receive`
   * ops, and end() answers the next with null. A store may start writing the first parts while
   * the caller still prepares the rest (the SQLite store does); the transaction is still one.
   */
  open<N extends ProgramName>(name: N, ...args: ProgramArgs<N>): ProgramInput<ProgramResult<N>>;
  /** Waits for nothing: callers have finished their writes (the server stops requests first). */
  close(): Promise<void>;
}
