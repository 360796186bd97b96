import type { GraphQLResolveInfo } from 'graphql';
import { inject, injectable } from 'inversify';
import { Arg, Ctx, FieldResolver, Info, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { OperationContext } from '../../../platform/context';
import { PAGE_ARGS, selectsTotalCount } from '../../../platform/gateway/connection';
import type { Connection } from '../../../platform/paging';
import { defineLoader, type LoaderDefinition } from '../../../platform/loaders';
import { Calendar } from '../application/calendar';
import { TherapySessions } from '../application/therapy-sessions';
import type { TherapySession } from '../domain/therapy-session';
import type { WorkingHoursEntry } from '../domain/working-hours';
import { TherapySessionStatusEnum } from './enums';
import { TherapySessionConnection } from './therapy-session.resolver';
import { UserRef, WorkingHoursInput, WorkingHoursType } from './types';

/** What this module adds to the users module's User, resolved from the user's id alone. */
@injectable()
@Resolver(() => UserRef)
export class UserExtensionResolver {
  private readonly hoursOf: LoaderDefinition<string, WorkingHoursEntry[]>;

  constructor(
    @inject(TherapySessions) private readonly sessions: TherapySessions,
    @inject(Calendar) private readonly calendar: Calendar,
  ) {
    this.hoursOf = defineLoader('mentalhealth.workingHours', (op, ids) => this.calendar.workingHoursOf(op, ids));
  }

  @FieldResolver(() => TherapySessionConnection, { description: "This user's sessions (as therapist or patient) that you may read" })
  therapySessions(
    @Root() user: UserRef,
    @Ctx() op: OperationContext,
    @Arg('status', () => TherapySessionStatusEnum, { nullable: true, description: 'Only sessions in this status' }) status: TherapySessionStatusEnum | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<TherapySession>> {
    return this.sessions.list(op, { participantId: user.id, status, first, after, withTotal: selectsTotalCount(info) });
  }

  @FieldResolver(() => [WorkingHoursType], { description: "A therapist's weekly hours (Mon-Fri 09:00-17:00 until set); [] for others" })
  workingHours(@Root() user: UserRef, @Ctx() op: OperationContext): Promise<WorkingHoursEntry[]> {
    return this.hoursOf.load(op, user.id);
  }

  @Mutation(() => [WorkingHoursType], { description: "Replaces the signed-in therapist's weekly hours; [] = not available" })
  setWorkingHours(@Ctx() op: OperationContext, @Arg('hours', () => [WorkingHoursInput], { description: 'The complete new week: replaces every earlier window' }) hours: WorkingHoursInput[]): Promise<WorkingHoursEntry[]> {
    return this.calendar.setWorkingHours(op, hours);
  }
}
