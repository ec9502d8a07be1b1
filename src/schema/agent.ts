/** Agents: the identities that produce sessions. */
import { builder } from '../builder.js';
import { callerOf } from '../context.js';
import { encodeGlobalId } from '../lib/global-id.js';
import { NodeInterface } from './node.js';

export const AgentObject = builder.prismaObject('Agent', {
  interfaces: [NodeInterface],
  description:
    'The AI agent identity that produced a session. Named by the client (agentName on input) or by\nthe ingest key it was created with; unique by name within a project.',
  fields: (t) => ({
    id: t.id({ resolve: (agent) => encodeGlobalId('Agent', agent.id) }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sessionCount: t.int({ resolve: (agent, _a, context) => context.loaders.agentSessionCount.load(agent.id) }),
  }),
});

builder.queryField('agents', (t) =>
  t.prismaField({
    type: ['Agent'],
    authScopes: { read: true },
    resolve: (query, _root, _args, context) =>
      context.services.db.prisma.agent.findMany({
        ...query,
        where: { projectId: callerOf(context).project.id },
        orderBy: { name: 'asc' },
      }),
  }),
);
