import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/platform/logger';
import { RateLimits } from '../../src/platform/rate-limits';

/** Budgets on the real Redis (run with REDIS_URL, as .ci/run does); the in-process kind is unit-tested. */
const redisUrl = process.env.REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;
const log = createLogger('silent');
const policy = { points: 4, windowSeconds: 60, refusal: 'Too many tries' };

describeWithRedis('rate limits on Redis', () => {
  const prefix = `aura-test:${randomBytes(6).toString('hex')}`;
  const instances: RateLimits[] = [];
  const instance = async (url = redisUrl!) => {
    const limits = await RateLimits.create(url, log, prefix);
    instances.push(limits);
    return limits;
  };
  afterAll(async () => {
    await Promise.all(instances.map((limits) => limits.close()));
    // ioredis arms a 2 s disconnect timer for a stream that never opened; let it run out before jest leaves.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });

  it('shares one budget between instances', async () => {
    const [a, b] = [(await instance()).define('shared', policy), (await instance()).define('shared', policy)];
    await a.penalize('erin');
    await b.penalize('erin');
    await a.consume('erin');
    await expect(b.check('erin')).resolves.toBeUndefined();
    await b.consume('erin');
    await expect(a.check('erin')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(b.consume('erin')).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    await a.reset('erin');
    await expect(b.check('erin')).resolves.toBeUndefined();
  });

  it('falls back to counting in process while Redis is unreachable', async () => {
    const limit = (await instance('redis://127.0.0.1:1')).define('unreachable', policy);
    for (let i = 0; i < 4; i++) await limit.consume('frank');
    await expect(limit.consume('frank')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(limit.check('grace')).resolves.toBeUndefined();
  });
});
