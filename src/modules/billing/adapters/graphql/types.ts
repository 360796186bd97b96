import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum InvoiceStatusEnum {
  OPEN = 'OPEN',
  PAID = 'PAID',
  VOID = 'VOID',
}
export enum InvoiceReasonEnum {
  SESSION_COMPLETED = 'SESSION_COMPLETED',
  LATE_CANCELLATION = 'LATE_CANCELLATION',
  NO_SHOW = 'NO_SHOW',
}
registerEnumType(InvoiceStatusEnum, { name: 'InvoiceStatus' });
registerEnumType(InvoiceReasonEnum, {
  name: 'InvoiceReason',
  description: 'LATE_CANCELLATION: the patient cancelled an accepted session less than 24 hours ahead (50 %)',
  valuesConfig: { NO_SHOW: { description: 'The session passed without a start (NO_SHOW): AURA_NO_SHOW_FEE_PERCENT (default 100) of the agreed price' } },
});

/** The users module's User and the mentalhealth module's TherapySession, as billing extends them (key only). */
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType('TherapySession')
export class TherapySessionRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Invoice', { simpleResolvers: true, description: 'Money is in integer cents of the currency' })
export class InvoiceType {
  @Field(() => ID)
  id!: string;
  @Field(() => Int)
  amountCents!: number;
  @Field(() => String, { description: "ISO 4217; the therapist's rate currency" })
  currency!: string;
  @Field(() => InvoiceStatusEnum)
  status!: InvoiceStatusEnum;
  @Field(() => InvoiceReasonEnum)
  reason!: InvoiceReasonEnum;
  @Field(() => Date)
  issuedAt!: Date;
  @Field(() => Date, { nullable: true })
  paidAt!: Date | null;
  @Field(() => String, { nullable: true })
  paymentReference!: string | null;
}

@ObjectType('SessionRate', { simpleResolvers: true, description: 'Price of a 60-minute session; 30/45/90 minutes cost 0.6/0.8/1.5 times it' })
export class SessionRateType {
  @Field(() => Int)
  amountCents!: number;
  @Field(() => String)
  currency!: string;
}
