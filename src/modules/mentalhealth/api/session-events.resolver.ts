import { inject, injectable } from 'inversify';
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { DomainEvent } from '../../../contracts/events';
import { PLATFORM } from '../../../platform/container';
import { renewForEvent, type OperationContext } from '../../../platform/context';
import { NotFoundError } from '../../../platform/errors';
import { AFTER_ARGUMENT, AFTER_DESCRIPTION, liveEventCursor } from '../../../platform/live-events';
import { reference, type References } from '../../../platform/references';
import { mayFollowSession } from '../application/access';
import { asEventLeftIt, EVENT_TYPE_OF, SESSION_EVENT_OF } from '../application/session-events';
import type { SessionEventType, TherapySession } from '../domain/therapy-session';
import { TherapySessionEventTypeEnum } from './enums';
import { TherapySessionEventType } from './types';

type SessionEvent = DomainEvent<(typeof EVENT_TYPE_OF)[SessionEventType]>;

interface FilterData {
  payload: SessionEvent;
  args: { therapistId?: string | null; types?: SessionEventType[] | null };
  context: OperationContext;
}

/** Only events of sessions the subscriber may read, narrowed by therapistId and types. */
function visible({ payload, args, context }: FilterData): boolean {
  const { session } = payload.payload;
  if (!mayFollowSession(context.viewer, session)) return false;
  if (args.therapistId && args.therapistId !== session.therapistId) return false;
  return !args.types?.length || args.types.includes(SESSION_EVENT_OF[payload.type]);
}

const ALL_TOPICS = Object.values(EVENT_TYPE_OF);

/** Live session lifecycle events over graphql-ws, fed by the platform event bus after commit. */
@injectable()
@Resolver(() => TherapySessionEventType)
export class SessionEventsResolver {
  constructor(@inject(PLATFORM.References) private readonly references: References) {}

  @Subscription(() => TherapySessionEventType, {
    topics: EVENT_TYPE_OF.STARTED,
    filter: visible,
    description: 'Sessions you may read being started (ACCEPTED -> IN_PROGRESS): therapists their own, admins all, analysts all de-identified',
  })
  therapySessionStarted(
    @Root() event: SessionEvent,
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true, description: "Only this therapist's sessions" }) _therapistId: string | null,
    @Arg(AFTER_ARGUMENT, () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after: string | null,
  ) {
    return this.present(event, op);
  }

  @Subscription(() => TherapySessionEventType, {
    topics: EVENT_TYPE_OF.ENDED,
    filter: visible,
    description: 'Sessions you may read being ended (IN_PROGRESS -> COMPLETED): therapists their own, admins all, analysts all de-identified',
  })
  therapySessionEnded(
    @Root() event: SessionEvent,
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true, description: "Only this therapist's sessions" }) _therapistId: string | null,
    @Arg(AFTER_ARGUMENT, () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after: string | null,
  ) {
    return this.present(event, op);
  }

  @Subscription(() => TherapySessionEventType, {
    topics: ALL_TOPICS,
    filter: visible,
    description: 'Every lifecycle transition of the sessions you may read, in order: therapists their own, admins all, analysts all de-identified',
  })
  therapySessionEvents(
    @Root() event: SessionEvent,
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true, description: "Only this therapist's sessions" }) _therapistId: string | null,
    @Arg('types', () => [TherapySessionEventTypeEnum], { nullable: true, description: 'Only these transitions; omitted or []: all' }) _types: TherapySessionEventTypeEnum[] | null,
    @Arg(AFTER_ARGUMENT, () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after: string | null,
  ) {
    return this.present(event, op);
  }

  /**
   * Each event gets its own EntityManager and loaders, and its session is resolved like any
   * reference to it: read now, with this module's access rule for the subscriber, then shown as
   * the event left it. The field resolvers then treat it like any other session (notes for the
   * therapist alone; analysts get it de-identified).
   */
  private async present(event: SessionEvent, op: OperationContext) {
    renewForEvent(op);
    const { session: then } = event.payload;
    const type = SESSION_EVENT_OF[event.type];
    const session = await this.references.resolve<TherapySession>(op, reference('TherapySession', then.id));
    if (!session) throw new NotFoundError(`No TherapySession with id ${then.id}`);
    return { type, occurredAt: new Date(event.occurredAt), session: asEventLeftIt(session, type, then), cursor: liveEventCursor(event) };
  }
}
