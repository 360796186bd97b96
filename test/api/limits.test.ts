import type { Client } from 'graphql-ws';
import { RegisterDocument } from '../generated/graphql';
import { startTestAura, wsExecute, type TestAura } from '../support/aura';

/** `query { ...F0 }` where each fragment spreads the next twice (about 1.5 KB for 30 levels). */
function fragmentBomb(levels: number): string {
  let query = 'query { ...F0 }\n';
  for (let i = 0; i < levels; i++) query += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} me { id } }\n`;
  return `${query}fragment F${levels} on Query { me { id } }\n`;
}

const aliased = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const NESTED_SESSIONS =
  'query($n: Int) { therapySessions(first: $n) { edges { node { id patient { therapySessions(first: $n) { edges { node { id } } } } } } } }';

/** Subscribes and resolves with the first error it receives (a GraphQL error list or a close event). */
function firstError(client: Client, query: string): Promise<unknown> {
  return new Promise((resolve) => {
    client.subscribe({ query }, { next: () => undefined, error: resolve, complete: () => undefined });
  });
}

describe('operation limits (API.md "Limits"), on HTTP and WebSocket alike', () => {
  let t: TestAura;
  let token: string;

  beforeAll(async () => {
    t = await startTestAura();
    const registered = await t.request(RegisterDocument, {
      input: { email: 'limits@example.com', password: 'limits-password', firstName: 'Li', lastName: 'Mits' },
    });
    token = registered.data!.register.token;
  });
  afterAll(() => t.stop());

  async function refusedOverHttp(body: unknown, token?: string) {
    const response = await t.post(body, token ? { authorization: `Bearer ${token}` } : {});
    const json = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(response.status).toBe(400);
    expect(json.data).toBeUndefined();
    expect(json.errors).toHaveLength(1);
    return json.errors[0];
  }

  describe('a fragment-spread bomb', () => {
    it('gets an answer over HTTP (it used to pin the CPU)', async () => {
      const error = await refusedOverHttp({ query: fragmentBomb(30) });
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'cost', max: 5000 });
    });

    it('gets an answer over WebSocket', async () => {
      const result = await wsExecute(t.wsClient(token), fragmentBomb(30));
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'cost' });
    });
  });

  describe('over HTTP', () => {
    it('refuses nested lists over the cost budget, counting first from variables', async () => {
      const error = await refusedOverHttp({ query: NESTED_SESSIONS, variables: { n: 100 } }, token);
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'cost', cost: 100 * (4 + 300), max: 5000 });
      const small = await t.post({ query: NESTED_SESSIONS, variables: { n: 5 } }, { authorization: `Bearer ${token}` });
      expect(small.status).toBe(200);
      expect(await small.json()).toEqual({ data: { therapySessions: { edges: [] } } });
    });

    it('refuses more aliases than the cap', async () => {
      const error = await refusedOverHttp({ query: aliased(31, 'me { id }') });
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'aliases', aliases: 31, max: 30 });
    });

    it('refuses a document with more tokens than the cap', async () => {
      const error = await refusedOverHttp({ query: aliased(300, 'searchDisorders(query: "anxiety", limit: 50) { id name description }') });
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'tokens', tokens: 2001, max: 2000 });
    });

    it('refuses operations nested deeper than the limit', async () => {
      const deep = `{ me { ${'therapySessions { edges { node { patient { '.repeat(3)} id ${'} } } }'.repeat(3)} } }`;
      const error = await refusedOverHttp({ query: deep }, token);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'depth', max: 12 });
    });

    it('refuses more directives than the cap', async () => {
      const error = await refusedOverHttp({ query: `{ me { ${'id @include(if: true) '.repeat(51)} } }` });
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'directives', directives: 51, max: 50 });
    });

    it('refuses a body over 1 MiB with 413, naming the limit', async () => {
      const response = await t.post({ query: `{ me { id } } # ${'x'.repeat(1024 * 1024)}` });
      expect(response.status).toBe(413);
      const body = (await response.json()) as any;
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'documentSize', max: 1024 * 1024 });
    });

    it('answers a subscription with a 400 that says where subscriptions are served', async () => {
      const error = await refusedOverHttp({ query: 'subscription { therapySessionEvents { type } }' }, token);
      expect(error).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringContaining('WebSocket') });
      const get = await fetch(`${t.url}?query=${encodeURIComponent('subscription { therapySessionEvents { type } }')}`, {
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` },
      });
      expect(get.status).toBeLessThan(500);
      expect(((await get.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    });

    it('lets introspection through', async () => {
      const response = await t.post({ query: '{ __schema { types { name fields { name type { ofType { ofType { ofType { name } } } } } } } }' });
      expect(response.status).toBe(200);
    });
  });

  describe('over WebSocket', () => {
    it('applies the same cost, alias and token limits', async () => {
      const client = t.wsClient(token);
      const cost = await wsExecute(client, NESTED_SESSIONS, { n: 100 });
      expect(cost.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'cost', cost: 100 * (4 + 300), max: 5000 });
      const aliases = await wsExecute(client, aliased(31, 'me { id }'));
      expect(aliases.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'aliases', aliases: 31, max: 30 });
      const tokens = await wsExecute(client, aliased(300, 'searchDisorders(query: "anxiety", limit: 50) { id name description }'));
      expect(tokens.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'tokens', tokens: 2001, max: 2000 });
      const fine = await wsExecute(client, NESTED_SESSIONS, { n: 5 });
      expect(fine).toEqual({ data: { therapySessions: { edges: [] } } });
    });

    it('closes a socket that sends a message over 1 MiB (1009), as ws does', async () => {
      const huge = `{ me { id } } # ${'x'.repeat(1024 * 1024)}`;
      await expect(wsExecute(t.wsClient(token), huge)).rejects.toMatchObject({ code: 1009 });
    });

    it('refuses the 21st concurrent operation on one socket, and a completed one frees its slot', async () => {
      const client = t.wsClient(token);
      const open = Array.from({ length: 20 }, () =>
        client.subscribe({ query: 'subscription { therapySessionEvents { type } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined }),
      );
      const refused = (await firstError(client, 'subscription { therapySessionEvents { type } }')) as Array<{ extensions: Record<string, unknown> }>;
      expect(refused[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'subscriptionsPerSocket', subscriptionsPerSocket: 21, max: 20 });
      open[0]();
      expect(await wsExecute(client, '{ me { email } }')).toEqual({ data: { me: { email: 'limits@example.com' } } });
      const another = t.wsClient(token);
      expect(await wsExecute(another, '{ me { email } }')).toEqual({ data: { me: { email: 'limits@example.com' } } });
    });
  });
});
