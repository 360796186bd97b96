import { LockMode, type ObjectQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { injectable, injectFromBase } from 'inversify';
import { keyset, ModuleStore, type StoreAccess } from '../../../../platform/store';
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
    const page = keyset<Invoice, 'issuedAt'>('issuedAt', 'desc', after);
    return this.em.find(InvoiceSchema, { $and: [whereOf(scope, status), page.where] }, { orderBy: page.orderBy, limit: first });
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

/** Billing's repositories on its own schema; transaction, outbox and error mapping come from the platform's store. */
@injectable()
@injectFromBase({ extendConstructorArguments: true })
export class MikroBillingStore extends ModuleStore<BillingPorts> implements BillingStore {
  protected readonly options = { schema: 'billing' };

  protected repositoriesOn({ em }: StoreAccess): BillingPorts {
    return { invoices: new MikroInvoiceRepository(em), rates: new MikroRateRepository(em) };
  }
}
