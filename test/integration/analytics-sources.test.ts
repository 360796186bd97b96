import type { Viewer } from '../../src/platform/auth';
import { UserService } from '../../src/modules/users/services/user.service';
import { Calendar } from '../../src/modules/mentalhealth/application/calendar';
import { SupportChat } from '../../src/modules/mentalhealth/application/support-chat';
import { TherapySessions } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { AnalyticsQueries } from '../../src/modules/analytics/services/queries';
import { AnalyticsStoreKey, type AnalyticsStore } from '../../src/modules/analytics/services/ports';
import { TestClock } from '../support/clock';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const clock = new TestClock(new Date('2026-12-01T08:00:00Z'));
const admin: Viewer = { userId: '00000000-0000-4000-8000-000000000001', role: 'ADMIN' };
const analyst: Viewer = { userId: '00000000-0000-4000-8000-00000000000a', role: 'ANALYST' };
const WEEK = { from: new Date('2026-12-07T00:00:00Z'), to: new Date('2026-12-14T00:00:00Z') };

/** Events mentalhealth now publishes for analytics (working hours, ELEVATED risk), the rollups, and catching up on an older outbox. */
describe('analytics from working hours, elevated risk and an outbox older than analytics', () => {
  let db: DatabaseHarness;
  let n = 0;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);

  async function person(role: 'PATIENT' | 'THERAPIST', timezone = 'UTC'): Promise<Viewer> {
    const { user } = await db.gateway.container.get(UserService).register(db.op(), {
      email: `sources-${role.toLowerCase()}-${++n}@example.com`, password: 'analytics-password', firstName: 'A', lastName: `N${n}`, role, timezone,
    });
    return { userId: user.id, role };
  }

  async function completedSession(therapist: Viewer, patient: Viewer, at: string): Promise<void> {
    const sessions = db.gateway.container.get(TherapySessions);
    clock.set('2026-12-01T08:00:00Z');
    const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date(at), durationMinutes: 60, sessionType: 'VIDEO' });
    await sessions.accept(db.op(therapist), id);
    clock.set(at);
    await sessions.start(db.op(therapist), id);
    clock.set(new Date(new Date(at).getTime() + 3600_000).toISOString());
    await sessions.end(db.op(therapist), id, 'done');
  }

  afterEach(async () => {
    await db?.destroy();
  });

  it('publishes working hours with the zone and projects available hours and utilisation from their history', async () => {
    db = await openTestDatabase({ AURA_ANALYTICS_MIN_CELL: '1', AURA_EVENT_POLL_MS: '20' }, { clock });
    const [berlin, unset, patient] = [await person('THERAPIST', 'Europe/Berlin'), await person('THERAPIST'), await person('PATIENT')];
    clock.set('2026-12-01T08:00:00Z');
    // Monday to Wednesday, 10:00-12:00 Berlin time: 6 hours a week.
    await db.gateway.container.get(Calendar).setWorkingHours(db.op(berlin), [1, 2, 3].map((weekday) => ({ weekday, start: '10:00', end: '12:00' })));
    const [event] = await sql<{ payload: Record<string, unknown> }>(`select payload from platform.domain_event where type = 'TherapistWorkingHoursSet'`);
    expect(event.payload).toEqual({ therapistId: berlin.userId, timezone: 'Europe/Berlin', hours: [1, 2, 3].map((weekday) => ({ weekday, start: '10:00', end: '12:00' })) });
    await completedSession(berlin, patient, '2026-12-08T09:00:00Z');
    await completedSession(unset, patient, '2026-12-08T12:00:00Z');
    await db.gateway.events.settled();
    const queries = db.gateway.container.get(AnalyticsQueries);
    const rows = await queries.therapistUtilisation(db.op(admin), WEEK.from, WEEK.to);
    const byId = new Map(rows.map((r) => [r.therapistId, r]));
    expect(byId.get(berlin.userId)).toMatchObject({ suppressed: false, bookedHours: 1, availableHours: 6, utilisation: 1 / 6 });
    // Never set: Monday to Friday 09:00-17:00.
    expect(byId.get(unset.userId)).toMatchObject({ bookedHours: 1, availableHours: 40, utilisation: 1 / 40 });

    // Changed on Wednesday 2026-12-09 00:00 Berlin: from then on, Wednesday 08:00-16:00 only (8 hours).
    clock.set('2026-12-08T23:00:00Z');
    await db.gateway.container.get(Calendar).setWorkingHours(db.op(berlin), [{ weekday: 3, start: '08:00', end: '16:00' }]);
    await db.gateway.events.settled();
    const after = (await queries.therapistUtilisation(db.op(analyst), WEEK.from, WEEK.to)).find((r) => r.therapistKey === byId.get(berlin.userId)!.therapistKey)!;
    expect(after).toMatchObject({ therapistId: null, availableHours: 2 + 2 + 8 });
  });

  it('counts ELEVATED chatbot messages beside crises, from an event that carries ids only', async () => {
    db = await openTestDatabase({ AURA_ANALYTICS_MIN_CELL: '1', AURA_EVENT_POLL_MS: '20' }, { clock });
    const patient = await person('PATIENT');
    clock.set('2026-12-08T10:00:00Z');
    const interaction = await db.gateway.container.get(SupportChat).send(db.op(patient), 'My friend says she wants to die and I do not know how to help her');
    expect(interaction.riskLevel).toBe('ELEVATED');
    const [event] = await sql<{ payload: Record<string, unknown> }>(`select payload from platform.domain_event where type = 'ChatbotRiskElevated'`);
    expect(event.payload).toEqual({ interactionId: interaction.id, patientId: patient.userId });
    await db.gateway.events.settled();
    const trend = await db.gateway.container.get(AnalyticsQueries).crisisTrend(db.op(analyst), { ...WEEK, bucket: 'WEEK', timezone: 'UTC' });
    expect(trend).toEqual([{ bucketStart: WEEK.from, suppressed: false, crisis: 0, elevated: 1 }]);
  });

  it('keeps the rollups equal to what the facts add up to, through every change of a session', async () => {
    db = await openTestDatabase({ AURA_EVENT_POLL_MS: '20' }, { clock });
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    await completedSession(therapist, patient, '2026-12-08T09:00:00Z');
    const sessions = db.gateway.container.get(TherapySessions);
    clock.set('2026-12-01T08:00:00Z');
    const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date('2026-12-09T09:30:00Z'), durationMinutes: 60, sessionType: 'CHAT' });
    await sessions.accept(db.op(therapist), id);
    clock.set('2026-12-09T08:00:00Z');
    await sessions.cancel(db.op(patient), id, 'cannot make it');
    await db.gateway.events.settled();
    const rollups = () =>
      Promise.all(['session_hour order by 2', 'therapist_month order by 2, 3', 'session_bin_day order by 2, 3, 4'].map((t) => sql(`select * from analytics.${t.replace(' order', ' where generation = 1 order')}`)));
    const kept = await rollups();
    expect(kept[0]).toEqual([
      expect.objectContaining({ scheduled: 1, completed: 1, cancelled: 0, late_cancelled: 0 }),
      expect.objectContaining({ scheduled: 1, completed: 0, cancelled: 1, late_cancelled: 1 }),
    ]);
    expect(kept[1]).toEqual([expect.objectContaining({ sessions: 2, booked_minutes: 60 })]);
    // Both sessions 60 minutes (bin 60-90); booked 7 and 8 days ahead (bin 168-336 hours).
    expect(kept[2].map((r) => [r.measure, r.bin, r.sessions])).toEqual([
      ['DURATION', 2, 1],
      ['LEAD_TIME', 3, 1],
      ['DURATION', 2, 1],
      ['LEAD_TIME', 3, 1],
    ]);
    await db.gateway.container.get<AnalyticsStore>(AnalyticsStoreKey).transaction(db.op(), ({ facts }) => facts.recomputeRollups(1));
    expect(await rollups()).toEqual(kept);
  });

  it('builds its projections at start, while serving, from events recorded before analytics was deployed', async () => {
    db = await openTestDatabase({ AURA_MODULES_ENABLED: 'users,mentalhealth,billing', AURA_EVENT_POLL_MS: '20', AURA_ANALYTICS_MIN_CELL: '1' }, { clock });
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    await completedSession(therapist, patient, '2026-12-08T09:00:00Z');
    await db.gateway.events.settled();
    expect(await sql(`select 1 from information_schema.schemata where schema_name = 'analytics'`)).toEqual([]);
    await db.close();
    db = await db.reopen({ modulesEnabled: undefined });
    const queries = db.gateway.container.get(AnalyticsQueries);
    // Serving meanwhile: the query answers (from the generation being replaced) while the job loop replays the outbox.
    await expect(queries.sessionVolume(db.op(analyst), { ...WEEK, bucket: 'WEEK', timezone: 'UTC' }, {})).resolves.toHaveLength(1);
    while ((await queries.status(db.op(admin))).some((s) => s.rebuilding)) await new Promise((resolve) => setTimeout(resolve, 50));
    const [week] = await queries.sessionVolume(db.op(analyst), { ...WEEK, bucket: 'WEEK', timezone: 'UTC' }, {});
    expect(week).toMatchObject({ scheduled: 1, completed: 1, suppressed: false });
    const registrations = await sql<{ n: number }>('select count(*)::int as n from analytics.registration_fact');
    expect(registrations[0].n).toBeGreaterThanOrEqual(2);
    expect((await sql<{ caught_up: boolean }>('select distinct caught_up from analytics.projection')).map((r) => r.caught_up)).toEqual([true]);
  });
});
