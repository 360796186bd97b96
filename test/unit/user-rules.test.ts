import { checkPassword, checkTimezone, normalizeEmail, normalizeName } from '../../src/modules/users/services/user-rules';
import { InvalidInputError } from '../../src/platform/errors';

describe('account rules', () => {
  it.each([
    ['  Ada@Example.COM ', 'ada@example.com'],
    ['first.last+tag@sub.example.org', 'first.last+tag@sub.example.org'],
    ['jos\u00e9@example.com', 'jos\u00e9@example.com'], // precomposed é (NFC)
    ['jose\u0301@example.com', 'jos\u00e9@example.com'], // e + combining acute (NFD): the same mailbox
    ['Ana@EXÄMPLE.com', 'ana@xn--exmple-cua.com'], // the domain IDNA-encoded
    ['ana@xn--exmple-cua.com', 'ana@xn--exmple-cua.com'],
  ])('normalises the email %p to %p', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each(['', 'plain', 'a@b', '@example.com', 'a b@example.com', 'a@example.', `${'x'.repeat(250)}@example.com`])(
    'refuses the email %p',
    (raw) => {
      expect(() => normalizeEmail(raw)).toThrow(InvalidInputError);
    },
  );

  it('requires at least 10 characters of password, counting every character', () => {
    expect(() => checkPassword('123456789')).toThrow('at least 10 characters');
    expect(checkPassword('1234567890')).toBe('1234567890');
    expect(checkPassword('          ')).toHaveLength(10);
    expect(() => checkPassword('x'.repeat(201))).toThrow('at most 200');
  });

  it('trims names and folds inner white space, refusing empty and overlong ones', () => {
    expect(normalizeName('  Mary   Ann ', 'firstName')).toBe('Mary Ann');
    expect(() => normalizeName('   ', 'lastName')).toThrow('lastName must be 1 to 100 characters');
    expect(() => normalizeName('x'.repeat(101), 'firstName')).toThrow(InvalidInputError);
  });

  it.each([
    ['a NUL', 'Ada\u0000'],
    ['an ANSI escape', '\u001b[31mAda'],
    ['a right-to-left override', 'Ada\u202egnp.exe'],
    ['a bidi isolate', '\u2066Ada\u2069'],
    ['a right-to-left mark', 'Ada\u200f'],
  ])('refuses a name with %s', (_what, name) => {
    expect(() => normalizeName(name, 'firstName')).toThrow('firstName must not contain control characters');
  });

  it('accepts IANA time zones and refuses anything else', () => {
    expect(checkTimezone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(checkTimezone('UTC')).toBe('UTC');
    expect(() => checkTimezone('Mars/Olympus_Mons')).toThrow('is not an IANA time zone');
    expect(() => checkTimezone('')).toThrow(InvalidInputError);
  });

  it('stores a time zone under its canonical IANA name, whatever case it was typed in', () => {
    expect(checkTimezone('europe/berlin')).toBe('Europe/Berlin');
    expect(checkTimezone(' AMERICA/NEW_YORK ')).toBe('America/New_York');
    expect(checkTimezone('utc')).toBe('UTC');
  });
});
