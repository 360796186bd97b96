import { inject, injectable } from 'inversify';
import { AccessAudit, type AccessedResource } from '../../../contracts/access-audit';
import { UserDirectory } from '../../../contracts/users';
import { requireViewer, type Viewer } from '../../../platform/auth';
import type { Clock } from '../../../platform/clock';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import { ForbiddenError, NotFoundError } from '../../../platform/errors';
import { cursorCodec, pageSize, toConnection, type Connection } from '../../../platform/paging';
import { isUuid } from '../../../platform/ids';
import type { ReferenceResolver } from '../../../platform/references';
import type { Invoice, InvoiceStatus } from '../domain/invoice';
import { agreedPrice, checkRate, DEFAULT_RATE, type Money, type SessionRate } from '../domain/pricing';
import { invoiceSnapshot } from './invoice-events';
import { BillingStoreKey, type BillingStore, type InvoiceScope } from './ports';

/** Invoices are paged by issuedAt, then id. */
const INVOICE_CURSOR = cursorCodec('invoices', { issuedAt: 'instant', id: 'uuid' });

/** Invoices are read by their patient, their therapist and admins. */
function scopeOf(viewer: Viewer): InvoiceScope {
  return viewer.role === 'ADMIN' ? { kind: 'all' } : { kind: 'participant', userId: viewer.userId };
}

export function maySeeInvoice(viewer: Viewer | null, invoice: Pick<Invoice, 'patientId' | 'therapistId'>): boolean {
  return viewer !== null && (viewer.role === 'ADMIN' || viewer.userId === invoice.patientId || viewer.userId === invoice.therapistId);
}

/** An invoice is health information of its patient (it says they had therapy). */
export const accessedInvoice = (invoice: Pick<Invoice, 'id' | 'patientId'>): AccessedResource => ({
  type: 'Invoice',
  id: invoice.id,
  patientId: invoice.patientId,
});

/** Rates, invoices and payments, each within the viewer's rights; it resolves references to Invoice. */
@injectable()
export class Billing implements ReferenceResolver<Invoice> {
  constructor(
    @inject(BillingStoreKey) private readonly store: BillingStore,
    @inject(UserDirectory) private readonly users: UserDirectory,
    @inject(AccessAudit) private readonly audit: AccessAudit,
    @inject(PLATFORM.Clock) private readonly clock: Clock,
  ) {}

  async setSessionRate(op: OperationContext, amountCents: number, currency: string): Promise<SessionRate> {
    const viewer = requireViewer(op.viewer);
    if (viewer.role !== 'THERAPIST') throw new ForbiddenError('Only therapists set a session rate');
    const rate = checkRate(amountCents, currency);
    await this.store.transaction(op, ({ rates }) => rates.save(viewer.userId, rate));
    return rate;
  }

  /** SessionPricing: what a session of this length costs with the therapist now (their rate, or the default). */
  async priceFor(op: OperationContext, therapistId: string, durationMinutes: number): Promise<Money> {
    const rate = (await this.store.read(op).rates.find([therapistId])).get(therapistId) ?? DEFAULT_RATE;
    return agreedPrice(rate, durationMinutes);
  }

  /** Each user's rate: therapists their own (or the default), others none. */
  async ratesOf(op: OperationContext, userIds: readonly string[]): Promise<Array<SessionRate | null>> {
    const users = await this.users.findByIds(op, userIds);
    const therapists = users.filter((u) => u?.role === 'THERAPIST').map((u) => u!.id);
    const stored = therapists.length ? await this.store.read(op).rates.find(therapists) : new Map<string, SessionRate>();
    return users.map((u) => (u?.role === 'THERAPIST' ? (stored.get(u.id) ?? DEFAULT_RATE) : null));
  }

  async invoices(op: OperationContext, status: InvoiceStatus | null, first?: number | null, after?: string | null): Promise<Connection<Invoice>> {
    const scope = scopeOf(requireViewer(op.viewer));
    const size = pageSize(first);
    const cursor = INVOICE_CURSOR.decode(after);
    const { invoices } = this.store.read(op);
    const rows = await invoices.list(scope, status, size + 1, cursor);
    this.shown(op, rows.slice(0, size));
    return toConnection(rows, size, (i) => INVOICE_CURSOR.encode(i), () => invoices.count(scope, status));
  }

  async invoice(op: OperationContext, id: string): Promise<Invoice | null> {
    const viewer = requireViewer(op.viewer);
    const invoice = isUuid(id) ? await this.store.read(op).invoices.findById(id) : null;
    // Someone else's invoice answers like an unknown id: ids cannot be probed.
    if (!invoice || !maySeeInvoice(viewer, invoice)) return null;
    this.shown(op, [invoice]);
    return invoice;
  }

  /** Invoices another module refers to: those the viewer may see, recorded like any invoice shown; null otherwise. */
  async resolveReferences(op: OperationContext, ids: readonly string[]): Promise<Array<Invoice | null>> {
    const wanted = op.viewer ? [...new Set(ids.filter(isUuid))] : [];
    const found = await this.store.read(op).invoices.findByIds(wanted);
    const byId = new Map(found.filter((invoice) => maySeeInvoice(op.viewer, invoice)).map((invoice) => [invoice.id, invoice]));
    this.shown(op, [...byId.values()]);
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The session's invoices the viewer may see, newest first, for each session id. */
  async invoicesOfSessions(op: OperationContext, sessionIds: readonly string[]): Promise<Array<Invoice | null>> {
    const found = await this.store.read(op).invoices.findBySessions(sessionIds.filter(isUuid));
    const latest = sessionIds.map(
      (id) =>
        found
          .filter((i) => i.sessionId === id && maySeeInvoice(op.viewer, i))
          .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime())[0] ?? null,
    );
    this.shown(op, latest.filter((i): i is Invoice => i !== null));
    return latest;
  }

  /** Invoices returned to the viewer: recorded in the access audit (once per invoice and operation). */
  private shown(op: OperationContext, invoices: readonly Invoice[]): void {
    this.audit.read(op, invoices.map(accessedInvoice));
  }

  pay(op: OperationContext, id: string, paymentReference: string): Promise<Invoice> {
    return this.change(op, id, 'InvoicePaid', (invoice, viewer, now) => invoice.pay(viewer, paymentReference, now));
  }

  void(op: OperationContext, id: string, reason: string): Promise<Invoice> {
    return this.change(op, id, 'InvoiceVoided', (invoice, viewer, now) => invoice.void(viewer, reason, now));
  }

  private async change(
    op: OperationContext,
    id: string,
    event: 'InvoicePaid' | 'InvoiceVoided',
    apply: (invoice: Invoice, viewer: Viewer, now: Date) => void,
  ): Promise<Invoice> {
    const viewer = requireViewer(op.viewer);
    return this.store.transaction(op, async ({ invoices, events, audit }) => {
      const invoice = isUuid(id) ? await invoices.findForUpdate(id) : null;
      // An invoice the viewer may not see is refused like an unknown one: ids cannot be probed.
      if (!invoice || !maySeeInvoice(viewer, invoice)) throw new NotFoundError(`No invoice with id ${id}`);
      const now = this.clock.now();
      apply(invoice, viewer, now);
      await events.record(event, invoice.id, { invoice: invoiceSnapshot(invoice) }, now);
      await audit.record('UPDATE', [accessedInvoice(invoice)]);
      return invoice;
    });
  }
}
