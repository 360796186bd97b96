import { MeDocument } from '../generated/graphql';
import { SANDBOX_SCRIPT } from '../../src/web/landing-page';
import { startTestAura, wsExecute, type TestAura } from '../support/aura';
import { register } from '../support/people';

const html = { accept: 'text/html' };
const MISSPELT_FIELD = '{ me { emial } }';
const MISSPELT_ENUM = { query: 'query($r: Role) { users(role: $r) { totalCount } }', variables: { r: 'ADMN' } };

describe('browser pages with introspection on (the default)', () => {
  let t: TestAura;
  const base = () => t.url.replace('/graphql', '');
  beforeAll(async () => {
    t = await startTestAura();
  });
  afterAll(() => t.stop());

  it('serves the local explorer with GraphiQL and React from our own server, pre-filled per persona', async () => {
    const response = await fetch(`${base()}/explorer`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    for (const operation of ['mutation Register', 'query MeWithHours', 'subscription SessionEvents', 'query NoShowStatistics']) expect(page).toContain(operation);
    for (const asset of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css']) {
      expect(page).toContain(`/explorer/${asset}`);
      const file = await fetch(`${base()}/explorer/${asset}`);
      expect([asset, file.status]).toEqual([asset, 200]);
      expect(file.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
      await file.arrayBuffer();
    }
    expect((await fetch(`${base()}/explorer/package.json`)).status).toBe(404);
  });

  it('shows a browser Apollo Sandbox at GET /graphql, falling back to the local explorer', async () => {
    const response = await fetch(t.url, { headers: html });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`<script src="${SANDBOX_SCRIPT}"></script>`);
    expect(page).toContain("location.replace('/explorer')");
  });

  it('serves the dashboard page and its script, bundled from our source', async () => {
    const page = await fetch(`${base()}/dashboard`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/dashboard/app.js"></script>');
    const script = await fetch(`${base()}/dashboard/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const code = await script.text();
    expect(code).toContain('subscription SessionEvents');
    expect(code.startsWith('"use strict";(()=>{') || code.startsWith('(()=>{')).toBe(true); // one self-contained script
  });

  it('suggests field names in errors', async () => {
    const body = (await (await t.post({ query: MISSPELT_FIELD })).json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0].message).toMatch(/Did you mean "email"\?/);
  });
});

describe('browser pages with AURA_INTROSPECTION=off', () => {
  let t: TestAura;
  const base = () => t.url.replace('/graphql', '');
  beforeAll(async () => {
    t = await startTestAura({ AURA_INTROSPECTION: 'off' });
  });
  afterAll(() => t.stop());

  it('answers both explorers with a clear "disabled" page', async () => {
    const landing = await fetch(t.url, { headers: html });
    expect(await landing.text()).toContain('The GraphQL explorer is disabled on this server');
    const explorer = await fetch(`${base()}/explorer`);
    expect(explorer.status).toBe(404);
    expect(await explorer.text()).toContain('The GraphQL explorer is disabled on this server');
    expect((await fetch(`${base()}/explorer/graphiql.js`)).status).toBe(404);
  });

  it('names no schema member in errors, over HTTP and WebSocket', async () => {
    const field = (await (await t.post({ query: MISSPELT_FIELD })).json()) as { errors: Array<{ message: string }> };
    expect(field.errors[0].message).toBe('Cannot query field "emial" on type "User".');
    const value = (await (await t.post(MISSPELT_ENUM)).json()) as { errors: Array<{ message: string }> };
    expect(value.errors[0].message).toMatch(/"ADMN" does not exist in "Role" enum\.$/);
    const introspection = (await (await t.post({ query: '{ __schema { types { name } } }' })).json()) as { errors: Array<{ message: string }> };
    expect(introspection.errors[0].message).not.toMatch(/Did you mean/);

    const person = await register(t, 'PATIENT');
    const client = t.wsClient(person.token);
    expect((await wsExecute(client, MISSPELT_FIELD)).errors![0].message).toBe('Cannot query field "emial" on type "User".');
    const ws = await wsExecute(client, MISSPELT_ENUM.query, MISSPELT_ENUM.variables);
    expect(JSON.stringify(ws)).not.toMatch(/Did you mean/);
    expect((await t.request(MeDocument, undefined, person.token)).data?.me?.id).toBe(person.id);
  });
});
