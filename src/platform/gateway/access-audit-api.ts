import { inject, injectable } from 'inversify';
import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { AccessAction } from '../../contracts/access-audit';
import { ROLE_DESCRIPTION, ROLE_VALUES, type Role } from '../../contracts/users';
import { describedEnum } from './described-enum';
import { PlatformAccessAudit, type AccessRecord } from '../access-audit';
import { PLATFORM } from '../container';
import type { OperationContext } from '../context';
import { connectionType, PAGE_ARGS } from './connection';
import type { Connection } from '../paging';

enum AccessActionEnum {
  READ = 'READ',
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
}
describedEnum(AccessActionEnum, 'AccessAction', 'What was done to health information', {
  READ: 'Shown to the actor (once per resource and operation, or per subscription event)',
  CREATE: 'Created (a session booked, a chatbot message sent, an invoice issued)',
  UPDATE: 'Changed (a session moved through its lifecycle, an invoice paid or voided)',
});

/** The users module's Role, as the platform shows it (same values; composition checks they agree). */
enum ActorRoleEnum {
  PATIENT = 'PATIENT',
  THERAPIST = 'THERAPIST',
  ADMIN = 'ADMIN',
  ANALYST = 'ANALYST',
}
describedEnum(ActorRoleEnum, 'Role', ROLE_DESCRIPTION, ROLE_VALUES);

@ObjectType('AccessRecord', {
  simpleResolvers: true,
  description:
    'One access to health information (append-only, like a FHIR AuditEvent). Recorded: reads of a session\'s summary, notes or cancellation reason (per session shown), of chatbot interactions, of invoices, and of a patient\'s User by anyone but that patient; every change to a session, chatbot interaction or invoice',
})
class AccessRecordType {
  @Field(() => ID, { description: 'Increases with every record' })
  id!: string;
  @Field(() => Date, { description: 'When it was recorded (the database clock)' })
  at!: Date;
  @Field(() => ID, { description: 'Who read or changed it' })
  actorId!: string;
  @Field(() => ActorRoleEnum, { description: "The actor's role at the time" })
  actorRole!: Role;
  @Field(() => AccessActionEnum, { description: 'Read, created or changed' })
  action!: AccessAction;
  @Field(() => String, { description: 'The GraphQL type of what was accessed: TherapySession, ChatbotInteraction, Invoice or User (a patient profile)' })
  resourceType!: string;
  @Field(() => ID, { description: 'The id of what was accessed (a session, interaction, invoice or user id)' })
  resourceId!: string;
  @Field(() => ID, { nullable: true, description: 'The patient whose health information it is' })
  patientId!: string | null;
  @Field(() => String, { nullable: true, description: 'The request (X-Request-Id) or, for work an event caused, the event id' })
  requestId!: string | null;
}

const AccessRecordConnection = connectionType('AccessRecord', AccessRecordType);

/** The access audit, for admins (everything) and patients (what concerns them). */
@injectable()
@Resolver(() => AccessRecordType)
export class AccessAuditResolver {
  constructor(@inject(PLATFORM.AccessAudit) private readonly audit: PlatformAccessAudit) {}

  @Query(() => AccessRecordConnection, {
    description: 'Who read or changed health information, newest first. Admins: all records; a patient: only records whose patientId is themself; others: FORBIDDEN',
  })
  accessAudit(
    @Ctx() op: OperationContext,
    @Arg('patientId', () => ID, { nullable: true, description: 'Records about this patient (a patient may pass only their own id)' }) patientId: string | null,
    @Arg('actorId', () => ID, { nullable: true, description: 'Records of what this user did' }) actorId: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'at >= from' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'at < to' }) to: Date | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
  ): Promise<Connection<AccessRecord>> {
    return this.audit.list(op.em, op.viewer, { patientId, actorId, from, to, first, after });
  }
}
