/** What every resolver receives: the database, the services, the caller, fresh loaders. */
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { ApiKey, ApiKeyRole, Project } from './generated/sqlite/client.js';
import type { Loaders } from './loaders/index.js';
import type { ApiKeyAuthenticator } from './services/auth/api-keys.js';
import type { WriteStore } from './services/ingest/index.js';
import type { LiveBus } from './services/live/bus.js';

export interface Services {
  config: Config;
  db: Database;
  writeStore: WriteStore;
  authenticator: ApiKeyAuthenticator;
  live: LiveBus;
}

export interface Caller {
  apiKey: ApiKey;
  project: Project;
  role: ApiKeyRole;
}

export interface Context {
  services: Services;
  /** Null only while authentication is refusing the request. */
  caller: Caller | null;
  loaders: Loaders;
}

/** The caller of a resolver that scope-auth already let through. */
export function callerOf(context: Context): Caller {
  if (!context.caller) throw new Error('resolver reached without an authenticated caller');
  return context.caller;
}
