/** The instants Aura accepts (API.md: 1900-2200); PostgreSQL and Date both hold far more, and a fuzzed year 0 or 9999 broke SQL. */
export const EARLIEST_INSTANT = new Date('1900-01-01T00:00:00.000Z');
export const LATEST_INSTANT = new Date('2200-12-31T23:59:59.999Z');

export function isSupportedInstant(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= EARLIEST_INSTANT.getTime() && time <= LATEST_INSTANT.getTime();
}
