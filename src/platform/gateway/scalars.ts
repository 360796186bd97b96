import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeISOResolver, EmailAddressResolver } from 'graphql-scalars';
import type { BuildSchemaOptions } from 'type-graphql';
import { InvalidInputError } from '../errors';
import { isSupportedInstant } from '../instants';

const base = DateTimeISOResolver.toConfig();

/** Parses like graphql-scalars' DateTimeISO, then holds the result to Aura's range; every refusal is BAD_USER_INPUT. */
function parsedInstant(parse: () => unknown): Date {
  let date: unknown;
  try {
    date = parse();
  } catch {
    throw new InvalidInputError('DateTime must be an ISO-8601 date-time, e.g. 2026-11-25T14:30:00Z');
  }
  if (!(date instanceof Date) || !isSupportedInstant(date)) {
    throw new InvalidInputError('DateTime must lie between 1900-01-01 and 2200-12-31');
  }
  return date;
}

/** DateTime as API.md names it, serialised as an ISO-8601 string in UTC (graphql-scalars' DateTimeISO). */
export const DateTimeScalar = new GraphQLScalarType({
  ...base,
  name: 'DateTime',
  description: 'An instant as an ISO-8601 / RFC 3339 string in UTC, e.g. 2026-11-25T14:30:00.000Z',
  parseValue: (value: unknown) => parsedInstant(() => base.parseValue!(value)),
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) => parsedInstant(() => base.parseLiteral!(ast, variables)),
});

/** Scalars every module shares: one instance each, so subschemas agree on them. */
export const SHARED_SCALARS: NonNullable<BuildSchemaOptions['scalarsMap']> = [{ type: Date, scalar: DateTimeScalar }];

const emailBase = EmailAddressResolver.toConfig();
/** By shape only: graphql-scalars' pattern refuses non-ASCII local parts, which accounts may have (josé@…, RFC 6531). */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u;

const EMAIL_REFUSAL = 'EmailAddress must be an email address, e.g. jose@example.com';

/** Input that is no address is the client's error (BAD_USER_INPUT); a stored one that is not, ours (masked). */
function emailAddress(value: unknown, refusal: new (message: string) => Error = InvalidInputError): string {
  if (typeof value !== 'string' || !EMAIL_SHAPE.test(value)) throw new refusal(EMAIL_REFUSAL);
  return value;
}

/** graphql-scalars' EmailAddress, widened to the international addresses Aura accepts. */
export const EmailAddressScalar = new GraphQLScalarType({
  ...emailBase,
  description: 'An email address (RFC 5322; international local parts as RFC 6531 allows), e.g. jose@example.com',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc6531',
  serialize: (value: unknown) => emailAddress(value, TypeError),
  parseValue: (value: unknown) => emailAddress(value),
  parseLiteral: (ast: ValueNode) => emailAddress(ast.kind === Kind.STRING ? ast.value : undefined),
});

/**
 * Typed strings from graphql-scalars, one instance each for every module: they carry meaning for
 * clients (and validate what is served). Output fields use them; inputs keep their String types.
 */
export { TimeZoneResolver as TimeZoneScalar, CurrencyResolver as CurrencyScalar } from 'graphql-scalars';
