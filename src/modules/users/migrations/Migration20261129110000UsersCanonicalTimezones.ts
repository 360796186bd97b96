import { Migration } from '../../../platform/migration';
import { checkTimezone } from '../services/user-rules';

/** Time zones were stored as typed ("europe/berlin"): rewrite each distinct one under its canonical IANA name. */
export class Migration20261129110000UsersCanonicalTimezones extends Migration {
  override async up(): Promise<void> {
    const zones = (await this.execute('select distinct "timezone" from "users"."user_account"')) as Array<{ timezone: string }>;
    for (const { timezone } of zones) {
      let canonical: string;
      try {
        canonical = checkTimezone(timezone);
      } catch {
        continue; // never accepted by the rules; left as it is rather than guessed
      }
      if (canonical !== timezone) {
        await this.execute('update "users"."user_account" set "timezone" = ? where "timezone" = ?', [canonical, timezone]);
      }
    }
  }

  override async down(): Promise<void> {
    // Canonical names are what the rules accept: there is nothing to undo.
  }
}
