import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrateToLatest, migrationsOf, openDatabase } from '../../src/platform/database';
import { createLogger } from '../../src/platform/logger';
import { composedModules, scratchDatabase, withOrm, type MigratedFor, type ScratchDatabase } from '../support/database';

/**
 * The real migrations, from an empty database, on whichever database the run uses (a fresh
 * PostgreSQL database in CI's first pass, embedded PGlite in its second); and the migrated template
 * the other test files start from (test/support/database.ts) is exactly what they build.
 */
const log = createLogger('silent');
const modules = composedModules(undefined)!;

/** Tables, columns, constraints, indexes and row counts of Aura's schemas: what a test could notice. */
async function described(orm: MikroORM): Promise<unknown> {
  const connection = orm.em.getConnection();
  const own = `not in ('pg_catalog', 'information_schema', 'pg_toast')`;
  const columns = await connection.execute(
    `select table_schema, table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema ${own} order by 1, 2, 3`,
  );
  const constraints = await connection.execute(
    `select n.nspname, c.conname, pg_get_constraintdef(c.oid) as definition from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname ${own} order by 1, 2`,
  );
  const indexes = await connection.execute(`select schemaname, indexname, indexdef from pg_indexes where schemaname ${own} order by 1, 2`);
  const tables = await connection.execute<Array<{ table_schema: string; table_name: string }>>(
    `select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' and table_schema ${own} order by 1, 2`,
  );
  const rows: Record<string, number> = {};
  for (const { table_schema, table_name } of tables) {
    const [{ count }] = await connection.execute<Array<{ count: string }>>(`select count(*) as count from "${table_schema}"."${table_name}"`);
    rows[`${table_schema}.${table_name}`] = Number(count);
  }
  return { columns, constraints, indexes, rows };
}

describe('migrations', () => {
  const made: Array<{ dataDir: string; database: ScratchDatabase }> = [];
  const scratch = async (migrated?: Omit<MigratedFor, 'dataDir'>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aura-migrations-'));
    const database = await scratchDatabase(migrated && { ...migrated, dataDir });
    made.push({ dataDir, database });
    return openDatabase({ databaseUrl: database.url, dataDir }, log);
  };

  afterAll(async () => {
    for (const { dataDir, database } of made) {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('run from an empty database, all in order, then find nothing pending; the template test files start from is that schema', async () => {
    const empty = await scratch();
    const fromScratch = await withOrm(empty, modules, async (orm) => {
      expect(await migrateToLatest(orm)).toEqual(migrationsOf(modules).map((migration) => migration.name));
      expect(await migrateToLatest(orm)).toEqual([]);
      return described(orm);
    }).finally(() => empty.close());

    const copied = await scratch({ modules });
    const fromTemplate = await withOrm(copied, modules, async (orm) => {
      expect(await migrateToLatest(orm)).toEqual([]);
      return described(orm);
    }).finally(() => copied.close());

    expect(fromTemplate).toEqual(fromScratch);
    expect(Object.keys((fromScratch as { rows: object }).rows).length).toBeGreaterThan(10);
  });
});
