/**
 * Bounds on filter arguments, checked where the schema parses them, before any service builds a
 * query. A filter's lists travel in variables, which the document limits (use-cost-limits) do
 * not see: unchecked, 40,000 tags become 40,000 bound parameters, past SQLite's 32,766 and
 * PostgreSQL's 65,535, and a multi-megabyte search becomes a LIKE pattern SQLite refuses; both
 * surfaced as internal errors. Refusals here are BAD_USER_INPUT naming the argument.
 */
import { UserInputError } from './user-input-error.js';
import { MAX_KEY_LENGTH, MAX_NAME_LENGTH } from '../services/ingest/limits.js';

/** Values one filter list may hold, each a bound parameter; no screen filters by more than a handful. */
export const MAX_FILTER_VALUES = 100;
/**
 * `tagsAll` and `metadata` entries together: each is a subquery of its own, and PostgreSQL plans
 * the sessions list's Prisma query in time that grows faster than their number (30 took 2 s
 * here, 50 took 9 s; 10 take 0.2 s).
 */
export const MAX_FILTER_CONDITIONS = 10;
/** What search matches is a session's name and key (see sessionSearchText): a longer term can match nothing. */
export const MAX_SEARCH_LENGTH = MAX_NAME_LENGTH + 1 + MAX_KEY_LENGTH;
/**
 * Duration bounds are clamped to this: far beyond any session (timestamps run from 2000 to a
 * day ahead), and small enough that its microseconds stay an exact double and fit a BigInt
 * column. A bound past it (1e308, say) selects what the clamped one selects.
 */
export const DURATION_BOUND_MS = 9e12;

/** Nothing stored holds U+0000 (ingest refuses it) and PostgreSQL cannot even compare it. */
function checkText(value: string | null | undefined, argument: string): void {
  if (value != null && value.includes('\0')) throw new UserInputError(`${argument} must not contain the character U+0000`);
}

function checkList(values: readonly unknown[] | null | undefined, argument: string): void {
  if (values != null && values.length > MAX_FILTER_VALUES) {
    throw new UserInputError(`${argument} has ${values.length} values, more than the ${MAX_FILTER_VALUES} a filter list may hold`);
  }
  for (const [index, value] of (values ?? []).entries()) {
    if (typeof value === 'string') checkText(value, `${argument}[${index}]`);
  }
}

const clampDuration = (value: number | null | undefined) =>
  value == null ? value : Math.max(-DURATION_BOUND_MS, Math.min(DURATION_BOUND_MS, value));

export interface SessionFilterArgument {
  status?: readonly string[] | null;
  agentNames?: readonly string[] | null;
  tagsAll?: readonly string[] | null;
  tagsAny?: readonly string[] | null;
  metadata?: readonly { key: string; equals?: unknown }[] | null;
  search?: string | null;
  minDurationMs?: number | null;
  maxDurationMs?: number | null;
  model?: string | null;
}

/** The filter with its duration bounds clamped; throws UserInputError when it asks too much. */
export function checkSessionFilter<F extends SessionFilterArgument>(filter: F | null | undefined, argument = 'filter'): F | null | undefined {
  if (!filter) return filter;
  checkList(filter.status, `${argument}.status`);
  checkList(filter.agentNames, `${argument}.agentNames`);
  checkList(filter.tagsAll, `${argument}.tagsAll`);
  checkList(filter.tagsAny, `${argument}.tagsAny`);
  checkList(filter.metadata, `${argument}.metadata`);
  const conditions = (filter.tagsAll?.length ?? 0) + (filter.metadata?.length ?? 0);
  if (conditions > MAX_FILTER_CONDITIONS) {
    throw new UserInputError(
      `${argument}.tagsAll and ${argument}.metadata have ${conditions} entries together, more than the ${MAX_FILTER_CONDITIONS} a filter may hold (tagsAny takes up to ${MAX_FILTER_VALUES})`,
    );
  }
  for (const [index, entry] of (filter.metadata ?? []).entries()) checkText(entry.key, `${argument}.metadata[${index}].key`);
  checkText(filter.search, `${argument}.search`);
  if (filter.search != null && filter.search.length > MAX_SEARCH_LENGTH) {
    throw new UserInputError(`${argument}.search is longer than ${MAX_SEARCH_LENGTH} characters, longer than any session's name and key`);
  }
  checkText(filter.model, `${argument}.model`);
  return { ...filter, minDurationMs: clampDuration(filter.minDurationMs), maxDurationMs: clampDuration(filter.maxDurationMs) };
}

export interface EventFilterArgument {
  types?: readonly string[] | null;
  names?: readonly string[] | null;
}

export function checkEventFilter<F extends EventFilterArgument>(filter: F | null | undefined, argument = 'filter'): F | null | undefined {
  if (!filter) return filter;
  checkList(filter.types, `${argument}.types`);
  checkList(filter.names, `${argument}.names`);
  return filter;
}

/** A session key to look up: one holding U+0000 cannot exist, and PostgreSQL would fail on it. */
export function isStorableKey(key: string): boolean {
  return !key.includes('\0');
}
