import type { Store } from '../../../platform/store-port';
import { serviceKey } from '../../../platform/registry';
import type { Invoice, InvoiceStatus } from '../domain/invoice';
import type { SessionRate } from '../domain/pricing';

/** Whose invoices a query may see: one user's (as patient or therapist), or all (admins). */
export type InvoiceScope = { kind: 'all' } | { kind: 'participant'; userId: string };

export interface InvoiceRepository {
  findById(id: string): Promise<Invoice | null>;
  findByIds(ids: readonly string[]): Promise<Invoice[]>;
  findForUpdate(id: string): Promise<Invoice | null>;
  findBySessions(sessionIds: readonly string[]): Promise<Invoice[]>;
  /** Inserts unless the session already has an invoice for that reason; true when inserted. */
  issue(invoice: Invoice): Promise<boolean>;
  list(scope: InvoiceScope, status: InvoiceStatus | null, first: number, after: { issuedAt: Date; id: string } | null): Promise<Invoice[]>;
  count(scope: InvoiceScope, status: InvoiceStatus | null): Promise<number>;
}

export interface RateRepository {
  find(therapistIds: readonly string[]): Promise<Map<string, SessionRate>>;
  save(therapistId: string, rate: SessionRate): Promise<void>;
}

export interface BillingPorts {
  invoices: InvoiceRepository;
  rates: RateRepository;
}

/** Billing's persistence (platform/store-port.ts): reads per operation, writes in one transaction with their events and access records. */
export type BillingStore = Store<BillingPorts>;

export const BillingStoreKey = serviceKey<BillingStore>('billing.BillingStore');
