/**
 * Per-request dataloaders: one per aggregate or non-Prisma relation a list can ask for, each one
 * grouped query, answering in key order with defaults. Made fresh for every request and every
 * subscription, scoped to the caller's project. Each is a named statement through the bare
 * driver (db/raw-select.ts): they run on every list, where Prisma's planning of the same one-line
 * query cost more than the database did.
 */
import DataLoader from 'dataloader';
import { agentsById } from '../db/agent-rows.js';
import type { Database } from '../db/database.js';
import { eventColumns, selectEvents } from '../db/event-rows.js';
import { countColumn, inListSql, listParameter, selectRows } from '../db/raw-select.js';
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
  const { provider } = db;
  return {
    agentById: new DataLoader(async (ids) => {
      const rows = await agentsById(db, projectId(), ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    agentSessionCount: new DataLoader(async (agentIds) => {
      const sql = `SELECT agent_id, COUNT(*) FROM sessions WHERE project_id = ? AND ${inListSql(provider, 'agent_id', 'int')} GROUP BY agent_id`;
      const groups = await selectRows(db, 'agent_session_counts', sql, [projectId(), listParameter(provider, agentIds)], (row) => row);
      const counts = new Map(groups.map(([agentId, count]) => [agentId as number, countColumn(count)]));
      return agentIds.map((id) => counts.get(id) ?? 0);
    }),
    eventByKey: new DataLoader(async (keys) => {
      const sql = `SELECT ${eventColumns({ payloads: true })} FROM events WHERE project_id = ? AND ${inListSql(provider, 'key', 'text')}`;
      const rows = await selectEvents(db, 'events_by_key', sql, [projectId(), listParameter(provider, keys)]);
      const byKey = new Map(rows.map((row) => [row.key, row]));
      return keys.map((key) => byKey.get(key) ?? null);
    }),
    eventChildren: new DataLoader(async (parentKeys) => {
      const sql = `SELECT ${eventColumns({ payloads: true })} FROM events WHERE project_id = ? AND ${inListSql(provider, 'parent_key', 'text')} ` +
        'ORDER BY timestamp_us, seq';
      const rows = await selectEvents(db, 'event_children', sql, [projectId(), listParameter(provider, parentKeys)]);
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
