import type { GraphQLSchema } from 'graphql';
import type { Container } from 'inversify';
import { buildSchema, type PubSub } from 'type-graphql';
import type { AuraModule } from '../module';
import { SHARED_SCALARS } from './scalars';

/** A module's own subschema, code-first from its resolvers, resolved through the container. */
export function buildModuleSchema(module: AuraModule, container: Container, pubSub: PubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: module.resolvers,
    container: { get: (someClass) => container.get(someClass) },
    pubSub,
    scalarsMap: SHARED_SCALARS,
    validate: false,
    emitSchemaFile: false,
  });
}
