/**
 * serialiseResult (src/lib/result-chunks.ts) against stringifyResult on the shapes a result can
 * take: chunks joined must be the very same JSON. The HTTP side (chunked answers of a real server)
 * is in payloads.test.ts and tree.test.ts; here are the corners no query produces today.
 */
import { describe, expect, it } from 'vitest';
import { RawJson, stringifyResult } from '../src/lib/raw-json.js';
import { serialiseResult } from '../src/lib/result-chunks.js';

const joined = (value: unknown) => {
  const out = serialiseResult(value);
  return typeof out === 'string' ? out : Buffer.concat(out).toString('utf8');
};

describe('serialiseResult', () => {
  it('leaves a small result as one string', () => {
    const value = { data: { list: [1, 2, 3], nested: { text: 'é 🧭' } } };
    expect(serialiseResult(value)).toBe(JSON.stringify(value));
  });

  it('writes long arrays in chunks that join to the same JSON, wherever they sit', () => {
    const event = (i: number) => ({
      id: `e${i}`,
      text: i % 7 === 0 ? '🧭 text outside the BMP, "quotes", \\ and \u2028' : 'plain',
      payload: new RawJson(JSON.stringify({ n: i, deep: [i, { s: 'é' }] })),
      absent: undefined,
      big: i % 50 === 0 ? 'x'.repeat(40_000) : null,
    });
    const value = {
      data: {
        numbers: Array.from({ length: 1000 }, (_, i) => i / 3),
        holes: Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? () => i : i)),
        sessions: [{ events: Array.from({ length: 600 }, (_, i) => event(i)) }, { events: [] }, , undefined],
        lists: Array.from({ length: 400 }, (_, i) => Array.from({ length: 300 }, (_, j) => i * j)),
        when: new Date(0),
        raw: new RawJson('{"stored":["as", "sent"]}'),
        // eslint-disable-next-line no-sparse-arrays
        sparse: [1, , 3],
        skipped: undefined,
      },
      errors: [{ message: 'm', path: ['a', 0] }],
    };
    const out = serialiseResult(value);
    expect(Array.isArray(out)).toBe(true);
    expect((out as Buffer[]).length).toBeGreaterThan(10);
    expect(joined(value)).toBe(stringifyResult(value));
    expect(JSON.parse(joined(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('a long array at the top, and of one item per slice', () => {
    const value = Array.from({ length: 300 }, (_, i) => ({ i, huge: 'y'.repeat(70_000) }));
    expect(joined(value)).toBe(JSON.stringify(value));
  });
});
