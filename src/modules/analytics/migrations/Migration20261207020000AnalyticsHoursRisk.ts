import { Migration } from '@mikro-orm/migrations';

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
    // false until a rebuild from the whole outbox has switched over: start() begins one.
    this.addSql('alter table "analytics"."projection" add column "caught_up" boolean not null default false');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "analytics"."projection" drop column "caught_up"');
    this.addSql(`delete from "analytics"."projection" where "name" = 'workingHours'`);
    this.addSql('drop table "analytics"."working_hours_fact"');
    this.addSql('alter table "analytics"."crisis_fact" drop column "level"');
  }
}
