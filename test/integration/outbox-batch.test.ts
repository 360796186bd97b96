import { AURA_MODULES } from '../../src/config/modules';
import type { DomainEvent } from '../../src/contracts/events';
import { OutboxEventBus } from '../../src/platform/event-dispatcher';
import type { HandlerContext } from '../../src/platform/events';
import { createLogger } from '../../src/platform/logger';
import { defineModule, handle, handleRuns } from '../../src/platform/module';
import { inProcessBus } from '../../src/platform/pubsub';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';
import { until } from '../support/services';
import { realPostgresUrl } from '../support/database';

/** What each test makes the probe handler do before it succeeds (throw to fail, await to hold it). */
type Behaviour = (event: DomainEvent<'UserRegistered'>, attempt: number) => void | Promise<void>;
let behaviour: Behaviour = () => undefined;
const handled: Array<{ dispatcher: string; eventId: string; aggregateId: string; index: number; attempt: number }> = [];
const attempts = new Map<string, number>();

async function probeHandler(dispatcher: string, event: DomainEvent<'UserRegistered'>, ctx: HandlerContext): Promise<void> {
  const attempt = (attempts.get(event.id) ?? 0) + 1;
  attempts.set(event.id, attempt);
  // A write that must vanish when the handler fails after it, and exist once when it succeeds.
  await ctx.em.execute('insert into probe_effect (event_id, attempt) values (?, ?)', [event.id, attempt]);
  await behaviour(event, attempt);
  handled.push({ dispatcher, eventId: event.id, aggregateId: event.aggregateId, index: Number(event.payload.userId), attempt });
}
class Probe {
  notice(event: DomainEvent<'UserRegistered'>, ctx: HandlerContext): Promise<void> {
    return probeHandler('first', event, ctx);
  }
}
const probe = defineModule({
  name: 'probe',
  entities: [],
  migrations: [],
  providers: [],
  resolvers: [],
  handlers: [handle('UserRegistered', Probe, 'notice')],
});

/** A subscriber that takes runs: each call's events, and a rule that can make a call fail. */
const runs: DomainEvent[][] = [];
let failRun: (events: DomainEvent[]) => boolean = () => false;
class ProbeRuns {
  async notice(events: DomainEvent[], ctx: HandlerContext): Promise<void> {
    await ctx.em.execute(`insert into run_effect (event_id) select unnest(?::uuid[])`, [`{${events.map((e) => e.id).join(',')}}`]);
    if (failRun(events)) throw new Error('one event of the run is bad');
    runs.push(events);
  }
}
const probeRuns = defineModule({
  name: 'proberuns',
  entities: [],
  migrations: [],
  providers: [],
  resolvers: [],
  handlers: [handleRuns(['UserRegistered'], ProbeRuns, 'notice')],
});

const payload = (index: number) => ({ userId: String(index), role: 'PATIENT' as const, source: 'admin' as const });
const released = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

