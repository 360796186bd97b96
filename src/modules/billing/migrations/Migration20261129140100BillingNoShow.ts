import { Migration } from '../../../platform/migration';

/** A session that passes without a start is invoiced for a no-show (reason NO_SHOW). */
export class Migration20261129140100BillingNoShow extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "billing"."invoice" drop constraint "invoice_reason_check"');
    this.addSql(`alter table "billing"."invoice" add constraint "invoice_reason_check"
      check ("reason" in ('SESSION_COMPLETED', 'LATE_CANCELLATION', 'NO_SHOW'))`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table "billing"."invoice" drop constraint "invoice_reason_check"');
    this.addSql(`alter table "billing"."invoice" add constraint "invoice_reason_check" check ("reason" in ('SESSION_COMPLETED', 'LATE_CANCELLATION'))`);
  }
}
