import { inject, injectable } from 'inversify';
import type { Settings } from '../../../config/env';
import type { AccessActor } from '../../../contracts/access-audit';
import type { DomainEvent } from '../../../contracts/events';
import { TherapySessionDirectory, type TherapySessionChange } from '../../../contracts/mentalhealth';
import { PLATFORM } from '../../../platform/container';
import type { HandlerContext } from '../../../platform/events';
import type { ChangeRecorders } from '../../../platform/store-port';
import { Invoice, type InvoiceReason } from '../domain/invoice';
import { agreedPrice, DEFAULT_RATE, isChargeableCancellation, lateCancellationFee, noShowFee, type Money } from '../domain/pricing';
import { accessedInvoice } from './billing';
import { invoiceSnapshot } from './invoice-events';
import { BillingStoreKey, type BillingPorts, type BillingStore } from './ports';

type SessionOfEvent = TherapySessionChange['session'];

/** An invoice issued by an event handler is attributed to whoever caused the event (ended or cancelled the session). */
const causeOf = ({ payload }: DomainEvent<'TherapySessionEnded' | 'TherapySessionCancelled'>): AccessActor | null =>
  payload.actorId && payload.actorRole ? { userId: payload.actorId, role: payload.actorRole } : null;

/**
 * Billing learns about sessions from events only. Each handler's store transaction joins the one that
 * acknowledges its delivery; the unique (session, reason) makes a repeated delivery a no-op.
 * Every amount comes from the price agreed at booking, never from the therapist's rate today.
 */
@injectable()
export class Invoicing {
  constructor(
    @inject(BillingStoreKey) private readonly store: BillingStore,
    @inject(TherapySessionDirectory) private readonly sessions: TherapySessionDirectory,
    @inject(PLATFORM.Settings) private readonly settings: Settings,
  ) {}

  async onSessionEnded(event: DomainEvent<'TherapySessionEnded'>, ctx: HandlerContext): Promise<void> {
    const { session } = event.payload;
    await this.store.transaction(ctx, async (ports) =>
      this.issue(ports, causeOf(event), session, 'SESSION_COMPLETED', await this.agreedPriceOf(ctx, ports, session), event.occurredAt),
    );
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
    await this.store.transaction(ctx, async (ports) =>
      this.issue(ports, causeOf(event), session, 'LATE_CANCELLATION', lateCancellationFee(await this.agreedPriceOf(ctx, ports, session)), event.occurredAt),
    );
  }

  async onSessionNoShow(event: DomainEvent<'TherapySessionNoShow'>, ctx: HandlerContext): Promise<void> {
    const { session } = event.payload;
    await this.store.transaction(ctx, async (ports) => {
      const fee = noShowFee(await this.agreedPriceOf(ctx, ports, session), this.settings.noShowFeePercent);
      // Nobody caused a no-show invoice: the sweep did, so it has no actor to record.
      await this.issue(ports, null, session, 'NO_SHOW', fee, event.occurredAt);
    });
  }

  /**
   * The price on the event; an event recorded before sessions carried one reads the session (the
   * migration priced it). Only a session booked while billing was not running falls back to the rate.
   */
  private async agreedPriceOf(ctx: HandlerContext, ports: BillingPorts, session: SessionOfEvent): Promise<Money> {
    let price = session.price;
    if (price === undefined) {
      price = (await this.sessions.findById(ctx, session.id))?.price;
    }
    if (price) return price;
    const rate = (await ports.rates.find([session.therapistId])).get(session.therapistId) ?? DEFAULT_RATE;
    return agreedPrice(rate, session.durationMinutes);
  }

  private async issue(
    ports: BillingPorts & ChangeRecorders,
    cause: AccessActor | null,
    session: { id: string; patientId: string; therapistId: string },
    reason: InvoiceReason,
    amount: Money,
    at: Date,
  ): Promise<void> {
    const invoice = Invoice.issue(
      {
        sessionId: session.id,
        patientId: session.patientId,
        therapistId: session.therapistId,
        amountCents: amount.amountCents,
        currency: amount.currency,
        reason,
      },
      new Date(at),
    );
    if (await ports.invoices.issue(invoice)) {
      await ports.events.record('InvoiceIssued', invoice.id, { invoice: invoiceSnapshot(invoice) }, invoice.issuedAt);
      if (cause) await ports.audit.record('CREATE', [accessedInvoice(invoice)], cause);
    }
  }
}
