/** API keys: the ApiKey type, listing, creation and revocation (ADMIN only). */
import { builder } from '../builder.js';
import { callerOf } from '../context.js';
import { decodeGlobalIdOf, encodeGlobalId } from '../lib/global-id.js';
import { createApiKey, revokeApiKey } from '../services/auth/api-keys.js';
import { asGraphQLError } from './errors.js';
import { NodeInterface } from './node.js';

export const ApiKeyRoleEnum = builder.enumType('ApiKeyRole', { values: ['INGEST', 'READ', 'ADMIN'] as const });

export const ApiKeyObject = builder.prismaObject('ApiKey', {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.id({ resolve: (key) => encodeGlobalId('ApiKey', key.id) }),
    name: t.exposeString('name'),
    role: t.expose('role', { type: ApiKeyRoleEnum }),
    prefix: t.exposeString('prefix', { description: 'First characters of the key, enough to recognise it; never the secret.' }),
    agent: t.relation('agent', {
      nullable: true,
      description: 'Sessions started with an agent-bound key belong to this agent unless the input names another.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.prismaField({
    type: ['ApiKey'],
    // Listing is a query, so READ may (the contract's READ has every query); managing is ADMIN's.
    authScopes: { read: true },
    resolve: (query, _root, _args, context) =>
      context.services.db.prisma.apiKey.findMany({
        ...query,
        where: { projectId: callerOf(context).project.id },
        orderBy: { id: 'asc' },
      }),
  }),
);

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    role: t.field({ type: ApiKeyRoleEnum, required: true }),
    agentName: t.string(),
  }),
});

const CreatedApiKey = builder.objectRef<{ secret: string; apiKey: { id: number } }>('CreatedApiKey').implement({
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The secret, shown this once; only a hash is stored.' }),
    apiKey: t.prismaField({ type: 'ApiKey', resolve: (_q, created) => created.apiKey as never }),
  }),
});

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKey,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, context) =>
      asGraphQLError(() =>
        createApiKey(context.services.db.prisma, {
          projectId: callerOf(context).project.id,
          name: input.name,
          role: input.role,
          agentName: input.agentName,
        }),
      ),
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.prismaField({
    type: 'ApiKey',
    description: 'A revoked key fails with UNAUTHENTICATED from then on, on open subscriptions too.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, { id }, context) =>
      asGraphQLError(async () => {
        const apiKeyId = decodeGlobalIdOf('ApiKey', id);
        // A malformed id and another project's id look the same from here: not found.
        const revoked = await revokeApiKey(context.services.db.prisma, callerOf(context).project.id, apiKeyId ?? -1);
        // Open subscriptions of the key, on every instance, end with UNAUTHENTICATED.
        context.services.live.publish('revoked', String(revoked.id), { apiKeyId: revoked.id });
        return revoked;
      }),
  }),
);
