import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Viewer } from '../../src/platform/auth';
import { DataDecryptionError, keyIdOf } from '../../src/platform/data-cipher';
import { rotateDataKeys } from '../../src/platform/data-rotation';
import { UserService } from '../../src/modules/users/services/user.service';
import { TherapySessions } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { SupportChat } from '../../src/modules/mentalhealth/application/support-chat';
import { Migration20261129300000SessionEventsWithoutText } from '../../src/modules/mentalhealth/migrations/Migration20261129300000SessionEventsWithoutText';
import { TestClock } from '../support/clock';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const ENVELOPE = /^v1:([A-Za-z0-9_-]{8}):[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22,}$/;
/** A text nobody else writes, so finding it anywhere means it leaked. */
const marker = (what: string) => `${what} ${randomUUID()}`;

interface StoredSession {
  id: string;
  summary: string | null;
  notes: string | null;
  cancellation_reason: string | null;
}

describe('clinical text is encrypted at rest (real database)', () => {
  let db: DatabaseHarness;
  let n = 0;
  const admin: Viewer = { userId: randomUUID(), role: 'ADMIN' };

  const person = async (role: 'PATIENT' | 'THERAPIST'): Promise<Viewer> => {
    const { user } = await db.gateway.container.get(UserService).register(db.op(), {
      email: `enc-${role.toLowerCase()}-${++n}@example.com`,
      password: 'integration-password',
      firstName: 'Pat',
      lastName: `Lastname${randomUUID().slice(0, 8)}`,
      role,
      timezone: 'UTC',
    });
    return { userId: user.id, role };
  };
  const sessions = () => db.gateway.container.get(TherapySessions);
  const chat = () => db.gateway.container.get(SupportChat);
  const sql = <T>(query: string) => db.orm.em.fork().execute<T[]>(query);
  const storedSessions = () => sql<StoredSession>('select id, summary, notes, cancellation_reason from mentalhealth.therapy_session order by id');
  const storedChat = () => sql<{ message: string; response: string }>('select message, response from mentalhealth.chatbot_interaction');
  const encryptedValues = async () => [
    ...(await storedSessions()).flatMap((row) => [row.summary, row.notes, row.cancellation_reason]),
    ...(await storedChat()).flatMap((row) => [row.message, row.response]),
  ].filter((value): value is string => value !== null);

  /** Ends one session with a summary and notes, cancels one and rejects one: every encrypted session column. */
  async function writeClinicalText(texts: { summary: string; notes: string; cancelled: string; rejected: string; chat: string }) {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    clock.set('2026-12-07T08:00:00Z');
    let hour = 9; // a new therapist and patient each time: their calendars are empty
    const at = (h: number) => new Date(`2026-12-08T${String(h).padStart(2, '0')}:00:00Z`);
    const book = () => sessions().schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: at(hour++), durationMinutes: 60, sessionType: 'VIDEO' });
    const ended = await book();
    const cancelled = await book();
    const rejected = await book();
    await sessions().accept(db.op(therapist), ended.id);
    await sessions().cancel(db.op(patient), cancelled.id, texts.cancelled);
    await sessions().reject(db.op(therapist), rejected.id, texts.rejected);
    clock.set(ended.scheduledAt.toISOString());
    await sessions().start(db.op(therapist), ended.id);
    await sessions().end(db.op(therapist), ended.id, texts.summary, texts.notes);
    await chat().send(db.op(patient), texts.chat);
    await db.gateway.events.settled();
    return { therapist, patient, ended: ended.id, cancelled: cancelled.id, rejected: rejected.id };
  }

  beforeAll(async () => {
    db = await openTestDatabase({}, { clock });
  });
  afterAll(() => db.destroy());

  it('stores notes, summaries, reasons and chat only as envelopes under the current key, and reads them back as plaintext', async () => {
    const texts = { summary: marker('Talked about sleep'), notes: marker('Screen for apnea'), cancelled: marker('Travelling'), rejected: marker('Outside my expertise'), chat: marker('I feel anxious about work') };
    const { therapist, patient, ended, cancelled, rejected } = await writeClinicalText(texts);

    const keyId = keyIdOf(db.settings.dataKeys.current);
    const stored = JSON.stringify(await sql('select * from mentalhealth.therapy_session')) + JSON.stringify(await sql('select * from mentalhealth.chatbot_interaction'));
    const events = JSON.stringify(await sql('select payload from platform.domain_event'));
    for (const text of Object.values(texts)) {
      expect(stored).not.toContain(text);
      expect(events).not.toContain(text);
    }
    const values = await encryptedValues();
    expect(values.length).toBeGreaterThanOrEqual(6);
    for (const value of values) expect(ENVELOPE.exec(value)?.[1]).toBe(keyId);

    const asTherapist = db.op(therapist);
    expect(await sessions().get(asTherapist, ended)).toMatchObject({ summary: texts.summary, notes: texts.notes });
    expect(await sessions().get(asTherapist, cancelled)).toMatchObject({ cancellationReason: texts.cancelled });
    expect(await sessions().get(asTherapist, rejected)).toMatchObject({ cancellationReason: texts.rejected });
    const [interaction] = await chat().recent(db.op(patient), 1);
    expect(interaction.message).toBe(texts.chat);
    expect(interaction.response.length).toBeGreaterThan(0);
  });

  it('never rewrites a row just because it was read (change tracking compares plaintext)', async () => {
    const { therapist, ended } = await writeClinicalText({ summary: marker('s'), notes: marker('n'), cancelled: marker('c'), rejected: marker('r'), chat: marker('m') });
    const before = (await storedSessions()).find((row) => row.id === ended)!;
    const op = db.op(therapist);
    await sessions().get(op, ended);
    await op.em.flush();
    expect((await storedSessions()).find((row) => row.id === ended)).toEqual(before);
  });

  it('refuses a ciphertext copied into another column (the column is authenticated data)', async () => {
    const { therapist, ended, cancelled } = await writeClinicalText({ summary: marker('s'), notes: marker('n'), cancelled: marker('c'), rejected: marker('r'), chat: marker('m') });
    await sql(`update mentalhealth.therapy_session set cancellation_reason = (select summary from mentalhealth.therapy_session where id = '${ended}') where id = '${cancelled}'`);
    await expect(sessions().get(db.op(therapist), cancelled)).rejects.toThrow(DataDecryptionError);
    await expect(sessions().get(db.op(therapist), cancelled)).rejects.toThrow('mentalhealth.therapy_session.cancellation_reason failed authentication');
    await sql(`update mentalhealth.therapy_session set cancellation_reason = null where id = '${cancelled}'`);
  });

  it('fails loudly with the wrong key (naming the key it needs), rotates to a new key, and still reads old rows meanwhile', async () => {
    const texts = { summary: marker('Before rotation'), notes: marker('Old notes'), cancelled: marker('c'), rejected: marker('r'), chat: marker('m') };
    const { therapist, ended } = await writeClinicalText(texts);
    const oldKey = db.settings.dataKeys.current;
    const newKey = randomBytes(32);

    await db.close();
    db = await db.reopen({ dataKeys: { current: newKey, previous: [] } });
    await expect(sessions().get(db.op(therapist), ended)).rejects.toThrow(`was encrypted with data key ${keyIdOf(oldKey)}, which is not configured`);

    await db.close();
    db = await db.reopen({ dataKeys: { current: newKey, previous: [oldKey] } });
    expect(await sessions().get(db.op(therapist), ended)).toMatchObject({ summary: texts.summary, notes: texts.notes });
    const written = await writeClinicalText({ summary: marker('After rotation'), notes: marker('n'), cancelled: marker('c'), rejected: marker('r'), chat: marker('m') });
    const ids = new Set((await encryptedValues()).map((value) => ENVELOPE.exec(value)![1]));
    expect(ids).toEqual(new Set([keyIdOf(oldKey), keyIdOf(newKey)]));

    const first = await rotateDataKeys(db.orm, { batchSize: 2 });
    expect(first.reduce((sum, c) => sum + c.reencrypted, 0)).toBeGreaterThan(0);
    expect(first.every((c) => c.encrypted === 0)).toBe(true);
    for (const value of await encryptedValues()) expect(ENVELOPE.exec(value)![1]).toBe(keyIdOf(newKey));
    // Nothing left: a second run (e.g. after an interruption) moves nothing.
    expect((await rotateDataKeys(db.orm, { batchSize: 2 })).every((c) => c.reencrypted === 0 && c.encrypted === 0)).toBe(true);

    await db.close();
    db = await db.reopen({ dataKeys: { current: newKey, previous: [] } });
    expect(await sessions().get(db.op(therapist), ended)).toMatchObject({ summary: texts.summary, notes: texts.notes });
    expect(await sessions().get(db.op(written.therapist), written.ended)).toMatchObject({ notes: expect.stringMatching(/^n /) });
  });

  it('encrypts plaintext left from before encryption at rest when it boots', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const id = randomUUID();
    const legacy = { summary: marker('Legacy summary'), notes: marker('Legacy notes'), message: marker('Legacy message') };
    await sql(`insert into mentalhealth.therapy_session (id, therapist_id, patient_id, session_type, target_audience, status, scheduled_at, duration_minutes, ends_at, started_at, ended_at, summary, notes, created_at, updated_at, proposed_by_id)
      values ('${id}', '${therapist.userId}', '${patient.userId}', 'VIDEO', 'INDIVIDUAL', 'COMPLETED', '2026-11-02T10:00:00Z', 60, '2026-11-02T11:00:00Z', '2026-11-02T10:00:00Z', '2026-11-02T11:00:00Z', '${legacy.summary}', '${legacy.notes}', now(), now(), '${patient.userId}')`);
    await sql(`insert into mentalhealth.chatbot_interaction (id, user_id, message, response, risk_level, created_at)
      values ('${randomUUID()}', '${patient.userId}', '${legacy.message}', 'Legacy answer', 'NONE', now())`);

    await db.close();
    db = await db.reopen();
    const stored = JSON.stringify(await storedSessions()) + JSON.stringify(await storedChat());
    for (const text of [...Object.values(legacy), 'Legacy answer']) expect(stored).not.toContain(text);
    expect(await sessions().get(db.op(admin), id)).toMatchObject({ summary: legacy.summary });
    expect(await sessions().get(db.op(therapist), id)).toMatchObject({ notes: legacy.notes });
    expect((await chat().recent(db.op(patient), 1))[0]).toMatchObject({ message: legacy.message, response: 'Legacy answer' });
  });

  it('removes clinical text from session events recorded before (migration 20261129300000)', async () => {
    const summary = marker('Event summary');
    const reason = marker('Event reason');
    const session = { id: randomUUID(), status: 'COMPLETED', summary, cancellationReason: reason };
    await sql(`insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at)
      values ('${randomUUID()}', 'TherapySessionEnded', '${session.id}', '${JSON.stringify({ session, actorId: admin.userId, actorRole: 'ADMIN', previousStatus: 'IN_PROGRESS' })}', now())`);
    const migration = new Migration20261129300000SessionEventsWithoutText(db.orm.em.getDriver(), db.orm.config);
    await migration.up();
    await db.orm.em.fork().transactional(async (em) => {
      for (const statement of migration.getQueries()) await em.execute(statement as string);
    });
    const [row] = await sql<{ payload: { session: Record<string, unknown> } }>(`select payload from platform.domain_event where aggregate_id = '${session.id}'`);
    expect(row.payload.session).toEqual({ id: session.id, status: 'COMPLETED' });
    await expect(sql(`delete from platform.domain_event where aggregate_id = '${session.id}'`)).rejects.toThrow('append-only');
  });

  it('leaves no clinical text in the embedded database files after a checkpoint', async () => {
    if (!db.endpoint.embedded) return; // the data directory is only ours on the embedded database
    const texts = { summary: marker('Grep summary'), notes: marker('Grep notes'), cancelled: marker('Grep cancelled'), rejected: marker('Grep rejected'), chat: marker('Grep chat') };
    await writeClinicalText(texts);
    await sql('checkpoint');
    const files = listFiles(join(db.settings.dataDir, 'pgdata'));
    expect(files.some((file) => file.includes('pg_wal'))).toBe(true);
    const needles = Object.values(texts).map((text) => Buffer.from(text, 'utf8'));
    const leaks = files.filter((file) => {
      const bytes = readFileSync(file);
      return needles.some((needle) => bytes.includes(needle));
    });
    expect(leaks).toEqual([]);
    // The same search finds text that is stored in the clear (the user's last name), so it does look.
    const [row] = await sql<{ last_name: string }>(`select last_name from users.user_account order by created_at desc limit 1`);
    const named = files.filter((file) => readFileSync(file).includes(Buffer.from(row.last_name)));
    expect(named.length).toBeGreaterThan(0);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
