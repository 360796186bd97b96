import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import { loadSettings } from '../../src/config/env';
import { startAura, type Aura } from '../../src/platform/app';
import { createLogger } from '../../src/platform/logger';
import { scratchDatabase } from '../support/database';
import { startBaseline } from './baseline';
import { load, type LoadResult } from './load';

/**
 * `npm run bench`: Aura side by side with a hand-written Apollo Server on the same database,
 * for each scenario, checked against targets (exit 1 when one is missed). DATABASE_URL
 * measures on a real PostgreSQL; BENCH_SECONDS runs longer.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const TARGETS = {
  /** Aura's share of the baseline's throughput on the same query. */
  minRelativeThroughput: 0.5,
  /** Resident memory after the run; the embedded PGlite alone holds about 450 MiB. */
  maxRssMiB: { postgres: 450, embedded: 850 },
};

const USER_FIELDS = 'id email firstName lastName role isVerified timezone createdAt';
const SESSION_FIELDS = 'id status sessionType scheduledAt durationMinutes';

const BASELINE_SDL = `
  type User { ${USER_FIELDS.split(' ').map((f) => `${f}: ${f === 'isVerified' ? 'Boolean!' : 'String!'}`).join(' ')} }
  type UserEdge { node: User! }
  type UserConnection { totalCount: Int! edges: [UserEdge!]! }
  type TherapySession { ${SESSION_FIELDS.split(' ').map((f) => `${f}: ${f === 'durationMinutes' ? 'Int!' : 'String!'}`).join(' ')} therapist: User! patient: User! }
  type TherapySessionEdge { node: TherapySession! }
  type TherapySessionConnection { edges: [TherapySessionEdge!]! }
  type Query { users(first: Int): UserConnection! therapySessions(first: Int): TherapySessionConnection! }`;

const USER_COLUMNS =
  'id, email, first_name as "firstName", last_name as "lastName", role, is_verified as "isVerified", timezone, created_at as "createdAt"';

/** The baseline's resolvers: one SQL statement per list, a DataLoader per request for users. */
function baselineResolvers(pool: Pool) {
  const iso = <T extends { createdAt?: Date; scheduledAt?: Date }>(row: T) => ({
    ...row,
    ...(row.createdAt ? { createdAt: row.createdAt.toISOString() } : {}),
    ...(row.scheduledAt ? { scheduledAt: row.scheduledAt.toISOString() } : {}),
  });
  const usersById = () =>
    new DataLoader(async (ids: readonly string[]) => {
      const { rows } = await pool.query(`select ${USER_COLUMNS} from users.user_account where id = any($1)`, [ids]);
      const byId = new Map(rows.map((r) => [r.id, iso(r)]));
      return ids.map((id) => byId.get(id));
    });
  const loaders = new WeakMap<object, DataLoader<string, unknown>>();
  const loaderFor = (context: object) => {
    if (!loaders.has(context)) loaders.set(context, usersById());
    return loaders.get(context)!;
  };
  return {
    Query: {
      users: async (_: unknown, { first }: { first: number }) => {
        const rows = await pool.query(`select ${USER_COLUMNS} from users.user_account order by created_at, id limit $1`, [first]);
        const count = await pool.query('select count(*)::int as n from users.user_account');
        return { totalCount: count.rows[0].n, edges: rows.rows.map((node) => ({ node: iso(node) })) };
      },
      therapySessions: async (_: unknown, { first }: { first: number }) => {
        const { rows } = await pool.query(
          `select id, status, session_type as "sessionType", scheduled_at as "scheduledAt", duration_minutes as "durationMinutes",
                  therapist_id as "therapistId", patient_id as "patientId"
             from mentalhealth.therapy_session order by scheduled_at, id limit $1`,
          [first],
        );
        return { edges: rows.map((node) => ({ node: iso(node) })) };
      },
    },
    TherapySession: {
      therapist: (s: { therapistId: string }, _: unknown, context: object) => loaderFor(context).load(s.therapistId),
      patient: (s: { patientId: string }, _: unknown, context: object) => loaderFor(context).load(s.patientId),
    },
  };
}

