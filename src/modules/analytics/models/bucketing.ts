import { DateTime, IANAZone } from 'luxon';
import { InvalidInputError } from '../../../platform/errors';

export type Bucket = 'DAY' | 'WEEK' | 'MONTH';

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

/** The PostgreSQL date_trunc field of a bucket (weeks start on Monday, as ISO and luxon have it). */
export const truncField = (bucket: Bucket): string => UNIT[bucket];

/** An IANA zone name, or BAD_USER_INPUT. */
export function checkedZone(timezone: string): string {
  if (!IANAZone.isValidZone(timezone)) throw new InvalidInputError('timezone is not an IANA time zone (e.g. Europe/Berlin)', { field: 'timezone' });
  return timezone;
}

/** The start of the bucket holding `instant`, in the zone's local calendar. */
export function bucketStart(instant: Date, bucket: Bucket, zone: string): Date {
  return DateTime.fromJSDate(instant, { zone }).startOf(UNIT[bucket]).toJSDate();
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: Date, bucket: Bucket, zone: string): Date {
  return DateTime.fromJSDate(start, { zone }).plus({ [UNIT[bucket] + 's']: 1 }).startOf(UNIT[bucket]).toJSDate();
}

/**
 * The range widened to whole buckets: a cell is always a whole day, week or month, so two
 * overlapping ranges cannot be subtracted to isolate a few hours of data.
 */
export function alignedRange(from: Date, to: Date, bucket: Bucket, zone: string): { from: Date; to: Date } {
  if (!(from < to)) throw new InvalidInputError('from must be before to', { field: 'to' });
  const start = bucketStart(from, bucket, zone);
  const lastStart = bucketStart(new Date(to.getTime() - 1), bucket, zone);
  return { from: start, to: nextBucket(lastStart, bucket, zone) };
}

/** Every bucket start of an aligned range, in order (empty buckets are reported too). */
export function bucketsOf(range: { from: Date; to: Date }, bucket: Bucket, zone: string): Date[] {
  const starts: Date[] = [];
  for (let at = range.from; at < range.to; at = nextBucket(at, bucket, zone)) starts.push(at);
  return starts;
}

/** At most this many buckets per answer (ten years of days). */
export const MAX_BUCKETS = 3700;
