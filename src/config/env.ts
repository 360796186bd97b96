import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import proxyaddr from 'proxy-addr';

/** Every setting Aura reads from the environment, typed and defaulted in one place. */
export interface Settings {
  nodeEnv: string;
  port: number;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  jwtSecret: string;
  tokenTtlSeconds: number;
  adminEmail?: string;
  adminPassword?: string;
  minLeadMinutes: number;
  maxSessionsPerDay: number;
  earlyStartMinutes: number;
  introspection: boolean;
  modulesEnabled?: string[];
  logLevel: string;
  maxQueryDepth: number;
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
    tokenTtlSeconds: integer(env, 'AURA_TOKEN_TTL_SECONDS', 8 * 3600, 60),
    adminEmail,
    adminPassword,
    minLeadMinutes: integer(env, 'AURA_MIN_LEAD_MINUTES', 60),
    maxSessionsPerDay: integer(env, 'AURA_MAX_SESSIONS_PER_DAY', 8, 1),
    earlyStartMinutes: integer(env, 'AURA_EARLY_START_MINUTES', 15),
    introspection: flag(env, 'AURA_INTROSPECTION', true),
    modulesEnabled: list(env, 'AURA_MODULES_ENABLED'),
    logLevel: env.LOG_LEVEL || 'info',
    maxQueryDepth: integer(env, 'AURA_MAX_QUERY_DEPTH', 12, 2),
    eventPollMs: integer(env, 'AURA_EVENT_POLL_MS', 1000, 10),
    eventMaxAttempts: integer(env, 'AURA_EVENT_MAX_ATTEMPTS', 10, 1),
    eventRetryBaseMs: integer(env, 'AURA_EVENT_RETRY_BASE_MS', 1000, 1),
    loginMaxFailures: integer(env, 'AURA_LOGIN_MAX_FAILURES', 5, 1),
    accountCheckSeconds: integer(env, 'AURA_ACCOUNT_CHECK_SECONDS', 30, 1),
    authMaxPerAddress: integer(env, 'AURA_AUTH_MAX_PER_ADDRESS', 100, 1),
    trustProxy: trustProxy(env),
  };
}
