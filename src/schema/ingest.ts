/** ingestBatch: the SDKs' write path. Types mirror the contract; the work is in services/ingest. */
import { builder } from '../builder.js';
import { callerOf } from '../context.js';
import { ingestBatch } from '../services/ingest/index.js';
import { announceSessions } from '../services/live/bus.js';
import { asGraphQLError } from './errors.js';
import { EventStatusEnum, EventTypeEnum } from './event.js';

const SessionUpsertInput = builder.inputType('SessionUpsertInput', {
  description:
    'A session named by key in a batch. Unknown keys are created (status RUNNING); for known ones,\ngiven tags are added, given metadata keys are merged, and name/agent are set if still empty.',
  fields: (t) => ({
    key: t.string({ required: true }),
    name: t.string(),
    agentName: t.string(),
    tags: t.stringList(),
    metadata: t.field({ type: 'JSON' }),
    startedAt: t.field({ type: 'DateTime' }),
  }),
});

const EventInput = builder.inputType('EventInput', {
  fields: (t) => ({
    id: t.string({
      required: true,
      description: 'Client-generated unique id (a UUID, say). An id already stored in the project is a duplicate: counted, not written again.',
    }),
    sessionKey: t.string({
      required: true,
      description: "The session's key; an unknown key creates the session, started at its earliest event.",
    }),
    parentId: t.string({ description: 'Client id of the parent event; it may arrive in a later batch.' }),
    type: t.field({ type: EventTypeEnum, required: true }),
    name: t.string(),
    timestamp: t.field({ type: 'DateTime', required: true }),
    durationMs: t.float(),
    status: t.field({ type: EventStatusEnum, description: 'Defaults to ERROR for type ERROR, OK otherwise.' }),
    input: t.field({ type: 'JSON' }),
    output: t.field({ type: 'JSON' }),
    metadata: t.field({ type: 'JSON' }),
    model: t.string(),
    promptTokens: t.int(),
    completionTokens: t.int(),
    costUsd: t.float(),
    errorMessage: t.string(),
    errorType: t.string(),
  }),
});

const IngestBatchInput = builder.inputType('IngestBatchInput', {
  fields: (t) => ({
    sessions: t.field({ type: [SessionUpsertInput] }),
    events: t.field({
      type: [EventInput],
      required: true,
      description: 'At most 1000 events unless configured; a larger batch is refused whole (PAYLOAD_TOO_LARGE).',
    }),
  }),
});

const IngestRejection = builder
  .objectRef<{ index: number; eventId: string | null; code: string; message: string }>('IngestRejection')
  .implement({
    fields: (t) => ({
      index: t.exposeInt('index', { description: 'Position of the event in the batch.' }),
      eventId: t.exposeString('eventId', { nullable: true }),
      code: t.exposeString('code', {
        description:
          "A stable machine-readable reason: INVALID_VALUE (a negative count, cost or duration, an\nempty or over-long id or key), TIMESTAMP_OUT_OF_RANGE (before 2000 or more than a day\nahead of the server's clock), EVENT_TOO_LARGE (over the per-event size limit), or another\ndocumented code.",
      }),
      message: t.exposeString('message'),
    }),
  });

const IngestResult = builder
  .objectRef<{ accepted: number; duplicates: number; rejected: { index: number; eventId: string | null; code: string; message: string }[] }>(
    'IngestResult',
  )
  .implement({
    description:
      "Every accepted event is durably committed before this answer is sent. Valid events are\naccepted even when others in the batch are rejected; accepted + duplicates + rejected\ncount the whole batch. A request whose variables do not fit the schema's types (a string\nwhere a number belongs, a malformed DateTime) is refused whole by GraphQL with\nBAD_USER_INPUT naming the path, and nothing of it is written.",
    fields: (t) => ({
      accepted: t.exposeInt('accepted'),
      duplicates: t.exposeInt('duplicates'),
      rejected: t.field({ type: [IngestRejection], resolve: (result) => result.rejected }),
    }),
  });

builder.mutationField('ingestBatch', (t) =>
  t.field({
    type: IngestResult,
    authScopes: { ingest: true },
    args: { input: t.arg({ type: IngestBatchInput, required: true }) },
    resolve: (_root, { input }, context) =>
      asGraphQLError(async () => {
        const caller = callerOf(context);
        const { config, writeStore, live } = context.services;
        const outcome = await ingestBatch(
          writeStore,
          { projectId: caller.project.id, keyAgentId: caller.apiKey.agentId, sessions: input.sessions ?? [], events: input.events },
          { maxBatchEvents: config.maxBatchEvents, maxEventBytes: config.maxEventBytes },
        );
        announceSessions(live, caller.project.id, outcome.sessions);
        return outcome;
      }),
  }),
);
