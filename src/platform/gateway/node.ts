import type { IResolvers } from '@graphql-tools/utils';
import type { OperationContext } from '../context';
import { reference, type References } from '../references';

/**
 * The Node interface (Relay's refetching): every type whose owner resolves references implements
 * it, and `Query.node(id)` asks each owner for the id with the owner's own access rule. Ids stay
 * the plain ids clients already hold.
 */
export const NODE = 'Node';

/** The type each value node(id) returned was found as: graphql-jit needs resolveType to answer synchronously with a name. */
const foundAs = new WeakMap<object, string>();

export function nodeTypeDefs(typenames: readonly string[]): string {
  return `
"""
An object that can be fetched again by its id alone (Query.node): ${typenames.join(', ')}
"""
interface ${NODE} {
  """Stable id of the object: the same id the object's own fields and queries use"""
  id: ID!
}
${typenames.map((name) => `extend type ${name} implements ${NODE}`).join('\n')}
type Query {
  """
  The object with this id, as its owner shows it to you (${typenames.join(', ')}); null if there is none or you may not see it, alike
  """
  node(
    """The id of any Node, e.g. a TherapySession's id"""
    id: ID!
  ): ${NODE}
}
`;
}

/** Answers node(id) from the owners: each resolves the id in its batch for this operation; the one that finds it names the type. */
export function nodeResolvers(references: References, typenames: readonly string[]): IResolvers<unknown, OperationContext> {
  return {
    [NODE]: {
      __resolveType: (value: object) => foundAs.get(value) ?? (value as { __typename?: string }).__typename ?? null,
    },
    Query: {
      node: async (_root: unknown, { id }: { id: string }, op: OperationContext) => {
        const found = await Promise.all(typenames.map((typename) => references.resolve<object>(op, reference(typename, id))));
        const at = found.findIndex((value) => value != null);
        if (at < 0) return null;
        foundAs.set(found[at]!, typenames[at]);
        return found[at];
      },
    },
  };
}
