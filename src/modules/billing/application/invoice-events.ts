import type { InvoiceSnapshot } from '../../../contracts/billing';
import type { Invoice } from '../domain/invoice';

export function invoiceSnapshot(invoice: Invoice): InvoiceSnapshot {
  return {
    id: invoice.id,
    sessionId: invoice.sessionId,
    patientId: invoice.patientId,
    therapistId: invoice.therapistId,
    amountCents: invoice.amountCents,
    currency: invoice.currency,
    status: invoice.status,
    reason: invoice.reason,
    issuedAt: invoice.issuedAt.toISOString(),
    paidAt: invoice.paidAt ? invoice.paidAt.toISOString() : null,
  };
}
