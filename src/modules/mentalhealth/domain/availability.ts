import type { IANAZone } from 'luxon';
import { InvalidInputError } from '../../../platform/errors';
import { ianaZone } from '../../../platform/time-zones';
import { minutesOfDay, type WorkingHoursEntry } from './working-hours';

/** Half-open [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DEFAULT_GRID_MINUTES = 15;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Wall-clock times are handled as "local time written as if it were UTC" milliseconds, so plain arithmetic works on them.

function zoneOf(timezone: string): IANAZone {
  const zone = ianaZone(timezone);
  if (!zone) throw new InvalidInputError(`Unknown time zone "${timezone}"`, { field: 'timezone' });
  return zone;
}

/** Local midnight of "YYYY-MM-DD" as wall-clock milliseconds. */
function wallMidnight(date: string): number {
  const match = DATE.exec(date);
  if (match) {
    const [year, month, day] = match.slice(1).map(Number);
    const wall = Date.UTC(year, month - 1, day);
    // Date.UTC rolls "2026-02-30" over into March: only a round trip proves the date exists.
    if (new Date(wall).toISOString().startsWith(date)) return wall;
  }
  throw new InvalidInputError(`"${date}" is not a calendar date in the form "YYYY-MM-DD"`, { field: 'date' });
}

function wallClock(instant: number, zone: IANAZone): number {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/** The first instant whose local wall clock reads `wall`; a time skipped by DST moves forward to the end of the gap. */
function instantAt(wall: number, zone: IANAZone): number {
  const offsets = [zone.offset(wall - DAY_MS), zone.offset(wall + DAY_MS)].map((offset) => offset * MINUTE_MS);
  const exact = offsets.map((offset) => wall - offset).filter((instant) => wallClock(instant, zone) === wall);
  if (exact.length > 0) return Math.min(...exact); // on a fall-back day the earlier of the two
  // In a gap: binary-search the transition, the first instant whose wall clock reaches `wall`.
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClock(middle, zone) >= wall) after = middle;
    else before = middle;
  }
  return after;
}

function toInstant(value: Date, field: string): number {
  const instant = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(instant)) throw new InvalidInputError(`${field} must be a valid date and time`, { field });
  return instant;
}

function checkMinutes(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 24 * 60) {
    throw new InvalidInputError(`${field} must be a whole number of minutes from 1 to 1440`, { field });
  }
  return value;
}

function isoWeekday(wallMidnightMs: number): number {
  return new Date(wallMidnightMs).getUTCDay() || 7;
}

/** The working windows of one local date ("YYYY-MM-DD") in `timezone`, as UTC instants, sorted; "24:00" is the next local midnight. */
export function workingWindows(hours: readonly WorkingHoursEntry[], date: string, timezone: string): Interval[] {
  const zone = zoneOf(timezone);
  const midnight = wallMidnight(date);
  const weekday = isoWeekday(midnight);
  return hours
    .filter((entry) => entry.weekday === weekday)
    .map((entry) => ({
      start: instantAt(midnight + minutesOfDay(entry.start) * MINUTE_MS, zone),
      end: instantAt(midnight + minutesOfDay(entry.end) * MINUTE_MS, zone),
    }))
    .filter((window) => window.start < window.end) // a window lying wholly in a DST gap vanishes
    .sort((a, b) => a.start - b.start)
    .map((window) => ({ start: new Date(window.start), end: new Date(window.end) }));
}

