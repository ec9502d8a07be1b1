/**
 * The operator CLI: API key management straight on the database, for when no ADMIN key is at
 * hand (a lost first key, provisioning from a deploy script). It reads DATABASE_URL as the
 * server does and goes through the same services as the GraphQL mutations.
 *
 *   npm run cli -- keys create --project <name> --name <name> --role INGEST|READ|ADMIN [--agent <name>]
 *   npm run cli -- keys list [--project <name>]
 *   npm run cli -- keys revoke <global id or prefix> [--project <name>]
 *
 * Exit status: 0 done, 1 failed (no such project or key, database unreachable), 2 bad invocation.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from './config.js';
import type { Database } from './db/database.js';
import { UserInputError } from './lib/user-input-error.js';
import type { ApiKey, ApiKeyRole, PrismaClient, Project } from './generated/sqlite/client.js';
import { decodeGlobalIdOf, encodeGlobalId } from './lib/global-id.js';
import { createApiKey, hashSecret, revokeApiKey } from './services/auth/api-keys.js';

const USAGE = `Usage:
  npm run cli -- keys create --name <name> --role INGEST|READ|ADMIN [--agent <agentName>] [--project <name>]
  npm run cli -- keys list [--project <name>]
  npm run cli -- keys revoke <global id or prefix> [--project <name>]

--project defaults to SIGHTLINE_INIT_PROJECT ("default"); keys create makes the project if missing.
The database is the one DATABASE_URL names, as for the server (default file:./data/sightline.db).`;

const ROLES: readonly ApiKeyRole[] = ['INGEST', 'READ', 'ADMIN'];
/** As SIGHTLINE_INIT_PROJECT allows, so a project made here can also be the server's. */
const MAX_PROJECT_NAME_LENGTH = 200;

/** The user asked for something that cannot work: exit 2 with the usage text. */
class UsageError extends Error {}
/** The request was understood but cannot be carried out: exit 1. */
class CommandError extends Error {}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

const projectOption = { project: { type: 'string' } } as const satisfies ParseArgsConfig['options'];

/**
 * Each command checks its arguments first (`parse`, no database) and then runs, so a typo
 * never opens, let alone migrates, a database.
 */
interface Command<Request> {
  parse(args: string[], config: Config): Request;
  run(db: Database, request: Request, io: Output): Promise<void>;
}

const create: Command<{ projectName: string; name: string; role: ApiKeyRole; agentName: string | undefined }> = {
  parse(args, config) {
    const { values } = parse(args, { ...projectOption, name: { type: 'string' }, role: { type: 'string' }, agent: { type: 'string' } }, []);
    if (values.name === undefined) throw new UsageError('keys create needs --name <name>');
    if (values.role === undefined) throw new UsageError(`keys create needs --role ${ROLES.join('|')}`);
    const role = values.role.toUpperCase();
    if (!isRole(role)) throw new UsageError(`unknown role "${values.role}"; use one of ${ROLES.join(', ')}`);
    return { projectName: checkProjectName(values.project ?? config.initProject), name: values.name, role, agentName: values.agent };
  },
  async run(db, request, io) {
    const project = await ensureProject(db.prisma, request.projectName);
    const { secret, apiKey } = await createApiKey(db.prisma, {
      projectId: project.id,
      name: request.name,
      role: request.role,
      agentName: request.agentName,
    });
    // Only the secret goes to stdout, so a script can capture it with $(...); the rest is for people.
    io.err(
      `Created ${apiKey.role} key "${apiKey.name}" (id ${encodeGlobalId('ApiKey', apiKey.id)}, prefix ${apiKey.prefix}) ` +
        `in project "${project.name}"${request.agentName ? `, bound to agent "${request.agentName}"` : ''}.`,
    );
    io.err('Its secret is shown this once (only a hash is stored); send it as "Authorization: Bearer <secret>":');
    io.out(secret);
  },
};

const list: Command<{ projectName: string }> = {
  parse(args, config) {
    const { values } = parse(args, projectOption, []);
    return { projectName: values.project ?? config.initProject };
  },
  async run(db, request, io) {
    const project = await findProject(db.prisma, request.projectName);
    const keys = await db.prisma.apiKey.findMany({
      where: { projectId: project.id },
      include: { agent: { select: { name: true } } },
      orderBy: { id: 'asc' },
    });
    if (keys.length === 0) {
      io.err(`Project "${project.name}" has no API keys.`);
      return;
    }
    // No column can hold anything secret: the hash is never selected into a row.
    const rows = keys.map((key) => [
      encodeGlobalId('ApiKey', key.id),
      key.name,
      key.role,
      key.prefix,
      key.agent?.name ?? '-',
      iso(key.createdAt),
      key.lastUsedAt ? iso(key.lastUsedAt) : 'never',
      key.revokedAt ? iso(key.revokedAt) : '-',
    ]);
    for (const line of table(['ID', 'NAME', 'ROLE', 'PREFIX', 'AGENT', 'CREATED', 'LAST USED', 'REVOKED'], rows)) io.out(line);
  },
};

const revoke: Command<{ projectName: string; reference: string }> = {
  parse(args, config) {
    const { values, positionals } = parse(args, projectOption, ['the key to revoke (its id or prefix)']);
    return { projectName: values.project ?? config.initProject, reference: positionals[0]! };
  },
  async run(db, request, io) {
    const project = await findProject(db.prisma, request.projectName);
    const target = await findKey(db.prisma, project, request.reference);
    const key = await revokeApiKey(db.prisma, project.id, target.id);
    const label = `${key.role} key "${key.name}" (id ${encodeGlobalId('ApiKey', key.id)}, prefix ${key.prefix}) of project "${project.name}"`;
    io.out(
      target.revokedAt !== null
        ? `${label} was already revoked at ${iso(key.revokedAt!)}.`
        : `Revoked ${label}; requests with it are refused from now on.`,
    );
  },
};

