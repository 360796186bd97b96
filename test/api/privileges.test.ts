import type { Client } from 'graphql-ws';
import {
  AcceptSessionDocument,
  CancelSessionDocument,
  ChangePasswordDocument,
  CreateUserDocument,
  DomainEventsDocument,
  EndSessionDocument,
  InvoiceByIdDocument,
  InvoicesDocument,
  MeDocument,
  PayInvoiceDocument,
  ScheduleSessionDocument,
  SessionDocument,
  StartSessionDocument,
  UpdateUserDocument,
  UserByIdDocument,
  UsersDocument,
} from '../generated/graphql';
import { onlyError, startTestAura, wsExecute, type GraphQLResponse, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register, type Person } from '../support/people';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));
const codeOf = (response: GraphQLResponse<unknown>) => onlyError(response).extensions!.code;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** Starting a server on its own database can take long on a loaded machine. */
const STARTUP_MS = 180_000;

/** Resolves with the close event of the client's socket (the client connects on its first operation). */
function closeOf(client: Client): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.on('closed', (event) => resolve(event as { code: number; reason: string })));
}

/** Subscribes and collects results; `next(n)` waits for n results (data or errors). */
function collect(client: Client, query: string) {
  const results: Array<{ data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }> = [];
  const waiters: Array<() => void> = [];
  const dispose = client.subscribe({ query }, {
    next: (result) => {
      results.push(result as never);
      waiters.splice(0).forEach((wake) => wake());
    },
    error: () => undefined,
    complete: () => undefined,
  });
  const next = async (count: number) => {
    while (results.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return results;
  };
  return { results, next, dispose };
}

describe('account changes count from the next operation, on every transport', () => {
  let t: TestAura;
  let admin: Person;
  let adminSeq = 0;

  async function anotherAdmin(): Promise<Person> {
    const email = `admin-${++adminSeq}@aura.test`;
    const input = { email, password: 'second-admin-password', firstName: 'Second', lastName: 'Admin', role: 'ADMIN' as const };
    expect((await t.request(CreateUserDocument, { input }, admin.token)).data!.createUser.role).toBe('ADMIN');
    return login(t, email, 'second-admin-password');
  }

  beforeAll(async () => {
    // No periodic socket check during the tests: what closes a socket here is the change itself, through the
    // outbox. A short poll, as in production: on PostgreSQL the dispatcher's nudge after a commit is sometimes missed.
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '200', AURA_ACCOUNT_CHECK_SECONDS: '3600' },
      { clock },
    );
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
  }, STARTUP_MS);
  afterAll(() => t.stop());

  it('reads the account on every operation of an open socket, even when no change message arrives', async () => {
    const demoted = await anotherAdmin();
    const socket = t.wsClient(demoted.token);
    const closed = closeOf(socket);
    const live = collect(socket, 'subscription { therapySessionEvents { type } }');
    expect((await wsExecute<{ users: { totalCount: number } }>(socket, '{ users { totalCount } }')).data!.users.totalCount).toBeGreaterThan(0);
    // Behind the users service's back: no UserAccountChanged is recorded, only the per-operation read can tell.
    const sql = (query: string) => t.aura.orm.em.fork().getConnection().execute(query, [demoted.id]);
    await sql("update users.user_account set role = 'PATIENT' where id = ?");
    expect((await wsExecute(socket, '{ users { totalCount } }')).errors![0].extensions!.code).toBe('FORBIDDEN');
    await sql('update users.user_account set is_active = false where id = ?');
    const refused = await wsExecute(socket, '{ me { id } }');
    expect(refused.errors!.map((e) => [e.extensions!.code, e.message])).toEqual([['UNAUTHENTICATED', 'Your account has been deactivated']]);
    expect((await closed).code).toBe(4403);
    live.dispose();
  });

  it('takes admin powers from a demoted admin at once, over HTTP and WebSocket, and closes their socket with 4403', async () => {
    const demoted = await anotherAdmin();
    const socket = t.wsClient(demoted.token);
    const closed = closeOf(socket);
    const live = collect(socket, 'subscription { therapySessionEvents { type } }'); // holds the (lazy) socket open
    expect(await wsExecute(socket, '{ me { role } }')).toEqual({ data: { me: { role: 'ADMIN' } } });

    await t.request(UpdateUserDocument, { id: demoted.id, input: { role: 'PATIENT' } }, admin.token);

    expect(codeOf(await t.request(UsersDocument, {}, demoted.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.request(DomainEventsDocument, {}, demoted.token))).toBe('FORBIDDEN');
    const promote = { email: 'escalation@aura.test', password: 'escalation-password', firstName: 'E', lastName: 'E', role: 'ADMIN' as const };
    expect(codeOf(await t.request(CreateUserDocument, { input: promote }, demoted.token))).toBe('FORBIDDEN');
    expect((await t.request(MeDocument, undefined, demoted.token)).data!.me!.role).toBe('PATIENT');
    expect(await closed).toMatchObject({ code: 4403, reason: 'Account changed' });
    // The same token on a new socket: the role is the new one there too.
    const again = t.wsClient(demoted.token);
    expect(await wsExecute(again, '{ me { role } }')).toEqual({ data: { me: { role: 'PATIENT' } } });
    expect((await wsExecute(again, '{ users { totalCount } }')).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(live.results).toEqual([]);
    live.dispose();
  });

  it('refuses a deactivated account everywhere (tokens, sign-in, sockets); reactivation does not revive old tokens', async () => {
    const patient = await register(t, 'PATIENT');
    expect(codeOf(await t.request(UpdateUserDocument, { id: patient.id, input: { isActive: false } }, patient.token))).toBe('FORBIDDEN');
    const socket = t.wsClient(patient.token);
    const closed = closeOf(socket);
    const live = collect(socket, 'subscription { therapySessionEvents { type } }');
    expect(await wsExecute(socket, '{ me { id } }')).toEqual({ data: { me: { id: patient.id } } });

    const deactivated = await t.request(UpdateUserDocument, { id: patient.id, input: { isActive: false } }, admin.token);
    expect(deactivated.data!.updateUser.isActive).toBe(false);

    expect((await closed).code).toBe(4403);
    live.dispose();
    const refused = await t.request(MeDocument, undefined, patient.token);
    expect([refused.status, codeOf(refused)]).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await t.request(UsersDocument, {}, patient.token))).toBe('UNAUTHENTICATED');
    await expect(login(t, patient.email, 'api-test-password')).rejects.toThrow(/UNAUTHENTICATED/);
    const reconnect = t.wsClient(patient.token);
    const refusedSocket = closeOf(reconnect);
    await expect(wsExecute(reconnect, '{ me { id } }')).rejects.toMatchObject({ code: 4403 });
    expect((await refusedSocket).code).toBe(4403);

    await t.request(UpdateUserDocument, { id: patient.id, input: { isActive: true } }, admin.token);
    const fresh = await login(t, patient.email, 'api-test-password');
    expect((await t.request(MeDocument, undefined, fresh.token)).data!.me!.isActive).toBe(true);
    expect(codeOf(await t.request(MeDocument, undefined, patient.token))).toBe('UNAUTHENTICATED');
  });

  it('lets a user change their password: earlier tokens and sockets are refused, the answer carries a fresh token', async () => {
    const patient = await register(t, 'PATIENT');
    const other = await login(t, patient.email, 'api-test-password'); // a second device
    const wrong = await t.request(ChangePasswordDocument, { currentPassword: 'not-my-password', newPassword: 'a-new-password-1' }, patient.token);
    expect([codeOf(wrong), onlyError(wrong).extensions!.field]).toEqual(['BAD_USER_INPUT', 'currentPassword']);
    expect(codeOf(await t.request(ChangePasswordDocument, { currentPassword: 'api-test-password', newPassword: 'short' }, patient.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.request(ChangePasswordDocument, { currentPassword: 'api-test-password', newPassword: 'a-new-password-1' }))).toBe('UNAUTHENTICATED');
    expect((await t.request(MeDocument, undefined, other.token)).data!.me!.id).toBe(patient.id); // nothing changed yet
    const socket = t.wsClient(other.token);
    const closed = closeOf(socket);
    const live = collect(socket, 'subscription { therapySessionEvents { type } }');
    expect(await wsExecute(socket, '{ me { id } }')).toEqual({ data: { me: { id: patient.id } } });

    const changed = await t.request(ChangePasswordDocument, { currentPassword: 'api-test-password', newPassword: 'a-new-password-1' }, patient.token);
    const { token } = changed.data!.changePassword;

    expect((await closed).code).toBe(4403);
    live.dispose();
    for (const old of [patient.token, other.token]) expect(codeOf(await t.request(MeDocument, undefined, old))).toBe('UNAUTHENTICATED');
    expect((await t.request(MeDocument, undefined, token)).data!.me!.id).toBe(patient.id);
    await expect(login(t, patient.email, 'api-test-password')).rejects.toThrow(/UNAUTHENTICATED/);
    expect((await login(t, patient.email, 'a-new-password-1')).id).toBe(patient.id);
  });

  it('never deactivates or demotes the last active admin', async () => {
    const second = await anotherAdmin();
    await t.request(UpdateUserDocument, { id: second.id, input: { isActive: false } }, admin.token);
    expect(codeOf(await t.request(UpdateUserDocument, { id: admin.id, input: { isActive: false } }, admin.token))).toBe('CONFLICT');
    expect((await t.request(MeDocument, undefined, admin.token)).data!.me).toMatchObject({ role: 'ADMIN', isActive: true });
  });
});

