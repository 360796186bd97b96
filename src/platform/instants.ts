/** The instants Aura accepts (API.md: 1900-2200); PostgreSQL and Date both hold far more, and a fuzzed year 0 or 9999 broke SQL. */
export const EARLIEST_INSTANT = new Date('1900-01-01T00:00:00.000Z');
export const LATEST_INSTANT = new Date('2200-12-31T23:59:59.999Z');

export function isSupportedInstant(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= EARLIEST_INSTANT.getTime() && time <= LATEST_INSTANT.getTime();
}

/**
 * An instant as PostgreSQL prints a timestamptz in a UTC session (`2027-01-04 09:00:00.123456+00`),
 * read digit by digit: MikroORM's `parseDate` (postgres-date) matches regular expressions and cuts
 * substrings, about a tenth of a session page's allocation at six instants a row. Microseconds are
 * truncated to milliseconds, as there. Any other shape (another offset, a year before 1000, BC,
 * infinity) goes to `otherwise`.
 */
export function parseInstant(text: string, otherwise: (text: string) => Date): Date {
  const n = text.length;
  if (n < 22 || n === 23 || n > 29 || !fixedPartsAt(text, n)) return otherwise(text);
  const year = number(text, 0, 4);
  const month = number(text, 5, 2);
  const day = number(text, 8, 2);
  const hour = number(text, 11, 2);
  const minute = number(text, 14, 2);
  const second = number(text, 17, 2);
  // The fraction sits between the '.' at 19 and the '+' at n - 3: its first three digits are milliseconds.
  const digits = n - 23;
  const ms = digits <= 0 ? 0 : number(text, 20, Math.min(digits, 3)) * 10 ** (3 - Math.min(digits, 3));
  const fraction = digits <= 3 ? 0 : number(text, 23, digits - 3);
  // number() answers -1 for a non-digit: one negative part makes the OR negative.
  if (year < 1000 || (month | day | hour | minute | second | ms | fraction) < 0) return otherwise(text);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

/** The separators of `YYYY-MM-DD HH:MM:SS[.f{1,6}]+00`. */
function fixedPartsAt(text: string, n: number): boolean {
  return (
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 && // space
    text.charCodeAt(13) === 58 && // :
    text.charCodeAt(16) === 58 &&
    (n === 22 || text.charCodeAt(19) === 46) && // .
    text.charCodeAt(n - 3) === 43 && // +
    text.charCodeAt(n - 2) === 48 && // 0
    text.charCodeAt(n - 1) === 48
  );
}

/** The decimal number of `length` digits at `start`, or -1 if any of them is not a digit. */
function number(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
