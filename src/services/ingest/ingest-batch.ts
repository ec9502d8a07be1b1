/**
 * ingestBatch: validate each event on its own, then write every valid one in one transaction:
 * sessions created or merged, events inserted once per client id, counters moved by exactly
 * what was inserted. Nothing here knows GraphQL or which database runs it (see write-ops.ts).
 */
import { UserInputError } from '../../lib/user-input-error.js';
import { nowMicros, type Micros } from '../../lib/micros.js';
import { MAX_COUNTER, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './limits.js';
import { foldDescriptions, mergeDescription, sessionIndexRows, type SessionDescription } from './session-merge.js';
import {
  checkJsonNoNul, checkKey, checkMetadata, checkText, checkTimestamp, InvalidValue, normaliseTags, validateEvent, wellFormed,
  type EventInput, type IngestRejection, type ValidEvent,
} from './validate.js';
import {
  perform, type EventRow, type NewSession, type ProgramInput, type SessionRow, type WriteOp, type WriteProgram,
  type WriteStore,
} from './write-ops.js';

export interface SessionUpsertInput {
  key: string;
  name?: string | null;
  agentName?: string | null;
  tags?: string[] | null;
  metadata?: unknown;
  startedAt?: Micros | null;
}

export interface IngestBatchRequest {
  projectId: number;
  /** The agent the API key is bound to: the default agent of sessions this batch creates. */
  keyAgentId: number | null;
  sessions: SessionUpsertInput[];
  events: EventInput[];
}

export interface IngestLimits {
  maxBatchEvents: number;
  maxEventBytes: number;
}

export interface AppendedEvent {
  sessionId: number;
  seq: number;
}

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: IngestRejection[];
  /** Sessions the batch touched, as committed: what live feeds announce. */
  sessions: SessionRow[];
  /** Events inserted, in ingest order. */
  appended: AppendedEvent[];
}

/**
 * Events per part streamed to the store: small enough that the writer starts soon after the
 * request is parsed, large enough that each hand-off's fixed cost is small beside the part's.
 */
const STREAMED_PART_EVENTS = 100;

export async function ingestBatch(store: WriteStore, request: IngestBatchRequest, limits: IngestLimits): Promise<IngestOutcome> {
  if (request.events.length > limits.maxBatchEvents) {
    throw new UserInputError(
      `a batch holds at most ${limits.maxBatchEvents} events (got ${request.events.length}); split it`,
      'PAYLOAD_TOO_LARGE',
    );
  }
  if (request.sessions.length > limits.maxBatchEvents) {
    throw new UserInputError(`a batch describes at most ${limits.maxBatchEvents} sessions`, 'PAYLOAD_TOO_LARGE');
  }
  const nowUs = nowMicros();
  const descriptions = describeSessions(request.sessions, nowUs);

  // Valid events go to the store in parts as they pass, so it writes the first ones while the
  // rest are still being checked (see WriteStore.open). Nothing is committed before end().
  const target = { projectId: request.projectId, keyAgentId: request.keyAgentId };
  let writing: ProgramInput<WrittenBatch> | undefined;
  const open = () => (writing ??= store.open('writeBatch', target, descriptions, nowUs));
  const rejected: IngestRejection[] = [];
  const seenIds = new Set<string>();
  let part: EventDraft[] = [];
  let unique = 0;
  let duplicates = 0;
  try {
    request.events.forEach((input, index) => {
      const result = validateEvent(input, index, nowUs, limits.maxEventBytes);
      if ('code' in result) rejected.push(result);
      else if (seenIds.has(input.id)) duplicates++; // the same id twice in one batch: the first one counts
      else {
        seenIds.add(input.id);
        unique++;
        part.push(toEventDraft(result));
        if (part.length === STREAMED_PART_EVENTS) {
          open().push(part);
          part = [];
        }
      }
    });
    if (part.length > 0) open().push(part);
  } catch (error) {
    writing?.abort();
    throw error;
  }

  if (unique === 0 && descriptions.size === 0) {
    return { accepted: 0, duplicates, rejected, sessions: [], appended: [] };
  }
  const written = await open().end();
  return {
    accepted: written.inserted,
    duplicates: duplicates + unique - written.inserted,
    rejected,
    sessions: written.sessions,
    appended: written.appended,
  };
}

function describeSessions(inputs: SessionUpsertInput[], nowUs: Micros): Map<string, SessionDescription> {
  const descriptions = new Map<string, SessionDescription>();
  inputs.forEach((input, index) => {
    const description = describeSession(input, `sessions[${index}]`, nowUs);
    const earlier = descriptions.get(description.key);
    descriptions.set(description.key, earlier ? foldDescriptions(earlier, description) : description);
  });
  return descriptions;
}

