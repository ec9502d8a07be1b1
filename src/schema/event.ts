/** Events: the Event type, its timeline connection and filter, parent and children. */
import { builder } from '../builder.js';
import type { Event } from '../generated/sqlite/client.js';
import { encodeGlobalId } from '../lib/global-id.js';
import type { Page } from '../services/read/pagination.js';
import { NodeInterface, PageInfo } from './node.js';

export const EventTypeEnum = builder.enumType('EventType', {
  values: ['QUESTION', 'ANSWER', 'ACTION', 'TOOL_CALL', 'DECISION', 'LLM_CALL', 'ERROR', 'FEEDBACK', 'AGENT', 'OPERATION', 'LOG', 'CUSTOM'] as const,
});
export const EventStatusEnum = builder.enumType('EventStatus', { values: ['OK', 'ERROR'] as const });

export const EventObject = builder.prismaObject('Event', {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.id({ resolve: (event) => encodeGlobalId('Event', event.id) }),
    key: t.exposeString('key', { description: 'The client-chosen event id, the idempotency key: unique within the project.' }),
    session: t.relation('session'),
    // Through loaders rather than Prisma relations: the parent is named by client id and may
    // arrive after its children, so there is no foreign key to follow.
    parent: t.prismaField({
      type: 'Event',
      nullable: true,
      resolve: (_query, event, _a, context) => (event.parentKey ? context.loaders.eventByKey.load(event.parentKey) : null),
    }),
    children: t.prismaField({
      type: ['Event'],
      description: 'In timeline order.',
      resolve: (_query, event, _a, context) => context.loaders.eventChildren.load(event.key),
    }),
    type: t.expose('type', { type: EventTypeEnum }),
    name: t.exposeString('name', { nullable: true }),
    timestamp: t.expose('timestampUs', { type: 'DateTime' }),
    durationMs: t.exposeFloat('durationMs', { nullable: true }),
    receivedAt: t.expose('receivedAtUs', { type: 'DateTime', description: 'When the server committed it.' }),
    status: t.expose('status', { type: EventStatusEnum }),
    input: t.expose('input', { type: 'JSON', nullable: true }),
    output: t.expose('output', { type: 'JSON', nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    promptTokens: t.exposeInt('promptTokens', { nullable: true }),
    completionTokens: t.exposeInt('completionTokens', { nullable: true }),
    costUsd: t.exposeFloat('costUsd', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    errorType: t.exposeString('errorType', { nullable: true }),
  }),
});

export const EventFilterInput = builder.inputType('EventFilter', {
  fields: (t) => ({
    types: t.field({ type: [EventTypeEnum] }),
    status: t.field({ type: EventStatusEnum }),
    names: t.stringList(),
  }),
});

const EventEdge = builder.objectRef<Page<Event>['items'][number]>('EventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: EventObject, resolve: (edge) => edge.node }),
  }),
});

export const EventConnection = builder.objectRef<Page<Event>>('EventConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EventEdge], resolve: (page) => page.items }),
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
