import { Migration } from '../../../platform/migration';

/**
 * Sessions keep the price agreed at booking (price_cents + price_currency) and may end as NO_SHOW.
 *
 * Existing sessions are priced from the therapist's CURRENT rate (billing.session_rate, or the
 * default 100.00 USD for 60 minutes): rate changes were never recorded (setSessionRate writes no
 * event to the outbox), so the rate at their booking time cannot be recovered. Durations scale as
 * billing's pricing does (0.6 / 0.8 / 1.0 / 1.5, half-up to the cent). Sessions already invoiced
 * keep their invoices; only invoices issued from now on use this price.
 */
export class Migration20261129140000AgreedPriceAndNoShow extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "mentalhealth"."therapy_session"
      add column "price_cents" integer null check ("price_cents" >= 0),
      add column "price_currency" text null check ("price_currency" ~ '^[A-Z]{3}$'),
      add check (("price_cents" is null) = ("price_currency" is null))`);
    this.addSql('alter table "mentalhealth"."therapy_session" drop constraint "therapy_session_status_check"');
    this.addSql(`alter table "mentalhealth"."therapy_session" add constraint "therapy_session_status_check"
      check ("status" in ('PENDING', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW'))`);
    // The no-show sweep looks for accepted sessions whose planned end has passed.
    this.addSql(`create index "therapy_session_accepted_ends_idx" on "mentalhealth"."therapy_session" ("ends_at") where "status" = 'ACCEPTED'`);
    // Billing's rates table exists unless billing never ran (a fresh database migrates this module first).
    this.addSql(`do $$
      declare rates regclass := to_regclass('billing.session_rate');
      begin
        if rates is null then
          update "mentalhealth"."therapy_session" set "price_currency" = 'USD',
            "price_cents" = round(10000 * case "duration_minutes" when 30 then 0.6 when 45 then 0.8 when 60 then 1.0 else 1.5 end);
        else
          update "mentalhealth"."therapy_session" s set
            "price_currency" = coalesce(r."currency", 'USD'),
            "price_cents" = round(coalesce(r."amount_cents", 10000) * case s."duration_minutes" when 30 then 0.6 when 45 then 0.8 when 60 then 1.0 else 1.5 end)
            from "mentalhealth"."therapy_session" t
            left join "billing"."session_rate" r on r."therapist_id" = t."therapist_id"
           where t."id" = s."id";
        end if;
      end $$`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "mentalhealth"."therapy_session" set "status" = 'ACCEPTED' where "status" = 'NO_SHOW'`);
    this.addSql('drop index "mentalhealth"."therapy_session_accepted_ends_idx"');
    this.addSql('alter table "mentalhealth"."therapy_session" drop constraint "therapy_session_status_check"');
    this.addSql(`alter table "mentalhealth"."therapy_session" add constraint "therapy_session_status_check"
      check ("status" in ('PENDING', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'))`);
    this.addSql('alter table "mentalhealth"."therapy_session" drop column "price_cents", drop column "price_currency"');
  }
}
