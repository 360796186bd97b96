import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadSettings } from '../../src/config/env';

/** Data dirs the settings write their generated keys into; removed after the file. */
const made: string[] = [];
const dir = () => {
  const path = mkdtempSync(join(tmpdir(), 'aura-env-'));
  made.push(path);
  return path;
};
afterAll(() => {
  for (const path of made) rmSync(path, { recursive: true, force: true });
});

describe('settings', () => {
  it('has the documented defaults', () => {
    const settings = loadSettings({ AURA_DATA_DIR: dir() });
    expect(settings).toMatchObject({
      port: 4000,
      databaseUrl: undefined,
      redisUrl: undefined,
      minLeadMinutes: 60,
      maxSessionsPerDay: 8,
      earlyStartMinutes: 15,
      noShowFeePercent: 100,
      introspection: true,
      modulesEnabled: undefined,
      loginMaxFailures: 5,
      authMaxPerAddress: 100,
      trustProxy: false,
    });
  });

  it('takes a no-show fee from 0 to 100 %', () => {
    expect(loadSettings({ AURA_DATA_DIR: dir(), AURA_NO_SHOW_FEE_PERCENT: '0' }).noShowFeePercent).toBe(0);
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_NO_SHOW_FEE_PERCENT: '101' })).toThrow('AURA_NO_SHOW_FEE_PERCENT must be a whole percentage from 0 to 100');
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_NO_SHOW_FEE_PERCENT: '50.5' })).toThrow(ConfigurationError);
  });

  it('trusts no proxy unless told: a hop count or addresses and subnets', () => {
    const trust = (value: string) => loadSettings({ AURA_DATA_DIR: dir(), AURA_TRUST_PROXY: value }).trustProxy;
    expect(trust('off')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => trust('10.0.0.0/99')).toThrow('AURA_TRUST_PROXY must be off, a hop count, or addresses/subnets');
    expect(() => trust('the proxy')).toThrow(ConfigurationError);
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_LOGIN_MAX_FAILURES: '0' })).toThrow('AURA_LOGIN_MAX_FAILURES must be an integer >= 1');
  });

  it('generates a JWT secret once outside production and keeps it private in the data dir', () => {
    const dataDir = dir();
    const first = loadSettings({ AURA_DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadSettings({ AURA_DATA_DIR: dataDir }).jwtSecret).toBe(first);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o077).toBe(0);
  });

  it('generates a data key once outside production, kept private beside the JWT secret', () => {
    const dataDir = dir();
    const first = loadSettings({ AURA_DATA_DIR: dataDir }).dataKeys;
    expect(first.current).toHaveLength(32);
    expect(first.previous).toEqual([]);
    expect(loadSettings({ AURA_DATA_DIR: dataDir }).dataKeys.current.equals(first.current)).toBe(true);
    expect(Buffer.from(readFileSync(join(dataDir, 'data-key'), 'utf8'), 'base64').equals(first.current)).toBe(true);
    expect(statSync(join(dataDir, 'data-key')).mode & 0o077).toBe(0);
  });

  it('reads AURA_DATA_KEY and AURA_DATA_KEYS_OLD, requires a key in production, and refuses bad or repeated keys', () => {
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const keys = loadSettings({ AURA_DATA_DIR: dir(), AURA_DATA_KEY: a.toString('base64'), AURA_DATA_KEYS_OLD: `${b.toString('base64')}, ${c.toString('base64url')}` }).dataKeys;
    expect(keys.current.equals(a)).toBe(true);
    expect(keys.previous.map((key) => key.toString('hex'))).toEqual([b.toString('hex'), c.toString('hex')]);
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/aura', JWT_SECRET: 'x'.repeat(32), AURA_DATA_DIR: dir() };
    expect(() => loadSettings(production)).toThrow('AURA_DATA_KEY is required in production');
    expect(loadSettings({ ...production, AURA_DATA_KEY: a.toString('base64') }).dataKeys.current.equals(a)).toBe(true);
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_DATA_KEY: randomBytes(16).toString('base64') })).toThrow('AURA_DATA_KEY must be 32 random bytes in base64');
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_DATA_KEY: a.toString('base64'), AURA_DATA_KEYS_OLD: 'nope' })).toThrow('AURA_DATA_KEYS_OLD (key 1) must be 32 random bytes');
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_DATA_KEY: a.toString('base64'), AURA_DATA_KEYS_OLD: a.toString('base64') })).toThrow(ConfigurationError);
  });

  it('requires JWT_SECRET in production on an external database', () => {
    expect(() => loadSettings({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/aura', AURA_DATA_DIR: dir() })).toThrow('JWT_SECRET is required in production');
    expect(() => loadSettings({ JWT_SECRET: 'short', AURA_DATA_DIR: dir() })).toThrow(ConfigurationError);
  });

  it('generates the secrets into the data dir in production on the embedded database (`npm ci && npm start`)', () => {
    const dataDir = dir();
    const settings = loadSettings({ NODE_ENV: 'production', AURA_DATA_DIR: dataDir });
    expect(settings.nodeEnv).toBe('production');
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(settings.jwtSecret);
    expect(loadSettings({ NODE_ENV: 'production', AURA_DATA_DIR: dataDir }).dataKeys.current.equals(settings.dataKeys.current)).toBe(true);
  });

  it('runs compiled execution unless AURA_JIT is off', () => {
    expect(loadSettings({ AURA_DATA_DIR: dir() }).jit).toBe(true);
    expect(loadSettings({ AURA_DATA_DIR: dir(), AURA_JIT: 'off' }).jit).toBe(false);
  });

  it('reads switches, lists and numbers, refusing nonsense', () => {
    const settings = loadSettings({ AURA_DATA_DIR: dir(), AURA_INTROSPECTION: 'off', AURA_MODULES_ENABLED: 'users, billing', PORT: '8080' });
    expect(settings).toMatchObject({ introspection: false, modulesEnabled: ['users', 'billing'], port: 8080 });
    expect(loadSettings({ AURA_DATA_DIR: dir(), AURA_MODULES_ENABLED: 'all' }).modulesEnabled).toBeUndefined();
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_INTROSPECTION: 'maybe' })).toThrow('AURA_INTROSPECTION must be on or off');
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_MAX_SESSIONS_PER_DAY: '0' })).toThrow(ConfigurationError);
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), PORT: 'eighty' })).toThrow('PORT must be an integer');
  });

  it('reads the operation limits, with the defaults of API.md', () => {
    expect(loadSettings({ AURA_DATA_DIR: dir() })).toMatchObject({ maxTokens: 2000, maxAliases: 30, maxQueryDepth: 12, maxCost: 5000, maxSubscriptionsPerSocket: 20 });
    expect(loadSettings({ AURA_DATA_DIR: dir(), AURA_MAX_COST: '800', AURA_MAX_ALIASES: '0' })).toMatchObject({ maxCost: 800, maxAliases: 0 });
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_MAX_TOKENS: '10' })).toThrow('AURA_MAX_TOKENS must be an integer >= 100');
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_MAX_SUBSCRIPTIONS_PER_SOCKET: '0' })).toThrow(ConfigurationError);
  });

  it('wants the admin email and password together', () => {
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), AURA_ADMIN_EMAIL: 'a@b.co' })).toThrow('must be set together');
  });

  it('reports every bad variable at once, one line each, without echoing secrets', () => {
    let error: unknown;
    try {
      loadSettings({ AURA_DATA_DIR: dir(), PORT: 'eighty', LOG_LEVEL: 'verbose', JWT_SECRET: 'short-secret', AURA_METRICS: 'sometimes', DATABASE_URL: 'mysql://u:hunter2@db/x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems } = error as ConfigurationError;
    expect(problems).toEqual([
      'PORT must be an integer >= 0, got "eighty"',
      'DATABASE_URL must be a postgresql or postgres URL',
      'JWT_SECRET must be at least 32 characters',
      'AURA_METRICS must be on or off, got "sometimes"',
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "verbose"',
    ]);
    expect((error as Error).message.split('\n')).toEqual(problems);
    expect((error as Error).message).not.toMatch(/short-secret|hunter2/);
  });

  it('takes pino\'s levels, metrics on by default, and creates no database unless told', () => {
    expect(loadSettings({ AURA_DATA_DIR: dir(), LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(loadSettings({ AURA_DATA_DIR: dir() })).toMatchObject({ logLevel: 'info', metrics: true, createDatabase: false, otlpEndpoint: undefined });
    expect(loadSettings({ AURA_DATA_DIR: dir(), AURA_METRICS: 'off', AURA_CREATE_DATABASE: 'on' })).toMatchObject({ metrics: false, createDatabase: true });
    expect(() => loadSettings({ AURA_DATA_DIR: dir(), OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT must be a http or https URL');
  });
});