/** The local date after "YYYY-MM-DD". */
function nextDate(date: string): string {
  return new Date(wallMidnight(date) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * The time a therapist works from the start of a local date on, as continuous stretches: windows
 * that touch (12:00-14:00 after 09:00-12:00) are one stretch, and so are a window ending at
 * 24:00 and the next day's window starting at 00:00 (a session may run across midnight).
 */
export function workingStretches(hours: readonly WorkingHoursEntry[], date: string, timezone: string): Interval[] {
  const windows = [...workingWindows(hours, date, timezone), ...workingWindows(hours, nextDate(date), timezone)];
  const stretches: Interval[] = [];
  for (const window of windows) {
    const last = stretches[stretches.length - 1];
    if (last && window.start.getTime() <= last.end.getTime()) {
      if (window.end > last.end) last.end = window.end;
    } else {
      stretches.push({ ...window });
    }
  }
  return stretches;
}

/** The local calendar date ("YYYY-MM-DD") of an instant in `timezone`. */
export function localDate(instant: Date, timezone: string): string {
  const zone = zoneOf(timezone);
  return new Date(wallClock(toInstant(instant, 'instant'), zone)).toISOString().slice(0, 10);
}

/** A local date's [start, end) as UTC instants: 23 or 25 hours long on DST days. */
export function localDayBounds(date: string, timezone: string): Interval {
  const zone = zoneOf(timezone);
  const midnight = wallMidnight(date);
  return { start: new Date(instantAt(midnight, zone)), end: new Date(instantAt(midnight + DAY_MS, zone)) };
}

/** Half-open: touching intervals do not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

function contains(window: Interval, start: number, end: number): boolean {
  return window.start.getTime() <= start && end <= window.end.getTime();
}

/** True when [start, start + durationMinutes) lies inside one continuous stretch of working time (see workingStretches). */
export function fitsWorkingHours(hours: readonly WorkingHoursEntry[], start: Date, durationMinutes: number, timezone: string): boolean {
  const from = toInstant(start, 'start');
  const to = from + checkMinutes(durationMinutes, 'durationMinutes') * MINUTE_MS;
  return workingStretches(hours, localDate(start, timezone), timezone).some((window) => contains(window, from, to));
}

export interface SlotQuery {
  hours: readonly WorkingHoursEntry[];
  /** "YYYY-MM-DD" in the therapist's time zone. */
  date: string;
  timezone: string;
  durationMinutes: number;
  /** The therapist's existing PENDING/ACCEPTED/IN_PROGRESS sessions. */
  busy: readonly Interval[];
  /** Now plus the minimum lead time: no slot may start before this. */
  notBefore: Date;
  gridMinutes?: number;
  /** When alreadyBooked >= limit there are no slots at all. */
  maxPerDay?: { limit: number; alreadyBooked: number };
}

/** Instants of the local day whose wall clock is a multiple of `gridMinutes` after local midnight (repeated hours included). */
function gridPoints(date: string, zone: IANAZone, gridMinutes: number): number[] {
  const midnight = wallMidnight(date);
  const step = gridMinutes * MINUTE_MS;
  const end = instantAt(midnight + DAY_MS, zone);
  const points: number[] = [];
  for (let instant = instantAt(midnight, zone); instant < end; ) {
    const offGrid = (((wallClock(instant, zone) - midnight) % step) + step) % step;
    if (offGrid === 0) points.push(instant);
    // After a DST transition the wall clock may be off the grid: move on to the next grid line.
    instant += step - offGrid;
  }
  return points;
}

/** Free slot start instants, ascending, on the local wall-clock grid, each inside one stretch of working time, clear of busy time and not before notBefore. */
export function availableSlots(query: SlotQuery): Date[] {
  const zone = zoneOf(query.timezone);
  const duration = checkMinutes(query.durationMinutes, 'durationMinutes') * MINUTE_MS;
  const gridMinutes = checkMinutes(query.gridMinutes ?? DEFAULT_GRID_MINUTES, 'gridMinutes');
  const notBefore = toInstant(query.notBefore, 'notBefore');
  const windows = workingStretches(query.hours, query.date, query.timezone);
  if (query.maxPerDay && query.maxPerDay.alreadyBooked >= query.maxPerDay.limit) return [];
  if (windows.length === 0) return [];

  const lastEnd = Math.max(...windows.map((window) => window.end.getTime()));
  const busy = query.busy
    .map((interval) => ({ start: interval.start.getTime(), end: interval.end.getTime() }))
    .filter((interval) => interval.end > notBefore && interval.start < lastEnd);
  const isFree = (start: number, end: number) => busy.every((interval) => end <= interval.start || interval.end <= start);

  return gridPoints(query.date, zone, gridMinutes)
    .filter((start) => start >= notBefore)
    .filter((start) => windows.some((window) => contains(window, start, start + duration)))
    .filter((start) => isFree(start, start + duration))
    .map((start) => new Date(start));
}
