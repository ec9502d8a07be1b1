/**
 * API keys: secrets shown once, stored as SHA-256. Secrets are long and random (or, for operator
 * keys from the environment, at least 20 characters), so a fast hash is as safe as a slow one
 * and authenticating is one index probe, with no bcrypt on the hot path. Comparing hashes in the
 * database leaks nothing useful: timing can at most reveal a prefix of a hash, not of a secret,
 * and an attacker cannot choose a secret whose hash extends a prefix (docs/SECURITY.md).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { apiKeyBySecretHash, apiKeyIsLive } from '../../db/api-key-rows.js';
import type { Database } from '../../db/database.js';
import type { ApiKey, ApiKeyRole, PrismaClient, Project } from '../../generated/sqlite/client.js';
import { UserInputError } from '../../lib/user-input-error.js';
import { MAX_LABEL_LENGTH } from '../ingest/limits.js';

const SECRET_PREFIX = 'sl_';
/** lastUsedAt is a hint for people, not an audit log: written at most this often per key. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameHash(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, 'utf8');
  const b = Buffer.from(computed, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** Enough to tell keys apart, never enough to matter: at most a quarter of the secret. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, Math.min(12, Math.floor(secret.length / 4)));
}

export interface Authenticated {
  apiKey: ApiKey;
  project: Project;
}

export class ApiKeyAuthenticator {
  private readonly lastTouched = new Map<number, number>();
  /**
   * Projects by id, read once each. Nothing writes a project after creating it (no rename, no
   * delete), so a cached row stays true; the key itself is read on every request, so revocation
   * still takes effect at once. Saves a statement (a round trip on PostgreSQL) per request.
   */
  private readonly projects = new Map<number, Promise<Project | null>>();

  /** Keys are read raw (api-key-rows.ts): through Prisma, the lookup was a third of a small request's cost. */
  constructor(private readonly db: Database) {}

  /** The key and its project, or null for an unknown or revoked secret. */
  async authenticate(secret: string): Promise<Authenticated | null> {
    if (secret.length < 20 || secret.length > 512) return null;
    const hash = hashSecret(secret);
    const apiKey = await apiKeyBySecretHash(this.db, hash);
    // The index found the row; the secret is accepted only if the stored hash is byte-for-byte
    // ours, compared in constant time. Today the lookup is already exact, so this never refuses:
    // it keeps a case- or accent-insensitive collation, or a lookup changed into a prefix or
    // range query, from ever letting a near miss in.
    if (!apiKey || !sameHash(apiKey.secretHash, hash) || apiKey.revokedAt) return null;
    const project = await this.project(apiKey.projectId);
    if (!project) return null;
    this.touch(apiKey.id);
    return { apiKey, project };
  }

  private project(id: number): Promise<Project | null> {
    let project = this.projects.get(id);
    if (!project) {
      project = this.db.prisma.project.findUnique({ where: { id } });
      this.projects.set(id, project);
      // A failed read is not remembered: the next request reads again.
      const forget = () => void this.projects.delete(id);
      project.then((row) => row ?? forget(), forget);
    }
    return project;
  }

  /** Checks that a key authenticated earlier is still valid (long-lived sockets ask this). */
  async isStillValid(apiKeyId: number): Promise<boolean> {
    return apiKeyIsLive(this.db, apiKeyId);
  }

  private touch(apiKeyId: number): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(apiKeyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastTouched.set(apiKeyId, now);
    // Fire and forget: a failed hint must not fail the request it rides on.
    this.db.prisma.apiKey.update({ where: { id: apiKeyId }, data: { lastUsedAt: new Date(now) } }).catch(() => {});
  }
}

export interface CreateApiKeyRequest {
  projectId: number;
  name: string;
  role: ApiKeyRole;
  agentName?: string | null;
  /** An operator-chosen secret (SIGHTLINE_INIT_*); generated when omitted. */
  secret?: string;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Labels are stored as text on both databases: PostgreSQL refuses U+0000 outright, and an
 * unpaired surrogate is not Unicode (its UTF-8 encoding differs between drivers), so both are
 * refused here rather than failing as an internal error or coming back altered.
 */
function checkLabel(value: string, field: string): void {
  if (value.length === 0 || value.length > MAX_LABEL_LENGTH) {
    throw new UserInputError(`${field} must have 1 to ${MAX_LABEL_LENGTH} characters`);
  }
  if (value.includes('\0')) throw new UserInputError(`${field} must not contain the character U+0000`);
  if (UNPAIRED_SURROGATE.test(value)) throw new UserInputError(`${field} must not contain an unpaired surrogate (it is not valid Unicode)`);
}

export async function createApiKey(prisma: PrismaClient, request: CreateApiKeyRequest): Promise<{ secret: string; apiKey: ApiKey }> {
  const name = request.name.trim();
  checkLabel(name, 'name');
  if (request.agentName != null) checkLabel(request.agentName, 'agentName');
  const secret = request.secret ?? generateSecret();
  const agent = request.agentName ? await findOrCreateAgent(prisma, request.projectId, request.agentName) : null;
  const apiKey = await prisma.apiKey.create({
    data: {
      projectId: request.projectId,
      name,
      role: request.role,
      prefix: displayPrefix(secret),
      secretHash: hashSecret(secret),
      agentId: agent?.id ?? null,
    },
  });
  return { secret, apiKey };
}

/** Prisma's upsert reads then inserts, so a concurrent creator (an ingest, say) can win: then read its row. */
async function findOrCreateAgent(prisma: PrismaClient, projectId: number, name: string) {
  const where = { projectId_name: { projectId, name } };
  const existing = await prisma.agent.findUnique({ where });
  if (existing) return existing;
  try {
    return await prisma.agent.create({ data: { projectId, name } });
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
    return prisma.agent.findUniqueOrThrow({ where });
  }
}

/** Revokes a key of the project; revoking twice keeps the first time. */
export async function revokeApiKey(prisma: PrismaClient, projectId: number, apiKeyId: number): Promise<ApiKey> {
  const key = await prisma.apiKey.findFirst({ where: { id: apiKeyId, projectId } });
  if (!key) throw new UserInputError('no such API key in this project', 'NOT_FOUND');
  if (key.revokedAt) return key;
  return prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
}