describe('analysts see sessions de-identified, on every path', () => {
  let t: TestAura;
  let admin: Person;
  let therapist: Person;
  let patient: Person;
  let analyst: Person;

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '3600000' }, { clock });
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
    const input = { email: 'analyst@aura.test', password: 'analyst-password', firstName: 'Ana', lastName: 'Lyst', role: 'ANALYST' as const };
    await t.request(CreateUserDocument, { input }, admin.token);
    analyst = await login(t, 'analyst@aura.test', 'analyst-password');
  }, STARTUP_MS);
  afterAll(() => t.stop());

  it('gives analysts live events without summary or reasons, and refuses them the participants', async () => {
    clock.set('2026-12-07T08:00:00Z');
    const book = (scheduledAt: string) =>
      t.request(ScheduleSessionDocument, { input: { therapistId: therapist.id, scheduledAt, durationMinutes: 60, sessionType: 'VIDEO' } }, patient.token);
    const ended = (await book('2026-12-08T10:00:00.000Z')).data!.scheduleTherapySession.id;
    const cancelled = (await book('2026-12-08T13:00:00.000Z')).data!.scheduleTherapySession.id;
    await t.request(AcceptSessionDocument, { id: ended }, therapist.token);

    const client = t.wsClient(analyst.token);
    const plain = collect(client, 'subscription { therapySessionEvents(types: [ENDED, CANCELLED]) { type session { id status summary cancellationReason notes } } }');
    const identity = collect(client, 'subscription { therapySessionEvents(types: [ENDED, CANCELLED]) { type session { id summary patient { email firstName } therapist { lastName } } } }');
    // One more round trip on the same socket: the subscriptions above are in place once it answers.
    await wsExecute(client, '{ me { id } }');

    clock.set('2026-12-08T10:00:00Z');
    await t.request(StartSessionDocument, { id: ended }, therapist.token);
    await t.request(EndSessionDocument, { id: ended, summary: 'Discussed panic attacks at work', notes: 'private' }, therapist.token);
    await t.request(CancelSessionDocument, { id: cancelled, reason: 'My divorce hearing moved' }, patient.token);

    expect((await plain.next(2)).map((r) => r.data)).toEqual([
      { therapySessionEvents: { type: 'ENDED', session: { id: ended, status: 'COMPLETED', summary: null, cancellationReason: null, notes: null } } },
      { therapySessionEvents: { type: 'CANCELLED', session: { id: cancelled, status: 'CANCELLED', summary: null, cancellationReason: null, notes: null } } },
    ]);
    const refused = await identity.next(2);
    // The refused participant nulls the (non-null) event: the analyst learns nothing about who took part.
    expect(refused.map((r) => [r.data ?? null, new Set(r.errors!.map((e) => e.extensions?.code))])).toEqual([
      [null, new Set(['FORBIDDEN'])],
      [null, new Set(['FORBIDDEN'])],
    ]);
    const seen = JSON.stringify(refused);
    for (const secret of [patient.email, 'Pat', 'Discussed panic', 'divorce']) expect(seen).not.toContain(secret);
    plain.dispose();
    identity.dispose();

    // HTTP refuses analysts the session itself; the admin sees what the analyst may not.
    expect(codeOf(await t.request(SessionDocument, { id: ended }, analyst.token))).toBe('FORBIDDEN');
    expect((await t.request(SessionDocument, { id: ended }, admin.token)).data!.therapySession!.summary).toBe('Discussed panic attacks at work');
  });
});

