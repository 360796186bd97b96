import 'reflect-metadata';
import { loadSettings } from '../config/env';
import { connectOrm, migrateToLatest, openDatabase } from '../platform/database';
import { rotateDataKeys } from '../platform/data-rotation';
import { assembleGateway } from '../platform/gateway/gateway';
import { createLogger } from '../platform/logger';

/** `npm run migrate`: applies every pending migration of the enabled modules, then exits. */
async function main(): Promise<void> {
  const settings = loadSettings();
  const log = createLogger(settings.logLevel);
  const gateway = await assembleGateway(settings, log);
  const { modules } = gateway;
  const database = await openDatabase(settings, log);
  const orm = await connectOrm(database, modules, settings.dataKeys, undefined, log);
  try {
    const applied = await migrateToLatest(orm);
    log.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
    await rotateDataKeys(orm, { plaintextOnly: true, log });
  } finally {
    await orm.close(true);
    await database.close();
    await gateway.close();
  }
}

main().catch((err: unknown) => {
  createLogger('error').fatal({ err }, 'migration failed');
  process.exit(1);
});
