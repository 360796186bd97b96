import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort, startAuraProcess, type AuraProcess } from '../support/process';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('docker-compose.yml and the README agree with the code', () => {
  const compose = parse(read('docker-compose.yml'));
  const readme = read('README.md');
  const settingsSource = read('src/config/env.ts');

  it('brings up postgres, redis and the app, the app waiting for both', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'redis']);
    expect(Object.keys(compose.services.app.depends_on).sort()).toEqual(['postgres', 'redis']);
    expect(compose.services.app.build).toBe('.');
  });

  it('points the app at the compose database and Redis', () => {
    const { environment } = compose.services.app;
    const db = new URL(environment.DATABASE_URL);
    expect(db.hostname).toBe('postgres');
    expect(db.username).toBe(compose.services.postgres.environment.POSTGRES_USER);
    expect(db.pathname).toBe(`/${compose.services.postgres.environment.POSTGRES_DB}`);
    expect(new URL(environment.REDIS_URL).hostname).toBe('redis');
    expect(compose.services.app.ports).toContain(`${environment.PORT}:${environment.PORT}`);
  });

  it('uses only variables the code reads and the README documents', () => {
    for (const name of Object.keys(compose.services.app.environment)) {
      expect({ name, read: settingsSource.includes(`'${name}'`) || settingsSource.includes(`env.${name}`) }).toEqual({ name, read: true });
      expect({ name, documented: readme.includes(`| ${name}`) || readme.includes(`${name} `) }).toEqual({ name, documented: true });
    }
  });

  it('documents every variable the code reads', () => {
    const read = new Set([...settingsSource.matchAll(/env\.([A-Z_]+)|'([A-Z][A-Z_]+)'/g)].map((m) => m[1] ?? m[2]));
    for (const name of read) expect({ name, documented: readme.includes(name) }).toEqual({ name, documented: true });
  });
});

describe('the Dockerfile builds once and runs the build as a non-root user', () => {
  const dockerfile = read('Dockerfile');
  const compose = parse(read('docker-compose.yml'));
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in one stage and runs compiled JavaScript with production dependencies in another', () => {
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages;
    expect(build).toContain('npm run build');
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production/m);
  });

  it('runs as a non-root user and checks readiness', () => {
    const runtime = stages[1];
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\\\n.*\/readyz/m);
  });

  it('is what docker-compose runs, in production, with the secrets production requires', () => {
    const { app } = compose.services;
    expect(app.build).toBe('.');
    expect(app.environment.NODE_ENV).toBe('production');
    // Production on PostgreSQL refuses to start without them: compose asks for them up front.
    expect(app.environment.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
    expect(app.environment.AURA_DATA_KEY).toMatch(/^\$\{AURA_DATA_KEY:\?/);
  });
});

describe('the production build', () => {
  let aura: AuraProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'aura-dist-'));
  afterAll(async () => {
    await aura?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('`npm start` builds to dist/ and runs it in production, on the embedded database with no secrets given', () => {
    const scripts = JSON.parse(read('package.json')).scripts;
    expect(scripts.prestart).toBe('npm run build');
    expect(scripts.start).toBe('NODE_ENV=${NODE_ENV:-production} node dist/main.js');
    expect(scripts.dev).toContain('src/main.ts');
  });

  it('builds, starts from dist/ on the embedded database and answers a query', async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    // The data files migrations import are compiled in.
    expect(existsSync(join(ROOT, 'dist', 'main.js'))).toBe(true);
    aura = startAuraProcess(await freePort(), { NODE_ENV: 'production', AURA_DATA_DIR: dataDir, AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1' }, 'built');
    await aura.ready();
    const post = (query: string, token?: string) =>
      fetch(aura!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) }).then((r) => r.json() as Promise<{ data: Record<string, any> }>);
    const login = await post('mutation { login(email: "admin@aura.test", password: "admin-password-1") { token } }');
    const me = await post('{ me { email role } disorders(first: 1) { totalCount } }', login.data.login.token);
    expect(me.data.me).toEqual({ email: 'admin@aura.test', role: 'ADMIN' });
    expect(me.data.disorders.totalCount).toBeGreaterThan(0);
    // Secrets were generated into the data dir: production on the embedded database needs none given.
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(true);
    // The pages read files besides JavaScript: the build carries them (the Docker image holds dist/ only).
    const origin = new URL(aura.url).origin;
    const explorer = await fetch(`${origin}/explorer`);
    expect([explorer.status, await explorer.text()]).toEqual([200, expect.stringContaining('query Me')]);
    const script = await fetch(`${origin}/dashboard/app.js`);
    expect([script.status, (await script.text()).length > 1000]).toEqual([200, true]);
  }, 240_000);
});
