import { inject, injectable } from 'inversify';
import { AccessAuditToken } from '../../../contracts/access-audit';
import { TherapistVisibility } from '../../../contracts/users';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import { isUuid } from '../../../platform/ids';
import type { ReferenceResolver } from '../../../platform/references';
import type { ServiceRegistry } from '../../../platform/registry';
import { Role, User } from '../models/user.entity';
import { referencedAccountVisibility } from './user-rules';

/** Whether a module vouches for the therapist seeing the user (e.g. a care relationship); none does by default. */
export async function therapistMaySee(registry: ServiceRegistry, op: OperationContext, therapistId: string, userId: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  for (const rule of registry.contributions(TherapistVisibility)) {
    if (await rule.therapistMaySee(op, therapistId, userId)) return true;
  }
  return false;
}

/** A patient's profile shown to someone else is recorded in the access audit (once per operation). */
export function recordShownProfiles(registry: ServiceRegistry, op: OperationContext, users: ReadonlyArray<User | null>): void {
  const patients = users.filter((u): u is User => u?.role === Role.PATIENT).map((u) => u.id);
  if (patients.length) registry.get(AccessAuditToken).readProfiles(op, patients);
}

/** The users module resolves references to User: one query per batch, its own visibility rule, the profile reads audited here alone. */
@injectable()
export class UserReferences implements ReferenceResolver<User> {
  constructor(@inject(PLATFORM.Registry) private readonly registry: ServiceRegistry) {}

  async resolveReferences(op: OperationContext, ids: readonly string[]): Promise<Array<User | null>> {
    const viewer = op.viewer;
    const wanted = viewer ? [...new Set(ids.filter(isUuid))] : [];
    const rows = wanted.length ? await op.em.find(User, { id: { $in: wanted } }) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const shown = await Promise.all(
      ids.map(async (id) => {
        const user = byId.get(id);
        if (!user) return null;
        const visibility = referencedAccountVisibility(viewer, user);
        if (visibility === 'ask') return (await therapistMaySee(this.registry, op, viewer!.userId, user.id)) ? user : null;
        return visibility === 'visible' ? user : null;
      }),
    );
    recordShownProfiles(this.registry, op, shown);
    return shown;
  }
}
