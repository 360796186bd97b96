import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** A small seeded PRNG (mulberry32): the same seed gives the same operations on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzOperation {
  query: string;
  variables: Record<string, unknown>;
  /** The root field it exercises, for the failure message. */
  field: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Text a client should never be able to turn into a 500. */
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'name\u0007bell',
  '\u001b[31mred\u001b[0m',
  'evil\u202egnp.exe',
  '\u2066isolate\u2069',
  'line\nbreak\ttab',
  "'; drop table users; --",
  '%_\\',
  '😀 emoji',
  '\ud800 lone surrogate',
  'x'.repeat(5_000),
  'ab',
  'anxiety',
  'pat@example.com',
  'Europe/Berlin',
  'Mars/Olympus',
  '2026-12-01',
  '0000-01-01',
  '9999-12-31',
  'USD',
  'ZZZZ',
];

/** Cursors that decode to garbage, forged ones that look right, and ones that do not decode at all. */
const HOSTILE_CURSORS = [
  'not base64 !!',
  '====',
  b64('not json'),
  b64('[]'),
  b64('{"a":1}'),
  b64('[null, null]'),
  b64('["x", "y"]'),
  b64('["garbage"]'),
  b64('["0000-01-01T00:00:00Z", "00000000-0000-0000-0000-000000000000"]'),
  b64('["9999-12-31T23:59:59Z", "not-a-uuid"]'),
  b64('["2026-01-01T00:00:00.000Z", "not-a-uuid"]'),
  b64('[1e400, 2]'),
  b64('["99999999999999999999999999"]'),
  b64('["-1"]'),
  b64('[1.5]'),
  b64('["abc"]'),
  b64('["\\u0000"]'),
  b64('["\\u0000", "\\u0000"]'),
  b64(`["${'x'.repeat(3000)}"]`),
];

const HOSTILE_DATES = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1899-12-31T23:59:59Z',
  '2201-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '1970-01-01T00:00:00Z',
  '2026-12-01T10:00:00Z',
  '2027-01-04T10:00:00.000Z',
  'garbage',
  '',
  '\u0000',
  '2026-02-30T00:00:00Z',
];

const HOSTILE_INTS = [0, 1, -1, 10, 100, 101, 2_147_483_647, -2_147_483_648, 2_147_483_648, 1.5, '7'];
const HOSTILE_FLOATS = [0, -0, 1.5, -1, 1e308, -1e308, 'NaN'];

export interface FuzzOptions {
  seed: number;
  /** Ids that exist (users, sessions, invoices), mixed with forged ones to reach deeper code. */
  knownIds: string[];
}

