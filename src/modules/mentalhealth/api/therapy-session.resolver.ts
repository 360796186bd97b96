import type { GraphQLResolveInfo } from 'graphql';
import { inject, injectable } from 'inversify';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AccessAudit } from '../../../contracts/access-audit';
import type { OperationContext } from '../../../platform/context';
import { connectionType, PAGE_ARGS, selectsTotalCount } from '../../../platform/gateway/connection';
import type { Connection } from '../../../platform/paging';
import { reference, type EntityReference } from '../../../platform/references';
import { mayIdentifyParticipants, maySeeNotes, maySeeSession, refuseParticipants } from '../application/access';
import { Calendar } from '../application/calendar';
import { accessedSession, TherapySessions, type SessionStatistics } from '../application/therapy-sessions';
import type { Money, TherapySession } from '../domain/therapy-session';
import { TherapySessionStatusEnum } from './enums';
import { MoneyType, ScheduleTherapySessionInput, SessionStatisticsType, TherapySessionType, UserRef } from './types';

export const TherapySessionConnection = connectionType('TherapySession', TherapySessionType);

@injectable()
@Resolver(() => TherapySessionType)
export class TherapySessionResolver {
  constructor(
    @inject(TherapySessions) private readonly sessions: TherapySessions,
    @inject(Calendar) private readonly calendar: Calendar,
    @inject(AccessAudit) private readonly audit: AccessAudit,
  ) {}

  @Query(() => TherapySessionType, { nullable: true, description: "A session you take part in (admins: any); null if there is none or it is not yours" })
  therapySession(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The session id' }) id: string): Promise<TherapySession | null> {
    return this.sessions.get(op, id);
  }

