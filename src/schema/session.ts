/** Sessions: the type, its timeline, the list and lookup queries, start and end. */
import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { builder } from '../builder.js';
import { callerOf, type Context } from '../context.js';
import { badInput, notFound } from '../errors.js';
import type { Event, Session } from '../generated/sqlite/client.js';
import { encodeCursor } from '../lib/cursor.js';
import { checkEventFilter, checkSessionFilter, isStorableKey } from '../lib/filter-limits.js';
import { decodeGlobalIdOf, encodeGlobalId } from '../lib/global-id.js';
import { MICROS_PER_MS } from '../lib/micros.js';
import { endSession, startSession } from '../services/ingest/index.js';
import { announceSessions } from '../services/live/bus.js';
import type { Page } from '../services/read/pagination.js';
import { listSessions, sessionById, sessionByKey } from '../services/read/sessions.js';
import { listTimeline, TIMELINE_PAGE_DEFAULT, TIMELINE_PAGE_MAX } from '../services/read/timeline.js';
import { loadTree } from '../services/read/tree.js';
import { AgentObject } from './agent.js';
import { asGraphQLError } from './errors.js';
import { EventConnection, EventFilterInput, EventObject } from './event.js';
import { NodeInterface, PageInfo } from './node.js';

export const SessionStatusEnum = builder.enumType('SessionStatus', {
  values: {
    RUNNING: {},
    SUCCEEDED: {},
    FAILED: {},
    CANCELLED: {},
    TIMED_OUT: { description: 'Closed by the server after the idle timeout with no event (24 h unless configured).' },
  },
});

/** The high-water mark of a session's ingest order, as sessionTimeline's `after` takes it. */
export function sessionTimelineCursor(session: Pick<Session, 'id' | 'seq'>): string {
  return encodeCursor('ingest', [session.id, session.seq]);
}

const MAX_INT = 2_147_483_647;
const saturatedInt = (value: number) => Math.max(-MAX_INT - 1, Math.min(MAX_INT, value));
const finiteFloat = (value: number) => (Number.isFinite(value) ? value : value > 0 ? Number.MAX_VALUE : value < 0 ? -Number.MAX_VALUE : 0);

const TreeNodeObject = builder.objectRef<{ event: Event; depth: number; parentId: string | null }>('TreeNode').implement({
  fields: (t) => ({
    event: t.field({ type: EventObject, resolve: (node) => node.event }),
    depth: t.exposeInt('depth'),
    parentId: t.exposeID('parentId', { nullable: true, description: 'Global id of the parent event; null for a root.' }),
  }),
});

/**
 * Whether the field being resolved selects, under its sub-field `child`, any of `names` (through
 * fragments too).
 */
function selectsAny(info: GraphQLResolveInfo, child: string, names: string[]): boolean {
  const wanted = new Set(names);
  const visit = (selections: readonly SelectionNode[] | undefined, inChild: boolean): boolean =>
    (selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) {
        if (inChild) return wanted.has(selection.name.value);
        return selection.name.value === child && visit(selection.selectionSet?.selections, true);
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet.selections, inChild);
      return visit(info.fragments[selection.name.value]?.selectionSet.selections, inChild);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet?.selections, false));
}

