import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { parseInstant } from '../../src/platform/instants';

/** PostgreSQL's text for a timestamptz in a UTC session, as `timestamptz::text` prints it. */
function printed(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString(); // 2027-01-04T09:00:00.123Z
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

describe('parseInstant: a timestamptz as PostgreSQL prints it in a UTC session', () => {
  const platform = new PostgreSqlPlatform();
  const orm = (text: string) => platform.parseDate(text) as Date;
  const fallback = jest.fn(orm);
  beforeEach(() => fallback.mockClear());

  it('reads what MikroORM reads, for 2,000 random instants with 0 to 6 fraction digits, without asking the fallback', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2200, 11, 31, 23, 59, 59, 999);
    const texts = Array.from({ length: 2000 }, (_, i) => {
      const ms = Math.floor(from + random() * (to - from));
      // Every fraction length: whole seconds, milliseconds only, and microseconds.
      return printed(i % 3 === 0 ? ms - (ms % 1000) : ms, i % 3 === 2 ? Math.floor(random() * 1000) : 0);
    });
    expect(new Set(texts.map((t) => t.length)).size).toBeGreaterThanOrEqual(6);
    for (const text of texts) expect([text, parseInstant(text, fallback).getTime()]).toEqual([text, orm(text).getTime()]);
    expect(fallback).not.toHaveBeenCalled();
  });

  it.each([
    ['2027-01-04 09:00:00+00', '2027-01-04T09:00:00.000Z'],
    ['2027-01-04 09:00:00.5+00', '2027-01-04T09:00:00.500Z'],
    ['2027-01-04 09:00:00.05+00', '2027-01-04T09:00:00.050Z'],
    ['2024-02-29 23:59:59.999999+00', '2024-02-29T23:59:59.999Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseInstant(text, fallback).toISOString()).toBe(iso);
    expect(fallback).not.toHaveBeenCalled();
  });

  it.each(['2027-01-04 09:00:00+02', '2027-01-04 09:00:00+05:30', '0099-01-04 09:00:00+00', '2027-01-04 09:00:00+00 BC', 'infinity', '2027-01-04T09:00:00.000Z', '2027-01-04 09:0x:00+00', '2027-01-04 09:00:00.1234567+00', ''])(
    'leaves %j to the fallback',
    (text) => {
      parseInstant(text, fallback);
      expect(fallback).toHaveBeenCalledWith(text);
    },
  );
});
