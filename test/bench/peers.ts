import DataLoader from 'dataloader';
import type { Pool, PoolClient } from 'pg';
import { DataCipher, parseDataKey } from '../../src/platform/data-cipher';

/*
 * The peers' GraphQL: the same three scenarios Aura serves, hand-written over plain `pg`, one SQL
 * statement per list and a DataLoader (one `id = any($1)`) per request for the users of a page.
 */

export const USER_FIELDS = 'id email firstName lastName role isVerified timezone createdAt';
export const SESSION_FIELDS = 'id status scheduledAt durationMinutes';

export const SDL = `
  type User { id: ID! email: String! firstName: String! lastName: String! role: String! isVerified: Boolean! timezone: String! createdAt: String! }
  type UserEdge { node: User! }
  type UserConnection { totalCount: Int! edges: [UserEdge!]! }
  type TherapySession { id: ID! status: String! scheduledAt: String! durationMinutes: Int! therapist: User! patient: User! }
  type TherapySessionEdge { node: TherapySession! }
  type TherapySessionConnection { edges: [TherapySessionEdge!]! }
  input ScheduleTherapySessionInput { therapistId: ID! scheduledAt: String! durationMinutes: Int! sessionType: String! }
  type Query { users(first: Int): UserConnection! therapySessions(first: Int): TherapySessionConnection! }
  type Mutation {
    scheduleTherapySession(input: ScheduleTherapySessionInput!): TherapySession!
    acceptTherapySession(id: ID!): TherapySession!
    cancelTherapySession(id: ID!, reason: String!): TherapySession!
  }`;

const USER_COLUMNS =
  'id, email, first_name as "firstName", last_name as "lastName", role, is_verified as "isVerified", timezone, created_at as "createdAt"';
const SESSION_COLUMNS =
  'id, status, scheduled_at as "scheduledAt", duration_minutes as "durationMinutes", therapist_id as "therapistId", patient_id as "patientId"';

type Row = Record<string, unknown>;
const iso = (row: Row): Row => ({
  ...row,
  ...(row.createdAt instanceof Date ? { createdAt: row.createdAt.toISOString() } : {}),
  ...(row.scheduledAt instanceof Date ? { scheduledAt: row.scheduledAt.toISOString() } : {}),
});

/** Counts every SQL statement a peer sends, so the harness can print statements per request. */
export function countingPool(pool: Pool): { pool: Pool; statements: () => number } {
  let statements = 0;
  // pool.query runs on a client too: counting at the clients counts each statement once.
  pool.on('connect', (client: PoolClient) => {
    const clientQuery = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      statements++;
      return clientQuery(...args);
    };
  });
  return { pool, statements: () => statements };
}

/** The viewer's account, read on every request as Aura reads it (a role change counts at once). */
async function viewerOf(pool: Pool, userId: string): Promise<Row> {
  const { rows } = await pool.query('select id, role, is_active as "isActive" from users.user_account where id = $1', [userId]);
  if (!rows[0]?.isActive) throw new Error('not signed in');
  return rows[0];
}

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Cancellation reasons are clinical text, encrypted at rest: the peers encrypt them with Aura's data key
 * (the bench gives it to every server), as Aura does. A peer writing plaintext into that column would
 * leave Aura to encrypt every such row at its next start, which the bench's start-to-ready then measured.
 */
const cipher = process.env.AURA_DATA_KEY ? new DataCipher({ current: parseDataKey(process.env.AURA_DATA_KEY, 'AURA_DATA_KEY'), previous: [] }) : undefined;
const REASON_COLUMN = 'mentalhealth.therapy_session.cancellation_reason';

/** The session's new state and one outbox event, in one transaction: the write Aura makes. */
async function transition(pool: Pool, viewerId: string, id: string, status: string, reason: string | null): Promise<Row> {
  await viewerOf(pool, viewerId);
  if (reason !== null && !cipher) throw new Error('The peers need AURA_DATA_KEY to store a cancellation reason as Aura does');
  const stored = reason === null ? null : cipher!.encrypt(reason, REASON_COLUMN);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `update mentalhealth.therapy_session set status = $2, cancellation_reason = coalesce($3, cancellation_reason), updated_at = now()
        where id = $1 returning ${SESSION_COLUMNS}`,
      [id, status, stored],
    );
    await client.query(`insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at) values (gen_random_uuid(), $1, $2, $3, now())`, [
      `TherapySession${status}`,
      id,
      JSON.stringify({ id, status }),
    ]);
    return iso(rows[0]);
  });
}

