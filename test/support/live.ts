import type { Client, FormattedExecutionResult } from 'graphql-ws';
import Redis from 'ioredis';
import { until } from './services';

/** Every result one subscription received (data and errors as sent); `next(n)` waits until n have arrived. */
export function follow(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
  const failures: unknown[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((resume) => resume());
  const dispose = client.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (result) => {
        results.push(result);
        wake();
      },
      error: (error) => {
        failures.push(error);
        wake();
      },
      complete: () => undefined,
    },
  );
  const next = async (count: number) => {
    while (results.length < count && failures.length === 0) await new Promise<void>((resume) => waiters.push(resume));
    if (failures.length) throw new Error(`subscription failed: ${JSON.stringify(failures)}`);
    return results;
  };
  return { results, failures, next, dispose };
}

/** Resolves once the client's socket is acknowledged. */
export const connected = (client: Client) =>
  new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('closed', (event) => reject(event));
  });

/** One unlabelled series of a server's /metrics. */
export async function metric(graphqlUrl: string, name: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace('/graphql', '/metrics'))).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
}

/**
 * Waits until each server runs its number of socket operations, and with Redis until Redis holds a
 * subscriber on every topic: an event published before then would be lost.
 */
export async function subscribed(expected: Array<[graphqlUrl: string, count: number]>, topics: string[], redisUrl?: string): Promise<void> {
  for (const [url, count] of expected) {
    await until(`${count} subscriptions to run on ${url}`, async () => (await metric(url, 'aura_subscriptions_active')) === count, 300_000, 20);
  }
  if (!redisUrl) return;
  const redis = new Redis(redisUrl);
  try {
    await until('Redis to hold a subscriber on every topic', async () => {
      const counts = (await redis.pubsub('NUMSUB', ...topics)) as Array<string | number>;
      return counts.filter((_, i) => i % 2 === 1).every((n) => Number(n) >= expected.length);
    }, 300_000, 20);
  } finally {
    redis.disconnect();
  }
}