/** Validates a client's description of a session; a bad one refuses the request whole. */
export function describeSession(
  input: SessionUpsertInput & { key: string },
  path: string,
  nowUs: Micros,
): SessionDescription {
  try {
    checkKey(input.key, `${path}.key`);
    checkText(input.name, `${path}.name`, MAX_NAME_LENGTH);
    if (input.agentName != null) {
      if (input.agentName.length === 0) throw new InvalidValue(`${path}.agentName must not be empty`);
      checkText(input.agentName, `${path}.agentName`, MAX_LABEL_LENGTH);
    }
    checkMetadata(input.metadata, `${path}.metadata`);
    if (input.metadata != null) checkJsonNoNul(JSON.stringify(input.metadata), `${path}.metadata`);
    if (input.startedAt != null) checkTimestamp(input.startedAt, `${path}.startedAt`, nowUs);
    return {
      key: input.key,
      name: wellFormed(input.name ?? null),
      agentName: wellFormed(input.agentName ?? null),
      tags: normaliseTags(input.tags?.map(wellFormed), `${path}.tags`),
      metadata: (input.metadata as Record<string, unknown> | null | undefined) ?? null,
      startedAtUs: input.startedAt ?? null,
    };
  } catch (error) {
    if (error instanceof InvalidValue) throw new UserInputError(error.message);
    throw error;
  }
}

interface WrittenBatch {
  inserted: number;
  sessions: SessionRow[];
  appended: AppendedEvent[];
}

/**
 * A validated event as the write program needs it: plain fields and serialised JSON only, so it
 * crosses to the SQLite writer thread cheaply (the parsed input is not copied).
 */
export type EventDraft = Omit<EventRow, 'sessionId' | 'seq' | 'receivedAtUs'> & { sessionKey: string };

function toEventDraft({ input, status, inputJson, outputJson, metadataJson }: ValidEvent): EventDraft {
  return {
    sessionKey: input.sessionKey,
    key: input.id,
    parentKey: input.parentId ?? null,
    type: input.type,
    name: wellFormed(input.name ?? null),
    timestampUs: input.timestamp,
    durationMs: input.durationMs ?? null,
    status,
    inputJson,
    outputJson,
    metadataJson,
    model: wellFormed(input.model ?? null),
    promptTokens: input.promptTokens ?? null,
    completionTokens: input.completionTokens ?? null,
    costUsd: input.costUsd ?? null,
    errorMessage: wellFormed(input.errorMessage ?? null),
    errorType: wellFormed(input.errorType ?? null),
  };
}

/**
 * Writes one batch's sessions and events in the caller's transaction (a program of write-ops.ts).
 * The events arrive in parts (`receive`, see WriteStore.open): each part's new sessions are
 * created and locked, then its events inserted, so a store can write a part while the next is
 * still being validated.
 */
