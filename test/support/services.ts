import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './process';

/**
 * Private Redis and PostgreSQL servers for outage tests: each on its own free port, started and
 * stopped by PID, never the machine's shared 5432/6379.
 */
export interface PrivateServer {
  port: number;
  url: string;
  /** Whether the server process is running. */
  running(): boolean;
  /** Kills the server process (default: SIGKILL, a crash) and waits until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (and, for PostgreSQL, the same data). */
  restart(): Promise<void>;
  /** Kills it and removes its files; safe to call more than once. */
  dispose(): Promise<void>;
}

/** Polls `probe` until it resolves true, up to a generous deadline; the last failure is in the error. */
export async function until(what: string, probe: () => Promise<boolean> | boolean, deadlineMs = 60_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A child process we own: killed by PID, its exit awaited. */
class Owned {
  private exited: Promise<void>;
  output = '';
  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk) => (this.output += chunk));
    child.stderr?.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.running && this.child.pid) process.kill(this.child.pid, signal);
    await this.exited;
  }
}

function server(port: number, url: string, launch: () => Owned, ready: () => Promise<boolean>, cleanup: () => void): PrivateServer & { start(): Promise<void> } {
  let current: Owned | undefined;
  const start = async () => {
    const owned = (current = launch());
    await until(`${url} to accept connections`, async () => {
      if (!owned.running) throw new Error(`exited:\n${owned.output}`);
      return ready();
    });
  };
  return {
    port,
    url,
    start,
    running: () => current?.running ?? false,
    kill: async (signal = 'SIGKILL') => current?.kill(signal),
    restart: start,
    dispose: async () => {
      await current?.kill('SIGKILL');
      cleanup();
    },
  };
}

/** redis-server on a free loopback port, nothing persisted. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const started = server(
    port,
    url,
    () => new Owned(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })),
    () => redisPing(port),
    () => undefined,
  );
  try {
    await started.start();
  } catch (error) {
    await started.dispose();
    throw error;
  }
  return started;
}

/** True when a Redis on the port answers PING. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(2000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(String(data).startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const PG_BIN = '/usr/lib/postgresql/15/bin';
export const privatePostgresAvailable = existsSync(join(PG_BIN, 'initdb'));

/**
 * A PostgreSQL 15 cluster of its own (initdb in a temp dir, trust auth) on a free loopback port.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) }
    : {};
  const dir = mkdtempSync(join(tmpdir(), 'aura-private-pg-'));
  if (asRoot) chownSync(dir, owner.uid!, owner.gid!);
  const data = join(dir, 'data');
  const env = { PATH: process.env.PATH, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  execFileSync(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], {
    ...owner,
    env,
    cwd: dir,
    stdio: 'pipe',
  });
  const port = await freePort();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const started = server(
    port,
    url,
    () =>
      new Owned(
        spawn(
          join(PG_BIN, 'postgres'),
          ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'full_page_writes=off'],
          { ...owner, env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
        ),
      ),
    async () => {
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        await client.query('select 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    () => rmSync(dir, { recursive: true, force: true }),
  );
  try {
    await started.start();
  } catch (error) {
    await started.dispose();
    throw error;
  }
  return started;
}
