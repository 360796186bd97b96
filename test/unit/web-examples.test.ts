import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, print, validate, type DefinitionNode } from 'graphql';
import { exampleOperations, PERSONAS } from '../../src/web/examples';

const ROOT = join(__dirname, '..', '..');
const schema = buildSchema(readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
const nameOf = (definition: DefinitionNode) => ('name' in definition && definition.name ? definition.name.value : '');

/** Every operation and fragment the tests send, by name. */
const tested = new Map(
  readdirSync(join(ROOT, 'test', 'operations'))
    .flatMap((file) => parse(readFileSync(join(ROOT, 'test', 'operations', file), 'utf8')).definitions)
    .map((definition) => [nameOf(definition), print(definition)]),
);

describe("the explorer's example operations", () => {
  it.each(PERSONAS)('are valid against the schema for the %s', (persona) => {
    const document = parse(exampleOperations(persona));
    expect(validate(schema, document)).toEqual([]);
    expect(document.definitions.length).toBeGreaterThan(1);
  });

  it.each(['patient', 'therapist', 'analyst'] as const)('are, for the %s, operations the test suite runs, word for word', (persona) => {
    for (const definition of parse(exampleOperations(persona)).definitions) {
      expect([nameOf(definition), print(definition)]).toEqual([nameOf(definition), tested.get(nameOf(definition))]);
    }
  });
});
