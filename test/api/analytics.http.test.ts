import {
  AcceptSessionDocument,
  AnalyticsStatusDocument,
  CreateUserDocument,
  CrisisTrendDocument,
  EndSessionDocument,
  RebuildAnalyticsDocument,
  RegistrationTrendDocument,
  RevenueDocument,
  ScheduleSessionDocument,
  SessionDistributionDocument,
  SessionVolumeDocument,
  SetWorkingHoursDocument,
  StartSessionDocument,
  TherapistUtilisationDocument,
} from '../generated/graphql';
import { onlyError, startTestAura, type GraphQLResponse, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-01T08:00:00Z'));
const codeOf = (response: GraphQLResponse<unknown>) => onlyError(response).extensions!.code;
const WEEK = { from: '2026-12-07T00:00:00.000Z', to: '2026-12-14T00:00:00.000Z' };

describe('the analytics module over HTTP (AURA_ANALYTICS_MIN_CELL=3)', () => {
  let t: TestAura;
  let admin: Person;
  let analyst: Person;
  const people: Record<'patient' | 'therapist' | 'quiet', Person> = {} as never;
  const ids: string[] = [];

  /** A completed session on the given December day at the given hour (UTC). */
  async function completed(therapist: Person, patient: Person, day: number, hour: number, sessionType: 'VIDEO' | 'CHAT' = 'VIDEO') {
    const at = `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
    clock.set('2026-12-01T08:00:00Z');
    const input = { therapistId: therapist.id, scheduledAt: at, durationMinutes: 60, sessionType };
    const scheduled = await t.request(ScheduleSessionDocument, { input }, patient.token);
    const { id } = scheduled.data!.scheduleTherapySession;
    await t.request(AcceptSessionDocument, { id }, therapist.token);
    clock.set(at);
    await t.request(StartSessionDocument, { id }, therapist.token);
    await t.request(EndSessionDocument, { id, notes: 'private notes' }, therapist.token);
  }

  beforeAll(async () => {
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '50', AURA_ANALYTICS_MIN_CELL: '3' },
      { clock },
    );
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    const input = { email: 'analyst@aura.test', password: 'analyst-password-1', firstName: 'Ana', lastName: 'Lyst', role: 'ANALYST' as const };
    await t.request(CreateUserDocument, { input }, admin.token);
    analyst = await login(t, input.email, input.password);
    const [busy, quiet] = [await register(t, 'THERAPIST'), await register(t, 'THERAPIST')];
    const patients = [await register(t, 'PATIENT'), await register(t, 'PATIENT'), await register(t, 'PATIENT'), await register(t, 'PATIENT')];
    // Week of Dec 7: the busy therapist sees three patients (VIDEO), the quiet one a single patient (CHAT).
    for (const [i, p] of patients.slice(0, 3).entries()) await completed(busy, p, 8, 10 + i);
    await completed(quiet, patients[3], 9, 10, 'CHAT');
    await t.aura.gateway.events.settled();
    Object.assign(people, { patient: patients[0], therapist: busy, quiet });
    ids.push(busy.id, quiet.id, ...patients.map((p) => p.id));
  }, 180_000);
  afterAll(() => t.stop());

  it('answers session volume by week with outcomes and rates, no person in sight', async () => {
    const response = await t.request(SessionVolumeDocument, { from: WEEK.from, to: '2026-12-13T20:00:00.000Z', bucket: 'WEEK', timezone: 'Europe/Berlin' }, analyst.token);
    expect(response.errors).toBeUndefined();
    // Widened to whole Berlin weeks: the bucket starts at Monday 00:00 Berlin time.
    expect(response.data!.sessionVolume).toEqual([
      {
        bucketStart: '2026-12-06T23:00:00.000Z',
        suppressed: false,
        scheduled: 4,
        completed: 4,
        cancelled: 0,
        rejected: 0,
        noShow: 0,
        lateCancelled: 0,
        completionRate: 1,
        cancellationRate: 0,
      },
    ]);
    expect(ids.some((id) => JSON.stringify(response).includes(id))).toBe(false);
  });

  it('suppresses a single-patient filter, and its complement, so the total cannot reveal it', async () => {
    const chat = await t.request(SessionVolumeDocument, { ...WEEK, sessionType: 'CHAT' }, analyst.token);
    expect(chat.data!.sessionVolume).toEqual([expect.objectContaining({ suppressed: true, scheduled: null, completed: null, completionRate: null })]);
    // VIDEO alone would give CHAT = total - VIDEO.
    const video = await t.request(SessionVolumeDocument, { ...WEEK, sessionType: 'VIDEO' }, analyst.token);
    expect(video.data!.sessionVolume[0].suppressed).toBe(true);
    // By day: the 9th is one patient, and the 8th would give it away by the week's total.
    const days = await t.request(SessionVolumeDocument, { ...WEEK, bucket: 'DAY' }, analyst.token);
    expect(days.data!.sessionVolume.filter((d) => d.suppressed).map((d) => d.bucketStart)).toEqual(['2026-12-08T00:00:00.000Z', '2026-12-09T00:00:00.000Z']);
  });

  it('shows therapists as stable pseudonyms to analysts and with ids to admins', async () => {
    const asAnalyst = (await t.request(TherapistUtilisationDocument, WEEK, analyst.token)).data!.therapistUtilisation;
    const asAdmin = (await t.request(TherapistUtilisationDocument, WEEK, admin.token)).data!.therapistUtilisation;
    expect(asAnalyst.every((u) => u.therapistId === null)).toBe(true);
    expect(asAnalyst.map((u) => u.therapistKey)).toEqual(asAdmin.map((u) => u.therapistKey));
    const busy = asAdmin.find((u) => u.therapistId === people.therapist.id)!;
    // Never set hours: Monday to Friday 09:00-17:00.
    expect(busy).toMatchObject({ suppressed: false, bookedHours: 3, availableHours: 40, utilisation: 3 / 40 });
    expect(asAdmin.find((u) => u.therapistId !== people.therapist.id)).toMatchObject({ suppressed: true, bookedHours: null });
    const filtered = await t.request(SessionVolumeDocument, { ...WEEK, therapistKey: busy.therapistKey }, analyst.token);
    expect(filtered.data!.sessionVolume[0]).toMatchObject({ suppressed: true }); // the other therapist's single patient would follow from the total
  });

  it('shows no figure on a suppressed utilisation row, not even the available hours from the working hours its therapist set', async () => {
    clock.set('2026-12-01T08:00:00Z');
    const set = await t.request(SetWorkingHoursDocument, { hours: [{ weekday: 1, start: '09:00', end: '11:00' }] }, people.quiet.token);
    expect(set.errors).toBeUndefined();
    await t.aura.gateway.events.settled();
    const rows = (await t.request(TherapistUtilisationDocument, WEEK, admin.token)).data!.therapistUtilisation;
    // Suppressed (one patient): the row says so and nothing else (available hours were 2 before).
    expect(rows.find((u) => u.therapistId === people.quiet.id)).toMatchObject({ suppressed: true, bookedHours: null, availableHours: null, utilisation: null });
  });

  it('answers revenue, crisis trend, registrations and status', async () => {
    const revenue = (await t.request(RevenueDocument, { from: '2026-12-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }, analyst.token)).data!.revenue;
    expect(revenue).toEqual([
      { bucketStart: '2026-12-01T00:00:00.000Z', currency: 'USD', suppressed: false, issuedCents: 40000, paidCents: 0, voidCents: 0, invoices: 4 },
    ]);
    const crisis = (await t.request(CrisisTrendDocument, WEEK, analyst.token)).data!.crisisTrend;
    expect(crisis).toEqual([{ bucketStart: '2026-12-07T00:00:00.000Z', suppressed: false, crisis: 0, elevated: 0 }]);
    const registrations = (await t.request(RegistrationTrendDocument, { from: '2026-01-01T00:00:00Z', to: '2027-12-01T00:00:00Z', bucket: 'MONTH' }, analyst.token)).data!
      .registrationTrend;
    expect(registrations.length).toBeGreaterThan(0);
    const status = (await t.request(AnalyticsStatusDocument, undefined, analyst.token)).data!.analyticsStatus;
    expect(status.map((s) => s.name)).toEqual(['crises', 'invoices', 'registrations', 'sessions', 'workingHours']);
    expect(status.every((s) => s.lagSeconds === 0 && !s.rebuilding)).toBe(true);
  });

  it('answers lead time and duration histograms', async () => {
    const durations = (await t.request(SessionDistributionDocument, { ...WEEK, measure: 'DURATION' }, analyst.token)).data!.sessionDistribution;
    expect(durations).toEqual([
      { lowerBound: 0, upperBound: 45, suppressed: false, sessions: 0 },
      { lowerBound: 45, upperBound: 60, suppressed: false, sessions: 0 },
      { lowerBound: 60, upperBound: 90, suppressed: false, sessions: 4 },
      { lowerBound: 90, upperBound: null, suppressed: false, sessions: 0 },
    ]);
    // All booked on Dec 1 08:00, for the 8th and 9th: a week to two weeks ahead.
    const lead = (await t.request(SessionDistributionDocument, { ...WEEK, measure: 'LEAD_TIME' }, analyst.token)).data!.sessionDistribution;
    expect(lead.map((b) => [b.lowerBound, b.sessions])).toEqual([[0, 0], [24, 0], [72, 0], [168, 4], [336, 0]]);
  });

  it('lets an admin rebuild, serving the old tables until the new ones take over', async () => {
    const before = (await t.request(SessionVolumeDocument, WEEK, admin.token)).data!.sessionVolume;
    const started = await t.request(RebuildAnalyticsDocument, undefined, admin.token);
    expect(started.errors).toBeUndefined();
    for (let i = 0; i < 200; i++) {
      const status = (await t.request(AnalyticsStatusDocument, undefined, admin.token)).data!.analyticsStatus;
      if (status.every((s) => !s.rebuilding)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await t.request(AnalyticsStatusDocument, undefined, admin.token)).data!.analyticsStatus.every((s) => !s.rebuilding)).toBe(true);
    expect((await t.request(SessionVolumeDocument, WEEK, admin.token)).data!.sessionVolume).toEqual(before);
    expect(codeOf(await t.request(RebuildAnalyticsDocument, undefined, analyst.token))).toBe('FORBIDDEN');
  });

  it.each([
    ['a patient', () => t.request(SessionVolumeDocument, WEEK, people.patient.token), 'FORBIDDEN'],
    ['a therapist', () => t.request(TherapistUtilisationDocument, WEEK, people.therapist.token), 'FORBIDDEN'],
    ['a therapist asking for status', () => t.request(AnalyticsStatusDocument, undefined, people.therapist.token), 'FORBIDDEN'],
    ['nobody signed in', () => t.request(RevenueDocument, WEEK), 'UNAUTHENTICATED'],
    ['an unknown time zone', () => t.request(CrisisTrendDocument, { ...WEEK, timezone: 'Mars/Olympus' }, analyst.token), 'BAD_USER_INPUT'],
    ['a backwards range', () => t.request(SessionVolumeDocument, { from: WEEK.to, to: WEEK.from }, analyst.token), 'BAD_USER_INPUT'],
    ['three centuries of days', () => t.request(SessionVolumeDocument, { from: '1900-01-01T00:00:00Z', to: '2200-01-01T00:00:00Z', bucket: 'DAY' }, analyst.token), 'BAD_USER_INPUT'],
  ])('refuses %s', async (_case, send, code) => {
    expect(codeOf(await send())).toBe(code);
  });
});
