import {
  AcceptSessionDocument,
  CancelSessionDocument,
  NoShowSessionsDocument,
  NoShowStatisticsDocument,
  ScheduleSessionDocument,
  SessionPriceDocument,
  SetSessionRateDocument,
} from '../generated/graphql';
import { onlyError, startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';
import { until } from '../support/services';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

describe('the agreed price and no-shows over HTTP', () => {
  let t: TestAura;
  let admin: Person;

  beforeAll(async () => {
    // The dispatcher (and with it the no-show sweep) runs every 50 ms, at the test clock's time.
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '50' }, { clock });
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
  });
  afterAll(() => t.stop());

  async function booked(therapist: Person, patient: Person, scheduledAt: string): Promise<string> {
    clock.set('2026-12-07T08:00:00Z');
    const input = { therapistId: therapist.id, scheduledAt, durationMinutes: 60, sessionType: 'VIDEO' as const };
    const { id } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
    await t.request(AcceptSessionDocument, { id }, therapist.token);
    return id;
  }

  it('shows the price agreed at booking to participants and admins, and bills a no-show from it once its time passes', async () => {
    const [therapist, patient, stranger] = [await register(t, 'THERAPIST'), await register(t, 'PATIENT'), await register(t, 'PATIENT')];
    await t.request(SetSessionRateDocument, { amountCents: 10000, currency: 'USD' }, therapist.token);
    const id = await booked(therapist, patient, '2026-12-09T10:00:00.000Z');
    await t.request(SetSessionRateDocument, { amountCents: 20000, currency: 'EUR' }, therapist.token);
    await t.request(SetSessionRateDocument, { amountCents: 30000, currency: 'GBP' }, therapist.token);
    for (const viewer of [patient, therapist, admin]) {
      expect((await t.request(SessionPriceDocument, { id }, viewer.token)).data!.therapySession!.price).toEqual({ amountCents: 10000, currency: 'USD' });
    }
    expect((await t.request(SessionPriceDocument, { id }, stranger.token)).data?.therapySession ?? null).toBeNull();

    clock.set('2026-12-09T11:00:00Z');
    await until('the sweep to mark the session NO_SHOW and billing to invoice it', async () => {
      const session = (await t.request(SessionPriceDocument, { id }, patient.token)).data!.therapySession!;
      return session.status === 'NO_SHOW' && session.invoice !== null;
    });
    await t.aura.gateway.events.settled();
    expect((await t.request(SessionPriceDocument, { id }, patient.token)).data!.therapySession).toEqual({
      id,
      status: 'NO_SHOW',
      price: { amountCents: 10000, currency: 'USD' },
      invoice: { amountCents: 10000, currency: 'USD', reason: 'NO_SHOW' },
    });
    expect((await t.request(NoShowStatisticsDocument, {}, therapist.token)).data!.sessionStatistics).toEqual({ total: 1, accepted: 0, noShow: 1 });
    const listed = (await t.request(NoShowSessionsDocument, { therapistId: therapist.id }, admin.token)).data!.therapySessions;
    expect(listed).toEqual({ totalCount: 1, edges: [{ node: { id, status: 'NO_SHOW' } }] });
    // A no-show is final.
    expect(onlyError(await t.request(CancelSessionDocument, { id, reason: 'Too late' }, therapist.token)).extensions!.code).toBe('CONFLICT');
  });

  it("refuses the patient's cancellation once the session has begun (CONFLICT), changing nothing", async () => {
    const [therapist, patient] = [await register(t, 'THERAPIST'), await register(t, 'PATIENT')];
    const id = await booked(therapist, patient, '2026-12-10T10:00:00.000Z');
    clock.set('2026-12-10T10:05:00Z');
    const refused = await t.request(CancelSessionDocument, { id, reason: 'Forgot' }, patient.token);
    expect(onlyError(refused).extensions!.code).toBe('CONFLICT');
    expect((await t.request(SessionPriceDocument, { id }, patient.token)).data!.therapySession).toMatchObject({ status: 'ACCEPTED', invoice: null });
  });

  it('publishes NO_SHOW to subscribers of the session events, with the agreed price', async () => {
    const [therapist, patient] = [await register(t, 'THERAPIST'), await register(t, 'PATIENT')];
    await t.request(SetSessionRateDocument, { amountCents: 8000, currency: 'CHF' }, therapist.token);
    const id = await booked(therapist, patient, '2026-12-11T10:00:00.000Z');
    clock.set('2026-12-07T08:00:00Z');
    const client = t.wsClient(therapist.token);
    const received: Array<{ type: string; session: { id: string; status: string; price: unknown } }> = [];
    let wake = () => undefined as void;
    const dispose = client.subscribe<{ therapySessionEvents: (typeof received)[number] }>(
      { query: 'subscription { therapySessionEvents(types: [ACCEPTED, NO_SHOW]) { type session { id status price { amountCents currency } } } }' },
      { next: (result) => (received.push(result.data!.therapySessionEvents), wake()), error: () => wake(), complete: () => undefined },
    );
    const noShowArrived = async () => {
      while (!received.some((e) => e.type === 'NO_SHOW')) await new Promise<void>((resolve) => (wake = resolve));
    };
    try {
      // An accepted session (Monday 14 December, hour after hour) proves the subscription is live before time moves on.
      let probes = 0;
      await until('the subscription to see an ACCEPTED event', async () => {
        if (probes < 8) await booked(therapist, patient, `2026-12-14T${String(9 + probes++).padStart(2, '0')}:00:00.000Z`);
        return received.length > 0;
      }, 60_000, 500);
      clock.set('2026-12-11T11:00:00Z');
      await noShowArrived();
      expect(received.filter((e) => e.type === 'NO_SHOW')).toEqual([{ type: 'NO_SHOW', session: { id, status: 'NO_SHOW', price: { amountCents: 8000, currency: 'CHF' } } }]);
    } finally {
      dispose();
      await client.dispose();
    }
  });
});
