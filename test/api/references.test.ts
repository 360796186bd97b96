import { TherapySessionReferences } from '../../src/modules/mentalhealth/application/session-references';
import { UserReferences } from '../../src/modules/users/services/user-references';
import { AcceptSessionDocument, CancelSessionDocument, ScheduleSessionDocument } from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const ADMIN = { email: 'admin@aura.test', password: 'admin-password-1' };
const STARTUP_MS = 180_000;

/** Entities another module returns are resolved by their owner, with the owner's rule, in one batch per type. */
describe('references across modules over HTTP', () => {
  let t: TestAura;
  let admin: Person;
  let therapist: Person;
  let patient: Person;
  let invoiceId: string;
  let sessionId: string;

  async function gql(who: Person, query: string, variables: Record<string, unknown> = {}) {
    const response = await t.post({ query, variables }, { authorization: `Bearer ${who.token}` });
    return (await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
  }

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: ADMIN.email, AURA_ADMIN_PASSWORD: ADMIN.password, AURA_EVENT_POLL_MS: '3600000' }, { clock });
    admin = await login(t, ADMIN.email, ADMIN.password);
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
    // The patient's only session with the therapist, cancelled late: an invoice, and no care relationship.
    const input = { therapistId: therapist.id, scheduledAt: '2026-12-10T10:00:00.000Z', durationMinutes: 60, sessionType: 'CHAT' as const };
    sessionId = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession.id;
    await t.request(AcceptSessionDocument, { id: sessionId }, therapist.token);
    clock.set('2026-12-10T02:00:00Z');
    await t.request(CancelSessionDocument, { id: sessionId, reason: 'Something came up' }, patient.token);
    await t.aura.gateway.events.settled();
    invoiceId = (await gql(patient, '{ invoices { edges { node { id reason } } } }')).data!.invoices.edges[0].node.id;
  }, STARTUP_MS);
  afterAll(() => t?.stop());

  it('gives a therapist without a care relationship no patient through Invoice either, and keeps the rest of their invoices', async () => {
    const viaSession = await gql(therapist, 'query($id: ID!) { therapySession(id: $id) { id patient { id } } }', { id: sessionId });
    expect(viaSession).toEqual({ data: { therapySession: { id: sessionId, patient: null } } });
    const viaInvoice = await gql(therapist, 'query($id: ID!) { invoice(id: $id) { id patient { id email } } }', { id: invoiceId });
    expect(viaInvoice).toEqual({ data: { invoice: { id: invoiceId, patient: null } } });
    const list = await gql(therapist, '{ invoices { edges { node { id patient { id } } } } }');
    expect(list).toEqual({ data: { invoices: { edges: [{ node: { id: invoiceId, patient: null } }] } } });
    expect(JSON.stringify([viaInvoice, list])).not.toContain(patient.email);
    // The rest of the invoice, its session (mentalhealth's rule: a participant) and its therapist stay theirs.
    const rest = await gql(therapist, 'query($id: ID!) { invoice(id: $id) { id therapist { id } session { id status cancellationReason } } }', { id: invoiceId });
    expect(rest).toEqual({ data: { invoice: { id: invoiceId, therapist: { id: therapist.id }, session: { id: sessionId, status: 'CANCELLED', cancellationReason: 'Something came up' } } } });
  });

  it('shows the patient through Invoice to the patient and to admins', async () => {
    for (const who of [patient, admin]) {
      const read = await gql(who, 'query($id: ID!) { invoice(id: $id) { patient { id } therapist { id } } }', { id: invoiceId });
      expect(read).toEqual({ data: { invoice: { patient: { id: patient.id }, therapist: { id: therapist.id } } } });
    }
  });

  it('asks each owner once per operation for all the references to its type', async () => {
    const users = jest.spyOn(t.aura.gateway.container.get(UserReferences), 'resolveReferences');
    const sessions = jest.spyOn(t.aura.gateway.container.get(TherapySessionReferences), 'resolveReferences');
    try {
      const read = await gql(admin, '{ invoices { edges { node { patient { id } therapist { id } session { id } } } } }');
      expect(read.errors).toBeUndefined();
      expect(read.data!.invoices.edges.length).toBeGreaterThan(0);
      expect(users).toHaveBeenCalledTimes(1);
      expect([...users.mock.calls[0][1]].sort()).toEqual([patient.id, therapist.id].sort());
      expect(sessions).toHaveBeenCalledTimes(1);
    } finally {
      users.mockRestore();
      sessions.mockRestore();
    }
  });
});