/** Resolvers shared by the Apollo baseline and the Mercurius peer. `viewerIdOf(context)` is the signed-in user. */
export function resolvers(pool: Pool, viewerIdOf: (context: object) => string) {
  const loaders = new WeakMap<object, DataLoader<string, Row | undefined>>();
  const usersOf = (context: object) => {
    let loader = loaders.get(context);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const { rows } = await pool.query(`select ${USER_COLUMNS} from users.user_account where id = any($1)`, [ids]);
        const byId = new Map(rows.map((r) => [r.id, iso(r)]));
        return ids.map((id) => byId.get(id));
      });
      loaders.set(context, loader);
    }
    return loader;
  };
  return {
    Query: {
      users: async (_: unknown, { first }: { first: number }) => {
        const [page, count] = await Promise.all([
          pool.query(`select ${USER_COLUMNS} from users.user_account order by created_at, id limit $1`, [first]),
          pool.query('select count(*)::int as n from users.user_account'),
        ]);
        return { totalCount: count.rows[0].n, edges: page.rows.map((node) => ({ node: iso(node) })) };
      },
      therapySessions: async (_: unknown, { first }: { first: number }) => {
        const { rows } = await pool.query(`select ${SESSION_COLUMNS} from mentalhealth.therapy_session order by scheduled_at, id limit $1`, [first]);
        return { edges: rows.map((node) => ({ node: iso(node) })) };
      },
    },
    Mutation: {
      scheduleTherapySession: async (_: unknown, { input }: { input: { therapistId: string; scheduledAt: string; durationMinutes: number; sessionType: string } }, context: object) => {
        const viewer = await viewerOf(pool, viewerIdOf(context));
        const start = new Date(input.scheduledAt);
        const end = new Date(start.getTime() + input.durationMinutes * 60_000);
        return inTransaction(pool, async (client) => {
          const id = crypto.randomUUID();
          const { rows } = await client.query(
            `insert into mentalhealth.therapy_session (id, therapist_id, patient_id, proposed_by_id, session_type, target_audience, status, scheduled_at, duration_minutes, ends_at, created_at, updated_at)
             values ($1, $2, $3, $3, $4, 'INDIVIDUAL', 'PENDING', $5, $6, $7, now(), now()) returning ${SESSION_COLUMNS}`,
            [id, input.therapistId, viewer.id, input.sessionType, start, input.durationMinutes, end],
          );
          await client.query(`insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at) values (gen_random_uuid(), 'TherapySessionScheduled', $1, $2, now())`, [
            id,
            JSON.stringify({ id }),
          ]);
          return iso(rows[0]);
        });
      },
      acceptTherapySession: (_: unknown, { id }: { id: string }, context: object) => transition(pool, viewerIdOf(context), id, 'ACCEPTED', null),
      cancelTherapySession: (_: unknown, { id, reason }: { id: string; reason: string }, context: object) => transition(pool, viewerIdOf(context), id, 'CANCELLED', reason),
    },
    TherapySession: {
      therapist: (s: { therapistId: string }, _: unknown, context: object) => usersOf(context).load(s.therapistId),
      patient: (s: { patientId: string }, _: unknown, context: object) => usersOf(context).load(s.patientId),
    },
  };
}

/** The practical limit: no GraphQL at all, the dashboard and users list straight from SQL to JSON. */
export async function rawAnswer(pool: Pool, scenario: 'dashboard' | 'users', first: number): Promise<unknown> {
  if (scenario === 'users') {
    const [page, count] = await Promise.all([
      pool.query(`select ${USER_COLUMNS} from users.user_account order by created_at, id limit $1`, [first]),
      pool.query('select count(*)::int as n from users.user_account'),
    ]);
    return { data: { users: { totalCount: count.rows[0].n, edges: page.rows.map((node) => ({ node: iso(node) })) } } };
  }
  const { rows } = await pool.query(`select ${SESSION_COLUMNS} from mentalhealth.therapy_session order by scheduled_at, id limit $1`, [first]);
  const ids = [...new Set(rows.flatMap((r) => [r.therapistId, r.patientId]))];
  const users = await pool.query(`select ${USER_COLUMNS} from users.user_account where id = any($1)`, [ids]);
  const byId = new Map(users.rows.map((u) => [u.id, iso(u)]));
  const edges = rows.map(({ therapistId, patientId, ...s }) => ({ node: { ...iso(s), therapist: byId.get(therapistId), patient: byId.get(patientId) } }));
  return { data: { therapySessions: { edges } } };
}
