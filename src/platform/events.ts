import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuraEventMap, DomainEvent, EventType } from '../contracts/events';
import type { OperationContext } from './context';
import { textArrayLiteral } from './direct-sql';
import { carry } from './transaction-wire';

/** What a handler gets: the event's transaction (its writes commit with the delivery) and a recorder for follow-up events. */
export interface HandlerContext extends OperationContext {
  readonly events: EventRecorder;
}

export type EventHandler<T extends EventType> = (event: DomainEvent<T>, ctx: HandlerContext) => Promise<void>;

/**
 * A handler of runs of events: the due deliveries of one dispatcher batch for its subscriber, in
 * sequence order (so in order per aggregate), applied together in one savepoint. It must give the
 * same result as applying them one by one: when it fails, the dispatcher applies each event alone
 * (a one-event run) so a bad event holds back only its own aggregate.
 */
export type BatchEventHandler = (events: DomainEvent[], ctx: HandlerContext) => Promise<void>;

/** Work a module runs on the dispatcher's schedule, with an operation context of its own (no viewer). */
export type PeriodicJob = (op: OperationContext) => Promise<unknown>;

/** Records events in the caller's transaction: they exist exactly when the change they describe commits. */
export interface EventRecorder {
  /**
   * `occurredAt` defaults to now; pass the domain's own time (its clock) when it has one. In a
   * transaction the event is written with the transaction's next statement (at the latest its
   * COMMIT), and its `seq` is set then; a failed write fails that statement, so the change rolls back.
   */
  record<T extends EventType>(type: T, aggregateId: string, payload: AuraEventMap[T], occurredAt?: Date): Promise<DomainEvent<T>>;
}

/**
 * The asynchronous channel between modules (ARCHITECTURE rule 5). Publishers record events in
 * the transaction of their change (the outbox); the dispatcher delivers committed events to
 * every subscriber, at least once, in order per aggregate, and to GraphQL subscriptions.
 */
export interface EventBus {
  /** A subscriber (named; the name keys its deliveries) receives every event of the type. */
  subscribe<T extends EventType>(type: T, subscriber: string, handler: EventHandler<T>): void;
  /** A subscriber (named) that receives every event of these types in runs (see BatchEventHandler). */
  subscribeBatch(types: readonly EventType[], subscriber: string, handler: BatchEventHandler): void;
  recorder(em: EntityManager): EventRecorder;
  /**
   * Runs `job` on every instance at each dispatcher poll (AURA_EVENT_POLL_MS), never two runs of it at
   * once in one instance; it must be safe when instances run it together (e.g. row locks, SKIP LOCKED).
   */
  every(name: string, job: PeriodicJob): void;
  /** Resolves once every delivery that is due has been attempted (tests, shutdown). */
  settled(): Promise<void>;
}

/** The subscriber that fans every event out to GraphQL subscriptions. */
export const SUBSCRIPTIONS_SUBSCRIBER = 'graphql-subscriptions';

interface Registration {
  subscriber: string;
  handler: EventHandler<never>;
  /** Set for a subscriber that takes runs of events. */
  batch?: BatchEventHandler;
}

/** Which subscribers exist for which event types; shared by the recorder and the dispatcher. */
export class EventSubscriptions {
  private readonly byType = new Map<EventType, Registration[]>();

  add<T extends EventType>(type: T, subscriber: string, handler: EventHandler<T>): void {
    this.register(type, { subscriber, handler: handler as EventHandler<never> });
  }

  /** A subscriber is either per event or per run, for all its types: its runs mix its types. */
  addBatch(types: readonly EventType[], subscriber: string, batch: BatchEventHandler): void {
    if ([...this.byType.values()].flat().some((r) => r.subscriber === subscriber)) throw new Error(`${subscriber} already subscribes`);
    for (const type of types) this.register(type, { subscriber, handler: ((event, ctx) => batch([event], ctx)) as EventHandler<never>, batch });
  }

  private register(type: EventType, registration: Registration): void {
    const list = this.byType.get(type) ?? [];
    if (list.some((r) => r.subscriber === registration.subscriber)) throw new Error(`${registration.subscriber} already subscribes to ${type}`);
    list.push(registration);
    this.byType.set(type, list);
  }

  /** The run handler of a subscriber that takes runs, else undefined. */
  batchHandlerOf(subscriber: string): BatchEventHandler | undefined {
    for (const list of this.byType.values()) for (const r of list) if (r.subscriber === subscriber) return r.batch;
    return undefined;
  }

  subscribersOf(type: EventType): string[] {
    return [SUBSCRIPTIONS_SUBSCRIBER, ...(this.byType.get(type) ?? []).map((r) => r.subscriber)];
  }

  handlerOf(type: EventType, subscriber: string): EventHandler<never> | undefined {
    return this.byType.get(type)?.find((r) => r.subscriber === subscriber)?.handler;
  }

  allSubscribers(): string[] {
    return [SUBSCRIPTIONS_SUBSCRIBER, ...new Set([...this.byType.values()].flat().map((r) => r.subscriber))];
  }
}

/** An event as recorded in the outbox, with its sequence number (the order of the log). */
export interface RecordedEvent {
  seq: string;
  event: DomainEvent;
}

const RECORD_EVENT = `with recorded as (
    insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at) values (?, ?, ?, ?::jsonb, ?) returning seq)
  insert into platform.event_delivery (event_seq, subscriber, aggregate_id)
  select recorded.seq, subscriber, ? from recorded, unnest(?::text[]) as s(subscriber)
  returning event_seq as seq`;

/** Inserts the event and one pending delivery per subscriber, on the given (transactional) EntityManager. */
export class OutboxRecorder implements EventRecorder {
  constructor(
    private readonly em: EntityManager,
    private readonly subscriptions: EventSubscriptions,
    /** Told of each recorded event with the transaction it belongs to (undefined: already committed). */
    private readonly onRecorded: (transaction: unknown, recorded: RecordedEvent) => void,
  ) {}

  async record<T extends EventType>(type: T, aggregateId: string, payload: AuraEventMap[T], occurredAt = new Date()): Promise<DomainEvent<T>> {
    const event: DomainEvent<T> = { id: randomUUID(), type, aggregateId, occurredAt, payload };
    const json = JSON.stringify(payload);
    const transaction = this.em.getTransactionContext();
    // The event and its deliveries in one statement.
    const params = [event.id, type, aggregateId, json, event.occurredAt, aggregateId, textArrayLiteral(this.subscriptions.subscribersOf(type))];
    const sequenced = (rows: unknown[]) => {
      event.seq = String((rows as Array<{ seq: string }>)[0].seq);
      // Live subscribers get the payload as the outbox holds it (JSON), whichever path delivers it.
      this.onRecorded(transaction, { seq: event.seq, event: { ...event, payload: JSON.parse(json) } });
    };
    // In a transaction, it travels with the transaction's next statement (at the latest its COMMIT): no round trip of its own.
    if (transaction) carry(this.em, RECORD_EVENT, params, sequenced);
    else sequenced(await this.em.execute(RECORD_EVENT, params));
    return event;
  }
}
