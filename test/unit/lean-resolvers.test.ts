import { join } from 'node:path';
import { graphql, type GraphQLSchema } from 'graphql';
import { Arg, buildSchema, Ctx, Field, FieldResolver, ID, Info, ObjectType, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { callFieldResolversDirectly } from '../../src/platform/gateway/lean-resolvers';

@ObjectType({ description: 'A thing' })
class Thing {
  @Field(() => ID, { description: 'Its id' })
  id!: string;

  @Field({ description: 'Its name' })
  name!: string;
}

/** What the query returns: plain objects (reflected as Object, passed as they are). */
interface ThingView {
  id: string;
  name: string;
}

interface Context {
  viewer: string;
}

const calls: string[] = [];

/** type-graphql's per-call parameter handling (not exported: its package exports only the index). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const typeGraphqlHelpers = require(join(__dirname, '..', '..', 'node_modules', 'type-graphql', 'build', 'cjs', 'resolvers', 'helpers.js')) as { getParams: (...args: unknown[]) => unknown };

@Resolver(() => Thing)
class ThingResolver {
  readonly prefix = 'of';

  @Query(() => [Thing], { description: 'Things' })
  things(): Array<Pick<Thing, 'id' | 'name'>> {
    return [
      { id: '1', name: 'one' },
      { id: '2', name: 'two' },
    ];
  }

  @FieldResolver(() => String, { nullable: true, description: 'Root and context, in that order' })
  owner(@Root() thing: ThingView, @Ctx() context: Context): string {
    return `${thing.name} ${this.prefix} ${context.viewer}`;
  }

  @FieldResolver(() => String, { description: 'Context, info and root, out of order' })
  where(@Ctx() context: Context, @Info() info: { fieldName: string }, @Root() thing: ThingView): string {
    return `${info.fieldName}:${thing.id}:${context.viewer}`;
  }

  @FieldResolver(() => Boolean, { description: 'A root typed with a class: type-graphql copies a plain object into one' })
  isThing(@Root() thing: Thing): boolean {
    return thing instanceof Thing;
  }

  @FieldResolver(() => String, { description: 'With an argument: type-graphql converts it' })
  greeting(@Root() thing: ThingView, @Arg('word', { description: 'The word' }) word: string): string {
    return `${word} ${thing.name}`;
  }

  @FieldResolver(() => String, { description: 'With a middleware' })
  @UseMiddleware(async (_data, next) => `[${String(await next())}]`)
  wrapped(@Root() thing: ThingView): string {
    calls.push(thing.id);
    return thing.name;
  }
}

describe('field resolvers called directly', () => {
  let schema: GraphQLSchema;
  let viaTypeGraphql: GraphQLSchema;
  const resolver = new ThingResolver();

  beforeAll(async () => {
    const options = { resolvers: [ThingResolver] as const, container: { get: () => resolver }, validate: false, emitSchemaFile: false };
    viaTypeGraphql = await buildSchema(options);
    schema = callFieldResolversDirectly(await buildSchema(options), [ThingResolver], () => resolver);
  });

  const query = '{ things { id owner where isThing greeting(word: "hi") wrapped } }';

  it('answers exactly as through type-graphql', async () => {
    const direct = await graphql({ schema, source: query, contextValue: { viewer: 'ana' } });
    const through = await graphql({ schema: viaTypeGraphql, source: query, contextValue: { viewer: 'ana' } });
    expect(direct).toEqual(through);
    expect(direct.data).toEqual({
      things: [
        { id: '1', owner: 'one of ana', where: 'where:1:ana', isThing: true, greeting: 'hi one', wrapped: '[one]' },
        { id: '2', owner: 'two of ana', where: 'where:2:ana', isThing: true, greeting: 'hi two', wrapped: '[two]' },
      ],
    });
  });

  it("skips type-graphql's per-call parameter handling for root, context and info only; arguments, middlewares and a root to convert keep it", async () => {
    const getParams = jest.spyOn(typeGraphqlHelpers, 'getParams');
    try {
      await graphql({ schema, source: '{ things { owner where } }', contextValue: { viewer: 'ana' } });
      expect(getParams).toHaveBeenCalledTimes(1); // the root query field only
      getParams.mockClear();
      await graphql({ schema, source: '{ things { greeting(word: "hi") wrapped isThing } }', contextValue: { viewer: 'ana' } });
      expect(getParams).toHaveBeenCalledTimes(1 + 2 * 3);
    } finally {
      getParams.mockRestore();
    }
  });

  it('an error thrown by the method surfaces on its field, as through type-graphql', async () => {
    const owner = jest.spyOn(resolver, 'owner').mockImplementation(() => {
      throw new Error('not yours');
    });
    try {
      const direct = await graphql({ schema, source: '{ things { id owner } }', contextValue: { viewer: 'ana' } });
      expect(direct.errors?.map((e) => [e.message, e.path])).toEqual([
        ['not yours', ['things', 0, 'owner']],
        ['not yours', ['things', 1, 'owner']],
      ]);
    } finally {
      owner.mockRestore();
    }
  });
});
