/**
 * A load generator in a process of its own, as an agent fleet would be: it produces events at a
 * steady rate, whatever the server is doing, into a few sessions at a time, and on `stop` sends
 * what is left and writes a report of every event it produced and what became of it.
 *
 *   node --import tsx test/chaos/support/load-worker.ts '<LoadWorkerConfig JSON>'
 *
 * Started by `load-workers.ts` with an IPC channel. Two modes:
 * - `sdk`: the real Tracker from src/sdk. After `shutdown()` settles, every tracked event must
 *   be stored exactly once, whatever happened to the server in between.
 * - `raw`: `ingestBatch` over plain HTTP, one request at a time. A request that fails is sent
 *   again or, by a seeded draw, given up on while in doubt; so the worker knows exactly which
 *   events were acknowledged (must be stored) and which may or may not have been committed.
 */
import { writeFileSync } from 'node:fs';
import { print } from 'graphql';
import { Tracker, type Session, type TrackedEvent } from '../../../src/sdk/index.js';
import { graphql } from '../../generated/gql.js';
import type { EventInput, SessionUpsertInput } from '../../generated/graphql.js';
import { deferred, random } from '../../helpers/live.js';
import type {
  BatchOutcome, ControlMessage, LoadWorkerConfig, ProducedEvent, ProducedSession, WorkerMessage, WorkerReport,
} from './load-protocol.js';

const ChaosRawIngest = graphql(`
  mutation ChaosRawIngest($input: IngestBatchInput!) {
    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }
  }
`);

const config = JSON.parse(process.argv[2] ?? '{}') as LoadWorkerConfig;
const rng = random(config.seed);
const TICK_MS = 50;
const RAW_BATCH_EVENTS = 100;
/** Short, so a request to a server killed under it is given up on soon (a killed server resets it anyway). */
const REQUEST_TIMEOUT_MS = 10_000;

function send(message: WorkerMessage, then?: () => void): void {
  if (process.send) process.send(message, undefined, {}, () => then?.());
  else then?.();
}

let finished = false;
// The test went away (failed, timed out): nothing is left to report to.
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});

/** What a tracked event carries that its session's counters must add up. */
interface Shape {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  error: boolean;
}

