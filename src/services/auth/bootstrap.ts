/**
 * First-start provisioning from RUNNING.md: the SIGHTLINE_INIT_* keys (idempotent across
 * restarts), or, on an empty database with none configured, one ADMIN key printed once.
 */
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../generated/sqlite/client.js';
import { createApiKey, hashSecret } from './api-keys.js';

export interface BootstrapResult {
  /** Set only when this start created the first ADMIN key: its secret, to show once. */
  firstAdminSecret?: string;
  projectName: string;
}

/** Instances that start together on one database race to create the same rows: the loser retries. */
export async function bootstrap(prisma: PrismaClient, config: Pick<Config, 'initProject' | 'initKeys'>): Promise<BootstrapResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await provision(prisma, config);
    } catch (error) {
      const uniqueViolation = (error as { code?: string }).code === 'P2002';
      if (!uniqueViolation || attempt >= 3) throw error;
    }
  }
}

async function provision(prisma: PrismaClient, config: Pick<Config, 'initProject' | 'initKeys'>): Promise<BootstrapResult> {
  const empty = (await prisma.apiKey.count()) === 0;
  if (config.initKeys.length === 0 && !empty) return { projectName: config.initProject };

  const project = await prisma.project.upsert({
    where: { name: config.initProject },
    create: { name: config.initProject },
    update: {},
  });
  for (const { role, secret } of config.initKeys) {
    const existing = await prisma.apiKey.findUnique({ where: { secretHash: hashSecret(secret) } });
    // An existing key is left as it is, revoked or not: the operator's later decisions stand.
    if (!existing) await createApiKey(prisma, { projectId: project.id, name: `init-${role.toLowerCase()}`, role, secret });
  }
  if (config.initKeys.length === 0 && empty) {
    const { secret } = await createApiKey(prisma, { projectId: project.id, name: 'first-admin', role: 'ADMIN' });
    return { firstAdminSecret: secret, projectName: project.name };
  }
  return { projectName: project.name };
}
