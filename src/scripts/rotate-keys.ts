import 'reflect-metadata';
import { loadSettings } from '../config/env';
import { connectOrm, migrateToLatest, openDatabase } from '../platform/database';
import { rotateDataKeys } from '../platform/data-rotation';
import { assembleGateway } from '../platform/gateway/gateway';
import { createLogger } from '../platform/logger';

/**
 * `npm run keys:rotate [-- --batch-size N]`: re-encrypts every encrypted value with AURA_DATA_KEY,
 * reading older values with AURA_DATA_KEYS_OLD. Safe while Aura serves, and resumable: run it
 * again after an interruption. When it reports nothing left, the old keys can be dropped.
 */
async function main(): Promise<void> {
  const settings = loadSettings();
  const log = createLogger(settings.logLevel);
  const at = process.argv.indexOf('--batch-size');
  const batchSize = at > 0 ? Number(process.argv[at + 1]) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive integer');
  const gateway = await assembleGateway(settings, log);
  const database = await openDatabase(settings, log);
  const orm = await connectOrm(database, gateway.modules, settings.dataKeys);
  try {
    await migrateToLatest(orm);
    const columns = await rotateDataKeys(orm, { batchSize, log });
    const moved = columns.reduce((sum, c) => sum + c.reencrypted + c.encrypted, 0);
    log.info({ columns }, `data key rotation done: ${moved} values re-encrypted`);
  } finally {
    await orm.close(true);
    await database.close();
    await gateway.close();
  }
}

main().catch((err: unknown) => {
  createLogger('error').fatal({ err }, 'data key rotation failed');
  process.exit(1);
});
