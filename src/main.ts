// Entry point: config from the environment → buildApp().start(); SIGTERM/SIGINT → stop().
// Start-up is kept short: V8's compile cache lets a restart skip compiling the modules again, and the embedded
// database opens while the rest of the app is still loading.
import module from 'node:module';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './infra/db.js';
import { DataDirInUseError } from './infra/dir-lock.js';
import { categoryLogger, createLogger } from './logger.js';

module.enableCompileCache?.();

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.log);
  const database = openDatabase(config, categoryLogger(logger, 'db'));
  database.catch(() => undefined); // awaited (and reported) by buildApp
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config, { logger, database });
  await app.start();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  console.error(error);
  process.exit(1);
});
