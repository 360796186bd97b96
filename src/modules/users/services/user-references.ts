import { inject, injectable } from 'inversify';
import type { OperationContext } from '../../../platform/context';
import { isUuid } from '../../../platform/ids';
import type { ReferenceResolver } from '../../../platform/references';
import { referencedAccountVisibility } from './user-rules';
import { UserStore, type UserView } from './user-store';
import { UserVisibility } from './user-visibility';

/** The users module resolves references to User: one lean query per batch (views, no entities), its own visibility rule, the profile reads audited here alone. */
@injectable()
export class UserReferences implements ReferenceResolver<UserView> {
  constructor(
    @inject(UserStore) private readonly store: UserStore,
    @inject(UserVisibility) private readonly visibility: UserVisibility,
  ) {}

  async resolveReferences(op: OperationContext, ids: readonly string[]): Promise<Array<UserView | null>> {
    const viewer = op.viewer;
    const wanted = viewer ? [...new Set(ids.filter(isUuid))] : [];
    const rows = await this.store.read(op).accounts.summaries(wanted);
    const byId = new Map(rows.map((row) => [row.id, row]));
    // Decided on the spot where the rule can; only an 'ask' (a therapist and someone who may be their patient) waits for the answer.
    let asked = false;
    const decided = ids.map((id): UserView | null | Promise<UserView | null> => {
      const user = byId.get(id);
      if (!user) return null;
      const visibility = referencedAccountVisibility(viewer, user);
      if (visibility !== 'ask') return visibility === 'visible' ? user : null;
      asked = true;
      return this.visibility.therapistMaySee(op, viewer!.userId, user.id).then((may) => (may ? user : null));
    });
    const shown = asked ? await Promise.all(decided) : (decided as Array<UserView | null>);
    this.visibility.recordShownProfiles(op, shown);
    return shown;
  }
}
