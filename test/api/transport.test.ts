import jwt from 'jsonwebtoken';
import { LoginDocument, MeDocument, RegisterDocument } from '../generated/graphql';
import { onlyError, startTestAura, wsExecute, type TestAura } from '../support/aura';

describe('the HTTP and WebSocket transport', () => {
  let t: TestAura;
  let token: string;
  const base = () => t.url.replace('/graphql', '');

  beforeAll(async () => {
    t = await startTestAura({ AURA_MAX_QUERY_DEPTH: '3' });
    const registered = await t.request(RegisterDocument, {
      input: { email: 'wire@example.com', password: 'wire-password', firstName: 'Wi', lastName: 'Re' },
    });
    token = registered.data!.register.token;
  });
  afterAll(() => t.stop());

  describe('health', () => {
    it('says the process is up on /healthz', async () => {
      const response = await fetch(`${base()}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('says the database is reachable on /readyz', async () => {
      const response = await fetch(`${base()}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready' });
    });
  });

  describe('bad requests', () => {
    it('answers malformed JSON with a 400 GraphQL error, no stack trace', async () => {
      const response = await t.post('{"query": "{ me { id } ');
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    });

    it('answers an unknown field with a 400 validation error', async () => {
      const response = await t.post({ query: '{ me { id shoeSize } }' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body.errors[0]).toMatchObject({ message: expect.stringContaining('shoeSize'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|at Object/);
    });

    it('answers a syntax error with a 400 parse error', async () => {
      const response = await t.post({ query: '{ me { id ' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('answers a wrongly typed variable with BAD_USER_INPUT', async () => {
      const response = await t.post({ query: 'mutation($e: String!) { login(email: $e, password: "x") { token } }', variables: { e: 42 } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('refuses a query nested deeper than the limit', async () => {
      const response = await t.post({ query: '{ me { id } users { pageInfo { hasNextPage } edges { node { id } } } }' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 'depth', depth: 4, max: 3 }, message: expect.stringContaining('limit is 3') });
    });

    it('refuses mutations over GET', async () => {
      const query = encodeURIComponent('mutation { login(email: "a@b.co", password: "x") { token } }');
      const response = await fetch(`${t.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(405);
    });
  });

  describe('POST /graphql answers', () => {
    it('say their JSON and its length in bytes, carry the request id, and no ETag (a POST is never cached)', async () => {
      const zoe = await t.request(RegisterDocument, {
        input: { email: 'zoe@example.com', password: 'zoe-password', firstName: 'Zoë', lastName: 'Ångström' },
      });
      const response = await t.post({ query: '{ me { firstName lastName } }' }, { authorization: `Bearer ${zoe.data!.register.token}`, 'x-request-id': 'post-1' });
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.status).toBe(200);
      expect(JSON.parse(body.toString('utf8'))).toEqual({ data: { me: { firstName: 'Zoë', lastName: 'Ångström' } } });
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Number(response.headers.get('content-length'))).toBe(body.length);
      expect(response.headers.get('x-request-id')).toBe('post-1');
      expect(response.headers.get('etag')).toBeNull();
    });

    it("are the same on the operations' road (POST /graphql) and express's (POST /graphql/)", async () => {
      const send = (path: string, body: string) =>
        fetch(`${base()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'both-roads' }, body });
      for (const body of [JSON.stringify({ query: '{ me { email } }' }), JSON.stringify({ query: '{ me { id shoeSize } }' }), '{"query": "{ me { id ', JSON.stringify({ query: 'x'.repeat(200_000) })]) {
        const [road, express] = await Promise.all([send('/graphql', body), send('/graphql/', body)]);
        const seen = async (response: Response) => ({
          status: response.status,
          type: response.headers.get('content-type'),
          length: response.headers.get('content-length'),
          requestId: response.headers.get('x-request-id'),
          body: await response.text(),
        });
        const answered = await seen(road);
        expect(answered.requestId).toBe('both-roads');
        expect(await seen(express)).toEqual(answered);
      }
    });

    it('keep their status and headers when refused (400, JSON)', async () => {
      const response = await t.post({ query: '{ me { id shoeSize } }' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const text = await response.text();
      expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    });
  });

  describe('GET /graphql', () => {
    it('answers queries with an ETag, as express gives every GET answer', async () => {
      const url = `${t.url}?query=${encodeURIComponent('{ me { email } }')}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toMatch(/^W\/"/);
    });

    it('serves queries', async () => {
      const response = await fetch(`${t.url}?query=${encodeURIComponent('{ me { email } }')}`, {
        headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      });
      expect(await response.json()).toEqual({ data: { me: { email: 'wire@example.com' } } });
    });

    it('shows Apollo Sandbox to a browser', async () => {
      const response = await fetch(t.url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/embeddable-sandbox|sandbox/i);
    });

    it('echoes the caller request id, or makes one', async () => {
      const given = await fetch(`${base()}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
      expect(given.headers.get('x-request-id')).toBe('trace-123');
      const made = await fetch(`${base()}/healthz`);
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('WebSocket (graphql-transport-ws)', () => {
    it('runs a query for the viewer of connectionParams.authorization', async () => {
      const result = await wsExecute<{ me: { email: string } }>(t.wsClient(token), '{ me { email role } }');
      expect(result).toEqual({ data: { me: { email: 'wire@example.com', role: 'PATIENT' } } });
    });

    it('refuses a socket without a valid token with close code 4403', async () => {
      for (const client of [t.wsClient(), t.wsClient('forged.token.value')]) {
        await expect(wsExecute(client, '{ me { id } }')).rejects.toMatchObject({ code: 4403 });
      }
    });

    it('closes a socket with 4401 when the token it was opened with expires', async () => {
      const { sub, role } = jwt.decode(token) as { sub: string; role: string };
      const shortLived = jwt.sign({ role, exp: Math.floor(Date.now() / 1000) + 3 }, t.settings.jwtSecret, { subject: sub, issuer: 'aura' });
      const live = wsExecute(t.wsClient(shortLived), 'subscription { therapySessionEvents { type } }');
      await expect(live).rejects.toMatchObject({ code: 4401, reason: 'Token expired' });
    }, 15_000);

    it('answers an invalid operation with the same error code as HTTP', async () => {
      const result = await wsExecute(t.wsClient(token), '{ me { shoeSize } }');
      expect(result.errors![0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    });

    it('applies the depth limit on the WebSocket path too', async () => {
      const result = await wsExecute(t.wsClient(token), '{ users { edges { node { id } } } }');
      expect(result.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 'depth' }, message: expect.stringContaining('limit is 3') });
    });

    it('maps resolver errors to the same codes as HTTP', async () => {
      const result = await wsExecute(t.wsClient(token), '{ users { totalCount } }');
      expect(result.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    });
  });

  it('gives a signed-in viewer the same me over both transports', async () => {
    const http = await t.request(MeDocument, undefined, token);
    const login = await t.request(LoginDocument, { email: 'wire@example.com', password: 'wire-password' });
    expect(http.data!.me!.id).toBe(login.data!.login.user.id);
    expect(onlyError(await t.request(LoginDocument, { email: 'wire@example.com', password: 'nope-nope-nope' })).extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('with AURA_INTROSPECTION=off', () => {
  let t: TestAura;
  beforeAll(async () => {
    t = await startTestAura({ AURA_INTROSPECTION: 'off' });
  });
  afterAll(() => t.stop());

  it('refuses introspection and shows no Sandbox', async () => {
    const response = await t.post({ query: '{ __schema { queryType { name } } }' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox/i);
  });
});
