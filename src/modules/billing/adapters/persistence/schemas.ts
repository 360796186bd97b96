import { EntitySchema } from '@mikro-orm/core';
import { Invoice } from '../../domain/invoice';

/** Billing's tables in the `billing` PostgreSQL schema. */
const timestamp = { type: 'Date', columnType: 'timestamptz' } as const;

export const InvoiceSchema = new EntitySchema<Invoice>({
  class: Invoice,
  schema: 'billing',
  tableName: 'invoice',
  properties: {
    id: { type: 'uuid', primary: true },
    sessionId: { type: 'uuid' },
    patientId: { type: 'uuid' },
    therapistId: { type: 'uuid' },
    amountCents: { type: 'integer' },
    currency: { type: 'text' },
    status: { type: 'text' },
    reason: { type: 'text' },
    issuedAt: timestamp,
    paidAt: { ...timestamp, nullable: true },
    paymentReference: { type: 'text', nullable: true },
    voidedAt: { ...timestamp, nullable: true },
    voidReason: { type: 'text', nullable: true },
  },
});

export class SessionRateRow {
  therapistId!: string;
  amountCents!: number;
  currency!: string;
  updatedAt!: Date;
}

export const SessionRateSchema = new EntitySchema<SessionRateRow>({
  class: SessionRateRow,
  schema: 'billing',
  tableName: 'session_rate',
  properties: {
    therapistId: { type: 'uuid', primary: true },
    amountCents: { type: 'integer' },
    currency: { type: 'text' },
    updatedAt: timestamp,
  },
});

export const BILLING_ENTITIES = [InvoiceSchema, SessionRateSchema];
