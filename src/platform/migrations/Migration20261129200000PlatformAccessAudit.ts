import { Migration } from '../migration';

/** The PHI access audit: who read or changed whose health information, append-only (HIPAA audit controls). */
export class Migration20261129200000PlatformAccessAudit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "platform"."access_record" (
      "seq" bigserial primary key,
      "at" timestamptz not null default now(),
      "actor_id" uuid not null,
      "actor_role" text not null check ("actor_role" in ('PATIENT', 'THERAPIST', 'ADMIN', 'ANALYST')),
      "action" text not null check ("action" in ('READ', 'CREATE', 'UPDATE')),
      "resource_type" text not null,
      "resource_id" text not null,
      "patient_id" uuid null,
      "request_id" text null
    )`);
    this.addSql('create index "access_record_patient_idx" on "platform"."access_record" ("patient_id", "seq")');
    this.addSql('create index "access_record_actor_idx" on "platform"."access_record" ("actor_id", "seq")');
    this.addSql('create index "access_record_at_idx" on "platform"."access_record" ("at", "seq")');
    // An audit trail nobody can rewrite: updates, deletes and truncation are refused.
    this.addSql(`create function "platform"."refuse_audit_change"() returns trigger language plpgsql as $$
      begin raise exception 'platform.access_record is append-only'; end $$`);
    this.addSql(`create trigger "access_record_append_only" before update or delete on "platform"."access_record"
      for each row execute function "platform"."refuse_audit_change"()`);
    this.addSql(`create trigger "access_record_no_truncate" before truncate on "platform"."access_record"
      for each statement execute function "platform"."refuse_audit_change"()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "platform"."access_record"');
    this.addSql('drop function if exists "platform"."refuse_audit_change"()');
  }
}
