import { DateTime, IANAZone } from 'luxon';
import { InvalidInputError } from '../../../platform/errors';
import { ianaZone } from '../../../platform/time-zones';

export type Bucket = 'DAY' | 'WEEK' | 'MONTH';

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

/** The PostgreSQL date_trunc field of a bucket (weeks start on Monday, as ISO and luxon have it). */
export const truncField = (bucket: Bucket): string => UNIT[bucket];

/** An IANA zone name, or BAD_USER_INPUT. */
export function checkedZone(timezone: string): string {
  if (!ianaZone(timezone)) throw new InvalidInputError('timezone is not an IANA time zone (e.g. Europe/Berlin)', { field: 'timezone' });
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

/*
 * Stepping from bucket to bucket, exactly as nextBucket does (luxon's plus, then startOf, each
 * resolving a local time with luxon's fixOffset), without building DateTimes: asking the zone for
 * an offset (Intl's formatToParts) is what costs, and luxon asks about three times per step where
 * one answer is enough when no clock change falls in between. A year of days took most of a
 * sessionVolume query's time.
 */
const MINUTE = 60_000;

/** Date.UTC, with years 0-99 taken as written (luxon's objToLocalTS does the same). */
function utc(year: number, month: number, day: number, ms = 0): number {
  const d = new Date(Date.UTC(year, month, day));
  if (year >= 0 && year < 100) d.setUTCFullYear(year, month, day);
  return d.getTime() + ms;
}

/** luxon's fixOffset: the instant of a local wall time (ms read as UTC) from a guessed offset (minutes); `exact` when the zone has that offset at that instant. */
function fixOffset(local: number, guess: number, zone: IANAZone): { ts: number; offset: number; exact: boolean } {
  const first = local - guess * MINUTE;
  const o2 = zone.offset(first);
  if (o2 === guess) return { ts: first, offset: guess, exact: true };
  const second = first - (o2 - guess) * MINUTE;
  const o3 = zone.offset(second);
  if (o2 === o3) return { ts: second, offset: o2, exact: true };
  return { ts: local - Math.min(o2, o3) * MINUTE, offset: Math.max(o2, o3), exact: false };
}

/** One bucket later in local wall time, the time of day kept (luxon's plus; a month keeps its day where it exists). */
function plusOne(local: number, bucket: Bucket): number {
  const d = new Date(local);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  const timeOfDay = local - utc(y, m, day);
  if (bucket === 'DAY') return utc(y, m, day + 1, timeOfDay);
  if (bucket === 'WEEK') return utc(y, m, day + 7, timeOfDay);
  const daysInNext = new Date(utc(y, m + 2, 0)).getUTCDate();
  return utc(y, m + 1, Math.min(day, daysInNext), timeOfDay);
}

/** The local wall time the bucket holding `local` starts at (luxon's startOf: weeks start on Monday). */
function startOfLocal(local: number, bucket: Bucket): number {
  const d = new Date(local);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  if (bucket === 'MONTH') return utc(y, m, 1);
  if (bucket === 'WEEK') return utc(y, m, day - ((d.getUTCDay() + 6) % 7));
  return utc(y, m, day);
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

/**
 * Every bucket start of an aligned range, in order (empty buckets are reported too); at most
 * `max` of them (a range too long to answer is refused without listing it all).
 */
export function bucketsOf(range: { from: Date; to: Date }, bucket: Bucket, zone: string, max = Number.POSITIVE_INFINITY): Date[] {
  const tz = IANAZone.create(zone);
  const end = range.to.getTime();
  const starts: Date[] = [];
  let ts = range.from.getTime();
  let offset: number | null = null; // the zone's offset at ts, when known
  while (ts < end && starts.length < max) {
    starts.push(new Date(ts));
    const o = offset ?? tz.offset(ts);
    const moved = fixOffset(plusOne(ts + o * MINUTE, bucket), o, tz);
    const local = moved.ts + moved.offset * MINUTE;
    const target = startOfLocal(local, bucket);
    const next = target === local && moved.exact ? moved : fixOffset(target, moved.offset, tz);
    ts = next.ts;
    offset = next.exact ? next.offset : null;
  }
  return starts;
}

/** At most this many buckets per answer (ten years of days). */
export const MAX_BUCKETS = 3700;
