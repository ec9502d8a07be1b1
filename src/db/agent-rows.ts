/** Agents read through the bare driver (raw-select.ts), as Prisma's `Agent` objects: every session list asks for them. */
import type { Agent } from '../generated/sqlite/client.js';
import type { Database } from './database.js';
import { dateColumn, epochMsColumn, inListSql, listParameter, selectRows } from './raw-select.js';

function toAgent(row: unknown[]): Agent {
  return { id: row[0] as number, projectId: row[1] as number, name: row[2] as string, createdAt: dateColumn(row[3]) };
}

/** The project's agents among `ids`, in no particular order. */
export function agentsById(db: Database, projectId: number, ids: readonly number[]): Promise<Agent[]> {
  const sql = `SELECT id, project_id, name, ${epochMsColumn(db.provider, 'created_at')} FROM agents ` +
    `WHERE project_id = ? AND ${inListSql(db.provider, 'id', 'int')}`;
  return selectRows(db, 'agents_by_id', sql, [projectId, listParameter(db.provider, ids)], toAgent);
}
