import { InvalidInputError } from '../../../platform/errors';

/** ISO weekday 1 = Monday .. 7 = Sunday; times "HH:MM" 24h; end may be "24:00". */
export interface WorkingHoursEntry {
  weekday: number;
  start: string;
  end: string;
}

export const MAX_WORKING_HOURS_ENTRIES = 50;

const MINUTES_PER_DAY = 24 * 60;
/** Working hours start and end on the booking grid. */
export const WORKING_HOURS_GRID_MINUTES = 15;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Monday to Friday, 09:00-17:00: what a therapist works until they set their own hours. */
export const DEFAULT_WORKING_HOURS: readonly WorkingHoursEntry[] = Object.freeze(
  [1, 2, 3, 4, 5].map((weekday) => Object.freeze({ weekday, start: '09:00', end: '17:00' })),
);

/** Minutes since midnight, or undefined when `time` is not "HH:MM" (or "24:00"). */
function parseTime(time: unknown): number | undefined {
  if (time === '24:00') return MINUTES_PER_DAY;
  const match = typeof time === 'string' ? TIME.exec(time) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Minutes since local midnight for "HH:MM" ("24:00" -> 1440). */
export function minutesOfDay(time: string): number {
  const minutes = parseTime(time);
  if (minutes === undefined) throw new InvalidInputError(`"${time}" is not a time of day in the form "HH:MM"`, { field: 'time' });
  return minutes;
}

interface CheckedEntry {
  entry: WorkingHoursEntry;
  index: number;
  start: number;
  end: number;
}

function invalidEntry(index: number, problem: string): InvalidInputError {
  return new InvalidInputError(`Working hours entry ${index + 1}: ${problem}`, { field: 'hours', index });
}

function checkEntry(entry: WorkingHoursEntry, index: number): CheckedEntry {
  const { weekday } = entry;
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
    throw invalidEntry(index, `weekday must be a whole number from 1 (Monday) to 7 (Sunday), got ${String(weekday)}`);
  }
  const start = parseTime(entry.start);
  if (start === undefined || start === MINUTES_PER_DAY) {
    throw invalidEntry(index, `start must be a time "HH:MM" from 00:00 to 23:59, got "${String(entry.start)}"`);
  }
  const end = parseTime(entry.end);
  if (end === undefined) throw invalidEntry(index, `end must be a time "HH:MM" from 00:00 to 24:00, got "${String(entry.end)}"`);
  if (start >= end) throw invalidEntry(index, `start ${entry.start} must be before end ${entry.end}`);
  if (start % WORKING_HOURS_GRID_MINUTES !== 0 || end % WORKING_HOURS_GRID_MINUTES !== 0) {
    throw invalidEntry(index, `start and end must be on the ${WORKING_HOURS_GRID_MINUTES}-minute grid (:00, :15, :30, :45), got ${entry.start}-${entry.end}`);
  }
  return { entry: { weekday, start: entry.start, end: entry.end }, index, start, end };
}

const span = ({ entry }: CheckedEntry) => `${entry.start}-${entry.end}`;

/** Validates and normalises (sorted by weekday, then start) a therapist's whole weekly schedule; [] means "not working". */
export function validateWorkingHours(entries: readonly WorkingHoursEntry[]): WorkingHoursEntry[] {
  if (entries.length > MAX_WORKING_HOURS_ENTRIES) {
    throw new InvalidInputError(`Working hours can have at most ${MAX_WORKING_HOURS_ENTRIES} entries, got ${entries.length}`, {
      field: 'hours',
      index: MAX_WORKING_HOURS_ENTRIES,
    });
  }
  const sorted = entries.map(checkEntry).sort((a, b) => a.entry.weekday - b.entry.weekday || a.start - b.start || a.index - b.index);
  sorted.forEach((current, i) => {
    const previous = sorted[i - 1];
    // Sorted by start, so only the neighbour can overlap; touching (end === start) is fine.
    if (previous && previous.entry.weekday === current.entry.weekday && current.start < previous.end) {
      const day = WEEKDAY_NAMES[current.entry.weekday - 1];
      throw new InvalidInputError(`Working hours overlap on ${day}: ${span(previous)} and ${span(current)}`, {
        field: 'hours',
        index: Math.max(previous.index, current.index),
      });
    }
  });
  return sorted.map(({ entry }) => entry);
}
