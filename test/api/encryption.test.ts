import { randomUUID } from 'node:crypto';
import {
  AcceptSessionDocument,
  CancelSessionDocument,
  EndSessionDocument,
  RecentChatbotInteractionsDocument,
  ScheduleSessionDocument,
  SendChatbotMessageDocument,
  SessionDocument,
  StartSessionDocument,
} from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const marker = (what: string) => `${what} ${randomUUID()}`;

interface LiveEvent {
  type: string;
  session: { id: string; summary: string | null; cancellationReason: string | null };
}

describe('clinical text over the API: plaintext to its readers, ciphertext in the database', () => {
  let t: TestAura;
  let therapist: Person;
  let patient: Person;
  const raw = (sql: string) => t.aura.orm.em.fork().execute(sql).then((rows) => JSON.stringify(rows));

  const book = async (at: string) => {
    const input = { therapistId: therapist.id, scheduledAt: at, durationMinutes: 60, sessionType: 'VIDEO' as const };
    const response = await t.request(ScheduleSessionDocument, { input }, patient.token);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.scheduleTherapySession.id;
  };

  beforeAll(async () => {
    t = await startTestAura({}, { clock });
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t.stop());

  it('answers with the texts it stored encrypted, and live events deliver them without carrying them', async () => {
    const texts = { summary: marker('Talked about sleep'), notes: marker('Screen for apnea'), reason: marker('Travelling'), chat: marker('I feel anxious about work') };
    const [ended, cancelled] = [await book('2026-12-08T10:00:00.000Z'), await book('2026-12-08T12:00:00.000Z')];
    await t.request(AcceptSessionDocument, { id: ended }, therapist.token);

    const client = t.wsClient(therapist.token);
    const received: LiveEvent[] = [];
    let onEvent: () => void = () => undefined;
    const dispose = client.subscribe<{ therapySessionEvents: LiveEvent }>(
      { query: 'subscription { therapySessionEvents(types: [ENDED, CANCELLED]) { type session { id summary cancellationReason } } }' },
      {
        next: ({ data, errors }) => {
          if (errors) throw new Error(JSON.stringify(errors));
          received.push(data!.therapySessionEvents);
          onEvent();
        },
        error: (error) => {
          throw error;
        },
        complete: () => undefined,
      },
    );
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((resolve) => (onEvent = resolve));
    };
    // The subscription is live once an event reaches it: cancel probe sessions until one does.
    const slots = ['09', '10', '11', '14', '15', '16'].flatMap((day) => ['09', '11', '13', '15'].map((hour) => `2026-12-${day}T${hour}:00:00.000Z`));
    while (received.length === 0) {
      const probe = await book(slots.shift()!);
      await t.request(CancelSessionDocument, { id: probe, reason: 'probe' }, patient.token);
      await Promise.race([until(() => received.length > 0), new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    const ours = () => received.filter((event) => event.session.id === ended || event.session.id === cancelled);

    expect((await t.request(CancelSessionDocument, { id: cancelled, reason: texts.reason }, patient.token)).errors).toBeUndefined();
    clock.set('2026-12-08T10:00:00Z');
    await t.request(StartSessionDocument, { id: ended }, therapist.token);
    const end = await t.request(EndSessionDocument, { id: ended, summary: texts.summary, notes: texts.notes }, therapist.token);
    expect(end.data!.endTherapySession).toMatchObject({ summary: texts.summary, notes: texts.notes });
    const chat = await t.request(SendChatbotMessageDocument, { message: texts.chat }, patient.token);
    expect(chat.errors).toBeUndefined();

    const stored = (await raw('select summary, notes, cancellation_reason from mentalhealth.therapy_session')) + (await raw('select message, response from mentalhealth.chatbot_interaction'));
    const events = await raw('select payload from platform.domain_event');
    for (const text of Object.values(texts)) {
      expect(stored).not.toContain(text);
      expect(events).not.toContain(text);
    }

    expect((await t.request(SessionDocument, { id: ended }, therapist.token)).data!.therapySession).toMatchObject({ summary: texts.summary, notes: texts.notes });
    expect((await t.request(SessionDocument, { id: cancelled }, patient.token)).data!.therapySession).toMatchObject({ cancellationReason: texts.reason });
    const recent = await t.request(RecentChatbotInteractionsDocument, { limit: 1 }, patient.token);
    expect(recent.data!.recentChatbotInteractions[0]).toMatchObject({ message: texts.chat });

    await until(() => ours().length === 2);
    dispose();
    expect(ours().sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { type: 'CANCELLED', session: { id: cancelled, summary: null, cancellationReason: texts.reason } },
      { type: 'ENDED', session: { id: ended, summary: texts.summary, cancellationReason: null } },
    ]);
  });
});
