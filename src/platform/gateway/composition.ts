import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  validateSchema,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { mergeSchemas } from '@graphql-tools/schema';

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

/** Merges the checked subschemas into the one schema the gateway serves. */
export function composeSchema(subschemas: Subschema[]): GraphQLSchema {
  checkComposition(subschemas);
  const schema = mergeSchemas({ schemas: subschemas.map((s) => s.schema) });
  const errors = validateSchema(schema);
  if (errors.length > 0) {
    throw new CompositionError(`The composed schema is invalid: ${errors.map((e) => e.message).join('; ')}`);
  }
  return schema;
}
