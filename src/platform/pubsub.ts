import { setMaxListeners } from 'node:events';
import { createPubSub } from '@graphql-yoga/subscription';
import type { default as Redis, RedisOptions } from 'ioredis';
import type { PubSub } from 'type-graphql';
import type { Logger } from './logger';
import { OutageLog } from './outage';
import { RecentIds } from './delivery-order';

/**
 * The id of a domain event being published (each event carries its own), so a receiver can drop a
 * repeat: an event can be published twice when its publish succeeded but the acknowledgement did
 * not commit (the database failed in between), and the dispatcher then sends it again.
 */
function eventIdOf(payload: unknown): string | undefined {
  const id = payload && typeof payload === 'object' ? (payload as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Passes an event's first sighting in this instance (by id), not a repeat. */
function firstSightings(): (payload: unknown) => boolean {
  const recent = new RecentIds();
  return (payload) => {
    const id = eventIdOf(payload);
    return id === undefined || recent.firstSighting(id);
  };
}

/** The PubSub behind GraphQL subscriptions: in process, or on Redis so every instance sees every event. */
export interface SubscriptionBus {
  /** What resolvers subscribe to (type-graphql). */
  pubSub: PubSub;
  /** Publishes to every instance's subscribers; rejects when that cannot be done now (Redis away). */
  publish(topic: string, payload: unknown): Promise<void>;
  /** Called whenever publishing becomes possible again after an outage (the dispatcher retries then). */
  onAvailable(listener: () => void): void;
  close(): Promise<void>;
}

/** The in-process event target: every live subscription is one listener, so no "possible leak" warning at 11. */
function unboundedEventTarget(): EventTarget {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target;
}

/** An in-process bus, or one over an existing PubSub (tests). */
export function inProcessBus(pubSub: PubSub = createPubSub({ eventTarget: unboundedEventTarget() as never }) as unknown as PubSub): SubscriptionBus {
  const isNew = firstSightings();
  return {
    pubSub,
    publish: async (topic, payload) => {
      if (isNew(payload)) pubSub.publish(topic, payload);
    },
    onAvailable: () => undefined,
    close: async () => undefined,
  };
}

/** The longest wait between reconnect attempts: every instance is back within it once Redis is. */
const MAX_RECONNECT_DELAY_MS = 1000;
/**
 * After Redis returns, publishing waits this long so every instance's subscriber connection has
 * resubscribed first (Redis pub/sub drops what is published before that).
 */
export const RESUBSCRIBE_GRACE_MS = 3 * MAX_RECONNECT_DELAY_MS;

const REDIS_OPTIONS: RedisOptions = {
  retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
};

function redisClient(url: string, options: RedisOptions, outage: OutageLog): Redis {
  // ioredis is loaded with the first Redis client: an instance without REDIS_URL never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
  const client = new RedisClient(url, { ...REDIS_OPTIONS, ...options });
  client.on('error', (err) => outage.failed(err));
  client.on('ready', () => outage.restored());
  return client;
}

/** What graphql-yoga's PubSub hands an event target: a callback that reads `event.detail`. */
type TopicEvent = { type: string; detail: unknown };
type TopicListener = ((event: TopicEvent) => void) | { handleEvent(event: TopicEvent): void };

/**
 * graphql-yoga's Redis event target, except that no Redis call is left to reject unhandled: a
 * SUBSCRIBE sent during an outage waits for the connection (and ioredis resubscribes every
 * channel after a reconnect), and a failure is logged. Publishing goes through the bus instead.
 */
function redisEventTarget(subscriber: Redis, log: Logger) {
  const listeners = new Map<string, Set<TopicListener>>();
  const failed = (operation: string) => (err: unknown) => log.warn({ err, operation }, 'Redis subscription command failed');
  const isNew = firstSightings();
  subscriber.on('message', (channel: string, message: string) => {
    const event: TopicEvent = { type: channel, detail: message === '' ? null : JSON.parse(message) };
    if (!isNew(event.detail)) return;
    for (const listener of listeners.get(channel) ?? []) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  });
  return {
    addEventListener(topic: string, listener: TopicListener | null) {
      if (!listener) return;
      let set = listeners.get(topic);
      if (!set) {
        listeners.set(topic, (set = new Set()));
        subscriber.subscribe(topic).catch(failed('subscribe'));
      }
      set.add(listener);
    },
    removeEventListener(topic: string, listener: TopicListener | null) {
      const set = listeners.get(topic);
      if (!listener || !set) return;
      set.delete(listener);
      if (set.size > 0) return;
      listeners.delete(topic);
      subscriber.unsubscribe(topic).catch(failed('unsubscribe'));
    },
    dispatchEvent(): boolean {
      throw new Error('Publish through SubscriptionBus.publish, which reports failures');
    },
  };
}

/**
 * With REDIS_URL, events are published on Redis and every instance (this one included) hears them
 * from there. A publish while Redis is away fails at once (no offline queue), so the outbox keeps
 * the delivery and retries it; nothing is left to reject unhandled.
 */
export function createSubscriptionBus(redisUrl: string | undefined, log: Logger): SubscriptionBus {
  if (!redisUrl) return inProcessBus();
  const effect = 'live events wait in the outbox until it returns';
  const publisher = redisClient(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 5000 }, new OutageLog(log, 'Redis (publishing)', effect));
  // Subscribing waits for the connection however long it takes.
  const subscriber = redisClient(redisUrl, { maxRetriesPerRequest: null }, new OutageLog(log, 'Redis (subscribing)', effect));
  const pubSub = createPubSub({ eventTarget: redisEventTarget(subscriber, log) as never }) as unknown as PubSub;

  const listeners: Array<() => void> = [];
  let availableAt = 0;
  let everReady = false;
  let grace: NodeJS.Timeout | undefined;
  publisher.on('ready', () => {
    // The first connection needs no grace: nobody can have missed anything yet.
    const wait = everReady ? RESUBSCRIBE_GRACE_MS : 0;
    everReady = true;
    availableAt = Date.now() + wait;
    clearTimeout(grace);
    grace = setTimeout(() => listeners.forEach((listener) => listener()), wait);
    grace.unref();
  });

  return {
    pubSub,
    async publish(topic, payload) {
      if (publisher.status !== 'ready') throw new Error(`Redis is unavailable (${publisher.status}); live event not published`);
      if (Date.now() < availableAt) throw new Error('Redis has just returned; waiting for subscribers to resubscribe');
      await publisher.publish(topic, JSON.stringify(payload));
    },
    onAvailable: (listener) => listeners.push(listener),
    close: async () => {
      clearTimeout(grace);
      // quit() lets pending replies arrive; a client that is still (re)connecting just stops trying.
      await Promise.all([publisher, subscriber].map((client) => (client.status === 'ready' ? client.quit().then(() => undefined, () => client.disconnect()) : client.disconnect())));
    },
  };
}
