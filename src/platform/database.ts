import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AbstractSqlDriver, MikroORM, PostgreSqlConnection, PostgreSqlPlatform, type Options } from '@mikro-orm/postgresql';
import type { Configuration, MigrationObject } from '@mikro-orm/core';
import { quoteLiteral } from './direct-sql';
import { AuraKnexDialect } from './transaction-wire';
import { ConfigurationError, type Settings } from '../config/env';
import { DataCipher, type DataKeyring } from './data-cipher';
import { attachDataCipher } from './encrypted-text';
import { statementShape, type Logger } from './logger';
import type { AuraModule } from './module';
import { Migration20261125000000PlatformOutbox } from './migrations/Migration20261125000000PlatformOutbox';
import { Migration20261129200000PlatformAccessAudit } from './migrations/Migration20261129200000PlatformAccessAudit';
import { Migration20261129900000PlatformIdempotency } from './migrations/Migration20261129900000PlatformIdempotency';

/** Where the database is: the configured PostgreSQL, or the embedded one this process runs. */
export interface DatabaseEndpoint {
  clientUrl: string;
  embedded: boolean;
  /** Connections Aura's pool may open (at most what the server accepts). */
  poolSize: number;
  close(): Promise<void>;
}

/**
 * Aura's pool size on the embedded database; PGlite runs one statement at a time anyway. Several
 * connections are safe for Aura because MikroORM inlines parameters (one simple-protocol message per
 * statement) and pglite-socket keeps a transaction's connection first in line. A client using the
 * extended protocol (pg with parameters) on several connections is not: pglite-socket queues wire
 * messages one by one, so two connections' Parse/Bind can interleave.
 */
const EMBEDDED_POOL = 4;
/** Connections the embedded server accepts: Aura's pool plus room for a psql or a benchmark. */
const EMBEDDED_SERVER_CONNECTIONS = 16;

/**
 * With DATABASE_URL, that server. Without it, PGlite persisted in AURA_DATA_DIR, served on a
 * loopback port by pglite-socket so the same driver, SQL and migrations serve both.
 */
export async function openDatabase(settings: Pick<Settings, 'databaseUrl' | 'dataDir'> & Partial<Pick<Settings, 'createDatabase'>>, log: Logger): Promise<DatabaseEndpoint> {
  if (settings.databaseUrl) {
    await ensureDatabaseExists(settings.databaseUrl, settings.createDatabase ?? false, log);
    return { clientUrl: settings.databaseUrl, embedded: false, poolSize: 10, close: async () => undefined };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const directory = join(settings.dataDir, 'pgdata');
  mkdirSync(directory, { recursive: true });
  const db = await PGlite.create(directory, { extensions: { pg_trgm, btree_gist } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: EMBEDDED_SERVER_CONNECTIONS });
  await server.start();
  const address = server.getServerConn();
  log.info({ directory, address }, 'embedded PostgreSQL (PGlite) started');
  return {
    // PGlite ignores the database name; it always serves "postgres".
    clientUrl: `postgresql://postgres@${address}/postgres`,
    embedded: true,
    poolSize: EMBEDDED_POOL,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/** PostgreSQL's SQLSTATE for "database does not exist". */
const INVALID_CATALOG_NAME = '3D000';

/**
 * A DATABASE_URL naming a database that does not exist is a startup error (a typo would otherwise
 * start an empty service), unless AURA_CREATE_DATABASE=on, which creates it. Any other connection
 * failure is left to the ORM to report, as before.
 */
export async function ensureDatabaseExists(url: string, create: boolean, log: Logger): Promise<void> {
  const { Client } = await import('pg');
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== INVALID_CATALOG_NAME) return;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const where = `${target.hostname}:${target.port || 5432}`;
  if (!create) {
    throw new ConfigurationError([`DATABASE_URL names database "${name}", which does not exist on ${where}: create it, correct DATABASE_URL, or set AURA_CREATE_DATABASE=on`]);
  }
  target.pathname = '/postgres';
  const admin = new Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`create database "${name.replace(/"/g, '""')}"`);
    log.info({ database: name, server: where }, 'database created (AURA_CREATE_DATABASE=on)');
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // another instance created it meanwhile
  } finally {
    await admin.end();
  }
}

/** The platform's own tables (the outbox, the access audit, idempotency keys), before any module's. */
const PLATFORM_MIGRATIONS: MigrationObject[] = [
  { name: 'platform/20261125000000_outbox', class: Migration20261125000000PlatformOutbox },
  { name: 'platform/20261129200000_access_audit', class: Migration20261129200000PlatformAccessAudit },
  { name: 'platform/20261129900000_idempotency', class: Migration20261129900000PlatformIdempotency },
];

/** The platform's migrations, then all enabled modules', module by module in dependency order. */
export function migrationsOf(modules: AuraModule[]): MigrationObject[] {
  return [...PLATFORM_MIGRATIONS, ...modules.flatMap((module) => module.migrations)];
}

/** Called with every SQL statement the ORM sends (diagnostics; tests count queries with it). */
export type QueryListener = (sql: string) => void;

