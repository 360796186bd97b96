import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/** What type-graphql keeps of a `@FieldResolver` method once a schema is built (its metadata is not public API). */
interface FieldResolverMetadata {
  target: Function;
  methodName: string;
  schemaName: string;
  kind: 'external' | 'internal';
  middlewares?: unknown[];
  roles?: unknown[];
  params?: Array<{ kind: string; index: number; propertyName?: string; getType?: () => unknown }>;
  getObjectType?: () => Function;
}

type Take = (root: unknown, context: unknown, info: unknown) => unknown;

/**
 * `@FieldResolver` methods called straight, without type-graphql's handler around each call.
 *
 * For every call type-graphql builds the resolver's data object, sorts and maps the method's
 * parameter list, and chains its middleware dispatcher: on a page of 50 sessions its therapist and
 * patient fields paid that 100 times, about a tenth of the dashboard's allocation. A field resolver
 * whose parameters are only `@Root()`, `@Ctx()` and `@Info()`, with no middleware and no roles,
 * needs none of it: it becomes a direct call of the method on the resolver's single instance.
 * Anything else (arguments, which type-graphql converts and may validate; middlewares; an auth
 * checker) keeps type-graphql's resolver. A `@Root()` typed with a class is passed as it is only when
 * it is an instance of that class (type-graphql would copy anything else into one): otherwise that
 * call goes type-graphql's way.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema, resolverClasses: readonly Function[], instanceOf: (resolverClass: Function) => unknown): GraphQLSchema {
  const storage = getMetadataStorage() as unknown as {
    fieldResolvers: FieldResolverMetadata[];
    objectTypes: Array<{ target: Function; name: string }>;
  };
  for (const metadata of storage.fieldResolvers) {
    if (metadata.kind !== 'external' || !resolverClasses.includes(metadata.target)) continue;
    if (metadata.middlewares?.length || metadata.roles) continue;
    const objectClass = metadata.getObjectType?.();
    const typeName = storage.objectTypes.find((type) => type.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[metadata.schemaName] : undefined;
    if (!field?.resolve) continue;
    const direct = directCall(metadata, instanceOf(metadata.target), field.resolve);
    if (direct) field.resolve = direct;
  }
  return schema;
}

function directCall(
  metadata: FieldResolverMetadata,
  instance: unknown,
  viaTypeGraphql: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> | undefined {
  const methods = instance as Record<string, (...args: unknown[]) => unknown>;
  const name = metadata.methodName;
  if (typeof methods[name] !== 'function') return undefined;
  const params = [...(metadata.params ?? [])].sort((a, b) => a.index - b.index);
  if (params.some((param, i) => param.index !== i || param.propertyName !== undefined)) return undefined;
  let rootClass: Function | undefined;
  const takes: Take[] = [];
  for (const param of params) {
    if (param.kind === 'context') takes.push((_root, context) => context);
    else if (param.kind === 'info') takes.push((_root, _context, info) => info);
    else if (param.kind === 'root') {
      const declared = param.getType?.();
      if (typeof declared === 'function' && declared !== Object) rootClass = declared;
      takes.push((root) => root);
    } else return undefined;
  }
  const call = callWith(methods, name, takes);
  if (!rootClass) return (root, _args, context, info) => call(root, context, info);
  const declared = rootClass;
  return (root, args, context, info) => (root instanceof declared || root == null ? call(root, context, info) : viaTypeGraphql(root, args, context, info));
}

/** The instance's method (looked up at each call, as type-graphql does) with its parameters taken from (root, context, info); no array per call. */
function callWith(instance: Record<string, (...args: unknown[]) => unknown>, name: string, takes: Take[]): Take {
  const [a, b, c] = takes;
  switch (takes.length) {
    case 0:
      return () => instance[name]();
    case 1:
      return (root, context, info) => instance[name](a(root, context, info));
    case 2:
      return (root, context, info) => instance[name](a(root, context, info), b(root, context, info));
    case 3:
      return (root, context, info) => instance[name](a(root, context, info), b(root, context, info), c(root, context, info));
    default:
      return (root, context, info) => instance[name](...takes.map((take) => take(root, context, info)));
  }
}
