import { inject, injectable } from 'inversify';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { TherapySessionDirectory, type TherapySessionSnapshot } from '../../../../contracts/mentalhealth';
import { AccessAudit } from '../../../../contracts/access-audit';
import { UserDirectory, type UserSummary } from '../../../../contracts/users';
import type { OperationContext } from '../../../../platform/context';
import { NotFoundError } from '../../../../platform/errors';
import { connectionType } from '../../../../platform/gateway/connection';
import type { Connection } from '../../../../platform/paging';
import { Billing } from '../../application/billing';
import type { Invoice } from '../../domain/invoice';
import type { SessionRate } from '../../domain/pricing';
import { InvoiceStatusEnum, InvoiceType, SessionRateType, TherapySessionRef, UserRef } from './types';

const InvoiceConnection = connectionType('Invoice', InvoiceType);

@injectable()
@Resolver(() => InvoiceType)
export class InvoiceResolver {
  constructor(
    @inject(Billing) private readonly billing: Billing,
    @inject(UserDirectory) private readonly users: UserDirectory,
    @inject(AccessAudit) private readonly audit: AccessAudit,
    @inject(TherapySessionDirectory) private readonly sessions: TherapySessionDirectory,
  ) {}

  @Query(() => InvoiceConnection, { description: 'Your invoices (as patient or therapist), newest first; admins: all' })
  invoices(
    @Ctx() op: OperationContext,
    @Arg('status', () => InvoiceStatusEnum, { nullable: true }) status: InvoiceStatusEnum | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<Invoice>> {
    return this.billing.invoices(op, status, first, after);
  }

  @Query(() => InvoiceType, { nullable: true, description: "Your invoice (as patient or therapist; admins: any); null if there is none or it is not yours" })
  invoice(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string): Promise<Invoice | null> {
    return this.billing.invoice(op, id);
  }

  @Mutation(() => SessionRateType, { description: "Sets the signed-in therapist's rate for a 60-minute session" })
  setSessionRate(
    @Ctx() op: OperationContext,
    @Arg('amountCents', () => Int) amountCents: number,
    @Arg('currency', () => String, { defaultValue: 'USD' }) currency: string,
  ): Promise<SessionRate> {
    return this.billing.setSessionRate(op, amountCents, currency);
  }

  @Mutation(() => InvoiceType, { description: "The invoice's patient or an admin: OPEN -> PAID, once" })
  payInvoice(
    @Ctx() op: OperationContext,
    @Arg('id', () => ID) id: string,
    @Arg('paymentReference', () => String) paymentReference: string,
  ): Promise<Invoice> {
    return this.billing.pay(op, id, paymentReference);
  }

  @Mutation(() => InvoiceType, { description: 'Admins: OPEN -> VOID' })
  voidInvoice(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<Invoice> {
    return this.billing.void(op, id, reason);
  }

  @FieldResolver(() => TherapySessionRef)
  async session(@Root() invoice: Invoice, @Ctx() op: OperationContext): Promise<TherapySessionSnapshot> {
    const session = await this.sessions.findById(op, invoice.sessionId);
    if (!session) throw new NotFoundError(`Session ${invoice.sessionId} no longer exists`);
    return session;
  }

  @FieldResolver(() => UserRef)
  patient(@Root() invoice: Invoice, @Ctx() op: OperationContext): Promise<UserSummary> {
    this.audit.readProfiles(op, [invoice.patientId]);
    return this.users.requireUser(op, invoice.patientId);
  }

  @FieldResolver(() => UserRef)
  therapist(@Root() invoice: Invoice, @Ctx() op: OperationContext): Promise<UserSummary> {
    return this.users.requireUser(op, invoice.therapistId);
  }
}
