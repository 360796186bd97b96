import type { Viewer } from '../../src/platform/auth';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/platform/errors';
import { UserService } from '../../src/modules/users/services/user.service';
import { TherapySessions, type ScheduleRequest } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { Calendar } from '../../src/modules/mentalhealth/application/calendar';
import { Disorders } from '../../src/modules/mentalhealth/application/disorders';
import { SupportChat } from '../../src/modules/mentalhealth/application/support-chat';
import type { DomainEvent } from '../../src/contracts/events';
import { TestClock } from '../support/clock';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

// Monday 2026-12-07, 08:00 UTC; sessions go on Tuesday 2026-12-08 unless said otherwise.
const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

describe('mental health use cases on a real database', () => {
  let db: DatabaseHarness;
  let sessions: TherapySessions;
  let calendar: Calendar;
  const published: DomainEvent[] = [];
  let n = 0;

  async function person(role: 'PATIENT' | 'THERAPIST', timezone = 'UTC'): Promise<Viewer> {
    const accounts = db.gateway.container.get(UserService);
    const { user } = await accounts.register(db.op(), {
      email: `${role.toLowerCase()}-${++n}@example.com`,
      password: 'integration-password',
      firstName: role === 'THERAPIST' ? 'Dr' : 'Pat',
      lastName: `Number${n}`,
      role,
      timezone,
    });
    return { userId: user.id, role };
  }

  const request = (therapist: Viewer, at: string, extra: Partial<ScheduleRequest> = {}): ScheduleRequest => ({
    therapistId: therapist.userId,
    scheduledAt: new Date(at),
    durationMinutes: 60,
    sessionType: 'VIDEO',
    ...extra,
  });

  const ruleOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    return (error as ConflictError).details.rule;
  };

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_MAX_SESSIONS_PER_DAY: '3' }, { clock });
    sessions = db.gateway.container.get(TherapySessions);
    calendar = db.gateway.container.get(Calendar);
    for (const type of ['TherapySessionScheduled', 'TherapySessionAccepted', 'TherapySessionStarted', 'TherapySessionEnded', 'TherapySessionCancelled', 'ChatbotCrisisDetected'] as const) {
      db.gateway.events.subscribe(type, 'test', async (event) => {
        published.push(event as DomainEvent);
      });
    }
  });
  afterAll(() => db.destroy());
  beforeEach(() => clock.set('2026-12-07T08:00:00Z'));

  describe('scheduling', () => {
    it('books a patient with a therapist and publishes TherapySessionScheduled after commit', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      const session = await sessions.schedule(db.op(patient), request(therapist, '2026-12-08T10:00:00Z'));
      expect(session).toMatchObject({ status: 'PENDING', therapistId: therapist.userId, patientId: patient.userId, targetAudience: 'INDIVIDUAL' });
      await db.gateway.events.settled();
      const event = published.find((e) => e.aggregateId === session.id)!;
      expect(event).toMatchObject({ type: 'TherapySessionScheduled', payload: { actorId: patient.userId, previousStatus: null } });
      expect(event.payload).not.toHaveProperty('session.notes');
      expect(await sessions.get(db.op(patient), session.id)).toMatchObject({ id: session.id, status: 'PENDING' });
    });

    it('applies lead time, working hours, overlaps and the daily maximum', async () => {
      const [therapist, patient, other] = [await person('THERAPIST'), await person('PATIENT'), await person('PATIENT')];
      const as = (viewer: Viewer, at: string, minutes = 60) => sessions.schedule(db.op(viewer), request(therapist, at, { durationMinutes: minutes }));
      expect(await ruleOf(as(patient, '2026-12-07T08:30:00Z'))).toBe('LEAD_TIME');
      expect(await ruleOf(as(patient, '2026-12-08T16:30:00Z'))).toBe('WORKING_HOURS');
      expect(await ruleOf(as(patient, '2026-12-12T10:00:00Z'))).toBe('WORKING_HOURS');
      await as(patient, '2026-12-08T09:00:00Z', 90);
      expect(await ruleOf(as(other, '2026-12-08T10:00:00Z'))).toBe('THERAPIST_OVERLAP');
      const second = await person('THERAPIST');
      expect(await ruleOf(sessions.schedule(db.op(patient), request(second, '2026-12-08T10:15:00Z', { durationMinutes: 30 })))).toBe('PATIENT_OVERLAP');
      await as(other, '2026-12-08T10:30:00Z', 30);
      await as(other, '2026-12-08T13:00:00Z');
      expect(await ruleOf(as(other, '2026-12-08T15:00:00Z'))).toBe('DAILY_MAXIMUM');
      expect((await as(other, '2026-12-09T15:00:00Z')).status).toBe('PENDING');
    });

    it('frees the time of a cancelled session', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      const first = await sessions.schedule(db.op(patient), request(therapist, '2026-12-08T11:00:00Z'));
      await sessions.cancel(db.op(patient), first.id, 'Something came up');
      expect((await sessions.schedule(db.op(patient), request(therapist, '2026-12-08T11:00:00Z'))).status).toBe('PENDING');
    });

    it('lets exactly one of many simultaneous requests for one slot succeed', async () => {
      const therapist = await person('THERAPIST');
      const patients = [await person('PATIENT'), await person('PATIENT'), await person('PATIENT')];
      const results = await Promise.allSettled(patients.map((p) => sessions.schedule(db.op(p), request(therapist, '2026-12-09T10:00:00Z'))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toBeInstanceOf(ConflictError);
      const listed = await sessions.list(db.op({ userId: therapist.userId, role: 'THERAPIST' }), {});
      expect(listed.edges).toHaveLength(1);
    });

    it('is refused by the database itself when an overlap slips past the application', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      const session = await sessions.schedule(db.op(patient), request(therapist, '2026-12-10T10:00:00Z'));
      const insert = db.orm.em.getConnection().execute(
        `insert into mentalhealth.therapy_session (id, therapist_id, patient_id, proposed_by_id, session_type, target_audience, status, scheduled_at, duration_minutes, ends_at, created_at, updated_at)
         values (gen_random_uuid(), ?, ?, ?, 'CHAT', 'INDIVIDUAL', 'PENDING', '2026-12-10T10:30:00Z', 60, '2026-12-10T11:30:00Z', now(), now())`,
        [therapist.userId, ...Array(2).fill((await person('PATIENT')).userId)],
      );
      await expect(insert).rejects.toThrow(/therapy_session_therapist_no_overlap/);
      expect(session.status).toBe('PENDING');
    });

    it('checks who schedules for whom', async () => {
      const [therapist, patient, other] = [await person('THERAPIST'), await person('PATIENT'), await person('PATIENT')];
      await expect(sessions.schedule(db.op(patient), request(therapist, '2026-12-08T10:00:00Z', { patientId: other.userId }))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(sessions.schedule(db.op(therapist), request(therapist, '2026-12-08T10:00:00Z'))).rejects.toBeInstanceOf(InvalidInputError);
      const byTherapist = await sessions.schedule(db.op(therapist), request(therapist, '2026-12-08T10:00:00Z', { patientId: patient.userId }));
      expect(byTherapist.patientId).toBe(patient.userId);
      await expect(sessions.schedule(db.op(patient), request(patient, '2026-12-08T12:00:00Z'))).rejects.toBeInstanceOf(InvalidInputError);
      await expect(sessions.schedule(db.op({ userId: patient.userId, role: 'ANALYST' }), request(therapist, '2026-12-08T12:00:00Z'))).rejects.toBeInstanceOf(ForbiddenError);
    });
  });

  describe('lifecycle', () => {
    it('runs PENDING -> ACCEPTED -> IN_PROGRESS -> COMPLETED, with the clock deciding when a start is allowed', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      const { id } = await sessions.schedule(db.op(patient), request(therapist, '2026-12-08T14:00:00Z'));
      await sessions.accept(db.op(therapist), id);
      clock.set('2026-12-08T13:40:00Z');
      await expect(sessions.start(db.op(therapist), id)).rejects.toBeInstanceOf(ConflictError);
      clock.set('2026-12-08T13:50:00Z');
      expect((await sessions.start(db.op(therapist), id)).status).toBe('IN_PROGRESS');
      clock.set('2026-12-08T14:52:00Z');
      const ended = await sessions.end(db.op(therapist), id, 'Worked on sleep hygiene', 'Consider CBT-I');
      expect(ended).toMatchObject({ status: 'COMPLETED', summary: 'Worked on sleep hygiene', notes: 'Consider CBT-I' });
      await expect(sessions.cancel(db.op(patient), id, 'too late')).rejects.toBeInstanceOf(ConflictError);
      const stored = await sessions.get(db.op(admin()), id);
      expect(stored).toMatchObject({ status: 'COMPLETED', startedAt: new Date('2026-12-08T13:50:00Z'), endedAt: new Date('2026-12-08T14:52:00Z') });
    });

    it("lets participants act on their own sessions by their user ids, and nobody else's", async () => {
      const [therapist, patient, other] = [await person('THERAPIST'), await person('PATIENT'), await person('PATIENT')];
      const { id } = await sessions.schedule(db.op(patient), request(therapist, '2026-12-09T11:00:00Z'));
      await expect(sessions.accept(db.op(patient), id)).rejects.toBeInstanceOf(ForbiddenError);
      // Someone else's session is unknown to them: no probing by id.
      await expect(sessions.cancel(db.op(other), id, 'not mine')).rejects.toBeInstanceOf(NotFoundError);
      await expect(sessions.get(db.op(other), id)).resolves.toBeNull();
      expect((await sessions.accept(db.op(therapist), id)).status).toBe('ACCEPTED');
      expect((await sessions.cancel(db.op(patient), id, 'Feeling better')).status).toBe('CANCELLED');
    });

    it('keeps a refused transition from changing anything', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      const { id } = await sessions.schedule(db.op(patient), request(therapist, '2026-12-09T13:00:00Z'));
      await expect(sessions.end(db.op(therapist), id, 'nope', 'nope')).rejects.toBeInstanceOf(ConflictError);
      expect(await sessions.get(db.op(therapist), id)).toMatchObject({ status: 'PENDING', summary: null, notes: null });
    });

    it('queues simultaneous transitions on one session: one cancel wins', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      const { id } = await sessions.schedule(db.op(patient), request(therapist, '2026-12-09T14:00:00Z'));
      const results = await Promise.allSettled([sessions.cancel(db.op(patient), id, 'a'), sessions.cancel(db.op(therapist), id, 'b')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    });
  });

  describe('reading', () => {
    it('scopes lists to the viewer and honours filters and pages', async () => {
      const [therapist, patient, other] = [await person('THERAPIST'), await person('PATIENT'), await person('PATIENT')];
      const a = await sessions.schedule(db.op(patient), request(therapist, '2026-12-14T09:00:00Z'));
      const b = await sessions.schedule(db.op(other), request(therapist, '2026-12-14T11:00:00Z'));
      const c = await sessions.schedule(db.op(patient), request(therapist, '2026-12-15T09:00:00Z'));
      await sessions.accept(db.op(therapist), c.id);
      const ids = async (viewer: Viewer, filter = {}) => (await sessions.list(db.op(viewer), filter)).edges.map((e) => e.node.id);
      expect(await ids(patient)).toEqual([a.id, c.id]);
      expect(await ids(other)).toEqual([b.id]);
      expect(await ids(therapist)).toEqual([a.id, b.id, c.id]);
      expect(await ids(therapist, { status: 'ACCEPTED' })).toEqual([c.id]);
      expect(await ids(therapist, { patientId: patient.userId, from: new Date('2026-12-15T00:00:00Z') })).toEqual([c.id]);
      expect(await ids(patient, { therapistId: therapist.userId, to: new Date('2026-12-14T23:59:59Z') })).toEqual([a.id]);
      const page = await sessions.list(db.op(therapist), { first: 2 });
      expect(page.pageInfo.hasNextPage).toBe(true);
      expect(await page.totalCount).toBe(3);
      const rest = await sessions.list(db.op(therapist), { first: 2, after: page.pageInfo.endCursor });
      expect(rest.edges.map((e) => e.node.id)).toEqual([c.id]);
      await expect(sessions.list(db.op({ userId: therapist.userId, role: 'ANALYST' }), {})).rejects.toBeInstanceOf(ForbiddenError);
      await expect(sessions.list(db.op(therapist), { from: new Date('2026-12-15'), to: new Date('2026-12-14') })).rejects.toBeInstanceOf(InvalidInputError);
    });

    it('computes statistics in SQL within the date range and the viewer rights', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      const make = (at: string) => sessions.schedule(db.op(patient), request(therapist, at));
      const done = await make('2026-12-16T09:00:00Z');
      const cancelled = await make('2026-12-16T11:00:00Z');
      await make('2026-12-16T13:00:00Z');
      await make('2026-12-21T09:00:00Z');
      await sessions.accept(db.op(therapist), done.id);
      clock.set('2026-12-16T09:00:00Z');
      await sessions.start(db.op(therapist), done.id);
      clock.set('2026-12-16T09:45:00Z');
      await sessions.end(db.op(therapist), done.id);
      await sessions.cancel(db.op(patient), cancelled.id, 'Sick');
      const range = { from: new Date('2026-12-16T00:00:00Z'), to: new Date('2026-12-17T00:00:00Z') };
      const stats = await sessions.statistics(db.op(therapist), { ...range });
      expect(stats).toEqual({
        total: 3, pending: 1, accepted: 0, inProgress: 0, completed: 1, cancelled: 1, rejected: 0, noShow: 0,
        completionRate: 1 / 3, cancellationRate: 1 / 3, averageDurationMinutes: 45,
      });
      expect((await sessions.statistics(db.op(therapist), {})).total).toBe(4);
      const analyst = { userId: therapist.userId, role: 'ANALYST' as const };
      expect((await sessions.statistics(db.op(analyst), { therapistId: therapist.userId, ...range })).completed).toBe(1);
      await expect(sessions.statistics(db.op(patient), { patientId: (await person('PATIENT')).userId })).rejects.toBeInstanceOf(ForbiddenError);
      expect((await sessions.statistics(db.op(await person('THERAPIST')), {})).total).toBe(0);
    });
  });

  describe('working hours and availability', () => {
    it('defaults to Monday-Friday 09:00-17:00 and replaces the week on set', async () => {
      const therapist = await person('THERAPIST', 'America/New_York');
      const patient = await person('PATIENT');
      const [hours, none] = await calendar.workingHoursOf(db.op(), [therapist.userId, patient.userId]);
      expect(hours).toHaveLength(5);
      expect(none).toEqual([]);
      await calendar.setWorkingHours(db.op(therapist), [{ weekday: 2, start: '13:00', end: '15:00' }]);
      expect((await calendar.workingHoursOf(db.op(), [therapist.userId]))[0]).toEqual([{ weekday: 2, start: '13:00', end: '15:00' }]);
      await expect(calendar.setWorkingHours(db.op(patient), [])).rejects.toBeInstanceOf(ForbiddenError);
      await expect(calendar.setWorkingHours(db.op(therapist), [{ weekday: 8, start: '09:00', end: '10:00' }])).rejects.toBeInstanceOf(InvalidInputError);
    });

    it("offers free slots in the therapist's time zone, minus booked sessions and the lead time", async () => {
      const therapist = await person('THERAPIST', 'America/New_York');
      const patient = await person('PATIENT');
      await calendar.setWorkingHours(db.op(therapist), [{ weekday: 2, start: '13:00', end: '15:00' }]);
      // Tuesday 2026-12-08 13:00-15:00 in New York is 18:00Z-20:00Z.
      await sessions.schedule(db.op(patient), request(therapist, '2026-12-08T18:30:00Z', { durationMinutes: 30 }));
      const slots = await calendar.availability(db.op(patient), therapist.userId, '2026-12-08', 60);
      expect(slots.map((d) => d.toISOString())).toEqual(['2026-12-08T19:00:00.000Z']);
      const halfHours = await calendar.availability(db.op(patient), therapist.userId, '2026-12-08', 30);
      expect(halfHours.map((d) => d.toISOString())).toEqual([
        '2026-12-08T18:00:00.000Z',
        '2026-12-08T19:00:00.000Z',
        '2026-12-08T19:15:00.000Z',
        '2026-12-08T19:30:00.000Z',
      ]);
      expect(await calendar.availability(db.op(patient), therapist.userId, '2026-12-09', 60)).toEqual([]);
      clock.set('2026-12-08T18:10:00Z');
      expect((await calendar.availability(db.op(patient), therapist.userId, '2026-12-08', 30)).map((d) => d.toISOString())).toEqual([
        '2026-12-08T19:15:00.000Z',
        '2026-12-08T19:30:00.000Z',
      ]);
      await expect(calendar.availability(db.op(patient), therapist.userId, '2026-12-08', 50)).rejects.toBeInstanceOf(InvalidInputError);
      await expect(calendar.availability(db.op(patient), therapist.userId, '8 Dec', 60)).rejects.toBeInstanceOf(InvalidInputError);
    });
  });

  describe('disorders catalogue', () => {
    it('ships at least 40 conditions across all six types', async () => {
      const disorders = db.gateway.container.get(Disorders);
      for (const type of ['MENTAL', 'PHYSICAL', 'GENETIC', 'EMOTIONAL', 'BEHAVIORAL', 'FUNCTIONAL'] as const) {
        expect(await (await disorders.list(db.op(), type, 1)).totalCount).toBeGreaterThanOrEqual(5);
      }
      expect(await (await disorders.list(db.op(), null, 1)).totalCount).toBeGreaterThanOrEqual(40);
    });

    it.each([
      ['panic', 'Panic Disorder'],
      ['anx', 'Anxiety'],
      ['anxeity', 'Anxiety'],
      ['depresion', 'Depressive'],
      ['bipolr', 'Bipolar'],
      ['ptsd', 'Post-Traumatic Stress Disorder'],
      ['insomnia', 'Insomnia'],
    ])('finds %p: the first hit names %p', async (query, expected) => {
      const [first] = await db.gateway.container.get(Disorders).search(db.op(), query, 5);
      expect(first.name).toContain(expected);
    });

    it('ranks a name match above a symptom match above a description match', async () => {
      const hits = (await db.gateway.container.get(Disorders).search(db.op(), 'sleep', 10)).map((d) => d.name);
      expect(hits[0]).toBe('Obstructive Sleep Apnea');
      expect(hits).toContain('Insomnia Disorder');
    });

    it('returns nothing for stop words and refuses an empty query', async () => {
      const disorders = db.gateway.container.get(Disorders);
      expect(await disorders.search(db.op(), 'the and of', 5)).toEqual([]);
      await expect(disorders.search(db.op(), '   ', 5)).rejects.toBeInstanceOf(InvalidInputError);
    });
  });

  describe('support chatbot', () => {
    it("stores the viewer's message with a response and alerts their therapists to a crisis", async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      await sessions.schedule(db.op(patient), request(therapist, '2026-12-17T10:00:00Z'));
      const chat = db.gateway.container.get(SupportChat);
      const calm = await chat.send(db.op(patient), 'I have been a bit stressed at work');
      clock.set('2026-12-07T08:01:00Z');
      const crisis = await chat.send(db.op(patient), "I want to kill myself, I can't do this anymore");
      expect(calm.riskLevel).not.toBe('CRISIS');
      expect(crisis.riskLevel).toBe('CRISIS');
      expect(crisis.response).toContain('988');
      expect(crisis.response).toContain('Number');
      await db.gateway.events.settled();
      expect(published.find((e) => e.aggregateId === crisis.id)).toMatchObject({
        type: 'ChatbotCrisisDetected',
        payload: { patientId: patient.userId, therapistIds: [therapist.userId] },
      });
      expect((await chat.recent(db.op(patient), 10)).map((i) => i.id)).toEqual([crisis.id, calm.id]);
      expect(await chat.recent(db.op(therapist), 10)).toEqual([]);
      await expect(chat.send(db.op(patient), ' ')).rejects.toBeInstanceOf(InvalidInputError);
    });

    it('stores the rules that fired with each interaction, and answers Spanish crisis language in Spanish', async () => {
      const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
      await sessions.schedule(db.op(patient), request(therapist, '2026-12-18T10:00:00Z'));
      const chat = db.gateway.container.get(SupportChat);
      const rope = await chat.send(db.op(patient), "I've got a rope ready");
      clock.set('2026-12-07T08:02:00Z');
      const recovery = await chat.send(db.op(patient), "I used to self-harm years ago but I'm doing better now");
      clock.set('2026-12-07T08:03:00Z');
      const spanish = await chat.send(db.op(patient), 'tengo la pistola cargada');
      expect(rope).toMatchObject({ riskLevel: 'CRISIS', riskRules: ['means.ligature'] });
      expect(recovery).toMatchObject({ riskLevel: 'ELEVATED', riskRules: ['cssrs.self_harm', 'negation.past'] });
      expect(spanish).toMatchObject({ riskLevel: 'CRISIS', riskRules: ['means.firearm'] });
      expect(spanish.response).toMatch(/988 y oprime 2/);
      await db.gateway.events.settled();
      const alerted = published.filter((e) => e.type === 'ChatbotCrisisDetected').map((e) => e.aggregateId);
      expect(alerted).toEqual(expect.arrayContaining([rope.id, spanish.id]));
      expect(alerted).not.toContain(recovery.id);
      const stored = await chat.recent(db.op(patient), 10);
      expect(stored.map((i) => [i.id, i.riskRules])).toEqual([
        [spanish.id, ['means.firearm']],
        [recovery.id, ['cssrs.self_harm', 'negation.past']],
        [rope.id, ['means.ligature']],
      ]);
      const rows = await db.orm.em.getConnection().execute<{ id: string; risk_rules: string[] }[]>(
        'select id, risk_rules from mentalhealth.chatbot_interaction where user_id = ? order by created_at',
        [patient.userId],
      );
      expect(rows.map((r) => r.risk_rules)).toEqual([['means.ligature'], ['cssrs.self_harm', 'negation.past'], ['means.firearm']]);
    });
  });
});

function admin(): Viewer {
  return { userId: '00000000-0000-4000-8000-000000000001', role: 'ADMIN' };
}
