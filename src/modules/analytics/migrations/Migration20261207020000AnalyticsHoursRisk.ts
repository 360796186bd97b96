import { Migration } from '../../../platform/migration';

/**
 * Working-hours history and ELEVATED risk (events mentalhealth now publishes), a catch-up flag per
 * projection (a database whose outbox predates analytics builds itself at start), and indexes
 * shaped for the analyst queries (each filter has its own range index carrying the columns read).
 */
export class Migration20261207020000AnalyticsHoursRisk extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "analytics"."crisis_fact" add column "level" text not null default 'CRISIS' check ("level" in ('CRISIS', 'ELEVATED'))`);
    this.addSql(`create table "analytics"."working_hours_fact" (
      "generation" int not null,
      "event_id" uuid not null,
      "therapist_id" uuid not null,
      "valid_from" timestamptz not null,
      "hours" jsonb not null,
      "timezone" text not null,
      primary key ("generation", "event_id")
    )`);
    this.addSql('create index "working_hours_fact_therapist" on "analytics"."working_hours_fact" ("generation", "therapist_id", "valid_from")');
    this.addSql(`insert into "analytics"."projection" ("name", "active_generation", "building_generation", "rebuild_after", "rebuild_total", "rebuild_done")
      select 'workingHours', "active_generation", "building_generation", "rebuild_after", "rebuild_total", "rebuild_done" from "analytics"."projection" where "name" = 'sessions'`);
    // Rollups the projections keep in the fact write's transaction (UTC hours re-bucket exactly into any whole-hour zone).
    this.addSql(`create table "analytics"."session_hour" (
      "generation" int not null, "hour" timestamptz not null,
      "scheduled" int not null default 0, "completed" int not null default 0, "cancelled" int not null default 0,
      "rejected" int not null default 0, "no_show" int not null default 0, "late_cancelled" int not null default 0,
      primary key ("generation", "hour")
    )`);
    this.addSql(`create table "analytics"."invoice_hour" (
      "generation" int not null, "hour" timestamptz not null, "currency" text not null,
      "issued" bigint not null default 0, "paid" bigint not null default 0, "void" bigint not null default 0, "invoices" int not null default 0,
      primary key ("generation", "hour", "currency")
    )`);
    this.addSql(`create table "analytics"."therapist_month" (
      "generation" int not null, "month" timestamptz not null, "therapist_key" text not null, "therapist_id" uuid not null,
      "sessions" int not null default 0, "booked_minutes" int not null default 0,
      primary key ("generation", "month", "therapist_key")
    )`);
    this.addSql('create index "session_fact_type_audience" on "analytics"."session_fact" ("generation", "session_type", "target_audience", "scheduled_at")');
    this.addSql('create index "session_fact_audience" on "analytics"."session_fact" ("generation", "target_audience", "scheduled_at")');
    this.addSql('create index "invoice_fact_currency" on "analytics"."invoice_fact" ("generation", "currency", "issued_at")');
    // false until a rebuild from the whole outbox has switched over: start() begins one.
    this.addSql('alter table "analytics"."projection" add column "caught_up" boolean not null default false');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "analytics"."projection" drop column "caught_up"');
    this.addSql('drop table "analytics"."session_hour", "analytics"."invoice_hour", "analytics"."therapist_month"');
    this.addSql('drop index "analytics"."session_fact_type_audience", "analytics"."session_fact_audience", "analytics"."invoice_fact_currency"');
    this.addSql(`delete from "analytics"."projection" where "name" = 'workingHours'`);
    this.addSql('drop table "analytics"."working_hours_fact"');
    this.addSql('alter table "analytics"."crisis_fact" drop column "level"');
  }
}
