import {
  AccessAuditDocument,
  CreateUserDocument,
  StartSessionDocument,
} from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { connected, follow, metric, subscribed } from '../support/live';
import { acceptedSession, login, type Person, register } from '../support/people';
import { until } from '../support/services';
import { openEventStream } from '../support/sse';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

/** The document: who took part, with profile fields (a patient's profile read is recorded). */
const IDENTIFIED = `subscription Started($therapistId: ID) { therapySessionStarted(therapistId: $therapistId) {
  type occurredAt session { id status notes scheduledAt therapist { id firstName lastName } patient { id firstName lastName } } } }`;
const DEIDENTIFIED = 'subscription { therapySessionStarted { type occurredAt session { id status notes summary } } }';

describe('live groups: one execution per event per group, visibility per subscriber', () => {
  let t: TestAura;
  let admin: Person;
  let admin2: Person;
  let analyst: Person;
  let alice: Person;
  let bob: Person;
  let patient: Person;

  const sessionOf = (therapist: Person, at: string) => acceptedSession(t, patient, therapist, at);

  async function createUser(role: 'ADMIN' | 'ANALYST', email: string): Promise<Person> {
    const input = { email, password: 'staff-password-1', firstName: 'S', lastName: role, role };
    const created = await t.request(CreateUserDocument, { input }, admin.token);
    if (!created.data) throw new Error(JSON.stringify(created.errors));
    return login(t, email, 'staff-password-1');
  }

  /** Sockets of one person, each with one subscription of the document. */
  async function subscribers(person: Person, count: number, query: string, variables: Record<string, unknown> = {}) {
    const clients = Array.from({ length: count }, () => t.wsClient(person.token));
    const ready = Promise.all(clients.map(connected));
    const followed = clients.map((client) => follow(client, query, variables));
    await ready;
    return followed;
  }

  const executions = () => metric(t.url, 'aura_live_group_executions_total');

  /** Records of the patient's profile being read, by reader. */
  async function profileReads(): Promise<Map<string, number>> {
    const audit = await t.request(AccessAuditDocument, { patientId: patient.id, first: 100 }, admin.token);
    const counts = new Map<string, number>();
    for (const { node } of audit.data!.accessAudit.edges) {
      if (node.resourceType === 'User' && node.action === 'READ' && node.resourceId === patient.id) counts.set(node.actorId, (counts.get(node.actorId) ?? 0) + 1);
    }
    return counts;
  }

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '3600000' }, { clock });
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    admin2 = await createUser('ADMIN', 'admin2@example.com');
    analyst = await createUser('ANALYST', 'analyst@example.com');
    alice = await register(t, 'THERAPIST');
    bob = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t.stop());

  it('executes each event once per group and gives every subscriber exactly what its class may see', async () => {
    const aliceSession = await sessionOf(alice, '2026-12-08T10:00:00.000Z');
    const bobSession = await sessionOf(bob, '2026-12-08T12:00:00.000Z');
    // Groups: admins (4 sockets of two admins), alice (2), bob (1), analysts (2), the patient (1).
    const admins = [...(await subscribers(admin, 3, IDENTIFIED)), ...(await subscribers(admin2, 1, IDENTIFIED))];
    const alices = await subscribers(alice, 2, IDENTIFIED);
    const [bobs] = await subscribers(bob, 1, IDENTIFIED);
    const analysts = await subscribers(analyst, 2, DEIDENTIFIED);
    const [patients] = await subscribers(patient, 1, IDENTIFIED);
    await subscribed([[t.url, 10]], ['TherapySessionStarted']);
    expect(await metric(t.url, 'aura_live_groups_active')).toBe(5);
    expect(await metric(t.url, 'aura_live_group_members')).toBe(10);
    const before = await executions();
    const readsBefore = await profileReads();

    clock.set('2026-12-08T10:00:00Z');
    await t.request(StartSessionDocument, { id: aliceSession }, alice.token);
    await Promise.all([...admins, ...alices, ...analysts, patients].map((s) => s.next(1)));
    // Admins, alice, analysts, the patient: four executions for nine deliveries; bob's class may not see it.
    expect((await executions()) - before).toBe(4);

    const identified = { type: 'STARTED', session: { id: aliceSession, status: 'IN_PROGRESS', therapist: { id: alice.id }, patient: { id: patient.id } } };
    for (const s of [...admins, ...alices, patients]) {
      expect(s.results).toHaveLength(1);
      expect(s.results[0].errors).toBeUndefined();
      expect(s.results[0].data!.therapySessionStarted).toMatchObject(identified);
      expect((s.results[0].data!.therapySessionStarted as { session: { notes: null } }).session.notes).toBeNull();
    }
    for (const s of analysts) {
      expect(s.results[0]).toEqual({ data: { therapySessionStarted: expect.objectContaining({ type: 'STARTED', session: { id: aliceSession, status: 'IN_PROGRESS', notes: null, summary: null } }) } });
      expect(JSON.stringify(s.results[0])).not.toContain(alice.id);
      expect(JSON.stringify(s.results[0])).not.toContain(patient.id);
    }

    // Bob's own event reaches bob (and the admins, the analysts, the patient) and not alice: bob's first is his own.
    clock.set('2026-12-08T12:00:00Z');
    await t.request(StartSessionDocument, { id: bobSession }, bob.token);
    const [bobEvent] = await bobs.next(1);
    expect(bobEvent.data!.therapySessionStarted).toMatchObject({ session: { id: bobSession, therapist: { id: bob.id } } });
    await Promise.all([...admins, ...analysts, patients].map((s) => s.next(2)));
    expect((await executions()) - before).toBe(8);
    expect(alices.map((s) => s.results.length)).toEqual([1, 1]);
    for (const s of [...admins, ...alices, ...analysts, bobs, patients]) expect(s.failures).toEqual([]);

    // The patient's profile was shown to each admin (and to alice and bob): one record per person who
    // received it per event, however many sockets they have (the records would be the same), none for
    // the patient themself or the analysts. (Each therapist's start mutation showed the patient once
    // more, in its own answer.)
    const readsAfter = await profileReads();
    const by = (id: string) => (readsAfter.get(id) ?? 0) - (readsBefore.get(id) ?? 0);
    expect([admin, admin2, alice, bob, patient, analyst].map((p) => by(p.id))).toEqual([2, 2, 1 + 1, 1 + 1, 0, 0]);

    // Leaving: a group stops when its last subscriber leaves.
    for (const s of [...admins, ...alices, ...analysts, bobs, patients]) s.dispose();
    await until('the groups to stop', async () => (await metric(t.url, 'aura_live_groups_active')) === 0, 60_000, 20);
  });

  it('keeps variables apart: the same document with another therapistId is another group', async () => {
    const session = await sessionOf(alice, '2026-12-09T10:00:00.000Z');
    const forAlice = await subscribers(admin, 2, IDENTIFIED, { therapistId: alice.id });
    const [forBob] = await subscribers(admin, 1, IDENTIFIED, { therapistId: bob.id });
    await subscribed([[t.url, 3]], ['TherapySessionStarted']);
    expect(await metric(t.url, 'aura_live_groups_active')).toBe(2);
    const before = await executions();
    clock.set('2026-12-09T10:00:00Z');
    await t.request(StartSessionDocument, { id: session }, alice.token);
    await Promise.all(forAlice.map((s) => s.next(1)));
    expect((await executions()) - before).toBe(1);
    expect(forAlice.map((s) => (s.results[0].data!.therapySessionStarted as { session: { id: string } }).session.id)).toEqual([session, session]);
    expect(forBob.results).toEqual([]);
    for (const s of [...forAlice, forBob]) s.dispose();
  });

  it('groups SSE subscribers with WebSocket ones: one execution for both transports', async () => {
    const session = await sessionOf(alice, '2026-12-10T10:00:00.000Z');
    const [socket] = await subscribers(admin, 1, IDENTIFIED);
    const streamUrl = t.url.replace('/graphql', '/graphql/stream');
    const streams = await Promise.all([admin, admin2].map((person) => openEventStream(streamUrl, { query: IDENTIFIED, token: person.token })));
    await subscribed([[t.url, 3]], ['TherapySessionStarted']);
    expect(await metric(t.url, 'aura_live_groups_active')).toBe(1);
    expect(await metric(t.url, 'aura_live_group_members')).toBe(3);
    const before = await executions();
    clock.set('2026-12-10T10:00:00Z');
    await t.request(StartSessionDocument, { id: session }, alice.token);
    const [[viaSocket], ...viaStreams] = await Promise.all([socket.next(1), ...streams.map((s) => s.next(1))]);
    expect((await executions()) - before).toBe(1);
    expect(viaSocket.data!.therapySessionStarted).toMatchObject({ session: { id: session, therapist: { id: alice.id }, patient: { id: patient.id } } });
    for (const [result] of viaStreams) expect(result).toEqual(viaSocket);
    socket.dispose();
    streams.forEach((s) => s.close());
    await until('the group to stop', async () => (await metric(t.url, 'aura_live_groups_active')) === 0, 60_000, 20);
  });
});
