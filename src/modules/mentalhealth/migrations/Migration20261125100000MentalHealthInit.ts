import { Migration } from '../../../platform/migration';

const BLOCKING = `status in ('PENDING', 'ACCEPTED', 'IN_PROGRESS')`;

export class Migration20261125100000MentalHealthInit extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists btree_gist');
    this.addSql('create extension if not exists pg_trgm');
    this.addSql('create schema if not exists "mentalhealth"');
    this.addSql(`create table "mentalhealth"."therapy_session" (
      "id" uuid primary key,
      "therapist_id" uuid not null,
      "patient_id" uuid not null,
      "session_type" text not null check ("session_type" in ('CHAT', 'VIDEO', 'AUDIO')),
      "target_audience" text not null check ("target_audience" in ('INDIVIDUAL', 'COUPLES', 'TEENS', 'MEDICATION', 'VETERANS')),
      "status" text not null check ("status" in ('PENDING', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
      "scheduled_at" timestamptz not null,
      "duration_minutes" integer not null check ("duration_minutes" in (30, 45, 60, 90)),
      "ends_at" timestamptz not null,
      "started_at" timestamptz null,
      "ended_at" timestamptz null,
      "summary" text null,
      "notes" text null,
      "cancellation_reason" text null,
      "cancelled_by_id" uuid null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      check ("ends_at" = "scheduled_at" + make_interval(mins => "duration_minutes")),
      check ("therapist_id" <> "patient_id"),
      -- the last word on double booking, whatever races the application loses
      constraint "therapy_session_therapist_no_overlap" exclude using gist
        ("therapist_id" with =, tstzrange("scheduled_at", "ends_at") with &&) where (${BLOCKING}),
      constraint "therapy_session_patient_no_overlap" exclude using gist
        ("patient_id" with =, tstzrange("scheduled_at", "ends_at") with &&) where (${BLOCKING})
    )`);
    this.addSql('create index "therapy_session_therapist_idx" on "mentalhealth"."therapy_session" ("therapist_id", "scheduled_at", "id")');
    this.addSql('create index "therapy_session_patient_idx" on "mentalhealth"."therapy_session" ("patient_id", "scheduled_at", "id")');
    this.addSql('create index "therapy_session_scheduled_idx" on "mentalhealth"."therapy_session" ("scheduled_at", "id")');

    this.addSql(`create table "mentalhealth"."therapist_calendar" (
      "therapist_id" uuid primary key,
      "hours" jsonb not null,
      "updated_at" timestamptz not null
    )`);

    this.addSql(`create table "mentalhealth"."chatbot_interaction" (
      "id" uuid primary key,
      "user_id" uuid not null,
      "message" text not null,
      "response" text not null,
      "risk_level" text not null check ("risk_level" in ('NONE', 'LOW', 'ELEVATED', 'CRISIS')),
      "created_at" timestamptz not null
    )`);
    this.addSql('create index "chatbot_interaction_user_idx" on "mentalhealth"."chatbot_interaction" ("user_id", "created_at" desc, "id" desc)');

    this.addSql(`create table "mentalhealth"."disorder" (
      "id" uuid primary key,
      "slug" text not null unique,
      "name" text not null unique,
      "type" text not null check ("type" in ('MENTAL', 'PHYSICAL', 'GENETIC', 'EMOTIONAL', 'BEHAVIORAL', 'FUNCTIONAL')),
      "description" text not null,
      "signs_and_symptoms" text not null,
      "symptoms" text[] not null,
      "causes" text[] not null,
      "treatment" text null,
      "prevention" text null,
      "search_vector" tsvector not null default ''
    )`);
    this.addSql('create index "disorder_search_idx" on "mentalhealth"."disorder" using gin ("search_vector")');
    this.addSql('create index "disorder_name_trgm_idx" on "mentalhealth"."disorder" using gin ("name" gin_trgm_ops)');
    this.addSql('create index "disorder_type_name_idx" on "mentalhealth"."disorder" ("type", "name")');
  }

  override async down(): Promise<void> {
    this.addSql('drop schema if exists "mentalhealth" cascade');
  }
}
