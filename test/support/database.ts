import { createHash, randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Settings } from '../../src/config/env';
import { AURA_MODULES } from '../../src/config/modules';
import { migrateToLatest, migrationsOf, openDatabase, ormOptions, withMigrator, type DatabaseEndpoint } from '../../src/platform/database';
import { createLogger } from '../../src/platform/logger';
import type { AuraModule, ModuleManifestEntry } from '../../src/platform/module';
import { orderModules } from '../../src/platform/module-loader';
import { until } from './services';
import { runDirectory, templatePrefix, testRun } from './test-run';

/**
 * A fresh database on the PostgreSQL server of DATABASE_URL (as CI runs), or none when
 * DATABASE_URL is unset and tests use the embedded default (PGlite in the data dir) instead.
 */
export interface ScratchDatabase {
  url?: string;
  drop(): Promise<void>;
}

/**
 * What a scratch database starts with: the schema of these modules' migrations, copied from a
 * template migrated once per jest run, so a test file does not run (nor, embedded, initdb) again
 * what every other file ran. The Aura that opens it finds nothing pending, as on a restart.
 */
export interface MigratedFor {
  /** Default: the manifest's, all enabled (as a process started with no AURA_MODULES_ENABLED). */
  modules?: AuraModule[];
  /** The data dir of the embedded database (the copy lands in its pgdata); unused on PostgreSQL. */
  dataDir: string;
}

export const realPostgresUrl = process.env.DATABASE_URL || undefined;

/** The time a template may take to build on a loaded machine before the files waiting for it give up. */
const TEMPLATE_DEADLINE_MS = 300_000;

function databaseUrl(name: string): string {
  const url = new URL(realPostgresUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(sql: string): Promise<void> {
  const admin = new Client({ connectionString: realPostgresUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * The modules a composition migrates (the manifest's, or the AURA_MODULES_ENABLED subset), or
 * undefined when it does not boot: that Aura gets an empty database, and its boot reports why.
 */
export function composedModules(modulesEnabled: string[] | undefined, manifest: ModuleManifestEntry[] = AURA_MODULES): AuraModule[] | undefined {
  try {
    return orderModules(manifest, modulesEnabled).map((entry) => entry.load());
  } catch {
    return undefined;
  }
}

/** Names a migration set by content: the names in order and each migration's code, so a changed migration gets a new template. */
function templateKey(modules: AuraModule[]): string {
  const hash = createHash('sha256');
  for (const migration of migrationsOf(modules)) hash.update(`${migration.name}\n${String(migration.class)}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** An ORM with these modules' entities and migrations on an endpoint (no data keys: migrations need none), closed after `use`. */
export async function withOrm<T>(endpoint: DatabaseEndpoint, modules: AuraModule[], use: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(ormOptions(endpoint, modules));
  withMigrator(orm);
  try {
    return await use(orm);
  } finally {
    await orm.close(true);
  }
}

/**
 * The template for a migration set, built by the first test file of the run that needs it (an
 * exclusive lock file) while the others wait for its ready marker. Returns the template database's
 * name on PostgreSQL, the template pgdata directory embedded.
 */
async function template(run: string, modules: AuraModule[]): Promise<string> {
  const directory = runDirectory(run);
  const key = templateKey(modules);
  const made = realPostgresUrl ? `${templatePrefix(run)}${key}` : join(directory, `${key}.pgdata`);
  const ready = join(directory, `${key}.ready`);
  const failed = join(directory, `${key}.failed`);
  let lock: number;
  try {
    lock = openSync(join(directory, `${key}.lock`), 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await until(`the migrated template ${key}`, () => existsSync(ready) || existsSync(failed), TEMPLATE_DEADLINE_MS);
    if (existsSync(failed)) throw new Error(`The migrated template ${key} failed to build: ${readFileSync(failed, 'utf8')}`);
    return made;
  }
  closeSync(lock);
  try {
    if (realPostgresUrl) {
      await onServer(`create database "${made}"`);
      await withOrm({ clientUrl: databaseUrl(made), embedded: false, poolSize: 2, close: async () => undefined }, modules, migrateToLatest);
    } else {
      const building = join(directory, `${key}.building`);
      const endpoint = await openDatabase({ databaseUrl: undefined, dataDir: building }, createLogger('silent'));
      try {
        await withOrm(endpoint, modules, migrateToLatest);
      } finally {
        await endpoint.close();
      }
      renameSync(join(building, 'pgdata'), made);
      rmSync(building, { recursive: true, force: true });
    }
    writeFileSync(ready, '');
    return made;
  } catch (error) {
    writeFileSync(failed, String(error));
    throw error;
  }
}

/**
 * A fresh database: empty (the Aura that opens it migrates from scratch), or, with `migrated` and
 * inside a jest run, already migrated for those modules. Embedded, the empty one is the data dir's
 * absence of pgdata, which PGlite initialises on open.
 */
export async function scratchDatabase(migrated?: MigratedFor): Promise<ScratchDatabase> {
  const run = testRun();
  const modules = migrated && (migrated.modules ?? composedModules(undefined)!);
  const from = modules && run ? await template(run, modules) : undefined;
  if (!realPostgresUrl) {
    if (from) cpSync(from, join(migrated!.dataDir, 'pgdata'), { recursive: true });
    return { drop: async () => undefined };
  }
  const name = `aura_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(from ? `create database "${name}" template "${from}"` : `create database "${name}"`);
  return {
    url: databaseUrl(name),
    drop: () => onServer(`drop database if exists "${name}" with (force)`),
  };
}

/**
 * A test Aura's settings on a scratch database migrated for its composition (the manifest, or the
 * AURA_MODULES_ENABLED subset). A test that names its own DATABASE_URL keeps it, untouched.
 */
export async function onScratchDatabase(settings: Settings, manifest?: ModuleManifestEntry[]): Promise<{ settings: Settings; database: ScratchDatabase }> {
  if (settings.databaseUrl) return { settings, database: { url: settings.databaseUrl, drop: async () => undefined } };
  const modules = composedModules(settings.modulesEnabled, manifest);
  const database = await scratchDatabase(modules && { modules, dataDir: settings.dataDir });
  return { settings: { ...settings, databaseUrl: database.url }, database };
}
