import { AURA_MODULES } from '../../src/config/modules';
import type { DomainEvent } from '../../src/contracts/events';
import { defineModule, handle } from '../../src/platform/module';
import { EventLog } from '../../src/platform/event-log';
import type { HandlerContext } from '../../src/platform/events';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/** A fixture module whose handler does what each test tells it to. */
type Behaviour = (event: DomainEvent<'UserRegistered'>, attempt: number) => void;
let behaviour: Behaviour = () => undefined;
const handled: Array<{ aggregateId: string; attempt: number }> = [];
const attempts = new Map<string, number>();

class Probe {
  async notice(event: DomainEvent<'UserRegistered'>, ctx: HandlerContext): Promise<void> {
    const attempt = (attempts.get(event.id) ?? 0) + 1;
    attempts.set(event.id, attempt);
    // A write that must vanish when the handler fails after it.
    await ctx.em.execute('insert into probe_effect (event_id, attempt) values (?, ?)', [event.id, attempt]);
    behaviour(event, attempt);
    handled.push({ aggregateId: event.aggregateId, attempt });
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

const payload = { userId: 'u', role: 'PATIENT' as const, source: 'admin' as const };

describe('the transactional outbox', () => {
  let db: DatabaseHarness;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);
  const deliveriesOf = async (eventId: string) => (await new EventLog().deliveriesOf(db.orm.em.fork(), [eventId]))[0];
  const record = (aggregateId: string) =>
    db.orm.em.fork().transactional((tx) => db.gateway.events.recorder(tx).record('UserRegistered', aggregateId, payload));
  const probeDelivery = async (eventId: string) => (await deliveriesOf(eventId)).find((d) => d.subscriber === 'probe.probe')!;

  beforeAll(async () => {
    db = await openTestDatabase(
      { AURA_EVENT_MAX_ATTEMPTS: '3', AURA_EVENT_RETRY_BASE_MS: '40', AURA_EVENT_POLL_MS: '20' },
      { manifest: [...AURA_MODULES, { name: 'probe', architecture: 'layered', dependsOn: [], load: () => probe }] },
    );
    await sql('create table probe_effect (event_id uuid not null, attempt int not null)');
  });
  afterAll(() => db.destroy());
  beforeEach(() => {
    behaviour = () => undefined;
    handled.length = 0;
  });

  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await check()).toBe(true);
  };

  it('records an event and one delivery per subscriber in the transaction, then delivers it', async () => {
    const event = await record('agg-1');
    await db.gateway.events.settled();
    expect(handled).toEqual([{ aggregateId: 'agg-1', attempt: 1 }]);
    const deliveries = await deliveriesOf(event.id);
    expect(deliveries.map((d) => [d.subscriber, d.status, d.attempts])).toEqual([
      ['analytics.registrationProjection', 'DELIVERED', 1],
      ['graphql-subscriptions', 'DELIVERED', 1],
      ['probe.probe', 'DELIVERED', 1],
    ]);
  });

  it('records nothing, and delivers nothing, for a rolled-back transaction', async () => {
    const before = await sql<{ n: number }>('select count(*)::int as n from platform.domain_event');
    await expect(
      db.orm.em.fork().transactional(async (tx) => {
        await db.gateway.events.recorder(tx).record('UserRegistered', 'rolled-back', payload);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await db.gateway.events.settled();
    expect(await sql('select count(*)::int as n from platform.domain_event')).toEqual(before);
    expect(handled).toEqual([]);
  });

  it('rolls back what a failing handler wrote and retries it with backoff until it succeeds', async () => {
    behaviour = (_event, attempt) => {
      if (attempt < 2) throw new Error('downstream unavailable');
    };
    const event = await record('agg-retry');
    await until(async () => (await probeDelivery(event.id)).status === 'DELIVERED');
    expect(handled).toEqual([{ aggregateId: 'agg-retry', attempt: 2 }]);
    expect(await sql('select attempt from probe_effect where event_id = ?', [event.id])).toEqual([{ attempt: 2 }]);
    expect(await probeDelivery(event.id)).toMatchObject({ attempts: 2, lastError: null });
  });

  it('dead-letters a delivery after the last attempt, visibly, and retries it on request', async () => {
    behaviour = () => {
      throw new Error('always broken');
    };
    const event = await record('agg-dead');
    await until(async () => (await probeDelivery(event.id)).status === 'DEAD');
    expect(await probeDelivery(event.id)).toMatchObject({ attempts: 3, lastError: 'always broken' });
    expect(await sql('select * from probe_effect where event_id = ?', [event.id])).toEqual([]);
    const dead = await new EventLog().deliveries(db.orm.em.fork(), 'DEAD', 'probe.probe');
    expect(dead.map((d) => d.eventId)).toContain(event.id);

    behaviour = () => undefined;
    await db.orm.em.fork().transactional((tx) => new EventLog().retry(tx, event.id, 'probe.probe'));
    await until(async () => (await probeDelivery(event.id)).status === 'DELIVERED');
    expect(await probeDelivery(event.id)).toMatchObject({ attempts: 1 });
  });

  it('delivers the events of one aggregate in order, holding later ones while an earlier one is retried', async () => {
    behaviour = (event, attempt) => {
      if (event.payload.source === 'bootstrap' && attempt === 1) throw new Error('first one fails once');
    };
    const first = await db.orm.em.fork().transactional((tx) =>
      db.gateway.events.recorder(tx).record('UserRegistered', 'agg-order', { ...payload, source: 'bootstrap' }),
    );
    const second = await record('agg-order');
    const other = await record('agg-other');
    // Another aggregate is not held by the retry; when it is delivered is the dispatcher's business.
    await until(async () => (await probeDelivery(second.id)).status === 'DELIVERED' && (await probeDelivery(other.id)).status === 'DELIVERED');
    const order = handled.filter((h) => h.aggregateId === 'agg-order').map((h) => h.attempt);
    expect(order).toEqual([2, 1]); // the first event (on its 2nd attempt) before the second (on its 1st)
    expect((await probeDelivery(first.id)).status).toBe('DELIVERED');
  });

  it('keeps committed events when no dispatcher is running, and delivers them when one starts', async () => {
    await db.gateway.events.stop();
    const event = await record('agg-crash');
    expect((await probeDelivery(event.id)).status).toBe('PENDING');
    await db.close();
    db = await db.reopen();
    await until(async () => (await probeDelivery(event.id)).status === 'DELIVERED');
  });

  it('never rewrites the event log', async () => {
    await expect(sql(`update platform.domain_event set type = 'Forged'`)).rejects.toThrow(/append-only/);
    await expect(sql('delete from platform.domain_event')).rejects.toThrow(/append-only/);
  });
});
