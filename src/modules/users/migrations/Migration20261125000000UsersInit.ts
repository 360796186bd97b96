import { Migration } from '../../../platform/migration';

export class Migration20261125000000UsersInit extends Migration {
  override async up(): Promise<void> {
    this.addSql('create schema if not exists "users"');
    this.addSql(`create table "users"."user_account" (
      "id" uuid primary key,
      "email" text not null,
      "password_hash" text not null,
      "first_name" text not null,
      "last_name" text not null,
      "role" text not null check ("role" in ('PATIENT', 'THERAPIST', 'ADMIN', 'ANALYST')),
      "is_verified" boolean not null default false,
      "timezone" text not null default 'UTC',
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql('create unique index "user_account_email_unique" on "users"."user_account" ("email")');
    this.addSql('create index "user_account_created_idx" on "users"."user_account" ("created_at", "id")');
    this.addSql('create index "user_account_role_created_idx" on "users"."user_account" ("role", "created_at", "id")');
  }

  override async down(): Promise<void> {
    this.addSql('drop schema if exists "users" cascade');
  }
}
