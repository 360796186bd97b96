import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isNonNullType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  GraphQLObjectType,
  validateSchema,
  type GraphQLField,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { mergeSchemas } from '@graphql-tools/schema';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { OperationContext } from '../context';
import { NotFoundError } from '../errors';
import { isReference, type EntityReference, type References } from '../references';
import { nodeResolvers, nodeTypeDefs } from './node';

export interface Subschema {
  module: string;
  schema: GraphQLSchema;
}

export class CompositionError extends Error {}

/** The field by which a module refers to another module's type in a stub (`User { id }`). */
export const KEY_FIELD = 'id';

/** Types the platform itself defines and every module may include unchanged. */
export const SHARED_TYPES = new Set(['PageInfo']);

type AnyField = GraphQLField<unknown, unknown> | GraphQLInputField;

function describeField(field: AnyField): string {
  const args = 'args' in field ? field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ') : '';
  return args ? `(${args}): ${String(field.type)}` : String(field.type);
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object type';
  if (isInterfaceType(type)) return 'interface';
  if (isInputObjectType(type)) return 'input type';
  if (isEnumType(type)) return 'enum';
  if (isUnionType(type)) return 'union';
  return 'scalar';
}

function fieldsOf(type: GraphQLNamedType): Record<string, AnyField> | undefined {
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) return type.getFields();
  return undefined;
}

function checkFields(name: string, definitions: Array<{ module: string; type: GraphQLNamedType }>): void {
  const owners = new Map<string, { module: string; shape: string }>();
  for (const { module, type } of definitions) {
    for (const field of Object.values(fieldsOf(type) ?? {})) {
      const shape = describeField(field);
      const previous = owners.get(field.name);
      if (!previous) {
        owners.set(field.name, { module, shape });
        continue;
      }
      if (previous.shape !== shape) {
        throw new CompositionError(
          `Field ${name}.${field.name} is ${previous.shape} in module "${previous.module}" but ${shape} in module "${module}"`,
        );
      }
      if (field.name !== KEY_FIELD && !SHARED_TYPES.has(name)) {
        throw new CompositionError(
          `Field ${name}.${field.name} is defined by both module "${previous.module}" and module "${module}"; ` +
            `a field has one owner (extend the type with new fields instead)`,
        );
      }
    }
  }
}

function sameDefinition(name: string, a: { module: string; type: GraphQLNamedType }, b: { module: string; type: GraphQLNamedType }): void {
  if (kindOf(a.type) !== kindOf(b.type)) {
    throw new CompositionError(
      `Type ${name} is an ${kindOf(a.type)} in module "${a.module}" but an ${kindOf(b.type)} in module "${b.module}"`,
    );
  }
  if (isEnumType(a.type) && isEnumType(b.type)) {
    const left = a.type.getValues().map((v) => v.name).sort().join(', ');
    const right = b.type.getValues().map((v) => v.name).sort().join(', ');
    if (left !== right) {
      throw new CompositionError(
        `Enum ${name} is defined differently by module "${a.module}" (${left}) and module "${b.module}" (${right})`,
      );
    }
  }
  if (isScalarType(a.type) && isScalarType(b.type) && a.type.serialize !== b.type.serialize) {
    throw new CompositionError(
      `Scalar ${name} is defined differently by module "${a.module}" and module "${b.module}"; use the platform's scalar`,
    );
  }
  if (isUnionType(a.type) && isUnionType(b.type)) {
    const left = a.type.getTypes().map((t) => t.name).sort().join(' | ');
    const right = b.type.getTypes().map((t) => t.name).sort().join(' | ');
    if (left !== right) {
      throw new CompositionError(`Union ${name} is ${left} in module "${a.module}" but ${right} in module "${b.module}"`);
    }
  }
}

/**
 * Checks that the modules' subschemas compose: one owner per field (the key field and
 * platform-shared types excepted), and no disagreement on a type, field, enum or scalar.
 */
export function checkComposition(subschemas: Subschema[]): void {
  const definitions = new Map<string, Array<{ module: string; type: GraphQLNamedType }>>();
  for (const { module, schema } of subschemas) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
      const list = definitions.get(type.name) ?? [];
      list.push({ module, type });
      definitions.set(type.name, list);
    }
  }
  for (const [name, list] of definitions) {
    if (list.length < 2) continue;
    for (const other of list.slice(1)) sameDefinition(name, list[0], other);
    checkFields(name, list);
  }
}

/** Which module contributes each field (`Type.field`); the key field belongs to no one. */
function contributors(subschemas: Subschema[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const { module, schema } of subschemas) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const name of Object.keys(type.getFields())) if (name !== KEY_FIELD) byField.set(`${type.name}.${name}`, module);
    }
  }
  return byField;
}

