/**
 * Entry point: configuration, buildApp().start(), signals -> stop(). RUNNING.md is its contract.
 */
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** RUNNING.md: exit within 10 seconds of a signal, whatever is still running. */
const HARD_EXIT_MS = 9_500;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const app = await buildApp(config, logger);
  const { url } = await app.start();
  logger.info({ url: `${url}/graphql`, database: app.services.db.provider }, 'sightline listening');

  if (app.bootstrap.firstAdminSecret) {
    // Printed once, to the terminal of the person who started the server; never logged.
    process.stdout.write(
      [
        '',
        `First start: created project "${app.bootstrap.projectName}" and an ADMIN API key. It is shown only this once:`,
        '',
        `    ${app.bootstrap.firstAdminSecret}`,
        '',
        'Use it as "Authorization: Bearer <key>". Create more keys with the createApiKey mutation, or:',
        '    npm run cli -- keys create --name my-agent --role INGEST',
        '',
      ].join('\n') + '\n',
    );
  }

  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return; // a second signal does not change the outcome
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(0);
    }, HARD_EXIT_MS).unref();
    app.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error('sightline failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