export const SessionObject = builder.prismaObject('Session', {
  interfaces: [NodeInterface],
  description:
    'One run of an agent, or one ongoing conversation: all the events sent under one client-chosen\nkey. Counters and durations are kept current as events arrive.',
  fields: (t) => ({
    id: t.id({ resolve: (session) => encodeGlobalId('Session', session.id) }),
    key: t.exposeString('key', {
      description: 'Client-chosen key (a conversation id, a phone number, a run id), unique within the project.',
    }),
    name: t.exposeString('name', { nullable: true }),
    // A loader rather than Pothos' relation: a list's rows come from listSessions, not from a
    // Prisma query Pothos could add the relation to, and its fallback read the page's sessions
    // again before their agents.
    agent: t.field({
      type: AgentObject,
      nullable: true,
      resolve: (session, _args, context) => (session.agentId === null ? null : context.loaders.agentById.load(session.agentId)),
    }),
    status: t.expose('status', { type: SessionStatusEnum }),
    tags: t.stringList({ resolve: (session) => session.tags as string[] }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
    startedAt: t.expose('startedAtUs', { type: 'DateTime' }),
    endedAt: t.expose('endedAtUs', { type: 'DateTime', nullable: true }),
    lastEventAt: t.expose('lastEventAtUs', { type: 'DateTime', nullable: true }),
    durationMs: t.float({
      nullable: true,
      description: 'endedAt (or lastEventAt while running) minus startedAt.',
      resolve: (session) => {
        const end = session.endedAtUs ?? session.lastEventAtUs;
        return end === null ? null : Number(end - session.startedAtUs) / MICROS_PER_MS;
      },
    }),
    eventCount: t.exposeInt('eventCount'),
    errorCount: t.exposeInt('errorCount'),
    // Sums of what clients sent: one hostile batch (tokens near 2^31, costs near 1e308) can push
    // them past what Int and Float serialise, and a session that fails to serialise breaks every
    // list it appears in. Saturated here, so a read never fails because of a write.
    promptTokens: t.int({ resolve: (session) => saturatedInt(session.promptTokens) }),
    completionTokens: t.int({ resolve: (session) => saturatedInt(session.completionTokens) }),
    costUsd: t.float({ resolve: (session) => finiteFloat(session.costUsd) }),
    events: t.field({
      type: EventConnection,
      description:
        'The timeline: events in chronological order (timestamp, then the order in which the client\nsent them). Forward and backward pagination.',
      authScopes: { read: true },
      args: {
        filter: t.arg({ type: EventFilterInput }),
        first: t.arg.int(),
        after: t.arg.string(),
        last: t.arg.int(),
        before: t.arg.string(),
      },
      resolve: (session, { filter: filterArgument, ...page }, context) =>
        asGraphQLError(async () => {
          const filter = checkEventFilter(filterArgument);
          // The first page with no cursor is what lists ask of every row: batched across them.
          const plainFirstPage = page.after == null && page.before == null && page.last == null;
          const first = page.first ?? TIMELINE_PAGE_DEFAULT;
          if (plainFirstPage && Number.isInteger(first) && first >= 0 && first <= TIMELINE_PAGE_MAX) {
            return context.loaders.firstEvents.load({ sessionId: session.id, first, filter });
          }
          return listTimeline(context.services.db, session.id, filter, page);
        }),
    }),
    tree: t.field({
      type: [TreeNodeObject],
      description:
        'Every event of the session in depth-first order (parents before children, siblings in\ntimeline order), each with its depth. Events whose parent is unknown are roots.',
      authScopes: { read: true },
      resolve: async (session, _args, context, info) => {
        // The JSON payloads are most of a row: read them only when the query asks for them.
        const payloads = selectsAny(info, 'event', ['input', 'output', 'metadata']);
        const { events, order, depth, parent } = await loadTree(context.services.db, session.id, { payloads });
        // Each parent's global id is encoded once, however many children it has.
        const globalIds = new Array<string | undefined>(events.length);
        const nodes = new Array<{ event: Event; depth: number; parentId: string | null }>(order.length);
        for (let i = 0; i < order.length; i++) {
          const at = order[i]!;
          const from = parent[at]!;
          const parentId = from === -1 ? null : (globalIds[from] ??= encodeGlobalId('Event', events[from]!.id));
          nodes[i] = { event: events[at]!, depth: depth[at]!, parentId };
        }
        return nodes;
      },
    }),
    timelineCursor: t.string({
      description:
        'High-water mark of what has been ingested for this session, read in the same snapshot as the\nrest of the response. Pass it as `after` to sessionTimeline to receive everything ingested\nsince, with no gap and no duplicate.',
      resolve: (session) => sessionTimelineCursor(session),
    }),
  }),
});

const SessionEdge = builder.objectRef<Page<Session>['items'][number]>('SessionEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: SessionObject, resolve: (edge) => edge.node }),
  }),
});

const SessionConnection = builder.objectRef<Page<Session>>('SessionConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [SessionEdge], resolve: (page) => page.items }),
    pageInfo: t.field({
      type: PageInfo,
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.items[0]?.cursor ?? null,
        endCursor: page.items.at(-1)?.cursor ?? null,
      }),
    }),
    totalCount: t.exposeInt('totalCount'),
  }),
});

/**
 * What exactly one of a global id and a key names: a key, or a session id; null when it can name
 * no session of ours.
 */
function sessionReference(id: string | null | undefined, key: string | null | undefined): { key: string } | { id: number } | null {
  if ((id == null) === (key == null)) throw badInput('give exactly one of id and key');
  // No session key holds U+0000 (ingest refuses it), and PostgreSQL cannot even look one up.
  if (key != null) return isStorableKey(key) ? { key } : null;
  const sessionId = decodeGlobalIdOf('Session', id!);
  return sessionId === null ? null : { id: sessionId };
}

/** The key of the session named by exactly one of a global id and a key, or null if it is not ours. */
async function resolveSessionKey(context: Context, id: string | null | undefined, key: string | null | undefined): Promise<string | null> {
  const reference = sessionReference(id, key);
  if (reference === null || 'key' in reference) return reference?.key ?? null;
  return (await sessionById(context.services.db, callerOf(context).project.id, reference.id))?.key ?? null;
}

builder.queryField('session', (t) =>
  t.prismaField({
    type: 'Session',
    nullable: true,
    description: 'By global id or by key; exactly one of the two.',
    authScopes: { read: true },
    args: { id: t.arg.id(), key: t.arg.string() },
    // Through the bare driver (sessionByKey / sessionById): Session has no relation a query could
    // include, and Prisma's statement cost more than the lookup on a dashboard's commonest read.
    resolve: async (_query, _root, { id, key }, context) => {
      const reference = sessionReference(id, key);
      if (reference === null) return null;
      const { db } = context.services;
      const projectId = callerOf(context).project.id;
      return 'key' in reference ? sessionByKey(db, projectId, reference.key) : sessionById(db, projectId, reference.id);
    },
  }),
);

