import type { Viewer } from '../../src/platform/auth';
import { UserService } from '../../src/modules/users/services/user.service';
import { TherapySessions } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { Billing } from '../../src/modules/billing/application/billing';
import { Migration20261129140000AgreedPriceAndNoShow } from '../../src/modules/mentalhealth/migrations/Migration20261129140000AgreedPriceAndNoShow';
import { TestClock } from '../support/clock';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

describe('billing from session events, on a real database', () => {
  let db: DatabaseHarness;
  let sessions: TherapySessions;
  let billing: Billing;
  let n = 0;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);

  async function person(role: 'PATIENT' | 'THERAPIST'): Promise<Viewer> {
    const { user } = await db.gateway.container.get(UserService).register(db.op(), {
      email: `billing-${role.toLowerCase()}-${++n}@example.com`,
      password: 'billing-password',
      firstName: 'B',
      lastName: `N${n}`,
      role,
      timezone: 'UTC',
    });
    return { userId: user.id, role };
  }

  /** Schedules, accepts, starts and ends a session; returns its id. */
  async function completedSession(therapist: Viewer, patient: Viewer, at: string, durationMinutes = 60): Promise<string> {
    clock.set('2026-12-07T08:00:00Z');
    const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date(at), durationMinutes, sessionType: 'VIDEO' });
    await sessions.accept(db.op(therapist), id);
    clock.set(at);
    await sessions.start(db.op(therapist), id);
    clock.set(new Date(new Date(at).getTime() + durationMinutes * 60_000).toISOString());
    await sessions.end(db.op(therapist), id, 'done');
    return id;
  }

  const invoicesOf = (sessionId: string) =>
    sql<{ reason: string; amount_cents: number; currency: string; status: string }>(
      'select reason, amount_cents, currency, status from billing.invoice where session_id = ? order by reason',
      [sessionId],
    );

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_EVENT_RETRY_BASE_MS: '20', AURA_EVENT_POLL_MS: '20' }, { clock });
    sessions = db.gateway.container.get(TherapySessions);
    billing = db.gateway.container.get(Billing);
  });
  afterAll(() => db.destroy());

  it("invoices an ended session at the therapist's rate and duration, in the rate's currency", async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    await billing.setSessionRate(db.op(therapist), 12000, 'eur');
    const id = await completedSession(therapist, patient, '2026-12-08T10:00:00Z', 45);
    await db.gateway.events.settled();
    expect(await invoicesOf(id)).toEqual([{ reason: 'SESSION_COMPLETED', amount_cents: 9600, currency: 'EUR', status: 'OPEN' }]);
    const issued = await sql<{ n: number }>(`select count(*)::int as n from platform.domain_event where type = 'InvoiceIssued' and payload->'invoice'->>'sessionId' = ?`, [id]);
    expect(issued).toEqual([{ n: 1 }]);
  });

  it('charges 100.00 USD for 60 minutes when no rate is set', async () => {
    const id = await completedSession(await person('THERAPIST'), await person('PATIENT'), '2026-12-08T11:00:00Z');
    await db.gateway.events.settled();
    expect(await invoicesOf(id)).toEqual([{ reason: 'SESSION_COMPLETED', amount_cents: 10000, currency: 'USD', status: 'OPEN' }]);
  });

  it('issues exactly one invoice when the ended event is delivered twice', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const id = await completedSession(therapist, patient, '2026-12-08T12:00:00Z');
    await db.gateway.events.settled();
    // Deliver the same TherapySessionEnded to billing again, as an at-least-once dispatcher may.
    await sql(
      `update platform.event_delivery d set status = 'PENDING', next_attempt_at = now()
         from platform.domain_event e
        where e.seq = d.event_seq and e.aggregate_id = ? and e.type = 'TherapySessionEnded' and d.subscriber = 'billing.invoicing'`,
      [id],
    );
    await db.gateway.events.settled();
    const [delivery] = await sql<{ status: string; attempts: number }>(
      `select d.status, d.attempts from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
        where e.aggregate_id = ? and e.type = 'TherapySessionEnded' and d.subscriber = 'billing.invoicing'`,
      [id],
    );
    expect(delivery).toEqual({ status: 'DELIVERED', attempts: 2 });
    expect(await invoicesOf(id)).toHaveLength(1);
    const issued = await sql<{ n: number }>(`select count(*)::int as n from platform.domain_event where type = 'InvoiceIssued' and payload->'invoice'->>'sessionId' = ?`, [id]);
    expect(issued).toEqual([{ n: 1 }]);
  });

  it('issues exactly one invoice when the handler fails once mid-way', async () => {
    // The first insert into billing.invoice fails, as a crash between reading the rate and writing would.
    // A sequence counts attempts: unlike a table, it is not rolled back with the failed handler.
    await sql('create sequence billing_test_attempts');
    await sql(`create function billing_test_fail_once() returns trigger language plpgsql as $$
      begin
        if nextval('billing_test_attempts') = 1 then raise exception 'simulated crash while invoicing'; end if;
        return new;
      end $$`);
    await sql(`create trigger billing_test_fail_once before insert on billing.invoice for each row execute function billing_test_fail_once()`);
    try {
      const id = await completedSession(await person('THERAPIST'), await person('PATIENT'), '2026-12-08T13:00:00Z');
      for (let i = 0; i < 100 && (await invoicesOf(id)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await db.gateway.events.settled();
      expect(await invoicesOf(id)).toHaveLength(1);
      const [delivery] = await sql<{ attempts: number; status: string }>(
        `select d.attempts, d.status from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
          where e.aggregate_id = ? and e.type = 'TherapySessionEnded' and d.subscriber = 'billing.invoicing'`,
        [id],
      );
      expect(delivery).toEqual({ attempts: 2, status: 'DELIVERED' });
    } finally {
      await sql('drop trigger billing_test_fail_once on billing.invoice; drop function billing_test_fail_once(); drop sequence billing_test_attempts');
    }
  });

  describe('late cancellation', () => {
    async function cancelled(by: 'patient' | 'therapist', accepted: boolean, cancelAt: string) {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      await billing.setSessionRate(db.op(therapist), 9000, 'GBP');
      clock.set('2026-12-07T08:00:00Z');
      const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date('2026-12-09T10:00:00Z'), durationMinutes: 90, sessionType: 'AUDIO' });
      if (accepted) await sessions.accept(db.op(therapist), id);
      clock.set(cancelAt);
      await sessions.cancel(db.op(by === 'patient' ? patient : therapist), id, 'Cannot make it');
      await db.gateway.events.settled();
      return invoicesOf(id);
    }

    it('charges 50 % when the patient cancels an accepted session less than 24 hours ahead', async () => {
      expect(await cancelled('patient', true, '2026-12-08T10:00:01Z')).toEqual([
        { reason: 'LATE_CANCELLATION', amount_cents: 6750, currency: 'GBP', status: 'OPEN' },
      ]);
    });

    it.each([
      ['24 hours ahead', 'patient', true, '2026-12-08T10:00:00Z'],
      ['by the therapist', 'therapist', true, '2026-12-09T09:00:00Z'],
      ['of a session never accepted', 'patient', false, '2026-12-09T09:00:00Z'],
    ] as const)('charges nothing for a cancellation %s', async (_case, by, accepted, at) => {
      expect(await cancelled(by, accepted, at)).toEqual([]);
    });
  });

  describe('the agreed price', () => {
    it('invoices the price agreed at booking, not the rate in force when the session ends', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      await billing.setSessionRate(db.op(therapist), 10000, 'USD');
      clock.set('2026-12-07T08:00:00Z');
      const at = '2026-12-10T10:00:00Z';
      const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date(at), durationMinutes: 60, sessionType: 'VIDEO' });
      await billing.setSessionRate(db.op(therapist), 20000, 'EUR');
      await sessions.accept(db.op(therapist), id);
      await billing.setSessionRate(db.op(therapist), 30000, 'GBP');
      clock.set(at);
      await sessions.start(db.op(therapist), id);
      clock.set('2026-12-10T11:00:00Z');
      await sessions.end(db.op(therapist), id, 'done');
      await db.gateway.events.settled();
      expect(await invoicesOf(id)).toEqual([{ reason: 'SESSION_COMPLETED', amount_cents: 10000, currency: 'USD', status: 'OPEN' }]);
    });

    it('charges the late-cancellation fee from the agreed price', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      await billing.setSessionRate(db.op(therapist), 10000, 'USD');
      clock.set('2026-12-07T08:00:00Z');
      const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date('2026-12-10T12:00:00Z'), durationMinutes: 45, sessionType: 'VIDEO' });
      await sessions.accept(db.op(therapist), id);
      await billing.setSessionRate(db.op(therapist), 30000, 'GBP');
      clock.set('2026-12-10T09:00:00Z');
      await sessions.cancel(db.op(patient), id, 'Cannot make it');
      await db.gateway.events.settled();
      expect(await invoicesOf(id)).toEqual([{ reason: 'LATE_CANCELLATION', amount_cents: 4000, currency: 'USD', status: 'OPEN' }]);
    });

    it("prices existing sessions at the upgrade from the therapist's current rate (the migration)", async () => {
      const [therapist, patient, plain] = [await person('THERAPIST'), await person('PATIENT'), await person('THERAPIST')];
      await billing.setSessionRate(db.op(therapist), 9000, 'GBP');
      clock.set('2026-12-07T08:00:00Z');
      const booked = async (who: Viewer, at: string, durationMinutes: number) =>
        (await sessions.schedule(db.op(patient), { therapistId: who.userId, scheduledAt: new Date(at), durationMinutes, sessionType: 'CHAT' })).id;
      const [rated, unrated] = [await booked(therapist, '2026-12-11T10:00:00Z', 45), await booked(plain, '2026-12-11T12:00:00Z', 30)];
      // Back to the schema before the migration, then run it.
      await sql('drop index mentalhealth.therapy_session_accepted_ends_idx');
      await sql('alter table mentalhealth.therapy_session drop column price_cents, drop column price_currency');
      const migration = new Migration20261129140000AgreedPriceAndNoShow(db.orm.em.getDriver(), db.orm.config);
      await migration.up();
      for (const query of migration.getQueries()) await sql(typeof query === 'string' ? query : query.toString());
      const priceOf = async (id: string) =>
        (await sql<{ price_cents: number; price_currency: string }>('select price_cents, price_currency from mentalhealth.therapy_session where id = ?', [id]))[0];
      expect(await priceOf(rated)).toEqual({ price_cents: 7200, price_currency: 'GBP' });
      expect(await priceOf(unrated)).toEqual({ price_cents: 6000, price_currency: 'USD' });
    });
  });
});
