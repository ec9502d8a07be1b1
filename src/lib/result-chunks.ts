/**
 * Large results written as a list of modest byte chunks instead of one string. JSON.stringify
 * builds a large result as a rope of small parts; sending it as a string flattens that rope into
 * one new string (Content-Length needs its byte length), then encodes that into one new buffer
 * for the socket. For a 10,000-event tree (2.4 MB) that is two fresh 2.4 MB allocations, about
 * 1,200 page faults per request, and on a virtual machine, where a fresh page costs over 10 µs,
 * about a fifth of the request. Chunks of a few tens of kilobytes reuse memory the process
 * already holds.
 *
 * Only the arrays that make a result large are cut: a bounded search finds arrays longer than
 * LONG_ARRAY, and each is written a slice at a time (stringifyResult, so stored JSON is still
 * written as its own text). The rest of the result is written as JSON.stringify would.
 */
import { stringifyResult } from './raw-json.js';

/** An array longer than this is written in slices. */
const LONG_ARRAY = 256;

/** At most this many objects and arrays are visited to find long arrays; past it, subtrees are written whole. */
const SEARCH_BUDGET = 2_000;

/** Characters per slice aimed at: the items per slice follow the size of the items written so far. */
const SLICE_CHARS = 32 * 1024;

/** Smaller pieces are gathered until they reach this many characters, then encoded. */
const CHUNK_CHARS = 32 * 1024;

type Container = Record<string, unknown> | unknown[];

/** Plain objects and arrays: what a GraphQL result is made of, as opposed to values with toJSON (RawJson). */
function isContainer(value: unknown): value is Container {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * The containers on the way to a long array (the long arrays included), or null when the search
 * found none: then the result is small, or its size is spread thin and one string serves as well.
 */
function pathsToLongArrays(root: unknown): Set<Container> | null {
  const onPath = new Set<Container>();
  let budget = SEARCH_BUDGET;
  const visit = (value: unknown): boolean => {
    if (!isContainer(value) || budget-- <= 0) return false;
    if (Array.isArray(value) && value.length > LONG_ARRAY) {
      onPath.add(value);
      return true;
    }
    let found = false;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (visit(child)) found = true;
    }
    if (found) onPath.add(value);
    return found;
  };
  return visit(root) ? onPath : null;
}

/**
 * `value` as JSON: a string when it is small, else UTF-8 chunks that joined are that same JSON
 * (stringifyResult's, RawJson texts included).
 */
export function serialiseResult(value: unknown): string | Buffer[] {
  const paths = pathsToLongArrays(value);
  if (paths === null) return stringifyResult(value);

  const chunks: Buffer[] = [];
  let pending = '';
  const flush = () => {
    if (pending.length > 0) chunks.push(Buffer.from(pending, 'utf8'));
    pending = '';
  };
  const emit = (text: string) => {
    pending += text;
    if (pending.length >= CHUNK_CHARS) flush();
  };
  /**
   * A slice's JSON as a chunk of its own (it is about SLICE_CHARS already): its closing bracket
   * cut off, and its opening one too, or made the comma after the slice before it.
   */
  const emitSlice = (items: unknown[], afterAnother: boolean): number => {
    const json = stringifyResult(items);
    flush();
    const bytes = Buffer.from(json, 'utf8');
    if (afterAnother) bytes[0] = 0x2c; // ','
    chunks.push(bytes.subarray(afterAnother ? 0 : 1, -1));
    return json.length;
  };

  const write = (item: unknown): void => {
    if (!isContainer(item) || !paths.has(item)) {
      // As JSON.stringify writes a value it cannot serialise inside an array.
      emit(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : stringifyResult(item));
      return;
    }
    if (Array.isArray(item)) {
      emit('[');
      if (item.length > LONG_ARRAY) {
        let perSlice = 64;
        for (let start = 0; start < item.length; ) {
          const slice = item.slice(start, start + perSlice);
          const chars = emitSlice(slice, start > 0);
          start += slice.length;
          perSlice = Math.max(1, Math.min(1024, Math.round((slice.length * SLICE_CHARS) / Math.max(chars, 1))));
        }
      } else {
        // A loop, not forEach, which would skip an array's holes (JSON.stringify writes null).
        for (let index = 0; index < item.length; index++) {
          if (index > 0) emit(',');
          write(item[index]);
        }
      }
      emit(']');
      return;
    }
    emit('{');
    let first = true;
    for (const [key, child] of Object.entries(item)) {
      // JSON.stringify leaves these keys out.
      if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
      emit(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      write(child);
    }
    emit('}');
  };

  write(value);
  flush();
  return chunks;
}
