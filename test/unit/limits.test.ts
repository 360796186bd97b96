import { buildSchema, parse, validate } from 'graphql';
import { depthLimit } from '../../src/platform/limits';

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID! child: Node }
`);

const depth = (query: string, max: number) => validate(schema, parse(query), [depthLimit(max)]).map((e) => e.message);

describe('depth limit', () => {
  it('allows operations up to the limit and refuses deeper ones', () => {
    expect(depth('{ node { child { id } } }', 3)).toEqual([]);
    expect(depth('{ node { child { child { id } } } }', 3)).toEqual(['Query is nested 4 levels deep; the limit is 3']);
  });

  it('follows fragments and inline fragments, and survives a fragment cycle', () => {
    const query = `
      { node { ...A } }
      fragment A on Node { child { ... on Node { child { id } } } }`;
    expect(depth(query, 3)).toEqual(['Query is nested 4 levels deep; the limit is 3']);
    const cyclic = '{ node { ...A } } fragment A on Node { child { ...A } }';
    expect(() => depth(cyclic, 3)).not.toThrow();
  });
});
