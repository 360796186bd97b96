import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AcceptSessionDocument, CancelSessionDocument, DashboardDocument, ScheduleSessionDocument, SessionsDocument, UsersDocument } from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { login, register, type Person } from '../support/people';

/** Listing sessions with therapist and patient costs a fixed number of SQL statements, however many rows. */
describe('the dashboard query', () => {
  let t: TestAura;
  let admin: Person;
  let therapists: Person[];
  let patients: Person[];
  const statements: string[] = [];

  beforeAll(async () => {
    // No timed polling of the outbox: the statements counted below are the query's alone.
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '3600000' },
      { onQuery: (sql) => statements.push(sql) },
    );
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    therapists = await Promise.all([1, 2, 3, 4, 5].map(() => register(t, 'THERAPIST')));
    patients = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(() => register(t, 'PATIENT')));
    const connection = t.aura.orm.em.fork().getConnection();
    for (let i = 0; i < 50; i++) {
      const start = new Date(Date.UTC(2027, 0, 4 + Math.floor(i / 10), 9 + (i % 10)));
      await connection.execute(
        `insert into mentalhealth.therapy_session (id, therapist_id, patient_id, proposed_by_id, session_type, target_audience, status, scheduled_at, duration_minutes, ends_at, created_at, updated_at)
         values (?, ?, ?, ?, 'VIDEO', 'INDIVIDUAL', 'ACCEPTED', ?, 60, ?, now(), now())`,
        [randomUUID(), therapists[i % 5].id, patients[i % 10].id, patients[i % 10].id, start, new Date(start.getTime() + 3_600_000)],
      );
    }
  });
  afterAll(() => t.stop());

  async function statementsFor(first: number) {
    await t.aura.gateway.events.settled();
    statements.length = 0;
    const response = await t.request(DashboardDocument, { first }, admin.token);
    expect(response.errors).toBeUndefined();
    const edges = response.data!.therapySessions.edges;
    expect(edges).toHaveLength(first);
    expect(edges.every((e) => e.node.therapist.email.startsWith('therapist-') && (e.node.patient?.email ?? '').startsWith('patient-'))).toBe(true);
    return statements.filter((sql) => /^\s*select/i.test(sql));
  }

  it("answers 50 sessions with therapist and patient in three statements: the viewer's account, the page and one batch of users", async () => {
    const fifty = await statementsFor(50);
    expect(fifty).toHaveLength(3);
    expect(fifty[0]).toMatch(/^select id, role, is_active, token_version from users\.user_account where id in /); // the account as it stands now (role, active, token version)
    expect(fifty[1]).toMatch(/from mentalhealth\.therapy_session where /); // the page, the viewer's scope in its WHERE
    expect(fifty[1]).not.toMatch(/count\(\*\)/); // no totalCount selected, nothing counted
    expect(fifty[2]).toMatch(/from users\.user_account where id in /); // one batch of users
    expect(await statementsFor(5)).toHaveLength(3);
  });

  it("records the page's patient profiles in one insert, whatever the page size", async () => {
    for (const first of [50, 5]) {
      await statementsFor(first);
      const inserts = statements.filter((sql) => /^\s*insert/i.test(sql));
      expect(inserts).toHaveLength(1);
      expect(inserts[0]).toMatch(/insert into platform\.access_record/);
    }
  });

  /** The selects an operation sends, after the outbox settled. */
  async function selectsOf<T>(run: () => Promise<T>): Promise<{ result: T; selects: string[] }> {
    await t.aura.gateway.events.settled();
    statements.length = 0;
    const result = await run();
    return { result, selects: statements.filter((sql) => /^\s*select/i.test(sql)) };
  }

  async function countOf(sql: string): Promise<number> {
    const [row] = await t.aura.orm.em.fork().getConnection().execute<Array<{ n: number }>>(sql);
    return Number(row.n);
  }

  it('reads a page of sessions and its totalCount in one statement; a later page that comes back empty counts on its own', async () => {
    const total = await countOf('select count(*) as n from mentalhealth.therapy_session');
    // The page (a therapist's page also reads the care relationship, another statement) and a count of its own.
    const sessionReads = (selects: string[]) => selects.filter((sql) => /from mentalhealth\.therapy_session where [\s\S]*order by scheduled_at, id limit/.test(sql) || /^\s*select count\(\*\)::int as n from mentalhealth\.therapy_session/.test(sql));
    const first = await selectsOf(() => t.request(SessionsDocument, { first: 2 }, admin.token));
    expect(first.result.data!.therapySessions).toMatchObject({ totalCount: total, pageInfo: { hasNextPage: true } });
    expect(first.result.data!.therapySessions.edges).toHaveLength(2);
    expect(sessionReads(first.selects)).toHaveLength(1);
    expect(sessionReads(first.selects)[0]).toMatch(/count\(\*\)/);

    // A later page: the count ignores the cursor.
    const second = await selectsOf(() => t.request(SessionsDocument, { first: 2, after: first.result.data!.therapySessions.pageInfo.endCursor }, admin.token));
    expect(second.result.data!.therapySessions.totalCount).toBe(total);
    expect(second.result.data!.therapySessions.edges.map((e) => e.node.id)).not.toContain(first.result.data!.therapySessions.edges[1].node.id);
    expect(sessionReads(second.selects)).toHaveLength(1);

    const all = await t.request(SessionsDocument, { first: 100 }, admin.token);
    expect(all.data!.therapySessions.pageInfo.hasNextPage).toBe(false);
    const past = await selectsOf(() => t.request(SessionsDocument, { first: 2, after: all.data!.therapySessions.pageInfo.endCursor }, admin.token));
    expect(past.result.data!.therapySessions).toMatchObject({ totalCount: total, edges: [] });
    expect(sessionReads(past.selects)).toHaveLength(2);

    // The viewer's scope bounds the count as it bounds the page.
    const mine = await countOf(`select count(*) as n from mentalhealth.therapy_session where therapist_id = '${therapists[2].id}'`);
    const theirs = await selectsOf(() => t.request(SessionsDocument, { first: 1 }, therapists[2].token));
    expect(theirs.result.data!.therapySessions.totalCount).toBe(mine);
    expect(sessionReads(theirs.selects)).toHaveLength(1);
  });

  it('reads a page of users and its totalCount in one statement, a search that finds nobody too', async () => {
    const userReads = (selects: string[]) => selects.filter((sql) => /from users\.user_account/.test(sql) && !/token_version/.test(sql));
    const total = await countOf("select count(*) as n from users.user_account where role = 'PATIENT'");
    const page = await selectsOf(() => t.request(UsersDocument, { role: 'PATIENT', first: 3 }, admin.token));
    expect(page.result.data!.users.totalCount).toBe(total);
    expect(page.result.data!.users.edges).toHaveLength(3);
    expect(userReads(page.selects)).toHaveLength(1);
    expect(userReads(page.selects)[0]).toMatch(/count\(\*\)/);
    const none = await selectsOf(() => t.request(UsersDocument, { search: 'nobody-is-called-this', first: 3 }, admin.token));
    expect(none.result.data!.users).toMatchObject({ totalCount: 0, edges: [] });
    expect(userReads(none.selects)).toHaveLength(1);
    // Through a named fragment, as compiled execution sees it: counted in the page's statement too.
    const query = 'query { users(role: PATIENT, first: 2) { ...Counted } } fragment Counted on UserConnection { total: totalCount edges { node { id } } }';
    const fragment = await selectsOf(() => t.post({ query }, { authorization: `Bearer ${admin.token}` }).then((r) => r.json() as Promise<{ data: { users: { total: number } } }>));
    expect(fragment.result.data.users.total).toBe(total);
    expect(userReads(fragment.selects)).toHaveLength(1);
  });

  /**
   * The statements an operation sends itself, in order: the outbox dispatcher delivering the
   * change's events afterwards (event_delivery, analytics' projection) is not the operation's.
   */
  async function operationStatements<T>(run: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
    await t.aura.gateway.events.settled();
    statements.length = 0;
    const result = await run();
    const sent = statements.filter((sql) => !/platform\.event_delivery d join|update platform\.event_delivery|(from|into|update) analytics\.|savepoint/i.test(sql));
    return { result, sent };
  }

  it('schedules, accepts and cancels in pinned round trips: one batch of users, one calendar read, no read after a write', async () => {
    const [therapist, patient] = [therapists[0], patients[0]];
    const input = { therapistId: therapist.id, scheduledAt: '2027-03-01T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
    const scheduled = await operationStatements(() => t.request(ScheduleSessionDocument, { input }, patient.token));
    expect(scheduled.result.errors).toBeUndefined();
    // The outbox's own work (the dispatcher's pass, the live fast path after the commit) runs beside the request, not in it.
    const reads = (sent: string[]) => sent.filter((sql) => /^\s*select/i.test(sql) && !/platform\.event_delivery/.test(sql));
    // The account; therapist and patient in one batch; the price; the calendar lock; working hours; both calendars and the day's count in one; the answer's users.
    expect(reads(scheduled.sent)).toHaveLength(7);
    expect(reads(scheduled.sent).filter((sql) => /from ("users"\."user_account"|users\.user_account where id in)/.test(sql) && !/token_version/.test(sql))).toHaveLength(2);
    expect(reads(scheduled.sent).filter((sql) => /mentalhealth\.therapy_session/.test(sql))).toHaveLength(1);

    const id = scheduled.result.data!.scheduleTherapySession.id;
    const accepted = await operationStatements(() => t.request(AcceptSessionDocument, { id }, therapist.token));
    expect(accepted.result.data!.acceptTherapySession.status).toBe('ACCEPTED');
    // The account; the session locked; the answer's users, and (a therapist shown a patient) the care relationship.
    expect(reads(accepted.sent)).toHaveLength(4);
    const cancelled = await operationStatements(() => t.request(CancelSessionDocument, { id, reason: 'pinned' }, patient.token));
    expect(cancelled.result.data!.cancelTherapySession.status).toBe('CANCELLED');
    // A patient: the account; the session locked; the answer's users.
    expect(reads(cancelled.sent)).toHaveLength(3);
    // Access records: the change's, in its transaction; then one READ insert before the answer when it shows
    // health information (the therapist accepting sees the patient's profile; the cancelled session shows its reason).
    const auditInserts = (sent: string[]) => sent.filter((sql) => /insert into platform\.access_record/i.test(sql)).length;
    expect([scheduled, accepted, cancelled].map(({ sent }) => auditInserts(sent))).toEqual([1, 2, 2]);
    // Each change's event and its pending deliveries: one statement in the change's transaction.
    const outboxWrites = (sent: string[]) => sent.filter((sql) => /insert into platform\.(domain_event|event_delivery)/i.test(sql)).length;
    expect([scheduled, accepted, cancelled].map(({ sent }) => outboxWrites(sent))).toEqual([1, 1, 1]);
  });

  it("sends a change's transaction in three messages: BEGIN with the locked read; the event, the access record and the update; COMMIT", async () => {
    const [therapist, patient] = [therapists[1], patients[1]];
    const input = { therapistId: therapist.id, scheduledAt: '2027-03-02T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
    const scheduled = await t.request(ScheduleSessionDocument, { input }, patient.token);
    const id = scheduled.data!.scheduleTherapySession.id;
    await t.aura.gateway.events.settled();
    // Every message any pg client of this process sends (the dispatcher's too: they are told apart by content).
    const messages: string[] = [];
    const query = Client.prototype.query;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text: string };
      messages.push(typeof config === 'string' ? config : config.text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    try {
      const accepted = await t.request(AcceptSessionDocument, { id }, therapist.token);
      expect(accepted.data!.acceptTherapySession.status).toBe('ACCEPTED');
      const cancelled = await t.request(CancelSessionDocument, { id, reason: 'pinned at the wire' }, patient.token);
      expect(cancelled.data!.cancelTherapySession.status).toBe('CANCELLED');
    } finally {
      Client.prototype.query = query;
    }
    const sessionMessages = messages.filter((text) => text.includes(id));
    // Per change: the locked read carries BEGIN; the update carries the event (with its deliveries) and the change's access record.
    const lockedReads = sessionMessages.filter((text) => /for update/.test(text) && /mentalhealth"?\.?"?therapy_session/.test(text));
    expect(lockedReads).toHaveLength(2);
    for (const text of lockedReads) expect(text).toMatch(/^BEGIN\n;\n/);
    const updates = sessionMessages.filter((text) => /update "mentalhealth"\."therapy_session"/.test(text));
    expect(updates).toHaveLength(2);
    for (const text of updates) {
      expect(text).toMatch(/insert into platform\.domain_event/);
      expect(text).toMatch(/insert into platform\.access_record/);
    }
    // No message of its own for either write: every one holding the event or the change's record holds the update too.
    const changeWrites = sessionMessages.filter((text) => /insert into platform\.domain_event/.test(text) || /insert into platform\.access_record[\s\S]*"UPDATE"/.test(text));
    expect(changeWrites).toEqual(updates);
  });
});
