import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface AuraProcess {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<number | null>;
  output(): string;
  /** Resolves once the output (from offset `after`) has a line matching `line`; rejects if the process exits first. */
  logged(line: string | RegExp, after?: number): Promise<void>;
  ready(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Every child still running, killed by PID however the test run ends (a failed test, a timeout, a crash). */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) if (child.pid) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Kills (by PID) every Aura process this test file started that still runs, and waits for each to exit. */
export async function killAuraProcesses(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      child.kill('SIGKILL');
      return exited;
    }),
  );
}

/** The line main.ts logs once it serves; waiting on it needs no polling. */
const SERVING = '"msg":"Aura is serving /graphql"';

/**
 * Runs the real entry point with the given environment: src/main.ts as `npm run dev` does, or the
 * build (dist/main.js) as `npm start` does; `nodeArgs` go to node before it (e.g. --cpu-prof).
 */
export function startAuraProcess(port: number, env: Record<string, string>, entry: 'source' | 'built' = 'source', nodeArgs: readonly string[] = []): AuraProcess {
  let output = '';
  const args = [...nodeArgs, ...(entry === 'built' ? ['dist/main.js'] : ['-r', 'ts-node/register/transpile-only', 'src/main.ts'])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const listeners = new Set<() => void>();
  const heard = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', heard);
  child.stderr!.on('data', heard);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      for (const listener of listeners) listener();
      resolve(code);
    }),
  );
  /** Resolves when the output has a line matching `line`; rejects if the process exits first. */
  const logged = (line: string | RegExp, after = 0) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        const rest = output.slice(after);
        if (typeof line === 'string' ? rest.includes(line) : line.test(rest)) {
          listeners.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(check);
          reject(new Error(`Aura on port ${port} exited (${child.exitCode ?? child.signalCode}) before logging ${line}:\n${output}`));
        }
      };
      listeners.add(check);
      check();
    });
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url: `${base}/graphql`,
    exited,
    output: () => output,
    logged,
    async ready() {
      // No deadline of its own: however long a loaded machine takes to boot, the test's timeout is the limit.
      if (['trace', 'debug', 'info'].includes(env.LOG_LEVEL ?? 'info')) await logged(SERVING);
      else {
        // Quieter logs do not say when it serves: ask until it answers (or exits).
        for (;;) {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Aura on port ${port} exited before serving:\n${output}`);
          const up = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
          if (up) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      if (!(await fetch(`${base}/readyz`)).ok) throw new Error(`Aura on port ${port} serves but is not ready:\n${output}`);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
