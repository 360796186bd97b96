import type { MikroORM } from '@mikro-orm/postgresql';
import type { Settings } from '../config/env';
import { connectOrm, migrateToLatest, openDatabase, type DatabaseEndpoint, type QueryListener } from './database';
import { rotateDataKeys } from './data-rotation';
import { assembleGateway, type Gateway, type GatewayOptions } from './gateway/gateway';
import { createLogger, type Logger } from './logger';
import { listen, type ListeningServer } from './server';

/** A running Aura: the composed gateway, its database, and the HTTP + WebSocket server. */
export interface Aura {
  gateway: Gateway;
  orm: MikroORM;
  database: DatabaseEndpoint;
  server: ListeningServer;
  log: Logger;
  /** Graceful: stop accepting, drain requests and sockets, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions extends GatewayOptions {
  log?: Logger;
  /** Port to listen on; defaults to settings.port (0 picks a free one). */
  port?: number;
  /** Observe every SQL statement (diagnostics, and tests that count queries). */
  onQuery?: QueryListener;
}

/** Boot: compose the modules' graph, open and migrate the database, start modules, serve. */
export async function startAura(settings: Settings, options: StartOptions = {}): Promise<Aura> {
  const log = options.log ?? createLogger(settings.logLevel);
  const gateway = await assembleGateway(settings, log, options);
  const database = await openDatabase(settings, log);
  let orm: MikroORM | undefined;
  try {
    orm = await connectOrm(database, gateway.modules, settings.dataKeys, options.onQuery, log);
    const applied = await migrateToLatest(orm);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');
    // Clinical text written before encryption at rest existed is encrypted before anything reads it.
    await rotateDataKeys(orm, { plaintextOnly: true, log });
    for (const module of gateway.modules) await module.start?.({ ...gateway, orm });
    gateway.events.start(orm);
    const server = await listen({ gateway, orm, settings, log }, options.port ?? settings.port);
    const running = orm;
    log.info({ port: server.port, modules: gateway.modules.map((m) => m.name), embedded: database.embedded }, 'Aura is serving /graphql');
    let stopping: Promise<void> | undefined;
    return {
      gateway,
      orm: running,
      database,
      server,
      log,
      stop: () =>
        (stopping ??= (async () => {
          await server.close();
          log.debug('server closed');
          await gateway.events.stop();
          await running.close(true);
          log.debug('orm closed');
          await database.close();
          await gateway.close();
          log.info('Aura stopped');
        })()),
    };
  } catch (error) {
    await gateway.events.stop();
    await orm?.close(true);
    await database.close();
    await gateway.close();
    throw error;
  }
}
