/**
 * The write path on PostgreSQL: one pooled client per program, set-based statements (`unnest`
 * over column arrays, so a 1000-event batch is one INSERT), row locks on the sessions a batch
 * touches. Deadlocks and serialisation failures are retried: the program is pure, so running
 * it again from the start is safe.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { sessionDurationUs, sessionSearchText } from './session-merge.js';
import type { EventRow, SessionRow, WriteOp, WriteOpResults, WriteStore } from './write-ops.js';
import { startProgram, type ProgramArgs, type ProgramName, type ProgramResult } from './write-programs.js';

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure
const MAX_ATTEMPTS = 5;

const sessionColumns = `id, key, name, agent_id, status, tags, metadata, started_at_us, ended_at_us, last_event_at_us,
  last_received_at_us, event_count, error_count, prompt_tokens, completion_tokens, cost_usd, seq`;

interface SessionRecord {
  id: number; key: string; name: string | null; agent_id: number | null; status: SessionRow['status'];
  tags: string[]; metadata: Record<string, unknown> | null; started_at_us: string; ended_at_us: string | null;
  last_event_at_us: string | null; last_received_at_us: string; event_count: number; error_count: number;
  prompt_tokens: number; completion_tokens: number; cost_usd: number; seq: number;
}

const bigintOrNull = (value: string | null) => (value === null ? null : Number(value));

function toSessionRow(r: SessionRecord): SessionRow {
  return {
    id: r.id, key: r.key, name: r.name, agentId: r.agent_id, status: r.status, tags: r.tags, metadata: r.metadata,
    startedAtUs: Number(r.started_at_us), endedAtUs: bigintOrNull(r.ended_at_us),
    lastEventAtUs: bigintOrNull(r.last_event_at_us), lastReceivedAtUs: Number(r.last_received_at_us),
    eventCount: r.event_count, errorCount: r.error_count, promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens, costUsd: r.cost_usd, seq: r.seq,
  };
}

const jsonOrNull = (value: unknown) => (value === null ? null : JSON.stringify(value));

/**
 * A JSON array of the events, one object per row with the short keys insertEvents unpacks. Text is
 * well-formed Unicode by now (validate.ts), so JSON.stringify writes no escape PostgreSQL refuses.
 */
function eventsDocument(events: EventRow[]): string {
  const text = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));
  const json = (value: string | null) => value ?? 'null';
  const number = (value: number | null) => (value === null ? 'null' : String(value));
  const parts: string[] = [];
  for (const e of events) {
    parts.push(
      `{"s":${e.sessionId},"k":${text(e.key)},"p":${text(e.parentKey)},"q":${e.seq},"t":"${e.type}","n":${text(e.name)},` +
        `"ts":${e.timestampUs},"d":${number(e.durationMs)},"r":${e.receivedAtUs},"st":"${e.status}","i":${json(e.inputJson)},` +
        `"o":${json(e.outputJson)},"m":${json(e.metadataJson)},"mo":${text(e.model)},"pt":${number(e.promptTokens)},` +
        `"ct":${number(e.completionTokens)},"c":${number(e.costUsd)},"em":${text(e.errorMessage)},"et":${text(e.errorType)}}`,
    );
  }
  return `[${parts.join(',')}]`;
}
const column = <T, V>(rows: T[], pick: (row: T) => V): V[] => rows.map(pick);

