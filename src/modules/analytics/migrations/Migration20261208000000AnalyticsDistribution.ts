import { Migration } from '../../../platform/migration';

/**
 * The lead-time and duration histograms as a rollup (sessions per UTC day, measure and bin, kept
 * in the fact write's transaction), filled from the facts already there; and per measure an index
 * by value, so a bin's probe for distinct patients reads only that bin's sessions.
 */
export class Migration20261208000000AnalyticsDistribution extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "analytics"."session_bin_day" (
      "generation" int not null, "day" timestamptz not null, "measure" text not null, "bin" int not null,
      "sessions" int not null default 0,
      primary key ("generation", "day", "measure", "bin")
    )`);
    this.addSql(`insert into "analytics"."session_bin_day" ("generation", "day", "measure", "bin", "sessions")
      select generation, date_trunc('day', scheduled_at, 'UTC'), 'LEAD_TIME', width_bucket(lead_minutes / 60.0, array[0, 24, 72, 168, 336]::numeric[]) - 1, count(*)
        from "analytics"."session_fact" group by 1, 2, 3, 4
      union all
      select generation, date_trunc('day', scheduled_at, 'UTC'), 'DURATION', width_bucket(duration_minutes, array[0, 45, 60, 90]::int[]) - 1, count(*)
        from "analytics"."session_fact" group by 1, 2, 3, 4`);
    this.addSql('create index "session_fact_lead" on "analytics"."session_fact" ("generation", "lead_minutes", "scheduled_at") include ("patient_key")');
    this.addSql('create index "session_fact_duration" on "analytics"."session_fact" ("generation", "duration_minutes", "scheduled_at") include ("patient_key")');
  }

  override async down(): Promise<void> {
    this.addSql('drop index "analytics"."session_fact_lead", "analytics"."session_fact_duration"');
    this.addSql('drop table "analytics"."session_bin_day"');
  }
}
