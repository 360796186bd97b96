import { injectable } from 'inversify';
import type { Role as RoleName, UserDirectory, UserSummary } from '../../../contracts/users';
import type { OperationContext } from '../../../platform/context';
import { InvalidInputError, NotFoundError } from '../../../platform/errors';
import { isUuid } from '../../../platform/ids';
import { defineLoader } from '../../../platform/loaders';
import { User } from '../models/user.entity';

function summaryOf(user: User): UserSummary {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
    isVerified: user.isVerified,
    isActive: user.isActive,
    timezone: user.timezone,
    createdAt: user.createdAt,
  };
}

/** One `WHERE id IN (...)` per batch, per operation. */
async function findByIds(op: OperationContext, ids: readonly string[]): Promise<Array<UserSummary | null>> {
  const wanted = [...new Set(ids.filter(isUuid))];
  const rows = wanted.length ? await op.em.find(User, { id: { $in: wanted } }) : [];
  const byId = new Map(rows.map((row) => [row.id, summaryOf(row)]));
  return ids.map((id) => byId.get(id) ?? null);
}

const userById = defineLoader<string, UserSummary | null>('users.userById', findByIds);

async function requireUser(op: OperationContext, id: string): Promise<UserSummary> {
  const user = await userById.load(op, id);
  if (!user) throw new NotFoundError(`No user with id ${id}`);
  return user;
}

/** What other modules may know about users, through the UserDirectory contract. */
@injectable()
export class UserDirectoryService implements UserDirectory {
  findByIds(op: OperationContext, ids: readonly string[]): Promise<Array<UserSummary | null>> {
    return findByIds(op, ids);
  }

  findById(op: OperationContext, id: string): Promise<UserSummary | null> {
    return userById.load(op, id);
  }

  requireUser(op: OperationContext, id: string): Promise<UserSummary> {
    return requireUser(op, id);
  }

  async requireRole(op: OperationContext, id: string, role: RoleName): Promise<UserSummary> {
    const user = await requireUser(op, id);
    if (user.role !== role) throw new InvalidInputError(`User ${id} is not a ${role.toLowerCase()}`);
    return user;
  }
}
