import type { Page, WebSocketRoute } from 'playwright-core';
import { AcceptSessionDocument, EndSessionDocument, ScheduleSessionDocument, SetWorkingHoursDocument, StartSessionDocument } from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { artifactPath, BROWSER_TEST_MS, describeInBrowser, launchChromium, newPage, startedForAll } from '../support/browser';
import { TestClock } from '../support/clock';
import { register, type Person } from '../support/people';
import { freePort } from '../support/process';

const ADMIN = { email: 'admin@aura.test', password: 'admin-password-1' };
// Today, so the dashboard's "ended in the last day" (the browser's own clock) includes the sessions.
const DAY = new Date().toISOString().slice(0, 10);
const clock = new TestClock(new Date(`${DAY}T09:00:00Z`));
jest.setTimeout(BROWSER_TEST_MS);

describeInBrowser('the live dashboard in headless chromium, served from another origin', () => {
  let t: TestAura;
  let pageOrigin: string;
  let alice: Person;
  let bob: Person;

  /** A therapist's session with a new patient at 10:00 today, accepted. */
  async function acceptedSession(therapist: Person): Promise<string> {
    const patient = await register(t, 'PATIENT');
    const input = { therapistId: therapist.id, scheduledAt: `${DAY}T10:00:00.000Z`, durationMinutes: 60, sessionType: 'VIDEO' as const };
    const scheduled = await t.request(ScheduleSessionDocument, { input }, patient.token);
    const id = scheduled.data!.scheduleTherapySession.id;
    await t.request(AcceptSessionDocument, { id }, therapist.token);
    return id;
  }

  async function succeeded(response: Promise<{ errors?: unknown[] }>): Promise<void> {
    expect((await response).errors).toBeUndefined();
  }

  const row = (page: Page, table: 'live' | 'ended', id: string) => page.locator(`#${table} tr[data-session-id="${id}"]`);

  const browser = startedForAll(launchChromium, (b) => b.close());
  const aura = startedForAll(async () => {
    const port = await freePort();
    // localhost and 127.0.0.1 are different origins: the page on one calls the API on the other.
    pageOrigin = `http://localhost:${port}`;
    return startTestAura({ AURA_CORS_ORIGINS: pageOrigin, AURA_ADMIN_EMAIL: ADMIN.email, AURA_ADMIN_PASSWORD: ADMIN.password, AURA_MIN_LEAD_MINUTES: '0' }, { clock, port });
  }, (started) => started.stop());

  beforeAll(async () => {
    t = aura();
    [alice, bob] = await Promise.all([register(t, 'THERAPIST', 'UTC', 'Alice'), register(t, 'THERAPIST', 'UTC', 'Bob')]);
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' }));
    for (const therapist of [alice, bob]) await succeeded(t.request(SetWorkingHoursDocument, { hours: everyDay }, therapist.token));
  }, BROWSER_TEST_MS);

  it('shows two sessions start and end, live and after a reconnect', async () => {
    const [first, second] = [await acceptedSession(alice), await acceptedSession(bob)];
    const page = await newPage(browser());
    // The page's WebSocket goes through the test, which can cut it and refuse reconnects for a while.
    const sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute; sent: Array<{ type: string; payload?: { operationName?: string; variables?: { after?: string | null } } }> }> = [];
    let refuse = false;
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      if (refuse) return void ws.close({ code: 1013, reason: 'Try again later' });
      const socket = { page: ws, server: ws.connectToServer(), sent: [] as (typeof sockets)[number]['sent'] };
      // What the page sends, read on the way through.
      ws.onMessage((message) => {
        socket.sent.push(JSON.parse(String(message)));
        socket.server.send(message);
      });
      sockets.push(socket);
    });

    await page.goto(`${pageOrigin}/dashboard?api=${encodeURIComponent(t.url)}`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#status[data-state="live"]').waitFor();

    clock.set(`${DAY}T10:00:00Z`);
    await succeeded(t.request(StartSessionDocument, { id: first }, alice.token));
    await succeeded(t.request(StartSessionDocument, { id: second }, bob.token));
    await row(page, 'live', first).waitFor();
    await row(page, 'live', second).waitFor();
    expect(await row(page, 'live', first).innerText()).toMatch(/^Dr Alice\tPat N\d+\t/);

    // The connection drops; the first session ends meanwhile; the page reconnects and resumes after the last event it saw.
    refuse = true;
    for (const { page: client, server } of sockets.splice(0)) {
      await server.close();
      await client.close({ code: 1012, reason: 'Service restart' });
    }
    await page.locator('#status[data-state="reconnecting"]').waitFor();
    clock.set(`${DAY}T10:50:00Z`);
    await succeeded(t.request(EndSessionDocument, { id: first, summary: 'fine' }, alice.token));
    refuse = false;
    await row(page, 'ended', first).waitFor();
    await page.locator('#status[data-state="live"]').waitFor();
    expect(sockets).toHaveLength(1);
    const resumed = sockets[0].sent.filter((m) => m.type === 'subscribe').map((m) => [m.payload?.operationName, typeof m.payload?.variables?.after]);
    expect(resumed).toEqual([['SessionEvents', 'string']]); // no refetch: the missed event was replayed

    // And live again: the second ends while connected.
    await succeeded(t.request(EndSessionDocument, { id: second }, bob.token));
    await row(page, 'ended', second).waitFor();
    expect(await page.locator('#live tr').count()).toBe(0);
    const ended = await page.locator('#ended tr').all();
    expect(await Promise.all(ended.map((r) => r.getAttribute('data-status')))).toEqual(['COMPLETED', 'COMPLETED']);
    expect(await page.locator('#ended-count').innerText()).toBe('2');
    await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true });
    await page.close();
  });
});
