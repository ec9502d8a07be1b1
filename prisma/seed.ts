/**
 * Fills a project with realistic agent sessions, deterministically from a seed number:
 *
 *   npm run seed -- --sessions 50000 --events 1000000 [--seed 1] [--project demo] [--big-session 10000]
 *
 * Conversations of questions and answers, agent steps that nest LLM calls (several models, with
 * tokens, cost and latency) and tool calls, decisions, logs, errors and feedback, spread over 30
 * days before 2026-01-01 UTC. Everything goes through the real ingest service (in-process, no HTTP)
 * in batches of 1000, so seeded data is exactly what ingested data would be. Event ids derive from
 * the seed, so running it twice stores nothing twice.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrate.js';
import type { Micros } from '../src/lib/micros.js';
import { createWriteStore, ingestBatch, type EventInput, type SessionUpsertInput } from '../src/services/ingest/index.js';

const BATCH = 1000;
const EPOCH_END_US = Date.UTC(2026, 0, 1) * 1000;
const SPAN_US = 30 * 24 * 3600 * 1_000_000;

const MODELS = [
  { name: 'gpt-4o', promptUsd: 2.5e-6, completionUsd: 10e-6, latencyMs: 900 },
  { name: 'gpt-4o-mini', promptUsd: 0.15e-6, completionUsd: 0.6e-6, latencyMs: 450 },
  { name: 'claude-sonnet-4', promptUsd: 3e-6, completionUsd: 15e-6, latencyMs: 1100 },
  { name: 'llama-3.1-70b', promptUsd: 0.6e-6, completionUsd: 0.6e-6, latencyMs: 700 },
];
const AGENTS = ['support-bot', 'checkout-assistant', 'voice-concierge', 'research-agent', 'sql-copilot'];
const TOOLS = ['search_orders', 'lookup_customer', 'send_email', 'web_search', 'run_sql', 'create_ticket', 'get_weather'];
const TAGS = ['prod', 'staging', 'voice', 'chat', 'vip', 'beta', 'eu', 'us'];
const QUESTIONS = [
  'Where is my order #%?',
  'Can you change the delivery address for order %?',
  'What were last quarter\'s sales in region %?',
  'Book a table for % people tonight.',
  'Why was I charged twice on invoice %?',
];

/** mulberry32: small, fast, and the same sequence everywhere for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SeedOptions {
  sessions: number;
  events: number;
  seed: number;
  bigSession: number;
}

/** The events of one session, in the order an agent would emit them. */
function* sessionEvents(next: () => number, key: string, startUs: Micros, count: number): Generator<EventInput> {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  let clock = startUs;
  let n = 0;
  const emit = (event: Omit<EventInput, 'id' | 'sessionKey' | 'timestamp'>, advanceMs: number): EventInput => {
    clock += Math.round(advanceMs * 1000) + 1;
    return { id: `${key}-${n++}`, sessionKey: key, timestamp: clock, ...event };
  };
  while (n < count) {
    const order = Math.floor(next() * 90000) + 10000;
    const question = pick(QUESTIONS).replace('%', String(order));
    yield emit({ type: 'QUESTION', name: 'user_message', input: { text: question, locale: pick(['en-US', 'de-DE', 'fr-FR']) } }, 2000 + next() * 20000);
    if (n >= count) return;
    const stepId = `${key}-${n}`;
    yield emit({ type: 'AGENT', name: 'plan_and_act', input: { goal: question }, metadata: { step: 'reasoning' } }, 5);
    // Inside the step: LLM calls and tool calls, children of the step.
    const calls = 1 + Math.floor(next() * 4);
    for (let c = 0; c < calls && n < count; c++) {
      const model = pick(MODELS);
      const promptTokens = 200 + Math.floor(next() * 3000);
      const completionTokens = 20 + Math.floor(next() * 600);
      const latency = model.latencyMs * (0.5 + next());
      yield emit({
        type: 'LLM_CALL',
        name: 'chat.completions',
        parentId: stepId,
        model: model.name,
        promptTokens,
        completionTokens,
        costUsd: promptTokens * model.promptUsd + completionTokens * model.completionUsd,
        durationMs: Math.round(latency * 10) / 10,
        input: { messages: [{ role: 'system', content: 'You are a careful assistant.' }, { role: 'user', content: question }] },
        output: { role: 'assistant', content: `Calling tools for ${order}.`, finish_reason: 'tool_calls' },
        metadata: { temperature: 0.2 },
      }, latency);
      if (n >= count) return;
      const tool = pick(TOOLS);
      const failed = next() < 0.03;
      yield emit({
        type: 'TOOL_CALL',
        name: tool,
        parentId: stepId,
        durationMs: Math.round(20 + next() * 800),
        status: failed ? 'ERROR' : 'OK',
        input: { args: { order, limit: 10 } },
        output: failed ? null : { rows: Math.floor(next() * 20), status: 'ok' },
        errorMessage: failed ? `${tool} timed out after 800 ms` : null,
        errorType: failed ? 'TimeoutError' : null,
      }, 50 + next() * 800);
    }
    if (n >= count) return;
    yield emit({ type: 'DECISION', name: 'route', parentId: stepId, output: { choice: pick(['answer', 'escalate', 'clarify']) } }, 3);
    if (n >= count) return;
    if (next() < 0.02) {
      yield emit({ type: 'ERROR', name: 'guardrail', errorType: 'PolicyViolation', errorMessage: 'answer blocked by policy' }, 2);
      if (n >= count) return;
    }
    yield emit({ type: 'ANSWER', name: 'assistant_message', output: { text: `Order ${order} ships tomorrow.` } }, 10);
    if (n >= count) return;
    if (next() < 0.15) {
      yield emit({ type: 'FEEDBACK', name: pick(['thumbs', 'csat']), output: { label: next() < 0.8 ? 'up' : 'down', value: Math.ceil(next() * 5) } }, 4000);
      if (n >= count) return;
    }
    if (next() < 0.3) yield emit({ type: 'LOG', name: 'debug', metadata: { cache: next() < 0.5 ? 'hit' : 'miss' } }, 1);
  }
}

