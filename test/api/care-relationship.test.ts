import type { Client } from 'graphql-ws';
import {
  AcceptSessionDocument,
  CancelSessionDocument,
  ScheduleSessionDocument,
  SendChatbotMessageDocument,
  SessionDocument,
  SessionsDocument,
  StatisticsDocument,
  UserByIdDocument,
  UserWithSessionsDocument,
  type ScheduleTherapySessionInput,
} from '../generated/graphql';
import { onlyError, startTestAura, type GraphQLResponse, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const ADMIN = { email: 'admin@aura.test', password: 'admin-password-1' };
const CRISIS = 'I want to kill myself tonight';

describe('the care relationship over HTTP and WebSocket', () => {
  let t: TestAura;
  let admin: Person;

  const codeOf = (response: GraphQLResponse<unknown>) => onlyError(response).extensions!.code;
  async function schedule(who: Person, input: Pick<ScheduleTherapySessionInput, 'therapistId' | 'scheduledAt'> & Partial<ScheduleTherapySessionInput>) {
    const response = await t.request(ScheduleSessionDocument, { input: { durationMinutes: 60, sessionType: 'VIDEO', ...input } }, who.token);
    expect(response.errors).toBeUndefined();
    return response.data!.scheduleTherapySession;
  }
  /** The patient's profile as `viewer` gets it: the user, or null when it is not theirs to read. */
  async function profile(patient: Person, viewer: Person) {
    const response = await t.request(UserByIdDocument, { id: patient.id }, viewer.token);
    if (response.data?.user) return response.data.user;
    expect(JSON.stringify(response)).not.toContain(patient.email);
    return null;
  }

  beforeAll(async () => {
    // No polling: live alerts go out on the nudge that follows each commit.
    t = await startTestAura({ AURA_ADMIN_EMAIL: ADMIN.email, AURA_ADMIN_PASSWORD: ADMIN.password, AURA_EVENT_POLL_MS: '3600000' }, { clock });
    admin = await login(t, ADMIN.email, ADMIN.password);
  });
  afterAll(() => t.stop());
  beforeEach(() => clock.set('2026-12-07T08:00:00Z'));

  it("keeps a therapist's proposal from revealing the patient until the patient accepts it, and ends with its cancellation", async () => {
    const [therapist, patient] = [await register(t, 'THERAPIST'), await register(t, 'PATIENT')];
    const proposal = await schedule(therapist, { therapistId: therapist.id, patientId: patient.id, scheduledAt: '2026-12-08T10:00:00.000Z' });
    expect(proposal).toMatchObject({ status: 'PENDING', therapist: { id: therapist.id }, patient: null });

    expect(await profile(patient, therapist)).toBeNull();
    expect((await t.request(SessionDocument, { id: proposal.id }, therapist.token)).data!.therapySession).toMatchObject({ id: proposal.id, patient: null });
    const listed = (await t.request(SessionsDocument, { patientId: patient.id }, therapist.token)).data!.therapySessions;
    expect(listed.edges.map((e) => [e.node.id, e.node.patient])).toEqual([[proposal.id, null]]);
    expect(codeOf(await t.request(AcceptSessionDocument, { id: proposal.id }, therapist.token))).toBe('FORBIDDEN');
    expect((await t.request(SessionDocument, { id: proposal.id }, patient.token)).data!.therapySession).toMatchObject({ status: 'PENDING', patient: { id: patient.id } });

    const accepted = await t.request(AcceptSessionDocument, { id: proposal.id }, patient.token);
    expect(accepted.data!.acceptTherapySession).toMatchObject({ status: 'ACCEPTED', patient: { id: patient.id } });
    expect(await profile(patient, therapist)).toMatchObject({ id: patient.id, email: patient.email });
    expect((await t.request(SessionDocument, { id: proposal.id }, therapist.token)).data!.therapySession!.patient).toMatchObject({ id: patient.id });

    await t.request(CancelSessionDocument, { id: proposal.id, reason: 'Schedule change' }, therapist.token);
    expect(await profile(patient, therapist)).toBeNull();
    expect((await t.request(SessionDocument, { id: proposal.id }, therapist.token)).data!.therapySession).toMatchObject({ status: 'CANCELLED', patient: null });
  });

  it("lets the patient, not the therapist, accept a session an admin proposed", async () => {
    const [therapist, patient] = [await register(t, 'THERAPIST'), await register(t, 'PATIENT')];
    const proposal = await schedule(admin, { therapistId: therapist.id, patientId: patient.id, scheduledAt: '2026-12-08T11:00:00.000Z' });
    expect(proposal.patient).toMatchObject({ id: patient.id });
    expect(codeOf(await t.request(AcceptSessionDocument, { id: proposal.id }, therapist.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.request(AcceptSessionDocument, { id: proposal.id }, admin.token))).toBe('FORBIDDEN');
    expect(await profile(patient, therapist)).toBeNull();
    expect((await t.request(AcceptSessionDocument, { id: proposal.id }, patient.token)).data!.acceptTherapySession.status).toBe('ACCEPTED');
    expect(await profile(patient, therapist)).toMatchObject({ id: patient.id });
  });

  it("opens with the patient's own booking, to that therapist only, who reads only their own sessions with the patient", async () => {
    const [mine, other, patient] = [await register(t, 'THERAPIST'), await register(t, 'THERAPIST'), await register(t, 'PATIENT')];
    const booked = await schedule(patient, { therapistId: mine.id, scheduledAt: '2026-12-09T09:00:00.000Z' });
    await schedule(patient, { therapistId: other.id, scheduledAt: '2026-12-09T11:00:00.000Z' });
    const elsewhere = await schedule(patient, { therapistId: other.id, scheduledAt: '2026-12-09T13:00:00.000Z' });
    await t.request(CancelSessionDocument, { id: elsewhere.id, reason: 'Too many' }, patient.token);
    expect((await t.request(SessionDocument, { id: booked.id }, mine.token)).data!.therapySession!.patient).toMatchObject({ id: patient.id });

    const seen = (await t.request(UserWithSessionsDocument, { id: patient.id }, mine.token)).data!.user!;
    expect(seen).toMatchObject({ email: patient.email, therapySessions: { totalCount: 1, edges: [{ node: { id: booked.id } }] } });
    const listed = (await t.request(SessionsDocument, { patientId: patient.id }, mine.token)).data!.therapySessions;
    expect(listed.edges.map((e) => e.node.id)).toEqual([booked.id]);
    const stats = (await t.request(StatisticsDocument, { patientId: patient.id }, mine.token)).data!.sessionStatistics;
    expect(stats).toMatchObject({ total: 1, pending: 1, cancelled: 0 });

    const outsider = await register(t, 'THERAPIST');
    expect(await profile(patient, outsider)).toBeNull();
    expect((await t.request(SessionsDocument, { patientId: patient.id }, outsider.token)).data!.therapySessions.totalCount).toBe(0);
    expect((await t.request(StatisticsDocument, { patientId: patient.id }, outsider.token)).data!.sessionStatistics.total).toBe(0);
  });

  describe('crisis alerts over WebSocket', () => {
    interface Alert {
      interactionId: string;
      patient: { id: string; email: string };
    }

    /** Subscribes to crisis alerts; `until(id)` resolves once the alert of that interaction has arrived. */
    function alertsOf(client: Client) {
      const alerts: Alert[] = [];
      const errors: unknown[] = [];
      const waiters: Array<() => void> = [];
      const wake = () => waiters.splice(0).forEach((resolve) => resolve());
      const dispose = client.subscribe<{ chatbotCrisisAlerts: Alert }>(
        { query: 'subscription { chatbotCrisisAlerts { interactionId patient { id email } } }' },
        {
          next: (result) => {
            if (result.errors) errors.push(result.errors);
            else alerts.push(result.data!.chatbotCrisisAlerts);
            wake();
          },
          error: (error) => {
            errors.push(error);
            wake();
          },
          complete: () => undefined,
        },
      );
      const has = (ids: readonly string[]) => alerts.some((a) => ids.includes(a.interactionId));
      /** Waits for the alert of one of these interactions, or `ms` at most; says whether it came. */
      const arrival = async (ids: readonly string[], ms = Infinity) => {
        const deadline = Date.now() + ms;
        while (!has(ids) && errors.length === 0 && Date.now() < deadline) {
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            if (ms !== Infinity) setTimeout(resolve, Math.max(0, deadline - Date.now()));
          });
        }
        expect(errors).toEqual([]);
        return has(ids);
      };
      return { alerts, arrival, dispose, ids: () => alerts.map((a) => a.interactionId) };
    }

    const crisis = async (patient: Person) =>
      (await t.request(SendChatbotMessageDocument, { message: CRISIS }, patient.token)).data!.sendChatbotMessage.id;

    it('reach the therapist the patient booked, not one whose proposal waits, nor one whose session was cancelled, and stop when the booking is cancelled', async () => {
      const [caring, proposing, former] = [await register(t, 'THERAPIST'), await register(t, 'THERAPIST'), await register(t, 'THERAPIST')];
      const [patient, marker] = [await register(t, 'PATIENT'), await register(t, 'PATIENT')];
      const booking = await schedule(patient, { therapistId: caring.id, scheduledAt: '2026-12-10T09:00:00.000Z' });
      await schedule(proposing, { therapistId: proposing.id, patientId: patient.id, scheduledAt: '2026-12-10T11:00:00.000Z' });
      const dropped = await schedule(patient, { therapistId: former.id, scheduledAt: '2026-12-10T13:00:00.000Z' });
      await t.request(CancelSessionDocument, { id: dropped.id, reason: 'Found someone else' }, patient.token);
      // The marker patient is in care with all three: their alerts show that a subscriber is live and caught up.
      for (const [therapist, at] of [[caring, '2026-12-11T09:00:00.000Z'], [proposing, '2026-12-11T11:00:00.000Z'], [former, '2026-12-11T13:00:00.000Z']] as const) {
        await schedule(marker, { therapistId: therapist.id, scheduledAt: at });
      }

      const [toCaring, toProposing, toFormer] = [caring, proposing, former].map((therapist) => alertsOf(t.wsClient(therapist.token)));
      const everyone = [toCaring, toProposing, toFormer];
      // graphql-ws does not acknowledge a subscription: send marker alerts until each subscriber has one.
      const warmUp: string[] = [];
      for (;;) {
        warmUp.push(await crisis(marker));
        const arrived = await Promise.all(everyone.map((s) => s.arrival(warmUp, 1000)));
        if (arrived.every(Boolean)) break;
      }
      const first = await crisis(patient);
      await toCaring.arrival([first]);
      // Alerts go out in order: once a later marker has reached the others, the patient's alert never will.
      const afterFirst = await crisis(marker);
      await Promise.all([toProposing.arrival([afterFirst]), toFormer.arrival([afterFirst])]);
      expect(toCaring.alerts.find((a) => a.interactionId === first)).toEqual({ interactionId: first, patient: { id: patient.id, email: patient.email } });
      expect(toProposing.ids()).not.toContain(first);
      expect(toFormer.ids()).not.toContain(first);
      expect(JSON.stringify(toCaring.alerts)).not.toContain('kill');

      await t.request(CancelSessionDocument, { id: booking.id, reason: 'Moving away' }, patient.token);
      const second = await crisis(patient);
      const afterSecond = await crisis(marker);
      await Promise.all(everyone.map((s) => s.arrival([afterSecond])));
      for (const s of everyone) expect(s.ids()).not.toContain(second);
      expect(await profile(patient, caring)).toBeNull();
      for (const s of everyone) s.dispose();
    });
  });
});
