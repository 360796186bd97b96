import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Connection, type PageInfo as PlainPageInfo } from '../paging';

/** The GraphQL types of keyset connections; the plain shapes and the cursor codec are in platform/paging.ts. */
@ObjectType('PageInfo', { description: 'Where a page of a connection ends and whether more follow', simpleResolvers: true })
export class PageInfo implements PlainPageInfo {
  @Field(() => Boolean, { description: 'True when more items follow this page: ask again with after = endCursor' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The last edge's cursor, to pass as `after` for the next page; null when the page is empty" })
  endCursor!: string | null;
}

/** The GraphQL types of a connection of `node`: `<Name>Connection` and `<Name>Edge`. */
export function connectionType<T extends object>(name: string, node: ClassType<T>): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${name} in a page of a ${name}Connection, with its cursor` })
  class EdgeType {
    @Field(() => String, { description: 'Opaque position of this item: pass it as `after` to get the items that follow it' })
    cursor!: string;

    @Field(() => node, { description: `The ${name} at this position` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    simpleResolvers: true,
    description: `A page of ${name} items (Relay connection): at most \`first\` (100) edges after the cursor \`after\``,
  })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page, in the order the query defines' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Where this page ends and whether more follow' })
    pageInfo!: PageInfo;

    // A resolver, not a plain read: compiled execution (graphql-jit) awaits a Promise only from a resolver.
    @Field(() => Int, { simple: false, description: 'How many items match the query across all pages (not just this one)' })
    totalCount!: Promise<number>;
  }
  return ConnectionType;
}

/** The descriptions of every connection's paging arguments, so they read the same everywhere. */
export const PAGE_ARGS = {
  first: `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}`,
  after: 'The endCursor of the previous page; omit for the first page (an unknown cursor is BAD_USER_INPUT)',
} as const;

/**
 * Whether the operation selects `totalCount` on the connection field being resolved: directly, in
 * an inline fragment or through a named fragment, under any alias. A selection under @skip or
 * @include counts as selected (counting when it is skipped costs a count, never a wrong answer).
 * A list resolver passes this to its store, which then counts in the page's own statement.
 */
export function selectsTotalCount(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  const seen = new Set<string>();
  const selects = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === 'totalCount';
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment: FragmentDefinitionNode | undefined = info.fragments[name];
      return selects(fragment?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => selects(node.selectionSet));
}
