/**
 * Opaque pagination cursors: a kind and a tuple of sort values, base64url-encoded JSON. The kind
 * keeps a cursor of one list from being replayed against another; decoding validates the shape.
 */
import { UserInputError } from './user-input-error.js';

export type CursorValue = number | string | null;

export function encodeCursor(kind: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
}

/** The values of a cursor of `kind` with `arity` values; BAD_USER_INPUT naming `argument` otherwise. */
export function decodeCursor(kind: string, cursor: string, arity: number, argument: string): CursorValue[] {
  let parsed: unknown;
  try {
    parsed = cursor.length <= 1000 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== kind ||
    parsed.length !== arity + 1 ||
    !parsed.slice(1).every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  ) {
    throw new UserInputError(`${argument} is not a cursor of this list`);
  }
  return parsed.slice(1) as CursorValue[];
}

/** What a cursor position may hold; anything else is BAD_USER_INPUT, never a query. */
export type CursorValueKind = 'int' | 'int32' | 'float' | 'nullable-int' | 'nullable-float';

const kindCheck: Record<CursorValueKind, (value: CursorValue) => boolean> = {
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  int32: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2_147_483_647,
  float: (v) => typeof v === 'number' && Number.isFinite(v),
  'nullable-int': (v) => v === null || (typeof v === 'number' && Number.isSafeInteger(v)),
  'nullable-float': (v) => v === null || (typeof v === 'number' && Number.isFinite(v)),
};

/** decodeCursor, with each value checked to be of the kind the list sorts by. */
export function decodeTypedCursor(kind: string, cursor: string, kinds: CursorValueKind[], argument: string): CursorValue[] {
  const values = decodeCursor(kind, cursor, kinds.length, argument);
  if (!values.every((value, i) => kindCheck[kinds[i]!](value))) throw new UserInputError(`${argument} is not a cursor of this list`);
  return values;
}
