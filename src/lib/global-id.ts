/**
 * Opaque global ids (`Node.id`): the type name and the row id, base64url-encoded. Decoding
 * checks the type, so an id of one type can never be used to fetch another.
 */

const MAX_INT32 = 2_147_483_647;

export type NodeType = 'Project' | 'Agent' | 'ApiKey' | 'Session' | 'Event';
const nodeTypes: ReadonlySet<string> = new Set<NodeType>(['Project', 'Agent', 'ApiKey', 'Session', 'Event']);

export function encodeGlobalId(type: NodeType, id: number | bigint): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** The type and numeric row id, or null when the id is not one of ours. */
export function decodeGlobalId(globalId: string): { type: NodeType; id: number } | null {
  if (globalId.length > 100) return null;
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(text);
  if (!match || !nodeTypes.has(match[1]!)) return null;
  const id = Number(match[2]);
  // Event ids are 64-bit on PostgreSQL; the other tables' ids are 32-bit there.
  const max = match[1] === 'Event' ? Number.MAX_SAFE_INTEGER : MAX_INT32;
  if (!Number.isSafeInteger(id) || id > max) return null;
  return { type: match[1] as NodeType, id };
}

/** The row id of a global id that must be of `type`, or null. */
export function decodeGlobalIdOf(type: NodeType, globalId: string): number | null {
  const decoded = decodeGlobalId(globalId);
  return decoded && decoded.type === type ? decoded.id : null;
}
