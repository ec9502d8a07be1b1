/**
 * A deterministic generator of realistic agent traffic: what an SDK flushes from a few live
 * sessions. A fixed seed gives the same events byte for byte, so the server, the transport limit
 * and the storage limit of one scenario all see exactly the same rows.
 *
 * Shape: each batch spreads its events over `sessionsPerBatch` sessions owned by one client (an
 * agent process flushes its own sessions, so two clients never contend for one session). A session
 * lives for a few batches, opens with an AGENT span that most later events hang under (parentId),
 * and is described (name, agent, tags, metadata) in the batch where it first appears.
 * Event mix: LLM calls with message histories, tool calls with nested arguments and results,
 * decisions, logs, questions/answers, some errors; input and output JSON of about 0.5 to 2 KB
 * together per event, plus metadata.
 */

export type EventType =
  | 'QUESTION' | 'ANSWER' | 'ACTION' | 'TOOL_CALL' | 'DECISION' | 'LLM_CALL'
  | 'ERROR' | 'FEEDBACK' | 'AGENT' | 'OPERATION' | 'LOG' | 'CUSTOM';

/** An EventInput as it goes over the wire (the contract's field names). */
export interface WireEvent {
  id: string;
  sessionKey: string;
  parentId?: string;
  type: EventType;
  name?: string;
  timestamp: string;
  durationMs?: number;
  status?: 'OK' | 'ERROR';
  input?: unknown;
  output?: unknown;
  metadata?: Record<string, unknown>;
  model?: string;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
  errorMessage?: string;
  errorType?: string;
}

export interface WireSession {
  key: string;
  name: string;
  agentName: string;
  tags: string[];
  metadata: Record<string, unknown>;
}

export interface Batch {
  /** The client (0-based) that sends this batch; it sends its batches in order. */
  client: number;
  events: WireEvent[];
  /** `events[i].timestamp` in microseconds since the epoch, as the server parses it. */
  timestampsUs: number[];
  /** Descriptions of the sessions that first appear in this batch. */
  sessions: WireSession[];
}

export interface WorkloadOptions {
  seed: number;
  /** Makes session keys unique per workload, so repeats into one database never merge sessions. */
  tag: string;
  batchSize: number;
  batchCount: number;
  clients: number;
  /** @default 20 */
  sessionsPerBatch?: number;
  /** How many of its client's batches a session spans. @default 5 */
  sessionLifetimeBatches?: number;
}

