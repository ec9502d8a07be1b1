/** API keys read through the bare driver (raw-select.ts), as Prisma's `ApiKey` objects: every request authenticates. */
import type { ApiKey } from '../generated/sqlite/client.js';
import type { Database } from './database.js';
import { dateColumn, dateOrNullColumn, epochMsColumn, selectRows } from './raw-select.js';

/** The columns to select, in toApiKey's order. */
function apiKeyColumns(provider: Database['provider']): string {
  return `id, project_id, name, role, prefix, secret_hash, agent_id, ${epochMsColumn(provider, 'created_at')}, ` +
    `${epochMsColumn(provider, 'last_used_at')}, ${epochMsColumn(provider, 'revoked_at')}`;
}

function toApiKey(row: unknown[]): ApiKey {
  return {
    id: row[0] as number,
    projectId: row[1] as number,
    name: row[2] as string,
    role: row[3] as ApiKey['role'],
    prefix: row[4] as string,
    secretHash: row[5] as string,
    agentId: row[6] as number | null,
    createdAt: dateColumn(row[7]),
    lastUsedAt: dateOrNullColumn(row[8]),
    revokedAt: dateOrNullColumn(row[9]),
  };
}

/** The key whose secret hashes to `secretHash`, revoked or not. */
export async function apiKeyBySecretHash(db: Database, secretHash: string): Promise<ApiKey | null> {
  const sql = `SELECT ${apiKeyColumns(db.provider)} FROM api_keys WHERE secret_hash = ?`;
  const [apiKey] = await selectRows(db, 'api_key_by_secret_hash', sql, [secretHash], toApiKey);
  return apiKey ?? null;
}

/** Whether the key exists and is not revoked. */
export async function apiKeyIsLive(db: Database, apiKeyId: number): Promise<boolean> {
  const rows = await selectRows(db, 'api_key_is_live', 'SELECT 1 FROM api_keys WHERE id = ? AND revoked_at IS NULL', [apiKeyId], (row) => row[0]);
  return rows.length > 0;
}
