import { Migration } from '../../../platform/migration';

/** Deactivation and a per-account token version: a token stands only while its version matches. */
export class Migration20261129500000AccountStanding extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "users"."user_account" add column "is_active" boolean not null default true');
    this.addSql('alter table "users"."user_account" add column "token_version" integer not null default 0');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "users"."user_account" drop column "token_version"');
    this.addSql('alter table "users"."user_account" drop column "is_active"');
  }
}
