import { Migration } from '../../../platform/migration';

/**
 * The analytics schema: fact tables per projection, keyed by generation (a rebuild fills the next
 * generation while the active one serves), the events each generation has applied, and a checkpoint
 * row per projection. Patients are stored only as keyed pseudonyms; no names, emails or free text.
 */
export class Migration20261206235128AnalyticsInit extends Migration {
  override async up(): Promise<void> {
    this.addSql('create schema if not exists "analytics"');
    this.addSql(`create table "analytics"."projection" (
      "name" text primary key,
      "active_generation" int not null default 1,
      "building_generation" int,
      "last_event_id" uuid,
      "last_occurred_at" timestamptz,
      "applied_at" timestamptz,
      "rebuild_after" text,
      "rebuild_total" int,
      "rebuild_done" int
    )`);
    this.addSql(`insert into "analytics"."projection" ("name") values ('sessions'), ('invoices'), ('crises'), ('registrations')`);
    this.addSql(`create table "analytics"."applied_event" (
      "generation" int not null,
      "projection" text not null,
      "event_id" uuid not null,
      primary key ("generation", "projection", "event_id")
    )`);
    this.addSql(`create table "analytics"."session_fact" (
      "generation" int not null,
      "session_id" uuid not null,
      "therapist_id" uuid not null,
      "therapist_key" text not null,
      "patient_key" text not null,
      "session_type" text not null,
      "target_audience" text not null,
      "status" text not null,
      "scheduled_at" timestamptz not null,
      "duration_minutes" int not null,
      "booked_at" timestamptz not null,
      "lead_minutes" int not null,
      "started_at" timestamptz,
      "ended_at" timestamptz,
      "late_cancelled" boolean not null default false,
      "price_cents" int,
      "currency" text,
      primary key ("generation", "session_id")
    )`);
    this.addSql('create index "session_fact_scheduled" on "analytics"."session_fact" ("generation", "scheduled_at")');
    this.addSql('create index "session_fact_therapist" on "analytics"."session_fact" ("generation", "therapist_key", "scheduled_at")');
    this.addSql(`create table "analytics"."invoice_fact" (
      "generation" int not null,
      "invoice_id" uuid not null,
      "patient_key" text not null,
      "amount_cents" int not null,
      "currency" text not null,
      "status" text not null,
      "reason" text not null,
      "issued_at" timestamptz not null,
      "paid_at" timestamptz,
      primary key ("generation", "invoice_id")
    )`);
    this.addSql('create index "invoice_fact_issued" on "analytics"."invoice_fact" ("generation", "issued_at")');
    this.addSql(`create table "analytics"."crisis_fact" (
      "generation" int not null,
      "event_id" uuid not null,
      "patient_key" text not null,
      "detected_at" timestamptz not null,
      primary key ("generation", "event_id")
    )`);
    this.addSql('create index "crisis_fact_detected" on "analytics"."crisis_fact" ("generation", "detected_at")');
    this.addSql(`create table "analytics"."registration_fact" (
      "generation" int not null,
      "user_key" text not null,
      "role" text not null,
      "source" text not null,
      "registered_at" timestamptz not null,
      primary key ("generation", "user_key")
    )`);
    this.addSql('create index "registration_fact_registered" on "analytics"."registration_fact" ("generation", "registered_at")');
  }

  override async down(): Promise<void> {
    this.addSql('drop schema if exists "analytics" cascade');
  }
}
