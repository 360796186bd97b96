import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Connection, PageInfo as PlainPageInfo } from '../paging';

/** The GraphQL types of keyset connections; the plain shapes and the cursor codec are in platform/paging.ts. */
@ObjectType('PageInfo', { description: 'Where a page of a connection ends and whether more follow', simpleResolvers: true })
export class PageInfo implements PlainPageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** The GraphQL types of a connection of `node`: `<Name>Connection` and `<Name>Edge`. */
export function connectionType<T extends object>(name: string, node: ClassType<T>): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    // A resolver, not a plain read: compiled execution (graphql-jit) awaits a Promise only from a resolver.
    @Field(() => Int, { simple: false })
    totalCount!: Promise<number>;
  }
  return ConnectionType;
}
