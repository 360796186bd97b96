import { Migration } from '../../../platform/migration';

/**
 * Records who scheduled each session: the patient (a booking) or a therapist or admin (a proposal
 * the patient must accept before it creates a care relationship). Existing sessions take the
 * actor of their TherapySessionScheduled event; a session without one counts as the patient's booking.
 * Proposals not yet held that the therapist accepted themself go back to PENDING.
 */
export class Migration20261129100000SessionProposer extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "mentalhealth"."therapy_session" add column "proposed_by_id" uuid null');
    this.addSql(`update "mentalhealth"."therapy_session" s set "proposed_by_id" = coalesce(
      (select (e."payload"->>'actorId')::uuid from "platform"."domain_event" e
        where e."aggregate_id" = s."id"::text and e."type" = 'TherapySessionScheduled' order by e."seq" limit 1),
      s."patient_id")`);
    this.addSql('alter table "mentalhealth"."therapy_session" alter column "proposed_by_id" set not null');
    // A proposal its therapist accepted under the old rule never had the patient's consent: it waits for it again.
    this.addSql(`update "mentalhealth"."therapy_session" s set "status" = 'PENDING', "updated_at" = now()
      where s."status" = 'ACCEPTED' and s."proposed_by_id" <> s."patient_id"
        and not exists (select 1 from "platform"."domain_event" e
          where e."aggregate_id" = s."id"::text and e."type" = 'TherapySessionAccepted' and e."payload"->>'actorId' = s."patient_id"::text)`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table "mentalhealth"."therapy_session" drop column "proposed_by_id"');
  }
}
