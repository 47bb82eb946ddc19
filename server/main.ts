// Entry point: builds the app, listens, and closes gracefully on SIGINT/SIGTERM.
import { loadConfig } from './config';
import { buildApp } from './app';
import { loggerOptions } from './logger-options';
import { DatabaseOpenError } from './db/open-store';
import { ConfigError } from './config';

/** a configuration the server cannot serve: one clear line, no stack trace */
function cannotStart(err: unknown): never {
  if (err instanceof DatabaseOpenError || err instanceof ConfigError) {
    console.error(`Họp Số cannot start: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

let config;
try {
  config = loadConfig();
} catch (err) {
  cannotStart(err);
}
// Humans at a terminal get readable lines; services and log collectors get JSON.
const pretty = process.stdout.isTTY && !config.production;
const app = await buildApp(config, { logger: loggerOptions(config, { pretty }) }).catch(cannotStart);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

try {
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Họp Số is running at http://localhost:${config.port} (data in ${config.dataDir})`);
} catch (err) {
  app.log.error(err);
  process.exit(1);
}
