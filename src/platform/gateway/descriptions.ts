import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

function described(description: string | null | undefined): boolean {
  return typeof description === 'string' && description.trim().length > 0;
}

/** Every schema coordinate of a type that should carry a description: the type, its fields, their arguments, its enum values. */
function coordinatesOf(type: GraphQLNamedType): Array<{ coordinate: string; description: string | null | undefined }> {
  const found = [{ coordinate: type.name, description: type.description }];
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) {
      found.push({ coordinate: `${type.name}.${field.name}`, description: field.description });
      for (const arg of field.args) found.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, description: arg.description });
    }
  } else if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) found.push({ coordinate: `${type.name}.${field.name}`, description: field.description });
  } else if (isEnumType(type)) {
    for (const value of type.getValues()) found.push({ coordinate: `${type.name}.${value.name}`, description: value.description });
  }
  return found;
}

/** How much of a schema is documented: every type, field, argument, input field, enum value and custom scalar (introspection and built-in scalars excepted). */
export function descriptionCoverage(schema: GraphQLSchema): { total: number; undescribed: string[] } {
  const all = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && !isSpecifiedScalarType(type))
    .flatMap(coordinatesOf);
  return { total: all.length, undescribed: all.filter((c) => !described(c.description)).map((c) => c.coordinate).sort() };
}
