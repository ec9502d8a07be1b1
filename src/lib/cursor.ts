/**
 * Opaque pagination cursors: a kind and a tuple of sort values, base64url-encoded JSON. The kind
 * keeps a cursor of one list from being replayed against another; decoding validates the shape.
 */
import { UserInputError } from '../errors.js';

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
