import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { scratchDatabase, type ScratchDatabase } from '../support/database';
import { freePort, startAuraProcess } from '../support/process';

/** The real entry point, as `npm start` runs it: boot, serve, SIGTERM, restart on the same data. */
let PORT = 0;
let BASE = '';

const gql = (query: string, variables?: object, token?: string) =>
  fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });

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
  });

  it('refuses to start, explaining why, when the configuration is wrong', async () => {
    const bad = startAuraProcess(PORT, { ...env, AURA_MODULES_ENABLED: 'users,telepathy' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('Unknown module \\"telepathy\\"');
  });
});
