import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { generateDataKey, keyIdOf, parseDataKey, type DataKeyring } from '../platform/data-cipher';

/** Every setting Aura reads from the environment, typed and defaulted in one place. */
export interface Settings {
  nodeEnv: string;
  port: number;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  jwtSecret: string;
  /** Encrypts clinical text at rest: AURA_DATA_KEY (current) and AURA_DATA_KEYS_OLD (decrypt only). */
  dataKeys: DataKeyring;
  tokenTtlSeconds: number;
  adminEmail?: string;
  adminPassword?: string;
  minLeadMinutes: number;
  maxSessionsPerDay: number;
  earlyStartMinutes: number;
  /** Share (0-100 %) of the agreed price billed when an accepted session passes without a start. */
  noShowFeePercent: number;
  /** Fewest distinct patients behind a reported analytics cell (AURA_ANALYTICS_MIN_CELL). */
  analyticsMinCell: number;
  /** Keys the analytics pseudonyms (HMAC): AURA_ANALYTICS_KEY, or generated once and kept in the data dir. */
  analyticsKey: string;
  introspection: boolean;
  modulesEnabled?: string[];
  logLevel: string;
  maxQueryDepth: number;
  maxTokens: number;
  maxAliases: number;
  maxCost: number;
  maxSubscriptionsPerSocket: number;
  eventPollMs: number;
  eventMaxAttempts: number;
  eventRetryBaseMs: number;
  loginMaxFailures: number;
  authMaxPerAddress: number;
  /** How often each instance checks its open sockets against their accounts (a lost account-change message). */
  accountCheckSeconds: number;
  /** Which proxies' X-Forwarded-For to believe (express "trust proxy"): none, a hop count, or addresses/subnets. */
  trustProxy: false | number | string[];
}

export class ConfigurationError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function percent(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value > 100) throw new ConfigurationError(`${name} must be a whole percentage from 0 to 100, got "${env[name]}"`);
  return value;
}

const OFF = ['off', 'false', '0', 'no'];

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (OFF.includes(raw)) return false;
  throw new ConfigurationError(`${name} must be on or off, got "${env[name]}"`);
}

function splitList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function list(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name]?.trim();
  if (!raw || raw === 'all') return undefined;
  return splitList(raw);
}

