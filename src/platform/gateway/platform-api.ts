import { inject, injectable } from 'inversify';
import { JSONResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { EVENT_DESCRIPTIONS, type EventType } from '../../contracts/events';
import { requireAdmin } from '../auth';
import { InvalidInputError } from '../errors';
import { PLATFORM } from '../container';
import type { OperationContext } from '../context';
import { EventLog, type DeliveryStatus, type EventDelivery, type LoggedEvent } from '../event-log';
import { defineLoader } from '../loaders';
import { connectionType, PAGE_ARGS } from './connection';
import { describedEnum } from './described-enum';
import type { Connection } from '../paging';

enum DeliveryStatusEnum {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}
describedEnum(DeliveryStatusEnum, 'EventDeliveryStatus', 'Where the delivery of an event to one subscriber stands', {
  PENDING: 'Not delivered yet: waiting for its first attempt or for a retry at nextAttemptAt',
  DELIVERED: 'The subscriber handled it',
  DEAD: 'Gave up after AURA_EVENT_MAX_ATTEMPTS failed attempts (the dead-letter list); retryEventDelivery tries again',
});

/** USER_REGISTERED for UserRegistered: the GraphQL name of an event type. */
const kindName = (type: string): string => type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** The event types as a GraphQL enum: each value's internal value is the type recorded in the outbox. */
const DomainEventKind = Object.fromEntries(Object.keys(EVENT_DESCRIPTIONS).map((type) => [kindName(type), type])) as Record<string, EventType>;
describedEnum(
  DomainEventKind,
  'DomainEventKind',
  'What kind of thing happened: one value per event type the modules publish',
  Object.fromEntries(Object.entries(EVENT_DESCRIPTIONS).map(([type, description]) => [kindName(type), description])),
);

@ObjectType('EventDelivery', { simpleResolvers: true, description: 'The delivery of one event to one subscriber (a module handler, or GraphQL subscriptions)' })
class EventDeliveryType {
  @Field(() => ID, { description: 'The event delivered (DomainEvent.id)' })
  eventId!: string;
  @Field(() => String, { description: 'Who receives it: "<module>.<handler>" (e.g. billing.invoicing) or "graphql-subscriptions" for GraphQL subscriptions' })
  subscriber!: string;
  @Field(() => DeliveryStatusEnum, { description: 'Pending, delivered or dead' })
  status!: DeliveryStatus;
  @Field(() => Int, { description: 'Attempts made so far' })
  attempts!: number;
  @Field(() => Date, { description: 'When the next attempt is due (PENDING); the last due time otherwise' })
  nextAttemptAt!: Date;
  @Field(() => String, { nullable: true, description: "The last failed attempt's error message; null if none failed" })
  lastError!: string | null;
  @Field(() => Date, { nullable: true, description: 'When it was delivered; null until DELIVERED' })
  deliveredAt!: Date | null;
}

@ObjectType('DomainEvent', { simpleResolvers: true, description: 'Something that happened, as recorded in the outbox (append-only)' })
class DomainEventType {
  @Field(() => ID, { description: 'Stable id of the event (also its idempotency key for handlers)' })
  id!: string;
  @Field(() => String, { description: 'The event type, e.g. TherapySessionEnded', deprecationReason: 'Use kind (the DomainEventKind enum)' })
  type!: string;
  @Field(() => DomainEventKind, { description: 'What kind of thing happened' })
  get kind(): string {
    return this.type;
  }
  @Field(() => String, { description: 'The id of the entity the event is about (a user, session, interaction or invoice id)' })
  aggregateId!: string;
  @Field(() => JSONResolver, { description: 'The event data as recorded (no clinical text: summaries and reasons are never in events)' })
  payload!: unknown;
  @Field(() => Date, { description: 'When it happened (committed with the change it records)' })
  occurredAt!: Date;
}

const DomainEventConnection = connectionType('DomainEvent', DomainEventType);

const EVENT_LOG_REFUSAL = 'Only an admin may read the event log';

/** The platform's own piece of the graph: the event log and dead letters, for admins. */
@injectable()
@Resolver(() => DomainEventType)
export class PlatformResolver {
  private readonly deliveriesOf = defineLoader<string, EventDelivery[]>('platform.deliveries', (op, ids) => this.log.deliveriesOf(op.em, ids));

  constructor(@inject(PLATFORM.EventLog) private readonly log: EventLog) {}

  @Query(() => DomainEventConnection, { description: 'Admins: domain events in the order they were recorded' })
  domainEvents(
    @Ctx() op: OperationContext,
    @Arg('aggregateId', () => String, { nullable: true, description: 'Only events about this entity id' }) aggregateId: string | null,
    @Arg('type', () => String, { nullable: true, description: 'Only events of this type, e.g. TherapySessionEnded (kind is the typed form)' }) type: string | null,
    @Arg('kind', () => DomainEventKind, { nullable: true, description: 'Only events of this kind; with type too, both must name the same kind' }) kind: EventType | null,
    @Arg('from', () => Date, { nullable: true, description: 'occurredAt >= from' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'occurredAt < to' }) to: Date | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
  ): Promise<Connection<LoggedEvent>> {
    requireAdmin(op.viewer, EVENT_LOG_REFUSAL);
    if (kind && type && kind !== type) throw new InvalidInputError(`type ${type} and kind ${kindName(kind)} name different kinds`, { field: 'kind' });
    return this.log.events(op.em, { aggregateId, type: kind ?? type, from, to, first, after });
  }

  @Query(() => [EventDeliveryType], { description: 'Admins: deliveries in a status, oldest first (DEAD = the dead-letter list)' })
  eventDeliveries(
    @Ctx() op: OperationContext,
    @Arg('status', () => DeliveryStatusEnum, { description: 'The status to list (DEAD: the dead letters)' }) status: DeliveryStatus,
    @Arg('subscriber', () => String, { nullable: true, description: 'Only deliveries to this subscriber, e.g. billing.invoicing' }) subscriber: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'How many at most: default 20, capped at 100' }) first: number | null,
  ): Promise<EventDelivery[]> {
    requireAdmin(op.viewer, EVENT_LOG_REFUSAL);
    return this.log.deliveries(op.em, status, subscriber, first);
  }

  @Mutation(() => EventDeliveryType, { description: 'Admins: try a dead or waiting delivery again now' })
  async retryEventDelivery(
    @Ctx() op: OperationContext,
    @Arg('eventId', () => ID, { description: 'The event (DomainEvent.id)' }) eventId: string,
    @Arg('subscriber', () => String, { description: 'The subscriber whose delivery to retry, e.g. billing.invoicing' }) subscriber: string,
  ): Promise<EventDelivery> {
    requireAdmin(op.viewer, EVENT_LOG_REFUSAL);
    return op.em.transactional((tx) => this.log.retry(tx, eventId, subscriber));
  }

  @FieldResolver(() => [EventDeliveryType], { description: 'Its delivery to each subscriber that consumes it' })
  deliveries(@Root() event: LoggedEvent, @Ctx() op: OperationContext): Promise<EventDelivery[]> {
    return this.deliveriesOf.load(op, event.id);
  }
}
