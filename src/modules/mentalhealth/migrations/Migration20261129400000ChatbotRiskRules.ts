import { Migration } from '../../../platform/migration';

/** The classifier rules that fired are stored with each chatbot interaction (older rows: none recorded). */
export class Migration20261129400000ChatbotRiskRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "mentalhealth"."chatbot_interaction" add column "risk_rules" text[] not null default '{}'`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table "mentalhealth"."chatbot_interaction" drop column "risk_rules"');
  }
}
