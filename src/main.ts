import 'reflect-metadata';
// First: tracing patches http, express, graphql and pg as they load (and loads nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
import { tracing } from './platform/tracing-start';
import { ConfigurationError, loadSettings } from './config/env';
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
    aura
      .stop()
      .then(() => tracing?.shutdown().catch(() => undefined)) // spans still buffered go out; a collector that is away does not fail the shutdown
      .then(
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
  const log = createLogger('error');
  // One line per bad variable, as written (a ConfigurationError's lines quote no secret).
  if (err instanceof ConfigurationError) {
    for (const problem of err.problems) log.fatal({ setting: problem.split(' ')[0] }, problem);
    log.fatal(`Aura failed to start: ${err.problems.length} configuration problem(s), listed above`);
  } else log.fatal({ err }, 'Aura failed to start');
  process.exit(1);
});
