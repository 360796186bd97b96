import 'reflect-metadata';
import { graphql, parse, type GraphQLObjectType } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { loadSettings } from '../../src/config/env';
import type { Viewer } from '../../src/platform/auth';
import type { OperationContext } from '../../src/platform/context';
import { assembleGateway, type Gateway } from '../../src/platform/gateway/gateway';
import { OperationLoaders } from '../../src/platform/loaders';
import { createLogger } from '../../src/platform/logger';
import type { AuraModule, ModuleManifestEntry } from '../../src/platform/module';
import { loansModule, ownerBatches, rivalShelfModule, shelfModule } from './fixtures/references.modules';

const settings = loadSettings({ JWT_SECRET: 'x'.repeat(32), AURA_DATA_DIR: '/tmp/aura-references' });
const log = createLogger('silent');

function entry(module: AuraModule, dependsOn: string[] = []): ModuleManifestEntry {
  return { name: module.name, architecture: 'layered', dependsOn, load: () => module };
}

/** What the fixtures read of an operation: the viewer and the operation's loaders. */
const operation = (viewer: Viewer | null) => ({ viewer, loaders: new OperationLoaders() }) as unknown as OperationContext;
const reader: Viewer = { userId: 'u1', role: 'PATIENT' };
const librarian: Viewer = { userId: 'u2', role: 'ADMIN' };

describe('references resolved by their owner', () => {
  let gateway: Gateway;
  const run = (source: string, viewer: Viewer | null = reader) => graphql({ schema: gateway.schema, source, contextValue: operation(viewer) });

  beforeAll(async () => {
    gateway = await assembleGateway(settings, log, { manifest: [entry(shelfModule), entry(loansModule, ['shelf'])] });
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    ownerBatches.length = 0;
  });

  it('resolves every reference to a type in one batch per operation, through the owner', async () => {
    const result = await run('{ loans(ids: ["l1", "l2"]) { id book { title } maybeBook { id } alsoBorrowed { title } } }', librarian);
    expect(result).toEqual({
      data: {
        loans: [
          { id: 'l1', book: { title: 'The Dispossessed' }, maybeBook: { id: 'b1' }, alsoBorrowed: [{ title: 'Frankenstein' }, { title: 'Restricted Collection' }] },
          { id: 'l2', book: { title: 'Frankenstein' }, maybeBook: { id: 'b2' }, alsoBorrowed: [] },
        ],
      },
    });
    expect(ownerBatches).toEqual([['b1', 'b2', 'b3']]);
    await run('{ loans(ids: ["l2"]) { book { title } } }', librarian);
    expect(ownerBatches).toHaveLength(2); // a new operation, a new loader
  });

  it("applies the owner's access rule: null on a nullable field, NOT_FOUND on a non-null one, left out of a list", async () => {
    const nullable = await run('{ loans(ids: ["l3"]) { id maybeBook { title } alsoBorrowed { title } } }');
    expect(nullable).toEqual({ data: { loans: [{ id: 'l3', maybeBook: null, alsoBorrowed: [{ title: 'The Dispossessed' }] }] } });
    const required = await run('{ loans(ids: ["l1", "l3"]) { id book { title } } }');
    expect(required.data).toBeNull(); // loans is [Loan!]!: the refused book nulls what holds it, as GraphQL says
    expect(required.errors!.map((e) => [e.message, e.path, (e.originalError as { code?: string }).code])).toEqual([
      ['No Book with id b3', ['loans', 1, 'book'], 'NOT_FOUND'],
    ]);
    const unknown = await run('{ loans(ids: ["l4"]) { maybeBook { title } alsoBorrowed { title } } }', librarian);
    expect(unknown).toEqual({ data: { loans: [{ maybeBook: null, alsoBorrowed: [{ title: 'The Dispossessed' }] }] } });
  });

  it("leaves the owner's own fields alone: they return whole entities, the owner is never asked", async () => {
    expect(await run('{ books { id title } }')).toEqual({
      data: { books: [{ id: 'b1', title: 'The Dispossessed' }, { id: 'b2', title: 'Frankenstein' }, { id: 'b3', title: 'Restricted Collection' }] },
    });
    expect(ownerBatches).toEqual([]);
    const own = gateway.subschemas.find((s) => s.module === 'shelf')!.schema.getQueryType()!.getFields().books.resolve;
    expect(gateway.schema.getQueryType()!.getFields().books.resolve).toBe(own);
    const loanFields = (gateway.schema.getType('Loan') as GraphQLObjectType).getFields();
    const loansOwn = (gateway.subschemas.find((s) => s.module === 'loans')!.schema.getType('Loan') as GraphQLObjectType).getFields();
    expect(loanFields.id.resolve).toBe(loansOwn.id.resolve);
    expect(loanFields.book.resolve).not.toBe(loansOwn.book.resolve);
  });

  it('refuses a copy where a reference belongs (an internal error, not data)', async () => {
    const result = await run('{ loans(ids: ["l1"]) { snapshot { id } } }');
    expect(result.data).toEqual({ loans: [{ snapshot: null }] });
    expect(result.errors![0].message).toBe('Loan.snapshot returned something other than a reference to Book');
  });

  it('refetches an owned type through Query.node(id), with the owner\'s rule, under graphql-js and graphql-jit alike', async () => {
    const source = 'query($id: ID!) { node(id: $id) { __typename id ... on Book { title } } }';
    const compiled = compileQuery(gateway.schema, parse(source));
    if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
    const cases: Array<[string, Viewer, unknown]> = [
      ['b1', reader, { __typename: 'Book', id: 'b1', title: 'The Dispossessed' }],
      ['b3', librarian, { __typename: 'Book', id: 'b3', title: 'Restricted Collection' }],
      ['b3', reader, null],
      ['nope', librarian, null],
    ];
    for (const [id, viewer, node] of cases) {
      const interpreted = await graphql({ schema: gateway.schema, source, variableValues: { id }, contextValue: operation(viewer) });
      const jit = await compiled.query(undefined, operation(viewer), { id });
      expect({ id, interpreted, jit }).toEqual({ id, interpreted: { data: { node } }, jit: { data: { node } } });
    }
    expect(gateway.schema.getImplementations(gateway.schema.getType('Node') as never).objects.map((t) => t.name)).toEqual(['Book']);
  });

  it('refuses to boot when two modules resolve the same type', async () => {
    await expect(assembleGateway(settings, log, { manifest: [entry(shelfModule), entry(rivalShelfModule, ['shelf'])] })).rejects.toThrow(
      'Type Book has references resolved by both module "shelf" and module "rival"; a type has one owner',
    );
  });
});
