import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isEnumType, isInterfaceType, isObjectType } from 'graphql';
import { EVENT_DESCRIPTIONS } from '../../src/contracts/events';
import { SCHEMA_DIR } from '../../src/platform/gateway/artefacts';
import { descriptionCoverage } from '../../src/platform/gateway/descriptions';
import { assembleGateway, type Gateway } from '../../src/platform/gateway/gateway';
import { createLogger } from '../../src/platform/logger';
import { offlineSettings } from '../../src/scripts/schema-settings';

/** The graph is documented: every type, field, argument, input field, enum value and custom scalar has a description. */
describe('the documented graph', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await assembleGateway(offlineSettings(), createLogger('silent'));
  });

  it('describes every element of the composed schema (100 %)', () => {
    const { total, undescribed } = descriptionCoverage(gateway.schema);
    expect(total).toBeGreaterThan(400);
    expect(undescribed).toEqual([]);
  });

  it("describes every element of each module's subschema, stubs of other modules' types included", () => {
    for (const { module, schema } of gateway.subschemas) {
      expect({ module, undescribed: descriptionCoverage(schema).undescribed }).toEqual({ module, undescribed: [] });
    }
  });

  it('keeps the descriptions in the printed SDL that clients read (schema/*.graphql)', () => {
    for (const file of ['schema.graphql', ...gateway.subschemas.map((s) => `${s.module}.graphql`)]) {
      const printed = buildSchema(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
      expect({ file, undescribed: descriptionCoverage(printed).undescribed }).toEqual({ file, undescribed: [] });
    }
  });

  it('names each undescribed element by its schema coordinate (the check itself works)', () => {
    const schema = buildSchema(`
      """Described"""
      type Query {
        """Described"""
        a(x: Int): Thing
        b: Kind
      }
      type Thing { id: ID! }
      input Filter { """Described""" on: Boolean, off: Boolean }
      """Described"""
      enum Kind { """Described""" ONE TWO }
      scalar Money
      type Unused { f(filter: Filter): Int }
    `);
    expect(descriptionCoverage(schema).undescribed).toEqual([
      'Filter',
      'Filter.off',
      'Kind.TWO',
      'Money',
      'Query.a(x:)',
      'Query.b',
      'Thing',
      'Thing.id',
      'Unused',
      'Unused.f',
      'Unused.f(filter:)',
    ]);
  });

  it("shows a type merged from several modules with its owner's description, not a stub's", () => {
    const user = gateway.schema.getType('User');
    const own = gateway.subschemas.find((s) => s.module === 'users')!.schema.getType('User');
    expect(isObjectType(user) && isObjectType(own)).toBe(true);
    expect(user!.description).toBe(own!.description);
    const session = gateway.schema.getType('TherapySession');
    const owned = gateway.subschemas.find((s) => s.module === 'mentalhealth')!.schema.getType('TherapySession');
    expect(session!.description).toBe(owned!.description);
  });

  it('lists every event type as a described DomainEventKind value', () => {
    const kind = gateway.schema.getType('DomainEventKind');
    if (!isEnumType(kind)) throw new Error('DomainEventKind is not an enum');
    expect(kind.getValues().map((v) => v.value).sort()).toEqual(Object.keys(EVENT_DESCRIPTIONS).sort());
    expect(kind.getValue('THERAPY_SESSION_ENDED')?.value).toBe('TherapySessionEnded');
    expect(kind.getValues().every((v) => (v.description ?? '').length > 10)).toBe(true);
  });

  it('makes every type an owner resolves by reference a Node, and resolves Node types synchronously (graphql-jit)', () => {
    const node = gateway.schema.getType('Node');
    if (!isInterfaceType(node)) throw new Error('Node is not an interface');
    const implementations = gateway.schema.getImplementations(node).objects.map((t) => t.name).sort();
    expect(implementations).toEqual(gateway.references.owners().map(([typename]) => typename).sort());
    expect(implementations).toEqual(['ChatbotInteraction', 'Disorder', 'Invoice', 'TherapySession', 'User']);
    const field = gateway.schema.getQueryType()!.getFields().node;
    expect(String(field.type)).toBe('Node');
    expect(field.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['id: ID!']);
    // A value node(id) did not mark has no type: the answer is immediate, never a Promise.
    expect(node.resolveType!({ id: 'x' }, {}, {} as never, node)).toBeNull();
    expect(node.resolveType!({ __typename: 'User', id: 'x' }, {}, {} as never, node)).toBe('User');
  });
});
