import { Migration } from '../migration';

/** Idempotency keys of mutations: written in the mutation's own transaction, with its first answer (encrypted: it may hold clinical text). */
export class Migration20261129900000PlatformIdempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "platform"."idempotency_key" (
      "scope" text not null,
      "key" text not null,
      "request_hash" text not null,
      "response" text null,
      "created_at" timestamptz not null default now(),
      primary key ("scope", "key")
    )`);
    this.addSql('create index "idempotency_key_created_idx" on "platform"."idempotency_key" ("created_at")');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "platform"."idempotency_key"');
  }
}
