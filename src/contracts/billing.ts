/** What the billing module publishes. Implemented in src/modules/billing. */
export type InvoiceStatus = 'OPEN' | 'PAID' | 'VOID';
export type InvoiceReason = 'SESSION_COMPLETED' | 'LATE_CANCELLATION';

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
