import { Client, escapeLiteral } from 'pg';
import { quoteLiteral } from '../../src/platform/direct-sql';
import { AuraPostgreSqlPlatform } from '../../src/platform/database';

/** Strings inlined into statements: pg's escapeLiteral, written in one pass. */
describe('quoteLiteral', () => {
  const samples = ['', 'plain', "it's", "''", '\\', "a\\'b", 'C:\\path\\to', ' E\'x\'', '{"a":"b\\"c"}', 'é 漢字 🙂', 'line\nbreak\ttab', "'; drop table users; --"];

  it.each(samples)('writes %j exactly as pg escapeLiteral does', (text) => {
    expect(quoteLiteral(text)).toBe(escapeLiteral(text));
  });

  it('agrees with escapeLiteral on random text of quotes, backslashes and letters', () => {
    const alphabet = ["'", '\\', 'a', 'E', ' ', '"', 'ß'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(next() * 20) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(quoteLiteral(text)).toBe(escapeLiteral(text));
    }
  });

  it("is how the ORM's platform inlines strings (arrays of them too); other values go the ORM's way", () => {
    const platform = new AuraPostgreSqlPlatform();
    expect(platform.escape("o'k\\")).toBe(escapeLiteral("o'k\\"));
    expect(platform.formatQuery('select ?, ? in (?)', ["it's", 3, ['a', "b'"]])).toBe("select 'it''s', 3 in ('a', 'b''')");
    const escapeLiteralCalls = jest.spyOn(Client.prototype, 'escapeLiteral');
    platform.formatQuery('select ?', [JSON.stringify({ long: 'x'.repeat(1000) })]);
    expect(escapeLiteralCalls).not.toHaveBeenCalled();
    escapeLiteralCalls.mockRestore();
  });
});
