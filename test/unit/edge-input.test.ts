import { parse, parseValue } from 'graphql';
import { InvalidInputError } from '../../src/platform/errors';
import { DateTimeScalar } from '../../src/platform/gateway/scalars';
import { controlCharacterRefusal, hasControlCharacter } from '../../src/platform/text-input';

describe('the DateTime scalar', () => {
  it('keeps its serialisation: an ISO-8601 string in UTC', () => {
    expect(DateTimeScalar.serialize(new Date('2026-11-25T14:30:00Z'))).toBe('2026-11-25T14:30:00.000Z');
    expect(DateTimeScalar.parseValue('2026-11-25T15:30:00+01:00')).toEqual(new Date('2026-11-25T14:30:00Z'));
  });

  it('accepts 1900 to 2200 inclusive', () => {
    expect(DateTimeScalar.parseValue('1900-01-01T00:00:00Z')).toEqual(new Date('1900-01-01T00:00:00Z'));
    expect(DateTimeScalar.parseValue('2200-12-31T23:59:59Z')).toEqual(new Date('2200-12-31T23:59:59Z'));
  });

  it.each(['0000-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '2201-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'garbage', ''])(
    'refuses %j as a variable and as a literal with BAD_USER_INPUT',
    (value) => {
      expect(() => DateTimeScalar.parseValue(value)).toThrow(InvalidInputError);
      expect(() => DateTimeScalar.parseLiteral(parseValue(JSON.stringify(value)), {})).toThrow(InvalidInputError);
    },
  );
});

describe('free text at the edge', () => {
  it.each(['\u0000', 'a\u0000b', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u009b'])('calls %j a control character', (text) => {
    expect(hasControlCharacter(text)).toBe(true);
  });

  it.each(['plain', 'line\nbreak', 'tab\there', 'crlf\r\n', 'Zoë 😀', '\u202e'])('lets %j through (bidi is a rule for names only)', (text) => {
    expect(hasControlCharacter(text)).toBe(false);
  });

  const document = parse('mutation($m: String!, $i: ChatInput) { sendChatbotMessage(message: $m) { id } }');

  it('refuses a control character in any variable, however deep', () => {
    expect(controlCharacterRefusal(document, { m: 'hello' })).toBeNull();
    expect(controlCharacterRefusal(document, { m: 'he\u0000llo' })).toBeInstanceOf(InvalidInputError);
    expect(controlCharacterRefusal(document, { i: { list: [{ notes: ['fine', 'not\u0000fine'] }] } })?.code).toBe('BAD_USER_INPUT');
    expect(controlCharacterRefusal(document, { ['key\u0000']: 1 })).toBeInstanceOf(InvalidInputError);
  });

  it('refuses a control character in a literal, and passes newlines in long text', () => {
    expect(controlCharacterRefusal(parse('{ searchDisorders(query: "a\\u0000b") { id } }'), undefined)).toBeInstanceOf(InvalidInputError);
    expect(controlCharacterRefusal(parse('{ users(search: "\\u001b[2J") { totalCount } }'), {})).toBeInstanceOf(InvalidInputError);
    expect(controlCharacterRefusal(parse('mutation { endTherapySession(id: "x", notes: """two\nlines""") { id } }'), {})).toBeNull();
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    let nested: unknown = 'deep\u0000';
    for (let i = 0; i < 200_000; i++) nested = [nested];
    expect(controlCharacterRefusal(document, { m: nested })).toBeInstanceOf(InvalidInputError);
    expect(controlCharacterRefusal(document, { m: Array.from({ length: 300_000 }, () => 'x') })).toBeNull();
  });
});
