import 'reflect-metadata';
import { loadSettings } from './config/env';
import { startAura } from './platform/app';
import { createLogger } from './platform/logger';

async function main(): Promise<void> {
  const settings = loadSettings();
  const log = createLogger(settings.logLevel);
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