describe("someone else's object answers like an unknown id", () => {
  let t: TestAura;
  let therapist: Person;
  let patient: Person;
  let stranger: Person;

  beforeAll(async () => {
    t = await startTestAura({ AURA_EVENT_POLL_MS: '3600000' }, { clock });
    therapist = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
    stranger = await register(t, 'PATIENT');
  }, STARTUP_MS);
  afterAll(() => t.stop());

  it('for therapySession, invoice and user (null), and for acting on them (NOT_FOUND)', async () => {
    clock.set('2026-12-07T08:00:00Z');
    const input = { therapistId: therapist.id, scheduledAt: '2026-12-09T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
    const session = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession.id;
    await t.request(AcceptSessionDocument, { id: session }, therapist.token);
    clock.set('2026-12-09T10:00:00Z');
    await t.request(StartSessionDocument, { id: session }, therapist.token);
    await t.request(EndSessionDocument, { id: session }, therapist.token);
    await t.aura.gateway.events.settled();
    const invoice = (await t.request(InvoicesDocument, {}, patient.token)).data!.invoices.edges[0].node.id;

    for (const id of [session, UNKNOWN_ID]) {
      const answer = await t.request(SessionDocument, { id }, stranger.token);
      expect([answer.data, answer.errors]).toEqual([{ therapySession: null }, undefined]);
      expect(codeOf(await t.request(CancelSessionDocument, { id, reason: 'probe' }, stranger.token))).toBe('NOT_FOUND');
    }
    for (const id of [invoice, UNKNOWN_ID]) {
      const answer = await t.request(InvoiceByIdDocument, { id }, stranger.token);
      expect([answer.data, answer.errors]).toEqual([{ invoice: null }, undefined]);
      expect(codeOf(await t.request(PayInvoiceDocument, { id, paymentReference: 'probe' }, stranger.token))).toBe('NOT_FOUND');
    }
    for (const id of [patient.id, UNKNOWN_ID]) {
      const answer = await t.request(UserByIdDocument, { id }, stranger.token);
      expect([answer.data, answer.errors]).toEqual([{ user: null }, undefined]);
    }
    // Their owners still see them.
    expect((await t.request(SessionDocument, { id: session }, patient.token)).data!.therapySession!.id).toBe(session);
    expect((await t.request(InvoiceByIdDocument, { id: invoice }, patient.token)).data!.invoice!.id).toBe(invoice);
  });
});
