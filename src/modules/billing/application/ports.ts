import type { AccessChangeRecorder } from '../../../contracts/access-audit';
import type { OperationContext } from '../../../platform/context';
import type { EventRecorder } from '../../../platform/events';
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
  events: EventRecorder;
  /** Records changes to invoices (health information) in the same transaction. */
  audit: AccessChangeRecorder;
  invoices: InvoiceRepository;
  rates: RateRepository;
}

/** Billing's persistence: reads per operation, writes in one transaction (with their events). */
export interface BillingStore {
  ports(op: OperationContext): BillingPorts;
  transaction<T>(op: OperationContext, work: (ports: BillingPorts) => Promise<T>): Promise<T>;
}

export const BillingStoreKey = Symbol.for('aura.billing.BillingStore');
