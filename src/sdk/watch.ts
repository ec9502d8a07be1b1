/**
 * watchSession: a session's live timeline over graphql-ws, for dashboards and tests. It starts
 * from the session's high-water mark (or from `after`), remembers the cursor of every event it
 * delivers, and after a disconnect subscribes again from that cursor: no gap, no duplicate.
 */
import { createClient, type Client } from 'graphql-ws/client';
import WebSocket from 'ws';
import { SessionTimelineDocument, WatchSnapshotDocument } from './documents.js';
import { SightlineError } from './errors.js';
import type {
  SdkSessionTimelineSubscription, SdkWatchedEventFragment, SdkWatchedSessionFragment, SdkWatchSnapshotQuery,
} from './generated/graphql.js';
import { classify, fetchSender, graphqlUrl, nodeHttpSender, postGraphQL, type GraphQLErrorJson, type TransportOptions } from './transport.js';

/** What `onUpdate` receives: an event appended to the timeline, or the session's new state. */
export type TimelineUpdate = SdkSessionTimelineSubscription['sessionTimeline'];
export type WatchedEvent = SdkWatchedEventFragment;
export type WatchedSession = SdkWatchedSessionFragment;

export interface WatchOptions {
  /** The server's base URL or its GraphQL URL. Required. */
  endpoint: string;
  /** A READ or ADMIN API key of the project (an INGEST key cannot watch). Required. */
  apiKey: string;
  /**
   * Start after this cursor (a `Session.timelineCursor`, or the `cursor` of an EventAppended),
   * replaying everything ingested since.
   * @default none: from the moment the watch starts; everything, if the session does not exist yet
   */
  after?: string | null;
  /**
   * Told when the watch stops for good (WATCH_FAILED: a bad key or cursor) and when `onUpdate` throws.
   * @default a one-line `console.warn`
   */
  onError?: (error: SightlineError) => void;
  /**
   * Told each time the socket is connected and acknowledged (first time and after every reconnect).
   * @default none
   */
  onConnected?: () => void;
  /**
   * Reconnect delay: doubles from `initialDelayMs` up to `maxDelayMs`, with jitter.
   * @default { initialDelayMs: 250, maxDelayMs: 10_000 }
   */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /**
   * The WebSocket implementation.
   * @default the `ws` package
   */
  webSocketImpl?: unknown;
  /**
   * A fetch implementation for the snapshot queries.
   * @default none: node:http(s)
   */
  fetch?: typeof globalThis.fetch;
}

export interface SessionWatch {
  /** The cursor of the last event delivered: pass it as `after` to resume elsewhere. Null before any. */
  readonly cursor: string | null;
  /** Stops watching; resolves once the socket is closed. */
  close(): Promise<void>;
  /** Settles when the watch has stopped: after `close()`, or a permanent failure (reported to `onError`). */
  readonly done: Promise<void>;
}

/** Codes that no reconnect can fix. */
const FATAL_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND']);
/** graphql-ws close codes that no reconnect can fix: bad request, unauthorized, forbidden. */
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403]);
const CATCH_UP_PAGE = 500;

type Ended =
  | { kind: 'fatal'; message: string; serverCode?: string }
  | { kind: 'retry'; reason: string };

function codesOf(errors: readonly GraphQLErrorJson[]): string[] {
  return errors.map((error) => error.extensions?.code ?? 'UNKNOWN');
}

function fromErrors(errors: readonly GraphQLErrorJson[]): Ended {
  const codes = codesOf(errors);
  const fatal = codes.find((code) => FATAL_CODES.has(code));
  const message = errors.map((error) => error.message).join('; ');
  return fatal ? { kind: 'fatal', message, serverCode: fatal } : { kind: 'retry', reason: message };
}

/**
 * Watches the live timeline of the session with key `key`; `onUpdate` gets every event appended
 * (in ingest order) and every change of the session's state. Reconnects by itself.
 */
