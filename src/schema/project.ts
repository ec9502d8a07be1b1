/** Project and Viewer: who the caller is. */
import { builder } from '../builder.js';
import { callerOf, type Caller } from '../context.js';
import { encodeGlobalId } from '../lib/global-id.js';
import { ApiKeyObject, ApiKeyRoleEnum } from './auth.js';
import { NodeInterface } from './node.js';

export const ProjectObject = builder.prismaObject('Project', {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.id({ resolve: (project) => encodeGlobalId('Project', project.id) }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const Viewer = builder.objectRef<Caller>('Viewer').implement({
  fields: (t) => ({
    project: t.field({ type: ProjectObject, resolve: (caller) => caller.project }),
    role: t.field({ type: ApiKeyRoleEnum, resolve: (caller) => caller.role }),
    apiKey: t.field({ type: ApiKeyObject, resolve: (caller) => caller.apiKey }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: Viewer, authScopes: { authenticated: true }, resolve: (_root, _args, context) => callerOf(context) }),
);
