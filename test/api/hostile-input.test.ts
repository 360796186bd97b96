import jwt from 'jsonwebtoken';
import { startTestAura, TEST_JWT_SECRET, wsExecute, type TestAura } from '../support/aura';
import { login, register, type Person } from '../support/people';

const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const UUID = '00000000-0000-4000-8000-000000000000';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

describe('hostile input is BAD_USER_INPUT, refused at the edge on both transports', () => {
  let t: TestAura;
  let admin: Person;
  let patient: Person;
  let therapist: Person;

  const send = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> => {
    const response = await t.post({ query, variables }, token ? { authorization: `Bearer ${token}` } : {});
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const codesOf = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1' });
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    patient = await register(t, 'PATIENT');
    therapist = await register(t, 'THERAPIST');
  });
  afterAll(() => t.stop());

  const NUL = 'a\u0000b';
  const textCases: Array<[string, string, Record<string, unknown>, () => string | undefined]> = [
    ['a first name', 'mutation($v: String!) { register(input: { email: "n@example.com", password: "long enough pw", firstName: $v, lastName: "L" }) { token } }', { v: NUL }, () => undefined],
    ['an email', 'mutation($v: String!) { login(email: $v, password: "whatever-pass") { token } }', { v: `pat${NUL}@example.com` }, () => undefined],
    ['a search', 'query($v: String!) { searchDisorders(query: $v) { id } }', { v: NUL }, () => undefined],
    ['a users search', 'query($v: String) { users(search: $v) { totalCount } }', { v: NUL }, () => admin.token],
    ['a chatbot message', 'mutation($v: String!) { sendChatbotMessage(message: $v) { id } }', { v: `I feel${NUL}` }, () => patient.token],
    ['a summary and notes', 'mutation($v: String) { endTherapySession(id: "' + UUID + '", summary: $v, notes: $v) { id } }', { v: NUL }, () => therapist.token],
    ['a reason', 'mutation($v: String!) { cancelTherapySession(id: "' + UUID + '", reason: $v) { id } }', { v: NUL }, () => patient.token],
    ['an event filter', 'query($v: String) { domainEvents(type: $v, aggregateId: $v) { totalCount } }', { v: NUL }, () => admin.token],
    ['a literal', 'query { searchDisorders(query: "x\\u0000") { id } }', {}, () => undefined],
    ['an ANSI escape in a name', 'mutation($v: String!) { updateUser(id: "' + UUID + '", input: { lastName: $v }) { id } }', { v: '\u001b[2J' }, () => patient.token],
  ];

  it.each(textCases)('refuses NUL or control characters in %s with a 400 before anything runs', async (_what, query, variables, token) => {
    const answer = await send(query, variables, token());
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0].message).toMatch(/control characters/);
  });

  it('refuses a bidi override in a name (a rule of the users module)', async () => {
    const answer = await send('mutation($v: String!) { updateUser(id: "' + patient.id + '", input: { firstName: $v }) { id } }', { v: 'Ada\u202egnp' }, patient.token);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['from, as a variable', 'query($v: DateTime) { therapySessions(from: $v) { totalCount } }', { v: '0000-01-01T00:00:00Z' }],
    ['to, as a literal', 'query { sessionStatistics(to: "9999-12-31T23:59:59Z") { total } }', {}],
    ['scheduledAt', 'mutation($v: DateTime!) { scheduleTherapySession(input: { therapistId: "' + UUID + '", scheduledAt: $v, durationMinutes: 60, sessionType: VIDEO }) { id } }', { v: '9999-12-31T23:59:59Z' }],
    ['an event filter', 'query { domainEvents(from: "1899-12-31T23:59:59Z") { totalCount } }', {}],
  ])('refuses a date outside 1900-2200 in %s', async (_what, query, variables) => {
    const answer = await send(query, variables, admin.token);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors![0].message).toMatch(/between 1900-01-01 and 2200-12-31/);
  });

  it.each([
    ['invoices', 'query($a: String) { invoices(after: $a) { totalCount } }', forged(['x', 'y'])],
    ['users', 'query($a: String) { users(after: $a) { totalCount } }', forged(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])],
    ['domainEvents', 'query($a: String) { domainEvents(after: $a) { totalCount } }', forged(['abc'])],
    ['therapySessions', 'query($a: String) { therapySessions(after: $a) { totalCount } }', forged(['0000-01-01T00:00:00Z', UUID])],
    ['disorders', 'query($a: String) { disorders(after: $a) { totalCount } }', forged(['\u0000'])],
  ])('refuses a cursor that decodes to garbage in %s', async (_connection, query, after) => {
    const answer = await send(query, { a: after }, admin.token);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors![0].message).toMatch(/not a cursor/);
  });

  it('pages with the cursors it hands out', async () => {
    const first = await send('{ users(first: 1) { edges { cursor } pageInfo { endCursor } } }', {}, admin.token);
    const endCursor = (first.body.data as { users: { pageInfo: { endCursor: string } } }).users.pageInfo.endCursor;
    const next = await send('query($a: String) { users(first: 1, after: $a) { edges { cursor } } }', { a: endCursor }, admin.token);
    expect(next.body.errors).toBeUndefined();
  });

  it("refuses one list's cursor in another list, even where the shapes agree", async () => {
    const first = await send('{ users(first: 1) { pageInfo { endCursor } } }', {}, admin.token);
    const usersCursor = (first.body.data as { users: { pageInfo: { endCursor: string } } }).users.pageInfo.endCursor;
    for (const list of ['therapySessions', 'invoices']) {
      const answer = await send(`query($a: String) { ${list}(after: $a) { totalCount } }`, { a: usersCursor }, admin.token);
      expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('answers a signed token whose subject is not a user id with UNAUTHENTICATED', async () => {
    const token = jwt.sign({ role: 'ADMIN' }, TEST_JWT_SECRET, { algorithm: 'HS256', subject: 'not-a-uuid', issuer: 'aura', expiresIn: 600 });
    const answer = await send('{ me { id } }', {}, token);
    expect(codesOf(answer)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses the same over WebSocket', async () => {
    const client = t.wsClient(admin.token);
    const nul = await wsExecute(client, 'query($v: String!) { searchDisorders(query: $v) { id } }', { v: NUL });
    expect(nul.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const literalDate = await wsExecute(client, 'query { therapySessions(from: "0000-01-01T00:00:00Z") { totalCount } }');
    expect(literalDate.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const variableDate = await wsExecute(client, 'query($v: DateTime) { therapySessions(to: $v) { totalCount } }', { v: '9999-12-31T23:59:59Z' });
    expect(variableDate.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const cursor = await wsExecute(client, 'query($a: String) { invoices(after: $a) { totalCount } }', { a: forged(['x', 'y']) });
    expect(cursor.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
