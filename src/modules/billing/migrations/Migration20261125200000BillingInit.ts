import { Migration } from '../../../platform/migration';

export class Migration20261125200000BillingInit extends Migration {
  override async up(): Promise<void> {
    this.addSql('create schema if not exists "billing"');
    this.addSql(`create table "billing"."session_rate" (
      "therapist_id" uuid primary key,
      "amount_cents" integer not null check ("amount_cents" > 0),
      "currency" text not null check ("currency" ~ '^[A-Z]{3}$'),
      "updated_at" timestamptz not null
    )`);
    this.addSql(`create table "billing"."invoice" (
      "id" uuid primary key,
      "session_id" uuid not null,
      "patient_id" uuid not null,
      "therapist_id" uuid not null,
      "amount_cents" integer not null check ("amount_cents" >= 0),
      "currency" text not null check ("currency" ~ '^[A-Z]{3}$'),
      "status" text not null check ("status" in ('OPEN', 'PAID', 'VOID')),
      "reason" text not null check ("reason" in ('SESSION_COMPLETED', 'LATE_CANCELLATION')),
      "issued_at" timestamptz not null,
      "paid_at" timestamptz null,
      "payment_reference" text null,
      "voided_at" timestamptz null,
      "void_reason" text null,
      -- one invoice per session and reason, however often an event is delivered
      constraint "invoice_session_reason_unique" unique ("session_id", "reason"),
      check (("status" = 'PAID') = ("paid_at" is not null))
    )`);
    this.addSql('create index "invoice_patient_idx" on "billing"."invoice" ("patient_id", "issued_at" desc, "id" desc)');
    this.addSql('create index "invoice_therapist_idx" on "billing"."invoice" ("therapist_id", "issued_at" desc, "id" desc)');
    this.addSql('create index "invoice_issued_idx" on "billing"."invoice" ("issued_at" desc, "id" desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop schema if exists "billing" cascade');
  }
}
