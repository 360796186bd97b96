import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors';
import type { Logger } from './logger';
import { OutageLog } from './outage';

/** A budget: `points` attempts per key in a fixed window of `windowSeconds`. */
export interface LimitPolicy {
  points: number;
  windowSeconds: number;
  /** What the refused caller reads, e.g. "Too many failed sign-ins for this account". */
  refusal: string;
}

/**
 * One budget of attempts per key (an account, a client address). On Redis every instance shares
 * it; without Redis (or while Redis is unreachable) each instance counts for itself.
 */
export class RateLimit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly policy: LimitPolicy,
  ) {}

  /** RATE_LIMITED when the key's budget is spent; spends nothing. */
  async check(key: string): Promise<void> {
    const state = await this.limiter.get(key);
    if (state && state.consumedPoints >= this.policy.points) throw this.refuse(state);
  }

  /** Spends one attempt, or is RATE_LIMITED when none is left. */
  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw this.refuse(rejection);
      throw rejection;
    }
  }

  /** Counts one attempt after the fact (a failure), never refusing. */
  async penalize(key: string): Promise<void> {
    await this.limiter.penalty(key);
  }

  /** Gives the key its whole budget back (e.g. after a successful sign-in). */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }

  private refuse(state: RateLimiterRes): RateLimitedError {
    const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    return new RateLimitedError(`${this.policy.refusal}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, { retryAfterSeconds });
  }
}

/** Where budgets are kept: Redis with REDIS_URL (shared by every instance), else this process. */
export class RateLimits {
  private readonly names = new Set<string>();

  private constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix: string,
  ) {}

  /** Connects to Redis first when given one, so budgets are shared from the first request on. */
  static async create(redisUrl: string | undefined, log: Logger, prefix = 'aura:rate'): Promise<RateLimits> {
    if (!redisUrl) return new RateLimits(undefined, prefix);
    // No offline queue: while Redis is away, calls fail at once and the in-process insurance answers.
    // Loaded only with REDIS_URL: a start without Redis does not pay for the client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    const redis = new RedisClient(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const outage = new OutageLog(log, 'Redis (rate limits)', 'rate limits count in this process until it is back');
    redis.on('error', (err) => outage.failed(err)); // every reconnect attempt: logged once a minute at most
    redis.on('ready', () => outage.restored());
    await redis.connect().catch((err: unknown) => outage.failed(err));
    return new RateLimits(redis, prefix);
  }

  /** A named budget; names are unique so two limits never share counters by accident. */
  define(name: string, policy: LimitPolicy): RateLimit {
    if (this.names.has(name)) throw new Error(`Rate limit ${name} is already defined`);
    this.names.add(name);
    const options = { keyPrefix: `${this.prefix}:${name}`, points: policy.points, duration: policy.windowSeconds };
    const inProcess = new RateLimiterMemory(options);
    const limiter = this.redis ? new RateLimiterRedis({ ...options, storeClient: this.redis, insuranceLimiter: inProcess }) : inProcess;
    return new RateLimit(limiter, policy);
  }

  async close(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    // quit() lets pending replies arrive; a client that is still (re)connecting just stops trying.
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  }
}
