import type { Client } from 'graphql-ws';
import {
  CreateUserDocument,
  EndSessionDocument,
  SendChatbotMessageDocument,
  StartSessionDocument,
} from '../generated/graphql';
import Redis from 'ioredis';
import { startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { acceptedSession, login, type Person, register } from '../support/people';
import { until } from '../support/services';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

interface Received {
  type: string;
  session: { id: string; status: string; notes: string | null; therapist: { id: string } };
}

/** Subscribes and collects every event; `next(n)` waits until n have arrived. */
function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: Received[] = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  const dispose = client.subscribe<Record<string, Received>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        else events.push(Object.values(result.data!)[0]);
        waiters.splice(0).forEach((wake) => wake());
      },
      error: (error) => {
        errors.push(error);
        waiters.splice(0).forEach((wake) => wake());
      },
      complete: () => undefined,
    },
  );
  const next = async (count: number) => {
    while (events.length < count && errors.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return events;
  };
  return { events, errors, next, dispose };
}

const SELECTION = '{ type occurredAt session { id status notes therapist { id } patient { id } } }';

describe('live session events over WebSocket', () => {
  let t: TestAura;
  let admin: Person;
  let alice: Person;
  let bob: Person;
  let patient: Person;

  const sessionOf = (therapist: Person, at: string) => acceptedSession(t, patient, therapist, at);

  /** Subscriptions are in place once the server has a listener for the topic. */
  /**
   * Waits until the server runs `count` operations on its sockets (its /metrics say so) and, with
   * Redis, until Redis has its subscriber on every topic: an event published before then is lost,
   * which a fixed sleep only made unlikely (and a loaded machine made likely).
   */
  async function subscribed(count: number, topics: string[]) {
    const active = async () => {
      const text = await (await fetch(t.url.replace('/graphql', '/metrics'))).text();
      return Number(/^aura_subscriptions_active (\d+)/m.exec(text)?.[1]);
    };
    await until(`${count} subscriptions to run`, async () => (await active()) === count, 300_000, 20);
    if (!t.settings.redisUrl) return;
    const redis = new Redis(t.settings.redisUrl);
    try {
      await until('Redis to hold a subscriber on every topic', async () => {
        const counts = (await redis.pubsub('NUMSUB', ...topics)) as Array<string | number>;
        return counts.filter((_, i) => i % 2 === 1).every((n) => Number(n) > 0);
      }, 300_000, 20);
    } finally {
      redis.disconnect();
    }
  }

  const connected = (client: Client) =>
    new Promise<void>((resolve, reject) => {
      const off = client.on('connected', () => {
        off();
        resolve();
      });
      client.on('closed', (event) => reject(event));
    });

  beforeAll(async () => {
    // No polling: live events must go out on the nudge that follows each commit.
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '3600000' }, { clock });
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    alice = await register(t, 'THERAPIST');
    bob = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t.stop());

  it("delivers a therapist's own started and ended events, with notes, and nothing to another therapist", async () => {
    const aliceSession = await sessionOf(alice, '2026-12-08T10:00:00.000Z');
    const bobSession = await sessionOf(bob, '2026-12-08T12:00:00.000Z');
    const aliceClient = t.wsClient(alice.token);
    const bobClient = t.wsClient(bob.token);
    const ready = Promise.all([connected(aliceClient), connected(bobClient)]);
    const aliceStarted = collect(aliceClient, `subscription { therapySessionStarted ${SELECTION} }`);
    const aliceEnded = collect(aliceClient, `subscription { therapySessionEnded ${SELECTION} }`);
    const bobStarted = collect(bobClient, `subscription { therapySessionStarted ${SELECTION} }`);
    const bobEnded = collect(bobClient, `subscription { therapySessionEnded ${SELECTION} }`);
    await ready;
    await subscribed(4, ['TherapySessionStarted', 'TherapySessionEnded']);

    clock.set('2026-12-08T10:00:00Z');
    await t.request(StartSessionDocument, { id: aliceSession }, alice.token);
    await t.request(EndSessionDocument, { id: aliceSession, summary: 'ok', notes: 'private to alice' }, alice.token);
    clock.set('2026-12-08T12:00:00Z');
    await t.request(StartSessionDocument, { id: bobSession }, bob.token);

    expect((await aliceStarted.next(1)).map((e) => [e.type, e.session.id, e.session.status])).toEqual([['STARTED', aliceSession, 'IN_PROGRESS']]);
    const [ended] = await aliceEnded.next(1);
    expect(ended).toMatchObject({ type: 'ENDED', session: { id: aliceSession, status: 'COMPLETED', notes: 'private to alice', therapist: { id: alice.id } } });
    // Bob's first started event is his own: Alice's, published before it, never reached him.
    expect((await bobStarted.next(1)).map((e) => e.session.id)).toEqual([bobSession]);
    expect(bobEnded.events).toEqual([]);
    expect([aliceStarted.errors, aliceEnded.errors, bobStarted.errors]).toEqual([[], [], []]);
    for (const s of [aliceStarted, aliceEnded, bobStarted, bobEnded]) s.dispose();
  });

  it('lets an admin follow all sessions by type, without notes, and an analyst too', async () => {
    const id = await sessionOf(alice, '2026-12-09T10:00:00.000Z');
    const adminClient = t.wsClient(admin.token);
    await t.request(
      CreateUserDocument,
      { input: { email: 'analyst@example.com', password: 'analyst-password', firstName: 'A', lastName: 'N', role: 'ANALYST' } },
      admin.token,
    );
    const analyst = await login(t, 'analyst@example.com', 'analyst-password');
    const analystClient = t.wsClient(analyst.token);
    const ready = Promise.all([connected(adminClient), connected(analystClient)]);
    const adminEvents = collect(adminClient, `subscription($types: [TherapySessionEventType!]) { therapySessionEvents(types: $types) ${SELECTION} }`, { types: ['ENDED'] });
    // Analysts follow de-identified: participants are refused them (see privileges.test.ts).
    const analystEvents = collect(analystClient, `subscription($t: ID) { therapySessionEvents(therapistId: $t) { type occurredAt session { id status notes } } }`, { t: alice.id });
    await ready;
    await subscribed(2, ['TherapySessionStarted', 'TherapySessionEnded']);

    clock.set('2026-12-09T10:00:00Z');
    await t.request(StartSessionDocument, { id }, alice.token);
    await t.request(EndSessionDocument, { id, notes: 'never for admins' }, alice.token);

    const [onlyEnded] = await adminEvents.next(1);
    expect(onlyEnded).toMatchObject({ type: 'ENDED', session: { id, notes: null } });
    expect((await analystEvents.next(2)).map((e) => [e.type, e.session.notes])).toEqual([['STARTED', null], ['ENDED', null]]);
    adminEvents.dispose();
    analystEvents.dispose();
  });

  it("alerts a patient's therapist live when the chatbot detects a crisis, without the message", async () => {
    const aliceClient = t.wsClient(alice.token);
    const bobClient = t.wsClient(bob.token);
    const ready = Promise.all([connected(aliceClient), connected(bobClient)]);
    const query = 'subscription { chatbotCrisisAlerts { interactionId occurredAt patient { id firstName } } }';
    const aliceAlerts = collect(aliceClient, query);
    const bobAlerts = collect(bobClient, query);
    await ready;
    await subscribed(2, ['ChatbotCrisisDetected']);
    const lonely = await register(t, 'PATIENT');
    await t.request(SendChatbotMessageDocument, { message: 'I want to kill myself' }, lonely.token);
    const sent = await t.request(SendChatbotMessageDocument, { message: 'I want to kill myself tonight' }, patient.token);
    const [alert] = (await aliceAlerts.next(1)) as unknown as Array<{ interactionId: string; patient: { id: string } }>;
    expect(alert).toMatchObject({ interactionId: sent.data!.sendChatbotMessage.id, patient: { id: patient.id } });
    expect(JSON.stringify(alert)).not.toContain('kill');
    expect(aliceAlerts.events).toHaveLength(1);
    await bobAlerts.next(1);
    expect((bobAlerts.events[0] as unknown as { patient: { id: string } }).patient.id).toBe(patient.id);
    aliceAlerts.dispose();
    bobAlerts.dispose();
  });
});
