import type { Client } from 'graphql-ws';
import Redis from 'ioredis';
import { AcceptSessionDocument, ScheduleSessionDocument, StartSessionDocument } from '../generated/graphql';
import { AURA_MODULES } from '../../src/config/modules';
import type { DomainEvent } from '../../src/contracts/events';
import { defineModule, handle } from '../../src/platform/module';
import { startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { realPostgresUrl } from '../support/database';
import { register, type Person } from '../support/people';
import { until } from '../support/services';

/** A module handler the test can hold: while it is held, the dispatcher (one worker) delivers nothing. */
let hold: { entered: () => void; gate: Promise<void> } | undefined;
class Holder {
  async onRegistered(_event: DomainEvent<'UserRegistered'>): Promise<void> {
    const current = hold;
    if (!current) return;
    hold = undefined;
    current.entered();
    await current.gate;
  }
}
const holder = defineModule({ name: 'holder', entities: [], migrations: [], providers: [], resolvers: [], handlers: [handle('UserRegistered', Holder, 'onRegistered')] });

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

/** The first event of a subscription (or its error). */
function firstEvent(client: Client, query: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const dispose = client.subscribe<Record<string, unknown>>(
      { query },
      {
        next: (result) => {
          dispose();
          if (result.errors) reject(new Error(JSON.stringify(result.errors)));
          else resolve(Object.values(result.data!)[0] as Record<string, unknown>);
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
}

// The embedded database runs one transaction at a time: a held dispatcher transaction would hold the mutation too.
(realPostgresUrl ? describe : describe.skip)('live events follow the commit (fast path), not the dispatcher', () => {
  let t: TestAura;
  let therapist: Person;
  let patient: Person;

  beforeAll(async () => {
    // A ten-minute poll and one dispatcher worker: once that worker is held, only the fast path can deliver.
    t = await startTestAura(
      { AURA_EVENT_POLL_MS: '600000', AURA_EVENT_WORKERS: '1' },
      { clock, manifest: [...AURA_MODULES, { name: 'holder', architecture: 'layered', dependsOn: [], load: () => holder }] },
    );
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t?.stop());

  it('delivers a started session to its therapist over WebSocket while the dispatcher is busy and its poll ten minutes away', async () => {
    const input = { therapistId: therapist.id, scheduledAt: '2026-12-08T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
    const { id } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
    await t.request(AcceptSessionDocument, { id }, therapist.token);

    let release!: () => void;
    const entered = new Promise<void>((resolve) => (hold = { entered: resolve, gate: new Promise<void>((r) => (release = r)) }));
    try {
      await register(t, 'PATIENT'); // its UserRegistered event takes the dispatcher's only worker into the held handler
      await entered;

      const client = t.wsClient(therapist.token);
      const started = firstEvent(client, `subscription { therapySessionStarted { type session { id status } } }`);
      await until('the subscription to run', async () => {
        const text = await (await fetch(t.url.replace('/graphql', '/metrics'))).text();
        return Number(/^aura_subscriptions_active (\d+)/m.exec(text)?.[1]) === 1;
      }, 300_000, 20);
      if (t.settings.redisUrl) {
        const redis = new Redis(t.settings.redisUrl);
        try {
          await until('Redis to hold the subscriber', async () => Number(((await redis.pubsub('NUMSUB', 'TherapySessionStarted')) as unknown[])[1]) > 0, 300_000, 20);
        } finally {
          redis.disconnect();
        }
      }

      clock.set('2026-12-08T10:00:00Z');
      const response = await t.request(StartSessionDocument, { id }, therapist.token);
      expect(response.errors).toBeUndefined();
      expect(await started).toEqual({ type: 'STARTED', session: { id, status: 'IN_PROGRESS' } });
    } finally {
      release();
    }
  });
});
