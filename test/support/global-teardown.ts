import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { runDirectory, templatePrefix, testRun } from './test-run';

/** After the run: removes its template directory and drops its template databases, whichever test files built them. */
export default async function globalTeardown(): Promise<void> {
  const run = testRun();
  if (!run) return;
  rmSync(runDirectory(run), { recursive: true, force: true });
  const server = process.env.DATABASE_URL;
  if (!server) return;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where starts_with(datname, $1)`, [templatePrefix(run)]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await admin.end();
  }
}
