import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isObjectType, isNonNullType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { NOT_A_CURSOR, cursorCodec } from '../../src/platform/paging';
import { startTestAura, type TestAura } from '../support/aura';
import { login, type Person } from '../support/people';

/** Every connection of the public schema, each with a query that reaches it from Query with an `after` of our choosing. */
function everyConnection(): Array<[string, string]> {
  const schema = buildSchema(readFileSync(join(__dirname, '../../schema/schema.graphql'), 'utf8'));
  const query = schema.getQueryType()!;
  const noRequiredArgs = (field: GraphQLField<unknown, unknown>) => field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);
  const paged = (type: GraphQLObjectType) =>
    Object.values(type.getFields()).filter((field) => getNamedType(field.type).name.endsWith('Connection') && field.args.some((arg) => arg.name === 'after'));
  const found: Array<[string, string]> = paged(query).map((field) => [`Query.${field.name}`, `query($a: String) { ${field.name}(after: $a) { totalCount } }`]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type === query || type.name.startsWith('__')) continue;
    for (const field of paged(type)) {
      // Reached through a field of Query that needs no arguments (e.g. me: User).
      const entry = Object.values(query.getFields()).find((f) => getNamedType(f.type) === type && noRequiredArgs(f));
      if (!entry) throw new Error(`No argument-free way from Query to ${type.name}.${field.name}: add one to this test`);
      found.push([`${type.name}.${field.name}`, `query($a: String) { ${entry.name} { ${field.name}(after: $a) { totalCount } } }`]);
    }
  }
  return found;
}

const CONNECTIONS = everyConnection();
const id = '0b7e3a52-5f0c-4a43-9d59-1c1f3f0c2a11';
const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const GARBAGE: Array<[string, string]> = [
  ['a word', 'garbage'],
  ['base64 of no JSON', Buffer.from('{{{').toString('base64url')],
  ['a list nobody pages', forged(['nothing', '2026-01-01T00:00:00.000Z', id])],
  ['a cursor of another connection', cursorCodec('somewhereElse', { at: 'instant', id: 'uuid' }).encode({ at: new Date(), id })],
];

describe('one paging codec: every connection refuses the same garbage cursor the same way', () => {
  let t: TestAura;
  let admin: Person;

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1' });
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
  });
  afterAll(() => t.stop());

  it('finds every connection of the schema (so a new one is tested without being listed)', () => {
    expect(CONNECTIONS.map(([name]) => name)).toEqual(
      expect.arrayContaining(['Query.accessAudit', 'Query.disorders', 'Query.domainEvents', 'Query.invoices', 'Query.therapySessions', 'Query.users', 'User.therapySessions']),
    );
  });

  it.each(GARBAGE)('answers %s with BAD_USER_INPUT, the same message, on every connection', async (_what, after) => {
    const answers = [];
    for (const [name, query] of CONNECTIONS) {
      const response = await t.post({ query, variables: { a: after } }, { authorization: `Bearer ${admin.token}` });
      const body = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
      answers.push([name, body.errors?.map((e) => [e.extensions?.code, e.message])]);
    }
    expect(answers).toEqual(CONNECTIONS.map(([name]) => [name, [['BAD_USER_INPUT', NOT_A_CURSOR]]]));
  });
});
