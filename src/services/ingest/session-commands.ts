/**
 * startSession and endSession: explicit session lifecycle, on the same write path as batches so
 * both stores apply them atomically (see write-ops.ts).
 */
import { randomUUID } from 'node:crypto';
import { UserInputError } from '../../lib/user-input-error.js';
import { formatRfc3339, nowMicros, type Micros } from '../../lib/micros.js';
import { describeSession, type SessionUpsertInput } from './ingest-batch.js';
import { sessionIndexRows, type SessionDescription } from './session-merge.js';
import { checkTimestamp, InvalidValue } from './validate.js';
import { perform, type SessionRow, type SessionStatus, type WriteProgram, type WriteStore } from './write-ops.js';

export interface StartSessionRequest extends Omit<SessionUpsertInput, 'key'> {
  projectId: number;
  keyAgentId: number | null;
  key?: string | null;
}

/** Creates the session, or returns the existing one with that key unchanged. */
export async function startSession(store: WriteStore, request: StartSessionRequest): Promise<{ session: SessionRow; created: boolean }> {
  const nowUs = nowMicros();
  const description = describeSession({ ...request, key: request.key ?? randomUUID() }, 'input', nowUs);
  return store.run('startSession', { projectId: request.projectId, keyAgentId: request.keyAgentId }, description, nowUs);
}

/** startSession's writes: creates the session unless its key exists, and indexes a new one. */
export function* startSessionProgram(
  target: { projectId: number; keyAgentId: number | null },
  description: SessionDescription,
  nowUs: Micros,
): WriteProgram<{ session: SessionRow; created: boolean }> {
  const agentIds = description.agentName
    ? yield* perform({ kind: 'upsertAgents', projectId: target.projectId, names: [description.agentName] })
    : null;
  const created = yield* perform({
    kind: 'insertSessions',
    projectId: target.projectId,
    sessions: [{
      key: description.key,
      name: description.name,
      agentId: description.agentName ? (agentIds?.get(description.agentName) ?? null) : target.keyAgentId,
      tags: description.tags,
      metadata: description.metadata,
      startedAtUs: description.startedAtUs ?? nowUs,
      lastReceivedAtUs: nowUs,
    }],
  });
  const [session] = yield* perform({ kind: 'lockSessions', projectId: target.projectId, keys: [description.key] });
  if (created.has(description.key)) {
    yield* perform({ kind: 'indexSessions', projectId: target.projectId, ...sessionIndexRows(session!), models: [] });
  }
  return { session: session!, created: created.has(description.key) };
}

export type FinalStatus = Extract<SessionStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>;
const finalStatuses: ReadonlySet<SessionStatus> = new Set<SessionStatus>(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export interface EndSessionRequest {
  projectId: number;
  key: string;
  status: SessionStatus;
  endedAt?: Micros | null;
}

/**
 * Ends a session with a final status. Ending it again with the same status changes nothing;
 * with another one it is refused. A session the server timed out can still be ended by its client.
 */
export async function endSession(store: WriteStore, request: EndSessionRequest): Promise<{ session: SessionRow; changed: boolean }> {
  if (!finalStatuses.has(request.status)) {
    throw new UserInputError(`status must be SUCCEEDED, FAILED or CANCELLED (got ${request.status})`);
  }
  const nowUs = nowMicros();
  if (request.endedAt != null) {
    try {
      checkTimestamp(request.endedAt, 'endedAt', nowUs);
    } catch (error) {
      throw error instanceof InvalidValue ? new UserInputError(error.message) : error;
    }
  }
  return store.run('endSession', { projectId: request.projectId, key: request.key, status: request.status }, request.endedAt ?? null, nowUs);
}

/** endSession's writes, under the session's row lock. */
export function* endSessionProgram(
  request: { projectId: number; key: string; status: SessionStatus },
  endedAt: Micros | null,
  nowUs: Micros,
): WriteProgram<{ session: SessionRow; changed: boolean }> {
  const [session] = yield* perform({ kind: 'lockSessions', projectId: request.projectId, keys: [request.key] });
  if (!session) throw new UserInputError(`no session with key "${request.key}"`, 'NOT_FOUND');
  if (finalStatuses.has(session.status)) {
    if (session.status === request.status) return { session, changed: false };
    throw new UserInputError(`session "${session.key}" already ended as ${session.status}; it cannot end again as ${request.status}`);
  }
  const endedAtUs = endedAt ?? nowUs;
  if (endedAtUs < session.startedAtUs) {
    throw new UserInputError(`endedAt must not be before the session started (${formatRfc3339(session.startedAtUs)})`);
  }
  session.status = request.status;
  session.endedAtUs = endedAtUs;
  session.lastReceivedAtUs = nowUs;
  yield* perform({ kind: 'updateSessions', sessions: [session] });
  return { session, changed: true };
}

/**
 * Marks RUNNING sessions TIMED_OUT whose last receipt is at or before `cutoffUs`, re-checked under
 * the row lock so instances sweeping together time each session out once. A timed-out session
 * ends at its last event (or its start). Returns the sessions it changed.
 */
export async function timeOutIdleSessions(
  store: WriteStore,
  request: { projectId: number; keys: string[]; cutoffUs: Micros },
): Promise<SessionRow[]> {
  if (request.keys.length === 0) return [];
  return store.run('timeOutIdleSessions', request.projectId, [...request.keys].sort(), request.cutoffUs);
}

/** timeOutIdleSessions' writes: the idle check is repeated under the row locks. */
export function* timeOutIdleSessionsProgram(projectId: number, sortedKeys: string[], cutoffUs: Micros): WriteProgram<SessionRow[]> {
  const sessions = yield* perform({ kind: 'lockSessions', projectId, keys: sortedKeys });
  const idle = sessions.filter((s) => s.status === 'RUNNING' && s.lastReceivedAtUs <= cutoffUs);
  for (const session of idle) {
    session.status = 'TIMED_OUT';
    session.endedAtUs = session.lastEventAtUs ?? session.startedAtUs;
  }
  if (idle.length > 0) yield* perform({ kind: 'updateSessions', sessions: idle });
  return idle;
}