export function watchSession(key: string, onUpdate: (update: TimelineUpdate) => void, options: WatchOptions): SessionWatch {
  const url = graphqlUrl(options.endpoint);
  const http: TransportOptions = {
    send: options.fetch ? fetchSender(options.fetch, url, 30_000) : nodeHttpSender(url, 30_000),
    apiKey: options.apiKey,
    headers: {},
  };
  const wsUrl = url.replace(/^http/, 'ws');
  const initialDelayMs = options.retry?.initialDelayMs ?? 250;
  const maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
  const report = (error: SightlineError) => {
    try {
      (options.onError ?? ((e: SightlineError) => console.warn(`[sightline] ${e.code}: ${e.message}`)))(error);
    } catch {
      // A hook that throws must not stop the watch.
    }
  };

  let cursor: string | null = options.after ?? null;
  /** The session did not exist when the watch began: every event of it is wanted. */
  let fromStart = false;
  /** Keys a catch-up delivered; the subscription after it may carry some again. */
  let caughtUp: Set<string> | null = null;
  let closed = false;
  let client: Client | null = null;
  let wake: (() => void) | null = null;
  let endCurrent: ((ended: Ended) => void) | null = null;

  const deliver = (update: TimelineUpdate) => {
    try {
      onUpdate(update);
    } catch (error) {
      report(new SightlineError('INTERNAL', `onUpdate threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error, sessionKey: key }));
    }
  };

  /** Where to subscribe from when there is no cursor yet; null when it must wait and retry. */
  async function position(first: boolean): Promise<Ended | null> {
    const page = async (after: string | null) =>
      classify(
        await postGraphQL<SdkWatchSnapshotQuery>(
          http,
          JSON.stringify({ operationName: 'SdkWatchSnapshot', query: WatchSnapshotDocument.toString(), variables: { key, first: first ? 1 : CATCH_UP_PAGE, after } }),
        ),
      );
    let outcome = await page(null);
    if (outcome.kind === 'transient') return { kind: 'retry', reason: outcome.reason };
    if (outcome.kind !== 'ok') return { kind: 'fatal', message: outcome.reason, serverCode: outcome.code };
    const session = outcome.data.session;
    if (first) {
      // From now on: the session's high-water mark; or all of it once it comes to exist.
      if (session) cursor = session.timelineCursor;
      else fromStart = true;
      return null;
    }
    if (!session) return null;
    // It came to exist while we were disconnected, before we saw any of it: catch up by query,
    // then subscribe after the snapshot's high-water mark.
    const snapshotCursor = session.timelineCursor;
    caughtUp = new Set();
    for (;;) {
      const events = outcome.kind === 'ok' ? outcome.data.session?.events : undefined;
      for (const edge of events?.edges ?? []) {
        if (caughtUp.has(edge.node.key)) continue;
        caughtUp.add(edge.node.key);
        deliver({ __typename: 'EventAppended', cursor: snapshotCursor, event: edge.node });
      }
      if (!events?.pageInfo.hasNextPage || closed) break;
      outcome = await page(events.pageInfo.endCursor);
      if (outcome.kind !== 'ok') break; // the subscription from the snapshot cursor still covers the rest
    }
    cursor = snapshotCursor;
    return null;
  }

  function subscribeOnce(): Promise<Ended> {
    return new Promise<Ended>((resolve) => {
      let active = true;
      const end = (ended: Ended) => {
        if (!active) return;
        active = false;
        endCurrent = null;
        resolve(ended);
      };
      endCurrent = end;
      client = createClient({
        url: wsUrl,
        webSocketImpl: options.webSocketImpl ?? WebSocket,
        connectionParams: { authorization: `Bearer ${options.apiKey}` },
        lazy: true,
        retryAttempts: 0,
        on: {
          connected: () => {
            try {
              options.onConnected?.();
            } catch {
              // ignored, as for onError
            }
          },
        },
      });
      client.subscribe<SdkSessionTimelineSubscription>(
        { operationName: 'SdkSessionTimeline', query: SessionTimelineDocument.toString(), variables: { key, after: cursor } },
        {
          next: (result) => {
            if (!active) return;
            if (result.errors?.length) {
              end(fromErrors(result.errors as GraphQLErrorJson[]));
              return;
            }
            const update = result.data?.sessionTimeline;
            if (!update) return;
            if (update.__typename === 'EventAppended') {
              cursor = update.cursor;
              if (caughtUp?.has(update.event.key)) return;
            }
            deliver(update);
          },
          error: (error: unknown) => {
            if (Array.isArray(error)) return end(fromErrors(error as GraphQLErrorJson[]));
            const code = (error as { code?: unknown } | null)?.code;
            const reason = (error as { reason?: unknown } | null)?.reason;
            if (typeof code === 'number') {
              const message = `socket closed: ${code}${reason ? ` ${String(reason)}` : ''}`;
              return end(FATAL_CLOSE_CODES.has(code) ? { kind: 'fatal', message } : { kind: 'retry', reason: message });
            }
            end({ kind: 'retry', reason: error instanceof Error ? error.message : 'socket error' });
          },
          complete: () => end({ kind: 'retry', reason: 'subscription completed by the server' }),
        },
      );
    });
  }

  const done = (async () => {
    let attempt = 0;
    let first = true;
    while (!closed) {
      let ended: Ended | null = null;
      try {
        if (cursor === null && (first || fromStart)) ended = await position(first);
        first = ended === null ? false : first;
        if (ended === null && !closed) {
          const started = Date.now();
          ended = await subscribeOnce();
          const current = client as Client | null;
          client = null;
          await Promise.resolve(current?.dispose()).catch(() => {});
          // A subscription that lived a while was a success: start the backoff over.
          if (Date.now() - started > 5_000) attempt = 0;
        }
      } catch (error) {
        // Nothing here should throw; if something does, report it and try again later.
        report(new SightlineError('INTERNAL', `watch: ${error instanceof Error ? error.message : String(error)}`, { cause: error, sessionKey: key }));
        ended = { kind: 'retry', reason: 'internal error' };
      }
      if (closed || ended === null) continue;
      if (ended.kind === 'fatal') {
        report(new SightlineError('WATCH_FAILED', `watching session "${key}" failed: ${ended.message}`, { serverCode: ended.serverCode, sessionKey: key }));
        closed = true;
        break;
      }
      attempt++;
      const step = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt - 1, 30));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = null;
          resolve();
        }, step / 2 + (Math.random() * step) / 2);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      });
    }
  })();

  return {
    get cursor() {
      return cursor;
    },
    async close() {
      closed = true;
      wake?.();
      endCurrent?.({ kind: 'retry', reason: 'closed' });
      const current = client as Client | null;
      await Promise.resolve(current?.dispose()).catch(() => {});
      await done;
    },
    done,
  };
}