describe('the outbox dispatcher claims in batches', () => {
  let db: DatabaseHarness;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);
  const probeStatus = async (eventId: string) =>
    (await sql<{ status: string; attempts: number }>(
      `select d.status, d.attempts from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq where e.id = ? and d.subscriber = 'probe.probe'`,
      [eventId],
    ))[0];

  beforeAll(async () => {
    db = await openTestDatabase(
      // One worker: a held handler holds the whole dispatcher (so only the fast path can deliver then).
      { AURA_EVENT_MAX_ATTEMPTS: '5', AURA_EVENT_RETRY_BASE_MS: '40', AURA_EVENT_POLL_MS: '20', AURA_EVENT_BATCH_SIZE: '25', AURA_EVENT_WORKERS: '1' },
      {
        manifest: [
          ...AURA_MODULES,
          { name: 'probe', architecture: 'layered', dependsOn: [], load: () => probe },
          { name: 'proberuns', architecture: 'layered', dependsOn: [], load: () => probeRuns },
        ],
      },
    );
    await sql('create table probe_effect (event_id uuid not null, attempt int not null)');
    await sql('create table run_effect (event_id uuid not null)');
  });
  afterAll(() => db.destroy());
  beforeEach(() => {
    behaviour = () => undefined;
    handled.length = 0;
    runs.length = 0;
    failRun = () => false;
  });

  const runDelivery = async (eventId: string) =>
    (await sql<{ status: string; attempts: number }>(
      `select d.status, d.attempts from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq where e.id = ? and d.subscriber = 'proberuns.probeRuns'`,
      [eventId],
    ))[0];
  const runEffects = async (events: DomainEvent[]) =>
    (await sql<{ event_id: string }>(`select event_id::text as event_id from run_effect where event_id = any(?::uuid[]) order by 1`, [`{${events.map((e) => e.id).join(',')}}`])).map((r) => r.event_id);
  const recordMany = (count: number, aggregate: (i: number) => string) =>
    db.orm.em.fork().transactional(async (tx) => {
      const recorder = db.gateway.events.recorder(tx);
      const recorded: DomainEvent[] = [];
      for (let i = 0; i < count; i++) recorded.push(await recorder.record('UserRegistered', aggregate(i), payload(1000 + i)));
      return recorded;
    });

  it('hands a subscriber that takes runs a batch\'s events in one call, in sequence order, each applied once', async () => {
    const events = await recordMany(20, (i) => `runs-agg-${i % 4}`);
    await db.gateway.events.settled();
    const ids = new Set(events.map((e) => e.id));
    const calls = runs.map((run) => run.filter((e) => ids.has(e.id))).filter((run) => run.length > 0);
    expect(calls.length).toBeLessThan(20);
    expect(Math.max(...calls.map((run) => run.length))).toBeGreaterThan(1);
    const seen = calls.flat().map((e) => e.id);
    expect([...seen].sort()).toEqual([...ids].sort()); // each event once
    for (let a = 0; a < 4; a++) {
      const order = calls.flat().filter((e) => e.aggregateId === `runs-agg-${a}`).map((e) => Number(e.seq));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    for (const run of calls) expect(run.map((e) => Number(e.seq))).toEqual(run.map((e) => Number(e.seq)).sort((x, y) => x - y));
    expect(await runEffects(events)).toEqual([...ids].sort());
  });

  it('applies a failed run one event at a time: the bad event waits with its aggregate, the others are delivered once', async () => {
    let failures = 2; // the run, then the bad event alone; its retry succeeds
    const events = await recordMany(10, (i) => (i < 2 ? 'runs-bad' : `runs-ok-${i}`));
    const [bad, afterBad] = events;
    failRun = (run) => run.some((e) => e.id === bad.id) && failures-- > 0;
    await until('the bad event retried', async () => (await runDelivery(bad.id)).status === 'DELIVERED', 240_000, 25);
    await db.gateway.events.settled();
    expect(await runDelivery(bad.id)).toEqual({ status: 'DELIVERED', attempts: 2 });
    expect(await runDelivery(afterBad.id)).toEqual({ status: 'DELIVERED', attempts: 1 });
    for (const e of events.slice(2)) expect(await runDelivery(e.id)).toEqual({ status: 'DELIVERED', attempts: 1 });
    // The failed run and the failed single attempt were rolled back: one effect per event.
    expect(await runEffects(events)).toEqual(events.map((e) => e.id).sort());
    const applied = runs.flat().filter((e) => e.aggregateId === 'runs-bad').map((e) => e.id);
    expect(applied).toEqual([bad.id, afterBad.id]);
  });

  it('delivers 300 events of 30 aggregates with two dispatchers on one database: each once, in order per aggregate', async () => {
    // A second instance's dispatcher, on the same database, for the same subscriber.
    const second = new OutboxEventBus(createLogger('silent'), inProcessBus(), { pollMs: 20, maxAttempts: 5, retryBaseMs: 40, batchSize: 25, workers: 2 });
    second.subscribe('UserRegistered', 'probe.probe', (event, ctx) => probeHandler('second', event, ctx));
    behaviour = () => new Promise((resolve) => setImmediate(resolve)); // lets the other dispatcher in between handlers
    try {
      const events = await db.orm.em.fork().transactional(async (tx) => {
        const recorder = db.gateway.events.recorder(tx);
        const recorded: DomainEvent[] = [];
        for (let i = 0; i < 300; i++) recorded.push(await recorder.record('UserRegistered', `batch-agg-${i % 30}`, payload(i)));
        return recorded;
      });
      second.start(db.orm);
      await Promise.all([db.gateway.events.settled(), second.settled()]);
      await Promise.all([db.gateway.events.settled(), second.settled()]);

      const ids = new Set(events.map((e) => e.id));
      const ours = handled.filter((h) => ids.has(h.eventId));
      expect(ours).toHaveLength(300);
      expect(new Set(ours.map((h) => h.eventId)).size).toBe(300); // no handler ran twice
      for (let a = 0; a < 30; a++) {
        const order = ours.filter((h) => h.aggregateId === `batch-agg-${a}`).map((h) => h.index);
        expect(order).toEqual(Array.from({ length: 10 }, (_, k) => a + 30 * k));
      }
      const [{ effects }] = await sql<{ effects: number }>(
        `select count(*)::int as effects from probe_effect where event_id in (${events.map(() => '?').join(', ')})`,
        events.map((e) => e.id),
      );
      expect(effects).toBe(300);
      const [{ left }] = await sql<{ left: number }>(
        `select count(*)::int as left from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
          where e.aggregate_id like 'batch-agg-%' and d.status <> 'DELIVERED'`,
      );
      expect(left).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it('retries a handler that fails within a batch without holding back the other aggregates, and keeps its aggregate in order', async () => {
    behaviour = (event, attempt) => {
      if (event.aggregateId === 'flaky' && event.payload.userId === '0' && attempt === 1) throw new Error('downstream unavailable');
    };
    const [first, second, other] = await db.orm.em.fork().transactional(async (tx) => {
      const recorder = db.gateway.events.recorder(tx);
      return [await recorder.record('UserRegistered', 'flaky', payload(0)), await recorder.record('UserRegistered', 'flaky', payload(1)), await recorder.record('UserRegistered', 'steady', payload(2))];
    });
    await until('the retried delivery', async () => (await probeStatus(second.id)).status === 'DELIVERED', 240_000, 25);
    expect(await probeStatus(first.id)).toEqual({ status: 'DELIVERED', attempts: 2 });
    expect(await probeStatus(other.id)).toEqual({ status: 'DELIVERED', attempts: 1 });
    const flaky = handled.filter((h) => h.aggregateId === 'flaky').map((h) => [h.index, h.attempt]);
    expect(flaky).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(handled.filter((h) => h.aggregateId === 'steady').map((h) => h.attempt)).toEqual([1]);
    // The failed attempt's write was rolled back with it; the others' writes stayed.
    expect(await sql('select attempt from probe_effect where event_id = ?', [first.id])).toEqual([{ attempt: 2 }]);
  });

  // The embedded database runs one transaction at a time, so a held dispatcher transaction holds every other one there.
  (realPostgresUrl ? it : it.skip)('publishes a committed event to live subscribers while the dispatcher is busy with a slow handler', async () => {
    const entered = released();
    const gate = released();
    behaviour = async (event) => {
      if (event.aggregateId !== 'slow') return;
      entered.release();
      await gate.promise;
    };
    const live = db.gateway.pubSub.subscribe('UserRegistered')[Symbol.asyncIterator]();
    try {
      await db.orm.em.fork().transactional((tx) => db.gateway.events.recorder(tx).record('UserRegistered', 'slow', payload(0)));
      await entered.promise; // the only dispatcher worker is now inside the slow handler
      const event = await db.orm.em.fork().transactional((tx) => db.gateway.events.recorder(tx).record('UserRegistered', 'fast', payload(1)));
      let received: DomainEvent | undefined;
      do received = (await live.next()).value as DomainEvent;
      while (received.id !== event.id);
      expect(received).toMatchObject({ id: event.id, type: 'UserRegistered', aggregateId: 'fast', payload: payload(1) });
      // Acknowledged by the fast path too (right after publishing), while the dispatcher is still held.
      const liveStatus = async () =>
        (await sql<{ status: string; attempts: number }>(
          `select d.status, d.attempts from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq where e.id = ? and d.subscriber = 'graphql-subscriptions'`,
          [event.id],
        ))[0];
      await until('the fast path', async () => (await liveStatus()).status !== 'PENDING', 240_000, 25);
      expect(await liveStatus()).toEqual({ status: 'DELIVERED', attempts: 1 });
      expect(handled.filter((h) => h.aggregateId === 'slow')).toEqual([]); // still held
    } finally {
      gate.release();
      await live.return?.();
    }
    await db.gateway.events.settled();
  });
});
