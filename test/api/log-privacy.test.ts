import { Writable } from 'node:stream';
import {
  AcceptSessionDocument,
  CancelSessionDocument,
  CreateUserDocument,
  EndSessionDocument,
  LoginDocument,
  RegisterDocument,
  RejectSessionDocument,
  ScheduleSessionDocument,
  SendChatbotMessageDocument,
  StartSessionDocument,
  UpdateUserDocument,
} from '../generated/graphql';
import { createLogger } from '../../src/platform/logger';
import { startTestAura, type GraphQLResponse, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

/** Every text the run sends that must never reach a log line: distinctive words, so a partial leak is found too. */
const SECRET = {
  email: 'quillon.vantablack@example.com',
  forcedEmail: 'forced.marzipan@example.com',
  password: 'Pumpernickel-Lighthouse-93',
  forcedPassword: 'Saxophone-Avalanche-58',
  lastName: 'Thistlewaite',
  message: 'I keep dreaming about the orchard flood',
  forcedMessage: 'FORCE the tangerine confession',
  summary: 'Discussed the periwinkle grief in depth',
  notes: 'Suspect the cobalt insomnia is worsening',
  forcedSummary: 'FORCE the saffron relapse summary',
  cancelReason: 'Grandmother in the hospice at Wexcombe',
  rejectReason: 'Conflict of interest with the Ormsby family',
};

const clock = new TestClock(new Date('2026-12-01T08:00:00Z'));

describe('logs carry statement shapes and error codes, never values', () => {
  let t: TestAura;
  let lines: string[] = [];
  let admin: Person;
  let therapist: Person;
  let patient: Person;

  const codes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((e) => e.extensions?.code);

  /** A database that fails on a marker, as an unexpected constraint or trigger would; its detail carries the row, as PostgreSQL's do. */
  async function installFaults(): Promise<void> {
    const sql = (text: string) => t.aura.orm.em.getConnection().execute(text);
    // Clinical text is stored encrypted, so the faults are switched on by a flag, not by the text.
    await sql('create table public.aura_test_fault (armed boolean not null)');
    await sql('insert into public.aura_test_fault values (false)');
    await sql(`create function public.aura_test_fail() returns trigger language plpgsql as $$
      begin
        -- one table per branch: plpgsql resolves new.<column> only on the branch taken
        if tg_table_name = 'chatbot_interaction' then
          if (select armed from public.aura_test_fault) then
            raise exception 'forced failure' using detail = 'Failing row contains (' || new.message || ')';
          end if;
        elsif tg_table_name = 'user_account' then
          if new.first_name = 'Forced' then
            raise exception 'forced failure' using detail = 'Failing row contains (' || new.email || ', ' || new.password_hash || ')';
          end if;
        elsif new.status = 'COMPLETED' and (select armed from public.aura_test_fault) then
          raise exception 'forced failure' using detail = 'Failing row contains (' || new.summary || ', ' || coalesce(new.notes, '') || ')';
        end if;
        return new;
      end $$`);
    await sql('create trigger aura_test_fail before insert on mentalhealth.chatbot_interaction for each row execute function public.aura_test_fail()');
    await sql('create trigger aura_test_fail before insert on users.user_account for each row execute function public.aura_test_fail()');
    await sql('create trigger aura_test_fail before update on mentalhealth.therapy_session for each row execute function public.aura_test_fail()');
  }

  async function session(at: string, who: Person = patient): Promise<string> {
    clock.set('2026-12-01T08:00:00Z');
    const input = { therapistId: therapist.id, scheduledAt: at, durationMinutes: 60, sessionType: 'VIDEO' as const };
    const response = await t.request(ScheduleSessionDocument, { input }, who.token);
    expect(response.errors).toBeUndefined();
    return response.data!.scheduleTherapySession.id;
  }

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '50', LOG_LEVEL: 'trace' },
      { clock, log: createLogger('trace', capture) },
    );
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    therapist = await register(t, 'THERAPIST');
    await installFaults();
  });
  afterAll(() => t.stop());

  it('runs a full set of operations, failing ones included', async () => {
    const registration = { email: SECRET.email, password: SECRET.password, firstName: 'Quill', lastName: SECRET.lastName };
    const registered = await t.request(RegisterDocument, { input: registration });
    expect(registered.errors).toBeUndefined();
    patient = { id: registered.data!.register.user.id, token: registered.data!.register.token, email: SECRET.email };
    expect(codes(await t.request(RegisterDocument, { input: registration }))).toEqual(['CONFLICT']);
    expect(codes(await t.request(CreateUserDocument, { input: { ...registration, role: 'THERAPIST' } }, admin.token))).toEqual(['CONFLICT']);
    expect(codes(await t.request(LoginDocument, { email: SECRET.email, password: `${SECRET.password}-wrong` }))).toEqual(['UNAUTHENTICATED']);
    expect((await t.request(LoginDocument, { email: SECRET.email, password: SECRET.password })).errors).toBeUndefined();
    expect(codes(await t.request(UpdateUserDocument, { id: patient.id, input: { lastName: `${SECRET.lastName}\u202e` } }, patient.token))).toEqual(['BAD_USER_INPUT']);

    expect((await t.request(SendChatbotMessageDocument, { message: SECRET.message }, patient.token)).errors).toBeUndefined();

    // A session run to its end, with a summary and notes.
    const ended = await session('2026-12-02T10:00:00.000Z');
    await t.request(AcceptSessionDocument, { id: ended }, therapist.token);
    clock.set('2026-12-02T10:00:00.000Z');
    await t.request(StartSessionDocument, { id: ended }, therapist.token);
    const end = await t.request(EndSessionDocument, { id: ended, summary: SECRET.summary, notes: SECRET.notes }, therapist.token);
    expect(end.errors).toBeUndefined();

    // Cancelled and rejected, with reasons.
    const cancelled = await session('2026-12-03T10:00:00.000Z');
    expect((await t.request(CancelSessionDocument, { id: cancelled, reason: SECRET.cancelReason }, patient.token)).errors).toBeUndefined();
    const rejected = await session('2026-12-03T12:00:00.000Z');
    expect((await t.request(RejectSessionDocument, { id: rejected, reason: SECRET.rejectReason }, therapist.token)).errors).toBeUndefined();

    // A double booking raced past the application: the exclusion constraint refuses all but one.
    const rivals = await Promise.all([register(t, 'PATIENT'), register(t, 'PATIENT'), register(t, 'PATIENT')]);
    const input = { therapistId: therapist.id, scheduledAt: '2026-12-04T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
    const race = await Promise.all(rivals.map((rival) => t.request(ScheduleSessionDocument, { input }, rival.token)));
    expect(race.filter((r) => !r.errors).length).toBe(1);
    expect(race.flatMap(codes)).toEqual(['CONFLICT', 'CONFLICT']);

    // Internal errors from the database, each statement carrying PHI or a password hash.
    const forcedRegistration = { email: SECRET.forcedEmail, password: SECRET.forcedPassword, firstName: 'Forced', lastName: SECRET.lastName };
    expect(codes(await t.request(RegisterDocument, { input: forcedRegistration }))).toEqual(['INTERNAL_SERVER_ERROR']);
    await t.aura.orm.em.getConnection().execute('update public.aura_test_fault set armed = true');
    expect(codes(await t.request(SendChatbotMessageDocument, { message: SECRET.forcedMessage }, patient.token))).toEqual(['INTERNAL_SERVER_ERROR']);
    const forced = await session('2026-12-07T10:00:00.000Z');
    await t.request(AcceptSessionDocument, { id: forced }, therapist.token);
    clock.set('2026-12-07T10:00:00.000Z');
    await t.request(StartSessionDocument, { id: forced }, therapist.token);
    expect(codes(await t.request(EndSessionDocument, { id: forced, summary: SECRET.forcedSummary, notes: SECRET.notes }, therapist.token))).toEqual([
      'INTERNAL_SERVER_ERROR',
    ]);
    await t.aura.gateway.events.settled();
  });

  it('logged the failures with their error codes and statement shapes', () => {
    const failures = lines.map((line) => JSON.parse(line) as { msg: string; err?: { code?: string; sql?: string } }).filter((l) => l.msg === 'operation failed');
    expect(failures.length).toBeGreaterThanOrEqual(3);
    for (const failure of failures) expect(failure.err).toMatchObject({ code: 'P0001' });
    expect(failures.some((f) => /insert into "users"\."user_account"/.test(f.err?.sql ?? ''))).toBe(true);
  });

  it('never logged a value it was sent, nor a password hash', async () => {
    const hashes = await t.aura.orm.em.getConnection().execute<Array<{ password_hash: string }>>('select password_hash from users.user_account');
    const salts = hashes.map((h) => h.password_hash.split('$')[4]);
    const log = lines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    const forbidden = [...Object.values(SECRET), ...hashes.map((h) => h.password_hash), ...salts, 'quillon', 'marzipan', 'tangerine', 'saffron', 'periwinkle', 'scrypt$'];
    expect(forbidden.filter((text) => log.toLowerCase().includes(text.toLowerCase()))).toEqual([]);
  });
});
