import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  AcceptSessionDocument,
  CreateUserDocument,
  LoginDocument,
  RegisterDocument,
  ScheduleSessionDocument,
  SetWorkingHoursDocument,
  StartSessionDocument,
} from '../generated/graphql';
import { connected, follow, metric, subscribed } from '../support/live';
import { startTwoInstances, type TwoInstances } from '../support/instances';
import type { AuraProcess } from '../support/process';

/**
 * Live groups with subscribers spread over two instances on one PostgreSQL and one Redis: each
 * instance executes an event once per group of its own subscribers, and each subscriber still gets
 * only what its class may see. Needs the real services (DATABASE_URL and REDIS_URL).
 */
const services = process.env.DATABASE_URL && process.env.REDIS_URL;
const describeWithServices = services ? describe : describe.skip;

const QUERY = `subscription { therapySessionStarted { type session { id status notes therapist { id firstName } patient { id firstName } } } }`;
const DEIDENTIFIED = 'subscription { therapySessionStarted { type session { id status notes summary } } }';

async function call<T, V>(instance: AuraProcess, document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<T> {
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`${JSON.stringify(body.errors)}`);
  return body.data;
}

describeWithServices('live groups over two instances on PostgreSQL and Redis', () => {
  let instances: TwoInstances | undefined;
  let a: AuraProcess;
  let b: AuraProcess;
  const clients: Client[] = [];

  const client = (instance: AuraProcess, token: string) => {
    const made = createClient({ url: instance.url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: true });
    clients.push(made);
    return made;
  };

  async function subscribers(instance: AuraProcess, token: string, count: number, query: string) {
    const made = Array.from({ length: count }, () => client(instance, token));
    const ready = Promise.all(made.map(connected));
    const followed = made.map((c) => follow(c, query));
    await ready;
    return followed;
  }

  beforeAll(async () => {
    instances = await startTwoInstances('live-groups');
    ({ a, b } = instances);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    if (instances) expect(await instances.stop()).toEqual([0, 0]);
  });

  it('executes once per group on each instance and delivers to each subscriber what it may see', async () => {
    const admin = (await call(a, LoginDocument, { email: 'admin@aura.test', password: 'admin-password-1' })).login;
    const input = { email: 'analyst@example.com', password: 'analyst-password', firstName: 'A', lastName: 'N', role: 'ANALYST' as const };
    await call(a, CreateUserDocument, { input }, admin.token);
    const analyst = (await call(a, LoginDocument, { email: input.email, password: input.password })).login;
    const register = async (role: 'THERAPIST' | 'PATIENT', email: string) =>
      (await call(a, RegisterDocument, { input: { email, password: 'api-test-password', firstName: role, lastName: 'X', role, timezone: 'UTC' } })).register;
    const alice = await register('THERAPIST', 'alice@example.com');
    const bob = await register('THERAPIST', 'bob@example.com');
    const patient = await register('PATIENT', 'patient@example.com');
    await call(a, SetWorkingHoursDocument, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) }, alice.token);
    const schedule = { therapistId: alice.user.id, scheduledAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60, sessionType: 'VIDEO' as const };
    const { id } = (await call(a, ScheduleSessionDocument, { input: schedule }, patient.token)).scheduleTherapySession;
    await call(a, AcceptSessionDocument, { id }, alice.token);

    // A: three admin sockets and bob; B: three admin sockets, alice and two analysts.
    const onA = [...(await subscribers(a, admin.token, 3, QUERY))];
    const [bobs] = await subscribers(a, bob.token, 1, QUERY);
    const onB = [...(await subscribers(b, admin.token, 3, QUERY)), ...(await subscribers(b, alice.token, 1, QUERY))];
    const analysts = await subscribers(b, analyst.token, 2, DEIDENTIFIED);
    await subscribed([[a.url, 4], [b.url, 6]], ['TherapySessionStarted'], process.env.REDIS_URL);
    const before = await Promise.all([a, b].map((i) => metric(i.url, 'aura_live_group_executions_total')));

    await call(a, StartSessionDocument, { id }, alice.token);
    await Promise.all([...onA, ...onB, ...analysts].map((s) => s.next(1)));
    const after = await Promise.all([a, b].map((i) => metric(i.url, 'aura_live_group_executions_total')));
    // A: the admins' group (bob's class may not see it); B: the admins', alice's and the analysts'.
    expect([after[0] - before[0], after[1] - before[1]]).toEqual([1, 3]);

    for (const s of [...onA, ...onB]) {
      expect(s.results).toEqual([
        { data: { therapySessionStarted: { type: 'STARTED', session: { id, status: 'IN_PROGRESS', notes: null, therapist: { id: alice.user.id, firstName: 'THERAPIST' }, patient: { id: patient.user.id, firstName: 'PATIENT' } } } } },
      ]);
    }
    for (const s of analysts) {
      expect(s.results).toEqual([{ data: { therapySessionStarted: { type: 'STARTED', session: { id, status: 'IN_PROGRESS', notes: null, summary: null } } } }]);
    }
    expect(bobs.results).toEqual([]);
  });
});
