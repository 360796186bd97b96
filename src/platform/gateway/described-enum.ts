import { registerEnumType } from 'type-graphql';

/** One description per value: the compiler refuses an enum value left undescribed. */
export type ValueDescriptions<E extends Record<string, string>> = { readonly [K in keyof E]: string };

/**
 * Registers a TypeScript enum as a GraphQL enum with a description for the enum and for each value
 * (type-graphql's `valuesConfig`), so an enum is documented in one place.
 */
export function describedEnum<E extends Record<string, string>>(
  enumObject: E,
  name: string,
  description: string,
  values: ValueDescriptions<E>,
): E {
  const valuesConfig = Object.fromEntries(Object.keys(enumObject).map((key) => [key, { description: values[key as keyof E] }]));
  registerEnumType(enumObject, { name, description, valuesConfig: valuesConfig as never });
  return enumObject;
}
