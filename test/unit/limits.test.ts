import { buildSchema, GraphQLError, parse, specifiedRules, validate } from 'graphql';
import { costRefusal, limitRules, operationCost, parseOptions, socketRefusal, tokenRefusalOf, type Limits } from '../../src/platform/limits';

const schema = buildSchema(`
  type Query { node: Node nodes(first: Int, after: String): NodeConnection! search(limit: Int! = 10): [Node!]! }
  type Subscription { nodeChanged: Node! }
  type Node { id: ID! tags: [String!]! child: Node children(first: Int): NodeConnection! }
  type NodeConnection { edges: [NodeEdge!]! totalCount: Int! }
  type NodeEdge { cursor: String! node: Node! }
`);

const limits: Limits = { documentBytes: 1024 * 1024, tokens: 2000, aliases: 30, depth: 12, directives: 50, cost: 5000, subscriptionsPerSocket: 20 };

/** The limit refusals of a document, as clients see their extensions. */
const refusals = (query: string, overrides: Partial<Limits> = {}) =>
  validate(schema, parse(query), [...specifiedRules, ...limitRules({ ...limits, ...overrides })]).map((e) => ({
    message: e.message,
    ...(e.originalError as { details?: object } | undefined)?.details,
  }));

const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, parse(query), undefined, variables);

/** `query { ...F0 }` where each fragment spreads the next twice: 2^levels spreads if walked naively. */
const bomb = (levels: number) => {
  let query = 'query { ...F0 }\n';
  for (let i = 0; i < levels; i++) query += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} node { id } }\n`;
  return `${query}fragment F${levels} on Query { node { id } }\n`;
};

describe('depth limit', () => {
  it('allows operations up to the limit and refuses deeper ones with the measured depth', () => {
    expect(refusals('{ node { child { id } } }', { depth: 3 })).toEqual([]);
    expect(refusals('{ node { child { child { id } } } }', { depth: 3 })).toEqual([
      { message: 'The operation is nested 4 levels deep; the limit is 3', limit: 'depth', depth: 4, max: 3 },
    ]);
  });

  it('follows fragments and inline fragments, and survives a fragment cycle', () => {
    const query = `
      { node { ...A } }
      fragment A on Node { child { ... on Node { child { id } } } }`;
    expect(refusals(query, { depth: 3 })).toMatchObject([{ limit: 'depth', depth: 4 }]);
    const cyclic = '{ node { ...A } } fragment A on Node { child { ...A } }';
    expect(() => refusals(cyclic, { depth: 3 })).not.toThrow();
  });

  it('does not count introspection', () => {
    expect(refusals('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }', { depth: 2 })).toEqual([]);
  });
});

describe('fragment-spread bomb', () => {
  it('is measured once per fragment, not once per spread', () => {
    const errors = refusals(bomb(30));
    expect(errors.filter((e) => 'limit' in e)).toEqual([]);
    expect(cost(bomb(30))).toBeGreaterThan(limits.cost);
  });
});

describe('alias and directive caps', () => {
  const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: node { id }`).join(' ')} }`;

  it('allows up to the alias cap and refuses one more', () => {
    expect(refusals(aliased(30))).toEqual([]);
    expect(refusals(aliased(31))).toEqual([
      { message: 'The operation uses 31 aliases; at most 30 are allowed', limit: 'aliases', aliases: 31, max: 30 },
    ]);
  });

  it('counts aliases inside fragments', () => {
    const query = '{ ...A } fragment A on Query { x: node { ...B } } fragment B on Node { y: child { id } z: child { id } }';
    expect(refusals(query, { aliases: 3 })).toEqual([]);
    expect(refusals(query, { aliases: 2 })).toMatchObject([{ limit: 'aliases', aliases: 3 }]);
  });

  it('refuses more directives than the cap', () => {
    const directives = (n: number) => `{ node { ${'id @include(if: true) '.repeat(n)} } }`;
    expect(refusals(directives(50))).toEqual([]);
    expect(refusals(directives(51))).toEqual([
      { message: 'The operation uses 51 directives; at most 50 are allowed', limit: 'directives', directives: 51, max: 50 },
    ]);
  });
});

describe('token cap', () => {
  it('stops parsing past the cap and names the limit', () => {
    const query = `{ ${'node { id } '.repeat(600)} }`;
    let error: unknown;
    try {
      parse(query, parseOptions(limits));
    } catch (e) {
      error = e;
    }
    const refusal = tokenRefusalOf(error);
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect(refusal!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'tokens', tokens: 2001, max: 2000 });
    expect(tokenRefusalOf(new GraphQLError('Syntax Error: Expected Name, found <EOF>.'))).toBeUndefined();
  });
});

describe('cost', () => {
  it('charges an object field 1 plus its selection, and nothing for leaves', () => {
    expect(cost('{ node { id tags } }')).toBe(1);
    expect(cost('{ node { child { id } } }')).toBe(2);
  });

  it('multiplies by first/limit, nested lists multiplicatively', () => {
    // 100 x (connection 1 + edges 1 + node 1) = 300
    expect(cost('{ nodes(first: 100) { edges { node { id } } } }')).toBe(300);
    // outer: 100 x (1 + edges (1 + node (1 + children: 100 x (1 + edges (1 + node 1)))))
    expect(cost('{ nodes(first: 100) { edges { node { children(first: 100) { edges { node { id } } } } } } }')).toBe(100 * (3 + 300));
    expect(cost('{ search(limit: 50) { id } }')).toBe(50);
  });

  it('uses the default page size when first is absent, the argument default for limit, and caps at 100', () => {
    expect(cost('{ nodes { totalCount } }')).toBe(20);
    expect(cost('{ search { id } }')).toBe(10);
    expect(cost('{ nodes(first: 100000) { totalCount } }')).toBe(100);
  });

  it('reads first from variables, their defaults, and counts unusable variables as the cap', () => {
    const query = 'query($n: Int) { nodes(first: $n) { totalCount } }';
    expect(cost(query, { n: 7 })).toBe(7);
    expect(cost(query, {})).toBe(20);
    expect(cost('query($n: Int = 5) { nodes(first: $n) { totalCount } }', {})).toBe(5);
    expect(cost(query, { n: 'many' })).toBe(100);
  });

  it('charges aliases separately and fragments as often as they are spread', () => {
    expect(cost('{ a: search(limit: 50) { id } b: search(limit: 50) { id } }')).toBe(100);
    expect(cost('{ ...S ...S } fragment S on Query { search(limit: 5) { id } }')).toBe(10);
  });

  it('leaves introspection free', () => {
    expect(cost('{ __schema { types { fields { name } } } }')).toBe(0);
  });

  it('refuses an operation over budget with its cost', () => {
    const query = parse('{ nodes(first: 100) { edges { node { children(first: 100) { edges { node { id } } } } } } }');
    expect(costRefusal(schema, limits, query)!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'cost', cost: 30300, max: 5000 });
    expect(costRefusal(schema, limits, parse('{ nodes(first: 100) { edges { node { id } } } }'))).toBeUndefined();
  });
});

describe('operations per socket', () => {
  it('refuses the one over the cap', () => {
    expect(socketRefusal(20, limits)).toBeUndefined();
    expect(socketRefusal(21, limits)!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'subscriptionsPerSocket', max: 20 });
  });
});
