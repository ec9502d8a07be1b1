/**
 * One execution and one JSON serialisation per published item, however many watchers receive it.
 *
 * graphql-js runs a subscription's selection once per item per subscriber, and graphql-ws then
 * stringifies each result per socket. When several watchers of one session are woken by the same
 * write, they receive the very same Event (or Session) object from the shared timeline reader
 * (services/live/timeline-reader.ts). A payload that names such an object in its `share` field
 * is executed once per distinct (operation, variables), and the result is stringified once:
 *
 * - `useSharedSubscriptionResults()` (an envelop plugin) replaces `subscribe`: the source stream
 *   comes from graphql-js' createSourceEventStream as before, and each item's result is looked up
 *   in a cache keyed weakly by the shared object, so it lives exactly as long as the item.
 * - `sharedResultOnNext` (graphql-ws `onNext`) hands graphql-ws the cached result object itself
 *   (it would otherwise copy it), `sharedPayloadReplacer` (graphql-ws `jsonMessageReplacer`)
 *   stands a placeholder in for it, and `spliceSharedPayload` (on the socket's send) puts the
 *   cached JSON in the placeholder's place. graphql-ws stringifies a message and sends it in one
 *   synchronous step, so the JSON that the replacer picks is the one that send splices.
 *
 * Each item is executed by graphql-jit, as queries and mutations are (app.ts): the subscription's
 * operation is compiled once and its `query` run with the item as root value, which is what
 * graphql-js' subscribe does per item. At a thousand watchers graphql-js' per-item execution was
 * a tenth of the server's CPU. (Only the per-item mapping: the source stream stays graphql-js'
 * own, since graphql-jit's subscribe loses the subscription field's arguments.)
 *
 * Results hold no per-watcher data: every field of an event or session resolves the same for
 * every caller allowed to watch it (one project, READ or ADMIN), and the cache key includes the
 * operation and its variables.
 */
import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { stringifyResult } from '../lib/raw-json.js';

/** A published item whose result may be shared: `share` is the object common to all watchers. */
export interface ShareableItem {
  share?: object;
}

interface SharedResult {
  result: ExecutionResult | Promise<ExecutionResult>;
  json?: string;
}

/** shared object -> operation key -> result; entries go when the shared object does. */
const resultsByItem = new WeakMap<object, Map<string, SharedResult>>();
/** Results produced through the cache, and their serialised form once computed. */
const sharedResults = new WeakMap<object, SharedResult>();
const printedDocuments = new WeakMap<DocumentNode, string>();

function operationKey(args: ExecutionArgs): string {
  let printed = printedDocuments.get(args.document);
  if (printed === undefined) printedDocuments.set(args.document, (printed = print(args.document)));
  return `${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${printed}`;
}

/** document -> operation name -> its compiled form (or null: graphql-jit could not compile it). */
const compiledOperations = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();

/** Runs the operation's selection on one item, as graphql-js' subscribe does per item. */
function executeItem(args: ExecutionArgs, item: unknown): ExecutionResult | Promise<ExecutionResult> {
  let byName = compiledOperations.get(args.document);
  if (!byName) compiledOperations.set(args.document, (byName = new Map()));
  const name = args.operationName ?? '';
  let compiled = byName.get(name);
  if (compiled === undefined) {
    const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
    byName.set(name, (compiled = isCompiledQuery(result) ? result : null));
  }
  if (!compiled) return execute({ ...args, rootValue: item });
  return compiled.query(item, args.contextValue, args.variableValues ?? {}) as ExecutionResult | Promise<ExecutionResult>;
}

function resultFor(args: ExecutionArgs, key: string, item: unknown): ExecutionResult | Promise<ExecutionResult> {
  const share = typeof item === 'object' && item !== null ? (item as ShareableItem).share : undefined;
  if (!share) return executeItem(args, item);
  let byOperation = resultsByItem.get(share);
  if (!byOperation) resultsByItem.set(share, (byOperation = new Map()));
  let shared = byOperation.get(key);
  if (!shared) {
    const entry: SharedResult = { result: executeItem(args, item) };
    entry.result = Promise.resolve(entry.result).then((result) => {
      sharedResults.set(result, entry);
      return result;
    });
    byOperation.set(key, (shared = entry));
  }
  return shared.result;
}

/** Maps a stream item by item, passing return() and throw() through so the source is closed. */
function mapStream<T, U>(source: AsyncIterable<T>, map: (item: T) => U | Promise<U>): AsyncIterableIterator<U> {
  const iterator = source[Symbol.asyncIterator]();
  return {
    async next() {
      const step = await iterator.next();
      return step.done ? { done: true, value: undefined } : { done: false, value: await map(step.value) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      if (iterator.throw) await iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export function useSharedSubscriptionResults(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in source)) return source; // the subscription could not start: its errors
        const key = operationKey(args);
        return mapStream(source as AsyncIterable<unknown>, (item) => resultFor(args, key, item));
      });
    },
  };
}

/** graphql-ws `onNext`: a shared result is sent as is, not as graphql-ws' per-socket copy. */
export function sharedResultOnNext(result: ExecutionResult): ExecutionResult | undefined {
  return sharedResults.has(result) ? result : undefined;
}

const PLACEHOLDER = '\u0000sightline-shared-payload';
/** How the placeholder looks inside a serialised message. */
const SERIALISED_PLACEHOLDER = JSON.stringify(PLACEHOLDER);
/** The JSON to splice into the message being serialised right now (see the header). */
let pendingJson: string | null = null;

/** graphql-ws `jsonMessageReplacer`: a shared payload is serialised once, then reused. */
export function sharedPayloadReplacer(key: string, value: unknown): unknown {
  if (key !== 'payload' || typeof value !== 'object' || value === null) return value;
  const shared = sharedResults.get(value);
  if (!shared) return value;
  // Stored payloads go in as their own text (lib/raw-json.ts).
  pendingJson = shared.json ??= stringifyResult(value);
  return PLACEHOLDER;
}

/** On the socket's send: the message with the shared payload's JSON in the placeholder's place. */
export function spliceSharedPayload(data: unknown): unknown {
  if (pendingJson === null || typeof data !== 'string') return data;
  const json = pendingJson;
  pendingJson = null;
  // The payload is the message's last field, and a client-chosen id cannot hold an unescaped quote.
  const at = data.lastIndexOf(SERIALISED_PLACEHOLDER);
  return at < 0 ? data : data.slice(0, at) + json + data.slice(at + SERIALISED_PLACEHOLDER.length);
}
