import { Migration } from '../migration';

/** The outbox: every domain event, append-only, and one delivery per event and subscriber. */
export class Migration20261125000000PlatformOutbox extends Migration {
  override async up(): Promise<void> {
    this.addSql('create schema if not exists "platform"');
    this.addSql(`create table "platform"."domain_event" (
      "seq" bigserial primary key,
      "id" uuid not null unique,
      "type" text not null,
      "aggregate_id" text not null,
      "payload" jsonb not null,
      "occurred_at" timestamptz not null,
      "recorded_at" timestamptz not null default now()
    )`);
    this.addSql('create index "domain_event_aggregate_idx" on "platform"."domain_event" ("aggregate_id", "seq")');
    this.addSql('create index "domain_event_type_idx" on "platform"."domain_event" ("type", "occurred_at")');
    this.addSql('create index "domain_event_occurred_idx" on "platform"."domain_event" ("occurred_at", "seq")');
    // What happened is never rewritten: the event log refuses updates and deletes.
    this.addSql(`create function "platform"."refuse_event_change"() returns trigger language plpgsql as $$
      begin raise exception 'platform.domain_event is append-only'; end $$`);
    this.addSql(`create trigger "domain_event_append_only" before update or delete on "platform"."domain_event"
      for each row execute function "platform"."refuse_event_change"()`);

    this.addSql(`create table "platform"."event_delivery" (
      "event_seq" bigint not null references "platform"."domain_event" ("seq"),
      "subscriber" text not null,
      "aggregate_id" text not null,
      "status" text not null default 'PENDING' check ("status" in ('PENDING', 'DELIVERED', 'DEAD')),
      "attempts" integer not null default 0,
      "next_attempt_at" timestamptz not null default now(),
      "last_error" text null,
      "delivered_at" timestamptz null,
      primary key ("event_seq", "subscriber")
    )`);
    this.addSql(`create index "event_delivery_due_idx" on "platform"."event_delivery" ("next_attempt_at", "event_seq") where "status" = 'PENDING'`);
    this.addSql(`create index "event_delivery_order_idx" on "platform"."event_delivery" ("subscriber", "aggregate_id", "event_seq") where "status" = 'PENDING'`);
    this.addSql(`create index "event_delivery_status_idx" on "platform"."event_delivery" ("status", "event_seq")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop schema if exists "platform" cascade');
  }
}
