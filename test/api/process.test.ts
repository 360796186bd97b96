import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { scratchDatabase, type ScratchDatabase } from '../support/database';
import { freePort, killAuraProcesses, startAuraProcess as startProcess, type AuraProcess } from '../support/process';
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

/**
 * afterAll kills (by PID) every process still running, whatever failed; a test that timed out goes
 * on running, so once afterAll has run it may start no more (support/process also kills on exit).
 */
let finished = false;
function startAuraProcess(port: number, env: Record<string, string>): AuraProcess {
  if (finished) throw new Error('the test file has finished: no more processes');
  return startProcess(port, env);
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
    finished = true;
    await killAuraProcesses();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves, shuts down gracefully on SIGTERM, and keeps its data across a restart', async () => {
    // Debug logs show each statement's shape: the test sees when the server has read the login below. No
    // account check meanwhile (it reads users too).
    const first = startAuraProcess(PORT, { ...env, LOG_LEVEL: 'debug', AURA_ACCOUNT_CHECK_SECONDS: '3600' });
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
    // SIGTERM waits until the server has read the account (a users statement is logged), however loaded the machine.
    const before = first.output().length;
    const inFlight = gql('mutation { login(email: "stays@example.com", password: "durable-password") { user { id } } }');
    await first.logged(/"sql":"select [^\n]*users[^\n]*"msg":"query"/, before);
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
  }, 900_000); // a loaded machine may take minutes to boot twice

  it('answers or never accepts each keep-alive request sent around SIGTERM, and answers every one it committed', async () => {
    const port = await freePort();
    const server = startAuraProcess(port, { ...env, AURA_AUTH_MAX_PER_ADDRESS: '10000' });
    await server.ready();
    const url = `http://127.0.0.1:${port}/graphql`;
    const WORKERS = 8;
    const RAW_CLIENTS = 4;
    const workers = [...Array(WORKERS + RAW_CLIENTS).keys()];
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
    const agentWorker = async (worker: number) => {
      for (let n = 0; n < 200; n++) {
        const message = `worker ${worker} message ${n}`;
        const outcome = { worker, message, ...(await send(tokens[worker], message)) };
        outcomes.push(outcome);
        if (outcome.error === 'ECONNREFUSED') return; // no longer listening: the rest would be refused too
      }
    };
    // A keep-alive client may send its next request the moment an answer is complete, before it
    // could see the server closing the connection: only `Connection: close` tells it not to.
    const rawWorker = (worker: number) =>
      new Promise<void>((resolve) => {
        // Half-open allowed: like a client waiting for its answer, it does not hang up when the server does.
        const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
        let received = '';
        let current: Outcome | undefined;
        const sendNext = () => {
          const message = `worker ${worker} message ${outcomes.filter((o) => o.worker === worker).length}`;
          current = { worker, message, answered: false };
          outcomes.push(current);
          const body = JSON.stringify({ query: 'mutation($m: String!) { sendChatbotMessage(message: $m) { message } }', variables: { m: message } });
          socket.write(
            `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${tokens[worker]}\r\n` +
              `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
          );
        };
        socket.setEncoding('utf8');
        socket.on('connect', sendNext);
        socket.on('data', (chunk: string) => {
          received += chunk;
          const headerEnd = received.indexOf('\r\n\r\n');
          if (headerEnd < 0 || !current) return;
          const head = received.slice(0, headerEnd);
          const length = Number(/content-length: *(\d+)/i.exec(head)?.[1]);
          if (received.length < headerEnd + 4 + length) return;
          const text = received.slice(headerEnd + 4, headerEnd + 4 + length);
          received = received.slice(headerEnd + 4 + length);
          current.answered = true;
          current.status = Number(head.split(' ')[1]);
          try {
            current.echoed = (JSON.parse(text) as { data?: { sendChatbotMessage?: { message: string } } }).data?.sendChatbotMessage?.message;
          } catch {
            // not JSON: checked below through `echoed`
          }
          if (/^connection: *close/im.test(head) || outcomes.filter((o) => o.worker === worker).length >= 200) socket.end();
          else sendNext();
        });
        socket.on('end', () => {
          if (!current || current.answered) socket.end();
          else void server.exited.then(() => socket.destroy()); // still waiting for an answer: until the server is gone
        });
        socket.on('error', (err: NodeJS.ErrnoException) => {
          if (current && !current.answered) current.error ??= err.code;
        });
        socket.on('close', () => {
          if (current && !current.answered) current.error ??= 'ECONNRESET'; // closed before answering
          resolve();
        });
      });
    const sending = Promise.all(workers.map((worker) => (worker < WORKERS ? agentWorker(worker) : rawWorker(worker))));
    await until('every worker to be answered on its open connection', () => workers.every((w) => outcomes.filter((o) => o.worker === w && o.answered).length >= 3), 600_000);
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
  }, 900_000);

  it('refuses to start, explaining why, when the configuration is wrong', async () => {
    const bad = startAuraProcess(PORT, { ...env, AURA_MODULES_ENABLED: 'users,telepathy' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('Unknown module \\"telepathy\\"');
  }, 600_000);

  it('names every bad variable on its own line, quoting no secret', async () => {
    const bad = startAuraProcess(PORT, { ...env, LOG_LEVEL: 'verbose', AURA_MAX_COST: 'lots', JWT_SECRET: 'too-short-a-secret' });
    expect(await bad.exited).toBe(1);
    const fatal = bad.output().split('\n').filter((line) => line.includes('"level":60')).map((line) => JSON.parse(line).msg);
    expect(fatal.sort()).toEqual(
      [
        'JWT_SECRET must be at least 32 characters',
        'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "verbose"',
        'AURA_MAX_COST must be an integer >= 1, got "lots"',
        'Aura failed to start: 3 configuration problem(s), listed above',
      ].sort(),
    );
    expect(bad.output()).not.toContain('too-short-a-secret');
  }, 600_000);
});
