import { randomUUID } from 'node:crypto';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import type { DomainEvent } from '../../src/contracts/events';
import { EventLog, REPLAY_WINDOW_EXCEEDED } from '../../src/platform/event-log';
import { liveEventCursor } from '../../src/platform/live-events';
import { realPostgresUrl } from '../support/database';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const ALERTS = parse('subscription Alerts($after: String) { chatbotCrisisAlerts(after: $after) { interactionId cursor } }');

type Alert = { interactionId: string; cursor: string };

/** Replay from the outbox through the real schema: the subscriber's own visibility rule and arguments, then live events. */
describe('resuming a live subscription from the outbox', () => {
  let db: DatabaseHarness;
  const therapistA = randomUUID();
  const therapistB = randomUUID();
  const alerts: Array<DomainEvent<'ChatbotCrisisDetected'>> = [];

  const alert = async (interactionId: string, therapistIds: string[]) => {
    const event = await db.orm.em
      .fork()
      .transactional((tx) => db.gateway.events.recorder(tx).record('ChatbotCrisisDetected', interactionId, { interactionId, patientId: randomUUID(), therapistIds }));
    alerts.push(event);
    return event;
  };

  const resume = async (viewerId: string, after: string | null) => {
    const result = await subscribe({
      schema: db.gateway.schema,
      document: ALERTS,
      variableValues: { after },
      contextValue: db.op({ userId: viewerId, role: 'THERAPIST' }),
    });
    if (!(Symbol.asyncIterator in result)) return { refused: result as ExecutionResult };
    const iterator = result[Symbol.asyncIterator]();
    const next = async () => ((await iterator.next()).value as ExecutionResult<{ chatbotCrisisAlerts: Alert }>).data!.chatbotCrisisAlerts.interactionId;
    return { iterator, next };
  };

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_EVENT_POLL_MS: '3600000' });
  });
  afterAll(() => db.destroy());

  it('replays, in order, only the missed events the subscriber may see, then goes on live without duplicates', async () => {
    const first = await alert('i1', [therapistA]);
    await alert('i2', [therapistB]);
    await alert('i3', [therapistA, therapistB]);
    const fourth = await alert('i4', [therapistA]);
    await db.gateway.events.settled();
    expect(alerts.map((e) => e.seq)).toEqual([...alerts.map((e) => e.seq)].sort((a, b) => Number(a) - Number(b)));

    const a = await resume(therapistA, liveEventCursor(first));
    const b = await resume(therapistB, liveEventCursor(first));
    expect([await a.next!(), await a.next!()]).toEqual(['i3', 'i4']);
    expect([await b.next!(), await b.next!()]).toEqual(['i2', 'i3']);

    // A repeated publish of an event already replayed (at-least-once delivery) is not sent again.
    await db.gateway.pubSub.publish('ChatbotCrisisDetected', fourth);
    await alert('i5', [therapistA, therapistB]);
    expect(await a.next!()).toBe('i5');
    expect(await b.next!()).toBe('i5');
    await a.iterator!.return?.();
    await b.iterator!.return?.();
  });

  it('gives every event the cursor of its outbox sequence, the same replayed or live', async () => {
    const since = await alert('j1', [therapistA]);
    const replayed = await alert('j2', [therapistA]);
    const a = await resume(therapistA, liveEventCursor(since));
    const first = (await a.iterator!.next()).value as ExecutionResult<{ chatbotCrisisAlerts: Alert }>;
    expect(first.data!.chatbotCrisisAlerts).toEqual({ interactionId: 'j2', cursor: liveEventCursor(replayed) });
    const live = await alert('j3', [therapistA]);
    const second = (await a.iterator!.next()).value as ExecutionResult<{ chatbotCrisisAlerts: Alert }>;
    expect(second.data!.chatbotCrisisAlerts).toEqual({ interactionId: 'j3', cursor: liveEventCursor(live) });
    await a.iterator!.return?.();
  });

  it('resumes from an event whose publication is not stamped yet without replaying what the subscriber had', async () => {
    // A client can hold the cursor of an event it received live while the stamp of that publication
    // is still being written: it has every event stamped before, and misses only the unstamped ones.
    const since = await alert('k1', [therapistA]);
    await db.gateway.events.settled();
    const stamp = (at: string) =>
      db.orm.em.fork().getConnection().execute(`update platform.event_delivery set delivered_at = ${at} where event_seq = ? and subscriber = 'graphql-subscriptions'`, [since.seq]);
    await stamp('null');
    const a = await resume(therapistA, liveEventCursor(since));
    await stamp('now()');
    await alert('k2', [therapistA]);
    expect(await a.next!()).toBe('k2');
    await a.iterator!.return?.();
  });

  /**
   * Two events that commit out of sequence order: `late` is numbered first and commits (and is
   * published) after `early`. On PostgreSQL two real transactions; the embedded database runs one
   * transaction at a time, so there the publication stamps are set in that order instead.
   */
  async function outOfOrder(therapistIds: string[]) {
    if (!realPostgresUrl) {
      const late = await alert('late', therapistIds);
      const early = await alert('early', therapistIds);
      await db.gateway.events.settled();
      await db.orm.em.fork().getConnection().execute(
        `update platform.event_delivery set delivered_at = (select delivered_at from platform.event_delivery where event_seq = ? and subscriber = 'graphql-subscriptions') + interval '1 millisecond'
          where event_seq = ? and subscriber = 'graphql-subscriptions'`,
        [early.seq, late.seq],
      );
      return { late, early };
    }
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let recorded!: () => void;
    const inside = new Promise<void>((resolve) => (recorded = resolve));
    const lateCommit = db.orm.em.fork().transactional(async (tx) => {
      const event = await db.gateway.events.recorder(tx).record('ChatbotCrisisDetected', 'late', { interactionId: 'late', patientId: randomUUID(), therapistIds });
      await tx.execute('select 1'); // the event is written (and numbered) with the transaction's next statement
      recorded();
      await held;
      return event;
    });
    await inside;
    const early = await alert('early', therapistIds); // numbered after `late`, committed first
    await db.gateway.events.settled();
    release();
    const late = await lateCommit;
    await db.gateway.events.settled();
    return { late, early };
  }

  it('replays an earlier-numbered event that committed after the cursor, and nothing the subscriber had', async () => {
    const { late, early } = await outOfOrder([therapistA]);
    expect(BigInt(late.seq!)).toBeLessThan(BigInt(early.seq!));
    // Gone after `early` (published first): `late` is missed although numbered before it.
    const afterEarly = await resume(therapistA, liveEventCursor(early));
    expect(await afterEarly.next!()).toBe('late');
    // Gone after `late` (published last): nothing missed, `early` is not sent again.
    const afterLate = await resume(therapistA, liveEventCursor(late));
    await alert('next', [therapistA]);
    expect(await afterEarly.next!()).toBe('next');
    expect(await afterLate.next!()).toBe('next');
    await afterEarly.iterator!.return?.();
    await afterLate.iterator!.return?.();
  });

  it('bounds the replay: more events than the window after the cursor is BAD_USER_INPUT telling the client to reload', async () => {
    const log = new EventLog();
    const mark = await alert('k1', [therapistA]);
    await alert('k2', [therapistB]);
    await alert('k3', [therapistB]);
    const window = { maxAgeSeconds: 3600, maxEvents: 2 };
    const missed = await log.missed(db.orm.em.fork(), { afterSeq: mark.seq!, types: ['ChatbotCrisisDetected'], window });
    expect(missed.map((e) => e.aggregateId)).toEqual(['k2', 'k3']);
    await alert('k4', [therapistB]);
    await expect(log.missed(db.orm.em.fork(), { afterSeq: mark.seq!, types: ['ChatbotCrisisDetected'], window })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: REPLAY_WINDOW_EXCEEDED,
    });
    // Other types do not count against it.
    expect(await log.missed(db.orm.em.fork(), { afterSeq: mark.seq!, types: ['InvoicePaid'], window })).toEqual([]);
  });

  it('refuses, before subscribing, a cursor the outbox never handed out', async () => {
    const { refused } = await resume(therapistA, liveEventCursor({ id: 'none', seq: '987654321' }));
    expect(refused!.errors!.map((e) => [e.extensions?.code ?? (e.originalError as { code?: string })?.code, e.message])).toEqual([
      ['BAD_USER_INPUT', 'after is not a cursor returned by this connection'],
    ]);
  });
});