const MODELS = ['gpt-4o-mini', 'claude-3-5-haiku', 'llama-3.1-8b'];
const TOOLS = ['orders.lookup', 'kb.search', 'refunds.create', 'calendar.book'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (low: number, high: number) => low + Math.floor(rng() * (high - low + 1));

/** An LLM call's figures: integer tokens, a cost with a few significant digits. */
function llmFigures(): Shape {
  const promptTokens = int(20, 2_000);
  const completionTokens = int(5, 600);
  return { promptTokens, completionTokens, costUsd: Math.round((promptTokens * 0.15 + completionTokens * 0.6) * 10) / 1e7, error: false };
}

const none: Shape = { promptTokens: 0, completionTokens: 0, costUsd: 0, error: false };

const produced: ProducedEvent[] = [];
const sessions = new Map<string, ProducedSession>();
const startedAt = Date.now();
let stopping = false;

function sessionKey(slot: number, generation: number): string {
  return `${config.keyPrefix}-s${slot}-g${generation}`;
}

/** A slot's current session, how many events it has had, and when it started. */
interface Slot {
  index: number;
  generation: number;
  key: string;
  events: number;
  openedAt: number;
  /**
   * The first generation of slot i lasts 1 + i/slots times the usual, so rotations are staggered
   * (and none comes sooner than usual: watchers subscribe to the next generation meanwhile).
   */
  firstLimit: number;
}

function makeSlots(): Slot[] {
  return Array.from({ length: config.slots }, (_, index) => ({
    index,
    generation: 0,
    key: sessionKey(index, 0),
    events: 0,
    openedAt: Date.now(),
    firstLimit: 1 + index / config.slots,
  }));
}

function due(slot: Slot): boolean {
  const share = slot.generation === 0 ? slot.firstLimit : 1;
  const rotate = config.rotateAfter;
  return 'events' in rotate ? slot.events >= Math.max(1, Math.round(rotate.events * share)) : Date.now() - slot.openedAt >= rotate.ms * share;
}

/** Calls `produce` so that the count follows the rate, every tick, until stopped. */
function steady(produce: () => void): NodeJS.Timeout {
  let count = 0;
  const began = Date.now();
  return setInterval(() => {
    const target = Math.floor(((Date.now() - began) / 1000) * config.eventsPerSecond);
    while (count < target) {
      produce();
      count++;
    }
  }, TICK_MS);
}

// ------------------------------------------------------------------------------------- sdk

async function runSdk(): Promise<WorkerReport['sdk']> {
  const errors: { code: string; message: string }[] = [];
  const retryReasons: Record<string, number> = {};
  const tracker = new Tracker({
    apiKey: config.apiKey,
    endpoint: config.endpoint,
    agentName: config.agentName,
    flushAt: 50,
    flushIntervalMs: 200,
    // Short backoff: a restarted server is used within a second of serving again.
    retry: { initialDelayMs: 100, maxDelayMs: 1_000 },
    requestTimeoutMs: config.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    flushOnExit: false,
    onError: (error) => errors.push({ code: error.code, message: error.message }),
    onRetry: (info) => {
      const reason = info.reason.replace(/\d{2,}/g, 'N').slice(0, 120);
      retryReasons[reason] = (retryReasons[reason] ?? 0) + 1;
    },
  });

  const slots = makeSlots();
  const handles = new Map<Slot, Session>();
  const open = (slot: Slot) => {
    const handle = tracker.startSession({ key: slot.key, name: `${config.name} slot ${slot.index}`, tags: [`${config.keyPrefix}-s${slot.index}`] });
    handles.set(slot, handle);
    sessions.set(slot.key, { key: slot.key, status: 'RUNNING' });
  };
  const end = (slot: Slot, status: ProducedSession['status'] & ('SUCCEEDED' | 'FAILED' | 'CANCELLED')) => {
    handles.get(slot)!.end(status);
    sessions.get(slot.key)!.status = status;
  };
  slots.forEach(open);

  const keep = (event: TrackedEvent, shape: Shape) =>
    produced.push({ id: event.id, session: event.sessionKey, t: event.timestampMicros, ...shape });

  let turn = 0;
  const produceOne = () => {
    const slot = slots[turn++ % slots.length]!;
    const session = handles.get(slot)!;
    const roll = rng();
    if (config.nested && roll < 0.12) {
      // An operation: its own event is queued after its children, with the earlier timestamp.
      let operation: TrackedEvent | undefined;
      session.operation('plan', (step) => {
        operation = step.event;
        const figures = llmFigures();
        keep(step.llmCall({ model: pick(MODELS), ...figures, latencyMs: int(50, 3_000) }), figures);
        keep(step.toolCall(pick(TOOLS), { input: { id: int(1, 1e6) }, output: { ok: true } }), none);
      });
      keep(operation!, none);
      slot.events += 3;
    } else if (roll < 0.4) {
      const figures = llmFigures();
      keep(session.llmCall({ model: pick(MODELS), ...figures, latencyMs: int(50, 3_000), input: { messages: [{ role: 'user', content: 'Where is my order?' }] } }), figures);
      slot.events++;
    } else if (roll < 0.55) {
      const failed = rng() < 0.2;
      keep(session.toolCall(pick(TOOLS), { input: { query: 'x'.repeat(int(10, 200)) }, ...(failed ? { status: 'ERROR' as const } : { output: { hits: int(0, 9) } }) }), { ...none, error: failed });
      slot.events++;
    } else if (roll < 0.65) {
      keep(session.question(`question ${int(1, 1e9)}`), none);
      slot.events++;
    } else if (roll < 0.75) {
      keep(session.answer(`answer ${'y'.repeat(int(10, 300))}`), none);
      slot.events++;
    } else if (roll < 0.82) {
      keep(session.decision('route', { choice: pick(['answer', 'escalate', 'refund']), reason: 'rules' }), none);
      slot.events++;
    } else if (roll < 0.87) {
      keep(session.error(new Error(`upstream timeout ${int(1, 99)}`)), { ...none, error: true });
      slot.events++;
    } else {
      keep(session.log('step done', { metadata: { n: int(0, 1000) } }), none);
      slot.events++;
    }
    if (due(slot)) {
      const draw = rng();
      end(slot, draw < 0.8 ? 'SUCCEEDED' : draw < 0.9 ? 'FAILED' : 'CANCELLED');
      slot.generation++;
      slot.key = sessionKey(slot.index, slot.generation);
      slot.events = 0;
      slot.openedAt = Date.now();
      open(slot);
    }
  };

  const timer = steady(produceOne);
  // Ready once the first sessions are on the server (their events may be watched from here on).
  produceOne();
  await tracker.flush();
  send({ type: 'ready' });
  await stopped();
  clearInterval(timer);
  if (config.endOnStop) for (const slot of slots) end(slot, 'SUCCEEDED');
  const shutdownSettled = await tracker.shutdown({ timeoutMs: 120_000 });
  const stats = tracker.stats as unknown as Record<string, number>;
  return { stats: { ...stats }, shutdownSettled, errors, retryReasons };
}

// ------------------------------------------------------------------------------------- raw

const TYPES_WITHOUT_FIGURES = ['QUESTION', 'ANSWER', 'DECISION', 'LOG', 'TOOL_CALL', 'ACTION'] as const;

/** RFC 3339 with six fractional digits, from microseconds. */
function iso(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

async function runRaw(): Promise<WorkerReport['raw']> {
  const url = `${config.endpoint.replace(/\/+$/, '')}/graphql`;
  const query = print(ChaosRawIngest);
  const abandonRate = config.abandonRate ?? 0.3;
  const batches: BatchOutcome[] = [];
  const failures: Record<string, number> = {};
  const anomalies: string[] = [];
  const slots = makeSlots();
  const lastMicros = new Map<string, number>();
  const lastId = new Map<string, string>();
  const pending: { input: EventInput; produced: ProducedEvent }[] = [];
  /** Wakes the sender when it waits for events. */
  const waiting: { wake: (() => void) | null } = { wake: null };

  for (const slot of slots) sessions.set(slot.key, { key: slot.key, status: 'RUNNING' });
  let turn = 0;
  let sequence = 0;
  const produceOne = () => {
    const slot = slots[turn++ % slots.length]!;
    const key = slot.key;
    const now = Date.now() * 1000;
    const t = Math.max(now, (lastMicros.get(key) ?? 0) + 1);
    lastMicros.set(key, t);
    const id = `${config.keyPrefix}-e${sequence++}-${Math.floor(rng() * 1e9).toString(36)}`;
    const roll = rng();
    let shape = none;
    const input: EventInput = { id, sessionKey: key, type: 'LOG', timestamp: iso(t) };
    if (roll < 0.35) {
      shape = llmFigures();
      const { promptTokens, completionTokens, costUsd } = shape;
      Object.assign(input, { type: 'LLM_CALL', model: pick(MODELS), name: 'chat', durationMs: int(50, 3000), promptTokens, completionTokens, costUsd, input: { prompt: 'p'.repeat(int(10, 300)) } });
    } else if (roll < 0.42) {
      shape = { ...none, error: true };
      Object.assign(input, { type: 'ERROR', errorMessage: 'upstream timeout', errorType: 'TimeoutError' });
    } else {
      const failed = rng() < 0.05;
      if (failed) shape = { ...none, error: true };
      Object.assign(input, { type: pick(TYPES_WITHOUT_FIGURES), name: 'step', status: failed ? 'ERROR' : 'OK', output: { n: int(0, 1e6) } });
    }
    const parent = lastId.get(key);
    if (parent !== undefined && rng() < 0.5) input.parentId = parent;
    lastId.set(key, id);
    const event: ProducedEvent = { id, session: key, t, ...shape };
    produced.push(event);
    pending.push({ input, produced: event });
    slot.events++;
    if (due(slot)) {
      // The raw client does not end sessions: it moves on to a new key.
      slot.generation++;
      slot.key = sessionKey(slot.index, slot.generation);
      slot.events = 0;
      slot.openedAt = Date.now();
      sessions.set(slot.key, { key: slot.key, status: 'RUNNING' });
    }
    waiting.wake?.();
  };

  type Answer = { ok: true; accepted: number; duplicates: number } | { ok: false; reason: string; retryAfterMs: number | null; refused?: boolean };
  async function post(events: EventInput[]): Promise<Answer> {
    const keys = [...new Set(events.map((event) => event.sessionKey))];
    const upserts: SessionUpsertInput[] = keys.map((key) => ({ key, agentName: config.agentName, tags: [key.replace(/-g\d+$/, '')] }));
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
        body: JSON.stringify({ query, variables: { input: { events, sessions: upserts } } }),
        signal: AbortSignal.timeout(config.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return { ok: false, reason: `network ${cause?.code ?? (error as Error).name}`, retryAfterMs: null };
    }
    const retryAfter = response.headers.get('retry-after');
    let body: { data?: { ingestBatch?: { accepted: number; duplicates: number; rejected: unknown[] } } | null; errors?: { extensions?: { code?: string } }[] } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    const result = body?.data?.ingestBatch;
    if (response.status === 200 && result) {
      if (body?.errors?.length) anomalies.push(`answer with data and errors: ${text.slice(0, 300)}`);
      if (result.rejected.length > 0 || result.accepted + result.duplicates !== events.length) {
        anomalies.push(`batch of ${events.length} answered ${JSON.stringify(result).slice(0, 300)}`);
      }
      return { ok: true, accepted: result.accepted, duplicates: result.duplicates };
    }
    const codes = [...new Set((body?.errors ?? []).map((error) => error.extensions?.code ?? '?'))].join(',') || 'no-graphql-body';
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      // Refused as a whole: a defect of this worker or of the server, never worth sending again.
      anomalies.push(`batch of ${events.length} refused: HTTP ${response.status} ${text.slice(0, 500)}`);
      return { ok: false, reason: `HTTP ${response.status} ${codes}`, retryAfterMs: null, refused: true };
    }
    const seconds = retryAfter === null ? null : Number(retryAfter);
    return {
      ok: false,
      reason: `HTTP ${response.status} ${codes} retry-after=${retryAfter ?? 'none'}`,
      retryAfterMs: seconds !== null && Number.isFinite(seconds) ? seconds * 1000 : null,
    };
  }

  const timer = steady(produceOne);
  let readySent = false;
  const sender = (async () => {
    let failuresInRow = 0;
    for (;;) {
      if (pending.length === 0) {
        if (stopping) return;
        await new Promise<void>((resolve) => (waiting.wake = resolve));
        waiting.wake = null;
        continue;
      }
      const taken = pending.splice(0, RAW_BATCH_EVENTS);
      const outcome: BatchOutcome = { size: taken.length, attempts: [], outcome: 'unsent' };
      const index = batches.push(outcome) - 1;
      for (const item of taken) item.produced.batch = index;
      for (;;) {
        outcome.attempts.push(Date.now());
        const answer = await post(taken.map((item) => item.input));
        if (answer.ok) {
          Object.assign(outcome, { outcome: 'acked', ackedAt: Date.now(), accepted: answer.accepted, duplicates: answer.duplicates });
          failuresInRow = 0;
          if (!readySent) {
            readySent = true;
            send({ type: 'ready' });
          }
          break;
        }
        failures[answer.reason] = (failures[answer.reason] ?? 0) + 1;
        failuresInRow++;
        // Given up on while in doubt: the server may or may not have committed it.
        const abandon = answer.refused === true || (!stopping && rng() < abandonRate);
        if (abandon) outcome.outcome = 'abandoned';
        const backoff = Math.min(1_000, 100 * 2 ** Math.min(failuresInRow - 1, 4)) * (0.5 + rng() / 2);
        await new Promise((resolve) => setTimeout(resolve, Math.min(answer.retryAfterMs ?? backoff, 5_000)));
        if (abandon) break;
      }
    }
  })();

  await stopped();
  clearInterval(timer);
  stopping = true;
  waiting.wake?.();
  await sender;
  return { batches, failures, anomalies };
}

// ------------------------------------------------------------------------------------- main

const stopRequested = deferred<void>();
process.on('message', (message: ControlMessage) => {
  if (message.type === 'stop') stopRequested.resolve();
});

function stopped(): Promise<void> {
  return stopRequested.promise;
}

async function main(): Promise<void> {
  const report: WorkerReport = { name: config.name, mode: config.mode, startedAt, stoppedAt: 0, events: produced, sessions: [] };
  if (config.mode === 'sdk') report.sdk = await runSdk();
  else report.raw = await runRaw();
  report.stoppedAt = Date.now();
  report.sessions = [...sessions.values()];
  writeFileSync(config.reportPath, JSON.stringify(report));
  finished = true;
  send({ type: 'done', reportPath: config.reportPath }, () => process.disconnect?.());
}

main().catch((error: unknown) => {
  process.exitCode = 1;
  finished = true;
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.disconnect?.());
});
