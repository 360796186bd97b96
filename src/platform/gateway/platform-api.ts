import { inject, injectable } from 'inversify';
import { JSONResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { requireAdmin } from '../auth';
import { PLATFORM } from '../container';
import type { OperationContext } from '../context';
import { EventLog, type DeliveryStatus, type EventDelivery, type LoggedEvent } from '../event-log';
import { defineLoader } from '../loaders';
import { connectionType, PAGE_ARGS } from './connection';
import type { Connection } from '../paging';

enum DeliveryStatusEnum {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}
registerEnumType(DeliveryStatusEnum, { name: 'EventDeliveryStatus', description: 'DEAD: gave up after AURA_EVENT_MAX_ATTEMPTS; retryable' });

@ObjectType('EventDelivery', { simpleResolvers: true, description: 'The delivery of one event to one subscriber (a module handler, or GraphQL subscriptions)' })
class EventDeliveryType {
  @Field(() => ID)
  eventId!: string;
  @Field(() => String)
  subscriber!: string;
  @Field(() => DeliveryStatusEnum)
  status!: DeliveryStatus;
  @Field(() => Int)
  attempts!: number;
  @Field(() => Date)
  nextAttemptAt!: Date;
  @Field(() => String, { nullable: true })
  lastError!: string | null;
  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}

@ObjectType('DomainEvent', { simpleResolvers: true, description: 'Something that happened, as recorded in the outbox (append-only)' })
class DomainEventType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  type!: string;
  @Field(() => String)
  aggregateId!: string;
  @Field(() => JSONResolver)
  payload!: unknown;
  @Field(() => Date)
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
    @Arg('aggregateId', () => String, { nullable: true }) aggregateId: string | null,
    @Arg('type', () => String, { nullable: true, description: 'e.g. TherapySessionEnded' }) type: string | null,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
  ): Promise<Connection<LoggedEvent>> {
    requireAdmin(op.viewer, EVENT_LOG_REFUSAL);
    return this.log.events(op.em, { aggregateId, type, from, to, first, after });
  }

  @Query(() => [EventDeliveryType], { description: 'Admins: deliveries in a status, oldest first (DEAD = the dead-letter list)' })
  eventDeliveries(
    @Ctx() op: OperationContext,
    @Arg('status', () => DeliveryStatusEnum) status: DeliveryStatus,
    @Arg('subscriber', () => String, { nullable: true }) subscriber: string | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
  ): Promise<EventDelivery[]> {
    requireAdmin(op.viewer, EVENT_LOG_REFUSAL);
    return this.log.deliveries(op.em, status, subscriber, first);
  }

  @Mutation(() => EventDeliveryType, { description: 'Admins: try a dead or waiting delivery again now' })
  async retryEventDelivery(
    @Ctx() op: OperationContext,
    @Arg('eventId', () => ID) eventId: string,
    @Arg('subscriber', () => String) subscriber: string,
  ): Promise<EventDelivery> {
    requireAdmin(op.viewer, EVENT_LOG_REFUSAL);
    return op.em.transactional((tx) => this.log.retry(tx, eventId, subscriber));
  }

  @FieldResolver(() => [EventDeliveryType])
  deliveries(@Root() event: LoggedEvent, @Ctx() op: OperationContext): Promise<EventDelivery[]> {
    return this.deliveriesOf.load(op, event.id);
  }
}
