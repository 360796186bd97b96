import { inject, injectable } from 'inversify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Settings } from '../../../config/env';
import type { Role as RoleName } from '../../../contracts/users';
import { requireAdmin, requireViewer, type TokenService } from '../../../platform/auth';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../../platform/errors';
import { cursorCodec, pageSize, toConnection, type Connection } from '../../../platform/paging';
import { isUuid } from '../../../platform/ids';
import type { RateLimit, RateLimits } from '../../../platform/rate-limits';
import type { StoreOperation } from '../../../platform/store-port';
import { Role, User } from '../models/user.entity';
import { UserVisibility } from './user-visibility';
import { decoyHash, hashPassword, verifyPassword } from './password';
import { UserAccounts, UserStore, type AccountFilter, type UserView } from './user-store';
import { canonicalEmail, checkPassword, checkTimezone, MAX_EMAIL_LENGTH, normalizeEmail, normalizeName } from './user-rules';

/** Accounts are paged by createdAt, then id. */
const USER_CURSOR = cursorCodec('users', { createdAt: 'instant', id: 'uuid' });

export interface NewAccount {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  role: RoleName;
  timezone: string;
  isVerified?: boolean;
}

export interface AccountChanges {
  firstName?: string | null;
  lastName?: string | null;
  timezone?: string | null;
  role?: RoleName | null;
  isVerified?: boolean | null;
  isActive?: boolean | null;
}

export interface UserListFilter {
  role?: RoleName | null;
  search?: string | null;
  first?: number | null;
  after?: string | null;
  /** The client selected totalCount: the page's statement counts the matches too. */
  withTotal?: boolean;
}

export interface AuthResult {
  token: string;
  user: User;
}

const SELF_SERVICE_ROLES: readonly RoleName[] = [Role.PATIENT, Role.THERAPIST];
/** The window in which failed sign-ins and credential attempts are counted. */
const CREDENTIAL_WINDOW_SECONDS = 15 * 60;

/** What changes how an account stands (and so its live sockets): role and activation. */
export function accountChangesOf(user: Pick<User, 'role' | 'isActive'>, changes: AccountChanges): Array<'ROLE' | 'DEACTIVATED' | 'REACTIVATED'> {
  const found: Array<'ROLE' | 'DEACTIVATED' | 'REACTIVATED'> = [];
  if (changes.role != null && changes.role !== user.role) found.push('ROLE');
  if (changes.isActive === false && user.isActive) found.push('DEACTIVATED');
  if (changes.isActive === true && !user.isActive) found.push('REACTIVATED');
  return found;
}

/** Accounts: registration, sign-in, and who may read or change which user. */
@injectable()
export class UserService {
  /** Failed sign-ins per account: guessing one password stops after a few tries, whoever guesses. */
  private readonly failedSignIns: RateLimit;
  /** Registrations and failed sign-ins per client address: one source cannot sweep many accounts. */
  private readonly credentialAttempts: RateLimit;

  constructor(
    @inject(PLATFORM.Tokens) private readonly tokens: TokenService,
    @inject(UserStore) private readonly store: UserStore,
    @inject(UserVisibility) private readonly visibility: UserVisibility,
    @inject(PLATFORM.Settings) private readonly settings: Settings,
    @inject(PLATFORM.RateLimits) limits: RateLimits,
  ) {
    this.failedSignIns = limits.define('users.failed-sign-ins', {
      points: settings.loginMaxFailures,
      windowSeconds: CREDENTIAL_WINDOW_SECONDS,
      refusal: 'Too many failed sign-ins for this account',
    });
    this.credentialAttempts = limits.define('users.credential-attempts', {
      points: settings.authMaxPerAddress,
      windowSeconds: CREDENTIAL_WINDOW_SECONDS,
      refusal: 'Too many sign-in and registration attempts from your address',
    });
  }

  async register(op: OperationContext, input: NewAccount): Promise<AuthResult> {
    if (op.clientAddress) await this.credentialAttempts.consume(op.clientAddress);
    if (!SELF_SERVICE_ROLES.includes(input.role)) {
      throw new InvalidInputError('register accepts role PATIENT or THERAPIST; an admin creates other accounts', {
        field: 'role',
      });
    }
    const user = await this.createAccount(op, { ...input, isVerified: false }, 'register');
    return { token: this.tokenFor(user), user };
  }

  async createUser(op: OperationContext, input: NewAccount): Promise<User> {
    requireAdmin(op.viewer);
    return this.createAccount(op, input, 'admin');
  }

