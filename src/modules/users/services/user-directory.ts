import type { Role as RoleName, UserDirectory, UserSummary } from '../../../contracts/users';
import type { OperationContext } from '../../../platform/context';
import { InvalidInputError, NotFoundError } from '../../../platform/errors';
import { isUuid } from '../../../platform/ids';
import { defineLoader } from '../../../platform/loaders';
import type { UserStore } from './user-store';

/** What other modules may know about users, through the UserDirectory contract: one lean `WHERE id IN (...)` per batch, per operation. */
export function userDirectoryOn(store: UserStore): UserDirectory {
  const findByIds = async (op: OperationContext, ids: readonly string[]): Promise<Array<UserSummary | null>> => {
    const rows = await store.read(op).accounts.summaries([...new Set(ids.filter(isUuid))]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  };
  const userById = defineLoader<string, UserSummary | null>('users.userById', findByIds);
  const requireUser = async (op: OperationContext, id: string): Promise<UserSummary> => {
    const user = await userById.load(op, id);
    if (!user) throw new NotFoundError(`No user with id ${id}`);
    return user;
  };
  return {
    findByIds,
    findById: (op, id) => userById.load(op, id),
    requireUser,
    async requireRole(op: OperationContext, id: string, role: RoleName): Promise<UserSummary> {
      const user = await requireUser(op, id);
      if (user.role !== role) throw new InvalidInputError(`User ${id} is not a ${role.toLowerCase()}`);
      return user;
    },
  };
}
