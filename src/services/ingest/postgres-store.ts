/**
 * The write path on PostgreSQL: one pooled client per program, set-based statements (`unnest`
 * over column arrays, so a 1000-event batch is one INSERT), row locks on the sessions a batch
 * touches. Deadlocks and serialisation failures are retried: the program is pure, so running
 * it again from the start is safe.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import { sessionDurationUs, sessionSearchText } from './session-merge.js';
import type { DatabaseOp, EventRow, ProgramInput, SessionRow, WriteOpResults, WriteStore } from './write-ops.js';
import { startProgram, type ProgramArgs, type ProgramName, type ProgramResult } from './write-programs.js';

/** Only the COPY of events can raise it (every INSERT says ON CONFLICT); see insertEvents. */
const UNIQUE_VIOLATION = '23505';
/** deadlock_detected, serialization_failure, and a COPY that met a stored key. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', UNIQUE_VIOLATION]);
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

/** The columns COPY fills, in the order copyRows writes them. */
const EVENT_COPY_COLUMNS =
  'project_id, session_id, key, parent_key, seq, type, name, timestamp_us, duration_ms, received_at_us, status, ' +
  'input, output, metadata, model, prompt_tokens, completion_tokens, cost_usd, error_message, error_type';

/**
 * A value in COPY's text format: `\N` for NULL, and in text the four characters that format gives
 * a meaning to escaped. NUL never gets here (validate.ts refuses it everywhere).
 */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyNumber = (value: number | null) => (value === null ? '\\N' : String(value));

/** The events as COPY text: one line per row, tab-separated, in EVENT_COPY_COLUMNS order. */
function copyRows(projectId: number, events: EventRow[]): string {
  let out = '';
  for (const e of events) {
    out +=
      `${projectId}\t${e.sessionId}\t${copyText(e.key)}\t${copyText(e.parentKey)}\t${e.seq}\t${e.type}\t${copyText(e.name)}\t` +
      `${e.timestampUs}\t${copyNumber(e.durationMs)}\t${e.receivedAtUs}\t${e.status}\t${copyText(e.inputJson)}\t` +
      `${copyText(e.outputJson)}\t${copyText(e.metadataJson)}\t${copyText(e.model)}\t${copyNumber(e.promptTokens)}\t` +
      `${copyNumber(e.completionTokens)}\t${copyNumber(e.costUsd)}\t${copyText(e.errorMessage)}\t${copyText(e.errorType)}\n`;
  }
  return out;
}

const column = <T, V>(rows: T[], pick: (row: T) => V): V[] => rows.map(pick);

/**
 * The keys of `events` already stored in the project. A join rather than `key = ANY($2)`: before
 * the table's first ANALYZE, the planner read `ANY` as a filter over every row of the project,
 * and the lookup grew with the table (to 130 ms a batch at 160,000 events); the join probes the
 * unique index once per key.
 */
async function storedKeys(client: pg.PoolClient, projectId: number, events: EventRow[]): Promise<Set<string>> {
  const { rows } = await client.query<{ key: string }>(
    'SELECT e.key FROM unnest($2::text[]) AS k(key) JOIN events AS e ON e.project_id = $1 AND e.key = k.key',
    [projectId, events.map((event) => event.key)],
  );
  return new Set(rows.map((row) => row.key));
}

/** What an attempt at a program knows from the ones before it. */
interface Attempt {
  /** A COPY of events met a stored key: look them up before copying. */
  lookUpStored: boolean;
}

async function execute(client: pg.PoolClient, op: DatabaseOp, attempt: Attempt): Promise<WriteOpResults[DatabaseOp['kind']]> {
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
      // COPY, the fastest way into PostgreSQL (about half again the rows per second of an INSERT
      // from json_to_recordset here), cannot skip rows that conflict. Nearly every batch holds
      // only new events, so a first attempt copies them all without looking. A batch that
      // repeats a stored key (an SDK resending a batch whose answer it lost, or the same batch
      // sent twice at once) makes COPY fail on the unique index: the program then runs again
      // from the start (UNIQUE_VIOLATION is retried), this time looking the stored keys up first
      // and copying only the others.
      const stored = attempt.lookUpStored ? await storedKeys(client, op.projectId, op.events) : new Set<string>();
      const fresh = stored.size === 0 ? op.events : op.events.filter((event) => !stored.has(event.key));
      if (fresh.length > 0) {
        const copy = client.query(copyFrom(`COPY events (${EVENT_COPY_COLUMNS}) FROM STDIN`));
        await pipeline(Readable.from([Buffer.from(copyRows(op.projectId, fresh))]), copy);
      }
      return op.events.map((event) => !stored.has(event.key));
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
  /**
   * Runs a program with all of its streamed input at hand: on PostgreSQL a round trip per part
   * would cost more than starting early gains.
   */
  async function runWithInput<N extends ProgramName>(name: N, args: ProgramArgs<N>, input: readonly (readonly unknown[])[]): Promise<ProgramResult<N>> {
    const known: Attempt = { lookUpStored: false };
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const steps = startProgram(name, args);
        let received = 0;
        let step = steps.next();
        while (!step.done) {
          const op = step.value;
          step = steps.next(op.kind === 'receive' ? (input[received++] ?? null) : await execute(client, op, known));
        }
        await client.query('COMMIT');
        return step.value;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        const sqlState = (error as { code?: string }).code;
        if (sqlState && RETRYABLE_SQLSTATES.has(sqlState) && attempt < MAX_ATTEMPTS) {
          if (sqlState === UNIQUE_VIOLATION) known.lookUpStored = true;
          else await sleep(Math.random() * 10 * attempt); // a deadlock's other side goes first
          continue;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  return {
    run: (name, ...args) => runWithInput(name, args, []),
    open<N extends ProgramName>(name: N, ...args: ProgramArgs<N>): ProgramInput<ProgramResult<N>> {
      const parts: (readonly unknown[])[] = [];
      return {
        push: (part) => void parts.push(part),
        // One part: the program then writes the whole input with one statement per step, and
        // locks all of a batch's sessions in one sorted statement (no deadlock between batches).
        end: () => runWithInput(name, args, parts.length > 0 ? [parts.flat()] : []),
        abort: () => undefined, // nothing was sent yet
      };
    },
    close: () => Promise.resolve(),
  };
}
