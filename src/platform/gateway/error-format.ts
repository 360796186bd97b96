import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AuraError, databaseUnavailable, isDatabaseUnreachable } from '../errors';

/*
 * How Aura's errors reach a client over GraphQL. The error classes (../errors.ts) stay free of
 * graphql, so domain code can throw them; this is the one place that maps them to codes.
 */

/** Codes graphql-js, Apollo and Aura itself raise for a bad request; safe to show as they are. */
const PASS_THROUGH_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

function originalOf(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * True for errors no client should see the details of: they are masked and logged. A
 * GraphQLError graphql-js raised before execution (no path) is the client's; one raised
 * while executing (e.g. a null for a non-null field) is ours.
 */
export function isInternalError(error: unknown): boolean {
  const original = originalOf(error);
  if (original instanceof AuraError || isDatabaseUnreachable(original)) return false;
  if (!(original instanceof GraphQLError)) return true;
  const code = original.extensions?.code;
  if (typeof code === 'string') return !PASS_THROUGH_CODES.has(code);
  return original.path !== undefined;
}

/** The GraphQLError that carries an Aura error to a transport (used where no resolver runs). */
export function toGraphQLError(error: AuraError, httpStatus?: number): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, ...error.details, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

/**
 * Shapes every error a client sees, over HTTP and WebSocket alike: Aura errors keep their
 * code, an unreachable database is SERVICE_UNAVAILABLE, request errors pass through, anything
 * else becomes a masked INTERNAL_SERVER_ERROR.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError {
  const base = { locations: formatted.locations, path: formatted.path };
  let original = originalOf(error);
  if (!(original instanceof AuraError) && isDatabaseUnreachable(original)) original = databaseUnavailable();
  if (original instanceof AuraError) {
    return { message: original.message, ...base, extensions: { code: original.code, ...original.details } };
  }
  if (!isInternalError(error)) {
    const message = formatted.message.replace(/^Context creation failed: /, '');
    const code = formatted.extensions?.code;
    return { message, ...base, extensions: { code: typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' ? code : 'BAD_REQUEST' } };
  }
  return { message: 'Internal server error', ...base, extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) } };
}
