import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { injectable, injectFromBase } from 'inversify';
import { ModuleStore, selectList, type LeanReads, type StoreAccess } from '../../../platform/store';
import { Role, User } from '../models/user.entity';

/** What other modules may know of a user (UserDirectory): read lean, straight from the row. */
const SUMMARY_FIELDS = ['id', 'email', 'firstName', 'lastName', 'role', 'isVerified', 'isActive', 'timezone', 'createdAt'] as const;

/** SUMMARY_FIELDS as a select list: each column under its property's name. */
const SUMMARY_COLUMNS = selectList(SUMMARY_FIELDS);

/** An account as the read side shows it: the summary columns, read straight from the row (no entity). */
export type UserView = Pick<User, (typeof SUMMARY_FIELDS)[number]>;

/** Which accounts a list shows: one role, and words that each match the email or a name (LIKE patterns, already escaped). */
export interface AccountFilter {
  role?: `${Role}` | null;
  patterns: readonly string[];
}

/** The SQL form of a list's filter: one rule for its page and its count. */
function sqlWhereOf(filter: AccountFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.role) {
    conditions.push('role = ?');
    params.push(filter.role);
  }
  for (const pattern of filter.patterns) {
    conditions.push('(email ilike ? or first_name ilike ? or last_name ilike ?)');
    params.push(pattern, pattern, pattern);
  }
  return { sql: conditions.length ? conditions.join(' and ') : 'true', params };
}

/** Accounts in the `users` schema. */
export class UserAccounts {
  constructor(
    private readonly em: EntityManager,
    private readonly lean: LeanReads,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.em.findOne(User, { id });
  }

  /** One `WHERE id IN (...)`; unknown ids are missing from the result. */
  findByIds(ids: readonly string[]): Promise<User[]> {
    return ids.length ? this.em.find(User, { id: { $in: [...ids] } }) : Promise.resolve([]);
  }

  /** With its password hash (lazy, loaded only to check a password). */
  findWithPassword(where: { id: string } | { email: string }): Promise<User | null> {
    return this.em.findOne(User, where, { populate: ['passwordHash'] });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.em.findOne(User, { email });
  }

  /** Loads and row-locks the account until the transaction ends. */
  findForUpdate(id: string): Promise<User | null> {
    return this.em.findOne(User, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** Added accounts are inserted when the transaction commits; an email taken is CONFLICT. */
  add(user: User): void {
    this.em.persist(user);
  }

  change(user: User, changes: Partial<Pick<User, 'firstName' | 'lastName' | 'timezone' | 'role' | 'isVerified' | 'isActive' | 'tokenVersion' | 'passwordHash'>>): void {
    this.em.assign(user, changes);
  }

  /**
   * Keyset page in (createdAt, id) order, on the read side: one statement written as SQL, plain
   * views; with `withTotal` the statement also counts every account the filter matches.
   */
  page(filter: AccountFilter, first: number, after: { createdAt: Date; id: string } | null, withTotal: boolean): Promise<{ rows: UserView[]; total: () => number | Promise<number> }> {
    return this.lean.page<UserView>({
      columns: SUMMARY_COLUMNS,
      from: 'users.user_account',
      where: sqlWhereOf(filter),
      after: after ? { sql: '(created_at, id) > (?, ?)', params: [after.createdAt, after.id] } : null,
      orderBy: 'created_at, id',
      limit: first,
      withTotal,
      instants: ['createdAt'],
    });
  }

  countOtherActiveAdmins(id: string): Promise<number> {
    return this.em.count(User, { role: Role.ADMIN, isActive: true, id: { $ne: id } });
  }

  /** One lean `WHERE id IN (...)`: plain summaries (views), no entity, no identity map, no query builder (a page's batch of users). */
  summaries(ids: readonly string[]): Promise<UserView[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.lean.rows<UserView>(`select ${SUMMARY_COLUMNS} from users.user_account where id in (${ids.map(() => '?').join(', ')})`, [...ids], ['createdAt']);
  }
}

export interface UserRepositories {
  accounts: UserAccounts;
}

/** The users module's persistence; transaction, outbox and error mapping come from the platform's store. */
@injectable()
@injectFromBase({ extendConstructorArguments: true })
export class UserStore extends ModuleStore<UserRepositories> {
  protected readonly options = {
    schema: 'users',
    conflicts: { user_account_email_unique: { message: 'An account with this email already exists', details: { field: 'email' } } },
  };

  protected repositoriesOn({ em, lean }: StoreAccess): UserRepositories {
    return { accounts: new UserAccounts(em, lean) };
  }
}