/** AURA_TRUST_PROXY: off (default), a number of proxy hops, or a comma-separated list of addresses, subnets, or loopback/linklocal/uniquelocal. */
function trustProxy(env: NodeJS.ProcessEnv): false | number | string[] {
  const raw = env.AURA_TRUST_PROXY?.trim();
  if (!raw || OFF.includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const addresses = splitList(raw);
  try {
    proxyaddr.compile(addresses);
  } catch (error) {
    throw new ConfigurationError(`AURA_TRUST_PROXY must be off, a hop count, or addresses/subnets: ${(error as Error).message}`);
  }
  return addresses;
}

/** Outside production an unset JWT_SECRET is generated once and kept in the data dir. */
function jwtSecret(env: NodeJS.ProcessEnv, nodeEnv: string, dataDir: string): string {
  const configured = env.JWT_SECRET;
  if (configured) {
    if (configured.length < 32) throw new ConfigurationError('JWT_SECRET must be at least 32 characters');
    return configured;
  }
  if (nodeEnv === 'production') throw new ConfigurationError('JWT_SECRET is required in production');
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** A stable pseudonym key: changing it changes every therapistKey, so it is generated once and kept. */
function analyticsKey(env: NodeJS.ProcessEnv, dataDir: string): string {
  const configured = env.AURA_ANALYTICS_KEY;
  if (configured) {
    if (configured.length < 32) throw new ConfigurationError('AURA_ANALYTICS_KEY must be at least 32 characters');
    return configured;
  }
  const file = join(dataDir, 'analytics-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(48).toString('base64url');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * AURA_DATA_KEY (32 bytes, base64) encrypts; AURA_DATA_KEYS_OLD (comma-separated) only decrypts, so
 * values written before a rotation stay readable until `npm run keys:rotate` re-encrypts them.
 * Outside production an unset key is generated once and kept in the data dir, beside the JWT secret.
 */
function dataKeys(env: NodeJS.ProcessEnv, nodeEnv: string, dataDir: string): DataKeyring {
  const parse = (raw: string, name: string) => {
    try {
      return parseDataKey(raw, name);
    } catch (error) {
      throw new ConfigurationError((error as Error).message);
    }
  };
  const previous = splitList(env.AURA_DATA_KEYS_OLD ?? '').map((raw, i) => parse(raw, `AURA_DATA_KEYS_OLD (key ${i + 1})`));
  let current: Buffer;
  if (env.AURA_DATA_KEY) {
    current = parse(env.AURA_DATA_KEY, 'AURA_DATA_KEY');
  } else if (nodeEnv === 'production') {
    throw new ConfigurationError('AURA_DATA_KEY is required in production');
  } else {
    const file = join(dataDir, 'data-key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      // Written aside, then linked into place: the file appears whole, and only once when
      // several processes start together on one data dir (the losers read the winner's key).
      const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(draft, generateDataKey(), { mode: 0o600 });
      try {
        linkSync(draft, file);
      } catch (error) {
        if (!existsSync(file)) throw error;
      } finally {
        unlinkSync(draft);
      }
    }
    current = parse(readFileSync(file, 'utf8'), file);
  }
  const ids = [current, ...previous].map(keyIdOf);
  if (new Set(ids).size !== ids.length) throw new ConfigurationError('AURA_DATA_KEYS_OLD repeats a key (or holds AURA_DATA_KEY)');
  return { current, previous };
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const nodeEnv = env.NODE_ENV || 'development';
  const dataDir = resolve(env.AURA_DATA_DIR || './.aura-data');
  const adminEmail = env.AURA_ADMIN_EMAIL || undefined;
  const adminPassword = env.AURA_ADMIN_PASSWORD || undefined;
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    throw new ConfigurationError('AURA_ADMIN_EMAIL and AURA_ADMIN_PASSWORD must be set together');
  }
  return {
    nodeEnv,
    port: integer(env, 'PORT', 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    redisUrl: env.REDIS_URL || undefined,
    jwtSecret: jwtSecret(env, nodeEnv, dataDir),
    dataKeys: dataKeys(env, nodeEnv, dataDir),
    tokenTtlSeconds: integer(env, 'AURA_TOKEN_TTL_SECONDS', 8 * 3600, 60),
    adminEmail,
    adminPassword,
    minLeadMinutes: integer(env, 'AURA_MIN_LEAD_MINUTES', 60),
    maxSessionsPerDay: integer(env, 'AURA_MAX_SESSIONS_PER_DAY', 8, 1),
    earlyStartMinutes: integer(env, 'AURA_EARLY_START_MINUTES', 15),
    noShowFeePercent: percent(env, 'AURA_NO_SHOW_FEE_PERCENT', 100),
    analyticsMinCell: integer(env, 'AURA_ANALYTICS_MIN_CELL', 11, 1),
    analyticsKey: analyticsKey(env, dataDir),
    introspection: flag(env, 'AURA_INTROSPECTION', true),
    modulesEnabled: list(env, 'AURA_MODULES_ENABLED'),
    logLevel: env.LOG_LEVEL || 'info',
    maxQueryDepth: integer(env, 'AURA_MAX_QUERY_DEPTH', 12, 2),
    maxTokens: integer(env, 'AURA_MAX_TOKENS', 2000, 100),
    maxAliases: integer(env, 'AURA_MAX_ALIASES', 30),
    maxCost: integer(env, 'AURA_MAX_COST', 5000, 1),
    maxSubscriptionsPerSocket: integer(env, 'AURA_MAX_SUBSCRIPTIONS_PER_SOCKET', 20, 1),
    eventPollMs: integer(env, 'AURA_EVENT_POLL_MS', 1000, 10),
    eventMaxAttempts: integer(env, 'AURA_EVENT_MAX_ATTEMPTS', 10, 1),
    eventRetryBaseMs: integer(env, 'AURA_EVENT_RETRY_BASE_MS', 1000, 1),
    loginMaxFailures: integer(env, 'AURA_LOGIN_MAX_FAILURES', 5, 1),
    accountCheckSeconds: integer(env, 'AURA_ACCOUNT_CHECK_SECONDS', 30, 1),
    authMaxPerAddress: integer(env, 'AURA_AUTH_MAX_PER_ADDRESS', 100, 1),
    trustProxy: trustProxy(env),
  };
}
