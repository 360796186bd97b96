import express from 'express';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, loadSettings } from '../../src/config/env';
import { corsFor } from '../../src/web/cors';
import { startTestAura, type TestAura } from '../support/aura';

const APP = 'https://app.example.com';
const STRANGER = 'https://evil.example.net';

const preflight = (url: string, origin: string, headers = 'content-type, authorization, apollo-require-preflight, idempotency-key') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });

const corsHeaders = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('AURA_CORS_ORIGINS', () => {
  it('is a list of origins, none by default; anything else is refused at start', () => {
    const origins = (value?: string) => loadSettings({ AURA_DATA_DIR: '/tmp/aura-cors-settings', ...(value === undefined ? {} : { AURA_CORS_ORIGINS: value }) }).corsOrigins;
    expect(origins()).toEqual([]);
    expect(origins(` ${APP}, http://localhost:5173 `)).toEqual([APP, 'http://localhost:5173']);
    for (const bad of [`${APP}/`, 'app.example.com', `${APP}/graphql`, '*']) {
      expect(() => origins(bad)).toThrow(ConfigurationError);
    }
    expect(() => origins(`${APP}/`)).toThrow('AURA_CORS_ORIGINS must list origins like https://app.example.com');
  });

  it('answers no origin when none is configured', async () => {
    const app = express();
    app.use(corsFor([]));
    app.all('/graphql', (_req, res) => void res.status(405).end());
    const server = app.listen(0);
    try {
      const response = await preflight(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, APP);
      expect(response.status).toBe(405);
      expect(corsHeaders(response)).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('CORS over HTTP', () => {
  let t: TestAura;
  beforeAll(async () => {
    t = await startTestAura({ AURA_CORS_ORIGINS: `${APP},http://localhost:5173` });
  });
  afterAll(() => t.stop());

  it("answers an allowed origin's preflight with the headers a GraphQL client sends, without credentials", async () => {
    const response = await preflight(t.url, APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    const allowed = response.headers.get('access-control-allow-headers')!.split(',');
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'apollo-require-preflight', 'idempotency-key']));
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('lets an allowed origin read the answer, its request id included', async () => {
    const response = await t.post({ query: '{ __typename }' }, { origin: APP });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('gives any other origin no CORS header at all, on the preflight or the request', async () => {
    const refused = await preflight(t.url, STRANGER);
    expect(corsHeaders(refused)).toEqual([]);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const answered = await t.post({ query: '{ __typename }' }, { origin: STRANGER });
    expect(corsHeaders(answered)).toEqual([]);
    expect(answered.headers.get('vary')).toMatch(/Origin/);
  });

  it("keeps Apollo's CSRF prevention: a simple GET needs the apollo-require-preflight header, from any origin", async () => {
    const url = `${t.url}?query=${encodeURIComponent('{ __typename }')}`;
    const simple = await fetch(url, { headers: { origin: APP } });
    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/CSRF/);
    const flagged = await fetch(url, { headers: { origin: APP, 'apollo-require-preflight': 'true' } });
    expect(flagged.status).toBe(200);
    expect(await flagged.json()).toEqual({ data: { __typename: 'Query' } });
    const form = await t.post('query={__typename}', { 'content-type': 'text/plain', origin: APP });
    expect(form.status).toBe(400);
  });

  it('treats subscriptions over SSE the same: preflights for allowed origins only, and no stream without the token header', async () => {
    const stream = t.url.replace('/graphql', '/graphql/stream');
    const allowed = await preflight(stream, APP, 'content-type, authorization');
    expect([allowed.status, allowed.headers.get('access-control-allow-origin')]).toEqual([204, APP]);
    expect(corsHeaders(await preflight(stream, STRANGER, 'content-type, authorization'))).toEqual([]);
    // What a page can send without a preflight (no Authorization header) opens no stream: 401, nothing run.
    const query = encodeURIComponent('subscription { therapySessionEvents { type } }');
    for (const simple of [
      await fetch(`${stream}?query=${query}`, { headers: { origin: STRANGER, accept: 'text/event-stream' } }),
      await fetch(t.url, { method: 'POST', headers: { origin: STRANGER, accept: 'text/event-stream', 'content-type': 'text/plain' }, body: `{"query":"${decodeURIComponent(query)}"}` }),
    ]) {
      expect(simple.status).toBe(401);
      expect(((await simple.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(corsHeaders(simple)).toEqual([]);
    }
  });
});