const SCENARIOS = [
  { name: 'users(first: 50)', fields: '~400', query: `{ users(first: 50) { totalCount edges { node { ${USER_FIELDS} } } } }` },
  {
    name: 'dashboard: 50 sessions with therapist and patient',
    fields: '~1,100',
    query: `{ therapySessions(first: 50) { edges { node { ${SESSION_FIELDS} therapist { ${USER_FIELDS} } patient { ${USER_FIELDS} } } } } }`,
  },
];

async function seed(aura: Aura): Promise<string> {
  const connection = aura.orm.em.fork().getConnection();
  const insertUser = async (i: number, role: string) => {
    const id = randomUUID();
    await connection.execute(
      `insert into users.user_account (id, email, password_hash, first_name, last_name, role, timezone) values (?, ?, 'x', ?, ?, ?, 'Europe/Berlin')`,
      [id, `bench-${role.toLowerCase()}-${i}@example.com`, `First${i}`, `Last${i}`, role],
    );
    return id;
  };
  const therapists = [];
  const patients = [];
  for (let i = 0; i < 10; i++) therapists.push(await insertUser(i, 'THERAPIST'));
  for (let i = 0; i < 50; i++) patients.push(await insertUser(i, 'PATIENT'));
  for (let i = 0; i < 60; i++) {
    const start = new Date(Date.UTC(2027, 0, 4 + Math.floor(i / 10), 8 + (i % 8)));
    await connection.execute(
      `insert into mentalhealth.therapy_session (id, therapist_id, patient_id, proposed_by_id, session_type, target_audience, status, scheduled_at, duration_minutes, ends_at, created_at, updated_at)
       values (?, ?, ?, ?, 'VIDEO', 'INDIVIDUAL', 'ACCEPTED', ?, 60, ?, now(), now())`,
      [randomUUID(), therapists[i % 10], patients[i % 50], patients[i % 50], start, new Date(start.getTime() + 3_600_000)],
    );
  }
  const [{ id }] = await connection.execute(`select id from users.user_account where email = 'bench@aura.test'`);
  return aura.gateway.tokens.issue({ userId: id, role: 'ADMIN' });
}

function report(name: string, r: LoadResult): void {
  console.log(
    `  ${name.padEnd(24)} ${r.perSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}`,
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
    const token = await seed(aura);
    const auraUrl = `http://127.0.0.1:${aura.server.port}/graphql`;
    // pglite-socket runs every connection on PGlite's one session and queues wire messages one by
    // one, so parameterised (extended-protocol) queries of two connections can interleave: "portal does
    // not exist", or one connection's parameters bound to the other's statement. Aura is not exposed
    // (MikroORM inlines parameters: one simple-protocol message per statement); the baseline's pg
    // Pool is, so on the embedded database it gets one connection (PGlite runs one statement at a time anyway).
    const baseline = await startBaseline(aura.database.clientUrl, BASELINE_SDL, baselineResolvers, aura.database.embedded ? 1 : 4);
    console.log(`${SECONDS}s per run, 16 connections, database: ${aura.database.embedded ? 'embedded PGlite' : 'PostgreSQL'}`);
    try {
      for (const scenario of SCENARIOS) {
        const body = JSON.stringify({ query: scenario.query });
        console.log(`${scenario.name} (${scenario.fields} fields)`);
        const base = await load(baseline.url, body, {}, SECONDS);
        report('hand-written Apollo', base);
        const ours = await load(auraUrl, body, { authorization: `Bearer ${token}` }, SECONDS);
        report('Aura', ours);
        const relative = ours.perSecond / base.perSecond;
        console.log(`  Aura / baseline: ${(relative * 100).toFixed(0)} % (target >= ${TARGETS.minRelativeThroughput * 100} %)`);
        if (relative < TARGETS.minRelativeThroughput) failures.push(`${scenario.name}: ${(relative * 100).toFixed(0)} % of baseline`);
        if (ours.errors > 0 || base.errors > 0) failures.push(`${scenario.name}: ${ours.errors} + ${base.errors} failed requests`);
      }
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
