import { Migration } from '../../../platform/migration';

/**
 * Session events no longer carry clinical text (summaries and reasons are stored encrypted in the
 * session alone): remove it from the events recorded before. The event log is append-only, so its
 * guard is lifted for this one redaction, in the migration's transaction. The session columns
 * themselves are encrypted at boot (data-rotation.ts), since a migration has no key.
 */
export class Migration20261129300000SessionEventsWithoutText extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "platform"."domain_event" disable trigger "domain_event_append_only"');
    this.addSql(`update "platform"."domain_event"
      set "payload" = "payload" #- '{session,summary}' #- '{session,cancellationReason}'
      where "type" like 'TherapySession%'
        and ("payload"->'session'->'summary' is not null or "payload"->'session'->'cancellationReason' is not null)`);
    this.addSql('alter table "platform"."domain_event" enable trigger "domain_event_append_only"');
  }

  override async down(): Promise<void> {
    // The removed texts are not kept anywhere in the clear: nothing to restore.
  }
}
