/** Builders of realistic input, deterministic where a test needs it to be. */
import { randomUUID } from 'node:crypto';

export interface EventInputJson {
  id: string;
  sessionKey: string;
  type: string;
  timestamp: string;
  parentId?: string | null;
  name?: string | null;
  durationMs?: number | null;
  status?: string | null;
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
  model?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  costUsd?: number | null;
  errorMessage?: string | null;
  errorType?: string | null;
}

/** An ISO timestamp `offsetMs` after a fixed recent instant (inside the accepted range). */
export function at(offsetMs: number, base = Date.now() - 3_600_000): string {
  return new Date(base + offsetMs).toISOString();
}

export function event(sessionKey: string, overrides: Partial<EventInputJson> = {}): EventInputJson {
  return { id: randomUUID(), sessionKey, type: 'LOG', timestamp: new Date().toISOString(), ...overrides };
}

export function llmCall(sessionKey: string, overrides: Partial<EventInputJson> = {}): EventInputJson {
  return event(sessionKey, {
    type: 'LLM_CALL',
    name: 'chat.completions',
    model: 'gpt-4o-mini',
    durationMs: 812.5,
    promptTokens: 420,
    completionTokens: 96,
    costUsd: 0.000_42,
    input: { messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'Where is my order?' }] },
    output: { role: 'assistant', content: 'It ships tomorrow.' },
    metadata: { temperature: 0.2 },
    ...overrides,
  });
}

export function uniqueKey(prefix = 'session'): string {
  return `${prefix}-${randomUUID()}`;
}
