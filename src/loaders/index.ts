/**
 * Per-request dataloaders: one per aggregate or non-Prisma relation a list can ask for, each one
 * grouped query, answering in key order with defaults. Made fresh for every request and every
 * subscription, scoped to the caller's project.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Agent, Event } from '../generated/sqlite/client.js';
import type { Page } from '../services/read/pagination.js';
import { createFirstEventsLoader, type FirstEventsKey } from './session-events.js';

export interface Loaders {
  /** An agent by id, within the project: a session's `agent`, for every row of a list at once. */
  agentById: DataLoader<number, Agent | null>;
  /** Sessions per agent id. */
  agentSessionCount: DataLoader<number, number>;
  /** An event by its client id, within the project. */
  eventByKey: DataLoader<string, Event | null>;
  /** The children of an event (by the parent's client id), in timeline order. */
  eventChildren: DataLoader<string, Event[]>;
  /** The first page of a session's timeline, batched across the sessions of a list. */
  firstEvents: DataLoader<FirstEventsKey, Page<Event>, string>;
}

export function createLoaders(db: Database, projectId: () => number): Loaders {
  const { prisma } = db;
  return {
    agentById: new DataLoader(async (ids) => {
      const rows = await prisma.agent.findMany({ where: { projectId: projectId(), id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    agentSessionCount: new DataLoader(async (agentIds) => {
      const groups = await prisma.session.groupBy({
        by: ['agentId'],
        where: { projectId: projectId(), agentId: { in: [...agentIds] } },
        _count: { _all: true },
      });
      const counts = new Map(groups.map((g) => [g.agentId, g._count._all]));
      return agentIds.map((id) => counts.get(id) ?? 0);
    }),
    eventByKey: new DataLoader(async (keys) => {
      const rows = await prisma.event.findMany({ where: { projectId: projectId(), key: { in: [...keys] } } });
      const byKey = new Map(rows.map((row) => [row.key, row]));
      return keys.map((key) => byKey.get(key) ?? null);
    }),
    eventChildren: new DataLoader(async (parentKeys) => {
      const rows = await prisma.event.findMany({
        where: { projectId: projectId(), parentKey: { in: [...parentKeys] } },
        orderBy: [{ timestampUs: 'asc' }, { seq: 'asc' }],
      });
      const byParent = new Map<string, Event[]>();
      for (const row of rows) {
        const siblings = byParent.get(row.parentKey!) ?? [];
        siblings.push(row);
        byParent.set(row.parentKey!, siblings);
      }
      return parentKeys.map((key) => byParent.get(key) ?? []);
    }),
    firstEvents: createFirstEventsLoader(db),
  };
}
