import { randomUUID } from 'node:crypto';
import { DashboardDocument } from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { login, register, type Person } from '../support/people';

/** Listing sessions with therapist and patient costs a fixed number of SQL statements, however many rows. */
describe('the dashboard query', () => {
  let t: TestAura;
  let admin: Person;
  const statements: string[] = [];

  beforeAll(async () => {
    // No timed polling of the outbox: the statements counted below are the query's alone.
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '3600000' },
      { onQuery: (sql) => statements.push(sql) },
    );
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    const therapists = await Promise.all([1, 2, 3, 4, 5].map(() => register(t, 'THERAPIST')));
    const patients = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(() => register(t, 'PATIENT')));
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
    expect(fifty[0]).toMatch(/from users\.user_account where id = /); // the account as it stands now (role, active, token version)
    expect(fifty[1]).toMatch(/from "mentalhealth"\."therapy_session"/);
    expect(fifty[2]).toMatch(/from "users"\."user_account"/);
    expect(await statementsFor(5)).toHaveLength(3);
  });
});
