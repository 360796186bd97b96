import {
  AcceptSessionDocument,
  CancelSessionDocument,
  DisordersDocument,
  DomainEventsOfKindDocument,
  InvoicesDocument,
  NodeDocument,
  RegisterDocument,
  ScheduleSessionDocument,
  SendChatbotMessageDocument,
  SetSessionRateDocument,
} from '../generated/graphql';
import { print } from 'graphql';
import { onlyError, startTestAura, wsExecute, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const ADMIN = { email: 'admin@aura.test', password: 'admin-password-1' };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const STARTUP_MS = 180_000;

/** Query.node(id) refetches any Node as its owner shows it to the viewer; the typed scalars and DomainEvent.kind over HTTP. */
describe('the documented graph over HTTP', () => {
  let t: TestAura;
  let admin: Person;
  let therapist: Person;
  let patient: Person;
  let stranger: Person;
  const ids: Record<'session' | 'invoice' | 'interaction' | 'disorder', string> = { session: '', invoice: '', interaction: '', disorder: '' };

  /** node(id) for this viewer, asked twice: the server compiles an operation (graphql-jit) once it has seen it, so both engines answer. */
  async function node(id: string, who?: Person) {
    const first = await t.request(NodeDocument, { id }, who?.token);
    const second = await t.request(NodeDocument, { id }, who?.token);
    expect(second).toMatchObject({ status: first.status, data: first.data });
    expect({ first: first.errors, second: second.errors }).toEqual({ first: undefined, second: undefined });
    return first.data!.node;
  }

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: ADMIN.email, AURA_ADMIN_PASSWORD: ADMIN.password, AURA_EVENT_POLL_MS: '3600000' }, { clock });
    admin = await login(t, ADMIN.email, ADMIN.password);
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT', 'Europe/Berlin');
    stranger = await register(t, 'PATIENT');
    await t.request(SetSessionRateDocument, { amountCents: 9000, currency: 'EUR' }, therapist.token);
    // One session stays accepted (a care relationship); another is cancelled late, which bills the patient.
    const book = async (scheduledAt: string) => {
      const input = { therapistId: therapist.id, scheduledAt, durationMinutes: 60, sessionType: 'VIDEO' as const };
      const id = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession.id;
      await t.request(AcceptSessionDocument, { id }, therapist.token);
      return id;
    };
    ids.session = await book('2026-12-14T10:00:00.000Z');
    const cancelled = await book('2026-12-10T10:00:00.000Z');
    clock.set('2026-12-10T02:00:00Z');
    await t.request(CancelSessionDocument, { id: cancelled, reason: 'Something came up' }, patient.token);
    await t.aura.gateway.events.settled();
    ids.invoice = (await t.request(InvoicesDocument, {}, patient.token)).data!.invoices.edges[0].node.id;
    ids.interaction = (await t.request(SendChatbotMessageDocument, { message: 'Work has been stressful this week' }, patient.token)).data!.sendChatbotMessage.id;
    ids.disorder = (await t.request(DisordersDocument, { first: 1 }, patient.token)).data!.disorders.edges[0].node.id;
  }, STARTUP_MS);
  afterAll(() => t?.stop());

  it('refetches each kind of Node for someone who may see it, with the typed scalars', async () => {
    expect(await node(patient.id, patient)).toEqual({
      __typename: 'User',
      id: patient.id,
      emailAddress: patient.email,
      timeZone: 'Europe/Berlin',
      role: 'PATIENT',
      sessionRate: null,
    });
    expect(await node(therapist.id, therapist)).toMatchObject({ __typename: 'User', sessionRate: { amountCents: 9000, currencyCode: 'EUR' } });
    expect(await node(ids.session, patient)).toEqual({
      __typename: 'TherapySession',
      id: ids.session,
      status: 'ACCEPTED',
      scheduledAt: '2026-12-14T10:00:00.000Z',
      price: { amountCents: 9000, currencyCode: 'EUR' },
    });
    expect(await node(ids.invoice, patient)).toEqual({ __typename: 'Invoice', id: ids.invoice, amountCents: 4500, currencyCode: 'EUR', invoiceStatus: 'OPEN' });
    expect(await node(ids.interaction, patient)).toMatchObject({ __typename: 'ChatbotInteraction', id: ids.interaction, message: 'Work has been stressful this week' });
    expect(await node(ids.disorder, stranger)).toMatchObject({ __typename: 'Disorder', id: ids.disorder });
  });

  it("follows each owner's rule: the therapist in a care relationship sees the patient and the session, never the chatbot message", async () => {
    expect(await node(patient.id, therapist)).toMatchObject({ __typename: 'User', id: patient.id, emailAddress: patient.email });
    expect(await node(ids.session, therapist)).toMatchObject({ __typename: 'TherapySession', id: ids.session });
    expect(await node(ids.invoice, therapist)).toMatchObject({ __typename: 'Invoice', id: ids.invoice });
    expect(await node(ids.interaction, therapist)).toBeNull();
    expect(await node(ids.session, admin)).toMatchObject({ __typename: 'TherapySession', id: ids.session });
  });

  it("answers null for someone else's object exactly as for an unknown or malformed id", async () => {
    for (const id of [patient.id, ids.session, ids.invoice, ids.interaction]) {
      expect({ id, node: await node(id, stranger) }).toEqual({ id, node: null });
    }
    for (const id of [UNKNOWN_ID, 'not-an-id', '']) {
      expect({ id, node: await node(id, patient) }).toEqual({ id, node: null });
    }
    // Signed out: only the public catalogue.
    expect(await node(ids.session)).toBeNull();
    expect(await node(ids.disorder)).toMatchObject({ __typename: 'Disorder' });
  });

  it('answers node(id) over WebSocket as over HTTP', async () => {
    const client = t.wsClient(patient.token);
    const own = await wsExecute(client, print(NodeDocument), { id: ids.session });
    expect(own).toEqual({ data: { node: await node(ids.session, patient) } });
    const other = await wsExecute(t.wsClient(stranger.token), print(NodeDocument), { id: ids.session });
    expect(other).toEqual({ data: { node: null } });
  });

  it('serves an international address as EmailAddress', async () => {
    const email = `josé-${process.pid}@exämple.test`;
    const input = { email, password: 'api-test-password', firstName: 'José', lastName: 'Núñez', role: 'PATIENT' as const, timezone: 'America/Bogota' };
    const registered = await t.request(RegisterDocument, { input });
    expect(registered.errors).toBeUndefined();
    const { token, user } = registered.data!.register;
    const read = await t.post({ query: '{ me { email emailAddress timeZone } }' }, { authorization: `Bearer ${token}` });
    expect(await read.json()).toEqual({ data: { me: { email: user.email, emailAddress: user.email, timeZone: 'America/Bogota' } } });
    expect(user.email).toBe(`josé-${process.pid}@xn--exmple-cua.test`);
  });

  it('keeps the deprecated string fields answering as before, beside the typed ones', async () => {
    const read = await t.post(
      { query: '{ me { email emailAddress timezone timeZone } }' },
      { authorization: `Bearer ${patient.token}` },
    );
    expect(await read.json()).toEqual({ data: { me: { email: patient.email, emailAddress: patient.email, timezone: 'Europe/Berlin', timeZone: 'Europe/Berlin' } } });
    const invoice = await t.post({ query: `{ invoice(id: "${ids.invoice}") { currency currencyCode } }` }, { authorization: `Bearer ${patient.token}` });
    expect(await invoice.json()).toEqual({ data: { invoice: { currency: 'EUR', currencyCode: 'EUR' } } });
  });

  it('shows DomainEvent.kind as an enum and filters by it (admins)', async () => {
    const issued = await t.request(DomainEventsOfKindDocument, { kind: 'INVOICE_ISSUED', first: 10 }, admin.token);
    expect(issued.errors).toBeUndefined();
    expect(issued.data!.domainEvents.totalCount).toBe(1);
    expect(issued.data!.domainEvents.edges.map((e) => [e.node.kind, e.node.aggregateId])).toEqual([['INVOICE_ISSUED', ids.invoice]]);
    const typed = await t.post({ query: '{ domainEvents(type: "InvoiceIssued", first: 10) { edges { node { type kind } } } }' }, { authorization: `Bearer ${admin.token}` });
    expect(await typed.json()).toEqual({ data: { domainEvents: { edges: [{ node: { type: 'InvoiceIssued', kind: 'INVOICE_ISSUED' } }] } } });
  });

  it('refuses a type and a kind that disagree, and the event log to others', async () => {
    const mixed = await t.post({ query: '{ domainEvents(type: "InvoicePaid", kind: INVOICE_ISSUED) { totalCount } }' }, { authorization: `Bearer ${admin.token}` });
    const body = (await mixed.json()) as { data: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.data).toBeNull();
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors[0].message).toContain('INVOICE_ISSUED');
    const unknown = await t.post({ query: '{ domainEvents(kind: NOT_A_KIND) { totalCount } }' }, { authorization: `Bearer ${admin.token}` });
    expect(((await unknown.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const refused = await t.request(DomainEventsOfKindDocument, { kind: 'INVOICE_ISSUED' }, patient.token);
    expect(onlyError(refused).extensions?.code).toBe('FORBIDDEN');
  });
});
