import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { generateDataKey, keyIdOf, parseDataKey, type DataKeyring } from '../platform/data-cipher';

/** Every setting Aura reads from the environment, typed and defaulted in one place. */
export interface Settings {
  nodeEnv: string;
  port: number;
  databaseUrl?: string;
  /** AURA_CREATE_DATABASE: create the database DATABASE_URL names when it does not exist (off: a startup error). */
  createDatabase: boolean;
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
  /** AURA_METRICS: serve Prometheus metrics at /metrics (on by default; keep it off the public network). */
  metrics: boolean;
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
  /** Deliveries the dispatcher claims and acknowledges per transaction. */
  eventBatchSize: number;
  /** Batches (transactions) one instance's dispatcher runs at once. */
  eventWorkers: number;
  loginMaxFailures: number;
  authMaxPerAddress: number;
  /** How often each instance checks its open sockets against their accounts (a lost account-change message). */
  accountCheckSeconds: number;
  /** Which proxies' X-Forwarded-For to believe (express "trust proxy"): none, a hop count, or addresses/subnets. */
  trustProxy: false | number | string[];
  /** OTEL_EXPORTER_OTLP_ENDPOINT: where traces go (OTLP/HTTP); unset, nothing is traced. */
  otlpEndpoint?: string;
  /** Browser origins allowed to call the API from another site (CORS); none by default. */
  corsOrigins: string[];
  /** Compiled execution (graphql-jit) of queries and mutations; off runs everything on graphql-js, for diagnosis. */
  jit: boolean;
}

/** Every bad variable, one line each: the service refuses to start and says all that is wrong at once. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A variable unset or empty takes its default. */
const unset = (raw: string | undefined): raw is undefined | '' => raw === undefined || raw.trim() === '';

function integer(name: string, fallback: number, min = 0) {
  return z.string().optional().transform((raw, ctx) => {
    if (unset(raw)) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min) return value;
    ctx.addIssue({ code: 'custom', message: `${name} must be an integer >= ${min}, got "${raw}"` });
    return z.NEVER;
  });
}

function percent(name: string, fallback: number) {
  return z.string().optional().transform((raw, ctx) => {
    if (unset(raw)) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= 0 && value <= 100) return value;
    ctx.addIssue({ code: 'custom', message: `${name} must be a whole percentage from 0 to 100, got "${raw}"` });
    return z.NEVER;
  });
}

const OFF = ['off', 'false', '0', 'no'];

function flag(name: string, fallback: boolean) {
  return z.string().optional().transform((raw, ctx) => {
    if (unset(raw)) return fallback;
    const value = raw.trim().toLowerCase();
    if (['on', 'true', '1', 'yes'].includes(value)) return true;
    if (OFF.includes(value)) return false;
    ctx.addIssue({ code: 'custom', message: `${name} must be on or off, got "${raw}"` });
    return z.NEVER;
  });
}

function splitList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A URL of one of the given schemes; the value is never echoed (it may hold a password). */
function url(name: string, schemes: string[]) {
  return z.string().optional().transform((raw, ctx) => {
    if (unset(raw)) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw.trim());
    } catch {
      // reported below
    }
    if (parsed && schemes.includes(parsed.protocol)) return raw.trim();
    ctx.addIssue({ code: 'custom', message: `${name} must be a ${schemes.map((s) => s.replace(/:$/, '')).join(' or ')} URL` });
    return z.NEVER;
  });
}

/** AURA_TRUST_PROXY: off (default), a number of proxy hops, or a comma-separated list of addresses, subnets, or loopback/linklocal/uniquelocal. */
const trustProxy = z.string().optional().transform((value, ctx): false | number | string[] => {
  const raw = value?.trim();
  if (!raw || OFF.includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const addresses = splitList(raw);
  try {
    proxyaddr.compile(addresses);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `AURA_TRUST_PROXY must be off, a hop count, or addresses/subnets: ${(error as Error).message}` });
    return z.NEVER;
  }
  return addresses;
});

