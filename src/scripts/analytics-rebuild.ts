import 'reflect-metadata';
import { loadSettings } from '../config/env';
import { Rebuilder } from '../modules/analytics/services/rebuild';
import { createOperationContext } from '../platform/context';
import { connectOrm, migrateToLatest, openDatabase } from '../platform/database';
import { assembleGateway } from '../platform/gateway/gateway';
import { createLogger } from '../platform/logger';

/**
 * `npm run analytics:rebuild`: replays the whole outbox into fresh analytics tables and switches
 * over when caught up. A running server keeps serving the old tables meanwhile (and its live
 * deliveries reach both), so this is safe to run beside it.
 */
async function main(): Promise<void> {
  const settings = loadSettings();
  const log = createLogger(settings.logLevel);
  const gateway = await assembleGateway(settings, log);
  const database = await openDatabase(settings, log);
  const orm = await connectOrm(database, gateway.modules, settings.dataKeys, undefined, log);
  try {
    await migrateToLatest(orm);
    const op = createOperationContext({ requestId: 'analytics:rebuild', viewer: null, clientAddress: null, em: orm.em.fork(), log });
    const rebuilder = gateway.container.get(Rebuilder);
    await rebuilder.begin(op);
    let steps = 0;
    while (await rebuilder.step(op)) if (++steps % 10 === 0) log.info({ steps }, 'analytics rebuild in progress');
    log.info('analytics rebuilt and switched over');
  } finally {
    await orm.close(true);
    await database.close();
    await gateway.close();
  }
}

main().catch((err: unknown) => {
  createLogger('error').fatal({ err }, 'analytics rebuild failed');
  process.exit(1);
});