const MetadataFilter = builder.inputType('MetadataFilter', {
  description: 'A top-level metadata key whose value equals the given JSON scalar (string, number, boolean).',
  fields: (t) => ({
    key: t.string({ required: true }),
    equals: t.field({ type: 'JSON', required: true }),
  }),
});

export const SessionFilterInput = builder.inputType('SessionFilter', {
  description: 'All given conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: [SessionStatusEnum] }),
    agentNames: t.stringList(),
    tagsAll: t.stringList({ description: 'Sessions carrying every one of these tags.' }),
    tagsAny: t.stringList({ description: 'Sessions carrying at least one of these tags.' }),
    metadata: t.field({ type: [MetadataFilter] }),
    search: t.string({ description: "Case-insensitive substring of the session's name or key." }),
    startedAfter: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    startedBefore: t.field({ type: 'DateTime', description: 'Exclusive.' }),
    hasErrors: t.boolean(),
    minDurationMs: t.float(),
    maxDurationMs: t.float(),
    model: t.string({ description: 'Sessions with at least one LLM_CALL event of this model.' }),
  }),
});

const SessionOrderFieldEnum = builder.enumType('SessionOrderField', {
  values: ['STARTED_AT', 'LAST_EVENT_AT', 'DURATION', 'COST', 'EVENT_COUNT'] as const,
});
const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });
const SessionOrderInput = builder.inputType('SessionOrder', {
  description: 'Ties are broken by creation order in the same direction; sessions with no value for the field come last.',
  fields: (t) => ({
    field: t.field({ type: SessionOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true }),
  }),
});

builder.queryField('sessions', (t) =>
  t.field({
    type: SessionConnection,
    description: 'Default order: STARTED_AT DESC. first defaults to 50, at most 500.',
    authScopes: { read: true },
    args: {
      filter: t.arg({ type: SessionFilterInput }),
      orderBy: t.arg({ type: SessionOrderInput }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_root, args, context) =>
      asGraphQLError(async () =>
        listSessions(context.services.db, callerOf(context).project.id, { ...args, filter: checkSessionFilter(args.filter) }),
      ),
  }),
);

const StartSessionInput = builder.inputType('StartSessionInput', {
  fields: (t) => ({
    key: t.string({ description: 'Omitted: the server generates one. Starting an existing key returns that session unchanged.' }),
    name: t.string(),
    agentName: t.string(),
    tags: t.stringList(),
    metadata: t.field({ type: 'JSON' }),
    startedAt: t.field({ type: 'DateTime' }),
  }),
});

const EndSessionInput = builder.inputType('EndSessionInput', {
  fields: (t) => ({
    id: t.id({ description: 'Exactly one of id and key.' }),
    key: t.string(),
    status: t.field({ type: SessionStatusEnum, required: true, description: 'SUCCEEDED, FAILED or CANCELLED.' }),
    endedAt: t.field({ type: 'DateTime' }),
  }),
});

/** Re-reads a session after a write, with what the selection needs. */
function readSession(context: Context, query: object, sessionId: number) {
  return context.services.db.prisma.session.findUniqueOrThrow({ ...query, where: { id: sessionId } });
}

builder.mutationField('startSession', (t) =>
  t.prismaField({
    type: 'Session',
    authScopes: { ingest: true },
    args: { input: t.arg({ type: StartSessionInput, required: true }) },
    resolve: (query, _root, { input }, context) =>
      asGraphQLError(async () => {
        const caller = callerOf(context);
        const { session, created } = await startSession(context.services.writeStore, {
          ...input,
          projectId: caller.project.id,
          keyAgentId: caller.apiKey.agentId,
        });
        if (created) announceSessions(context.services.live, caller.project.id, [session]);
        return readSession(context, query, session.id);
      }),
  }),
);

builder.mutationField('endSession', (t) =>
  t.prismaField({
    type: 'Session',
    description: 'Ending an ended session again with the same status is a no-op; with another status it is BAD_USER_INPUT.',
    authScopes: { ingest: true },
    args: { input: t.arg({ type: EndSessionInput, required: true }) },
    resolve: (query, _root, { input }, context) =>
      asGraphQLError(async () => {
        const key = await resolveSessionKey(context, input.id, input.key);
        if (key === null) throw notFound('no session with that id in this project');
        const projectId = callerOf(context).project.id;
        const { session, changed } = await endSession(context.services.writeStore, {
          projectId,
          key,
          status: input.status,
          endedAt: input.endedAt,
        });
        if (changed) announceSessions(context.services.live, projectId, [session]);
        return readSession(context, query, session.id);
      }),
  }),
);
