import { parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { selectsTotalCount } from '../../src/platform/gateway/connection';

/** What a resolver of the operation's first root field sees of the document: its field nodes and the fragments. */
function infoOf(document: string) {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const root = operation.selectionSet.selections[0] as FieldNode;
  const fragments = Object.fromEntries(
    parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [root], fragments };
}

describe('selectsTotalCount', () => {
  it.each([
    ['selected directly', '{ users { totalCount edges { node { id } } } }', true],
    ['under an alias', '{ users { n: totalCount } }', true],
    ['in an inline fragment', '{ users { ... on UserConnection { totalCount } } }', true],
    ['through a named fragment, nested', '{ users { ...Outer } } fragment Outer on UserConnection { ...Inner } fragment Inner on UserConnection { totalCount }', true],
    ['under @skip (counted anyway)', '{ users { totalCount @skip(if: true) } }', true],
    ['not selected', '{ users { edges { node { id } } pageInfo { hasNextPage } } }', false],
    ['only a deeper totalCount (another connection)', '{ users { edges { node { therapySessions { totalCount } } } } }', false],
    ['a fragment spread twice', '{ users { ...Page ...Page } } fragment Page on UserConnection { edges { cursor } }', false],
  ])('%s', (_, document, expected) => {
    expect(selectsTotalCount(infoOf(document))).toBe(expected);
  });

  it('reads every node of a field asked for twice (merged selections)', () => {
    const parsed = parse('{ users { edges { cursor } } users { totalCount } }');
    const operation = parsed.definitions[0] as OperationDefinitionNode;
    expect(selectsTotalCount({ fieldNodes: operation.selectionSet.selections as FieldNode[], fragments: {} })).toBe(true);
    expect(selectsTotalCount({ fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments: {} })).toBe(false);
  });
});
