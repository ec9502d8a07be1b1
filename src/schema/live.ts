/** Live: sessionTimeline and sessionsFeed over graphql-ws, and the types they deliver. */
import { builder } from '../builder.js';
import { callerOf, type Context } from '../context.js';
import { apiError, badInput, notFound, unauthenticated } from '../errors.js';
import type { Session } from '../generated/sqlite/client.js';
import { decodeTypedCursor } from '../lib/cursor.js';
import { checkSessionFilter, isStorableKey } from '../lib/filter-limits.js';
import { decodeGlobalIdOf } from '../lib/global-id.js';
import { UserInputError } from '../lib/user-input-error.js';
import { watchSessions } from '../services/live/watch-sessions.js';
import { watchTimeline, type TimelineUpdate } from '../services/live/watch-timeline.js';
import { sessionById, sessionByKey } from '../services/read/sessions.js';
import { MAX_KEY_LENGTH } from '../services/ingest/limits.js';
import { Wakeup } from '../services/live/wakeup.js';
import { asGraphQLError } from './errors.js';
import { EventObject } from './event.js';
import { SessionFilterInput, SessionObject } from './session.js';

const EventAppended = builder.objectRef<Extract<TimelineUpdate, { kind: 'event' }>>('EventAppended').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: "Position in the session's ingest order; pass as `after` to resume." }),
    event: t.field({ type: EventObject, resolve: (update) => update.event }),
  }),
});

const SessionChanged = builder.objectRef<{ kind: 'session'; session: Session }>('SessionChanged').implement({
  fields: (t) => ({
    session: t.field({ type: SessionObject, resolve: (update) => update.session }),
  }),
});

const TimelineUpdateUnion = builder.unionType('TimelineUpdate', {
  types: [EventAppended, SessionChanged],
  resolveType: (update) => (update.kind === 'event' ? EventAppended : SessionChanged),
});

/** How often a watcher re-checks that its key still stands, besides hearing revocations on the bus. */
const KEY_RECHECK_MS = 30_000;

/**
 * Ends a watcher when its API key is revoked (UNAUTHENTICATED) or when live updates from other
 * instances stop (Redis lost): the client resubscribes with its last cursor and misses nothing.
 */
function guard(context: Context, wakeup: Wakeup): () => Promise<void> {
  const { live, authenticator } = context.services;
  const apiKeyId = callerOf(context).apiKey.id;
  const revoke = () => wakeup.fail(unauthenticated('the API key was revoked'));
  const revocations = live.subscribe('revoked', String(apiKeyId));
  const listening = (async () => {
    for await (const _ of revocations) revoke();
  })();
  const recheck = setInterval(() => {
    authenticator.isStillValid(apiKeyId).then((valid) => valid || revoke(), () => {});
  }, KEY_RECHECK_MS);
  const stopDegraded = live.onDegraded((reason) =>
    wakeup.fail(apiError('INTERNAL_SERVER_ERROR', reason, { reason: 'LIVE_FANOUT_INTERRUPTED' })),
  );
  return async () => {
    clearInterval(recheck);
    stopDegraded();
    await revocations.return?.();
    await listening;
  };
}

/**
 * The iterator a subscription hands graphql-ws. Its return() (the client left, or completed)
 * cancels the watcher's wait first, so the watcher and its listeners end at once rather than at
 * a next event that may never come.
 */
function guarded<T>(context: Context, watch: (wakeup: Wakeup) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  const wakeup = new Wakeup();
  const dispose = guard(context, wakeup);
  const inner = watch(wakeup);
  let disposed: Promise<void> | null = null;
  const finish = () => (disposed ??= dispose());
  return {
    async next() {
      try {
        const step = await inner.next();
        if (step.done) await finish();
        return step;
      } catch (error) {
        await finish();
        if (error instanceof UserInputError) throw apiError(error.code, error.message);
        throw error;
      }
    },
    async return() {
      wakeup.cancel();
      await inner.return(undefined);
      await finish();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      wakeup.cancel();
      await inner.return(undefined);
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** The session key a timeline subscription names, and the sequence its `after` cursor points at. */
async function timelineTarget(context: Context, args: { id?: string | null; key?: string | null; after?: string | null }) {
  if ((args.id == null) === (args.key == null)) throw badInput('give exactly one of id and key');
  const projectId = callerOf(context).project.id;
  const { db } = context.services;
  let session: { id: number; key: string } | null = null;
  if (args.id != null) {
    const sessionId = decodeGlobalIdOf('Session', args.id);
    session = sessionId === null ? null : await sessionById(db, projectId, sessionId);
    if (!session) throw notFound('no session with that id in this project');
  } else {
    if (args.key!.length === 0) throw badInput('key must not be empty');
    if (!isStorableKey(args.key!)) throw badInput('key must not contain the character U+0000');
    // No session can have a longer key (ingest refuses it), and a subscription holds its key while it runs.
    if (args.key!.length > MAX_KEY_LENGTH) throw badInput(`key is longer than ${MAX_KEY_LENGTH} characters, longer than any session key`);
    session = await sessionByKey(db, projectId, args.key!);
  }
  let afterSeq: number | null = null;
  if (args.after != null) {
    const [sessionId, seq] = decodeTypedCursor('ingest', args.after, ['int32', 'int32'], 'after');
    if (sessionId !== session?.id) throw badInput('after is not a cursor of this session\'s timeline');
    afterSeq = seq as number;
  }
  return { projectId, sessionKey: session?.key ?? args.key!, afterSeq };
}

builder.subscriptionType({});

builder.subscriptionField('sessionTimeline', (t) =>
  t.field({
    type: TimelineUpdateUnion,
    description:
      'Live timeline of one session, by global id or key (a key may name a session that does not\nexist yet). Without `after`: what is ingested from now on. With `after` (a timelineCursor or\nan EventAppended cursor): first every event ingested after it, then live ones, with no gap and\nno duplicate. Events come in ingest order; SessionChanged follows status and counter changes.',
    authScopes: { read: true },
    args: { id: t.arg.id(), key: t.arg.string(), after: t.arg.string() },
    subscribe: async (_root, args, context) => {
      const target = await asGraphQLError(() => timelineTarget(context, args));
      return guarded(context, (wakeup) => watchTimeline(context.services.db, context.services.live, target, wakeup));
    },
    resolve: (update: TimelineUpdate) => update,
  }),
);

builder.subscriptionField('sessionsFeed', (t) =>
  t.field({
    type: SessionChanged,
    description:
      'Live session list: a SessionChanged whenever a session matching the filter starts, ends, or\nchanges its counters (coalesced to at most a few per second per session).',
    authScopes: { read: true },
    args: { filter: t.arg({ type: SessionFilterInput }) },
    subscribe: async (_root, args, context) => {
      const filter = await asGraphQLError(async () => checkSessionFilter(args.filter));
      const request = { projectId: callerOf(context).project.id, filter };
      return guarded(context, async function* (wakeup) {
        for await (const session of watchSessions(context.services.db.prisma, context.services.live, request, wakeup)) {
          yield { kind: 'session' as const, session };
        }
      });
    },
    resolve: (update: { kind: 'session'; session: Session }) => update,
  }),
);