/** Generates hostile operations from the schema's root fields, every argument passed as a variable or a literal. */
export class SchemaFuzzer {
  private readonly random: () => number;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: FuzzOptions,
  ) {
    this.random = seededRandom(options.seed);
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  /** Query and mutation root fields (subscriptions do not run over HTTP POST). */
  rootFields(): Array<{ kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }> {
    const fields: Array<{ kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }> = [];
    const query = this.schema.getQueryType();
    const mutation = this.schema.getMutationType();
    for (const field of Object.values(query?.getFields() ?? {})) fields.push({ kind: 'query', field });
    for (const field of Object.values(mutation?.getFields() ?? {})) fields.push({ kind: 'mutation', field });
    return fields.filter(({ field }) => !field.name.startsWith('__'));
  }

  operation(): FuzzOperation {
    const { kind, field } = this.pick(this.rootFields());
    const variables: Record<string, unknown> = {};
    const definitions: string[] = [];
    const args: string[] = [];
    for (const arg of field.args) {
      const required = isNonNullType(arg.type);
      if (!required && this.chance(0.4)) continue; // leave optional arguments out sometimes
      if (required && this.chance(0.03)) continue; // and a required one, rarely
      const value = this.value(arg.type, arg.name, 0);
      if (this.chance(0.75)) {
        const name = `v${definitions.length}`;
        definitions.push(`$${name}: ${String(arg.type)}`);
        args.push(`${arg.name}: $${name}`);
        if (value !== undefined) variables[name] = value;
      } else {
        args.push(`${arg.name}: ${literal(value, arg)}`);
      }
    }
    const selection = this.selection(field.type, 0);
    const head = definitions.length ? `${kind} Fuzz(${definitions.join(', ')})` : `${kind} Fuzz`;
    const call = args.length ? `${field.name}(${args.join(', ')})` : field.name;
    return { query: `${head} { ${call}${selection} }`, variables, field: field.name };
  }

  /** A hostile value for an input type; sometimes of the wrong kind altogether. */
  private value(type: GraphQLInputType, argName: string, depth: number): unknown {
    if (this.chance(0.04)) return null;
    if (this.chance(0.03)) return this.pick<unknown>(['\u0000', -1, { x: 1 }, [], true]);
    if (isNonNullType(type)) return this.value(type.ofType, argName, depth);
    if (isListType(type)) {
      const length = this.pick([0, 1, 2, 3]);
      return Array.from({ length }, () => this.value(type.ofType, argName, depth + 1));
    }
    if (isInputObjectType(type)) {
      const result: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (!isNonNullType(field.type) && this.chance(0.4)) continue;
        result[field.name] = depth > 3 ? null : this.value(field.type, field.name, depth + 1);
      }
      if (this.chance(0.05)) result.unknownField = 'x';
      return result;
    }
    if (isEnumType(type)) {
      const names = type.getValues().map((v) => v.name);
      return this.chance(0.85) ? this.pick(names) : this.pick(['NOPE', 'patient', '', '\u0000']);
    }
    return this.scalar(type.name, argName);
  }

  private scalar(name: string, argName: string): unknown {
    if (argName === 'after') return this.pick(HOSTILE_CURSORS);
    switch (name) {
      case 'ID':
        return this.pick([
          ...this.options.knownIds,
          ...this.options.knownIds,
          'not-a-uuid',
          '',
          '\u0000',
          '1',
          '00000000-0000-0000-0000-000000000000',
          "' or 1=1 --",
          'ffffffff-ffff-ffff-ffff-ffffffffffff',
        ]);
      case 'Int':
        return this.pick(HOSTILE_INTS);
      case 'Float':
        return this.pick(HOSTILE_FLOATS);
      case 'Boolean':
        return this.pick([true, false, 'true']);
      case 'DateTime':
        return this.pick(HOSTILE_DATES);
      case 'String':
        if (argName === 'after' || argName.endsWith('Cursor')) return this.pick(HOSTILE_CURSORS);
        return this.pick(HOSTILE_TEXT);
      default:
        return this.pick<unknown>([...HOSTILE_TEXT.slice(0, 6), 1, { a: '\u0000' }, [1, 2]]);
    }
  }

  /** A small selection: leaf fields without required arguments, and one level of objects below. */
  private selection(type: GraphQLOutputType, depth: number): string {
    const named = getNamedType(type);
    if (isLeafType(named)) return '';
    if (!isObjectType(named)) return ' { __typename }';
    const parts = ['__typename'];
    for (const field of Object.values((named as GraphQLObjectType).getFields())) {
      if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
      const inner = getNamedType(field.type);
      if (isLeafType(inner)) {
        parts.push(field.name);
      } else if (depth < 2 && isObjectType(inner) && this.chance(0.5)) {
        parts.push(`${field.name}${this.selection(inner, depth + 1)}`);
      }
    }
    return ` { ${parts.join(' ')} }`;
  }
}

/** A value written into the document: strings as GraphQL strings, enums bare, the rest as JSON-like literals. */
function literal(value: unknown, arg: GraphQLArgument | { type: GraphQLInputType }): string {
  const named = getNamedType(arg.type);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, { type: named })).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v, { type: fields[k]?.type ?? named })}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string' && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return '0';
  if (isScalarType(named) || typeof value !== 'string') return String(value);
  return JSON.stringify(value);
}
