import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_JWT_SECRET } from '../support/aura';
import { scratchDatabase, type ScratchDatabase } from '../support/database';
import { freePort, killAuraProcesses, startAuraProcess as startProcess, type AuraProcess } from '../support/process';
import { until } from '../support/services';

/**
 * The reconnecting client of the README ("Live events"), against the real entry point: the server
 * is killed during a subscription, events happen while it is down (written by a second process on
 * the same database), and once it is back every event arrives exactly once, in order.
 */
let finished = false;
function startAuraProcess(port: number, env: Record<string, string>): AuraProcess {
  if (finished) throw new Error('the test file has finished: no more processes');
  return startProcess(port, env);
}

const SUBSCRIPTION = 'subscription Live($after: String) { therapySessionEvents(types: [SCHEDULED], after: $after) { cursor session { id } } }';

/** Mondays at 10:00 UTC, a week apart, from two weeks ahead: inside default working hours, never overlapping. */
function mondays(count: number): string[] {
  const day = new Date();
  day.setUTCHours(10, 0, 0, 0);
  day.setUTCDate(day.getUTCDate() + 14 + ((8 - day.getUTCDay()) % 7));
  return Array.from({ length: count }, (_, i) => new Date(day.getTime() + i * 7 * 86_400_000).toISOString());
}

describe('a live subscription across a server restart', () => {
  let dataDir: string;
  let database: ScratchDatabase;
  let env: Record<string, string>;
  let port: number;
  let client: Client | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aura-live-restart-'));
    database = await scratchDatabase({ dataDir });
    env = { AURA_DATA_DIR: dataDir, JWT_SECRET: TEST_JWT_SECRET, AURA_EVENT_POLL_MS: '200', ...(database.url ? { DATABASE_URL: database.url } : {}) };
    port = await freePort();
  });
  afterAll(async () => {
    finished = true;
    await client?.dispose();
    await killAuraProcesses();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const gql = async <T>(serverPort: number, query: string, variables: object, token?: string): Promise<T> => {
    const response = await fetch(`http://127.0.0.1:${serverPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const register = async (role: 'THERAPIST' | 'PATIENT') =>
    (
      await gql<{ register: { token: string; user: { id: string } } }>(port, 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }', {
        input: { email: `${role.toLowerCase()}@restart.test`, password: 'restart-password-1', firstName: 'Re', lastName: 'Start', role },
      })
    ).register;
  const schedule = async (serverPort: number, token: string, therapistId: string, scheduledAt: string) =>
    (
      await gql<{ scheduleTherapySession: { id: string } }>(
        serverPort,
        'mutation($input: ScheduleTherapySessionInput!) { scheduleTherapySession(input: $input) { id } }',
        { input: { therapistId, scheduledAt, durationMinutes: 60, sessionType: 'VIDEO' } },
        token,
      )
    ).scheduleTherapySession.id;
  const subscribedOn = (serverPort: number) =>
    until('the subscription to run', async () => {
      const text = await (await fetch(`http://127.0.0.1:${serverPort}/metrics`)).text();
      return /^aura_subscriptions_active 1$/m.test(text);
    }, 300_000, 50);

  /** Where the test is, for a failure on a slow machine (printed only when DEBUG_LIVE_RESTART is set). */
  const step = (what: string) => process.env.DEBUG_LIVE_RESTART && console.log(new Date().toISOString(), what);

  it('delivers every event exactly once, in order, to the documented reconnecting client', async () => {
    let server = startAuraProcess(port, env);
    await server.ready();
    const therapist = await register('THERAPIST');
    const patient = await register('PATIENT');
    const times = mondays(4);

    // The client setup of the README: retry forever, also on ECONNREFUSED, and resume with `after`.
    const variables: { after: string | null } = { after: null };
    const received: string[] = [];
    const errors: unknown[] = [];
    const waiters: Array<() => void> = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    const arrived = async (count: number) => {
      while (received.length < count && errors.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      expect(errors).toEqual([]);
    };
    client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      connectionParams: () => ({ authorization: `Bearer ${therapist.token}` }),
      retryAttempts: Infinity,
      shouldRetry: (errOrCloseEvent) => {
        const code = (errOrCloseEvent as { code?: number } | null)?.code;
        return code !== 4401 && code !== 4403; // refused tokens sign in again; all else (ECONNREFUSED, 1006, 1001) retries
      },
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
    });
    client.subscribe<{ therapySessionEvents: { cursor: string; session: { id: string } } }>(
      { query: SUBSCRIPTION, variables },
      {
        next: ({ data, errors: failed }) => {
          if (failed) errors.push(failed);
          else {
            received.push(data!.therapySessionEvents.session.id);
            variables.after = data!.therapySessionEvents.cursor; // graphql-ws re-sends this payload on every reconnect
          }
          wake();
        },
        error: (error) => {
          errors.push(error);
          wake();
        },
        complete: () => undefined,
      },
    );
    step('subscribing');
    await subscribedOn(port);
    step('subscribed');
    const sessions = [await schedule(port, patient.token, therapist.user.id, times[0])];
    await arrived(1);

    step('first event arrived');
    // A crash: no goodbye to the socket; the client retries (ECONNREFUSED) meanwhile.
    await server.stop('SIGKILL');
    const producerPort = await freePort();
    const producer = startAuraProcess(producerPort, env);
    await producer.ready();
    sessions.push(await schedule(producerPort, patient.token, therapist.user.id, times[1]));
    sessions.push(await schedule(producerPort, patient.token, therapist.user.id, times[2]));
    await producer.stop('SIGTERM');
    step('produced while down');

    server = startAuraProcess(port, env);
    await server.ready();
    step('restarted');
    await arrived(3); // the missed ones, replayed after the cursor of the first
    await subscribedOn(port);
    sessions.push(await schedule(port, patient.token, therapist.user.id, times[3]));
    await arrived(4);
    step('live after the restart');
    // A fifth event proves the fourth came once: nothing else arrived in between.
    const times5 = mondays(5)[4];
    sessions.push(await schedule(port, patient.token, therapist.user.id, times5));
    await arrived(5);
    expect(received).toEqual(sessions);
  }, 900_000);
});
