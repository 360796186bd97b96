import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadSettings, type Settings } from '../../src/config/env';
import type { Viewer } from '../../src/platform/auth';
import { createOperationContext, type OperationContext } from '../../src/platform/context';
import { connectOrm, migrateToLatest, openDatabase, type DatabaseEndpoint } from '../../src/platform/database';
import { rotateDataKeys } from '../../src/platform/data-rotation';
import { assembleGateway, type Gateway, type GatewayOptions } from '../../src/platform/gateway/gateway';
import { createLogger } from '../../src/platform/logger';
import { onScratchDatabase, type ScratchDatabase } from './database';
import { TEST_JWT_SECRET } from './aura';

/**
 * The modules' services on a real, migrated database (fresh PostgreSQL database in CI,
 * embedded PGlite otherwise), without the HTTP server: for integration tests of use cases.
 */
export interface DatabaseHarness {
  gateway: Gateway;
  orm: MikroORM;
  settings: Settings;
  endpoint: DatabaseEndpoint;
  /** SQL statements sent since the last reset. */
  queries: string[];
  op(viewer?: Viewer | null): OperationContext;
  /** Close the ORM and database, keeping the data (to reopen it). */
  close(): Promise<void>;
  /** Open the same data again, as a restarted process would (optionally with changed settings, e.g. keys). */
  reopen(changes?: Partial<Settings>): Promise<DatabaseHarness>;
  /** Close and delete everything. */
  destroy(): Promise<void>;
}

async function open(settings: Settings, scratch: ScratchDatabase, options: GatewayOptions): Promise<DatabaseHarness> {
  const log = createLogger('silent');
  const gateway = await assembleGateway(settings, log, options);
  const endpoint = await openDatabase(settings, log);
  const queries: string[] = [];
  const orm = await connectOrm(endpoint, gateway.modules, settings.dataKeys, (sql) => queries.push(sql));
  await migrateToLatest(orm);
  await rotateDataKeys(orm, { plaintextOnly: true });
  for (const module of gateway.modules) await module.start?.({ ...gateway, orm });
  gateway.events.start(orm);
  const close = async () => {
    await gateway.events.settled();
    await gateway.events.stop();
    await orm.close(true);
    await endpoint.close();
    await gateway.close();
  };
  return {
    gateway,
    orm,
    settings,
    endpoint,
    queries,
    op: (viewer = null) => createOperationContext({ requestId: 'test', viewer, clientAddress: '127.0.0.1', em: orm.em, log }),
    close,
    reopen: (changes = {}) => open({ ...settings, ...changes }, scratch, options),
    destroy: async () => {
      await close();
      await scratch.drop();
      rmSync(settings.dataDir, { recursive: true, force: true });
    },
  };
}

export async function openTestDatabase(env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<DatabaseHarness> {
  const { settings, database } = await onScratchDatabase(
    loadSettings({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, AURA_DATA_DIR: mkdtempSync(join(tmpdir(), 'aura-db-')), ...env }),
    options.manifest,
  );
  return open(settings, database, options);
}
