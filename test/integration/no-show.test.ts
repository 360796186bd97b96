import type { Viewer } from '../../src/platform/auth';
import { UserService } from '../../src/modules/users/services/user.service';
import { TherapySessions } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { Billing } from '../../src/modules/billing/application/billing';
import { CareRelationships } from '../../src/modules/mentalhealth/application/care-relationships';
import { TestClock } from '../support/clock';
import { realPostgresUrl } from '../support/database';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

describe('no-shows, on a real database with an injected clock', () => {
  let db: DatabaseHarness;
  let sessions: TherapySessions;
  let billing: Billing;
  let n = 0;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);

  async function person(role: 'PATIENT' | 'THERAPIST'): Promise<Viewer> {
    const { user } = await db.gateway.container.get(UserService).register(db.op(), {
      email: `noshow-${role.toLowerCase()}-${++n}@example.com`,
      password: 'noshow-password',
      firstName: 'N',
      lastName: `S${n}`,
      role,
      timezone: 'UTC',
    });
    return { userId: user.id, role };
  }

  /** Books at 8:00 on 7 December (rate 120.00 EUR) and accepts a session on `at`; the rate then changes. */
  async function acceptedSession(at: string, durationMinutes = 45) {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    await billing.setSessionRate(db.op(therapist), 12000, 'EUR');
    clock.set('2026-12-07T08:00:00Z');
    const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date(at), durationMinutes, sessionType: 'VIDEO' });
    await sessions.accept(db.op(therapist), id);
    await billing.setSessionRate(db.op(therapist), 50000, 'GBP');
    return { id, therapist, patient };
  }

  const statusOf = async (id: string) => (await sql<{ status: string }>('select status from mentalhealth.therapy_session where id = ?', [id]))[0].status;
  const noShowEvents = (id: string) =>
    sql<{ actor: string | null; previous: string }>(
      `select payload->>'actorId' as actor, payload->>'previousStatus' as previous from platform.domain_event where type = 'TherapySessionNoShow' and aggregate_id = ?`,
      [id],
    );
  const invoicesOf = (id: string) =>
    sql<{ reason: string; amount_cents: number; currency: string }>('select reason, amount_cents, currency from billing.invoice where session_id = ? order by reason', [id]);

  beforeAll(async () => {
    // The dispatcher's own sweep waits an hour: the tests sweep by hand, at the clock's times.
    db = await openTestDatabase({ AURA_EVENT_RETRY_BASE_MS: '20', AURA_EVENT_POLL_MS: '3600000' }, { clock });
    sessions = db.gateway.container.get(TherapySessions);
    billing = db.gateway.container.get(Billing);
  });
  afterAll(() => db.destroy());

  it('marks an accepted session NO_SHOW once its planned end passes without a start, and bills the agreed price', async () => {
    const { id, therapist, patient } = await acceptedSession('2026-12-09T10:00:00Z');
    clock.set('2026-12-09T10:44:59Z');
    await sessions.markNoShows(db.op());
    expect(await statusOf(id)).toBe('ACCEPTED');
    clock.set('2026-12-09T10:45:00Z');
    await sessions.markNoShows(db.op());
    expect(await statusOf(id)).toBe('NO_SHOW');
    expect(await noShowEvents(id)).toEqual([{ actor: null, previous: 'ACCEPTED' }]);
    await db.gateway.events.settled();
    // 45 minutes at 120.00 EUR agreed at booking (the rate is 500.00 GBP now): 96.00 EUR, 100 %.
    expect(await invoicesOf(id)).toEqual([{ reason: 'NO_SHOW', amount_cents: 9600, currency: 'EUR' }]);
    // The missed session keeps the patient in the therapist's care (SQL and domain agree).
    expect(await db.gateway.container.get(CareRelationships).holds(db.op(), therapist.userId, patient.userId)).toBe(true);
    // A later sweep changes nothing.
    clock.set('2026-12-10T10:00:00Z');
    await sessions.markNoShows(db.op());
    expect(await noShowEvents(id)).toHaveLength(1);
  });

  it('leaves pending, started and cancelled sessions alone', async () => {
    const pending = await person('PATIENT');
    const therapist = await person('THERAPIST');
    clock.set('2026-12-07T08:00:00Z');
    const { id: pendingId } = await sessions.schedule(db.op(pending), { therapistId: therapist.userId, scheduledAt: new Date('2026-12-09T12:00:00Z'), durationMinutes: 30, sessionType: 'CHAT' });
    const started = await acceptedSession('2026-12-09T13:00:00Z', 30);
    clock.set('2026-12-09T13:05:00Z');
    await sessions.start(db.op(started.therapist), started.id);
    clock.set('2026-12-09T15:00:00Z');
    await sessions.markNoShows(db.op());
    expect([await statusOf(pendingId), await statusOf(started.id)]).toEqual(['PENDING', 'IN_PROGRESS']);
  });

  it('refuses a patient cancellation after the scheduled start (a no-show), and changes nothing', async () => {
    const { id, patient, therapist } = await acceptedSession('2026-12-09T16:00:00Z');
    clock.set('2026-12-09T16:00:00Z');
    await expect(sessions.cancel(db.op(patient), id, 'Overslept')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await statusOf(id)).toBe('ACCEPTED');
    // The therapist may still cancel (no fee: the patient did not cancel).
    await sessions.cancel(db.op(therapist), id, 'Internet is down');
    await db.gateway.events.settled();
    expect(await invoicesOf(id)).toEqual([]);
  });

  it('marks a session once when two instances sweep at the same time', async () => {
    const { id } = await acceptedSession('2026-12-10T10:00:00Z', 60);
    const other = await acceptedSession('2026-12-10T12:00:00Z', 30);
    clock.set('2026-12-10T13:00:00Z');
    // Two sweeps on their own connections, as two instances' dispatchers would run them.
    const fork = () => ({ ...db.op(), em: db.orm.em.fork() });
    const marked = await Promise.all([sessions.markNoShows(fork()), sessions.markNoShows(fork())]);
    expect(marked[0] + marked[1]).toBe(2);
    for (const session of [id, other.id]) {
      expect(await statusOf(session)).toBe('NO_SHOW');
      expect(await noShowEvents(session)).toHaveLength(1);
    }
    await db.gateway.events.settled();
    expect(await invoicesOf(id)).toEqual([{ reason: 'NO_SHOW', amount_cents: 12000, currency: 'EUR' }]);
    expect(await invoicesOf(other.id)).toEqual([{ reason: 'NO_SHOW', amount_cents: 7200, currency: 'EUR' }]);
  });

  // Two instances need a database server both can reach (the embedded one belongs to one process).
  (realPostgresUrl ? it : it.skip)('marks a session once when two instances on one database sweep at the same time', async () => {
    const second = await db.reopen();
    try {
      const { id } = await acceptedSession('2026-12-11T10:00:00Z', 60);
      clock.set('2026-12-11T11:00:00Z');
      const sweeps = [db, second].map((instance) =>
        instance.gateway.container.get(TherapySessions).markNoShows({ ...instance.op(), em: instance.orm.em.fork() }),
      );
      const marked = await Promise.all(sweeps);
      expect(marked.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await statusOf(id)).toBe('NO_SHOW');
      expect(await noShowEvents(id)).toHaveLength(1);
      await Promise.all([db.gateway.events.settled(), second.gateway.events.settled()]);
      expect(await invoicesOf(id)).toEqual([{ reason: 'NO_SHOW', amount_cents: 12000, currency: 'EUR' }]);
    } finally {
      await second.close();
    }
  });
});