async function execute(client: pg.PoolClient, op: WriteOp): Promise<WriteOpResults[WriteOp['kind']]> {
  switch (op.kind) {
    case 'upsertAgents': {
      // Prisma keeps DateTime as UTC in `timestamp without time zone`, whatever the server's TimeZone.
      await client.query(
        `INSERT INTO agents (project_id, name, created_at)
         SELECT $1, n, now() AT TIME ZONE 'UTC' FROM unnest($2::text[]) AS n ORDER BY n
         ON CONFLICT (project_id, name) DO NOTHING`,
        [op.projectId, op.names],
      );
      const { rows } = await client.query<{ id: number; name: string }>(
        'SELECT id, name FROM agents WHERE project_id = $1 AND name = ANY($2::text[])',
        [op.projectId, op.names],
      );
      return new Map(rows.map((row) => [row.name, row.id]));
    }
    case 'insertSessions': {
      const s = op.sessions;
      const { rows } = await client.query<{ key: string }>(
        `INSERT INTO sessions (project_id, key, name, agent_id, tags, metadata, started_at_us, last_received_at_us, search_text)
         SELECT $1, u.key, u.name, u.agent_id, u.tags, u.metadata, u.started_at_us, u.last_received_at_us, u.search_text
         FROM unnest($2::text[], $3::text[], $4::int[], $5::jsonb[], $6::jsonb[], $7::bigint[], $8::bigint[], $9::text[])
           AS u(key, name, agent_id, tags, metadata, started_at_us, last_received_at_us, search_text)
         ORDER BY u.key
         ON CONFLICT (project_id, key) DO NOTHING
         RETURNING key`,
        [
          op.projectId, column(s, (x) => x.key), column(s, (x) => x.name), column(s, (x) => x.agentId),
          column(s, (x) => JSON.stringify(x.tags)), column(s, (x) => jsonOrNull(x.metadata)),
          column(s, (x) => x.startedAtUs), column(s, (x) => x.lastReceivedAtUs), column(s, sessionSearchText),
        ],
      );
      return new Set(rows.map((row) => row.key));
    }
    case 'lockSessions': {
      const { rows } = await client.query<SessionRecord>(
        `SELECT ${sessionColumns} FROM sessions WHERE project_id = $1 AND key = ANY($2::text[]) ORDER BY id FOR UPDATE`,
        [op.projectId, op.keys],
      );
      const byKey = new Map(rows.map((record) => [record.key, toSessionRow(record)]));
      return op.keys.flatMap((key) => byKey.get(key) ?? []);
    }
    case 'insertEvents': {
      // One parameter: the rows as a JSON document that PostgreSQL unpacks with json_to_recordset.
      // The events' JSON fields are already serialised, so they are spliced into the document as
      // they are, neither escaped again (as text[] parameters would be) nor parsed twice.
      const { rows } = await client.query<{ key: string }>(
        `INSERT INTO events (project_id, session_id, key, parent_key, seq, type, name, timestamp_us, duration_ms,
           received_at_us, status, input, output, metadata, model, prompt_tokens, completion_tokens, cost_usd,
           error_message, error_type)
         SELECT $1, u.s, u.k, u.p, u.q, u.t::"EventType", u.n, u.ts, u.d, u.r, u.st::"EventStatus", u.i, u.o, u.m,
           u.mo, u.pt, u.ct, u.c, u.em, u.et
         FROM json_to_recordset($2::json) AS u(s int, k text, p text, q int, t text, n text, ts bigint, d float8,
           r bigint, st text, i jsonb, o jsonb, m jsonb, mo text, pt int, ct int, c float8, em text, et text)
         ON CONFLICT (project_id, key) DO NOTHING
         RETURNING key`,
        [op.projectId, eventsDocument(op.events)],
      );
      const inserted = new Set(rows.map((row) => row.key));
      return op.events.map((event) => inserted.has(event.key));
    }
    case 'updateSessions': {
      const s = op.sessions;
      await client.query(
        `UPDATE sessions AS s SET name = u.name, agent_id = u.agent_id, status = u.status, tags = u.tags,
           metadata = u.metadata, started_at_us = u.started_at_us, ended_at_us = u.ended_at_us,
           last_event_at_us = u.last_event_at_us, last_received_at_us = u.last_received_at_us,
           event_count = u.event_count, error_count = u.error_count, prompt_tokens = u.prompt_tokens,
           completion_tokens = u.completion_tokens, cost_usd = u.cost_usd, seq = u.seq, duration_us = u.duration_us,
           search_text = u.search_text
         FROM unnest($1::int[], $2::text[], $3::int[], $4::"SessionStatus"[], $5::jsonb[], $6::jsonb[], $7::bigint[],
           $8::bigint[], $9::bigint[], $10::bigint[], $11::int[], $12::int[], $13::int[], $14::int[], $15::float8[],
           $16::int[], $17::bigint[], $18::text[])
           AS u(id, name, agent_id, status, tags, metadata, started_at_us, ended_at_us, last_event_at_us,
             last_received_at_us, event_count, error_count, prompt_tokens, completion_tokens, cost_usd, seq,
             duration_us, search_text)
         WHERE s.id = u.id`,
        [
          column(s, (x) => x.id), column(s, (x) => x.name), column(s, (x) => x.agentId), column(s, (x) => x.status),
          column(s, (x) => JSON.stringify(x.tags)), column(s, (x) => jsonOrNull(x.metadata)),
          column(s, (x) => x.startedAtUs), column(s, (x) => x.endedAtUs), column(s, (x) => x.lastEventAtUs),
          column(s, (x) => x.lastReceivedAtUs), column(s, (x) => x.eventCount), column(s, (x) => x.errorCount),
          column(s, (x) => x.promptTokens), column(s, (x) => x.completionTokens), column(s, (x) => x.costUsd),
          column(s, (x) => x.seq), column(s, sessionDurationUs), column(s, sessionSearchText),
        ],
      );
      return undefined;
    }
    case 'indexSessions': {
      if (op.tags.length > 0) {
        await client.query(
          `INSERT INTO session_tags (session_id, project_id, tag)
           SELECT u.session_id, $1, u.tag FROM unnest($2::int[], $3::text[]) AS u(session_id, tag)
           ON CONFLICT DO NOTHING`,
          [op.projectId, column(op.tags, (x) => x.sessionId), column(op.tags, (x) => x.tag)],
        );
      }
      const upserts = op.metadata.filter((m) => m.value !== null);
      const removals = op.metadata.filter((m) => m.value === null);
      if (upserts.length > 0) {
        await client.query(
          `INSERT INTO session_metadata (session_id, project_id, key, value)
           SELECT u.session_id, $1, u.key, u.value FROM unnest($2::int[], $3::text[], $4::text[]) AS u(session_id, key, value)
           ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value`,
          [op.projectId, column(upserts, (x) => x.sessionId), column(upserts, (x) => x.key), column(upserts, (x) => x.value)],
        );
      }
      if (removals.length > 0) {
        await client.query(
          `DELETE FROM session_metadata AS m USING unnest($1::int[], $2::text[]) AS u(session_id, key)
           WHERE m.session_id = u.session_id AND m.key = u.key`,
          [column(removals, (x) => x.sessionId), column(removals, (x) => x.key)],
        );
      }
      if (op.models.length > 0) {
        await client.query(
          `INSERT INTO session_models (session_id, project_id, model)
           SELECT u.session_id, $1, u.model FROM unnest($2::int[], $3::text[]) AS u(session_id, model)
           ON CONFLICT DO NOTHING`,
          [op.projectId, column(op.models, (x) => x.sessionId), column(op.models, (x) => x.model)],
        );
      }
      return undefined;
    }
  }
}

export function createPostgresWriteStore(pool: pg.Pool): WriteStore {
  return {
    async run<N extends ProgramName>(name: N, ...args: ProgramArgs<N>): Promise<ProgramResult<N>> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const steps = startProgram(name, args);
          let step = steps.next();
          while (!step.done) step = steps.next(await execute(client, step.value));
          await client.query('COMMIT');
          return step.value;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
          const sqlState = (error as { code?: string }).code;
          if (sqlState && RETRYABLE_SQLSTATES.has(sqlState) && attempt < MAX_ATTEMPTS) {
            await sleep(Math.random() * 10 * attempt);
            continue;
          }
          throw error;
        } finally {
          client.release(broken);
        }
      }
    },
    close: () => Promise.resolve(),
  };
}
