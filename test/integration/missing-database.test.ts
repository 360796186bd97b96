import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ConfigurationError } from '../../src/config/env';
import { openDatabase } from '../../src/platform/database';
import { createLogger } from '../../src/platform/logger';

/** The real PostgreSQL server (CI starts it for both of its runs). */
const SERVER = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const log = createLogger('silent');

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const exists = (name: string) => onServer(async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);

describe('a DATABASE_URL naming a database that does not exist', () => {
  const name = `aura_missing_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
  afterAll(() => onServer((c) => c.query(`drop database if exists "${name}" with (force)`)));

  it('is a clear startup error, and nothing is created', async () => {
    const opening = openDatabase({ databaseUrl: url, dataDir: '/nonexistent', createDatabase: false }, log);
    await expect(opening).rejects.toThrow(ConfigurationError);
    await expect(opening).rejects.toThrow(`DATABASE_URL names database "${name}", which does not exist on 127.0.0.1:5432: create it, correct DATABASE_URL, or set AURA_CREATE_DATABASE=on`);
    expect(await exists(name)).toBe(false);
  });

  it('is created with AURA_CREATE_DATABASE=on, and found the next time', async () => {
    await openDatabase({ databaseUrl: url, dataDir: '/nonexistent', createDatabase: true }, log);
    expect(await exists(name)).toBe(true);
    await expect(openDatabase({ databaseUrl: url, dataDir: '/nonexistent', createDatabase: false }, log)).resolves.toMatchObject({ embedded: false });
  });
});