function describe(next: () => number, key: string, startUs: Micros, index: number): SessionUpsertInput {
  const tags = TAGS.filter(() => next() < 0.25);
  return {
    key,
    name: `Conversation ${index}`,
    agentName: AGENTS[index % AGENTS.length]!,
    tags,
    metadata: { region: next() < 0.5 ? 'eu' : 'us', tier: next() < 0.1 ? 'enterprise' : 'free', version: 1 + (index % 3) },
    startedAt: startUs,
  };
}

export async function seed(databaseUrl: string, projectName: string, options: SeedOptions): Promise<{ events: number; seconds: number }> {
  const db = await openDatabase(databaseUrl);
  try {
    await applyMigrations(db);
    const project = await db.prisma.project.upsert({ where: { name: projectName }, create: { name: projectName }, update: {} });
    const store = createWriteStore(db);
    const limits = { maxBatchEvents: BATCH, maxEventBytes: 1 << 20 };
    const started = performance.now();
    let events: EventInput[] = [];
    let sessions: SessionUpsertInput[] = [];
    let written = 0;
    const flush = async () => {
      if (events.length === 0 && sessions.length === 0) return;
      const result = await ingestBatch(store, { projectId: project.id, keyAgentId: null, sessions, events }, limits);
      if (result.rejected.length > 0) throw new Error(`seed produced an invalid event: ${result.rejected[0]!.message}`);
      written += events.length;
      events = [];
      sessions = [];
    };
    const plans: { key: string; count: number }[] = [];
    const next = random(options.seed);
    const regular = options.events - options.bigSession;
    for (let i = 0; i < options.sessions; i++) {
      // Uneven sizes around the mean, as real conversations are; the last one takes the remainder.
      const mean = regular / options.sessions;
      const count = i === options.sessions - 1 ? Math.max(0, regular - plans.reduce((s, p) => s + p.count, 0)) : Math.max(1, Math.round(mean * (0.3 + next() * 1.4)));
      plans.push({ key: `seed${options.seed}-s${i}`, count });
    }
    if (options.bigSession > 0) plans.push({ key: `seed${options.seed}-big`, count: options.bigSession });
    for (const [index, plan] of plans.entries()) {
      const startUs = EPOCH_END_US - SPAN_US + Math.floor(next() * SPAN_US * 0.97);
      sessions.push(describe(next, plan.key, startUs, index));
      for (const event of sessionEvents(next, plan.key, startUs, plan.count)) {
        events.push(event);
        if (events.length === BATCH) await flush();
      }
      if (sessions.length >= BATCH) await flush();
    }
    await flush();
    return { events: written, seconds: (performance.now() - started) / 1000 };
  } finally {
    await db.close();
  }
}

// Run as a script (npm run seed); imported by the benchmarks for its seed() alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '1000' },
      events: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      project: { type: 'string', default: 'demo' },
      'big-session': { type: 'string', default: '0' },
    },
  });
  const numbers = { sessions: Number(values.sessions), events: Number(values.events), seed: Number(values.seed), bigSession: Number(values['big-session']) };
  const bad = Object.entries(numbers).filter(([, v]) => !Number.isInteger(v) || v < 0);
  if (bad.length > 0 || numbers.sessions < 1 || numbers.events < numbers.sessions + numbers.bigSession) {
    console.error('usage: npm run seed -- --sessions N --events M [--seed S] [--project NAME] [--big-session K]\n(whole numbers; M at least N + K)');
    process.exit(2);
  }
  const { databaseUrl } = loadConfig();
  const result = await seed(databaseUrl, values.project!, numbers);
  console.log(`seeded ${result.events} events in ${numbers.sessions + (numbers.bigSession > 0 ? 1 : 0)} sessions into project "${values.project}" in ${result.seconds.toFixed(1)} s (${Math.round(result.events / result.seconds)} events/s)`);
}
