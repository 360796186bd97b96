import { domainToASCII } from 'node:url';
import { InvalidInputError } from '../../../platform/errors';
import { hasControlCharacter } from '../../../platform/text-input';
import type { Viewer } from '../../../platform/auth';
import type { Role as RoleName } from '../../../contracts/users';

/** The rules an account's fields obey, whoever writes them. Pure functions: unit-tested alone. */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 100;
/** Bidirectional overrides, embeddings, isolates and marks: they make a name display as something else. */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * One spelling per mailbox, so one account per email: trimmed, Unicode NFC (josé typed
 * precomposed or with a combining accent is one address), lower-cased, and the domain
 * IDNA-encoded (exämple.com -> xn--exmple-cua.com). Null when it is no email address.
 */
export function canonicalEmail(raw: string): string | null {
  const email = raw.trim().normalize('NFC').toLowerCase();
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  const domain = domainToASCII(email.slice(at + 1));
  const canonical = `${email.slice(0, at)}@${domain}`;
  return domain && canonical.length <= MAX_EMAIL_LENGTH && EMAIL.test(canonical) ? canonical : null;
}

export function normalizeEmail(raw: string): string {
  const email = canonicalEmail(raw);
  if (email === null) throw new InvalidInputError('email is not a valid email address', { field: 'email' });
  return email;
}

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidInputError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new InvalidInputError(`password must be at most ${MAX_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  return password;
}

export function normalizeName(raw: string, field: 'firstName' | 'lastName'): string {
  if (hasControlCharacter(raw) || BIDI_CONTROL.test(raw)) {
    throw new InvalidInputError(`${field} must not contain control characters, escapes or bidirectional overrides`, { field });
  }
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new InvalidInputError(`${field} must be 1 to ${MAX_NAME_LENGTH} characters`, { field });
  }
  return name;
}

/** An IANA time zone, stored as its canonical name ("europe/berlin" -> "Europe/Berlin"); "UTC" is always accepted. */
export function checkTimezone(raw: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidInputError(`timezone "${raw}" is not an IANA time zone`, { field: 'timezone' });
  }
}

/**
 * Who sees an account another module refers to (a session's therapist or patient, an invoice's,
 * a crisis alert's patient). A patient's account is health information: the patient, admins, and a
 * therapist another module vouches for (a care relationship: 'ask'). Anyone else's account (a
 * therapist's, an admin's) is shown to whoever holds the reference.
 */
export function referencedAccountVisibility(viewer: Viewer | null, account: { id: string; role: RoleName }): 'visible' | 'hidden' | 'ask' {
  if (!viewer) return 'hidden';
  if (viewer.userId === account.id || viewer.role === 'ADMIN' || account.role !== 'PATIENT') return 'visible';
  return viewer.role === 'THERAPIST' ? 'ask' : 'hidden';
}
