import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { scratchDatabase, type ScratchDatabase } from '../support/database';
import { freePort, startAuraProcess as startProcess, type AuraProcess } from '../support/process';
import { until } from '../support/services';

/** The real entry point, as `npm start` runs it: boot, serve, SIGTERM, restart on the same data. */
let PORT = 0;
let BASE = '';

const gql = (query: string, variables?: object, token?: string) =>
  fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });

/** Every process a test starts; afterAll kills (by PID) any still running, whatever failed. */
const started: AuraProcess[] = [];
function startAuraProcess(port: number, env: Record<string, string>): AuraProcess {
  const instance = startProcess(port, env);
  started.push(instance);
  return instance;
}

describe('the aura process', () => {
  let dataDir: string;
  let database: ScratchDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aura-process-'));
    database = await scratchDatabase();
    env = { AURA_DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) };
    PORT = await freePort();
    BASE = `http://127.0.0.1:${PORT}`;
  });
  afterAll(async () => {
    for (const instance of started) {
      if (instance.child.exitCode === null && instance.child.signalCode === null) {
        instance.child.kill('SIGKILL');
        await instance.exited;
      }
    }
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves, shuts down gracefully on SIGTERM, and keeps its data across a restart', async () => {
    const first = startAuraProcess(PORT, env);
    await first.ready();
    const registered = await gql(
      'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }',
      { input: { email: 'stays@example.com', password: 'durable-password', firstName: 'Sta', lastName: 'Ys' } },
    ).then((r) => r.json() as Promise<{ data: { register: { token: string; user: { id: string } } } }>);
    const { token, user } = registered.data.register;

    const socket = new WebSocket(`ws://127.0.0.1:${PORT}/graphql`, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve());
    });

    // A login takes a while (scrypt): it is in flight when SIGTERM arrives, and must still be answered.
    const inFlight = gql('mutation { login(email: "stays@example.com", password: "durable-password") { user { id } } }');
    await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: { login: { user: { id: string } } } }).data.login.user.id).toBe(user.id);
    expect(await closed).toBe(1001);
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Aura stopped');
    await expect(fetch(`${BASE}/healthz`)).rejects.toThrow();

    const second = startAuraProcess(PORT, env);
    try {
      await second.ready();
      const me = await gql('{ me { id email } }', undefined, token).then((r) => r.json());
      expect(me).toEqual({ data: { me: { id: user.id, email: 'stays@example.com' } } });
    } finally {
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    }
    expect(first.output()).not.toMatch(/"level":(50|60)/);
  }, 240_000);

  it('answers or never accepts each keep-alive request sent around SIGTERM, and answers every one it committed', async () => {
    const port = await freePort();
    const server = startAuraProcess(port, { ...env, AURA_AUTH_MAX_PER_ADDRESS: '10000' });
    await server.ready();
    const url = `http://127.0.0.1:${port}/graphql`;
    const WORKERS = 8;
    const workers = [...Array(WORKERS).keys()];
    const tokens: string[] = [];
    for (const w of workers) {
      const input = { email: `shutdown-${w}@example.com`, password: 'shutdown-password', firstName: 'Shut', lastName: 'Down' };
      const registered = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($input: RegisterInput!) { register(input: $input) { token } }', variables: { input } }),
      }).then((r) => r.json() as Promise<{ data: { register: { token: string } } }>);
      tokens.push(registered.data.register.token);
    }

    // Each worker sends one mutation after another on its keep-alive connection, through SIGTERM.
    const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });
    interface Outcome {
      worker: number;
      message: string;
      answered: boolean;
      status?: number;
      echoed?: string;
      error?: string;
    }
    const send = (token: string, message: string) =>
      new Promise<Pick<Outcome, 'answered' | 'status' | 'echoed' | 'error'>>((resolve) => {
        let settled = false;
        const settle = (outcome: Pick<Outcome, 'answered' | 'status' | 'echoed' | 'error'>) => {
          if (!settled) resolve(outcome);
          settled = true;
        };
        const body = JSON.stringify({ query: 'mutation($m: String!) { sendChatbotMessage(message: $m) { message } }', variables: { m: message } });
        const req = request(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => (text += chunk));
            res.on('aborted', () => settle({ answered: false, error: 'response cut off' }));
            res.on('error', (err: NodeJS.ErrnoException) => settle({ answered: false, error: `response cut off: ${err.code}` }));
            res.on('end', () => {
              let echoed: string | undefined;
              try {
                echoed = (JSON.parse(text) as { data?: { sendChatbotMessage?: { message: string } } }).data?.sendChatbotMessage?.message;
              } catch {
                // not JSON: checked below through `echoed`
              }
              settle({ answered: true, status: res.statusCode, echoed });
            });
          },
        );
        req.on('error', (err: NodeJS.ErrnoException) => settle({ answered: false, error: err.code ?? err.message }));
        req.end(body);
      });
    const outcomes: Outcome[] = [];
    const sending = Promise.all(
      workers.map(async (worker) => {
        for (let n = 0; n < 200; n++) {
          const message = `worker ${worker} message ${n}`;
          const outcome = { worker, message, ...(await send(tokens[worker], message)) };
          outcomes.push(outcome);
          if (outcome.error === 'ECONNREFUSED') return; // no longer listening: the rest would be refused too
        }
      }),
    );
    await until('every worker to be answered on its open connection', () => workers.every((w) => outcomes.filter((o) => o.worker === w && o.answered).length >= 3), 120_000);
    const sentBeforeSigterm = outcomes.length;
    server.child.kill('SIGTERM');
    await sending;
    agent.destroy();
    expect(await server.exited).toBe(0);
    expect(outcomes.length).toBeGreaterThan(sentBeforeSigterm);

    // Every request got a full, successful answer, or was never accepted (refused, or its connection closed unread).
    const answered = outcomes.filter((o) => o.answered);
    for (const o of answered) expect({ message: o.message, status: o.status, echoed: o.echoed }).toEqual({ message: o.message, status: 200, echoed: o.message });
    for (const o of outcomes.filter((o) => !o.answered)) expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']).toContain(o.error);

    // Nothing answered is lost, and nothing unanswered was committed.
    const restarted = startAuraProcess(port, env);
    await restarted.ready();
    const committed: string[] = [];
    for (const w of workers) {
      const recent = await fetch(restarted.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[w]}` },
        body: JSON.stringify({ query: '{ recentChatbotInteractions(limit: 100) { message } }' }),
      }).then((r) => r.json() as Promise<{ data: { recentChatbotInteractions: Array<{ message: string }> } }>);
      committed.push(...recent.data.recentChatbotInteractions.map((i) => i.message));
    }
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(committed.sort()).toEqual(answered.map((o) => o.message).sort());
  }, 180_000);

  it('refuses to start, explaining why, when the configuration is wrong', async () => {
    const bad = startAuraProcess(PORT, { ...env, AURA_MODULES_ENABLED: 'users,telepathy' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('Unknown module \\"telepathy\\"');
  }, 120_000);
});
