import { DateTime } from 'luxon';

export interface WeeklyHours {
  /** ISO weekday 1 = Monday .. 7 = Sunday; "HH:MM", end may be "24:00". */
  hours: ReadonlyArray<{ weekday: number; start: string; end: string }>;
  timezone: string;
}

/** What a therapist works until they set their own hours (mentalhealth's default, per API.md). */
export const DEFAULT_WEEKLY_HOURS: WeeklyHours['hours'] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Hours worked in [from, to) by a weekly schedule in its zone: each local date's windows become
 * instants there (so a DST day's 09:00-17:00 is still 8 hours) and are clipped to the range.
 */
export function workingHoursBetween(schedule: WeeklyHours, from: Date, to: Date): number {
  if (!(from < to) || schedule.hours.length === 0) return 0;
  const byWeekday = new Map<number, Array<{ start: number; end: number }>>();
  for (const h of schedule.hours) byWeekday.set(h.weekday, [...(byWeekday.get(h.weekday) ?? []), { start: minutesOf(h.start), end: minutesOf(h.end) }]);
  let day = DateTime.fromJSDate(from, { zone: schedule.timezone }).startOf('day');
  const end = to.getTime();
  let ms = 0;
  while (day.toMillis() < end) {
    for (const w of byWeekday.get(day.weekday) ?? []) {
      const a = Math.max(day.plus({ minutes: w.start }).toMillis(), from.getTime());
      const b = Math.min(w.end === 1440 ? day.plus({ days: 1 }).toMillis() : day.plus({ minutes: w.end }).toMillis(), end);
      if (b > a) ms += b - a;
    }
    day = day.plus({ days: 1 });
  }
  return ms / 3600_000;
}

/**
 * Available hours over [from, to) from a therapist's history of schedules (sorted by validFrom):
 * before the first one the default hours apply (in the zone of the first, or UTC if none is known).
 * `cache` shares results between therapists with the same schedule over the same span.
 */
export function availableHours(
  history: ReadonlyArray<WeeklyHours & { validFrom: Date }>,
  from: Date,
  to: Date,
  cache: Map<string, number> = new Map(),
): number {
  const spans: Array<WeeklyHours & { from: Date; to: Date }> = [];
  const first = history[0];
  spans.push({ hours: DEFAULT_WEEKLY_HOURS, timezone: first?.timezone ?? 'UTC', from, to: first ? first.validFrom : to });
  history.forEach((v, i) => spans.push({ ...v, from: v.validFrom, to: history[i + 1]?.validFrom ?? to }));
  let total = 0;
  for (const span of spans) {
    const a = new Date(Math.max(span.from.getTime(), from.getTime()));
    const b = new Date(Math.min(span.to.getTime(), to.getTime()));
    if (!(a < b)) continue;
    const key = `${span.timezone}|${a.getTime()}|${b.getTime()}|${JSON.stringify(span.hours)}`;
    let hours = cache.get(key);
    if (hours === undefined) cache.set(key, (hours = workingHoursBetween(span, a, b)));
    total += hours;
  }
  return total;
}
