import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { RateLimitedError } from '../../src/platform/errors';
import { clientAddressOf } from '../../src/platform/http';
import { createLogger } from '../../src/platform/logger';
import { RateLimits } from '../../src/platform/rate-limits';

const policy = { points: 3, windowSeconds: 600, refusal: 'Too many tries' };

describe('rate limits (in process)', () => {
  let limits: RateLimits;
  beforeAll(async () => {
    limits = await RateLimits.create(undefined, createLogger('silent'));
  });
  afterAll(() => limits.close());

  it('lets a key spend its budget, then refuses it with the wait, leaving other keys alone', async () => {
    const limit = limits.define('unit.consume', policy);
    for (let i = 0; i < 3; i++) await limit.consume('alice');
    const refusal = await limit.consume('alice').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).message).toBe('Too many tries; try again in 10 minutes');
    expect((refusal as RateLimitedError).details.retryAfterSeconds).toBeGreaterThan(590);
    expect((refusal as RateLimitedError).details.retryAfterSeconds).toBeLessThanOrEqual(600);
    await expect(limit.consume('bob')).resolves.toBeUndefined();
  });

  it('checks without spending, counts failures without refusing, and resets', async () => {
    const limit = limits.define('unit.penalize', policy);
    for (let i = 0; i < 5; i++) await limit.check('carol');
    for (let i = 0; i < 2; i++) await limit.penalize('carol');
    await expect(limit.check('carol')).resolves.toBeUndefined();
    await limit.penalize('carol');
    await limit.penalize('carol'); // over the budget: still counted, never thrown
    await expect(limit.check('carol')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await limit.reset('carol');
    await expect(limit.check('carol')).resolves.toBeUndefined();
  });

  it('keeps budgets of different names apart and refuses a name twice', async () => {
    const first = limits.define('unit.first', policy);
    const second = limits.define('unit.second', policy);
    for (let i = 0; i < 3; i++) await first.penalize('dave');
    await expect(first.check('dave')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(second.check('dave')).resolves.toBeUndefined();
    expect(() => limits.define('unit.first', policy)).toThrow('already defined');
  });
});

describe('client address', () => {
  const request = (remoteAddress: string, forwardedFor?: string) =>
    ({ socket: { remoteAddress }, connection: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;
  const trustNone = proxyaddr.compile([]);
  const trustLoopback = proxyaddr.compile('loopback');

  it('is the peer of the socket when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddressOf(request('198.51.100.7', '203.0.113.1'), trustNone)).toBe('198.51.100.7');
  });

  it('is the nearest untrusted X-Forwarded-For entry behind trusted proxies', () => {
    expect(clientAddressOf(request('127.0.0.1', '203.0.113.1'), trustLoopback)).toBe('203.0.113.1');
    expect(clientAddressOf(request('127.0.0.1', '203.0.113.1, 198.51.100.2'), trustLoopback)).toBe('198.51.100.2');
    expect(clientAddressOf(request('198.51.100.7', '203.0.113.1'), trustLoopback)).toBe('198.51.100.7');
  });
});
