import { Migration } from '../../../platform/migration';
import { canonicalEmail } from '../services/user-rules';

/**
 * Emails were only lower-cased: "josé" typed precomposed and with a combining accent were two
 * accounts. Rewrites every email to its canonical spelling, and refuses to run (so the server
 * refuses to start) when two accounts turn out to share a mailbox: which one is the person's is
 * for an operator to decide, not a migration.
 */
export class Migration20261129120000UsersCanonicalEmails extends Migration {
  override async up(): Promise<void> {
    const accounts = (await this.execute('select "id", "email" from "users"."user_account"')) as Array<{ id: string; email: string }>;
    const owners = new Map<string, string[]>();
    for (const { id, email } of accounts) {
      const canonical = canonicalEmail(email) ?? email;
      owners.set(canonical, [...(owners.get(canonical) ?? []), id]);
    }
    const shared = [...owners.values()].filter((ids) => ids.length > 1);
    if (shared.length > 0) {
      const list = shared.map((ids) => ids.join(' = ')).join('; ');
      throw new Error(
        `${shared.length} email address(es) belong to more than one account once spelled canonically (Unicode NFC, IDNA domain). ` +
          `Merge or rename these accounts, then start again: ${list}`,
      );
    }
    for (const { id, email } of accounts) {
      const canonical = canonicalEmail(email);
      if (canonical && canonical !== email) await this.execute('update "users"."user_account" set "email" = ? where "id" = ?', [canonical, id]);
    }
  }

  override async down(): Promise<void> {
    // Canonical spellings are valid emails: there is nothing to undo.
  }
}
