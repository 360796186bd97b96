import { inject, injectable, multiInject, optional } from 'inversify';
import { AccessAudit } from '../../../contracts/access-audit';
import { TherapistVisibility, type TherapistVisibilityRule } from '../../../contracts/users';
import type { OperationContext } from '../../../platform/context';
import { isUuid } from '../../../platform/ids';
import { Role, type User } from '../models/user.entity';

/** Who may see which account, as far as other modules vouch for it, and the audit of the patients' profiles shown. */
@injectable()
export class UserVisibility {
  constructor(
    @inject(AccessAudit) private readonly audit: AccessAudit,
    /** Every module's rule (e.g. mentalhealth's care relationship); none means a therapist sees only themself. */
    @multiInject(TherapistVisibility) @optional() private readonly rules: TherapistVisibilityRule[] = [],
  ) {}

  /** Whether a module vouches for the therapist seeing the user. */
  async therapistMaySee(op: OperationContext, therapistId: string, userId: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    for (const rule of this.rules ?? []) {
      if (await rule.therapistMaySee(op, therapistId, userId)) return true;
    }
    return false;
  }

  /** A patient's profile shown to someone else is recorded in the access audit (once per operation). */
  recordShownProfiles(op: OperationContext, users: ReadonlyArray<Pick<User, 'id' | 'role'> | null>): void {
    const patients = users.filter((u): u is Pick<User, 'id' | 'role'> => u?.role === Role.PATIENT).map((u) => u.id);
    if (patients.length) this.audit.readProfiles(op, patients);
  }
}
