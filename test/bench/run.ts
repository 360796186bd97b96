import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '../../src/config/env';
import { startAura } from '../../src/platform/app';
import { createLogger } from '../../src/platform/logger';
import { scratchDatabase } from '../support/database';
import { startBaseline } from './baseline';
import { load, type LoadResult } from './load';

/**
 * `npm run bench`: Aura side by side with a plain Apollo baseline on the same database,
 * checked against targets (exit 1 when one is missed). Set DATABASE_URL to measure on a
 * real PostgreSQL; BENCH_SECONDS to run longer.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const TARGETS = {
  /** Aura's share of the baseline's throughput on the same list query. */
  minRelativeThroughput: 0.5,
  /** Resident memory after the run; the embedded PGlite alone holds about 450 MiB. */
  maxRssMiB: { postgres: 400, embedded: 800 },
};

const USERS_QUERY = `{ users(first: 50) { totalCount edges { node { id email firstName lastName role isVerified timezone createdAt } } } }`;
const BASELINE_SDL = `
  type User { id: ID! email: String! firstName: String! lastName: String! role: String! isVerified: Boolean! timezone: String! createdAt: String! }
  type UserEdge { node: User! }
  type UserConnection { totalCount: Int! edges: [UserEdge!]! }
  type Query { users(first: Int): UserConnection! }`;

function report(name: string, r: LoadResult): void {
  console.log(
    `${name.padEnd(28)} ${r.perSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}`,
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aura-bench-'));
  const database = await scratchDatabase();
  const settings = loadSettings({
    ...process.env,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    AURA_DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    AURA_ADMIN_EMAIL: 'bench@aura.test',
    AURA_ADMIN_PASSWORD: 'bench-password',
    LOG_LEVEL: 'silent',
  });
  const aura = await startAura(settings, { port: 0, log: createLogger('silent') });
  const failures: string[] = [];
  try {
    const em = aura.orm.em.fork();
    const connection = em.getConnection();
    for (let i = 0; i < 60; i++) {
      await connection.execute(
        `insert into users.user_account (id, email, password_hash, first_name, last_name, role, timezone) values (?, ?, 'x', ?, ?, 'PATIENT', 'Europe/Berlin')`,
        [randomUUID(), `bench-${i}@example.com`, `First${i}`, `Last${i}`],
      );
    }
    const token = aura.gateway.tokens.issue({
      userId: (await connection.execute(`select id from users.user_account where email = 'bench@aura.test'`))[0].id,
      role: 'ADMIN',
    });
    const auraUrl = `http://127.0.0.1:${aura.server.port}/graphql`;
    const baseline = await startBaseline(aura.database.clientUrl, BASELINE_SDL, (pool) => ({
      Query: {
        users: async (_: unknown, { first }: { first: number }) => {
          const rows = await pool.query(
            'select id, email, first_name as "firstName", last_name as "lastName", role, is_verified as "isVerified", timezone, created_at as "createdAt" from users.user_account order by created_at, id limit $1',
            [first],
          );
          const count = await pool.query('select count(*)::int as n from users.user_account');
          return { totalCount: count.rows[0].n, edges: rows.rows.map((node) => ({ node: { ...node, createdAt: node.createdAt.toISOString() } })) };
        },
      },
    }));
    try {
      const body = JSON.stringify({ query: USERS_QUERY });
      console.log(`users(first: 50), ~400 fields, ${SECONDS}s each, database: ${aura.database.embedded ? 'embedded PGlite' : 'PostgreSQL'}`);
      const base = await load(baseline.url, body, {}, SECONDS);
      report('plain Apollo baseline', base);
      const ours = await load(auraUrl, body, { authorization: `Bearer ${token}` }, SECONDS);
      report('Aura', ours);
      const relative = ours.perSecond / base.perSecond;
      console.log(`Aura / baseline: ${(relative * 100).toFixed(0)} % (target >= ${TARGETS.minRelativeThroughput * 100} %)`);
      if (relative < TARGETS.minRelativeThroughput) failures.push(`throughput ${(relative * 100).toFixed(0)} % of baseline`);
      if (ours.errors > 0) failures.push(`${ours.errors} failed requests`);
    } finally {
      await baseline.stop();
    }
    const rss = process.memoryUsage().rss / 2 ** 20;
    const maxRss = aura.database.embedded ? TARGETS.maxRssMiB.embedded : TARGETS.maxRssMiB.postgres;
    console.log(`resident memory: ${rss.toFixed(0)} MiB (target <= ${maxRss} MiB)`);
    if (rss > maxRss) failures.push(`memory ${rss.toFixed(0)} MiB`);
  } finally {
    await aura.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`targets missed: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log('all targets met');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
