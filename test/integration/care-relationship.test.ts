import type { Viewer } from '../../src/platform/auth';
import { UserService } from '../../src/modules/users/services/user.service';
import { TherapySessions, type ScheduleRequest } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { SupportChat } from '../../src/modules/mentalhealth/application/support-chat';
import { MentalHealthStoreKey, type MentalHealthStore } from '../../src/modules/mentalhealth/application/ports';
import { inCareRelationship } from '../../src/modules/mentalhealth/domain/care-relationship';
import { TherapySessionSchema } from '../../src/modules/mentalhealth/infrastructure/persistence';
import { Migration20261129100000SessionProposer } from '../../src/modules/mentalhealth/migrations/Migration20261129100000SessionProposer';
import type { DomainEvent } from '../../src/contracts/events';
import { TestClock } from '../support/clock';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

// Monday 2026-12-07, 08:00 UTC.
const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

describe('care relationships on a real database', () => {
  let db: DatabaseHarness;
  let sessions: TherapySessions;
  let accounts: UserService;
  const crises: Array<DomainEvent<'ChatbotCrisisDetected'>> = [];
  let n = 0;

  async function person(role: 'PATIENT' | 'THERAPIST'): Promise<Viewer> {
    const { user } = await accounts.register(db.op(), {
      email: `care-${role.toLowerCase()}-${++n}@example.com`,
      password: 'integration-password',
      firstName: role === 'THERAPIST' ? 'Dr' : 'Pat',
      lastName: `Number${n}`,
      role,
      timezone: 'UTC',
    });
    return { userId: user.id, role };
  }

  const request = (therapist: Viewer, at: string, patient?: Viewer): ScheduleRequest => ({
    therapistId: therapist.userId,
    patientId: patient?.userId,
    scheduledAt: new Date(at),
    durationMinutes: 60,
    sessionType: 'VIDEO',
  });
  const repository = () => db.gateway.container.get<MentalHealthStore>(MentalHealthStoreKey).read(db.op()).sessions;
  const patientsInCare = async (therapist: Viewer, patients: Viewer[]) =>
    (await repository().careRelationships({ therapistIds: [therapist.userId], patientIds: patients.map((p) => p.userId) }, clock.now()))
      .map((pair) => pair.patientId)
      .sort();
  /** What the users module answers a therapist asking for a profile: the user, or null when refused. */
  const profileAs = (therapist: Viewer, patient: Viewer) => accounts.user(db.op(therapist), patient.userId).catch(() => null);

  beforeAll(async () => {
    // No timed polling (outbox, no-show sweep): the statements counted below are the test's alone.
    db = await openTestDatabase({ AURA_EVENT_POLL_MS: '3600000' }, { clock });
    sessions = db.gateway.container.get(TherapySessions);
    accounts = db.gateway.container.get(UserService);
    db.gateway.events.subscribe('ChatbotCrisisDetected', 'test', async (event) => {
      crises.push(event as DomainEvent<'ChatbotCrisisDetected'>);
    });
  });
  afterAll(() => db.destroy());
  beforeEach(() => clock.set('2026-12-07T08:00:00Z'));

  it('tells in one query which of many patients a therapist is in a care relationship with', async () => {
    const therapist = await person('THERAPIST');
    const [booker, proposedTo, accepter, canceller, rejected, stranger] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => person('PATIENT')));
    await sessions.schedule(db.op(booker), request(therapist, '2026-12-08T09:00:00Z'));
    await sessions.schedule(db.op(therapist), request(therapist, '2026-12-08T10:00:00Z', proposedTo));
    const accepted = await sessions.schedule(db.op(therapist), request(therapist, '2026-12-08T11:00:00Z', accepter));
    await sessions.accept(db.op(accepter), accepted.id);
    const cancelled = await sessions.schedule(db.op(canceller), request(therapist, '2026-12-08T12:00:00Z'));
    await sessions.cancel(db.op(canceller), cancelled.id, 'Feeling better');
    const refused = await sessions.schedule(db.op(rejected), request(therapist, '2026-12-08T13:00:00Z'));
    await sessions.reject(db.op(therapist), refused.id, 'Not my speciality');

    db.queries.length = 0;
    const inCare = await patientsInCare(therapist, [booker, proposedTo, accepter, canceller, rejected, stranger]);
    expect(inCare).toEqual([booker.userId, accepter.userId].sort());
    expect(db.queries.filter((sql) => /therapy_session/.test(sql))).toHaveLength(1);

    expect(await profileAs(therapist, booker)).toMatchObject({ id: booker.userId });
    expect(await profileAs(therapist, accepter)).toMatchObject({ id: accepter.userId });
    for (const outside of [proposedTo, canceller, rejected, stranger]) expect(await profileAs(therapist, outside)).toBeNull();
  });

  it('ends when the last live session between them is cancelled', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const { id } = await sessions.schedule(db.op(patient), request(therapist, '2026-12-09T10:00:00Z'));
    await sessions.accept(db.op(therapist), id);
    expect(await patientsInCare(therapist, [patient])).toEqual([patient.userId]);
    await sessions.cancel(db.op(therapist), id, 'Schedule change');
    expect(await patientsInCare(therapist, [patient])).toEqual([]);
    expect(await profileAs(therapist, patient)).toBeNull();
  });

  it('lasts 180 days after the last completed session, by the clock', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const { id } = await sessions.schedule(db.op(patient), request(therapist, '2026-12-10T10:00:00Z'));
    await sessions.accept(db.op(therapist), id);
    clock.set('2026-12-10T10:00:00Z');
    await sessions.start(db.op(therapist), id);
    clock.set('2026-12-10T10:50:00Z');
    await sessions.end(db.op(therapist), id, 'Good progress', null);
    clock.set('2027-06-08T10:49:59Z');
    expect(await patientsInCare(therapist, [patient])).toEqual([patient.userId]);
    expect(await profileAs(therapist, patient)).toMatchObject({ id: patient.userId });
    clock.set('2027-06-08T10:50:00Z');
    expect(await patientsInCare(therapist, [patient])).toEqual([]);
    expect(await profileAs(therapist, patient)).toBeNull();
  });

  it("alerts only the patient's therapists in a care relationship to a crisis", async () => {
    const [booked, proposing, former] = [await person('THERAPIST'), await person('THERAPIST'), await person('THERAPIST')];
    const patient = await person('PATIENT');
    await sessions.schedule(db.op(patient), request(booked, '2026-12-11T09:00:00Z'));
    await sessions.schedule(db.op(proposing), request(proposing, '2026-12-11T11:00:00Z', patient));
    const gone = await sessions.schedule(db.op(patient), request(former, '2026-12-11T13:00:00Z'));
    await sessions.cancel(db.op(patient), gone.id, 'Changed my mind');

    const interaction = await db.gateway.container.get(SupportChat).send(db.op(patient), 'I want to kill myself');
    await db.gateway.events.settled();
    const alert = crises.find((event) => event.payload.interactionId === interaction.id);
    expect(alert?.payload.therapistIds).toEqual([booked.userId]);
  });

  it('sends proposals a therapist accepted themself before the care relationship existed back to PENDING on upgrade', async () => {
    const [therapist, attacked, booker] = [await person('THERAPIST'), await person('PATIENT'), await person('PATIENT')];
    const selfAccepted = await sessions.schedule(db.op(therapist), request(therapist, '2026-12-14T09:00:00Z', attacked));
    const booked = await sessions.schedule(db.op(booker), request(therapist, '2026-12-14T11:00:00Z'));
    await sessions.accept(db.op(therapist), booked.id);
    const connection = db.orm.em.getConnection();
    const migration = new Migration20261129100000SessionProposer(db.orm.em.getDriver(), db.orm.config);
    const run = async (step: 'up' | 'down') => {
      migration.reset();
      await migration[step]();
      for (const sql of migration.getQueries()) await connection.execute(sql as string);
    };
    await run('down');
    // What the old rule allowed: the proposing therapist accepted the session (recorded as such).
    await connection.execute(`update mentalhealth.therapy_session set status = 'ACCEPTED' where id = ?`, [selfAccepted.id]);
    await connection.execute(
      `insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at) values (gen_random_uuid(), 'TherapySessionAccepted', ?, ?::jsonb, now())`,
      [selfAccepted.id, JSON.stringify({ actorId: therapist.userId })],
    );
    await run('up');

    const rows = await db.orm.em.fork().find(TherapySessionSchema, { id: { $in: [selfAccepted.id, booked.id] } }, { orderBy: { scheduledAt: 'asc' } });
    expect(rows.map((r) => [r.status, r.proposedById])).toEqual([['PENDING', therapist.userId], ['ACCEPTED', booker.userId]]);
    expect(await patientsInCare(therapist, [attacked, booker])).toEqual([booker.userId]);
  });

  it('agrees with the domain rule for every pair, at every moment', async () => {
    const rows = await db.orm.em.fork().find(TherapySessionSchema, {});
    const pairs = new Map<string, typeof rows>();
    for (const row of rows) pairs.set(`${row.therapistId}/${row.patientId}`, [...(pairs.get(`${row.therapistId}/${row.patientId}`) ?? []), row]);
    for (const now of ['2026-12-07T08:00:00Z', '2027-06-08T10:49:59Z', '2027-06-08T10:50:00Z', '2030-01-01T00:00:00Z']) {
      clock.set(now);
      const found = await repository().careRelationships({ therapistIds: [...new Set(rows.map((r) => r.therapistId))] }, clock.now());
      const bySql = found.map((pair) => `${pair.therapistId}/${pair.patientId}`).sort();
      const byDomain = [...pairs].filter(([, between]) => inCareRelationship(between, clock.now())).map(([pair]) => pair).sort();
      expect(bySql).toEqual(byDomain);
    }
  });
});
