import { getOperationAST, parse } from 'graphql';
import type { Page } from 'playwright-core';
import { SANDBOX_SCRIPT } from '../../src/web/landing-page';
import { startTestAura, type TestAura } from '../support/aura';
import { artifactPath, BROWSER_TEST_MS, describeInBrowser, launchChromium, newPage, startedForAll } from '../support/browser';
import { register } from '../support/people';

const SANDBOX_HOST = new URL(SANDBOX_SCRIPT).origin;
jest.setTimeout(BROWSER_TEST_MS);

/** Sets one of GraphiQL's editors (CodeMirror 5 keeps its API on the element). */
async function setEditor(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).first().evaluate((element, v) => (element as unknown as { CodeMirror: { setValue(text: string): void } }).CodeMirror.setValue(v), value);
}

const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';

/**
 * GraphiQL learns the query's operation name 100 ms (debounced) after the editor changes, and until
 * then Execute sends the previous tab's name with the new query ("Unknown operation named Register").
 * On a loaded machine the click can come first: wait until GraphiQL has taken the new operation.
 */
async function runInExplorer(page: Page, query: string, headers: Record<string, string>): Promise<void> {
  await setEditor(page, QUERY_EDITOR, query);
  await setEditor(page, HEADERS_EDITOR, JSON.stringify(headers));
  const operationName = getOperationAST(parse(query))?.name?.value ?? null;
  const editor = await page.locator(QUERY_EDITOR).first().elementHandle();
  await page.waitForFunction(([element, name]) => (element as unknown as { CodeMirror: { operationName?: string | null } }).CodeMirror.operationName === name, [editor, operationName] as const);
  await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
}

const responseText = (page: Page) => page.locator('.graphiql-response').innerText();

describeInBrowser('the explorers in headless chromium', () => {
  const browser = startedForAll(launchChromium, (b) => b.close());
  const aura = startedForAll(() => startTestAura(), (t) => t.stop());
  let t: TestAura;
  beforeAll(() => {
    t = aura();
  });

  it('runs a query through the local explorer with the token from its header editor', async () => {
    const patient = await register(t, 'PATIENT');
    const page = await newPage(browser());
    await page.goto(t.url.replace('/graphql', '/explorer'));
    // Pre-filled: one tab per persona, the header editor open.
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor();
    expect(await page.locator(QUERY_EDITOR).innerText()).toContain('mutation Register');
    expect(await page.locator('.graphiql-tab').count()).toBe(4);
    expect(await page.locator(HEADERS_EDITOR).innerText()).toContain('"Authorization": ""');

    await runInExplorer(page, 'query Me { me { email role } }', { Authorization: `Bearer ${patient.token}` });
    await page.locator('.graphiql-response', { hasText: patient.email }).waitFor();
    expect(await responseText(page)).toContain('"role": "PATIENT"');
    await page.screenshot({ path: artifactPath('explorer.png') });
    await page.close();
  });

  it("runs subscriptions over graphql-ws, the header editor's token in connectionParams", async () => {
    const therapist = await register(t, 'THERAPIST');
    const page = await newPage(browser());
    await page.goto(t.url.replace('/graphql', '/explorer'));
    // Frame listeners go on as the socket opens: the acknowledgement may follow at once.
    let url = '';
    let acknowledged!: () => void;
    let subscribed!: () => void;
    const acknowledgement = new Promise<void>((resolve) => (acknowledged = resolve));
    const subscription = new Promise<void>((resolve) => (subscribed = resolve));
    page.on('websocket', (ws) => {
      url = ws.url();
      ws.on('framereceived', ({ payload }) => String(payload).includes('"connection_ack"') && acknowledged());
      ws.on('framesent', ({ payload }) => String(payload).includes('"subscribe"') && String(payload).includes('Follow') && subscribed());
    });
    await runInExplorer(page, 'subscription Follow { therapySessionEvents { type } }', { Authorization: `Bearer ${therapist.token}` });
    // The server acknowledges the connection only for a valid token; then the subscription goes out.
    await Promise.all([acknowledgement, subscription]);
    expect(url).toBe(t.url.replace(/^http/, 'ws'));
    await page.close();
  });

  it('falls back from GET /graphql to the local explorer when Sandbox cannot be loaded', async () => {
    const page = await newPage(browser());
    await page.route(`${SANDBOX_HOST}/**`, (route) => route.abort('internetdisconnected'));
    await page.goto(t.url);
    await page.waitForURL(/\/explorer$/);
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor();
    await runInExplorer(page, '{ __typename }', {});
    await page.locator('.graphiql-response', { hasText: '"__typename": "Query"' }).waitFor();
    await page.close();
  });

  it('keeps Apollo Sandbox at GET /graphql when its CDN answers', async () => {
    const page = await newPage(browser());
    // The CDN stands in for itself: a script that records how the page starts it.
    await page.route(`${SANDBOX_HOST}/**`, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: 'window.EmbeddedSandbox = function (o) { document.body.dataset.sandboxEndpoint = o.initialEndpoint; };' }),
    );
    await page.goto(t.url);
    await page.locator('body[data-sandbox-endpoint]').waitFor({ state: 'attached' });
    expect([new URL(page.url()).pathname, await page.locator('body').getAttribute('data-sandbox-endpoint')]).toEqual(['/graphql', t.url]);
    await page.close();
  });
});

describeInBrowser('the explorers in headless chromium with introspection off', () => {
  const browser = startedForAll(launchChromium, (b) => b.close());
  const aura = startedForAll(() => startTestAura({ AURA_INTROSPECTION: 'off' }), (t) => t.stop());
  let t: TestAura;
  beforeAll(() => {
    t = aura();
  });

  it('shows the "disabled" page at GET /graphql and /explorer', async () => {
    const page = await newPage(browser());
    for (const url of [t.url, t.url.replace('/graphql', '/explorer')]) {
      await page.goto(url);
      expect(await page.locator('#disabled').innerText()).toBe('The GraphQL explorer is disabled on this server');
    }
    await page.close();
  });
});
