import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { BuildSchemaOptions } from 'type-graphql';

/** DateTime as API.md names it, serialised as an ISO-8601 string in UTC (graphql-scalars' DateTimeISO). */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeISOResolver.toConfig(),
  name: 'DateTime',
  description: 'An instant as an ISO-8601 / RFC 3339 string in UTC, e.g. 2026-11-25T14:30:00.000Z',
});

/** Scalars every module shares: one instance each, so subschemas agree on them. */
export const SHARED_SCALARS: NonNullable<BuildSchemaOptions['scalarsMap']> = [{ type: Date, scalar: DateTimeScalar }];
