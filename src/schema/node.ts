/** The Node interface, global ids, `Query.node`, and PageInfo shared by connections. */
import { builder } from '../builder.js';
import { callerOf } from '../context.js';
import { decodeGlobalId, type NodeType } from '../lib/global-id.js';

/** Rows fetched through `node` carry their type, so the interface can resolve it. */
export interface NodeValue {
  __nodeType?: NodeType;
}

export const NodeInterface = builder.interfaceRef<object>('Node').implement({
  // Only Query.node returns the interface, and it tags each row with its type.
  resolveType: (value) => (value as NodeValue).__nodeType ?? null,
  fields: (t) => ({
    id: t.id({ description: 'Opaque global id.', resolve: () => { throw new Error('implemented by each type'); } }),
  }),
});


export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

builder.queryField('node', (t) =>
  t.field({
    type: NodeInterface,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    authScopes: { read: true },
    resolve: async (_root, { id }, context) => {
      const decoded = decodeGlobalId(id);
      if (!decoded) return null;
      const projectId = callerOf(context).project.id;
      const prisma = context.services.db.prisma;
      // Every lookup is scoped to the caller's project: another project's id finds nothing.
      const row = await (() => {
        switch (decoded.type) {
          case 'Project':
            return decoded.id === projectId ? prisma.project.findUnique({ where: { id: projectId } }) : null;
          case 'Agent':
            return prisma.agent.findFirst({ where: { id: decoded.id, projectId } });
          case 'ApiKey':
            return prisma.apiKey.findFirst({ where: { id: decoded.id, projectId } });
          case 'Session':
            return prisma.session.findFirst({ where: { id: decoded.id, projectId } });
          case 'Event':
            return prisma.event.findFirst({ where: { id: decoded.id, projectId } });
        }
      })();
      return row ? Object.assign(row, { __nodeType: decoded.type }) : null;
    },
  }),
);
