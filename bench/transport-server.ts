/**
 * The transport limit of ingest: a server that does everything the real one does with an
 * ingestBatch request except the ingest itself. Run as a child process by bench/ingest.ts
 * (`node --import tsx bench/transport-server.ts`, PORT and HOST from the environment).
 *
 * What it measures: node:http, reading and parsing the body as app.ts does
 * (src/http/json-body.ts), yoga's pipeline (document parse and validation with yoga's caches,
 * coercion of the `input` variable through the real Pothos schema: every EventInput, the DateTime
 * and JSON scalars), execution, result serialisation with the same error masking and plugins as
 * src/app.ts. The ingestBatch resolver is replaced by one that writes nothing and answers
 * `{ accepted: n, duplicates: 0, rejected: [] }`.
 *
 * What it leaves out, on purpose: the API key lookup (the context skips auth) and everything in
 * services/ingest (validation, serialising JSON fields for storage, the database). So
 * server / transport limit is the share of the request's cost that transport alone would allow.
 *
 * Keep the yoga options in step with buildApp() in src/app.ts; if app.ts comes to export a yoga
 * factory, build this one with it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { GraphQLFieldResolver } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { loadConfig } from '../src/config.js';
import type { Context } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { yogaOptions } from '../src/app.js';
import { readBodyAhead } from '../src/http/json-body.js';
import { schema } from '../src/schema/index.js';

const GRAPHQL_PATH = '/graphql';

const config = loadConfig();
const logger = createLogger(config.logLevel);

// This process imported its own copy of the schema, so replacing the field's resolver (and with it
// Pothos' scope-auth wrapper) changes nothing anywhere else.
const ingestBatch = schema.getMutationType()?.getFields()['ingestBatch'];
if (!ingestBatch) throw new Error('the schema has no Mutation.ingestBatch');
const writesNothing: GraphQLFieldResolver<unknown, Context, { input: { events: unknown[] } }> = (_root, args) => ({
  accepted: args.input.events.length,
  duplicates: 0,
  rejected: [],
});
ingestBatch.resolve = writesNothing as GraphQLFieldResolver<unknown, unknown>;

// The resolver above never reads the context; a context without a caller is what app.ts builds
// before authentication, and no other field of the benchmark's operation needs one.
const context = { services: undefined, caller: null, loaders: undefined } as unknown as Context;

// The server's own yoga configuration (plugins, graphql-jit, limits, masking), so the only
// difference from a real ingest is the resolver.
const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
  ...yogaOptions(logger),
  context: () => context,
});

const server = createServer((req, res) => {
  // As app.ts: a request log line on close (a no-op below LOG_LEVEL=info, as in the real run).
  const started = performance.now();
  res.on('close', () => {
    logger.info({ method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: performance.now() - started }, 'request');
  });
  const path = req.url?.split('?')[0];
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', database: 'none' }));
    return;
  }
  if (path !== GRAPHQL_PATH) {
    res.writeHead(404).end();
    return;
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > config.maxBodyBytes) {
    res.writeHead(413, { connection: 'close' }).end();
    return;
  }
  // As app.ts reads a body: ahead of yoga when its length is declared.
  void (async () => {
    if (!(await readBodyAhead(req, declared))) return;
    await yoga.requestListener(req, res);
  })();
});

server.listen(config.port, config.host);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
