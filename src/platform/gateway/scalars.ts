import { DateTimeResolver } from 'graphql-scalars';
import type { BuildSchemaOptions } from 'type-graphql';

/** Scalars every module shares: one instance each, so subschemas agree on them. */
export const DateTimeScalar = DateTimeResolver;

export const SHARED_SCALARS: NonNullable<BuildSchemaOptions['scalarsMap']> = [{ type: Date, scalar: DateTimeScalar }];
