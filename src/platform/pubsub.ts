import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import Redis from 'ioredis';
import type { PubSub } from 'type-graphql';
import type { Logger } from './logger';

/** The PubSub behind GraphQL subscriptions: in process, or on Redis so every instance sees every event. */
export interface SubscriptionBus {
  pubSub: PubSub;
  close(): Promise<void>;
}

export function createSubscriptionBus(redisUrl: string | undefined, log: Logger): SubscriptionBus {
  if (!redisUrl) return { pubSub: createPubSub() as unknown as PubSub, close: async () => undefined };
  const publishClient = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  for (const client of [publishClient, subscribeClient]) client.on('error', (err) => log.warn({ err }, 'Redis connection error'));
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubSub: createPubSub({ eventTarget }) as unknown as PubSub,
    close: async () => {
      await Promise.all([publishClient, subscribeClient].map((client) => (client.status === 'wait' ? client.disconnect() : client.quit())));
    },
  };
}