export function* writeBatch(
  request: { projectId: number; keyAgentId: number | null },
  descriptions: Map<string, SessionDescription>,
  nowUs: Micros,
): WriteProgram<WrittenBatch> {
  const { projectId } = request;
  const agentNames = [...new Set([...descriptions.values()].flatMap((d) => (d.agentName ? [d.agentName] : [])))];
  const agentIds = agentNames.length > 0 ? yield* perform({ kind: 'upsertAgents', projectId, names: agentNames }) : new Map<string, number>();
  const agentFor = (description: SessionDescription | undefined) =>
    description?.agentName ? (agentIds.get(description.agentName) ?? null) : request.keyAgentId;

  /** The sessions locked so far, in the order they were locked. */
  const rows: SessionRow[] = [];
  const byKey = new Map<string, SessionRow>();
  const redescribed: SessionRow[] = [];
  const describedNotLocked = new Set(descriptions.keys());

  /**
   * Creates and locks the sessions of `earliestByKey` not locked yet, and every described one
   * with them: a single part (always so on PostgreSQL) locks all its sessions in one sorted
   * statement, so concurrent batches lock them in the same order and cannot deadlock.
   */
  function* lockNew(earliestByKey: Map<string, Micros>): Generator<WriteOp, void, unknown> {
    const keys = [...new Set([...describedNotLocked, ...earliestByKey.keys()])].filter((key) => !byKey.has(key)).sort();
    if (keys.length === 0) return;
    describedNotLocked.clear();
    const newSessions: NewSession[] = keys.map((key) => {
      const description = descriptions.get(key);
      return {
        key,
        name: description?.name ?? null,
        agentId: agentFor(description),
        tags: description?.tags ?? [],
        metadata: description?.metadata ?? null,
        startedAtUs: description?.startedAtUs ?? earliestByKey.get(key) ?? nowUs,
        lastReceivedAtUs: nowUs,
      };
    });
    const created = yield* perform({ kind: 'insertSessions', projectId, sessions: newSessions });
    for (const row of yield* perform({ kind: 'lockSessions', projectId, keys })) {
      const description = descriptions.get(row.key);
      const changed = description ? mergeDescription(row, description, agentFor(description)) : false;
      if (changed || (created.has(row.key) && description)) redescribed.push(row);
      row.lastReceivedAtUs = nowUs;
      rows.push(row);
      byKey.set(row.key, row);
    }
  }

  const appended: AppendedEvent[] = [];
  const models = new Map<string, { sessionId: number; model: string }>();
  for (;;) {
    // ingestBatch streams EventDraft[] parts; null ends them.
    const events = (yield* perform({ kind: 'receive' })) as EventDraft[] | null;
    if (events === null) break;
    const earliestByKey = new Map<string, Micros>();
    for (const event of events) {
      if (byKey.has(event.sessionKey)) continue;
      const earliest = earliestByKey.get(event.sessionKey);
      if (earliest === undefined || event.timestampUs < earliest) earliestByKey.set(event.sessionKey, event.timestampUs);
    }
    yield* lockNew(earliestByKey);

    // Spelled out rather than spread: this runs for every event, and a literal is several times faster.
    const eventRows: EventRow[] = events.map((e) => {
      const session = byKey.get(e.sessionKey)!;
      session.seq += 1;
      return {
        sessionId: session.id, key: e.key, parentKey: e.parentKey, seq: session.seq, type: e.type, name: e.name,
        timestampUs: e.timestampUs, durationMs: e.durationMs, receivedAtUs: nowUs, status: e.status,
        inputJson: e.inputJson, outputJson: e.outputJson, metadataJson: e.metadataJson, model: e.model,
        promptTokens: e.promptTokens, completionTokens: e.completionTokens, costUsd: e.costUsd,
        errorMessage: e.errorMessage, errorType: e.errorType,
      };
    });
    const insertedFlags = yield* perform({ kind: 'insertEvents', projectId, events: eventRows });
    eventRows.forEach((event, i) => {
      if (!insertedFlags[i]) return;
      const session = byKey.get(events[i]!.sessionKey)!;
      countEvent(session, event);
      appended.push({ sessionId: session.id, seq: event.seq });
      if (event.type === 'LLM_CALL' && event.model) {
        models.set(`${session.id}\n${event.model}`, { sessionId: session.id, model: event.model });
      }
    });
  }
  // Sessions the batch describes and none of its events named.
  yield* lockNew(new Map());

  yield* perform({ kind: 'updateSessions', sessions: rows });
  const index = redescribed.map(sessionIndexRows);
  if (index.length > 0 || models.size > 0) {
    yield* perform({
      kind: 'indexSessions',
      projectId,
      tags: index.flatMap((rows) => rows.tags),
      metadata: index.flatMap((rows) => rows.metadata),
      models: [...models.values()],
    });
  }
  return { inserted: appended.length, sessions: rows, appended };
}

/** A counter plus an amount, stopping at MAX_COUNTER (a 32-bit column, a GraphQL Int). */
const addCounted = (counter: number, amount: number) => Math.min(MAX_COUNTER, counter + amount);

function countEvent(session: SessionRow, event: EventRow): void {
  session.eventCount = addCounted(session.eventCount, 1);
  if (event.status === 'ERROR') session.errorCount = addCounted(session.errorCount, 1);
  session.promptTokens = addCounted(session.promptTokens, event.promptTokens ?? 0);
  session.completionTokens = addCounted(session.completionTokens, event.completionTokens ?? 0);
  session.costUsd += event.costUsd ?? 0;
  if (session.lastEventAtUs === null || event.timestampUs > session.lastEventAtUs) session.lastEventAtUs = event.timestampUs;
  // A session never starts after its earliest event, whoever described it first.
  if (event.timestampUs < session.startedAtUs) session.startedAtUs = event.timestampUs;
  // A conversation the server closed for idleness goes on when it speaks again.
  if (session.status === 'TIMED_OUT') {
    session.status = 'RUNNING';
    session.endedAtUs = null;
  }
}
