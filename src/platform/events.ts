import { randomUUID } from 'node:crypto';
import type { AuraEventMap, DomainEvent, EventType } from '../contracts/events';
import type { PubSub } from 'type-graphql';
import type { Logger } from './logger';

export type EventHandler<T extends EventType> = (event: DomainEvent<T>) => Promise<void>;

/**
 * The asynchronous channel between modules. Publishers call it after their change has
 * committed; each subscriber (named, for logs) receives every event of its type.
 */
export interface EventBus {
  publish<T extends EventType>(type: T, aggregateId: string, payload: AuraEventMap[T]): Promise<DomainEvent<T>>;
  subscribe<T extends EventType>(type: T, subscriber: string, handler: EventHandler<T>): void;
  /** Resolves once every delivery started so far has finished. */
  settled(): Promise<void>;
}

interface Subscription {
  subscriber: string;
  handler: EventHandler<never>;
}

/**
 * Delivery to module handlers inside this process (after the publisher returns; failures are
 * logged), and to GraphQL subscriptions through the PubSub, whose topic is the event type.
 */
export class InProcessEventBus implements EventBus {
  private readonly subscriptions = new Map<EventType, Subscription[]>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly log: Logger,
    private readonly pubSub?: PubSub,
  ) {}

  subscribe<T extends EventType>(type: T, subscriber: string, handler: EventHandler<T>): void {
    const list = this.subscriptions.get(type) ?? [];
    list.push({ subscriber, handler: handler as EventHandler<never> });
    this.subscriptions.set(type, list);
  }

  async publish<T extends EventType>(type: T, aggregateId: string, payload: AuraEventMap[T]): Promise<DomainEvent<T>> {
    const event: DomainEvent<T> = { id: randomUUID(), type, aggregateId, occurredAt: new Date(), payload };
    this.pubSub?.publish(type, event);
    for (const { subscriber, handler } of this.subscriptions.get(type) ?? []) {
      const delivery = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => (handler as EventHandler<T>)(event))
        .catch((err: unknown) => this.log.error({ err, eventId: event.id, type, subscriber }, 'event handler failed'))
        .finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
    return event;
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
