import {
  AcceptSessionDocument,
  CancelSessionDocument,
  DomainEventsDocument,
  EndSessionDocument,
  EventDeliveriesDocument,
  InvoiceByIdDocument,
  InvoicesDocument,
  MyRateDocument,
  PayInvoiceDocument,
  RetryEventDeliveryDocument,
  ScheduleSessionDocument,
  SessionWithInvoiceDocument,
  SetSessionRateDocument,
  StartSessionDocument,
  UserRateDocument,
  VoidInvoiceDocument,
} from '../generated/graphql';
import { onlyError, startTestAura, type GraphQLResponse, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const codeOf = (response: GraphQLResponse<unknown>) => onlyError(response).extensions!.code;

describe('billing over HTTP', () => {
  let t: TestAura;
  let admin: Person;
  let therapist: Person;
  let patient: Person;
  let day = 8;

  /** A session run to completion by the API; returns the session id once billing has invoiced it. */
  async function completed(durationMinutes = 60, who: { therapist: Person; patient: Person } = { therapist, patient }): Promise<string> {
    while ([0, 6].includes(new Date(Date.UTC(2026, 11, day)).getUTCDay())) day++; // working days only
    const at = `2026-12-${String(day++).padStart(2, '0')}T10:00:00.000Z`;
    clock.set('2026-12-01T08:00:00Z');
    const input = { therapistId: who.therapist.id, scheduledAt: at, durationMinutes, sessionType: 'VIDEO' as const };
    const { id } = (await t.request(ScheduleSessionDocument, { input }, who.patient.token)).data!.scheduleTherapySession;
    await t.request(AcceptSessionDocument, { id }, who.therapist.token);
    clock.set(at);
    await t.request(StartSessionDocument, { id }, who.therapist.token);
    await t.request(EndSessionDocument, { id, notes: 'therapist only' }, who.therapist.token);
    await t.aura.gateway.events.settled();
    return id;
  }

  const invoiceOf = async (sessionId: string, token = patient.token) =>
    (await t.request(SessionWithInvoiceDocument, { id: sessionId }, token)).data!.therapySession!.invoice!;

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '50' }, { clock });
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t.stop());

  describe('setSessionRate and User.sessionRate', () => {
    it('shows the default until a therapist sets a rate', async () => {
      const fresh = await register(t, 'THERAPIST');
      expect((await t.request(MyRateDocument, undefined, fresh.token)).data!.me!.sessionRate).toEqual({ amountCents: 10000, currency: 'USD' });
      const set = await t.request(SetSessionRateDocument, { amountCents: 15000, currency: 'chf' }, fresh.token);
      expect(set.data!.setSessionRate).toEqual({ amountCents: 15000, currency: 'CHF' });
      expect((await t.request(UserRateDocument, { id: fresh.id }, admin.token)).data!.user!.sessionRate).toEqual({ amountCents: 15000, currency: 'CHF' });
      expect((await t.request(MyRateDocument, undefined, patient.token)).data!.me!.sessionRate).toBeNull();
    });

    it.each([
      ['a patient', () => t.request(SetSessionRateDocument, { amountCents: 5000 }, patient.token), 'FORBIDDEN'],
      ['a zero amount', () => t.request(SetSessionRateDocument, { amountCents: 0 }, therapist.token), 'BAD_USER_INPUT'],
      ['an unknown currency', () => t.request(SetSessionRateDocument, { amountCents: 5000, currency: 'ABC' }, therapist.token), 'BAD_USER_INPUT'],
      ['nobody signed in', () => t.request(SetSessionRateDocument, { amountCents: 5000 }), 'UNAUTHENTICATED'],
    ])('refuses %s', async (_case, send, code) => {
      expect(codeOf(await send())).toBe(code);
    });
  });

  describe('invoices', () => {
    it('are issued when a session ends, priced by duration, and linked from the session', async () => {
      const sessionId = await completed(30);
      const invoice = await invoiceOf(sessionId);
      expect(invoice).toMatchObject({ amountCents: 6000, status: 'OPEN' });
      const read = await t.request(InvoiceByIdDocument, { id: invoice.id }, patient.token);
      expect(read.data!.invoice).toMatchObject({
        currency: 'USD',
        reason: 'SESSION_COMPLETED',
        paidAt: null,
        session: { id: sessionId, status: 'COMPLETED', durationMinutes: 30, notes: null },
        patient: { id: patient.id },
        therapist: { id: therapist.id },
      });
      const asTherapist = await t.request(InvoiceByIdDocument, { id: invoice.id }, therapist.token);
      expect(asTherapist.data!.invoice!.session.notes).toBe('therapist only');
    });

    it("are listed for their patient and therapist, all for admins, nobody else's", async () => {
      const other = await register(t, 'PATIENT');
      await completed(60, { therapist, patient: other });
      const mine = await t.request(InvoicesDocument, {}, other.token);
      expect(mine.data!.invoices.totalCount).toBe(1);
      const theirs = await t.request(InvoicesDocument, { first: 1 }, therapist.token);
      expect(theirs.data!.invoices.totalCount).toBeGreaterThanOrEqual(2);
      expect(theirs.data!.invoices.pageInfo.hasNextPage).toBe(true);
      const all = await t.request(InvoicesDocument, { first: 100 }, admin.token);
      expect(all.data!.invoices.totalCount).toBe(theirs.data!.invoices.totalCount);
      const stranger = await register(t, 'PATIENT');
      expect((await t.request(InvoicesDocument, {}, stranger.token)).data!.invoices.totalCount).toBe(0);
      const id = mine.data!.invoices.edges[0].node.id;
      // Someone else's invoice answers like an unknown one: null, no error.
      const probed = await t.request(InvoiceByIdDocument, { id }, stranger.token);
      expect([probed.data, probed.errors]).toEqual([{ invoice: null }, undefined]);
      expect((await t.request(SessionWithInvoiceDocument, { id: mine.data!.invoices.edges[0].node.session.id }, admin.token)).data!.therapySession!.invoice!.id).toBe(id);
    });

    it('are paid once, by their patient, and filtered by status', async () => {
      const { id } = await invoiceOf(await completed(90));
      expect(codeOf(await t.request(PayInvoiceDocument, { id, paymentReference: 'x' }, therapist.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.request(PayInvoiceDocument, { id, paymentReference: ' ' }, patient.token))).toBe('BAD_USER_INPUT');
      const paid = await t.request(PayInvoiceDocument, { id, paymentReference: 'card-4242' }, patient.token);
      expect(paid.data!.payInvoice).toMatchObject({ status: 'PAID', paymentReference: 'card-4242', paidAt: expect.stringMatching(/^2026-12-\d\dT1[01]:\d\d:00.000Z$/), amountCents: 15000 });
      expect(codeOf(await t.request(PayInvoiceDocument, { id, paymentReference: 'again' }, patient.token))).toBe('CONFLICT');
      expect((await t.request(InvoiceByIdDocument, { id }, patient.token)).data!.invoice!.paymentReference).toBe('card-4242');
      const paidOnes = await t.request(InvoicesDocument, { status: 'PAID' }, patient.token);
      expect(paidOnes.data!.invoices.edges.map((e) => e.node.id)).toEqual([id]);
      expect(codeOf(await t.request(VoidInvoiceDocument, { id, reason: 'oops' }, admin.token))).toBe('CONFLICT');
    });

    it('are voided by admins only, with a reason', async () => {
      const { id } = await invoiceOf(await completed(45));
      expect(codeOf(await t.request(VoidInvoiceDocument, { id, reason: 'x' }, patient.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.request(VoidInvoiceDocument, { id, reason: '' }, admin.token))).toBe('BAD_USER_INPUT');
      expect((await t.request(VoidInvoiceDocument, { id, reason: 'Billed twice' }, admin.token)).data!.voidInvoice.status).toBe('VOID');
      expect(codeOf(await t.request(PayInvoiceDocument, { id, paymentReference: 'late' }, patient.token))).toBe('CONFLICT');
      expect(codeOf(await t.request(PayInvoiceDocument, { id: '00000000-0000-4000-8000-000000000000', paymentReference: 'x' }, admin.token))).toBe('NOT_FOUND');
    });

    it('charge half for a late cancellation by the patient', async () => {
      clock.set('2026-12-01T08:00:00Z');
      const input = { therapistId: therapist.id, scheduledAt: '2026-12-22T10:00:00.000Z', durationMinutes: 60, sessionType: 'CHAT' as const };
      const { id } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
      await t.request(AcceptSessionDocument, { id }, therapist.token);
      clock.set('2026-12-22T02:00:00Z');
      await t.request(CancelSessionDocument, { id, reason: 'Overslept... almost' }, patient.token);
      await t.aura.gateway.events.settled();
      expect(await invoiceOf(id)).toMatchObject({ amountCents: 5000, status: 'OPEN' });
    });
  });

  describe('the event log (admins)', () => {
    it('lists what happened to a session, with each delivery', async () => {
      const sessionId = await completed(60);
      const log = await t.request(DomainEventsDocument, { aggregateId: sessionId }, admin.token);
      const events = log.data!.domainEvents.edges.map((e) => e.node);
      expect(events.map((e) => e.type)).toEqual(['TherapySessionScheduled', 'TherapySessionAccepted', 'TherapySessionStarted', 'TherapySessionEnded']);
      const ended = events[3];
      expect(ended.payload).toMatchObject({ session: { id: sessionId, status: 'COMPLETED' }, previousStatus: 'IN_PROGRESS' });
      expect(JSON.stringify(ended.payload)).not.toContain('therapist only');
      expect(ended.deliveries).toEqual([
        { subscriber: 'analytics.sessionProjection', status: 'DELIVERED', attempts: 1 },
        { subscriber: 'billing.invoicing', status: 'DELIVERED', attempts: 1 },
        { subscriber: 'graphql-subscriptions', status: 'DELIVERED', attempts: 1 },
      ]);
      const byType = await t.request(DomainEventsDocument, { type: 'InvoiceIssued', first: 2 }, admin.token);
      expect(byType.data!.domainEvents.edges.every((e) => e.node.type === 'InvoiceIssued')).toBe(true);
      const next = await t.request(DomainEventsDocument, { type: 'InvoiceIssued', first: 2, after: byType.data!.domainEvents.pageInfo.endCursor }, admin.token);
      expect(next.data!.domainEvents.edges[0].node.id).not.toBe(byType.data!.domainEvents.edges[1].node.id);
    });

    it('shows dead letters and retries them', async () => {
      expect((await t.request(EventDeliveriesDocument, { status: 'DEAD' }, admin.token)).data!.eventDeliveries).toEqual([]);
      const [{ node }] = (await t.request(DomainEventsDocument, { type: 'TherapySessionEnded', first: 1 }, admin.token)).data!.domainEvents.edges;
      const retried = await t.request(RetryEventDeliveryDocument, { eventId: node.id, subscriber: 'billing.invoicing' }, admin.token);
      expect(codeOf(retried)).toBe('CONFLICT'); // a delivered event is a state, not a malformed input
      expect(codeOf(await t.request(RetryEventDeliveryDocument, { eventId: node.id, subscriber: 'nobody' }, admin.token))).toBe('NOT_FOUND');
    });

    it('is for admins only', async () => {
      expect(codeOf(await t.request(DomainEventsDocument, {}, therapist.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.request(EventDeliveriesDocument, { status: 'DEAD' }, patient.token))).toBe('FORBIDDEN');
    });
  });
});