/** Parses now and returns the run, so one table holds commands whatever their request type. */
type Prepare = (args: string[], config: Config) => (db: Database, io: Output) => Promise<void>;
const prepared =
  <Request>(command: Command<Request>): Prepare =>
  (args, config) => {
    const request = command.parse(args, config);
    return (db, io) => command.run(db, request, io);
  };
const commands: Record<string, Prepare> = { create: prepared(create), list: prepared(list), revoke: prepared(revoke) };

/** parseArgs, strict, with exactly the positionals named (in order) and no blank option values. */
function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals: string[]) {
  const positionalCount = positionals.length;
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' own messages are clear ("Unknown option '--nmae'"); keep them, drop its advice on "--".
    throw new UsageError((error as Error).message.split('. To specify a positional')[0]!);
  }
  if (parsed.positionals.length < positionalCount) throw new UsageError(`missing argument: ${positionals[parsed.positionals.length]}`);
  if (parsed.positionals.length > positionalCount) {
    throw new UsageError(`unexpected argument "${parsed.positionals[positionalCount]}"`);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${name} must not be empty`);
  }
  return parsed;
}

function isRole(role: string): role is ApiKeyRole {
  return (ROLES as readonly string[]).includes(role);
}

function checkProjectName(name: string): string {
  if (name.length > MAX_PROJECT_NAME_LENGTH) throw new UsageError(`--project must have at most ${MAX_PROJECT_NAME_LENGTH} characters`);
  return name;
}

/**
 * The project, created if missing. Not prisma.project.upsert: that reads then inserts in one
 * transaction, which on SQLite cannot take the write lock while another process holds it (it
 * times out instead of waiting) and on PostgreSQL loses to a concurrent insert. Single statements
 * wait on SQLite's busy timeout, and a lost race (two `keys create` provisioning one new project
 * in parallel) only means the project now exists.
 */
async function ensureProject(prisma: PrismaClient, name: string): Promise<Project> {
  const existing = await prisma.project.findUnique({ where: { name } });
  if (existing) return existing;
  try {
    return await prisma.project.create({ data: { name } });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'P2002') throw error;
    return prisma.project.findUniqueOrThrow({ where: { name } });
  }
}

async function findProject(prisma: PrismaClient, name: string): Promise<Project> {
  const project = await prisma.project.findUnique({ where: { name } });
  if (!project) throw new CommandError(`no project named "${name}"`);
  return project;
}

/** By global id (what `keys list` shows first), by the displayed prefix, or by the whole secret. */
async function findKey(prisma: PrismaClient, project: Project, reference: string): Promise<ApiKey> {
  const id = decodeGlobalIdOf('ApiKey', reference);
  if (id !== null) {
    const key = await prisma.apiKey.findFirst({ where: { id, projectId: project.id } });
    if (!key) throw new CommandError(`no API key with id ${reference} in project "${project.name}"`);
    return key;
  }
  const keys = await prisma.apiKey.findMany({ where: { projectId: project.id, prefix: reference }, orderBy: { id: 'asc' } });
  if (keys.length > 1) {
    const ids = keys.map((key) => `${encodeGlobalId('ApiKey', key.id)} (${key.name})`).join(', ');
    throw new CommandError(`prefix "${reference}" matches ${keys.length} keys: ${ids}; give the id instead`);
  }
  // A pasted secret is found by its hash, exactly as the server authenticates it.
  const key = keys[0] ?? (await prisma.apiKey.findFirst({ where: { projectId: project.id, secretHash: hashSecret(reference) } }));
  if (!key) throw new CommandError(`no API key with id or prefix "${reference}" in project "${project.name}"`);
  return key;
}

function iso(date: Date): string {
  return date.toISOString();
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

async function main(argv: string[], io: Output): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
    (group === undefined ? io.err : io.out)(USAGE);
    return group === undefined ? 2 : 0;
  }
  let db: Database | undefined;
  try {
    if (group !== 'keys') throw new UsageError(`unknown command "${group}"`);
    if (command === undefined) throw new UsageError('keys needs a command: create, list or revoke');
    if (command === '--help' || command === '-h') {
      io.out(USAGE);
      return 0;
    }
    const selected = Object.hasOwn(commands, command) ? commands[command] : undefined;
    if (!selected) throw new UsageError(`unknown command "keys ${command}"; use create, list or revoke`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    let config: Config;
    try {
      config = loadConfig();
    } catch (error) {
      throw new CommandError((error as Error).message);
    }
    const run = selected(rest, config);
    // Loaded only now: the Prisma clients take most of a second, which a usage error should not cost.
    const [{ openDatabase }, { applyMigrations }] = await Promise.all([import('./db/database.js'), import('./db/migrate.js')]);
    db = await openDatabase(config.databaseUrl);
    // A fresh database works too: the same migrations the server applies on start.
    await applyMigrations(db, { log: (message) => io.err(message) });
    await run(db, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof UserInputError && error.code === 'BAD_USER_INPUT')) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof CommandError || error instanceof UserInputError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db?.close();
  }
}

const exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
// exitCode rather than exit(): stdout to a pipe is asynchronous and must drain first.
process.exitCode = exitCode;