/** mulberry32: small, fast, and good enough to vary content; not for anything cryptographic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash (FNV-1a) to derive seeds from scenario names. */
export function hashSeed(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('|')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const WORDS = (
  'the order customer refund shipping address invoice account password reset delivery tracking ' +
  'number warehouse policy return window days payment card declined subscription plan upgrade ' +
  'downgrade billing cycle support ticket escalation agent summary context retrieved document ' +
  'chunk relevant answer question clarify confirm email phone verify identity status pending ' +
  'processed cancelled item quantity price discount coupon expired valid region europe tax ' +
  'please could you check whether my package arrived yesterday thanks for waiting i found ' +
  'two matching records and the most recent one shows that it was delivered to the front desk ' +
  'according to our policy you can request a replacement within thirty days of purchase'
).split(' ');

const MODELS = [
  { name: 'gpt-4o-mini', inPerTok: 0.15e-6, outPerTok: 0.6e-6 },
  { name: 'gpt-4o', inPerTok: 2.5e-6, outPerTok: 10e-6 },
  { name: 'claude-3-5-haiku-20241022', inPerTok: 0.8e-6, outPerTok: 4e-6 },
  { name: 'claude-sonnet-4-20250514', inPerTok: 3e-6, outPerTok: 15e-6 },
];
const TOOLS = ['search_orders', 'get_customer', 'lookup_tracking', 'search_knowledge_base', 'create_ticket', 'issue_refund'];
const AGENTS = ['support-bot', 'billing-agent', 'triage-router'];
const TYPE_WEIGHTS: [EventType, number][] = [
  ['LLM_CALL', 0.3], ['TOOL_CALL', 0.22], ['ACTION', 0.08], ['DECISION', 0.06], ['LOG', 0.12], ['QUESTION', 0.04],
  ['ANSWER', 0.04], ['ERROR', 0.03], ['FEEDBACK', 0.02], ['OPERATION', 0.05], ['CUSTOM', 0.04],
];
const CORPUS = (() => {
  const random = seededRandom(0xc0ffee);
  const words: string[] = [];
  for (let i = 0; i < 20_000; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
  return words.join(' ');
})();
/** 2025-06-01T00:00:00Z: fixed, so the generator is deterministic, and inside the server's accepted range. */
const BASE_TIME_US = Date.UTC(2025, 5, 1) * 1000;

interface SessionState {
  rootId: string;
  clockUs: number;
  lastLlmId: string | null;
  turn: number;
}

export function formatMicros(us: number): string {
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

export function generateWorkload(options: WorkloadOptions): Batch[] {
  const { seed, tag, batchSize, batchCount, clients } = options;
  const sessionsPerBatch = options.sessionsPerBatch ?? 20;
  const lifetime = options.sessionLifetimeBatches ?? 5;
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hex = (digits: number) => {
    let out = '';
    for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
    return out;
  };
  const idHead = (seed >>> 0).toString(16).padStart(8, '0');
  let counter = 0;
  // UUIDv7-shaped, as the SDK makes them (src/sdk/ids.ts): a millisecond clock, then a counter,
  // then the seed and random bits; so, as from a real SDK, a scenario's ids arrive in increasing
  // order. (Random v4 ids cost SQLite's unique index on (project, key) 15 to 30% more.) The clock
  // is the generator's start plus a tick per 4096 ids, so workloads made one after another keep
  // increasing; the seed keeps workloads made in the same millisecond apart.
  const clockStartMs = Date.now();
  const newId = () => {
    const ms = (clockStartMs + Math.floor(counter / 4096)).toString(16).padStart(12, '0');
    const sequence = (counter++ % 4096).toString(16).padStart(3, '0');
    return `${ms.slice(0, 8)}-${ms.slice(8)}-7${sequence}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${idHead}${hex(4)}`;
  };
  // A window of a fixed word corpus: as varied as fresh word salad for JSON and the database, and
  // cheap enough that generating a scenario's events takes a fraction of its timed run.
  const text = (bytes: number) => {
    const start = CORPUS.indexOf(' ', Math.floor(random() * (CORPUS.length - bytes - 64))) + 1;
    const end = CORPUS.indexOf(' ', start + bytes);
    return CORPUS.slice(start, end);
  };
  const pickType = (): EventType => {
    let r = random();
    for (const [type, weight] of TYPE_WEIGHTS) {
      r -= weight;
      if (r < 0) return type;
    }
    return 'LOG';
  };

  const sessions = new Map<string, SessionState>();
  const batches: Batch[] = [];
  for (let b = 0; b < batchCount; b++) {
    const client = b % clients;
    const generation = Math.floor(Math.floor(b / clients) / lifetime);
    const keys = Array.from({ length: sessionsPerBatch }, (_, i) => `${tag}-c${client}-g${generation}-s${i}`);
    const batch: Batch = { client, events: [], timestampsUs: [], sessions: [] };
    for (let j = 0; j < batchSize; j++) {
      const sessionKey = keys[j % sessionsPerBatch]!;
      let state = sessions.get(sessionKey);
      let event: WireEvent;
      if (!state) {
        state = {
          rootId: newId(),
          clockUs: BASE_TIME_US + client * 3_600_000_000 + int(0, 3_000_000_000),
          lastLlmId: null,
          turn: 0,
        };
        sessions.set(sessionKey, state);
        batch.sessions.push({
          key: sessionKey,
          name: `Conversation ${sessionKey.slice(-12)}`,
          agentName: pick(AGENTS),
          tags: ['bench', pick(['web', 'mobile', 'email']), pick(['en', 'de', 'fr'])],
          metadata: { customerTier: pick(['free', 'pro', 'enterprise']), channel: pick(['chat', 'voice']), release: '2025.06.1' },
        });
        event = {
          id: state.rootId,
          sessionKey,
          type: 'AGENT',
          name: 'support.run',
          timestamp: '',
          input: { task: text(int(120, 400)), user: { id: `u_${hex(10)}`, locale: pick(['en-US', 'de-DE', 'fr-FR']) } },
          metadata: { sdk: { name: 'sightline-ts', version: '0.4.2' }, host: `worker-${client}` },
        };
      } else {
        event = makeEvent(sessionKey, state);
      }
      state.clockUs += int(2_000, 900_000);
      event.timestamp = formatMicros(state.clockUs);
      batch.events.push(event);
      batch.timestampsUs.push(state.clockUs);
    }
    batches.push(batch);
  }
  return batches;

  function makeEvent(sessionKey: string, state: SessionState): WireEvent {
    const type = pickType();
    const id = newId();
    const base: WireEvent = { id, sessionKey, type, timestamp: '' };
    if (random() < 0.75) base.parentId = type === 'TOOL_CALL' && state.lastLlmId ? state.lastLlmId : state.rootId;
    const metadata = { sdk: { name: 'sightline-ts', version: '0.4.2' }, turn: state.turn, attempt: int(1, 2) };
    switch (type) {
      case 'LLM_CALL': {
        state.lastLlmId = id;
        state.turn++;
        const model = pick(MODELS);
        const history = int(1, 4);
        const messages: unknown[] = [{ role: 'system', content: text(int(150, 350)) }];
        for (let i = 0; i < history; i++) {
          messages.push({ role: 'user', content: text(int(30, 160)) });
          if (i < history - 1) messages.push({ role: 'assistant', content: text(int(30, 160)) });
        }
        const toolCall = random() < 0.4;
        const promptTokens = int(200, 4000);
        const completionTokens = int(20, 600);
        return {
          ...base,
          name: 'chat.completions',
          model: model.name,
          durationMs: int(300, 6000) + random(),
          promptTokens,
          completionTokens,
          costUsd: Math.round((promptTokens * model.inPerTok + completionTokens * model.outPerTok) * 1e8) / 1e8,
          input: {
            messages,
            params: { temperature: pick([0, 0.2, 0.7]), max_tokens: pick([512, 1024, 2048]), tools: toolCall ? [pick(TOOLS), pick(TOOLS)] : [] },
          },
          output: toolCall
            ? {
                role: 'assistant',
                content: null,
                tool_calls: [{ id: `call_${hex(12)}`, type: 'function', function: { name: pick(TOOLS), arguments: JSON.stringify({ query: text(int(20, 60)), limit: int(3, 10) }) } }],
                finish_reason: 'tool_calls',
              }
            : { role: 'assistant', content: text(int(150, 700)), finish_reason: 'stop' },
          metadata: { ...metadata, provider: model.name.startsWith('gpt') ? 'openai' : 'anthropic', requestId: `req_${hex(16)}` },
        };
      }
      case 'TOOL_CALL': {
        const failed = random() < 0.05;
        const results = Array.from({ length: int(2, 5) }, () => ({
          id: `doc_${hex(8)}`,
          title: text(int(20, 50)),
          snippet: text(int(60, 220)),
          score: Math.round(random() * 1000) / 1000,
        }));
        return {
          ...base,
          name: pick(TOOLS),
          durationMs: int(5, 1500) + random(),
          input: { args: { query: text(int(20, 80)), filters: { status: pick(['open', 'closed', 'any']), since: '2025-05-01', tags: [pick(WORDS), pick(WORDS)] }, limit: int(3, 10) } },
          output: failed ? { error: { code: 'UPSTREAM_TIMEOUT', retryable: true } } : { results, total: results.length + int(0, 40) },
          ...(failed ? { status: 'ERROR' as const, errorMessage: 'upstream did not answer within 1500 ms', errorType: 'TimeoutError' } : {}),
          metadata,
        };
      }
      case 'ERROR':
        return {
          ...base,
          name: 'agent.step',
          errorType: pick(['RateLimitError', 'ValidationError', 'ToolError']),
          errorMessage: text(int(40, 120)),
          input: { step: state.turn, lastAction: pick(TOOLS), context: { retries: int(0, 3), budgetLeft: int(0, 5000) } },
          output: { stack: Array.from({ length: int(6, 14) }, () => `at ${pick(WORDS)}_${pick(WORDS)} (agent/${pick(WORDS)}.ts:${int(1, 400)}:${int(1, 80)})`) },
          metadata,
        };
      case 'DECISION':
        return {
          ...base,
          name: 'route',
          input: { options: Array.from({ length: int(2, 4) }, () => ({ label: pick(TOOLS), rationale: text(int(40, 120)) })), context: text(int(100, 300)) },
          output: { chosen: pick(TOOLS), confidence: Math.round(random() * 100) / 100, reason: text(int(60, 200)) },
          metadata,
        };
      case 'QUESTION':
      case 'ANSWER':
      case 'FEEDBACK':
        return {
          ...base,
          name: type.toLowerCase(),
          input: { text: text(int(200, 700)), attachments: random() < 0.2 ? [{ kind: 'image', bytes: int(1e4, 1e6) }] : [] },
          output: type === 'FEEDBACK' ? { rating: int(1, 5), comment: text(int(60, 200)) } : { text: text(int(250, 800)) },
          metadata,
        };
      default: // ACTION, LOG, OPERATION, CUSTOM
        return {
          ...base,
          name: `${type.toLowerCase()}.${pick(WORDS)}`,
          durationMs: int(1, 300) + random(),
          input: { message: text(int(250, 800)), fields: { orderId: `ord_${hex(8)}`, step: state.turn, flags: [pick(WORDS), pick(WORDS)] } },
          output: { ok: true, detail: text(int(200, 700)) },
          metadata,
        };
    }
  }
}

/** The mutation every load generator sends (the real server and the transport limit alike). */
export const INGEST_DOCUMENT = /* GraphQL */ `
  mutation BenchIngestBatch($input: IngestBatchInput!) {
    ingestBatch(input: $input) {
      accepted
      duplicates
      rejected { index eventId code message }
    }
  }
`;

/** The request body of a batch, serialised once, before any timing. */
export function requestBody(batch: Batch): Buffer {
  return Buffer.from(
    JSON.stringify({
      query: INGEST_DOCUMENT,
      operationName: 'BenchIngestBatch',
      variables: { input: { sessions: batch.sessions, events: batch.events } },
    }),
  );
}
