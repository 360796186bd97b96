import { inject, injectable } from 'inversify';
import type { Role as RoleName, UserDirectory, UserSummary } from '../../../contracts/users';
import type { OperationContext } from '../../../platform/context';
import { InvalidInputError, NotFoundError } from '../../../platform/errors';
import { isUuid } from '../../../platform/ids';
import { defineLoader, type LoaderDefinition } from '../../../platform/loaders';
import { UserStore } from './user-store';

/** What other modules may know about users, through the UserDirectory contract: one lean `WHERE id IN (...)` per batch, per operation. */
@injectable()
export class UserDirectoryService implements UserDirectory {
  private readonly userById: LoaderDefinition<string, UserSummary | null>;

  constructor(@inject(UserStore) private readonly store: UserStore) {
    this.userById = defineLoader<string, UserSummary | null>('users.userById', (op, ids) => this.findByIds(op, ids));
  }

  async findByIds(op: OperationContext, ids: readonly string[]): Promise<Array<UserSummary | null>> {
    const rows = await this.store.read(op).accounts.summaries([...new Set(ids.filter(isUuid))]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  findById(op: OperationContext, id: string): Promise<UserSummary | null> {
    return this.userById.load(op, id);
  }

  async requireUser(op: OperationContext, id: string): Promise<UserSummary> {
    const user = await this.userById.load(op, id);
    if (!user) throw new NotFoundError(`No user with id ${id}`);
    return user;
  }

  async requireRole(op: OperationContext, id: string, role: RoleName): Promise<UserSummary> {
    const user = await this.requireUser(op, id);
    if (user.role !== role) throw new InvalidInputError(`User ${id} is not a ${role.toLowerCase()}`);
    return user;
  }
}