/** MikroORM's PostgreSQL platform, with strings inlined into statements by the one-pass `quoteLiteral`. */
export class AuraPostgreSqlPlatform extends PostgreSqlPlatform {
  override escape(value: unknown): string {
    return typeof value === 'string' ? quoteLiteral(value) : super.escape(value);
  }
}

/** MikroORM's PostgreSQL connection on Aura's knex dialect. */
export class AuraPostgreSqlConnection extends PostgreSqlConnection {
  override createKnex(): void {
    this.client = this.createKnexClient(AuraKnexDialect as never);
    (this.client.client as unknown as { ormConfig: Configuration }).ormConfig = this.config;
    this.connected = true;
  }
}

/** MikroORM's PostgreSQL driver (the same connector) on Aura's platform and connection. */
export class AuraPostgreSqlDriver extends AbstractSqlDriver<AuraPostgreSqlConnection, AuraPostgreSqlPlatform> {
  constructor(config: Configuration) {
    super(config, new AuraPostgreSqlPlatform(), AuraPostgreSqlConnection, ['knex', 'pg']);
  }
}

/**
 * `onQuery` sees every statement as sent (tests count them); the log, at debug level, gets each
 * statement's shape only: MikroORM inlines the values (PHI, password hashes) into the SQL.
 */
export function ormOptions(endpoint: DatabaseEndpoint, modules: AuraModule[], onQuery?: QueryListener, log?: Logger): Options {
  const logQueries = log?.isLevelEnabled('debug') ?? false;
  const observe = (message: string) => {
    const sql = message.replace(/^\[query\] /, '');
    onQuery?.(sql);
    if (logQueries) {
      const [, statement, ms] = /^([\s\S]*?)(?: \[took (\d+) ms[^\]]*\])?$/.exec(sql)!;
      log!.debug({ sql: statementShape(statement), ...(ms ? { ms: Number(ms) } : {}) }, 'query');
    }
  };
  return {
    driver: AuraPostgreSqlDriver,
    clientUrl: endpoint.clientUrl,
    entities: modules.flatMap((module) => module.entities),
    pool: { min: 0, max: endpoint.poolSize },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: onQuery || logQueries ? ['query'] : false,
    colors: false,
    ...(onQuery || logQueries ? { logger: observe } : {}),
    discovery: { warnWhenNoEntities: false },
    // openDatabase has checked the database exists (or created it, AURA_CREATE_DATABASE=on); the ORM creates none.
    ensureDatabase: false,
    // knex prints lost connections to stdout, quoting the statement; they surface as operation errors instead.
    driverOptions: { log: { warn: () => undefined } },
    migrations: {
      tableName: 'aura_migrations',
      migrationsList: migrationsOf(modules),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      emit: 'ts',
    },
  };
}

/** The ORM, with the data keys its encrypted columns (EncryptedText) read and write with. */
export async function connectOrm(endpoint: DatabaseEndpoint, modules: AuraModule[], dataKeys: DataKeyring, onQuery?: QueryListener, log?: Logger): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(endpoint, modules, onQuery, log));
  attachDataCipher(orm, new DataCipher(dataKeys));
  withMigrator(orm);
  return orm;
}

/**
 * The migrator (@mikro-orm/migrations, umzug and their dependencies: about a hundred modules) is
 * loaded when first asked for (`orm.getMigrator()`), not at every start: a database that is up to
 * date (the usual start) never needs it.
 */
export function withMigrator(orm: MikroORM): void {
  orm.config.registerExtension('@mikro-orm/migrator', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Migrator } = require('@mikro-orm/migrations') as typeof import('@mikro-orm/migrations');
    return new Migrator(orm.em);
  });
}

/** True when every migration of the enabled modules is recorded as applied: one cheap read, no migrator loaded. */
async function upToDate(orm: MikroORM): Promise<boolean> {
  const { tableName = 'mikro_orm_migrations', migrationsList = [] } = orm.config.get('migrations');
  const connection = orm.em.getConnection();
  const [{ present }] = await connection.execute<Array<{ present: boolean }>>(`select to_regclass(?) is not null as present`, [tableName]);
  if (!present) return false;
  const applied = new Set((await connection.execute<Array<{ name: string }>>(`select name from ${tableName}`)).map((row) => row.name));
  return migrationsList.every((migration) => applied.has(migration.name ?? ''));
}

/** Any number for the advisory lock that keeps instances starting together from migrating at once. */
const MIGRATION_LOCK = 7_270_417;

/**
 * Runs every pending migration of the enabled modules; returns their names. Several instances may
 * start together: a PostgreSQL advisory lock lets one migrate while the others wait, then find nothing to do.
 */
export async function migrateToLatest(orm: MikroORM): Promise<string[]> {
  if (await upToDate(orm)) return [];
  const knex = orm.em.getConnection().getKnex();
  const connection = await knex.client.acquireConnection();
  try {
    await connection.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  } finally {
    await connection.query(`select pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => undefined);
    await knex.client.releaseConnection(connection);
  }
}
