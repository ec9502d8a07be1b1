/**
 * Validation of what clients send. One bad event never fails its batch: `validateEvent` returns
 * a rejection with a stable code, and the batch goes on without it.
 */
import type { Micros } from '../../lib/micros.js';
import {
  EARLIEST_TIMESTAMP_US, MAX_CLOCK_AHEAD_US, MAX_COST_USD, MAX_DURATION_MS, MAX_EVENT_NAME_LENGTH, MAX_KEY_LENGTH, MAX_LABEL_LENGTH,
  MAX_TAGS,
} from './limits.js';
import type { EventStatus, EventType } from './write-ops.js';

export interface EventInput {
  id: string;
  sessionKey: string;
  parentId?: string | null;
  type: EventType;
  name?: string | null;
  timestamp: Micros;
  durationMs?: number | null;
  status?: EventStatus | null;
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

export type RejectionCode = 'INVALID_VALUE' | 'TIMESTAMP_OUT_OF_RANGE' | 'EVENT_TOO_LARGE';

export interface IngestRejection {
  index: number;
  eventId: string | null;
  code: RejectionCode;
  message: string;
}

/** An event that passed validation, with its JSON fields serialised once, for size and storage. */
export interface ValidEvent {
  index: number;
  input: EventInput;
  status: EventStatus;
  inputJson: string | null;
  outputJson: string | null;
  metadataJson: string | null;
}

export class InvalidValue extends Error {
  constructor(
    message: string,
    readonly code: RejectionCode = 'INVALID_VALUE',
  ) {
    super(message);
  }
}

/**
 * PostgreSQL can store U+0000 in neither text nor jsonb, so it is refused everywhere: the same
 * event must be accepted or rejected alike on both databases.
 */
const NUL_MESSAGE = 'must not contain the character U+0000';

function checkNoNul(value: string | null | undefined, field: string): void {
  if (value != null && value.includes('\0')) throw new InvalidValue(`${field} ${NUL_MESSAGE}`);
}

/** Whether serialised JSON holds an escaped U+0000 (and not merely a backslash before "u0000"). */
function jsonHasNul(json: string): boolean {
  return json.includes('\\u0000') && /(?:^|[^\\])(?:\\\\)*\\u0000/.test(json);
}

export function checkJsonNoNul(json: string | null, field: string): void {
  // Both show as a \u escape in JSON.stringify's output, which most payloads hold none of:
  // one scan for the common case instead of one per check.
  if (json === null || !json.includes('\\u')) return;
  if (jsonHasNul(json)) throw new InvalidValue(`${field} ${NUL_MESSAGE}`);
  if (jsonHasLoneSurrogate(json)) throw new InvalidValue(`${field} ${LONE_SURROGATE_MESSAGE}`);
}

/**
 * A string with half of a UTF-16 surrogate pair is not Unicode text: JSON.stringify writes it as
 * an escape (\ud800) that PostgreSQL's jsonb refuses, so it is refused on both databases alike.
 */
const LONE_SURROGATE_MESSAGE = 'must be valid Unicode: it holds half of a UTF-16 surrogate pair';

/** Whether serialised JSON holds an escaped lone surrogate (JSON.stringify escapes only those). */
function jsonHasLoneSurrogate(json: string): boolean {
  return json.includes('\\ud') && /(?:^|[^\\])(?:\\\\)*\\ud[89a-f]/.test(json);
}

type UnicodeString = string & { isWellFormed(): boolean; toWellFormed(): string }; // ES2024, in Node 20

/**
 * Free text with half of a UTF-16 surrogate pair gets U+FFFD in its place, as an encoder to UTF-8
 * does: SQLite would otherwise store the half as bytes that read back as three U+FFFD, and
 * PostgreSQL's driver as one, so both store the one.
 */
export function wellFormed<T extends string | null | undefined>(value: T): T {
  return value == null || (value as UnicodeString).isWellFormed() ? value : ((value as UnicodeString).toWellFormed() as T);
}

export function checkKey(value: string, field: string): void {
  checkNoNul(value, field);
  // Identifiers are not repaired: two different broken ids must not become one.
  if (!(value as UnicodeString).isWellFormed()) throw new InvalidValue(`${field} ${LONE_SURROGATE_MESSAGE}`);
  if (value.length === 0) throw new InvalidValue(`${field} must not be empty`);
  if (value.length > MAX_KEY_LENGTH) throw new InvalidValue(`${field} is longer than ${MAX_KEY_LENGTH} characters`);
}

export function checkText(value: string | null | undefined, field: string, max: number): void {
  checkNoNul(value, field);
  if (value != null && value.length > max) throw new InvalidValue(`${field} is longer than ${max} characters`);
}

function checkNonNegative(value: number | null | undefined, field: string, max = Infinity): void {
  if (value != null && !(value >= 0)) throw new InvalidValue(`${field} must not be negative (got ${value})`);
  if (value != null && value > max) throw new InvalidValue(`${field} must be at most ${max} (got ${value})`);
}

export function checkTimestamp(value: Micros, field: string, nowUs: Micros): void {
  if (value < EARLIEST_TIMESTAMP_US || value > nowUs + MAX_CLOCK_AHEAD_US) {
    throw new InvalidValue(
      `${field} must be between 2000-01-01 and one day ahead of the server's clock`,
      'TIMESTAMP_OUT_OF_RANGE',
    );
  }
}

export function checkMetadata(value: unknown, field: string): value is Record<string, unknown> | null | undefined {
  if (value != null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new InvalidValue(`${field} must be a JSON object`);
  }
  return true;
}

/** Distinct tags in first-given order; throws on an invalid tag. */
export function normaliseTags(tags: readonly string[] | null | undefined, field: string): string[] {
  if (!tags) return [];
  const distinct = [...new Set(tags)];
  if (distinct.length > MAX_TAGS) throw new InvalidValue(`${field} has more than ${MAX_TAGS} tags`);
  for (const tag of distinct) {
    if (tag.length === 0) throw new InvalidValue(`${field} must not contain an empty tag`);
    checkText(tag, `${field} entry`, MAX_LABEL_LENGTH);
  }
  return distinct;
}

function utf8Bytes(text: string | null | undefined): number {
  return text == null ? 0 : Buffer.byteLength(text, 'utf8');
}

function serialise(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}

export function validateEvent(
  input: EventInput,
  index: number,
  nowUs: Micros,
  maxEventBytes: number,
): ValidEvent | IngestRejection {
  try {
    checkKey(input.id, 'id');
    checkKey(input.sessionKey, 'sessionKey');
    if (input.parentId != null) {
      checkKey(input.parentId, 'parentId');
      if (input.parentId === input.id) throw new InvalidValue('parentId must not be the event\'s own id');
    }
    checkText(input.name, 'name', MAX_EVENT_NAME_LENGTH);
    checkText(input.model, 'model', MAX_LABEL_LENGTH);
    checkText(input.errorType, 'errorType', MAX_LABEL_LENGTH);
    checkTimestamp(input.timestamp, 'timestamp', nowUs);
    checkNonNegative(input.durationMs, 'durationMs', MAX_DURATION_MS);
    checkNonNegative(input.promptTokens, 'promptTokens');
    checkNonNegative(input.completionTokens, 'completionTokens');
    checkNonNegative(input.costUsd, 'costUsd', MAX_COST_USD);
    checkMetadata(input.metadata, 'metadata');
    checkNoNul(input.errorMessage, 'errorMessage');
    const inputJson = serialise(input.input);
    const outputJson = serialise(input.output);
    const metadataJson = serialise(input.metadata);
    checkJsonNoNul(inputJson, 'input');
    checkJsonNoNul(outputJson, 'output');
    checkJsonNoNul(metadataJson, 'metadata');
    const parts = [inputJson, outputJson, metadataJson, input.errorMessage, input.name];
    // A UTF-16 code unit is at most 3 UTF-8 bytes: count bytes exactly only near the limit.
    const codeUnits = parts.reduce((sum, part) => sum + (part?.length ?? 0), 0);
    const size = codeUnits * 3 <= maxEventBytes ? codeUnits : parts.reduce((sum, part) => sum + utf8Bytes(part), 0);
    if (size > maxEventBytes) {
      throw new InvalidValue(`event is ${size} bytes, over the limit of ${maxEventBytes}`, 'EVENT_TOO_LARGE');
    }
    return {
      index,
      input,
      status: input.status ?? (input.type === 'ERROR' ? 'ERROR' : 'OK'),
      inputJson,
      outputJson,
      metadataJson,
    };
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    return { index, eventId: input.id || null, code: error.code, message: error.message };
  }
}
