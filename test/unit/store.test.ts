import { ConflictError, InvalidInputError } from '../../src/platform/errors';
import { DEFAULT_CONFLICT, detachedViews, keyset, typedDatabaseError } from '../../src/platform/store';

describe('database errors mapped to typed errors (one place for every module)', () => {
  const conflicts = { therapy_session_therapist_no_overlap: { message: 'That time is no longer free', details: { rule: 'OVERLAP' } } };

  it('maps unique and exclusion violations to CONFLICT, with the message a module gave for the constraint', () => {
    const overlap = typedDatabaseError({ code: '23P01', constraint: 'therapy_session_therapist_no_overlap' }, conflicts);
    expect(overlap).toBeInstanceOf(ConflictError);
    expect(overlap).toMatchObject({ message: 'That time is no longer free', details: { rule: 'OVERLAP' } });
    const unique = typedDatabaseError({ code: '23505', constraint: 'some_other_unique' }, conflicts);
    expect(unique).toBeInstanceOf(ConflictError);
    expect(unique).toMatchObject({ message: DEFAULT_CONFLICT, details: {} });
  });

  it.each(['22P02', '22003', '22007', '22001', '23514'])('maps SQLSTATE %s (invalid input) to BAD_USER_INPUT without the database message', (code) => {
    const mapped = typedDatabaseError(Object.assign(new Error('invalid input syntax for type uuid: "secret"'), { code }));
    expect(mapped).toBeInstanceOf(InvalidInputError);
    expect((mapped as Error).message).not.toContain('secret');
  });

  it.each([
    ['a foreign-key violation', { code: '23503' }],
    ['a connection failure', { code: '08006' }],
    ['a syntax error (a bug)', { code: '42601' }],
    ['an error without a code', new Error('boom')],
    ['a string', 'boom'],
  ])('leaves %s as it is (internal, masked; or an outage)', (_what, error) => {
    expect(typedDatabaseError(error)).toBe(error);
  });
});

describe('the keyset predicate (one for every connection)', () => {
  const id = '0b7e3a52-5f0c-4a43-9d59-1c1f3f0c2a11';
  const at = new Date('2026-12-07T10:00:00Z');

  it('reads the rows after (key, id) in ascending order', () => {
    expect(keyset<{ id: string; scheduledAt: Date }, 'scheduledAt'>('scheduledAt', 'asc', { scheduledAt: at, id })).toEqual({
      where: { $or: [{ scheduledAt: { $gt: at } }, { scheduledAt: at, id: { $gt: id } }] },
      orderBy: { scheduledAt: 'asc', id: 'asc' },
    });
  });

  it('reads the rows before (key, id) in descending order', () => {
    expect(keyset<{ id: string; issuedAt: Date }, 'issuedAt'>('issuedAt', 'desc', { issuedAt: at, id })).toEqual({
      where: { $or: [{ issuedAt: { $lt: at } }, { issuedAt: at, id: { $lt: id } }] },
      orderBy: { issuedAt: 'desc', id: 'desc' },
    });
  });

  it('is unrestricted without a cursor (the first page)', () => {
    expect(keyset<{ id: string; createdAt: Date }, 'createdAt'>('createdAt', 'asc', null)).toEqual({ where: {}, orderBy: { createdAt: 'asc', id: 'asc' } });
  });
});

describe('detached views (read-side rows as objects of an entity class)', () => {
  class Account {
    declare id: string;
    declare name: string;
    declare closedAt: Date | null;
    get closed(): boolean {
      return this.closedAt !== null;
    }
  }
  // The ORM's change-tracking accessors on the prototype: a view must never reach them.
  const reached: string[] = [];
  for (const name of ['id', 'name', 'closedAt']) {
    Object.defineProperty(Account.prototype, name, { get: () => reached.push(`get ${name}`), set: () => reached.push(`set ${name}`), configurable: true });
  }
  const view = detachedViews(Account, ['id', 'name', 'closedAt']);

  it("holds the row's values as its own plain properties and answers the class's domain getters", () => {
    const open = view({ id: 'a1', name: 'Ada', closedAt: null });
    const closed = view({ id: 'a2', name: 'Bo', closedAt: new Date('2026-01-01T00:00:00Z') });
    expect(open).toBeInstanceOf(Account);
    expect([open.id, open.name, open.closed, closed.closed]).toEqual(['a1', 'Ada', false, true]);
    expect(Object.keys(closed)).toEqual(['id', 'name', 'closedAt']);
    open.name = 'Ada L.';
    expect(open.name).toBe('Ada L.');
    expect(reached).toEqual([]);
  });

  it('refuses a property name that is not an identifier', () => {
    expect(() => detachedViews(Account, ['id', 'name; process.exit()'])).toThrow(/not a property name/);
  });
});
