import { LockMode, type ObjectQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { inject, injectable } from 'inversify';
import { AccessAuditToken } from '../../../../contracts/access-audit';
import { PLATFORM } from '../../../../platform/container';
import type { ServiceRegistry } from '../../../../platform/registry';
import type { OperationContext } from '../../../../platform/context';
import type { EventBus } from '../../../../platform/events';
import type { BillingPorts, BillingStore, InvoiceRepository, InvoiceScope, RateRepository } from '../../application/ports';
import type { Invoice, InvoiceStatus } from '../../domain/invoice';
import type { SessionRate } from '../../domain/pricing';
import { InvoiceSchema, SessionRateSchema } from './schemas';

function whereOf(scope: InvoiceScope, status: InvoiceStatus | null): ObjectQuery<Invoice> {
  const conditions: Array<ObjectQuery<Invoice>> = [];
  if (scope.kind === 'participant') conditions.push({ $or: [{ patientId: scope.userId }, { therapistId: scope.userId }] });
  if (status) conditions.push({ status });
  return conditions.length ? { $and: conditions } : {};
}

class MikroInvoiceRepository implements InvoiceRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: string): Promise<Invoice | null> {
    return this.em.findOne(InvoiceSchema, { id });
  }

  findByIds(ids: readonly string[]): Promise<Invoice[]> {
    return ids.length ? this.em.find(InvoiceSchema, { id: { $in: [...ids] } }) : Promise.resolve([]);
  }

  findForUpdate(id: string): Promise<Invoice | null> {
    return this.em.findOne(InvoiceSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  findBySessions(sessionIds: readonly string[]): Promise<Invoice[]> {
    return sessionIds.length ? this.em.find(InvoiceSchema, { sessionId: { $in: [...sessionIds] } }) : Promise.resolve([]);
  }

  async issue(invoice: Invoice): Promise<boolean> {
    const inserted = await this.em.execute<Array<{ id: string }>>(
      `insert into billing.invoice (id, session_id, patient_id, therapist_id, amount_cents, currency, status, reason, issued_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (session_id, reason) do nothing
       returning id`,
      [invoice.id, invoice.sessionId, invoice.patientId, invoice.therapistId, invoice.amountCents, invoice.currency, invoice.status, invoice.reason, invoice.issuedAt],
    );
    return inserted.length === 1;
  }

  list(scope: InvoiceScope, status: InvoiceStatus | null, first: number, after: { issuedAt: Date; id: string } | null): Promise<Invoice[]> {
    const where = whereOf(scope, status);
    const paged: ObjectQuery<Invoice> = after
      ? { $and: [where, { $or: [{ issuedAt: { $lt: after.issuedAt } }, { issuedAt: after.issuedAt, id: { $lt: after.id } }] }] }
      : where;
    return this.em.find(InvoiceSchema, paged, { orderBy: { issuedAt: 'desc', id: 'desc' }, limit: first });
  }

  count(scope: InvoiceScope, status: InvoiceStatus | null): Promise<number> {
    return this.em.count(InvoiceSchema, whereOf(scope, status));
  }
}

class MikroRateRepository implements RateRepository {
  constructor(private readonly em: EntityManager) {}

  async find(therapistIds: readonly string[]): Promise<Map<string, SessionRate>> {
    const rows = therapistIds.length ? await this.em.find(SessionRateSchema, { therapistId: { $in: [...therapistIds] } }) : [];
    return new Map(rows.map((row) => [row.therapistId, { amountCents: row.amountCents, currency: row.currency }]));
  }

  async save(therapistId: string, rate: SessionRate): Promise<void> {
    await this.em.upsert(SessionRateSchema, { therapistId, ...rate, updatedAt: new Date() });
  }
}

@injectable()
export class MikroBillingStore implements BillingStore {
  constructor(
    @inject(PLATFORM.Events) private readonly bus: EventBus,
    @inject(PLATFORM.Registry) private readonly registry: ServiceRegistry,
  ) {}

  ports(op: OperationContext): BillingPorts {
    return this.on(op.em, op);
  }

  transaction<T>(op: OperationContext, work: (ports: BillingPorts) => Promise<T>): Promise<T> {
    return op.em.transactional((em) => work(this.on(em as EntityManager, op)));
  }

  private on(em: EntityManager, op: OperationContext): BillingPorts {
    const audit = this.registry.get(AccessAuditToken).recorder(em, op);
    return { events: this.bus.recorder(em), audit, invoices: new MikroInvoiceRepository(em), rates: new MikroRateRepository(em) };
  }
}
