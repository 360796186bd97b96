import type { Client } from 'graphql-ws';
import { AccessAuditDocument, AcceptSessionDocument, CreateUserDocument, ScheduleSessionDocument, StartSessionDocument, type AccessAuditQuery } from '../generated/graphql';
import { onlyError, startTestAura, wsExecute, type GraphQLResponse, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const ADMIN = { email: 'admin@aura.test', password: 'admin-password-1' };

type AccessRecord = AccessAuditQuery['accessAudit']['edges'][number]['node'];

describe('the access audit over HTTP and WebSocket', () => {
  let t: TestAura;
  let admin: Person;
  let analyst: Person;
  let therapist: Person;
  let patient: Person;
  let otherPatient: Person;
  const statements: string[] = [];
  /** Inserts of access records since `statements` was emptied (nothing runs in the background then: events are settled). */
  const auditInserts = () => statements.filter((s) => /insert into platform\.access_record/i.test(s)).length;
  const sql = (query: string) => t.aura.orm.em.fork().getConnection().execute(query);

  /** Any operation, as `who`, with our own X-Request-Id so its records can be found. */
  async function gql<T = Record<string, unknown>>(who: Person, query: string, variables: Record<string, unknown> = {}, requestId?: string) {
    const response = await t.post({ query, variables }, { authorization: `Bearer ${who.token}`, ...(requestId ? { 'x-request-id': requestId } : {}) });
    return { status: response.status, ...((await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) };
  }

  const audit = async (who: Person, variables: Record<string, unknown> = {}) => t.request(AccessAuditDocument, variables, who.token);
  /** Every record, newest first, as an admin sees them. */
  async function allRecords(filter: Record<string, unknown> = {}): Promise<AccessRecord[]> {
    const records: AccessRecord[] = [];
    let after: string | null | undefined = null;
    do {
      const page: GraphQLResponse<AccessAuditQuery> = await audit(admin, { ...filter, first: 100, after });
      expect(page.errors).toBeUndefined();
      records.push(...page.data!.accessAudit.edges.map((e) => e.node));
      after = page.data!.accessAudit.pageInfo.hasNextPage ? page.data!.accessAudit.pageInfo.endCursor : null;
    } while (after);
    return records;
  }
  const brief = (r: AccessRecord) => [r.action, r.resourceType, r.resourceId, r.actorId, r.actorRole, r.patientId];

  /** Schedules, accepts, starts and ends a session with a summary and notes; returns its id. */
  async function completedSession(at: string, summary: string, notes: string): Promise<string> {
    clock.set('2026-12-07T08:00:00Z');
    const input = { therapistId: therapist.id, scheduledAt: at, durationMinutes: 60, sessionType: 'VIDEO' as const };
    const { id } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
    await t.request(AcceptSessionDocument, { id }, therapist.token);
    clock.set(at);
    await t.request(StartSessionDocument, { id }, therapist.token);
    const ended = await gql(therapist, 'mutation($id: ID!, $s: String, $n: String) { endTherapySession(id: $id, summary: $s, notes: $n) { id } }', { id, s: summary, n: notes });
    expect(ended.errors).toBeUndefined();
    return id;
  }

  let sessionIds: string[];

  beforeAll(async () => {
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: ADMIN.email, AURA_ADMIN_PASSWORD: ADMIN.password, AURA_EVENT_POLL_MS: '3600000' },
      { clock, onQuery: (statement) => statements.push(statement) },
    );
    admin = await login(t, ADMIN.email, ADMIN.password);
    await t.request(
      CreateUserDocument,
      { input: { email: 'analyst@example.com', password: 'analyst-password', firstName: 'Ana', lastName: 'Lyst', role: 'ANALYST' } },
      admin.token,
    );
    analyst = await login(t, 'analyst@example.com', 'analyst-password');
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
    otherPatient = await register(t, 'PATIENT');
    sessionIds = [
      await completedSession('2026-12-08T09:00:00.000Z', 'talked about sleep', 'screen for apnea'),
      await completedSession('2026-12-08T11:00:00.000Z', 'talked about work', 'follow up on burnout'),
      await completedSession('2026-12-08T13:00:00.000Z', 'talked about family', 'genogram next time'),
    ];
    await gql(otherPatient, 'mutation { sendChatbotMessage(message: "I feel a bit low today") { id } }');
    await t.aura.gateway.events.settled(); // invoices issued
  });
  afterAll(() => t.stop());

  it('records reading notes and summary as one READ of the session per operation, with the request id', async () => {
    const [id] = sessionIds;
    const read = await gql(
      therapist,
      `query($id: ID!) { therapySession(id: $id) { summary notes cancellationReason again: notes patient { firstName } } }`,
      { id },
      'audit-read-notes-1',
    );
    expect(read.data).toMatchObject({ therapySession: { summary: 'talked about sleep', notes: 'screen for apnea', again: 'screen for apnea' } });
    const records = (await allRecords({ actorId: therapist.id })).filter((r) => r.requestId === 'audit-read-notes-1');
    expect(records.map(brief).sort()).toEqual([
      ['READ', 'TherapySession', id, therapist.id, 'THERAPIST', patient.id],
      ['READ', 'User', patient.id, therapist.id, 'THERAPIST', patient.id],
    ]);
  });

  it('records a page of sessions with summaries as one READ per session, written in one insert', async () => {
    statements.length = 0;
    const list = await gql(therapist, `query($t: ID) { therapySessions(therapistId: $t) { edges { node { id summary notes } } } }`, { t: therapist.id }, 'audit-list-1');
    expect(list.data).toMatchObject({ therapySessions: { edges: sessionIds.map((id) => ({ node: { id } })) } });
    expect(auditInserts()).toBe(1);
    const records = (await allRecords({ patientId: patient.id })).filter((r) => r.requestId === 'audit-list-1');
    expect(records.map(brief).sort()).toEqual(sessionIds.map((id) => ['READ', 'TherapySession', id, therapist.id, 'THERAPIST', patient.id]).sort());
  });

  it('records nothing for sessions shown without clinical text', async () => {
    statements.length = 0;
    await gql(patient, `{ therapySessions { edges { node { id status scheduledAt } } } }`, {}, 'audit-plain-1');
    expect(auditInserts()).toBe(0);
  });

  it('shows an admin every record, changes included, filtered by patient and actor, newest first, in pages', async () => {
    const aboutPatient = await allRecords({ patientId: patient.id });
    expect(aboutPatient.every((r) => r.patientId === patient.id)).toBe(true);
    const [first] = sessionIds;
    const changes = aboutPatient.filter((r) => r.resourceId === first && r.action !== 'READ').reverse();
    expect(changes.map((r) => [r.action, r.actorId])).toEqual([
      ['CREATE', patient.id],
      ['UPDATE', therapist.id],
      ['UPDATE', therapist.id],
      ['UPDATE', therapist.id],
    ]);
    const ids = aboutPatient.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const page1 = (await audit(admin, { patientId: patient.id, first: 2 })).data!.accessAudit;
    const page2 = (await audit(admin, { patientId: patient.id, first: 2, after: page1.pageInfo.endCursor })).data!.accessAudit;
    expect([...page1.edges, ...page2.edges].map((e) => e.node.id)).toEqual(aboutPatient.slice(0, 4).map((r) => r.id));
    expect(page1.totalCount).toBe(aboutPatient.length);

    const chatbot = await allRecords({ actorId: otherPatient.id });
    expect(chatbot.map((r) => [r.action, r.resourceType, r.patientId])).toEqual([['CREATE', 'ChatbotInteraction', otherPatient.id]]);
  });

  it('shows a patient only the records about themself', async () => {
    const own = await audit(patient, { first: 100 });
    expect(own.errors).toBeUndefined();
    const records = own.data!.accessAudit.edges.map((e) => e.node);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.patientId === patient.id)).toBe(true);
    expect(records.some((r) => r.actorId === therapist.id && r.action === 'READ')).toBe(true);
    expect(onlyError(await audit(patient, { patientId: otherPatient.id })).extensions!.code).toBe('FORBIDDEN');
  });

  it.each([
    ['a therapist', () => therapist, 'FORBIDDEN'],
    ['an analyst', () => analyst, 'FORBIDDEN'],
  ])('refuses %s', async (_who, who, code) => {
    const response = await audit(who());
    expect(response.data).toBeNull();
    expect(onlyError(response).extensions!.code).toBe(code);
  });

  it('refuses anonymous callers and bad filters', async () => {
    expect(onlyError(await t.request(AccessAuditDocument, {})).extensions!.code).toBe('UNAUTHENTICATED');
    expect(onlyError(await audit(admin, { patientId: 'not-a-user' })).extensions!.code).toBe('BAD_USER_INPUT');
    expect(onlyError(await audit(admin, { after: Buffer.from('["x"]').toString('base64url') })).extensions!.code).toBe('BAD_USER_INPUT');
    expect(onlyError(await audit(admin, { from: '2026-12-09T00:00:00Z', to: '2026-12-08T00:00:00Z' })).extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('withholds the answer when its reads cannot be recorded', async () => {
    await sql(`create function platform.refuse_for_test() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$`);
    await sql(`create trigger refuse_for_test before insert on platform.access_record for each row execute function platform.refuse_for_test()`);
    try {
      const read = await gql(therapist, `query($id: ID!) { therapySession(id: $id) { notes } }`, { id: sessionIds[1] });
      expect(JSON.stringify(read)).not.toContain('burnout');
      expect(read.data).toBeUndefined();
      expect(read.errors![0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
      // What needs no record is still answered.
      expect((await gql(therapist, '{ me { id } }')).data).toEqual({ me: { id: therapist.id } });
    } finally {
      await sql('drop trigger refuse_for_test on platform.access_record');
      await sql('drop function platform.refuse_for_test()');
    }
  });

  describe('over WebSocket', () => {
    it('records a query that reads notes', async () => {
      const client = t.wsClient(therapist.token);
      const before = (await allRecords({ actorId: therapist.id })).filter((r) => r.resourceId === sessionIds[2] && r.action === 'READ').length;
      const result = await wsExecute<{ therapySession: { notes: string } }>(client, `query($id: ID!) { therapySession(id: $id) { notes } }`, { id: sessionIds[2] });
      expect(result.data).toEqual({ therapySession: { notes: 'genogram next time' } });
      const reads = (await allRecords({ actorId: therapist.id })).filter((r) => r.resourceId === sessionIds[2] && r.action === 'READ');
      expect(reads).toHaveLength(before + 1);
      expect(brief(reads[0])).toEqual(['READ', 'TherapySession', sessionIds[2], therapist.id, 'THERAPIST', patient.id]);
    });

    it('records a subscription event that shows a summary, before the event is sent', async () => {
      clock.set('2026-12-07T08:00:00Z');
      const input = { therapistId: therapist.id, scheduledAt: '2026-12-09T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
      const { id } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
      await t.request(AcceptSessionDocument, { id }, therapist.token);
      clock.set('2026-12-09T10:00:00Z');
      await t.request(StartSessionDocument, { id }, therapist.token);

      const client: Client = t.wsClient(admin.token);
      const received = new Promise<{ data?: unknown; errors?: unknown }>((resolve, reject) => {
        client.subscribe({ query: 'subscription { therapySessionEnded { session { id summary } } }' }, { next: resolve, error: reject, complete: () => undefined });
      });
      // A round trip on the same socket: the subscription, sent first, is in place once it returns.
      await wsExecute(client, '{ me { id } }');
      await gql(therapist, 'mutation($id: ID!) { endTherapySession(id: $id, summary: "talked about moving") { id } }', { id });
      expect(await received).toEqual({ data: { therapySessionEnded: { session: { id, summary: 'talked about moving' } } } });
      const reads = (await allRecords({ actorId: admin.id })).filter((r) => r.resourceId === id);
      expect(reads.map(brief)).toEqual([['READ', 'TherapySession', id, admin.id, 'ADMIN', patient.id]]);
    });
  });
});
