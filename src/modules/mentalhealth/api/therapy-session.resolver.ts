import { inject, injectable } from 'inversify';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UserDirectoryToken, type UserSummary } from '../../../contracts/users';
import type { OperationContext } from '../../../platform/context';
import { connectionType, type Connection } from '../../../platform/gateway/connection';
import { PLATFORM } from '../../../platform/container';
import type { ServiceRegistry } from '../../../platform/registry';
import { maySeeNotes, refuseParticipants } from '../application/access';
import { MentalHealthStoreKey, type MentalHealthStore } from '../application/ports';
import { defineLoader, type LoaderDefinition } from '../../../platform/loaders';
import { Calendar } from '../application/calendar';
import { TherapySessions, type SessionStatistics } from '../application/therapy-sessions';
import type { TherapySession } from '../domain/therapy-session';
import { TherapySessionStatusEnum } from './enums';
import { ScheduleTherapySessionInput, SessionStatisticsType, TherapySessionType, UserRef } from './types';

export const TherapySessionConnection = connectionType('TherapySession', TherapySessionType);

@injectable()
@Resolver(() => TherapySessionType)
export class TherapySessionResolver {
  private readonly notesOf: LoaderDefinition<string, string | null>;

  constructor(
    @inject(TherapySessions) private readonly sessions: TherapySessions,
    @inject(Calendar) private readonly calendar: Calendar,
    @inject(PLATFORM.Registry) private readonly registry: ServiceRegistry,
    @inject(MentalHealthStoreKey) store: MentalHealthStore,
  ) {
    this.notesOf = defineLoader('mentalhealth.notesOfSession', async (op, ids: readonly string[]) => {
      const found = await store.repositories(op).sessions.findByIds(ids);
      return ids.map((id) => found.find((s) => s.id === id)?.notes ?? null);
    });
  }

  @Query(() => TherapySessionType, { nullable: true, description: "A session you take part in (admins: any); null if there is none or it is not yours" })
  therapySession(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string): Promise<TherapySession | null> {
    return this.sessions.get(op, id);
  }

  @Query(() => TherapySessionConnection, { description: 'Sessions you may read, by scheduledAt; patients see theirs, therapists theirs, admins all' })
  therapySessions(
    @Ctx() op: OperationContext,
    @Arg('status', () => TherapySessionStatusEnum, { nullable: true }) status: TherapySessionStatusEnum | null,
    @Arg('therapistId', () => ID, { nullable: true }) therapistId: string | null,
    @Arg('patientId', () => ID, { nullable: true }) patientId: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'scheduledAt >= from' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'scheduledAt < to' }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<TherapySession>> {
    return this.sessions.list(op, { status, therapistId, patientId, from, to, first, after });
  }

  @Query(() => [Date], { description: "Free start times on a date (YYYY-MM-DD, the therapist's time zone), on a 15-minute grid" })
  therapistAvailability(
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID) therapistId: string,
    @Arg('date', () => String) date: string,
    @Arg('durationMinutes', () => Int, { defaultValue: 60 }) durationMinutes: number,
  ): Promise<Date[]> {
    return this.calendar.availability(op, therapistId, date, durationMinutes);
  }

  @Query(() => SessionStatisticsType, { description: 'Counts and rates of sessions scheduled in [from, to); patients and therapists: their own' })
  sessionStatistics(
    @Ctx() op: OperationContext,
    @Arg('therapistId', () => ID, { nullable: true }) therapistId: string | null,
    @Arg('patientId', () => ID, { nullable: true }) patientId: string | null,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
  ): Promise<SessionStatistics> {
    return this.sessions.statistics(op, { therapistId, patientId, from, to });
  }

  @Mutation(() => TherapySessionType)
  scheduleTherapySession(
    @Ctx() op: OperationContext,
    @Arg('input', () => ScheduleTherapySessionInput) input: ScheduleTherapySessionInput,
  ): Promise<TherapySession> {
    return this.sessions.schedule(op, input);
  }

  @Mutation(() => TherapySessionType, { description: "The session's therapist: PENDING -> ACCEPTED" })
  acceptTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string): Promise<TherapySession> {
    return this.sessions.accept(op, id);
  }

  @Mutation(() => TherapySessionType, { description: "The session's therapist: PENDING or ACCEPTED -> REJECTED" })
  rejectTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<TherapySession> {
    return this.sessions.reject(op, id, reason);
  }

  @Mutation(() => TherapySessionType, { description: "The session's therapist: ACCEPTED -> IN_PROGRESS, from AURA_EARLY_START_MINUTES before scheduledAt" })
  startTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string): Promise<TherapySession> {
    return this.sessions.start(op, id);
  }

  @Mutation(() => TherapySessionType, { description: "The session's therapist: IN_PROGRESS -> COMPLETED; notes stay the therapist's alone" })
  endTherapySession(
    @Ctx() op: OperationContext,
    @Arg('id', () => ID) id: string,
    @Arg('summary', () => String, { nullable: true }) summary: string | null,
    @Arg('notes', () => String, { nullable: true }) notes: string | null,
  ): Promise<TherapySession> {
    return this.sessions.end(op, id, summary, notes);
  }

  @Mutation(() => TherapySessionType, { description: 'Either participant or an admin: PENDING or ACCEPTED -> CANCELLED' })
  cancelTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<TherapySession> {
    return this.sessions.cancel(op, id, reason);
  }

  @FieldResolver(() => UserRef, { description: 'Refused (FORBIDDEN) to analysts, who see sessions de-identified' })
  async therapist(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<UserSummary> {
    refuseParticipants(op.viewer);
    return this.registry.get(UserDirectoryToken).requireUser(op, session.therapistId);
  }

  @FieldResolver(() => UserRef, { description: 'Refused (FORBIDDEN) to analysts, who see sessions de-identified' })
  async patient(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<UserSummary> {
    refuseParticipants(op.viewer);
    return this.registry.get(UserDirectoryToken).requireUser(op, session.patientId);
  }

  @FieldResolver(() => String, { nullable: true, description: "Clinical notes: the session's therapist alone sees them" })
  async notes(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<string | null> {
    if (!maySeeNotes(op.viewer, session)) return null;
    // A session reached through another module (e.g. Invoice.session) arrives without its notes.
    return session.notes !== undefined ? session.notes : this.notesOf.load(op, session.id);
  }
}
