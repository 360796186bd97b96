import { print } from 'graphql';
import { LoginDocument, RegisterDocument } from '../generated/graphql';
import { startTestAura, wsExecute, type TestAura } from '../support/aura';

/**
 * Sign-in and registration limits over HTTP and WebSocket. The server trusts the loopback proxy,
 * so each test speaks from its own X-Forwarded-For address (documentation range 203.0.113.0/24).
 */
describe('credential limits', () => {
  let t: TestAura;
  const PASSWORD = 'the right password';
  let counter = 0;

  interface Answer {
    status: number;
    retryAfter: string | null;
    data?: { login?: { token: string }; register?: { token: string } } | null;
    errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
  }

  async function send(from: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
    const response = await t.post({ query, variables }, { 'x-forwarded-for': from });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), ...((await response.json()) as object) };
  }
  const register = (from: string, email = `limits-${++counter}@example.com`) =>
    send(from, print(RegisterDocument), { input: { email, password: PASSWORD, firstName: 'Lim', lastName: 'Its' } }).then((answer) => ({ email, answer }));
  const login = (from: string, email: string, password = PASSWORD) => send(from, print(LoginDocument), { email, password });
  const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions.code;

  beforeAll(async () => {
    t = await startTestAura({ AURA_LOGIN_MAX_FAILURES: '3', AURA_AUTH_MAX_PER_ADDRESS: '6', AURA_TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.stop());

  it('locks an account after too many failed sign-ins, even for the right password and from elsewhere', async () => {
    const { email } = await register('203.0.113.1');
    for (let i = 0; i < 3; i++) expect(codeOf(await login('203.0.113.1', email, 'a wrong password'))).toBe('UNAUTHENTICATED');

    const refused = await login('203.0.113.1', email);
    expect(refused.status).toBe(429);
    expect(refused.data).toBeNull();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0].message).toMatch(/Too many failed sign-ins for this account; try again in 15 minutes/);
    const wait = Number(refused.errors![0].extensions.retryAfterSeconds);
    expect(wait).toBeGreaterThan(800);
    expect(wait).toBeLessThanOrEqual(900);
    expect(Number(refused.retryAfter)).toBe(wait);
    expect(codeOf(refused)).toBe('RATE_LIMITED');

    expect(codeOf(await login('203.0.113.2', email))).toBe('RATE_LIMITED');
  });

  it('refuses a locked account over WebSocket too, and leaves other accounts alone', async () => {
    const { email: locked } = await register('203.0.113.3');
    const { email: other, answer } = await register('203.0.113.3');
    for (let i = 0; i < 3; i++) await login('203.0.113.4', locked, 'a wrong password');

    const ws = t.wsClient(answer.data!.register!.token);
    const overWs = await wsExecute(ws, print(LoginDocument), { email: locked, password: PASSWORD });
    expect(overWs.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });

    const fine = await login('203.0.113.4', other);
    expect(fine.status).toBe(200);
    expect(fine.data!.login!.token).toEqual(expect.any(String));
    expect(fine.retryAfter).toBeNull();
  });

  it('forgets failures after a successful sign-in', async () => {
    const { email } = await register('203.0.113.5');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect(codeOf(await login('203.0.113.5', email, 'a wrong password'))).toBe('UNAUTHENTICATED');
      expect((await login('203.0.113.5', email)).data!.login!.token).toEqual(expect.any(String));
    }
  });

  it('limits registrations from one address, not from others', async () => {
    for (let i = 0; i < 6; i++) expect((await register('203.0.113.6')).answer.errors).toBeUndefined();
    const { email, answer } = await register('203.0.113.6');
    expect(answer.status).toBe(429);
    expect(codeOf(answer)).toBe('RATE_LIMITED');
    expect(answer.errors![0].message).toMatch(/Too many sign-in and registration attempts from your address/);
    // Nothing was written: the refused email is still free.
    expect((await register('203.0.113.7', email)).answer.errors).toBeUndefined();
  });

  it('stops one address from sweeping many accounts with failed sign-ins', async () => {
    const { email } = await register('203.0.113.8');
    for (let i = 0; i < 6; i++) expect(codeOf(await login('203.0.113.9', `nobody-${i}@example.com`, 'a guess'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await login('203.0.113.9', email))).toBe('RATE_LIMITED');
    expect((await login('203.0.113.10', email)).data!.login!.token).toEqual(expect.any(String));
  });
});
