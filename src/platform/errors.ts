/** The error codes clients rely on (API.md); one place maps errors to them. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export abstract class AuraError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends AuraError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'You must be signed in') {
    super(message);
  }
}
export class ForbiddenError extends AuraError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}
export class NotFoundError extends AuraError {
  readonly code = 'NOT_FOUND';
}
export class InvalidInputError extends AuraError {
  readonly code = 'BAD_USER_INPUT';
}
export class ConflictError extends AuraError {
  readonly code = 'CONFLICT';
}
export class RateLimitedError extends AuraError {
  readonly code = 'RATE_LIMITED';
}
export class ServiceUnavailableError extends AuraError {
  readonly code = 'SERVICE_UNAVAILABLE';
}

/** What a client is told to wait (Retry-After) while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The answer to any operation that could not reach the database: not a bug, retry later. */
export function databaseUnavailable(): ServiceUnavailableError {
  return new ServiceUnavailableError('The database is unavailable; try again shortly', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
}

/** Socket errors, and SQLSTATEs for connection failure (class 08), shutdown (57P0x) and no free slot (53300). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
/** What pg, knex's pool and pglite-socket say when the connection is gone or none can be had. */
const UNREACHABLE_MESSAGES = /Connection terminated|Connection ended unexpectedly|is not queryable|Timeout acquiring a connection/i;

/**
 * True when an error means the database could not be reached (refused, reset, terminated, pool
 * timeout), looking through GraphQL wrapping, MikroORM's DriverException, causes, AggregateErrors
 * and non-Error values a driver threw. Duck-typed: socket errors may come from another realm.
 */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (name === 'KnexTimeoutError' || name === 'ConnectionException') return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
  const { originalError, cause, errors, thrownValue } = error as { originalError?: unknown; cause?: unknown; errors?: unknown; thrownValue?: unknown };
  const inner = [originalError, cause, thrownValue, ...(Array.isArray(errors) ? errors : [])];
  return inner.some((e) => isDatabaseUnreachable(e, depth + 1));
}