  @Query(() => TherapySessionConnection, { description: 'Sessions you may read, by scheduledAt; patients see theirs, therapists theirs, admins all' })
  therapySessions(
    @Ctx() op: OperationContext,
    @Arg('status', () => TherapySessionStatusEnum, { nullable: true, description: 'Only sessions in this status' }) status: TherapySessionStatusEnum | null,
    @Arg('therapistId', () => ID, { nullable: true, description: 'Only sessions with this therapist (within what you may read)' }) therapistId: string | null,
    @Arg('patientId', () => ID, { nullable: true, description: 'Only sessions with this patient (within what you may read)' }) patientId: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'scheduledAt >= from' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'scheduledAt < to' }) to: Date | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<TherapySession>> {
    return this.sessions.list(op, { status, therapistId, patientId, from, to, first, after, withTotal: selectsTotalCount(info) });
  }

  @Query(() => [Date], { description: "Free start times on a date (YYYY-MM-DD, the therapist's time zone), on a 15-minute grid" })
  therapistAvailability(
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { description: 'The therapist whose calendar to read' }) therapistId: string,
    @Arg('date', () => String, { description: 'A day "YYYY-MM-DD" in the therapist\'s time zone' }) date: string,
    @Arg('durationMinutes', () => Int, { defaultValue: 60, description: 'Length of the wanted session: 30, 45, 60 or 90' }) durationMinutes: number,
  ): Promise<Date[]> {
    return this.calendar.availability(op, therapistId, date, durationMinutes);
  }

  @Query(() => SessionStatisticsType, { description: 'Counts and rates of sessions scheduled in [from, to); patients and therapists: their own' })
  sessionStatistics(
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true, description: 'Only sessions with this therapist (within what you may read)' }) therapistId: string | null,
    @Arg('patientId', () => ID, { nullable: true, description: 'Only sessions with this patient (within what you may read)' }) patientId: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'scheduledAt >= from; omitted: no lower bound' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'scheduledAt < to; omitted: no upper bound' }) to: Date | null,
  ): Promise<SessionStatistics> {
    return this.sessions.statistics(op, { therapistId, patientId, from, to });
  }

  @Mutation(() => TherapySessionType, {
    description: 'A patient books for themself (the therapist accepts); a therapist or admin proposes for a patient (the patient accepts)',
  })
  scheduleTherapySession(
    @Ctx() op: OperationContext,
    @Arg('input', () => ScheduleTherapySessionInput, { description: 'Who, when, how long and how' }) input: ScheduleTherapySessionInput,
  ): Promise<TherapySession> {
    return this.sessions.schedule(op, input);
  }

  @Mutation(() => TherapySessionType, {
    description: "PENDING -> ACCEPTED: the therapist accepts what the patient booked; the patient accepts what a therapist or admin proposed",
  })
  acceptTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The session id' }) id: string): Promise<TherapySession> {
    return this.sessions.accept(op, id);
  }

  @Mutation(() => TherapySessionType, { description: "The session's therapist: PENDING or ACCEPTED -> REJECTED" })
  rejectTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The session id' }) id: string, @Arg('reason', () => String, { description: 'Why, for the patient (kept as cancellationReason)' }) reason: string): Promise<TherapySession> {
    return this.sessions.reject(op, id, reason);
  }

  @Mutation(() => TherapySessionType, { description: "The session's therapist: ACCEPTED -> IN_PROGRESS, from AURA_EARLY_START_MINUTES before scheduledAt" })
  startTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The session id' }) id: string): Promise<TherapySession> {
    return this.sessions.start(op, id);
  }

  @Mutation(() => TherapySessionType, { description: "The session's therapist: IN_PROGRESS -> COMPLETED; notes stay the therapist's alone" })
  endTherapySession(
    @Ctx() op: OperationContext,
    @Arg('id', () => ID, { description: 'The session id' }) id: string,
    @Arg('summary', () => String, { nullable: true, description: 'What the participants (and admins) may read about the session' }) summary: string | null,
    @Arg('notes', () => String, { nullable: true, description: 'Clinical notes: readable by this therapist alone (stored encrypted)' }) notes: string | null,
  ): Promise<TherapySession> {
    return this.sessions.end(op, id, summary, notes);
  }

  @Mutation(() => TherapySessionType, {
    description: 'Either participant or an admin: PENDING or ACCEPTED -> CANCELLED; the patient not once an accepted session has begun (that is a no-show)',
  })
  cancelTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The session id' }) id: string, @Arg('reason', () => String, { description: 'Why, for the other participant (kept as cancellationReason)' }) reason: string): Promise<TherapySession> {
    return this.sessions.cancel(op, id, reason);
  }

  @FieldResolver(() => UserRef, { description: 'Refused (FORBIDDEN) to analysts, who see sessions de-identified' })
  therapist(@Root() session: TherapySession, @Ctx() op: OperationContext): EntityReference {
    refuseParticipants(op.viewer);
    return reference('User', session.therapistId);
  }

  @FieldResolver(() => UserRef, {
    nullable: true,
    description: 'The patient; null unless you are the patient, an admin, or a therapist in a care relationship with them (a proposal the patient has not accepted shows null); null for analysts, who see sessions de-identified',
  })
  patient(@Root() session: TherapySession, @Ctx() op: OperationContext): EntityReference | null {
    // Whether the viewer may see this person is the users module's rule; who took part is this module's.
    return mayIdentifyParticipants(op.viewer) ? reference('User', session.patientId) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "Clinical notes: the session's therapist alone sees them; every read is recorded (accessAudit)" })
  notes(@Root() session: TherapySession, @Ctx() op: OperationContext): string | null {
    return maySeeNotes(op.viewer, session) ? this.shown(op, session, session.notes) : null;
  }

  @FieldResolver(() => MoneyType, {
    nullable: true,
    description: "The price agreed at booking (the therapist's rate for its length then); invoices use it. Participants and admins; null for others",
  })
  price(@Root() session: TherapySession, @Ctx() op: OperationContext): Money | null {
    return maySeeSession(op.viewer, session) ? session.agreedPrice() : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Written by the therapist when the session ended; every read is recorded (accessAudit)' })
  summary(@Root() session: TherapySession, @Ctx() op: OperationContext): string | null {
    return mayIdentifyParticipants(op.viewer) ? this.shown(op, session, session.summary) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was cancelled or rejected; every read is recorded (accessAudit)' })
  cancellationReason(@Root() session: TherapySession, @Ctx() op: OperationContext): string | null {
    return mayIdentifyParticipants(op.viewer) ? this.shown(op, session, session.cancellationReason) : null;
  }

  /** Clinical text shown to the viewer is an access: one record per session and operation. */
  private shown(op: OperationContext, session: Pick<TherapySession, 'id' | 'patientId'>, text: string | null): string | null {
    if (text != null) this.audit.read(op, [accessedSession(session)]);
    return text;
  }
}
