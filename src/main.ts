import 'reflect-metadata';
import { loadSettings } from './config/env';
import { startAura } from './platform/app';
import { createLogger } from './platform/logger';

async function main(): Promise<void> {
  const settings = loadSettings();
  const log = createLogger(settings.logLevel);
  // A library promise nobody awaited (a Redis command during an outage, say) must not take the
  // service down; Node's default is to exit. Logged, and counted so a flood stays readable.
  let rejections = 0;
  process.on('unhandledRejection', (reason: unknown) => {
    rejections++;
    if (rejections <= 10 || rejections % 1000 === 0) log.error({ err: reason, rejections }, 'unhandled promise rejection; still serving');
  });
  const aura = await startAura(settings, { log });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    aura.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  createLogger('error').fatal({ err }, 'Aura failed to start');
  process.exit(1);
});
