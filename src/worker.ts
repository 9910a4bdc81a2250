// Job worker without the HTTP API, for server mode scale-out: `npm run worker` next to API processes started with
// DOCSTORE_WORKERS=false.
import module from 'node:module';
import { ConfigError, loadConfig } from './config.js';

module.enableCompileCache?.(); // before the app's modules load (see main.ts)

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode !== 'server') {
    console.error('The worker runs in server mode only (set DATABASE_URL); the embedded default works jobs in-process.');
    process.exit(78);
  }
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config, { work: true });
  app.logger.info('worker started');
  const stop = () => void app.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
