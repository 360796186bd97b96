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

/** Runs the real entry point with the given environment: src/main.ts as `npm run dev` does, or the build (dist/main.js) as `npm start` does. */
export function startAuraProcess(port: number, env: Record<string, string>, entry: 'source' | 'built' = 'source'): AuraProcess {
  let output = '';
  const args = entry === 'built' ? ['dist/main.js'] : ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url: `${base}/graphql`,
    exited,
    output: () => output,
    async ready() {
      // A generous deadline: a loaded machine may take a minute to boot and migrate.
      const deadline = Date.now() + 150_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) break;
        try {
          if ((await fetch(`${base}/readyz`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Aura on port ${port} did not become ready:\n${output}`);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
