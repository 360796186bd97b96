import type { GraphQLSchema } from 'graphql';
import type { Container } from 'inversify';
import { buildSchema, getMetadataStorage, type NonEmptyArray, type PubSub } from 'type-graphql';
import { PLATFORM } from '../container';
import { resumableSubscriptions } from '../live-events';
import type { AuraModule } from '../module';
import { SHARED_SCALARS } from './scalars';

/**
 * The object types a module's resolvers are declared for (`@Resolver(() => User)`): a stub
 * type must be in the subschema even when no root field of the module returns it.
 */
function resolverTargets(module: AuraModule): Function[] {
  const classes = getMetadataStorage().resolverClasses;
  return module.resolvers.flatMap((resolver) => {
    const metadata = classes.find((c) => c.target === resolver);
    try {
      const target = metadata?.getObjectType?.();
      return typeof target === 'function' ? [target] : [];
    } catch {
      return []; // `@Resolver()` without a type: root fields only
    }
  });
}

/** A module's own subschema, code-first from its resolvers, resolved through the container. */
export async function buildModuleSchema(module: AuraModule, container: Container, pubSub: PubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: module.resolvers as unknown as NonEmptyArray<Function>,
    container: { get: (someClass) => container.get(someClass) },
    pubSub,
    orphanedTypes: resolverTargets(module),
    scalarsMap: SHARED_SCALARS,
    validate: false,
    emitSchemaFile: false,
  });
  // Subscription fields that take `after` resume from the outbox (live-events.ts).
  return resumableSubscriptions(schema, module.resolvers, container.get(PLATFORM.EventLog));
}
