import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  AcceptSessionDocument,
  CreateUserDocument,
  MeDocument,
  UpdateUserDocument,
  UsersDocument,
  DomainEventsDocument,
  EndSessionDocument,
  InvoicesDocument,
  LoginDocument,
  RegisterDocument,
  ScheduleSessionDocument,
  SetWorkingHoursDocument,
  StartSessionDocument,
} from '../generated/graphql';
import { startTwoInstances, type TwoInstances } from '../support/instances';
import type { AuraProcess } from '../support/process';

/**
 * Two Aura processes on one PostgreSQL and one Redis, as production would run them.
 * It needs the real services: run with DATABASE_URL and REDIS_URL (as .ci/run does).
 */
const services = process.env.DATABASE_URL && process.env.REDIS_URL;
const describeWithServices = services ? describe : describe.skip;

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

describeWithServices('several instances sharing PostgreSQL and Redis', () => {
  let instances: TwoInstances | undefined;
  let a: AuraProcess;
  let b: AuraProcess;

  beforeAll(async () => {
    instances = await startTwoInstances('instances');
    ({ a, b } = instances);
  }, 120_000);

  afterAll(async () => {
    if (instances) expect(await instances.stop()).toEqual([0, 0]);
  });

  it('invoices each ended session once, and streams events caused on A to subscribers of B', async () => {
    const admin = (await call(a, LoginDocument, { email: 'admin@aura.test', password: 'admin-password-1' })).login.token;
    const register = (on: AuraProcess, role: 'PATIENT' | 'THERAPIST', email: string) =>
      call(on, RegisterDocument, { input: { email, password: 'instance-password', firstName: 'I', lastName: email, role } }).then((r) => r.register);
    const therapist = await register(a, 'THERAPIST', 'therapist@example.com');
    await call(b, SetWorkingHoursDocument, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) }, therapist.token);

    const subscriber = createClient({ url: b.url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${therapist.token}` }, retryAttempts: 0 });
    const ended: string[] = [];
    const connected = new Promise<void>((resolve) => subscriber.on('connected', () => resolve()));
    const dispose = subscriber.subscribe<{ therapySessionEnded: { session: { id: string } } }>(
      { query: 'subscription { therapySessionEnded { type session { id status } } }' },
      { next: ({ data }) => ended.push(data!.therapySessionEnded.session.id), error: () => undefined, complete: () => undefined },
    );
    await connected;
    await new Promise((r) => setTimeout(r, 300));

    const tomorrow = new Date();
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const sessionIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [one, other] = i % 2 === 0 ? [a, b] : [b, a];
      const patient = await register(one, 'PATIENT', `patient-${i}@example.com`);
      const scheduledAt = new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), 2 + 2 * i)).toISOString();
      const input = { therapistId: therapist.user.id, scheduledAt, durationMinutes: 60, sessionType: 'VIDEO' as const };
      const { id } = (await call(one, ScheduleSessionDocument, { input }, patient.token)).scheduleTherapySession;
      await call(other, AcceptSessionDocument, { id }, therapist.token);
      await call(one, StartSessionDocument, { id }, therapist.token);
      await call(a, EndSessionDocument, { id, summary: `session ${i}` }, therapist.token); // every end is caused on A
      sessionIds.push(id);
    }

    for (let i = 0; i < 200 && ended.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    expect([...ended].sort()).toEqual([...sessionIds].sort());

    let invoices: Array<{ session: { id: string } }> = [];
    for (let i = 0; i < 200; i++) {
      invoices = (await call(b, InvoicesDocument, { first: 100 }, admin)).invoices.edges.map((e) => e.node);
      if (invoices.length >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500)); // time for a wrongful second invoice to appear
    invoices = (await call(b, InvoicesDocument, { first: 100 }, admin)).invoices.edges.map((e) => e.node);
    expect(invoices.map((i) => i.session.id).sort()).toEqual([...sessionIds].sort());

    // Both dispatchers competed for every delivery; each was handled exactly once.
    const log = await call(a, DomainEventsDocument, { type: 'TherapySessionEnded', first: 100 }, admin);
    for (const { node } of log.domainEvents.edges) {
      expect(node.deliveries.map((d) => [d.subscriber, d.status, d.attempts])).toEqual([
        ['analytics.sessionProjection', 'DELIVERED', 1],
        ['billing.invoicing', 'DELIVERED', 1],
        ['graphql-subscriptions', 'DELIVERED', 1],
      ]);
    }
    dispose();
    await subscriber.dispose();
  }, 120_000);

  it("takes a demoted admin's powers on every instance from the next operation, and closes their sockets there with 4403", async () => {
    const admin = (await call(a, LoginDocument, { email: 'admin@aura.test', password: 'admin-password-1' })).login.token;
    const input = { email: 'second-admin@example.com', password: 'second-admin-password', firstName: 'S', lastName: 'A', role: 'ADMIN' as const };
    const second = (await call(a, CreateUserDocument, { input }, admin)).createUser;
    const token = (await call(b, LoginDocument, { email: input.email, password: input.password })).login.token;
    const socket = createClient({ url: b.url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const closed = new Promise<number>((resolve) => socket.on('closed', (event) => resolve((event as { code: number }).code)));
    const connected = new Promise<void>((resolve) => socket.on('connected', () => resolve()));
    const dispose = socket.subscribe({ query: 'subscription { therapySessionEvents { type } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await connected;
    expect((await call(b, UsersDocument, {}, token)).users.totalCount).toBeGreaterThan(0);

    await call(a, UpdateUserDocument, { id: second.id, input: { role: 'PATIENT' } }, admin); // changed on A

    await expect(call(b, UsersDocument, {}, token)).rejects.toThrow(/FORBIDDEN/); // refused on B at once
    expect((await call(b, MeDocument, {}, token)).me!.role).toBe('PATIENT');
    expect(await closed).toBe(4403); // B heard of it through Redis
    dispose();
    await socket.dispose();
  }, 120_000);
});
