import { inject, injectable } from 'inversify';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { OperationContext } from '../../../../platform/context';
import { defineLoader, type LoaderDefinition } from '../../../../platform/loaders';
import { Billing } from '../../application/billing';
import type { Invoice } from '../../domain/invoice';
import type { SessionRate } from '../../domain/pricing';
import { InvoiceType, SessionRateType, TherapySessionRef, UserRef } from './types';

/** TherapySession.invoice, added to the mentalhealth module's type from its id alone. */
@injectable()
@Resolver(() => TherapySessionRef)
export class SessionInvoiceResolver {
  private readonly invoiceOf: LoaderDefinition<string, Invoice | null>;

  constructor(@inject(Billing) billing: Billing) {
    this.invoiceOf = defineLoader('billing.invoiceOfSession', (op, ids) => billing.invoicesOfSessions(op, ids));
  }

  @FieldResolver(() => InvoiceType, { nullable: true, description: "The session's latest invoice, if you may see it" })
  invoice(@Root() session: TherapySessionRef, @Ctx() op: OperationContext): Promise<Invoice | null> {
    return this.invoiceOf.load(op, session.id);
  }
}

/** User.sessionRate, added to the users module's type. */
@injectable()
@Resolver(() => UserRef)
export class UserRateResolver {
  private readonly rateOf: LoaderDefinition<string, SessionRate | null>;

  constructor(@inject(Billing) billing: Billing) {
    this.rateOf = defineLoader('billing.rateOfUser', (op, ids) => billing.ratesOf(op, ids));
  }

  @FieldResolver(() => SessionRateType, { nullable: true, description: "A therapist's rate (100.00 USD until set); null for others" })
  sessionRate(@Root() user: UserRef, @Ctx() op: OperationContext): Promise<SessionRate | null> {
    return this.rateOf.load(op, user.id);
  }
}
