import { injectable } from 'inversify';
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { DomainEvent } from '../../../contracts/events';
import { renewForEvent, type OperationContext } from '../../../platform/context';
import { mayFollowSession } from '../application/access';
import { EVENT_TYPE_OF, SESSION_EVENT_OF } from '../application/session-events';
import type { SessionEventType } from '../domain/therapy-session';
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
  @Subscription(() => TherapySessionEventType, { topics: EVENT_TYPE_OF.STARTED, filter: visible })
  therapySessionStarted(
    @Root() event: SessionEvent,
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true }) _therapistId: string | null,
  ) {
    return this.present(event, op);
  }

  @Subscription(() => TherapySessionEventType, { topics: EVENT_TYPE_OF.ENDED, filter: visible })
  therapySessionEnded(
    @Root() event: SessionEvent,
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true }) _therapistId: string | null,
  ) {
    return this.present(event, op);
  }

  @Subscription(() => TherapySessionEventType, { topics: ALL_TOPICS, filter: visible })
  therapySessionEvents(
    @Root() event: SessionEvent,
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true }) _therapistId: string | null,
    @Arg('types', () => [TherapySessionEventTypeEnum], { nullable: true }) _types: TherapySessionEventTypeEnum[] | null,
  ) {
    return this.present(event, op);
  }

  /**
   * The session as the event left it (a STARTED event shows it IN_PROGRESS even if it has ended
   * since). Each event gets its own EntityManager and loaders; notes load for the therapist alone;
   * analysts get it de-identified (the participant and text field resolvers refuse or null them).
   * Events carry no clinical text: the summary of an ENDED event and the reason of a CANCELLED or
   * REJECTED one are left undefined for the field resolvers to read (the session is final then).
   */
  private present(event: SessionEvent, op: OperationContext) {
    renewForEvent(op);
    const { session } = event.payload;
    const type = SESSION_EVENT_OF[event.type];
    return {
      type,
      occurredAt: new Date(event.occurredAt),
      session: {
        ...session,
        summary: type === 'ENDED' ? undefined : null,
        cancellationReason: type === 'CANCELLED' || type === 'REJECTED' ? undefined : null,
        scheduledAt: new Date(session.scheduledAt),
        endsAt: new Date(session.endsAt),
        startedAt: session.startedAt ? new Date(session.startedAt) : null,
        endedAt: session.endedAt ? new Date(session.endedAt) : null,
        createdAt: new Date(session.createdAt),
      },
    };
  }
}
