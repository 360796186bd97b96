import jwt from 'jsonwebtoken';
import {
  CreateUserDocument,
  LoginDocument,
  MeDocument,
  RegisterDocument,
  UpdateUserDocument,
  UserByIdDocument,
  UsersDocument,
  type RegisterInput,
} from '../generated/graphql';
import { onlyError, startTestAura, type TestAura } from '../support/aura';

const ADMIN = { email: 'admin@aura.test', password: 'admin-password-1' };

describe('users over HTTP', () => {
  let t: TestAura;
  let adminToken: string;

  const registration = (overrides: Partial<RegisterInput> = {}): RegisterInput => ({
    email: `person-${Math.random().toString(36).slice(2)}@example.com`,
    password: 'correct horse battery',
    firstName: 'Ada',
    lastName: 'Lovelace',
    ...overrides,
  });

  async function register(overrides: Partial<RegisterInput> = {}) {
    const response = await t.request(RegisterDocument, { input: registration(overrides) });
    expect(response.errors).toBeUndefined();
    return response.data!.register;
  }

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: ADMIN.email, AURA_ADMIN_PASSWORD: ADMIN.password });
    const login = await t.request(LoginDocument, ADMIN);
    adminToken = login.data!.login.token;
  });
  afterAll(() => t.stop());

  describe('register', () => {
    it('creates a patient by default, normalising the email, and returns a working token', async () => {
      const { token, user } = await t
        .request(RegisterDocument, { input: registration({ email: '  Grace.Hopper@Example.COM ' }) })
        .then((r) => r.data!.register);
      expect(user).toMatchObject({ email: 'grace.hopper@example.com', role: 'PATIENT', isVerified: false, timezone: 'UTC' });
      const me = await t.request(MeDocument, undefined, token);
      expect(me.data!.me).toMatchObject({ id: user.id, email: 'grace.hopper@example.com' });
    });

    it('registers a therapist with a time zone', async () => {
      const { user } = await register({ role: 'THERAPIST', timezone: 'Europe/Berlin' });
      expect(user).toMatchObject({ role: 'THERAPIST', timezone: 'Europe/Berlin' });
    });

    it.each([
      ['a short password', { password: 'short' }, 'password'],
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['an empty first name', { firstName: '   ' }, 'firstName'],
      ['role ADMIN', { role: 'ADMIN' as const }, 'role'],
      ['role ANALYST', { role: 'ANALYST' as const }, 'role'],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, overrides, field) => {
      const input = registration(overrides);
      const error = onlyError(await t.request(RegisterDocument, { input }));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      const login = await t.request(LoginDocument, { email: input.email, password: input.password });
      expect(onlyError(login).extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a duplicate email, whatever its case, with CONFLICT', async () => {
      const { user } = await register({ email: 'twin@example.com' });
      const error = onlyError(await t.request(RegisterDocument, { input: registration({ email: 'TWIN@example.com' }) }));
      expect(error.extensions!.code).toBe('CONFLICT');
      const users = await t.request(UsersDocument, { search: 'twin@' }, adminToken);
      expect(users.data!.users.edges.map((e) => e.node.id)).toEqual([user.id]);
    });

    it('lets only one of two simultaneous registrations of one email succeed', async () => {
      const input = registration({ email: 'race@example.com' });
      const results = await Promise.all([t.request(RegisterDocument, { input }), t.request(RegisterDocument, { input })]);
      const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
      expect(codes).toEqual(['CONFLICT', 'OK']);
    });
  });

  describe('login', () => {
    it('signs in with any case of the email', async () => {
      const input = registration({ email: 'casey@example.com' });
      await t.request(RegisterDocument, { input });
      const login = await t.request(LoginDocument, { email: 'Casey@Example.com', password: input.password });
      expect(login.data!.login.user.email).toBe('casey@example.com');
    });

    it('gives the same UNAUTHENTICATED answer for a wrong password and an unknown email', async () => {
      const input = registration();
      await t.request(RegisterDocument, { input });
      const wrong = onlyError(await t.request(LoginDocument, { email: input.email, password: 'wrong password!' }));
      const unknown = onlyError(await t.request(LoginDocument, { email: 'nobody@example.com', password: input.password }));
      expect(wrong).toMatchObject({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } });
      expect(unknown).toMatchObject({ message: wrong.message, extensions: { code: 'UNAUTHENTICATED' } });
    });
  });

  describe('tokens', () => {
    it('answers me with null when signed out', async () => {
      const me = await t.request(MeDocument);
      expect(me.errors).toBeUndefined();
      expect(me.data!.me).toBeNull();
    });

    it.each([
      ['forged', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6IkFETUlOIn0.c2lnbmF0dXJl'],
      ['garbage', 'not-a-token'],
    ])('refuses a %s token with UNAUTHENTICATED and status 401', async (_case, token) => {
      const response = await t.request(MeDocument, undefined, token);
      expect(response.status).toBe(401);
      expect(onlyError(response).extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired token', async () => {
      const expired = jwt.sign({ role: 'ADMIN', exp: Math.floor(Date.now() / 1000) - 10 }, t.settings.jwtSecret, {
        subject: '00000000-0000-4000-8000-000000000000',
        issuer: 'aura',
      });
      const error = onlyError(await t.request(MeDocument, undefined, expired));
      expect(error).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/expired/) });
    });

    it('refuses a token signed with another secret', async () => {
      const other = jwt.sign({ role: 'ADMIN' }, 'another-secret-of-sufficient-length-0123456789', { subject: 'x', issuer: 'aura' });
      expect(onlyError(await t.request(UsersDocument, {}, other)).extensions!.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('user(id)', () => {
    it('shows a user to themself and to an admin', async () => {
      const { token, user } = await register();
      expect((await t.request(UserByIdDocument, { id: user.id }, token)).data!.user!.id).toBe(user.id);
      expect((await t.request(UserByIdDocument, { id: user.id }, adminToken)).data!.user!.email).toBe(user.email);
    });

    it('answers a patient asking for another user as for an unknown id: null, no error', async () => {
      const one = await register();
      const other = await register();
      const response = await t.request(UserByIdDocument, { id: other.user.id }, one.token);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ user: null });
      expect(await t.request(UserByIdDocument, { id: '00000000-0000-4000-8000-000000000000' }, one.token)).toMatchObject({ data: { user: null } });
    });

    it('answers a therapist asking for a user who is not their patient with null', async () => {
      const therapist = await register({ role: 'THERAPIST' });
      const stranger = await register();
      const response = await t.request(UserByIdDocument, { id: stranger.user.id }, therapist.token);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ user: null });
    });

    it('requires a signed-in viewer', async () => {
      const { user } = await register();
      expect(onlyError(await t.request(UserByIdDocument, { id: user.id })).extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('answers an admin with null for an unknown or malformed id', async () => {
      expect((await t.request(UserByIdDocument, { id: '00000000-0000-4000-8000-000000000000' }, adminToken)).data!.user).toBeNull();
      expect((await t.request(UserByIdDocument, { id: 'nope' }, adminToken)).data!.user).toBeNull();
    });
  });

  describe('users (admin)', () => {
    it('pages through users in creation order with cursors and a total', async () => {
      const tag = `page${Date.now()}`;
      const created = [];
      for (let i = 0; i < 5; i++) created.push((await register({ email: `${tag}-${i}@example.com` })).user.id);
      const first = await t.request(UsersDocument, { search: tag, first: 2 }, adminToken);
      expect(first.data!.users.totalCount).toBe(5);
      expect(first.data!.users.edges.map((e) => e.node.id)).toEqual(created.slice(0, 2));
      expect(first.data!.users.pageInfo.hasNextPage).toBe(true);
      const second = await t.request(UsersDocument, { search: tag, first: 2, after: first.data!.users.pageInfo.endCursor }, adminToken);
      expect(second.data!.users.edges.map((e) => e.node.id)).toEqual(created.slice(2, 4));
      const last = await t.request(UsersDocument, { search: tag, first: 10, after: second.data!.users.pageInfo.endCursor }, adminToken);
      expect(last.data!.users.edges.map((e) => e.node.id)).toEqual(created.slice(4));
      expect(last.data!.users.pageInfo).toEqual({ hasNextPage: false, endCursor: last.data!.users.edges[0].cursor });
    });

    it('filters by role and searches names', async () => {
      await register({ role: 'THERAPIST', firstName: 'Zelda', lastName: 'Quill' });
      const found = await t.request(UsersDocument, { role: 'THERAPIST', search: 'quill' }, adminToken);
      expect(found.data!.users.edges.map((e) => e.node.lastName)).toEqual(['Quill']);
      const none = await t.request(UsersDocument, { role: 'PATIENT', search: 'quill' }, adminToken);
      expect(none.data!.users.totalCount).toBe(0);
    });

    it('treats LIKE wildcards in a search as plain characters', async () => {
      const response = await t.request(UsersDocument, { search: '%' }, adminToken);
      expect(response.data!.users.totalCount).toBe(0);
    });

    it('caps first at 100 and refuses a negative first or a foreign cursor', async () => {
      expect((await t.request(UsersDocument, { first: 1000 }, adminToken)).errors).toBeUndefined();
      expect(onlyError(await t.request(UsersDocument, { first: -1 }, adminToken)).extensions!.code).toBe('BAD_USER_INPUT');
      expect(onlyError(await t.request(UsersDocument, { after: 'bm90IGEgY3Vyc29y' }, adminToken)).extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('is for admins only', async () => {
      const { token } = await register({ role: 'THERAPIST' });
      expect(onlyError(await t.request(UsersDocument, {}, token)).extensions!.code).toBe('FORBIDDEN');
      expect(onlyError(await t.request(UsersDocument, {})).extensions!.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('createUser (admin)', () => {
    it('creates an analyst who can sign in', async () => {
      const input = { email: 'analyst@example.com', password: 'analyst-password', firstName: 'Ana', lastName: 'Lyst', role: 'ANALYST' as const };
      const created = await t.request(CreateUserDocument, { input }, adminToken);
      expect(created.data!.createUser).toMatchObject({ role: 'ANALYST', email: 'analyst@example.com' });
      const login = await t.request(LoginDocument, { email: input.email, password: input.password });
      expect(login.data!.login.user.role).toBe('ANALYST');
    });

    it('is refused to anyone else, creating nothing', async () => {
      const { token } = await register();
      const input = { email: 'sneaky@example.com', password: 'sneaky-password', firstName: 'S', lastName: 'N', role: 'ADMIN' as const };
      expect(onlyError(await t.request(CreateUserDocument, { input }, token)).extensions!.code).toBe('FORBIDDEN');
      expect((await t.request(UsersDocument, { search: 'sneaky' }, adminToken)).data!.users.totalCount).toBe(0);
    });
  });

  describe('updateUser', () => {
    it('lets a user change their names and time zone', async () => {
      const { token, user } = await register();
      const updated = await t.request(UpdateUserDocument, { id: user.id, input: { firstName: ' Augusta ', timezone: 'America/New_York' } }, token);
      expect(updated.data!.updateUser).toMatchObject({ firstName: 'Augusta', lastName: 'Lovelace', timezone: 'America/New_York' });
    });

    it('refuses a user changing their own role or verification, changing nothing', async () => {
      const { token, user } = await register();
      const response = await t.request(UpdateUserDocument, { id: user.id, input: { firstName: 'Changed', role: 'ADMIN' } }, token);
      expect(onlyError(response).extensions!.code).toBe('FORBIDDEN');
      expect((await t.request(MeDocument, undefined, token)).data!.me).toMatchObject({ firstName: 'Ada', role: 'PATIENT' });
      expect(onlyError(await t.request(UpdateUserDocument, { id: user.id, input: { isVerified: true } }, token)).extensions!.code).toBe('FORBIDDEN');
    });

    it('refuses changing someone else', async () => {
      const one = await register();
      const other = await register();
      const response = await t.request(UpdateUserDocument, { id: other.user.id, input: { firstName: 'Mallory' } }, one.token);
      expect(onlyError(response).extensions!.code).toBe('FORBIDDEN');
    });

    it('refuses an invalid time zone with BAD_USER_INPUT, changing nothing', async () => {
      const { token, user } = await register({ timezone: 'Asia/Tokyo' });
      const response = await t.request(UpdateUserDocument, { id: user.id, input: { firstName: 'New', timezone: 'Nowhere/Land' } }, token);
      expect(onlyError(response).extensions!.code).toBe('BAD_USER_INPUT');
      expect((await t.request(MeDocument, undefined, token)).data!.me).toMatchObject({ firstName: 'Ada', timezone: 'Asia/Tokyo' });
    });

    it('lets an admin verify a user and change their role', async () => {
      const { user } = await register();
      const updated = await t.request(UpdateUserDocument, { id: user.id, input: { role: 'THERAPIST', isVerified: true } }, adminToken);
      expect(updated.data!.updateUser).toMatchObject({ role: 'THERAPIST', isVerified: true });
    });

    it('tells an admin that an unknown user is NOT_FOUND', async () => {
      const response = await t.request(UpdateUserDocument, { id: '00000000-0000-4000-8000-000000000000', input: { firstName: 'Nobody' } }, adminToken);
      expect(onlyError(response).extensions!.code).toBe('NOT_FOUND');
    });

    it('never removes the last admin', async () => {
      const me = await t.request(MeDocument, undefined, adminToken);
      const response = await t.request(UpdateUserDocument, { id: me.data!.me!.id, input: { role: 'PATIENT' } }, adminToken);
      expect(onlyError(response).extensions!.code).toBe('CONFLICT');
    });
  });
});
