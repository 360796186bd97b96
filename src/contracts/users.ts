import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperationContext } from '../platform/context';
import { serviceKey } from '../platform/registry';

/** What the users module offers the others. Implemented in src/modules/users. */
export type Role = 'PATIENT' | 'THERAPIST' | 'ADMIN' | 'ANALYST';

/** The GraphQL description of Role and its values: every module that shows a role uses these words. */
export const ROLE_DESCRIPTION = 'What a user is to the practice';
export const ROLE_VALUES: Readonly<Record<Role, string>> = {
  PATIENT: 'Receives care: books sessions, talks to the chatbot, pays invoices; sees only their own health information',
  THERAPIST: 'Gives care: accepts and runs sessions, sets working hours and rate; sees their own sessions and patients in a care relationship',
  ADMIN: 'Runs the practice: sees and manages everything except clinical notes and chatbot messages',
  ANALYST: 'Reads de-identified analytics and sessions only; never a patient or therapist identity',
};

/** The public shape of a user as other modules see it (never credentials). */
export interface UserSummary {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  isVerified: boolean;
  isActive: boolean;
  timezone: string;
  createdAt: Date;
}

export interface UserDirectory {
  /** One entry per id, in order; null where no such user exists. One query per call. */
  findByIds(op: OperationContext, ids: readonly string[]): Promise<Array<UserSummary | null>>;
  /** The user, batched with other lookups of the same operation; null if unknown. */
  findById(op: OperationContext, id: string): Promise<UserSummary | null>;
  /** The user, batched like findById; a NOT_FOUND error when there is none. */
  requireUser(op: OperationContext, id: string): Promise<UserSummary>;
  /** The user when it exists and has the role; otherwise a NOT_FOUND / BAD_USER_INPUT error. */
  requireRole(op: OperationContext, id: string, role: Role): Promise<UserSummary>;
}

export const UserDirectory = serviceKey<UserDirectory>('UserDirectory');

/** An account as it stands now, which every operation checks its token against. */
export interface AccountStanding {
  role: Role;
  active: boolean;
  /** Raised by deactivation and password changes; a token carrying another version is refused. */
  tokenVersion: number;
}

/** The users module answers the platform: how do these accounts stand? One primary-key read. */
export interface AccountStandings {
  /**
   * Many at once: the operations that arrive in one turn of the event loop (the platform's Viewers),
   * the periodic check of open sockets. Absent ids (no such account) are missing from the map.
   */
  standingsOf(em: EntityManager, userIds: readonly string[]): Promise<Map<string, AccountStanding>>;
}

export const AccountStandings = serviceKey<AccountStandings>('AccountStandings');

/**
 * Other modules say when a therapist may see a user (e.g. "has a session with them").
 * The users module asks every contribution; none means a therapist sees only themself.
 */
export interface TherapistVisibilityRule {
  therapistMaySee(op: OperationContext, therapistId: string, userId: string): Promise<boolean>;
}

/** An extension point: every module may contribute a rule; the users module receives them all. */
export const TherapistVisibility = serviceKey<TherapistVisibilityRule>('TherapistVisibility');

export interface UserRegisteredPayload {
  userId: string;
  role: Role;
  /** How the account came to be: self-service register, admin createUser, or bootstrap. */
  source: 'register' | 'admin' | 'bootstrap';
}

/** Role changed, account (de/re)activated, or password changed: every instance closes the user's sockets. */
export interface UserAccountChangedPayload {
  userId: string;
  changes: Array<'ROLE' | 'DEACTIVATED' | 'REACTIVATED' | 'PASSWORD'>;
  role: Role;
  actorId: string;
}

/** The topic live sockets listen on (the outbox publishes each event under its type). */
export const USER_ACCOUNT_CHANGED = 'UserAccountChanged';