/** Each owner must define the type whose references it resolves. */
function checkOwners(subschemas: Subschema[], references: References): void {
  for (const [typename, owner] of references.owners()) {
    const own = subschemas.find((s) => s.module === owner)?.schema.getType(typename);
    if (!own || !isObjectType(own)) {
      throw new CompositionError(`Module "${owner}" resolves references to ${typename} but its subschema defines no object type ${typename}`);
    }
  }
}

/**
 * The resolver of a field that returns another module's entity: the field's own resolver returns
 * references, the owner resolves them in one batch per type and operation. A null from the owner
 * on a non-null field is NOT_FOUND (like an unknown id); in a list of non-null items it is left out.
 */
export function resolvingReferences(
  field: Pick<GraphQLFieldConfig<unknown, OperationContext>, 'type' | 'resolve'>,
  coordinate: string,
  references: References,
): GraphQLFieldResolver<unknown, OperationContext> {
  const inner = field.resolve ?? defaultFieldResolver;
  const typename = getNamedType(field.type).name;
  const list = isListType(getNullableType(field.type));
  const required = isNonNullType(list ? (getNullableType(field.type) as { ofType: typeof field.type }).ofType : field.type);
  const referenceOf = (value: unknown): EntityReference => {
    // No snapshot stands in for an entity: a non-owner hands out references only.
    if (!isReference(value) || value.__typename !== typename) throw new Error(`${coordinate} returned something other than a reference to ${typename}`);
    return value;
  };
  // No async function here: per item of a page, its promise and its await were most of the field's cost.
  const resolveOne = (op: OperationContext, value: unknown): unknown => {
    if (value == null) return null;
    const ref = referenceOf(value);
    const entity = references.resolve(op, ref);
    if (!required) return entity;
    return entity.then((found) => {
      if (found === null) throw new NotFoundError(`No ${typename} with id ${ref.id}`);
      return found;
    });
  };
  const resolveList = async (op: OperationContext, value: unknown) => {
    if (value == null) return null;
    const entities = await references.resolveMany(op, Array.from(value as Iterable<unknown>, referenceOf));
    return required ? entities.filter((entity) => entity !== null) : entities;
  };
  const resolveValue = list ? resolveList : resolveOne;
  return (parent, args, op, info) => {
    const value = inner(parent, args, op, info);
    return value instanceof Promise ? value.then((v) => resolveValue(op, v)) : resolveValue(op, value);
  };
}

/** Wraps exactly the fields a non-owner contributes that return an owned entity type; owners' own fields stay as they are. */
function resolveReferencesByOwner(schema: GraphQLSchema, subschemas: Subschema[], references: References): GraphQLSchema {
  const contributorOf = contributors(subschemas);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const returned = getNamedType(field.type);
      const owner = isObjectType(returned) ? references.ownerOf(returned.name) : undefined;
      const contributor = contributorOf.get(`${typeName}.${fieldName}`);
      if (!owner || !contributor || contributor === owner) return field;
      return { ...field, resolve: resolvingReferences(field as GraphQLFieldConfig<unknown, OperationContext>, `${typeName}.${fieldName}`, references) };
    },
  });
}

/** A type and its key field read as their owner describes them, not as the last stub merged did. */
function ownersDescriptions(schema: GraphQLSchema, subschemas: Subschema[], references: References): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_TYPE]: (type) => {
      const owner = references.ownerOf(type.name);
      const own = subschemas.find((s) => s.module === owner)?.schema.getType(type.name);
      if (!own || !isObjectType(own)) return type;
      const config = type.toConfig();
      const key = config.fields[KEY_FIELD];
      const fields = key ? { ...config.fields, [KEY_FIELD]: { ...key, description: own.getFields()[KEY_FIELD]?.description } } : config.fields;
      return new GraphQLObjectType({ ...config, description: own.description, fields });
    },
  });
}

/**
 * Merges the checked subschemas into the one schema the gateway serves; with `references`, the
 * fields that return another module's entity resolve it through its owner, and every owned type
 * is a Node that Query.node(id) refetches.
 */
export function composeSchema(subschemas: Subschema[], references?: References): GraphQLSchema {
  checkComposition(subschemas);
  if (references) checkOwners(subschemas, references);
  const schemas = subschemas.map((s) => s.schema);
  const nodes = references ? references.owners().map(([typename]) => typename).sort() : [];
  const merged =
    references && nodes.length > 0
      ? mergeSchemas({ schemas, typeDefs: nodeTypeDefs(nodes), resolvers: nodeResolvers(references, nodes) })
      : mergeSchemas({ schemas });
  const schema = references ? ownersDescriptions(resolveReferencesByOwner(merged, subschemas, references), subschemas, references) : merged;
  const errors = validateSchema(schema);
  if (errors.length > 0) {
    throw new CompositionError(`The composed schema is invalid: ${errors.map((e) => e.message).join('; ')}`);
  }
  return schema;
}
