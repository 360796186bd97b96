import type { Viewer } from '../../src/platform/auth';
import { UserService } from '../../src/modules/users/services/user.service';
import { TherapySessions } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { Rebuilder } from '../../src/modules/analytics/services/rebuild';
import { AnalyticsQueries } from '../../src/modules/analytics/services/queries';
import { AnalyticsStoreKey, type AnalyticsStore } from '../../src/modules/analytics/services/ports';
import { TestClock } from '../support/clock';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

describe('analytics projections from recorded events, on a real database', () => {
  let db: DatabaseHarness;
  let sessions: TherapySessions;
  let n = 0;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);
  const admin: Viewer = { userId: '00000000-0000-4000-8000-000000000001', role: 'ADMIN' };

  async function person(role: 'PATIENT' | 'THERAPIST'): Promise<Viewer> {
    const { user } = await db.gateway.container.get(UserService).register(db.op(), {
      email: `analytics-${role.toLowerCase()}-${++n}@example.com`,
      password: 'analytics-password',
      firstName: 'A',
      lastName: `N${n}`,
      role,
      timezone: 'UTC',
    });
    return { userId: user.id, role };
  }

  async function completedSession(therapist: Viewer, patient: Viewer, at: string): Promise<string> {
    clock.set('2026-12-07T08:00:00Z');
    const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date(at), durationMinutes: 60, sessionType: 'VIDEO' });
    await sessions.accept(db.op(therapist), id);
    clock.set(at);
    await sessions.start(db.op(therapist), id);
    clock.set(new Date(new Date(at).getTime() + 3600_000).toISOString());
    await sessions.end(db.op(therapist), id, 'done');
    return id;
  }

  const factOf = (id: string) => sql<{ generation: number; status: string; patient_key: string }>('select generation, status, patient_key from analytics.session_fact where session_id = ?', [id]);
  const checkpoint = async () => (await sql<{ last_event_id: string; active_generation: number }>(`select last_event_id, active_generation from analytics.projection where name = 'sessions'`))[0];

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_EVENT_RETRY_BASE_MS: '20', AURA_EVENT_POLL_MS: '20' }, { clock });
    sessions = db.gateway.container.get(TherapySessions);
  });
  afterAll(() => db.destroy());

  it('keeps one fact per session, patients only as pseudonyms, and advances the checkpoint in the same transaction', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const id = await completedSession(therapist, patient, '2026-12-08T10:00:00Z');
    await db.gateway.events.settled();
    const facts = await factOf(id);
    expect(facts).toEqual([{ generation: 1, status: 'COMPLETED', patient_key: expect.any(String) }]);
    expect(facts[0].patient_key).not.toContain(patient.userId);
    const [ended] = await sql<{ id: string }>(`select id from platform.domain_event where aggregate_id = ? and type = 'TherapySessionEnded'`, [id]);
    expect((await checkpoint()).last_event_id).toBe(ended.id);
    const registrations = await sql<{ n: number }>('select count(*)::int as n from analytics.registration_fact');
    expect(registrations[0].n).toBeGreaterThanOrEqual(2);
  });

  it('applies each event exactly once when the outbox delivers an old one again', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const id = await completedSession(therapist, patient, '2026-12-08T12:00:00Z');
    await db.gateway.events.settled();
    const before = await checkpoint();
    const applied = await sql<{ n: number }>('select count(*)::int as n from analytics.applied_event');
    // Deliver the Scheduled event again after Ended, as an at-least-once dispatcher (or an admin retry) may.
    await sql(
      `update platform.event_delivery d set status = 'PENDING', next_attempt_at = now()
         from platform.domain_event e
        where e.seq = d.event_seq and e.aggregate_id = ? and e.type = 'TherapySessionScheduled' and d.subscriber = 'analytics.sessionProjection'`,
      [id],
    );
    await db.gateway.events.settled();
    const [delivery] = await sql<{ status: string; attempts: number }>(
      `select d.status, d.attempts from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
        where e.aggregate_id = ? and e.type = 'TherapySessionScheduled' and d.subscriber = 'analytics.sessionProjection'`,
      [id],
    );
    expect(delivery).toEqual({ status: 'DELIVERED', attempts: 2 });
    expect((await factOf(id)).map((f) => f.status)).toEqual(['COMPLETED']);
    expect(await checkpoint()).toEqual(before);
    expect(await sql('select count(*)::int as n from analytics.applied_event')).toEqual(applied);
  });

  it('applies a run of many events as one by one did: the same facts and rollups, the checkpoint at the last, each event once', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    await completedSession(therapist, patient, '2026-12-09T10:00:00Z');
    await completedSession(therapist, patient, '2026-12-09T12:30:00Z');
    clock.set('2026-12-01T08:00:00Z');
    const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date('2026-12-10T09:30:00Z'), durationMinutes: 60, sessionType: 'CHAT' });
    await sessions.accept(db.op(therapist), id);
    clock.set('2026-12-10T08:00:00Z');
    await sessions.cancel(db.op(patient), id, 'cannot make it'); // late: kept once known
    await db.gateway.events.settled();
    const state = () =>
      Promise.all([
        sql('select session_id, status, therapist_key, patient_key, scheduled_at, lead_minutes, late_cancelled from analytics.session_fact where generation = 1 order by session_id'),
        sql('select * from analytics.session_hour where generation = 1 order by hour'),
        sql('select * from analytics.therapist_month where generation = 1 order by month, therapist_key'),
        sql(`select last_event_id from analytics.projection where name = 'sessions'`),
        sql(`select count(*)::int as n from analytics.applied_event where projection = 'sessions'`),
      ]);
    const oneByOne = await state();
    // Forget the projection and deliver every session event again: the dispatcher hands them over as runs of a batch.
    await sql(`delete from analytics.session_fact; delete from analytics.session_hour; delete from analytics.therapist_month; delete from analytics.applied_event where projection = 'sessions'`);
    await sql(`update analytics.projection set last_event_id = null where name = 'sessions'`);
    const pending = await sql(`update platform.event_delivery set status = 'PENDING', next_attempt_at = now(), attempts = 0 where subscriber = 'analytics.sessionProjection' returning 1`);
    expect(pending.length).toBeGreaterThan(10);
    await db.gateway.events.settled();
    expect(await state()).toEqual(oneByOne);
    const [{ last_event_id: last }] = oneByOne[3] as Array<{ last_event_id: string }>;
    const [newest] = await sql<{ id: string }>(
      `select e.id from platform.domain_event e join platform.event_delivery d on d.event_seq = e.seq and d.subscriber = 'analytics.sessionProjection' order by e.seq desc limit 1`,
    );
    expect(last).toBe(newest.id);
    const kept = [oneByOne[1], oneByOne[2]];
    await db.gateway.container.get<AnalyticsStore>(AnalyticsStoreKey).transaction(db.op(), ({ facts }) => facts.recomputeRollups(1));
    expect(await Promise.all([sql('select * from analytics.session_hour where generation = 1 order by hour'), sql('select * from analytics.therapist_month where generation = 1 order by month, therapist_key')])).toEqual(kept);
    // The same run delivered again changes nothing.
    await sql(`update platform.event_delivery set status = 'PENDING', next_attempt_at = now() where subscriber = 'analytics.sessionProjection'`);
    await db.gateway.events.settled();
    expect(await state()).toEqual(oneByOne);
  });

  it('counts zones whose offset is not a whole hour exactly: the hours a bucket bound splits come from the facts', async () => {
    const store = db.gateway.container.get<AnalyticsStore>(AnalyticsStoreKey);
    const generation = 7; // a generation of its own: nothing else is there
    const times = ['2027-01-05T18:00:00Z', '2027-01-05T18:20:00Z', '2027-01-05T18:45:00Z', '2027-01-05T19:15:00Z', '2027-01-06T05:00:00Z'];
    await store.transaction(db.op(), async ({ facts }) => {
      await facts.upsertSessions(generation, times.map((at, i) => ({
        sessionId: `00000000-0000-4000-8000-0000000007${String(i).padStart(2, '0')}`, therapistId: admin.userId, therapistKey: 't', patientKey: `p${i}`,
        sessionType: 'VIDEO', targetAudience: 'INDIVIDUAL', status: i % 2 ? 'COMPLETED' : 'CANCELLED', scheduledAt: new Date(at), durationMinutes: 60,
        bookedAt: new Date('2027-01-01T00:00:00Z'), leadMinutes: 60, startedAt: null, endedAt: null, lateCancelled: false, priceCents: null, currency: null,
      })));
      await facts.upsertInvoices(generation, times.map((at, i) => ({
        invoiceId: `00000000-0000-4000-9000-0000000007${String(i).padStart(2, '0')}`, patientKey: `p${i}`, amountCents: 100 * (i + 1), currency: 'EUR',
        status: 'OPEN', reason: 'SESSION_COMPLETED', issuedAt: new Date(at), paidAt: null,
      })));
    });
    const reads = store.read(db.op()).reads;
    // Midnights in Kolkata (+05:30) and Kathmandu (+05:45) around those times.
    for (const [bounds, expected] of [
      [['2027-01-04T18:30:00Z', '2027-01-05T18:30:00Z', '2027-01-06T18:30:00Z'], [[0, 2, 1], [1, 3, 2]]],
      [['2027-01-04T18:15:00Z', '2027-01-05T18:15:00Z', '2027-01-06T18:15:00Z'], [[0, 1, 1], [1, 4, 2]]],
    ] as const) {
      const dates = bounds.map((b) => new Date(b));
      const sessions = (await reads.sessionBucketCounts(generation, dates, {})).sort((a, b) => a.index - b.index);
      expect(sessions.map((c) => [c.index, c.scheduled, c.cancelled])).toEqual(expected);
      const revenue = (await reads.revenueBucketCounts(generation, dates)).sort((a, b) => a.index - b.index);
      expect(revenue.map((c) => [c.index, c.invoices])).toEqual(expected.map(([index, n]) => [index, n]));
      const before = times.filter((t) => new Date(t) < dates[1]).map((_, i) => 100 * (i + 1)).reduce((a, b) => a + b, 0);
      expect(revenue[0].issuedCents).toBe(before);
    }
    await store.transaction(db.op(), ({ facts }) => facts.clear(generation));
  });

  it('rebuilds from the outbox into a fresh generation and switches over with the same facts', async () => {
    const snapshot = () => sql('select session_id, status, therapist_key, patient_key, late_cancelled from analytics.session_fact order by session_id');
    const before = await snapshot();
    const queries = db.gateway.container.get(AnalyticsQueries);
    await db.gateway.container.get(Rebuilder).begin(db.op(admin));
    expect((await queries.status(db.op(admin))).every((s) => s.rebuilding)).toBe(true);
    // A live event during the rebuild reaches both generations.
    const late = await completedSession(await person('THERAPIST'), await person('PATIENT'), '2026-12-08T14:00:00Z');
    await db.gateway.events.settled();
    // Steps run on the dispatcher's schedule too; step until no rebuild is left (the job may have finished it).
    while (await db.gateway.container.get(Rebuilder).step(db.op(admin))) {
      // next step
    }
    expect((await checkpoint()).active_generation).toBe(2);
    expect((await sql<{ g: number }>('select distinct generation as g from analytics.session_fact')).map((r) => r.g)).toEqual([2]);
    const after = await snapshot();
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(before.length + 1);
    expect((await factOf(late)).map((f) => f.status)).toEqual(['COMPLETED']);
    const status = await queries.status(db.op(admin));
    expect(status.map((s) => [s.name, s.rebuilding, s.lagSeconds])).toEqual([
      ['crises', false, 0],
      ['invoices', false, 0],
      ['registrations', false, 0],
      ['sessions', false, 0],
      ['workingHours', false, 0],
    ]);
  });
});
