import { GraphQLID, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString, type GraphQLOutputType, type GraphQLResolveInfo } from 'graphql';
import { referencedAccountVisibility } from '../../src/modules/users/services/user-rules';
import type { OperationContext } from '../../src/platform/context';
import { NotFoundError } from '../../src/platform/errors';
import { resolvingReferences } from '../../src/platform/gateway/composition';
import { OperationLoaders } from '../../src/platform/loaders';
import { reference, References } from '../../src/platform/references';

const Person = new GraphQLObjectType({ name: 'Person', fields: { id: { type: GraphQLID }, name: { type: GraphQLString } } });
const people: Record<string, { id: string; name: string }> = { p1: { id: 'p1', name: 'Ada' }, p2: { id: 'p2', name: 'Grace' } };

describe('the wrapper of a field that returns another module’s entity', () => {
  const asked: string[][] = [];
  const references = new References();
  references.register('people', 'Person', { resolveReferences: async (_op, ids) => (asked.push([...ids]), ids.map((id) => people[id] ?? null)) });
  const op = () => ({ loaders: new OperationLoaders() }) as unknown as OperationContext;
  const info = {} as GraphQLResolveInfo;
  /** The wrapped resolver as graphql-js takes it: a value, a promise or a throw are all the field's answer. */
  const wrap = (type: GraphQLOutputType, returned: unknown) => {
    const resolve = resolvingReferences({ type, resolve: () => returned }, 'Thing.person', references);
    return async (...args: Parameters<typeof resolve>) => resolve(...args);
  };

  beforeEach(() => {
    asked.length = 0;
  });

  it('hands the references to the owner and returns what it resolved', async () => {
    await expect(wrap(new GraphQLNonNull(Person), reference('Person', 'p1'))(null, {}, op(), info)).resolves.toEqual(people.p1);
    await expect(wrap(Person, Promise.resolve(reference('Person', 'p2')))(null, {}, op(), info)).resolves.toEqual(people.p2);
    await expect(wrap(Person, null)(null, {}, op(), info)).resolves.toBeNull();
    expect(asked).toEqual([['p1'], ['p2']]);
  });

  it('batches the references of one operation, and caches them in it', async () => {
    const context = op();
    const list = wrap(new GraphQLList(Person), [reference('Person', 'p1'), reference('Person', 'p2')]);
    const single = wrap(Person, reference('Person', 'p1'));
    const [many, one] = await Promise.all([list(null, {}, context, info), single(null, {}, context, info)]);
    expect([many, one]).toEqual([[people.p1, people.p2], people.p1]);
    expect(asked).toEqual([['p1', 'p2']]);
  });

  it('turns a null from the owner into NOT_FOUND on a non-null field, null on a nullable one', async () => {
    await expect(wrap(new GraphQLNonNull(Person), reference('Person', 'nobody'))(null, {}, op(), info)).rejects.toThrow(NotFoundError);
    await expect(wrap(Person, reference('Person', 'nobody'))(null, {}, op(), info)).resolves.toBeNull();
  });

  it('leaves what the owner refused out of a list of non-null items, keeps null in a list of nullable ones', async () => {
    const refs = [reference('Person', 'nobody'), reference('Person', 'p2')];
    await expect(wrap(new GraphQLList(new GraphQLNonNull(Person)), refs)(null, {}, op(), info)).resolves.toEqual([people.p2]);
    await expect(wrap(new GraphQLList(Person), refs)(null, {}, op(), info)).resolves.toEqual([null, people.p2]);
  });

  it('refuses anything but a reference to the field’s type', async () => {
    await expect(wrap(Person, { id: 'p1', name: 'a copy' })(null, {}, op(), info)).rejects.toThrow('Thing.person returned something other than a reference to Person');
    await expect(wrap(Person, reference('Robot', 'p1'))(null, {}, op(), info)).rejects.toThrow(/reference to Person/);
  });
});

describe('who sees an account another module refers to', () => {
  const patient = { id: 'pat', role: 'PATIENT' as const };
  const therapist = { id: 'ther', role: 'THERAPIST' as const };
  it.each([
    ['nobody signed in', null, patient, 'hidden'],
    ['the patient themself', { userId: 'pat', role: 'PATIENT' as const }, patient, 'visible'],
    ['an admin', { userId: 'adm', role: 'ADMIN' as const }, patient, 'visible'],
    ['a therapist (only in a care relationship)', { userId: 'ther', role: 'THERAPIST' as const }, patient, 'ask'],
    ['an analyst', { userId: 'ana', role: 'ANALYST' as const }, patient, 'hidden'],
    ['another patient', { userId: 'other', role: 'PATIENT' as const }, patient, 'hidden'],
    ["a patient, the therapist's account", { userId: 'pat', role: 'PATIENT' as const }, therapist, 'visible'],
  ])('%s', (_who, viewer, account, expected) => {
    expect(referencedAccountVisibility(viewer, account)).toBe(expected);
  });
});
