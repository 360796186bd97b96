import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  AcceptSessionDocument,
  DomainEventsDocument,
  LoginDocument,
  MeDocument,
  RegisterDocument,
  ScheduleSessionDocument,
  SetWorkingHoursDocument,
  StartSessionDocument,
} from '../generated/graphql';
import { TEST_JWT_SECRET } from '../support/aura';
import { realPostgresUrl, scratchDatabase, type ScratchDatabase } from '../support/database';
import { freePort, startAuraProcess, type AuraProcess } from '../support/process';
import { privatePostgresAvailable, startPrivatePostgres, startPrivateRedis, until, type PrivateServer } from '../support/services';

/**
 * Two Aura processes on one PostgreSQL (a scratch database on DATABASE_URL's server, or a private
 * one) and a private Redis, which the test kills and restarts on the same port.
 */
const describeWithPostgres = realPostgresUrl || privatePostgresAvailable ? describe : describe.skip;

async function call<T, V>(instance: AuraProcess, document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<T> {
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (response.status !== 200 || body.errors || !body.data) throw new Error(`${response.status} ${JSON.stringify(body.errors)}`);
  return body.data;
}

describeWithPostgres('a Redis outage under two instances', () => {
  let redis: PrivateServer | undefined;
  let postgres: PrivateServer | undefined;
  let database: ScratchDatabase | undefined;
  let dataDir: string;
  let a: AuraProcess | undefined;
  let b: AuraProcess | undefined;
  let subscriber: Client | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aura-redis-outage-'));
    redis = await startPrivateRedis();
    let databaseUrl: string;
    if (realPostgresUrl) {
      database = await scratchDatabase();
      databaseUrl = database.url!;
    } else {
      postgres = await startPrivatePostgres();
      databaseUrl = postgres.url;
    }
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      AURA_DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      AURA_ADMIN_EMAIL: 'admin@aura.test',
      AURA_ADMIN_PASSWORD: 'admin-password-1',
      AURA_MIN_LEAD_MINUTES: '0',
      AURA_EARLY_START_MINUTES: '4320',
      // Retries come quickly and never run out during the test, however slow the machine.
      AURA_EVENT_RETRY_BASE_MS: '200',
      AURA_EVENT_MAX_ATTEMPTS: '1000',
      LOG_LEVEL: 'info',
    };
    // A polls; B dispatches only what its own commits wake it for. Live events caused on A reach
    // B's subscribers only through Redis.
    a = startAuraProcess(await freePort(), { ...env, AURA_EVENT_POLL_MS: '100' });
    b = startAuraProcess(await freePort(), { ...env, AURA_EVENT_POLL_MS: '3600000' });
    await Promise.all([a.ready(), b.ready()]);
  }, 180_000);

  afterAll(async () => {
    try {
      await subscriber?.dispose();
      // Whatever happened, no process is left behind: SIGTERM, then SIGKILL by PID if it hangs.
      await Promise.all(
        [a, b].map(async (instance) => {
          if (!instance) return;
          const killer = setTimeout(() => instance.child.kill('SIGKILL'), 30_000);
          await instance.stop();
          clearTimeout(killer);
        }),
      );
    } finally {
      await redis?.dispose();
      await database?.drop();
      await postgres?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('costs only live fan-out while it lasts: no crash, deliveries wait, and they reach the other instance when Redis returns', async () => {
    const [A, B] = [a!, b!];
    const admin = (await call(A, LoginDocument, { email: 'admin@aura.test', password: 'admin-password-1' })).login.token;
    const register = (role: 'PATIENT' | 'THERAPIST', email: string) =>
      call(A, RegisterDocument, { input: { email, password: 'outage-password', firstName: 'R', lastName: 'Outage', role } }).then((r) => r.register);
    const therapist = await register('THERAPIST', 'therapist@example.com');
    const patient = await register('PATIENT', 'patient@example.com');
    await call(A, SetWorkingHoursDocument, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) }, therapist.token);
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const book = async (on: AuraProcess, hour: number) => {
      const scheduledAt = new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), hour)).toISOString();
      const input = { therapistId: therapist.user.id, scheduledAt, durationMinutes: 60, sessionType: 'VIDEO' as const };
      return (await call(on, ScheduleSessionDocument, { input }, patient.token)).scheduleTherapySession.id;
    };

    // The therapist listens on B.
    const received: Array<{ type: string; id: string }> = [];
    subscriber = createClient({ url: B.url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${therapist.token}` }, retryAttempts: 0 });
    subscriber.subscribe<{ therapySessionEvents: { type: string; session: { id: string } } }>(
      { query: 'subscription { therapySessionEvents { type session { id } } }' },
      { next: ({ data }) => data && received.push({ type: data.therapySessionEvents.type, id: data.therapySessionEvents.session.id }), error: () => undefined, complete: () => undefined },
    );
    const heard = (type: string, id: string) => received.some((e) => e.type === type && e.id === id);

    // Fan-out works: an event caused on A is heard on B (which also proves B's subscription is in place).
    const first = await book(A, 3);
    await call(A, AcceptSessionDocument, { id: first }, therapist.token);
    await until('the ACCEPTED event to reach B', () => heard('ACCEPTED', first));

    await redis!.kill('SIGKILL');

    // Events caused on both instances while Redis is away: each instance dispatches its own.
    await call(A, StartSessionDocument, { id: first }, therapist.token);
    const second = await book(B, 6);

    const liveDelivery = async (type: string, aggregateId: string) => {
      const { domainEvents } = await call(A, DomainEventsDocument, { type, aggregateId, first: 10 }, admin);
      return domainEvents.edges[0]?.node.deliveries.find((d) => d.subscriber === 'graphql-subscriptions');
    };
    for (const [type, id] of [
      ['TherapySessionStarted', first],
      ['TherapySessionScheduled', second],
    ]) {
      // Tried and failed (at least twice: retried), not marked DELIVERED.
      await until(`a failed publish of ${type}`, async () => ((await liveDelivery(type, id))?.attempts ?? 0) >= 2);
      expect((await liveDelivery(type, id))?.status).toBe('PENDING');
    }
    // Both instances are alive and serving.
    for (const instance of [A, B]) {
      expect(instance.child.exitCode).toBeNull();
      expect((await call(instance, MeDocument, {}, patient.token)).me?.id).toBe(patient.user.id);
    }
    expect(heard('STARTED', first)).toBe(false);

    await redis!.restart();

    await until('the STARTED and SCHEDULED events to reach B after Redis returned', () => heard('STARTED', first) && heard('SCHEDULED', second), 90_000);
    expect((await liveDelivery('TherapySessionStarted', first))?.status).toBe('DELIVERED');
    // Each live event reached the subscriber once.
    expect(received.filter((e) => e.type === 'STARTED')).toHaveLength(1);

    for (const instance of [A, B]) {
      expect(instance.child.exitCode).toBeNull();
      const output = instance.output();
      expect(output).not.toContain('unhandled promise rejection');
      expect(output).not.toContain('MaxRetriesPerRequestError');
      // The outage is reported, not every reconnect attempt.
      const redisWarnings = output.split('\n').filter((line) => line.includes('"level":40') && line.includes('Redis'));
      expect(redisWarnings.length).toBeGreaterThan(0);
      expect(redisWarnings.length).toBeLessThanOrEqual(6);
    }
  }, 240_000);
});
