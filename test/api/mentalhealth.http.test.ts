import {
  AcceptSessionDocument,
  AvailabilityDocument,
  CancelSessionDocument,
  CreateUserDocument,
  DisorderByIdDocument,
  DisordersDocument,
  EndSessionDocument,
  MeWithHoursDocument,
  RecentChatbotInteractionsDocument,
  RejectSessionDocument,
  ScheduleSessionDocument,
  SearchDisordersDocument,
  SendChatbotMessageDocument,
  SessionDocument,
  SessionsDocument,
  SetWorkingHoursDocument,
  StartSessionDocument,
  StatisticsDocument,
  UserWithSessionsDocument,
  type ScheduleTherapySessionInput,
} from '../generated/graphql';
import { onlyError, startTestAura, type GraphQLResponse, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const ADMIN = { email: 'admin@aura.test', password: 'admin-password-1' };
const codeOf = (response: GraphQLResponse<unknown>) => onlyError(response).extensions!.code;

describe('mental health over HTTP', () => {
  let t: TestAura;
  let admin: Person;
  let analyst: Person;
  let therapist: Person;
  let patient: Person;

  const schedule = (who: Person, input: Partial<ScheduleTherapySessionInput> = {}) =>
    t.request(
      ScheduleSessionDocument,
      { input: { therapistId: therapist.id, scheduledAt: '2026-12-08T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO', ...input } },
      who.token,
    );
  const scheduled = async (who: Person, input: Partial<ScheduleTherapySessionInput> = {}) => {
    const response = await schedule(who, input);
    expect(response.errors).toBeUndefined();
    return response.data!.scheduleTherapySession;
  };

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: ADMIN.email, AURA_ADMIN_PASSWORD: ADMIN.password }, { clock });
    admin = await login(t, ADMIN.email, ADMIN.password);
    await t.request(
      CreateUserDocument,
      { input: { email: 'analyst@example.com', password: 'analyst-password', firstName: 'Ana', lastName: 'Lyst', role: 'ANALYST' } },
      admin.token,
    );
    analyst = await login(t, 'analyst@example.com', 'analyst-password');
    therapist = await register(t, 'THERAPIST', 'UTC', 'Freud');
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t.stop());
  beforeEach(() => clock.set('2026-12-07T08:00:00Z'));

  describe('scheduleTherapySession', () => {
    it('books a PENDING session and resolves therapist and patient', async () => {
      const session = await scheduled(patient, { scheduledAt: '2026-12-08T09:00:00.000Z', durationMinutes: 45, sessionType: 'CHAT' });
      expect(session).toMatchObject({
        status: 'PENDING',
        durationMinutes: 45,
        endsAt: '2026-12-08T09:45:00.000Z',
        targetAudience: 'INDIVIDUAL',
        therapist: { id: therapist.id, lastName: 'Freud' },
        patient: { id: patient.id },
        notes: null,
      });
    });

    it.each([
      ['an unsupported duration', () => schedule(patient, { durationMinutes: 50 }), 'BAD_USER_INPUT'],
      ['a malformed date', () => schedule(patient, { scheduledAt: 'next tuesday' }), 'BAD_USER_INPUT'],
      ['a time inside the lead time', () => schedule(patient, { scheduledAt: '2026-12-07T08:30:00.000Z' }), 'CONFLICT'],
      ['a time outside working hours', () => schedule(patient, { scheduledAt: '2026-12-08T18:00:00.000Z' }), 'CONFLICT'],
      ['an unknown therapist', () => schedule(patient, { therapistId: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND'],
      ['a patient as therapist', () => schedule(patient, { therapistId: patient.id }), 'BAD_USER_INPUT'],
      ['a patient booking for someone else', () => schedule(patient, { patientId: admin.id }), 'FORBIDDEN'],
      ['an analyst', () => schedule(analyst, { patientId: patient.id }), 'FORBIDDEN'],
      ['a therapist without patientId', () => schedule(therapist), 'BAD_USER_INPUT'],
      ['nobody signed in', () => schedule({ id: '', email: '', token: '' }), 'UNAUTHENTICATED'],
    ])('refuses %s', async (_case, send, code) => {
      const before = (await t.request(SessionsDocument, {}, admin.token)).data!.therapySessions.totalCount;
      expect(codeOf(await send())).toBe(code);
      expect((await t.request(SessionsDocument, {}, admin.token)).data!.therapySessions.totalCount).toBe(before);
    });

    it('refuses a second booking of a taken slot with CONFLICT', async () => {
      await scheduled(patient, { scheduledAt: '2026-12-09T10:00:00.000Z' });
      const other = await register(t, 'PATIENT');
      expect(codeOf(await schedule(other, { scheduledAt: '2026-12-09T10:30:00.000Z' }))).toBe('CONFLICT');
    });
  });

  describe('the lifecycle', () => {
    it('accepts, starts and ends a session; the notes are the therapist\'s alone', async () => {
      const { id } = await scheduled(patient, { scheduledAt: '2026-12-10T14:00:00.000Z' });
      expect((await t.request(AcceptSessionDocument, { id }, therapist.token)).data!.acceptTherapySession.status).toBe('ACCEPTED');
      clock.set('2026-12-10T13:30:00Z');
      expect(codeOf(await t.request(StartSessionDocument, { id }, therapist.token))).toBe('CONFLICT');
      clock.set('2026-12-10T13:50:00Z');
      const started = await t.request(StartSessionDocument, { id }, therapist.token);
      expect(started.data!.startTherapySession).toMatchObject({ status: 'IN_PROGRESS', startedAt: '2026-12-10T13:50:00.000Z', endedAt: null });
      clock.set('2026-12-10T14:55:00Z');
      const ended = await t.request(EndSessionDocument, { id, summary: 'Talked about sleep', notes: 'Screen for apnea' }, therapist.token);
      expect(ended.data!.endTherapySession).toMatchObject({ status: 'COMPLETED', summary: 'Talked about sleep', notes: 'Screen for apnea' });
      const asTherapist = await t.request(SessionDocument, { id }, therapist.token);
      const asPatient = await t.request(SessionDocument, { id }, patient.token);
      const asAdmin = await t.request(SessionDocument, { id }, admin.token);
      expect(asTherapist.data!.therapySession).toMatchObject({ notes: 'Screen for apnea', summary: 'Talked about sleep' });
      expect(asPatient.data!.therapySession).toMatchObject({ notes: null, summary: 'Talked about sleep' });
      expect(asAdmin.data!.therapySession!.notes).toBeNull();
      const listed = await t.request(SessionsDocument, { status: 'COMPLETED' }, patient.token);
      expect(listed.data!.therapySessions.edges.map((e) => e.node.notes)).toEqual([null]);
    });

    it('refuses transitions from the wrong state with CONFLICT and changes nothing', async () => {
      const { id } = await scheduled(patient, { scheduledAt: '2026-12-10T10:00:00.000Z' });
      expect(codeOf(await t.request(StartSessionDocument, { id }, therapist.token))).toBe('CONFLICT');
      expect(codeOf(await t.request(EndSessionDocument, { id }, therapist.token))).toBe('CONFLICT');
      await t.request(CancelSessionDocument, { id, reason: 'Travelling' }, patient.token);
      expect(codeOf(await t.request(CancelSessionDocument, { id, reason: 'again' }, patient.token))).toBe('CONFLICT');
      expect(codeOf(await t.request(AcceptSessionDocument, { id }, therapist.token))).toBe('CONFLICT');
      const session = (await t.request(SessionDocument, { id }, patient.token)).data!.therapySession!;
      expect(session).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Travelling' });
    });

    it('rejects with a reason, and requires one', async () => {
      const { id } = await scheduled(patient, { scheduledAt: '2026-12-10T11:00:00.000Z' });
      expect(codeOf(await t.request(RejectSessionDocument, { id, reason: '  ' }, therapist.token))).toBe('BAD_USER_INPUT');
      const rejected = await t.request(RejectSessionDocument, { id, reason: 'Outside my expertise' }, therapist.token);
      expect(rejected.data!.rejectTherapySession).toMatchObject({ status: 'REJECTED', cancellationReason: 'Outside my expertise' });
    });

    it('answers FORBIDDEN to a participant without the right, and a stranger as for an unknown session', async () => {
      const { id } = await scheduled(patient, { scheduledAt: '2026-12-11T10:00:00.000Z' });
      const stranger = await register(t, 'PATIENT');
      const otherTherapist = await register(t, 'THERAPIST');
      expect(codeOf(await t.request(AcceptSessionDocument, { id }, patient.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.request(AcceptSessionDocument, { id }, otherTherapist.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.request(CancelSessionDocument, { id, reason: 'x' }, stranger.token))).toBe('NOT_FOUND');
      // Someone else's session answers like an unknown one: ids cannot be probed.
      expect(await t.request(SessionDocument, { id }, stranger.token)).toMatchObject({ data: { therapySession: null } });
      expect((await t.request(SessionDocument, { id }, stranger.token)).errors).toBeUndefined();
      expect(codeOf(await t.request(SessionDocument, { id }, analyst.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.request(AcceptSessionDocument, { id: '00000000-0000-4000-8000-000000000000' }, therapist.token))).toBe('NOT_FOUND');
      expect((await t.request(SessionDocument, { id: '00000000-0000-4000-8000-000000000000' }, patient.token)).data!.therapySession).toBeNull();
      expect((await t.request(CancelSessionDocument, { id, reason: 'Admin tidy-up' }, admin.token)).data!.cancelTherapySession.status).toBe('CANCELLED');
    });
  });

  describe('reading sessions', () => {
    it("lists a viewer's sessions only, with filters and cursors", async () => {
      const mine = await register(t, 'PATIENT');
      const a = await scheduled(mine, { scheduledAt: '2026-12-14T09:00:00.000Z' });
      const b = await scheduled(mine, { scheduledAt: '2026-12-15T09:00:00.000Z' });
      const page = await t.request(SessionsDocument, { first: 1 }, mine.token);
      expect(page.data!.therapySessions).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
      expect(page.data!.therapySessions.edges[0].node.id).toBe(a.id);
      const next = await t.request(SessionsDocument, { first: 1, after: page.data!.therapySessions.pageInfo.endCursor }, mine.token);
      expect(next.data!.therapySessions.edges.map((e) => e.node.id)).toEqual([b.id]);
      const ranged = await t.request(SessionsDocument, { from: '2026-12-15T00:00:00Z', patientId: mine.id }, therapist.token);
      expect(ranged.data!.therapySessions.edges.map((e) => e.node.id)).toEqual([b.id]);
      expect(codeOf(await t.request(SessionsDocument, { therapistId: 'not-an-id' }, mine.token))).toBe('BAD_USER_INPUT');
    });

    it("adds therapySessions and workingHours to User, and lets a therapist see their own patient", async () => {
      const mine = await register(t, 'PATIENT');
      await scheduled(mine, { scheduledAt: '2026-12-14T11:00:00.000Z' });
      const seen = await t.request(UserWithSessionsDocument, { id: mine.id }, therapist.token);
      expect(seen.data!.user).toMatchObject({ id: mine.id, workingHours: [], therapySessions: { totalCount: 1 } });
      const stranger = await register(t, 'THERAPIST');
      expect(await t.request(UserWithSessionsDocument, { id: mine.id }, stranger.token)).toMatchObject({ data: { user: null } });
      const self = await t.request(UserWithSessionsDocument, { id: therapist.id }, therapist.token);
      expect(self.data!.user!.workingHours).toHaveLength(5);
    });
  });

  describe('working hours and availability', () => {
    it('sets a therapist\'s hours and offers slots in their time zone', async () => {
      const tokyo = await register(t, 'THERAPIST', 'Asia/Tokyo');
      const set = await t.request(SetWorkingHoursDocument, { hours: [{ weekday: 2, start: '10:00', end: '12:00' }] }, tokyo.token);
      expect(set.data!.setWorkingHours).toEqual([{ weekday: 2, start: '10:00', end: '12:00' }]);
      expect((await t.request(MeWithHoursDocument, undefined, tokyo.token)).data!.me!.workingHours).toEqual([{ weekday: 2, start: '10:00', end: '12:00' }]);
      const slots = await t.request(AvailabilityDocument, { therapistId: tokyo.id, date: '2026-12-08', durationMinutes: 90 }, patient.token);
      // 10:00-12:00 in Tokyo is 01:00Z-03:00Z
      expect(slots.data!.therapistAvailability).toEqual(['2026-12-08T01:00:00.000Z', '2026-12-08T01:15:00.000Z', '2026-12-08T01:30:00.000Z']);
    });

    it.each([
      ['a patient setting hours', () => t.request(SetWorkingHoursDocument, { hours: [] }, patient.token), 'FORBIDDEN'],
      ['overlapping hours', () => t.request(SetWorkingHoursDocument, { hours: [{ weekday: 1, start: '09:00', end: '12:00' }, { weekday: 1, start: '11:00', end: '13:00' }] }, therapist.token), 'BAD_USER_INPUT'],
      ['a bad time', () => t.request(SetWorkingHoursDocument, { hours: [{ weekday: 1, start: '9am', end: '12:00' }] }, therapist.token), 'BAD_USER_INPUT'],
      ['a bad date', () => t.request(AvailabilityDocument, { therapistId: therapist.id, date: '2026-02-30' }, patient.token), 'BAD_USER_INPUT'],
      ['an unknown therapist', () => t.request(AvailabilityDocument, { therapistId: '00000000-0000-4000-8000-000000000000', date: '2026-12-08' }, patient.token), 'NOT_FOUND'],
    ])('refuses %s', async (_case, send, code) => {
      expect(codeOf(await send())).toBe(code);
    });
  });

  describe('sessionStatistics', () => {
    it('counts within the range for the viewer', async () => {
      const fresh = await register(t, 'THERAPIST');
      const someone = await register(t, 'PATIENT');
      const { id } = await scheduled(someone, { therapistId: fresh.id, scheduledAt: '2026-12-16T10:00:00.000Z' });
      await t.request(CancelSessionDocument, { id, reason: 'Ill' }, someone.token);
      await scheduled(someone, { therapistId: fresh.id, scheduledAt: '2026-12-16T12:00:00.000Z' });
      const stats = await t.request(StatisticsDocument, { from: '2026-12-16T00:00:00Z', to: '2026-12-17T00:00:00Z' }, fresh.token);
      expect(stats.data!.sessionStatistics).toEqual({
        total: 2, pending: 1, accepted: 0, inProgress: 0, completed: 0, cancelled: 1, rejected: 0,
        completionRate: 0, cancellationRate: 0.5, averageDurationMinutes: null,
      });
      expect((await t.request(StatisticsDocument, { therapistId: fresh.id }, analyst.token)).data!.sessionStatistics.total).toBe(2);
      expect(codeOf(await t.request(StatisticsDocument, { therapistId: therapist.id }, fresh.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.request(StatisticsDocument, { from: '2026-12-17T00:00:00Z', to: '2026-12-16T00:00:00Z' }, fresh.token))).toBe('BAD_USER_INPUT');
    });
  });

  describe('disorders', () => {
    it('lists by type with pages, reads one, and searches with ranking', async () => {
      const page = await t.request(DisordersDocument, { type: 'GENETIC', first: 3 });
      expect(page.data!.disorders.totalCount).toBeGreaterThanOrEqual(5);
      expect(page.data!.disorders.edges.every((e) => e.node.type === 'GENETIC')).toBe(true);
      const next = await t.request(DisordersDocument, { type: 'GENETIC', first: 3, after: page.data!.disorders.pageInfo.endCursor });
      expect(next.data!.disorders.edges[0].node.name > page.data!.disorders.edges[2].node.name).toBe(true);
      const [top] = (await t.request(SearchDisordersDocument, { query: 'panic' })).data!.searchDisorders;
      expect(top.name).toBe('Panic Disorder');
      const one = await t.request(DisorderByIdDocument, { id: top.id });
      expect(one.data!.disorder).toMatchObject({ name: 'Panic Disorder', type: 'MENTAL' });
      expect(one.data!.disorder!.symptoms.length).toBeGreaterThan(2);
      expect((await t.request(DisorderByIdDocument, { id: 'nope' })).data!.disorder).toBeNull();
      expect(codeOf(await t.request(SearchDisordersDocument, { query: '' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.request(SearchDisordersDocument, { query: 'x', limit: 0 }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('chatbot', () => {
    it('answers, classifies, and shows each user only their own interactions', async () => {
      const someone = await register(t, 'PATIENT');
      const sent = await t.request(SendChatbotMessageDocument, { message: 'I keep having trouble sleeping' }, someone.token);
      expect(sent.data!.sendChatbotMessage).toMatchObject({ message: 'I keep having trouble sleeping', riskLevel: 'LOW' });
      const crisis = await t.request(SendChatbotMessageDocument, { message: 'I have a plan to end my life' }, someone.token);
      expect(crisis.data!.sendChatbotMessage.riskLevel).toBe('CRISIS');
      expect(crisis.data!.sendChatbotMessage.riskRules).toEqual(expect.arrayContaining(['cssrs.plan']));
      expect(crisis.data!.sendChatbotMessage.response).toMatch(/988/);
      const mine = await t.request(RecentChatbotInteractionsDocument, { limit: 10 }, someone.token);
      expect(mine.data!.recentChatbotInteractions).toHaveLength(2);
      expect(mine.data!.recentChatbotInteractions.map((i) => [i.id, i.riskRules])).toEqual(
        expect.arrayContaining([
          [sent.data!.sendChatbotMessage.id, ['low.sleep']],
          [crisis.data!.sendChatbotMessage.id, crisis.data!.sendChatbotMessage.riskRules],
        ]),
      );
      const spanish = await t.request(SendChatbotMessageDocument, { message: 'esta noche termino con todo' }, someone.token);
      expect(spanish.data!.sendChatbotMessage).toMatchObject({ riskLevel: 'CRISIS', riskRules: ['cssrs.intent'] });
      expect(spanish.data!.sendChatbotMessage.response).toMatch(/oprime 2/);
      expect((await t.request(RecentChatbotInteractionsDocument, {}, patient.token)).data!.recentChatbotInteractions).toEqual([]);
      expect(codeOf(await t.request(SendChatbotMessageDocument, { message: 'x'.repeat(2001) }, someone.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.request(SendChatbotMessageDocument, { message: 'hello' }))).toBe('UNAUTHENTICATED');
    });
  });
});
