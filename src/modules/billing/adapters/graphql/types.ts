import { Field, ID, Int, ObjectType } from 'type-graphql';
import { describedEnum } from '../../../../platform/gateway/described-enum';
import { CurrencyScalar } from '../../../../platform/gateway/scalars';

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
describedEnum(InvoiceStatusEnum, 'InvoiceStatus', 'Where an invoice is: OPEN until paid or voided', {
  OPEN: 'Issued and not yet paid',
  PAID: 'Paid by the patient (or marked paid by an admin); paidAt and paymentReference say when and how',
  VOID: 'Cancelled by an admin; nothing is owed',
});
describedEnum(InvoiceReasonEnum, 'InvoiceReason', 'Why an invoice was issued; a session has at most one invoice per reason', {
  SESSION_COMPLETED: 'The session was held (COMPLETED): its agreed price',
  LATE_CANCELLATION: 'The patient cancelled an accepted session less than 24 hours ahead: 50 % of the agreed price',
  NO_SHOW: 'The session passed without a start (NO_SHOW): AURA_NO_SHOW_FEE_PERCENT (default 100) of the agreed price',
});

/** The users module's User and the mentalhealth module's TherapySession, as billing extends them (key only). */
@ObjectType('User', { description: 'A person with an Aura account (owned by the users module; billing adds the session rate)' })
export class UserRef {
  @Field(() => ID, { description: "The user's id" })
  id!: string;
}

@ObjectType('TherapySession', { description: 'A therapy session (owned by the mentalhealth module; billing adds its invoice)' })
export class TherapySessionRef {
  @Field(() => ID, { description: "The session's id" })
  id!: string;
}

@ObjectType('Invoice', {
  simpleResolvers: true,
  description: "A bill for one session, to its patient; readable by the patient, the session's therapist and admins. Money is in integer cents of the currency",
})
export class InvoiceType {
  @Field(() => ID, { description: 'Stable id of the invoice; also a Node id (Query.node)' })
  id!: string;
  @Field(() => Int, { description: 'Amount owed, in integer minor units (cents) of currency' })
  amountCents!: number;
  @Field(() => String, { description: "ISO 4217; the therapist's rate currency", deprecationReason: 'Use currencyCode (typed Currency)' })
  currency!: string;
  @Field(() => CurrencyScalar, { description: "ISO 4217 code of amountCents (the therapist's rate currency at booking), e.g. USD" })
  get currencyCode(): string {
    return this.currency;
  }
  @Field(() => InvoiceStatusEnum, { description: 'OPEN, PAID or VOID' })
  status!: InvoiceStatusEnum;
  @Field(() => InvoiceReasonEnum, { description: 'Why it was issued' })
  reason!: InvoiceReasonEnum;
  @Field(() => Date, { description: 'When it was issued (when the session ended, was cancelled late or became a no-show)' })
  issuedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was paid; null unless PAID' })
  paidAt!: Date | null;
  @Field(() => String, { nullable: true, description: "The payer's reference given to payInvoice; null unless PAID" })
  paymentReference!: string | null;
}

@ObjectType('SessionRate', { simpleResolvers: true, description: 'Price of a 60-minute session; 30/45/90 minutes cost 0.6/0.8/1.5 times it' })
export class SessionRateType {
  @Field(() => Int, { description: 'Price of 60 minutes in integer minor units (cents) of currency' })
  amountCents!: number;
  @Field(() => String, { description: 'ISO 4217 code, e.g. "USD"', deprecationReason: 'Use currencyCode (typed Currency)' })
  currency!: string;
  @Field(() => CurrencyScalar, { description: 'ISO 4217 code of amountCents, e.g. USD' })
  get currencyCode(): string {
    return this.currency;
  }
}
