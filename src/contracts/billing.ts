import type { OperationContext } from '../platform/context';
import { serviceKey } from '../platform/registry';

/** What the billing module publishes. Implemented in src/modules/billing. */
export type InvoiceStatus = 'OPEN' | 'PAID' | 'VOID';
export type InvoiceReason = 'SESSION_COMPLETED' | 'LATE_CANCELLATION' | 'NO_SHOW';

/** An amount in integer minor units (cents) of an ISO 4217 currency. */
export interface Money {
  amountCents: number;
  currency: string;
}

/** The price a session of a given length costs with a therapist now: fixed on the session when it is booked. */
export interface SessionPricing {
  priceFor(op: OperationContext, therapistId: string, durationMinutes: number): Promise<Money>;
}

export const SessionPricing = serviceKey<SessionPricing>('SessionPricing');

export interface InvoiceSnapshot {
  id: string;
  sessionId: string;
  patientId: string;
  therapistId: string;
  amountCents: number;
  currency: string;
  status: InvoiceStatus;
  reason: InvoiceReason;
  issuedAt: string;
  paidAt: string | null;
}

export interface InvoiceChange {
  invoice: InvoiceSnapshot;
}
