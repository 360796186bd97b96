import { inject, injectable } from 'inversify';
import type { AccessActor } from '../../../contracts/access-audit';
import type { DomainEvent } from '../../../contracts/events';
import type { HandlerContext } from '../../../platform/events';
import { Invoice, type InvoiceReason } from '../domain/invoice';
import { DEFAULT_RATE, isChargeableCancellation, lateCancellationFee, sessionPrice } from '../domain/pricing';
import { accessedInvoice } from './billing';
import { invoiceSnapshot } from './invoice-events';
import { BillingStoreKey, type BillingPorts, type BillingStore } from './ports';

/** An invoice issued by an event handler is attributed to whoever caused the event (ended or cancelled the session). */
const causeOf = (event: DomainEvent<'TherapySessionEnded' | 'TherapySessionCancelled'>): AccessActor => ({
  userId: event.payload.actorId,
  role: event.payload.actorRole,
});

/**
 * Billing learns about sessions from events only. Each handler runs in the transaction that
 * acknowledges its delivery; the unique (session, reason) makes a repeated delivery a no-op.
 */
@injectable()
export class Invoicing {
  constructor(@inject(BillingStoreKey) private readonly store: BillingStore) {}

  async onSessionEnded(event: DomainEvent<'TherapySessionEnded'>, ctx: HandlerContext): Promise<void> {
    const { session } = event.payload;
    const ports = this.store.ports(ctx);
    const rate = await this.rateOf(ports, session.therapistId);
    await this.issue(ports, causeOf(event), session, 'SESSION_COMPLETED', sessionPrice(rate, session.durationMinutes), rate.currency, event.occurredAt);
  }

  async onSessionCancelled(event: DomainEvent<'TherapySessionCancelled'>, ctx: HandlerContext): Promise<void> {
    const { session, previousStatus, actorId } = event.payload;
    const chargeable = isChargeableCancellation({
      previousStatus,
      cancelledById: actorId,
      patientId: session.patientId,
      scheduledAt: new Date(session.scheduledAt),
      cancelledAt: new Date(event.occurredAt),
    });
    if (!chargeable) return;
    const ports = this.store.ports(ctx);
    const rate = await this.rateOf(ports, session.therapistId);
    await this.issue(ports, causeOf(event), session, 'LATE_CANCELLATION', lateCancellationFee(rate, session.durationMinutes), rate.currency, event.occurredAt);
  }

  private async rateOf(ports: BillingPorts, therapistId: string) {
    return (await ports.rates.find([therapistId])).get(therapistId) ?? DEFAULT_RATE;
  }

  private async issue(
    ports: BillingPorts,
    cause: AccessActor,
    session: { id: string; patientId: string; therapistId: string },
    reason: InvoiceReason,
    amountCents: number,
    currency: string,
    at: Date,
  ): Promise<void> {
    const invoice = Invoice.issue(
      { sessionId: session.id, patientId: session.patientId, therapistId: session.therapistId, amountCents, currency, reason },
      new Date(at),
    );
    if (await ports.invoices.issue(invoice)) {
      await ports.events.record('InvoiceIssued', invoice.id, { invoice: invoiceSnapshot(invoice) }, invoice.issuedAt);
      await ports.audit.record('CREATE', [accessedInvoice(invoice)], cause);
    }
  }
}
