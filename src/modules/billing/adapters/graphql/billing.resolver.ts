import { inject, injectable } from 'inversify';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { OperationContext } from '../../../../platform/context';
import { connectionType, PAGE_ARGS } from '../../../../platform/gateway/connection';
import type { Connection } from '../../../../platform/paging';
import { reference, type EntityReference } from '../../../../platform/references';
import { Billing } from '../../application/billing';
import type { Invoice } from '../../domain/invoice';
import type { SessionRate } from '../../domain/pricing';
import { InvoiceStatusEnum, InvoiceType, SessionRateType, TherapySessionRef, UserRef } from './types';

const InvoiceConnection = connectionType('Invoice', InvoiceType);

@injectable()
@Resolver(() => InvoiceType)
export class InvoiceResolver {
  constructor(@inject(Billing) private readonly billing: Billing) {}

  @Query(() => InvoiceConnection, { description: 'Your invoices (as patient or therapist), newest first; admins: all' })
  invoices(
    @Ctx() op: OperationContext,
    @Arg('status', () => InvoiceStatusEnum, { nullable: true, description: 'Only invoices in this status' }) status: InvoiceStatusEnum | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
  ): Promise<Connection<Invoice>> {
    return this.billing.invoices(op, status, first, after);
  }

  @Query(() => InvoiceType, { nullable: true, description: "Your invoice (as patient or therapist; admins: any); null if there is none or it is not yours" })
  invoice(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The invoice id' }) id: string): Promise<Invoice | null> {
    return this.billing.invoice(op, id);
  }

  @Mutation(() => SessionRateType, { description: "Sets the signed-in therapist's rate for a 60-minute session" })
  setSessionRate(
    @Ctx() op: OperationContext,
    @Arg('amountCents', () => Int, { description: 'Price of 60 minutes in integer cents: 1 to 1,000,000' }) amountCents: number,
    @Arg('currency', () => String, { defaultValue: 'USD', description: 'ISO 4217 code, e.g. "EUR"; applies to sessions booked from now on' }) currency: string,
  ): Promise<SessionRate> {
    return this.billing.setSessionRate(op, amountCents, currency);
  }

  @Mutation(() => InvoiceType, { description: "The invoice's patient or an admin: OPEN -> PAID, once" })
  payInvoice(
    @Ctx() op: OperationContext,
    @Arg('id', () => ID, { description: 'The invoice id' }) id: string,
    @Arg('paymentReference', () => String, { description: "The payment's reference (e.g. a transfer or card transaction id), kept on the invoice" }) paymentReference: string,
  ): Promise<Invoice> {
    return this.billing.pay(op, id, paymentReference);
  }

  @Mutation(() => InvoiceType, { description: 'Admins: OPEN -> VOID' })
  voidInvoice(
    @Ctx() op: OperationContext,
    @Arg('id', () => ID, { description: 'The invoice id' }) id: string,
    @Arg('reason', () => String, { description: 'Why it is voided, for the record' }) reason: string,
  ): Promise<Invoice> {
    return this.billing.void(op, id, reason);
  }

  @FieldResolver(() => TherapySessionRef, { description: 'The session billed' })
  session(@Root() invoice: Invoice): EntityReference {
    return reference('TherapySession', invoice.sessionId);
  }

  @FieldResolver(() => UserRef, {
    nullable: true,
    description: 'The patient billed; null for a therapist no longer in a care relationship with them (the users module decides)',
  })
  patient(@Root() invoice: Invoice): EntityReference {
    return reference('User', invoice.patientId);
  }

  @FieldResolver(() => UserRef, { description: 'The therapist who held (or would have held) the session' })
  therapist(@Root() invoice: Invoice): EntityReference {
    return reference('User', invoice.therapistId);
  }
}