  /**
   * A locked account (too many failures) or address is refused before the password is checked, so
   * guessing stops even when a guess would be right. Success clears the account's failures.
   */
  async login(op: OperationContext, email: string, password: string): Promise<AuthResult> {
    const normalized = canonicalEmail(email);
    // The failure budget's key: no real address is longer, so keys stay bounded.
    const account = (normalized ?? email.trim().normalize('NFC').toLowerCase()).slice(0, MAX_EMAIL_LENGTH);
    const address = op.clientAddress;
    await Promise.all([this.failedSignIns.check(account), address ? this.credentialAttempts.check(address) : undefined]);
    const user = normalized ? await this.store.read(op).accounts.findWithPassword({ email: normalized }) : null;
    // Unknown emails still pay for a hash, so timing does not reveal which emails exist.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !valid) {
      await Promise.all([this.failedSignIns.penalize(account), address ? this.credentialAttempts.penalize(address) : undefined]);
      throw new UnauthenticatedError('Invalid email or password');
    }
    await this.failedSignIns.reset(account);
    if (!user.isActive) throw new UnauthenticatedError('This account has been deactivated');
    return { token: this.tokenFor(user), user };
  }

  /**
   * The signed-in user's new password. The current one is checked (and wrong guesses count like
   * failed sign-ins); every token issued before is refused from now on; the answer has a fresh one.
   */
  async changePassword(op: OperationContext, currentPassword: string, newPassword: string): Promise<AuthResult> {
    const viewer = requireViewer(op.viewer);
    const found = await this.store.read(op).accounts.findWithPassword({ id: viewer.userId });
    if (!found) throw new UnauthenticatedError();
    await this.failedSignIns.check(found.email);
    if (!(await verifyPassword(currentPassword, found.passwordHash))) {
      await this.failedSignIns.penalize(found.email);
      throw new InvalidInputError('currentPassword is not your current password', { field: 'currentPassword' });
    }
    const passwordHash = await hashPassword(checkPassword(newPassword));
    const user = await this.store.transaction(op, async ({ accounts, events }) => {
      const account = await accounts.findForUpdate(viewer.userId);
      if (!account) throw new UnauthenticatedError();
      accounts.change(account, { passwordHash, tokenVersion: account.tokenVersion + 1 });
      await events.record('UserAccountChanged', account.id, {
        userId: account.id,
        changes: ['PASSWORD'],
        role: account.role,
        actorId: viewer.userId,
      });
      return account;
    });
    await this.failedSignIns.reset(found.email);
    return { token: this.tokenFor(user), user };
  }

  async me(op: OperationContext): Promise<User | null> {
    if (!op.viewer) return null;
    return this.store.read(op).accounts.findById(op.viewer.userId);
  }

  /**
   * Self and admins; a therapist sees a user another module vouches for (e.g. their patient).
   * Anyone else gets null, as for an unknown id, so ids cannot be probed.
   */
  async user(op: OperationContext, id: string): Promise<User | null> {
    const viewer = requireViewer(op.viewer);
    if (viewer.userId !== id && viewer.role !== Role.ADMIN && !(viewer.role === Role.THERAPIST && (await this.visibility.therapistMaySee(op, viewer.userId, id)))) return null;
    const user = isUuid(id) ? await this.store.read(op).accounts.findById(id) : null;
    this.visibility.recordShownProfiles(op, [user]);
    return user;
  }

  async users(op: OperationContext, filter: UserListFilter): Promise<Connection<UserView>> {
    requireAdmin(op.viewer);
    const first = pageSize(filter.first);
    const search = filter.search?.trim();
    // Every word matches some part of the person: "Zeb Quux", "Quuxworth Zebediah" and "zeb@" all find Zebediah Quuxworth.
    const patterns = search
      ? search
          .normalize('NFC')
          .split(/\s+/)
          .map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      : [];
    const where: AccountFilter = { role: filter.role, patterns };
    const cursor = USER_CURSOR.decode(filter.after);
    const { accounts } = this.store.read(op);
    const { rows, total } = await accounts.page(where, first + 1, cursor, filter.withTotal ?? false);
    this.visibility.recordShownProfiles(op, rows.slice(0, first));
    return toConnection(rows, first, (u) => USER_CURSOR.encode(u), total);
  }

  async updateUser(op: OperationContext, id: string, changes: AccountChanges): Promise<User> {
    const viewer = requireViewer(op.viewer);
    const isAdmin = viewer.role === Role.ADMIN;
    if (!isAdmin && viewer.userId !== id) throw new ForbiddenError('You may only change your own account');
    if (!isAdmin && (changes.role != null || changes.isVerified != null || changes.isActive != null)) {
      throw new ForbiddenError('Only an admin may change role, isVerified or isActive');
    }
    const firstName = changes.firstName != null ? normalizeName(changes.firstName, 'firstName') : null;
    const lastName = changes.lastName != null ? normalizeName(changes.lastName, 'lastName') : null;
    const timezone = changes.timezone != null ? checkTimezone(changes.timezone) : null;
    return this.store.transaction(op, async ({ accounts, events }) => {
      const user = isUuid(id) ? await accounts.findForUpdate(id) : null;
      if (!user) throw isAdmin ? new NotFoundError(`No user with id ${id}`) : new ForbiddenError('You may not change this user');
      const standing = accountChangesOf(user, changes);
      if (standing.includes('ROLE') || standing.includes('DEACTIVATED')) await this.keepAnAdmin(accounts, user, changes);
      accounts.change(user, {
        firstName: firstName ?? user.firstName,
        lastName: lastName ?? user.lastName,
        timezone: timezone ?? user.timezone,
        role: changes.role ?? user.role,
        isVerified: changes.isVerified ?? user.isVerified,
        isActive: changes.isActive ?? user.isActive,
        // Deactivation revokes every token: reactivating the account does not revive them.
        tokenVersion: standing.includes('DEACTIVATED') ? user.tokenVersion + 1 : user.tokenVersion,
      });
      if (standing.length > 0) {
        await events.record('UserAccountChanged', user.id, { userId: user.id, changes: standing, role: user.role, actorId: viewer.userId });
      }
      return user;
    });
  }

  /** An admin who loses the role or is deactivated must leave another active admin behind. */
  private async keepAnAdmin(accounts: UserAccounts, user: User, changes: AccountChanges): Promise<void> {
    if (user.role !== Role.ADMIN || !user.isActive) return;
    const staysAdmin = (changes.role ?? user.role) === Role.ADMIN && (changes.isActive ?? true);
    if (staysAdmin) return;
    const others = await accounts.countOtherActiveAdmins(user.id);
    if (others === 0) throw new ConflictError('The last active admin cannot lose the admin role or be deactivated');
  }

  private tokenFor(user: User): string {
    return this.tokens.issue({ userId: user.id, role: user.role }, user.tokenVersion);
  }

  /** Creates the configured admin at start if that email has no account yet. */
  async ensureBootstrapAdmin(em: EntityManager): Promise<User | null> {
    const { adminEmail, adminPassword } = this.settings;
    if (!adminEmail || !adminPassword) return null;
    const email = normalizeEmail(adminEmail);
    const op = { em, viewer: null, requestId: 'bootstrap' };
    const existing = await this.store.read(op).accounts.findByEmail(email);
    if (existing) return existing;
    try {
      return await this.createAccount(
        op,
        { email, password: adminPassword, firstName: 'Aura', lastName: 'Admin', role: Role.ADMIN, timezone: 'UTC', isVerified: true },
        'bootstrap',
      );
    } catch (error) {
      // Another instance starting at the same moment created it first.
      if (error instanceof ConflictError) return this.store.read({ ...op, em: em.fork() }).accounts.findByEmail(email);
      throw error;
    }
  }

  /** Stores the account and records UserRegistered in one transaction. */
  private async createAccount(op: StoreOperation, input: NewAccount, source: 'register' | 'admin' | 'bootstrap'): Promise<User> {
    const fields = {
      email: normalizeEmail(input.email),
      password: checkPassword(input.password),
      firstName: normalizeName(input.firstName, 'firstName'),
      lastName: normalizeName(input.lastName, 'lastName'),
      timezone: checkTimezone(input.timezone),
    };
    const user = new User();
    Object.assign(user, {
      email: fields.email,
      passwordHash: await hashPassword(fields.password),
      firstName: fields.firstName,
      lastName: fields.lastName,
      role: input.role,
      timezone: fields.timezone,
      isVerified: input.isVerified ?? false,
    });
    // An email already taken fails the insert: CONFLICT, with the message the store was given for that index.
    await this.store.transaction(op, async ({ accounts, events }) => {
      accounts.add(user);
      await events.record('UserRegistered', user.id, { userId: user.id, role: user.role, source });
    });
    return user;
  }
}
