/**
 * The write operations of write-ops.ts as better-sqlite3 prepared statements. Runs inside the
 * SQLite writer thread (sqlite-writer.ts), on the writer's own connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sessionDurationUs, sessionSearchText } from './session-merge.js';
import type { DatabaseOp, EventRow, NewSession, SessionRow, WriteOpResults } from './write-ops.js';

const sessionColumns = `id, key, name, agent_id, status, tags, metadata, started_at_us, ended_at_us, last_event_at_us,
  last_received_at_us, event_count, error_count, prompt_tokens, completion_tokens, cost_usd, seq`;

interface SessionRecord {
  id: number; key: string; name: string | null; agent_id: number | null; status: SessionRow['status'];
  tags: string; metadata: string | null; started_at_us: number; ended_at_us: number | null;
  last_event_at_us: number | null; last_received_at_us: number; event_count: number; error_count: number;
  prompt_tokens: number; completion_tokens: number; cost_usd: number; seq: number;
}

function toSessionRow(r: SessionRecord): SessionRow {
  return {
    id: r.id, key: r.key, name: r.name, agentId: r.agent_id, status: r.status,
    tags: JSON.parse(r.tags) as string[],
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
    startedAtUs: r.started_at_us, endedAtUs: r.ended_at_us, lastEventAtUs: r.last_event_at_us,
    lastReceivedAtUs: r.last_received_at_us, eventCount: r.event_count, errorCount: r.error_count,
    promptTokens: r.prompt_tokens, completionTokens: r.completion_tokens, costUsd: r.cost_usd, seq: r.seq,
  };
}

/** Prisma's better-sqlite3 adapter stores DateTime as ISO 8601 with an explicit +00:00 offset. */
function prismaSqliteDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/**
 * Runs write operations on a better-sqlite3 connection, synchronously. The caller holds the
 * transaction (see sqlite-writer.ts): between BEGIN IMMEDIATE and COMMIT the connection owns
 * SQLite's write lock, so reading a session is locking it.
 */
export function createSqliteOpExecutor(connection: BetterSqlite3.Database): (op: DatabaseOp) => WriteOpResults[DatabaseOp['kind']] {
  // Prepared on first use: the tables exist only once migrations have run.
  let statements: ReturnType<typeof prepare> | undefined;
  function prepare() {
    const numbers = <T extends BetterSqlite3.Statement>(statement: T) => statement.safeIntegers(false) as T;
    return {
      insertAgent: connection.prepare(
        'INSERT INTO agents (project_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (project_id, name) DO NOTHING',
      ),
      agentId: numbers(connection.prepare('SELECT id FROM agents WHERE project_id = ? AND name = ?').pluck()),
      insertSession: connection.prepare(
        `INSERT INTO sessions (project_id, key, name, agent_id, tags, metadata, started_at_us, last_received_at_us, search_text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, key) DO NOTHING`,
      ),
      selectSession: numbers(connection.prepare(`SELECT ${sessionColumns} FROM sessions WHERE project_id = ? AND key = ?`)),
      insertEvent: connection.prepare(
        `INSERT INTO events (project_id, session_id, key, parent_key, seq, type, name, timestamp_us, duration_ms,
           received_at_us, status, input, output, metadata, model, prompt_tokens, completion_tokens, cost_usd,
           error_message, error_type)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, key) DO NOTHING`,
      ),
      updateSession: connection.prepare(
        `UPDATE sessions SET name = ?, agent_id = ?, status = ?, tags = ?, metadata = ?, started_at_us = ?,
           ended_at_us = ?, last_event_at_us = ?, last_received_at_us = ?, event_count = ?, error_count = ?,
           prompt_tokens = ?, completion_tokens = ?, cost_usd = ?, seq = ?, duration_us = ?, search_text = ?
         WHERE id = ?`,
      ),
      insertTag: connection.prepare(
        'INSERT INTO session_tags (session_id, project_id, tag) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      upsertMetadata: connection.prepare(
        `INSERT INTO session_metadata (session_id, project_id, key, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value`,
      ),
      deleteMetadata: connection.prepare('DELETE FROM session_metadata WHERE session_id = ? AND key = ?'),
      insertModel: connection.prepare(
        'INSERT INTO session_models (session_id, project_id, model) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
    };
  }

  function execute(op: DatabaseOp): WriteOpResults[DatabaseOp['kind']] {
    const s = (statements ??= prepare());
    switch (op.kind) {
      case 'upsertAgents': {
        const now = prismaSqliteDateTime(new Date());
        const ids = new Map<string, number>();
        for (const name of op.names) {
          s.insertAgent.run(op.projectId, name, now);
          ids.set(name, s.agentId.get(op.projectId, name) as number);
        }
        return ids;
      }
      case 'insertSessions': {
        const created = new Set<string>();
        for (const session of op.sessions) {
          if (insertSession(s.insertSession, op.projectId, session).changes === 1) created.add(session.key);
        }
        return created;
      }
      case 'lockSessions':
        // The transaction began IMMEDIATE: this connection holds the write lock, so nothing can
        // change these rows before COMMIT. Reading is locking enough.
        return op.keys.flatMap((key) => {
          const record = s.selectSession.get(op.projectId, key) as SessionRecord | undefined;
          return record ? [toSessionRow(record)] : [];
        });
      case 'insertEvents':
        return op.events.map((event) => insertEvent(s.insertEvent, op.projectId, event).changes === 1);
      case 'updateSessions':
        for (const r of op.sessions) {
          s.updateSession.run(
            r.name, r.agentId, r.status, JSON.stringify(r.tags), r.metadata === null ? null : JSON.stringify(r.metadata),
            r.startedAtUs, r.endedAtUs, r.lastEventAtUs, r.lastReceivedAtUs, r.eventCount, r.errorCount,
            r.promptTokens, r.completionTokens, r.costUsd, r.seq, sessionDurationUs(r), sessionSearchText(r), r.id,
          );
        }
        return undefined;
      case 'indexSessions':
        for (const t of op.tags) s.insertTag.run(t.sessionId, op.projectId, t.tag);
        for (const m of op.metadata) {
          if (m.value === null) s.deleteMetadata.run(m.sessionId, m.key);
          else s.upsertMetadata.run(m.sessionId, op.projectId, m.key, m.value);
        }
        for (const m of op.models) s.insertModel.run(m.sessionId, op.projectId, m.model);
        return undefined;
    }
  }

  return execute;
}

function insertSession(statement: BetterSqlite3.Statement, projectId: number, s: NewSession) {
  return statement.run(
    projectId, s.key, s.name, s.agentId, JSON.stringify(s.tags), s.metadata === null ? null : JSON.stringify(s.metadata),
    s.startedAtUs, s.lastReceivedAtUs, sessionSearchText(s),
  );
}

function insertEvent(statement: BetterSqlite3.Statement, projectId: number, e: EventRow) {
  return statement.run(
    projectId, e.sessionId, e.key, e.parentKey, e.seq, e.type, e.name, e.timestampUs, e.durationMs, e.receivedAtUs,
    e.status, e.inputJson, e.outputJson, e.metadataJson, e.model, e.promptTokens, e.completionTokens, e.costUsd,
    e.errorMessage, e.errorType,
  );
}
