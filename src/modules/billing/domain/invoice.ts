import { randomUUID } from 'node:crypto';
import type { InvoiceReason, InvoiceStatus } from '../../../contracts/billing';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../../platform/errors';

export type { InvoiceReason, InvoiceStatus };

export interface Payer {
  userId: string;
  role: string;
}

function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (!text) throw new InvalidInputError(`${field} is required`, { field });
  if (text.length > max) throw new InvalidInputError(`${field} must be at most ${max} characters`, { field });
  return text;
}

/** An invoice for one session and reason: OPEN until paid (PAID) or voided by an admin (VOID). */
export class Invoice {
  id!: string;
  sessionId!: string;
  patientId!: string;
  therapistId!: string;
  amountCents!: number;
  currency!: string;
  status!: InvoiceStatus;
  reason!: InvoiceReason;
  issuedAt!: Date;
  paidAt: Date | null = null;
  paymentReference: string | null = null;
  voidedAt: Date | null = null;
  voidReason: string | null = null;

  static issue(fields: Pick<Invoice, 'sessionId' | 'patientId' | 'therapistId' | 'amountCents' | 'currency' | 'reason'>, now: Date): Invoice {
    const invoice = new Invoice();
    Object.assign(invoice, { id: randomUUID(), ...fields, status: 'OPEN', issuedAt: now, paidAt: null, paymentReference: null, voidedAt: null, voidReason: null });
    return invoice;
  }

  /** The invoice's patient or an admin pays an OPEN invoice, once. */
  pay(payer: Payer, paymentReference: string, now: Date): void {
    if (payer.userId !== this.patientId && payer.role !== 'ADMIN') throw new ForbiddenError("Only the invoice's patient or an admin may pay it");
    const reference = requireText(paymentReference, 'paymentReference', 200);
    if (this.status !== 'OPEN') throw new ConflictError(`A ${this.status} invoice cannot be paid`, { status: this.status });
    this.status = 'PAID';
    this.paidAt = now;
    this.paymentReference = reference;
  }

  /** An admin voids an OPEN invoice; a paid one needs a refund instead. */
  void(payer: Payer, reason: string, now: Date): void {
    if (payer.role !== 'ADMIN') throw new ForbiddenError('Only an admin may void an invoice');
    const why = requireText(reason, 'reason', 1000);
    if (this.status !== 'OPEN') throw new ConflictError(`A ${this.status} invoice cannot be voided`, { status: this.status });
    this.status = 'VOID';
    this.voidedAt = now;
    this.voidReason = why;
  }
}
