import { print } from 'graphql';
import { MeDocument, ScheduleSessionDocument, SessionsDocument } from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-01T08:00:00Z'));

interface Answer {
  status: number;
  replayed: boolean;
  body: { data?: { scheduleTherapySession?: { id: string } } | null; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
}

describe('Idempotency-Key on mutations over HTTP', () => {
  let t: TestAura;
  let therapist: Person;
  let patient: Person;
  let hour = 9;

  const scheduleInput = () => ({
    therapistId: therapist.id,
    scheduledAt: `2026-12-02T${String(hour++).padStart(2, '0')}:00:00.000Z`,
    durationMinutes: 60,
    sessionType: 'VIDEO' as const,
  });

  async function send(key: string | undefined, variables: Record<string, unknown>, who: Person = patient, query = print(ScheduleSessionDocument)): Promise<Answer> {
    const response = await t.post({ query, variables }, { authorization: `Bearer ${who.token}`, ...(key === undefined ? {} : { 'idempotency-key': key }) });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', body: (await response.json()) as Answer['body'] };
  }

  const sessionCount = async (who: Person = patient) =>
    (await t.request(SessionsDocument, { first: 100 }, who.token)).data!.therapySessions.totalCount;

  beforeAll(async () => {
    t = await startTestAura({}, { clock });
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t.stop());

  it('answers a retried mutation with its first answer and does the work once', async () => {
    const input = scheduleInput();
    const first = await send('retry-1', { input });
    const again = await send('retry-1', { input });
    expect(first.body.errors).toBeUndefined();
    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(await sessionCount()).toBe(1);
  });

  it('refuses the same key with other variables as CONFLICT and changes nothing', async () => {
    const before = await sessionCount();
    const first = await send('retry-2', { input: scheduleInput() });
    expect(first.body.errors).toBeUndefined();
    const other = await send('retry-2', { input: scheduleInput() });
    expect(other.status).toBe(409);
    expect(other.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await sessionCount()).toBe(before + 1);
  });

  it('keeps keys apart per viewer', async () => {
    const otherPatient = await register(t, 'PATIENT');
    const mine = await send('shared-key', { input: scheduleInput() });
    const theirs = await send('shared-key', { input: scheduleInput() }, otherPatient);
    expect(theirs.replayed).toBe(false);
    expect(theirs.body.data?.scheduleTherapySession?.id).toBeDefined();
    expect(theirs.body.data?.scheduleTherapySession?.id).not.toBe(mine.body.data?.scheduleTherapySession?.id);
    expect(await sessionCount(otherPatient)).toBe(1);
  });

  it('does the work once when the same request arrives twice at the same time', async () => {
    const before = await sessionCount();
    const input = scheduleInput();
    const answers = await Promise.all([send('race-1', { input }), send('race-1', { input }), send('race-1', { input })]);
    expect(await sessionCount()).toBe(before + 1);
    const ids = new Set(answers.map((a) => a.body.data?.scheduleTherapySession?.id).filter(Boolean));
    expect(ids.size).toBe(1);
    for (const answer of answers) {
      if (answer.body.data?.scheduleTherapySession) continue;
      expect(answer.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_USE' });
    }
    // Once the first answer is recorded, every retry gets it.
    const later = await send('race-1', { input });
    expect(later.replayed).toBe(true);
    expect(later.body.data?.scheduleTherapySession?.id).toBe([...ids][0]);
  });

  it('does not keep a key whose mutation changed nothing, so a retry runs again', async () => {
    const refused = { ...scheduleInput(), durationMinutes: 50 };
    const first = await send('refused-1', { input: refused });
    expect(first.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const again = await send('refused-1', { input: refused });
    expect(again.replayed).toBe(false);
    expect(again.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a malformed key with BAD_USER_INPUT before doing anything', async () => {
    const before = await sessionCount();
    const answer = await send('x'.repeat(129), { input: scheduleInput() });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const spaced = await send('has space', { input: scheduleInput() });
    expect(spaced.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await sessionCount()).toBe(before);
  });

  it('ignores the header on queries', async () => {
    const first = await send('query-key', {}, patient, print(MeDocument));
    const second = await send('query-key', {}, patient, print(MeDocument));
    expect(first.body.errors).toBeUndefined();
    expect(second.replayed).toBe(false);
  });
});
