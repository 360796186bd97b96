import type { GraphQLSchema } from 'graphql';
import type { Container } from 'inversify';
import { buildSchema, getMetadataStorage, type NonEmptyArray, type PubSub } from 'type-graphql';
import { PLATFORM } from '../container';
import { resumableSubscriptions } from '../live-events';
import type { AuraModule } from '../module';
import { callFieldResolversDirectly } from './lean-resolvers';
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

/** The root types belong to no module: every subschema describes them in the same words. */
const ROOT_DESCRIPTIONS = {
  query: 'Reads. Each answers only what the viewer may see: someone else\'s object and an unknown id look the same (null)',
  mutation: 'Changes. Each commits its state and its events together; an Idempotency-Key header makes a retry safe',
  subscription: 'Live events over WebSocket (graphql-transport-ws) or Server-Sent Events, each shown only to subscribers who may see it',
} as const;

function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  for (const [root, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const) {
    if (type) type.description = ROOT_DESCRIPTIONS[root];
  }
  return schema;
}

/** A module's own subschema, code-first from its resolvers, resolved through the container. */
export async function buildModuleSchema(module: AuraModule, container: Container, pubSub: PubSub): Promise<GraphQLSchema> {
  // type-graphql asks for the resolver instance on every field it resolves (50 sessions: 100 asks
  // for their therapist and patient); resolvers are singletons, so each is taken from the container once.
  const resolvers = new Map<unknown, unknown>();
  const resolverOf = (someClass: new (...args: never[]) => unknown) => {
    let instance = resolvers.get(someClass);
    if (instance === undefined) {
      instance = container.get(someClass);
      resolvers.set(someClass, instance);
    }
    return instance;
  };
  const schema = await buildSchema({
    resolvers: module.resolvers as unknown as NonEmptyArray<Function>,
    container: { get: resolverOf },
    pubSub,
    orphanedTypes: resolverTargets(module),
    scalarsMap: SHARED_SCALARS,
    validate: false,
    emitSchemaFile: false,
  });
  callFieldResolversDirectly(schema, module.resolvers, (resolverClass) => resolverOf(resolverClass as new (...args: never[]) => unknown));
  // Subscription fields that take `after` resume from the outbox (live-events.ts).
  return resumableSubscriptions(describeRoots(schema), module.resolvers, container.get(PLATFORM.EventLog));
}