/** One data key, or a comma-separated list of them; a bad key's message never quotes it. */
function keys(name: string, numbered: boolean) {
  return z.string().optional().transform((raw, ctx) => {
    const texts = unset(raw) ? [] : numbered ? splitList(raw) : [raw];
    const parsed: Buffer[] = [];
    texts.forEach((text, i) => {
      try {
        parsed.push(parseDataKey(text, numbered ? `${name} (key ${i + 1})` : name));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });
    return parsed;
  });
}

/** AURA_CORS_ORIGINS: comma-separated origins (scheme://host[:port]), each exactly as a browser sends it. */
const corsOrigins = z.string().optional().transform((value, ctx): string[] => {
  const origins = splitList(value ?? '');
  for (const raw of origins) {
    let origin: string | undefined;
    try {
      origin = new URL(raw).origin;
    } catch {
      // reported below
    }
    if (origin !== raw) ctx.addIssue({ code: 'custom', message: `AURA_CORS_ORIGINS must list origins like https://app.example.com (no path or trailing slash), got "${raw}"` });
  }
  return origins;
});

/** pino's level names, and `silent`. */
const LOG_LEVELS = [...Object.keys(pino.levels.values), 'silent'];

/** The environment as Aura reads it: each variable's rule, message and default. Rules across variables run once each variable is right. */
const environment = z
  .object({
    NODE_ENV: z.string().optional().transform((raw) => (unset(raw) ? 'development' : raw)),
    PORT: integer('PORT', 4000),
    DATABASE_URL: url('DATABASE_URL', ['postgresql:', 'postgres:']),
    AURA_CREATE_DATABASE: flag('AURA_CREATE_DATABASE', false),
    AURA_DATA_DIR: z.string().optional().transform((raw) => resolve(unset(raw) ? './.aura-data' : raw)),
    REDIS_URL: url('REDIS_URL', ['redis:', 'rediss:']),
    JWT_SECRET: z.string().optional().transform((raw, ctx) => {
      if (!raw) return undefined;
      if (raw.length >= 32) return raw;
      ctx.addIssue({ code: 'custom', message: 'JWT_SECRET must be at least 32 characters' });
      return z.NEVER;
    }),
    AURA_DATA_KEY: keys('AURA_DATA_KEY', false),
    AURA_DATA_KEYS_OLD: keys('AURA_DATA_KEYS_OLD', true),
    AURA_TOKEN_TTL_SECONDS: integer('AURA_TOKEN_TTL_SECONDS', 8 * 3600, 60),
    AURA_ADMIN_EMAIL: z.string().optional().transform((raw) => raw || undefined),
    AURA_ADMIN_PASSWORD: z.string().optional().transform((raw) => raw || undefined),
    AURA_MIN_LEAD_MINUTES: integer('AURA_MIN_LEAD_MINUTES', 60),
    AURA_MAX_SESSIONS_PER_DAY: integer('AURA_MAX_SESSIONS_PER_DAY', 8, 1),
    AURA_EARLY_START_MINUTES: integer('AURA_EARLY_START_MINUTES', 15),
    AURA_NO_SHOW_FEE_PERCENT: percent('AURA_NO_SHOW_FEE_PERCENT', 100),
    AURA_ANALYTICS_MIN_CELL: integer('AURA_ANALYTICS_MIN_CELL', 11, 1),
    AURA_ANALYTICS_KEY: z.string().optional().transform((raw, ctx) => {
      if (!raw) return undefined;
      if (raw.length >= 32) return raw;
      ctx.addIssue({ code: 'custom', message: 'AURA_ANALYTICS_KEY must be at least 32 characters' });
      return z.NEVER;
    }),
    AURA_INTROSPECTION: flag('AURA_INTROSPECTION', true),
    AURA_METRICS: flag('AURA_METRICS', true),
    AURA_MODULES_ENABLED: z.string().optional().transform((value) => {
      const raw = value?.trim();
      return !raw || raw === 'all' ? undefined : splitList(raw);
    }),
    LOG_LEVEL: z.string().optional().transform((raw, ctx) => {
      if (unset(raw)) return 'info';
      if (LOG_LEVELS.includes(raw.trim())) return raw.trim();
      ctx.addIssue({ code: 'custom', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"` });
      return z.NEVER;
    }),
    AURA_MAX_QUERY_DEPTH: integer('AURA_MAX_QUERY_DEPTH', 12, 2),
    AURA_MAX_TOKENS: integer('AURA_MAX_TOKENS', 2000, 100),
    AURA_MAX_ALIASES: integer('AURA_MAX_ALIASES', 30),
    AURA_MAX_COST: integer('AURA_MAX_COST', 5000, 1),
    AURA_MAX_SUBSCRIPTIONS_PER_SOCKET: integer('AURA_MAX_SUBSCRIPTIONS_PER_SOCKET', 20, 1),
    AURA_EVENT_POLL_MS: integer('AURA_EVENT_POLL_MS', 1000, 10),
    AURA_EVENT_MAX_ATTEMPTS: integer('AURA_EVENT_MAX_ATTEMPTS', 10, 1),
    AURA_EVENT_RETRY_BASE_MS: integer('AURA_EVENT_RETRY_BASE_MS', 1000, 1),
    AURA_EVENT_BATCH_SIZE: integer('AURA_EVENT_BATCH_SIZE', 200, 1),
    AURA_EVENT_WORKERS: integer('AURA_EVENT_WORKERS', 2, 1),
    AURA_LOGIN_MAX_FAILURES: integer('AURA_LOGIN_MAX_FAILURES', 5, 1),
    AURA_ACCOUNT_CHECK_SECONDS: integer('AURA_ACCOUNT_CHECK_SECONDS', 30, 1),
    AURA_AUTH_MAX_PER_ADDRESS: integer('AURA_AUTH_MAX_PER_ADDRESS', 100, 1),
    AURA_TRUST_PROXY: trustProxy,
    AURA_CORS_ORIGINS: corsOrigins,
    OTEL_EXPORTER_OTLP_ENDPOINT: url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
    AURA_JIT: flag('AURA_JIT', true),
  })
  .superRefine((env, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (Boolean(env.AURA_ADMIN_EMAIL) !== Boolean(env.AURA_ADMIN_PASSWORD)) problem('AURA_ADMIN_EMAIL and AURA_ADMIN_PASSWORD must be set together');
    // Production on an external database requires the secrets; on the embedded database (`npm ci && npm start`
    // on one machine) they are generated once into the data dir that holds the data.
    const secretsRequired = env.NODE_ENV === 'production' && Boolean(env.DATABASE_URL);
    if (secretsRequired && !env.JWT_SECRET) problem('JWT_SECRET is required in production on an external database');
    if (secretsRequired && env.AURA_DATA_KEY.length === 0) problem('AURA_DATA_KEY is required in production on an external database');
  });

/** Unless required (production on an external database), an unset JWT_SECRET is generated once and kept in the data dir. */
function jwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** A stable pseudonym key: changing it changes every therapistKey, so it is generated once and kept. */
function analyticsKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
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
 * Unless required (see secretsRequired), an unset key is generated once and kept in the data dir, beside the JWT secret.
 */
function dataKeys(configured: Buffer | undefined, previous: Buffer[], dataDir: string): DataKeyring {
  let current = configured;
  if (!current) {
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
    try {
      current = parseDataKey(readFileSync(file, 'utf8'), file);
    } catch (error) {
      throw new ConfigurationError([(error as Error).message]);
    }
  }
  const ids = [current, ...previous].map(keyIdOf);
  if (new Set(ids).size !== ids.length) throw new ConfigurationError(['AURA_DATA_KEYS_OLD repeats a key (or holds AURA_DATA_KEY)']);
  return { current, previous };
}

/** Reads and checks every setting; a ConfigurationError lists every bad variable, one line each. */
export function loadSettings(source: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = environment.safeParse(source);
  if (!parsed.success) throw new ConfigurationError(parsed.error.issues.map((issue) => issue.message));
  const env = parsed.data;
  const dataDir = env.AURA_DATA_DIR;
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    createDatabase: env.AURA_CREATE_DATABASE,
    dataDir,
    redisUrl: env.REDIS_URL,
    jwtSecret: jwtSecret(env.JWT_SECRET, dataDir),
    dataKeys: dataKeys(env.AURA_DATA_KEY[0], env.AURA_DATA_KEYS_OLD, dataDir),
    tokenTtlSeconds: env.AURA_TOKEN_TTL_SECONDS,
    adminEmail: env.AURA_ADMIN_EMAIL,
    adminPassword: env.AURA_ADMIN_PASSWORD,
    minLeadMinutes: env.AURA_MIN_LEAD_MINUTES,
    maxSessionsPerDay: env.AURA_MAX_SESSIONS_PER_DAY,
    earlyStartMinutes: env.AURA_EARLY_START_MINUTES,
    noShowFeePercent: env.AURA_NO_SHOW_FEE_PERCENT,
    introspection: env.AURA_INTROSPECTION,
    metrics: env.AURA_METRICS,
    modulesEnabled: env.AURA_MODULES_ENABLED,
    logLevel: env.LOG_LEVEL,
    maxQueryDepth: env.AURA_MAX_QUERY_DEPTH,
    maxTokens: env.AURA_MAX_TOKENS,
    maxAliases: env.AURA_MAX_ALIASES,
    maxCost: env.AURA_MAX_COST,
    maxSubscriptionsPerSocket: env.AURA_MAX_SUBSCRIPTIONS_PER_SOCKET,
    eventPollMs: env.AURA_EVENT_POLL_MS,
    eventMaxAttempts: env.AURA_EVENT_MAX_ATTEMPTS,
    eventRetryBaseMs: env.AURA_EVENT_RETRY_BASE_MS,
    eventBatchSize: env.AURA_EVENT_BATCH_SIZE,
    eventWorkers: env.AURA_EVENT_WORKERS,
    loginMaxFailures: env.AURA_LOGIN_MAX_FAILURES,
    accountCheckSeconds: env.AURA_ACCOUNT_CHECK_SECONDS,
    authMaxPerAddress: env.AURA_AUTH_MAX_PER_ADDRESS,
    trustProxy: env.AURA_TRUST_PROXY,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    corsOrigins: env.AURA_CORS_ORIGINS,
    jit: env.AURA_JIT,
    analyticsMinCell: env.AURA_ANALYTICS_MIN_CELL,
    analyticsKey: analyticsKey(env.AURA_ANALYTICS_KEY, dataDir),
  };
}
