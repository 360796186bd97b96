import { inject, injectable } from 'inversify';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AccessAudit } from '../../../contracts/access-audit';
import { UserDirectory, type UserSummary } from '../../../contracts/users';
import type { OperationContext } from '../../../platform/context';
import { connectionType } from '../../../platform/gateway/connection';
import type { Connection } from '../../../platform/paging';
import { mayIdentifyParticipants, maySeeNotes, maySeeSession, refuseParticipants } from '../application/access';
import { MentalHealthStoreKey, type MentalHealthStore } from '../application/ports';
import { defineLoader, type LoaderDefinition } from '../../../platform/loaders';
import { Calendar } from '../application/calendar';
import { CareRelationships } from '../application/care-relationships';
import { accessedSession, TherapySessions, type SessionStatistics } from '../application/therapy-sessions';
import type { Money, TherapySession } from '../domain/therapy-session';
import type { TherapySessionEventSnapshot } from '../../../contracts/mentalhealth';
import { TherapySessionStatusEnum } from './enums';
import { MoneyType, ScheduleTherapySessionInput, SessionStatisticsType, TherapySessionType, UserRef } from './types';

export const TherapySessionConnection = connectionType('TherapySession', TherapySessionType);

@injectable()
@Resolver(() => TherapySessionType)
export class TherapySessionResolver {
  /** The stored session, for fields its root arrived without (notes, or the texts events don't carry). */
  private readonly storedSession: LoaderDefinition<string, TherapySession | null>;

  constructor(
    @inject(TherapySessions) private readonly sessions: TherapySessions,
    @inject(Calendar) private readonly calendar: Calendar,
    @inject(UserDirectory) private readonly users: UserDirectory,
    @inject(AccessAudit) private readonly audit: AccessAudit,
    @inject(MentalHealthStoreKey) store: MentalHealthStore,
    @inject(CareRelationships) private readonly care: CareRelationships,
  ) {
    this.storedSession = defineLoader('mentalhealth.storedSession', async (op, ids: readonly string[]) => {
      const found = await store.read(op).sessions.findByIds(ids);
      return ids.map((id) => found.find((s) => s.id === id) ?? null);
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

  @Mutation(() => TherapySessionType, {
    description: 'A patient books for themself (the therapist accepts); a therapist or admin proposes for a patient (the patient accepts)',
  })
  scheduleTherapySession(
    @Ctx() op: OperationContext,
    @Arg('input', () => ScheduleTherapySessionInput) input: ScheduleTherapySessionInput,
  ): Promise<TherapySession> {
    return this.sessions.schedule(op, input);
  }

  @Mutation(() => TherapySessionType, {
    description: "PENDING -> ACCEPTED: the therapist accepts what the patient booked; the patient accepts what a therapist or admin proposed",
  })
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

  @Mutation(() => TherapySessionType, {
    description: 'Either participant or an admin: PENDING or ACCEPTED -> CANCELLED; the patient not once an accepted session has begun (that is a no-show)',
  })
  cancelTherapySession(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<TherapySession> {
    return this.sessions.cancel(op, id, reason);
  }

  @FieldResolver(() => UserRef, { description: 'Refused (FORBIDDEN) to analysts, who see sessions de-identified' })
  async therapist(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<UserSummary> {
    refuseParticipants(op.viewer);
    return this.users.requireUser(op, session.therapistId);
  }

  @FieldResolver(() => UserRef, {
    nullable: true,
    description: 'The patient; null unless you are the patient, an admin, or a therapist in a care relationship with them (a proposal the patient has not accepted shows null); null for analysts, who see sessions de-identified',
  })
  async patient(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<UserSummary | null> {
    if (!(await this.care.mayReadProfile(op, session.patientId))) return null;
    this.audit.readProfiles(op, [session.patientId]);
    return this.users.requireUser(op, session.patientId);
  }

  @FieldResolver(() => String, { nullable: true, description: "Clinical notes: the session's therapist alone sees them; every read is recorded (accessAudit)" })
  async notes(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<string | null> {
    if (!maySeeNotes(op.viewer, session)) return null;
    // A session reached through another module (e.g. Invoice.session) arrives without its notes.
    const notes = session.notes !== undefined ? session.notes : ((await this.storedSession.load(op, session.id))?.notes ?? null);
    return this.shown(op, session, notes);
  }

  @FieldResolver(() => MoneyType, {
    nullable: true,
    description: "The price agreed at booking (the therapist's rate for its length then); invoices use it. Participants and admins; null for others",
  })
  async price(@Root() session: TherapySession | TherapySessionEventSnapshot, @Ctx() op: OperationContext): Promise<Money | null> {
    if (!maySeeSession(op.viewer, session)) return null;
    if ('agreedPrice' in session) return session.agreedPrice();
    // A session from an event carries its price (older events: none, so read it).
    if (session.price !== undefined) return session.price;
    return (await this.storedSession.load(op, session.id))?.agreedPrice() ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Written by the therapist when the session ended; every read is recorded (accessAudit)' })
  summary(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<string | null> {
    return this.clinicalText(op, session, 'summary');
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was cancelled or rejected; every read is recorded (accessAudit)' })
  cancellationReason(@Root() session: TherapySession, @Ctx() op: OperationContext): Promise<string | null> {
    return this.clinicalText(op, session, 'cancellationReason');
  }

  /**
   * A summary or reason: null for analysts (de-identified); read from the stored session when the
   * root arrived without it (events carry no clinical text); every showing recorded.
   */
  private async clinicalText(op: OperationContext, session: TherapySession, field: 'summary' | 'cancellationReason'): Promise<string | null> {
    if (!mayIdentifyParticipants(op.viewer)) return null;
    if (session[field] !== undefined) return this.shown(op, session, session[field]);
    const stored = maySeeSession(op.viewer, session) ? await this.storedSession.load(op, session.id) : null;
    return this.shown(op, session, stored?.[field]);
  }

  /** Clinical text shown to the viewer is an access: one record per session and operation. */
  private shown(op: OperationContext, session: Pick<TherapySession, 'id' | 'patientId'>, text: string | null | undefined): string | null {
    if (text != null) this.audit.read(op, [accessedSession(session)]);
    return text ?? null;
  }
}
