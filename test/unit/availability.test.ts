import { InvalidInputError } from '../../src/platform/errors';
import {
  availableSlots,
  fitsWorkingHours,
  localDate,
  localDayBounds,
  overlaps,
  workingWindows,
  type Interval,
  type SlotQuery,
} from '../../src/modules/mentalhealth/domain/availability';
import { DEFAULT_WORKING_HOURS, type WorkingHoursEntry } from '../../src/modules/mentalhealth/domain/working-hours';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const TOKYO = 'Asia/Tokyo';
const KOLKATA = 'Asia/Kolkata';

const everyDay = (start: string, end: string): WorkingHoursEntry[] => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
const at = (iso: string) => new Date(iso);
const interval = (start: string, end: string): Interval => ({ start: at(start), end: at(end) });
const isos = (dates: Date[]) => dates.map((date) => date.toISOString());
const spans = (intervals: Interval[]) => intervals.map(({ start, end }) => `${start.toISOString()} - ${end.toISOString()}`);

describe('workingWindows', () => {
  it('turns local working hours into UTC instants (Friday 2026-03-27, Berlin, CET)', () => {
    expect(spans(workingWindows(DEFAULT_WORKING_HOURS, '2026-03-27', BERLIN))).toEqual(['2026-03-27T08:00:00.000Z - 2026-03-27T16:00:00.000Z']);
  });

  it('follows Berlin into summer time (2026-03-29) and back (2026-10-25)', () => {
    const hours = everyDay('09:00', '17:00');
    expect(spans(workingWindows(hours, '2026-03-28', BERLIN))).toEqual(['2026-03-28T08:00:00.000Z - 2026-03-28T16:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-03-29', BERLIN))).toEqual(['2026-03-29T07:00:00.000Z - 2026-03-29T15:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-10-24', BERLIN))).toEqual(['2026-10-24T07:00:00.000Z - 2026-10-24T15:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-10-25', BERLIN))).toEqual(['2026-10-25T08:00:00.000Z - 2026-10-25T16:00:00.000Z']);
  });

  it('follows New York into daylight time (2026-03-08) and back (2026-11-01)', () => {
    const hours = everyDay('09:00', '17:00');
    expect(spans(workingWindows(hours, '2026-03-07', NEW_YORK))).toEqual(['2026-03-07T14:00:00.000Z - 2026-03-07T22:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-03-08', NEW_YORK))).toEqual(['2026-03-08T13:00:00.000Z - 2026-03-08T21:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-10-31', NEW_YORK))).toEqual(['2026-10-31T13:00:00.000Z - 2026-10-31T21:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-11-01', NEW_YORK))).toEqual(['2026-11-01T14:00:00.000Z - 2026-11-01T22:00:00.000Z']);
  });

  it('handles a far-east zone, where the morning falls on the previous UTC date (Tokyo, Monday 2026-03-30)', () => {
    const hours = [
      { weekday: 1, start: '18:00', end: '24:00' },
      { weekday: 1, start: '06:00', end: '08:00' },
      { weekday: 1, start: '09:00', end: '17:00' },
    ];
    expect(spans(workingWindows(hours, '2026-03-30', TOKYO))).toEqual([
      '2026-03-29T21:00:00.000Z - 2026-03-29T23:00:00.000Z',
      '2026-03-30T00:00:00.000Z - 2026-03-30T08:00:00.000Z',
      '2026-03-30T09:00:00.000Z - 2026-03-30T15:00:00.000Z',
    ]);
  });

  it('handles a half-hour zone (Kolkata, Monday 2026-03-30)', () => {
    expect(spans(workingWindows(DEFAULT_WORKING_HOURS, '2026-03-30', KOLKATA))).toEqual(['2026-03-30T03:30:00.000Z - 2026-03-30T11:30:00.000Z']);
  });

  it('reads "24:00" as the next local midnight, also on DST days', () => {
    const hours = everyDay('18:00', '24:00');
    expect(spans(workingWindows(hours, '2026-03-28', BERLIN))).toEqual(['2026-03-28T17:00:00.000Z - 2026-03-28T23:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-03-29', BERLIN))).toEqual(['2026-03-29T16:00:00.000Z - 2026-03-29T22:00:00.000Z']);
    expect(spans(workingWindows(hours, '2026-10-25', BERLIN))).toEqual(['2026-10-25T17:00:00.000Z - 2026-10-25T23:00:00.000Z']);
    expect(spans(workingWindows(everyDay('00:00', '24:00'), '2026-11-01', NEW_YORK))).toEqual([
      '2026-11-01T04:00:00.000Z - 2026-11-02T05:00:00.000Z',
    ]);
  });

  it('moves a start in the spring-forward gap to the first existing instant', () => {
    // 02:30 does not exist in Berlin on 2026-03-29: the clock jumps from 02:00 CET to 03:00 CEST (01:00Z).
    expect(spans(workingWindows(everyDay('02:30', '04:00'), '2026-03-29', BERLIN))).toEqual(['2026-03-29T01:00:00.000Z - 2026-03-29T02:00:00.000Z']);
    expect(spans(workingWindows(everyDay('01:30', '02:30'), '2026-03-08', NEW_YORK))).toEqual(['2026-03-08T06:30:00.000Z - 2026-03-08T07:00:00.000Z']);
  });

  it('drops a window lying wholly in the gap', () => {
    expect(workingWindows(everyDay('02:00', '03:00'), '2026-03-08', NEW_YORK)).toEqual([]);
  });

  it('reads a repeated fall-back time as its first occurrence, so the window includes the repeated hour', () => {
    expect(spans(workingWindows(everyDay('01:00', '04:00'), '2026-10-25', BERLIN))).toEqual(['2026-10-24T23:00:00.000Z - 2026-10-25T03:00:00.000Z']);
    expect(spans(workingWindows(everyDay('01:30', '03:00'), '2026-11-01', NEW_YORK))).toEqual(['2026-11-01T05:30:00.000Z - 2026-11-01T08:00:00.000Z']);
  });

  it('returns nothing on a day without working hours (Saturday with the defaults)', () => {
    expect(workingWindows(DEFAULT_WORKING_HOURS, '2026-03-28', BERLIN)).toEqual([]);
    expect(workingWindows([], '2026-03-27', BERLIN)).toEqual([]);
  });

  it.each(['2026-02-30', '2026-1-5', '2026-13-01', '2026-00-10', '2026-02-29', '26-03-27', '2026-03-27T00:00', 'tomorrow', ''])(
    'rejects the date %p',
    (date) => {
      expect(() => workingWindows(DEFAULT_WORKING_HOURS, date, BERLIN)).toThrow(InvalidInputError);
      expect(() => workingWindows(DEFAULT_WORKING_HOURS, date, BERLIN)).toThrow(`"${date}" is not a calendar date in the form "YYYY-MM-DD"`);
    },
  );

  it('accepts a leap day and rejects an unknown time zone', () => {
    expect(spans(workingWindows(DEFAULT_WORKING_HOURS, '2028-02-29', BERLIN))).toEqual(['2028-02-29T08:00:00.000Z - 2028-02-29T16:00:00.000Z']);
    expect(() => workingWindows(DEFAULT_WORKING_HOURS, '2026-03-27', 'Mars/Olympus_Mons')).toThrow(
      new InvalidInputError('Unknown time zone "Mars/Olympus_Mons"'),
    );
  });
});

describe('localDate and localDayBounds', () => {
  it('finds the local calendar date of an instant', () => {
    expect(localDate(at('2026-03-28T23:30:00Z'), BERLIN)).toBe('2026-03-29');
    expect(localDate(at('2026-03-28T23:30:00Z'), NEW_YORK)).toBe('2026-03-28');
    expect(localDate(at('2026-03-29T14:59:59Z'), TOKYO)).toBe('2026-03-29');
    expect(localDate(at('2026-03-29T15:00:00Z'), TOKYO)).toBe('2026-03-30');
    expect(localDate(at('2026-03-29T18:29:00Z'), KOLKATA)).toBe('2026-03-29');
    expect(localDate(at('2026-03-29T18:30:00Z'), KOLKATA)).toBe('2026-03-30');
    expect(localDate(at('2026-11-01T05:30:00Z'), NEW_YORK)).toBe('2026-11-01');
  });

  it('rejects an invalid instant', () => {
    expect(() => localDate(new Date(Number.NaN), BERLIN)).toThrow(InvalidInputError);
  });

  it('gives a normal day 24 hours and DST days 23 or 25', () => {
    expect(spans([localDayBounds('2026-03-27', BERLIN)])).toEqual(['2026-03-26T23:00:00.000Z - 2026-03-27T23:00:00.000Z']);
    expect(spans([localDayBounds('2026-03-29', BERLIN)])).toEqual(['2026-03-28T23:00:00.000Z - 2026-03-29T22:00:00.000Z']);
    expect(spans([localDayBounds('2026-10-25', BERLIN)])).toEqual(['2026-10-24T22:00:00.000Z - 2026-10-25T23:00:00.000Z']);
    expect(spans([localDayBounds('2026-03-08', NEW_YORK)])).toEqual(['2026-03-08T05:00:00.000Z - 2026-03-09T04:00:00.000Z']);
    expect(spans([localDayBounds('2026-11-01', NEW_YORK)])).toEqual(['2026-11-01T04:00:00.000Z - 2026-11-02T05:00:00.000Z']);
    expect(spans([localDayBounds('2026-03-30', TOKYO)])).toEqual(['2026-03-29T15:00:00.000Z - 2026-03-30T15:00:00.000Z']);
    expect(spans([localDayBounds('2026-03-30', KOLKATA)])).toEqual(['2026-03-29T18:30:00.000Z - 2026-03-30T18:30:00.000Z']);
  });
});

describe('overlaps', () => {
  const morning = interval('2026-03-27T08:00:00Z', '2026-03-27T09:00:00Z');

  it('is true for intervals sharing any time', () => {
    expect(overlaps(morning, interval('2026-03-27T08:59:00Z', '2026-03-27T10:00:00Z'))).toBe(true);
    expect(overlaps(morning, interval('2026-03-27T08:15:00Z', '2026-03-27T08:30:00Z'))).toBe(true);
    expect(overlaps(interval('2026-03-27T08:15:00Z', '2026-03-27T08:30:00Z'), morning)).toBe(true);
    expect(overlaps(morning, morning)).toBe(true);
  });

  it('is false for touching or separate intervals (half-open)', () => {
    expect(overlaps(morning, interval('2026-03-27T09:00:00Z', '2026-03-27T10:00:00Z'))).toBe(false);
    expect(overlaps(interval('2026-03-27T07:00:00Z', '2026-03-27T08:00:00Z'), morning)).toBe(false);
    expect(overlaps(morning, interval('2026-03-27T12:00:00Z', '2026-03-27T13:00:00Z'))).toBe(false);
  });
});

describe('fitsWorkingHours', () => {
  // Friday 2026-03-27 in Berlin: 09:00-17:00 local is 08:00Z-16:00Z.
  const fits = (iso: string, minutes: number, hours: readonly WorkingHoursEntry[] = DEFAULT_WORKING_HOURS) =>
    fitsWorkingHours(hours, at(iso), minutes, BERLIN);

  it('accepts sessions from the first minute up to the last', () => {
    expect(fits('2026-03-27T08:00:00Z', 60)).toBe(true);
    expect(fits('2026-03-27T15:30:00Z', 30)).toBe(true); // 16:30 + 30 ends exactly at 17:00
    expect(fits('2026-03-27T08:00:00Z', 480)).toBe(true);
  });

  it('refuses sessions that start early, end late, or start at closing time', () => {
    expect(fits('2026-03-27T07:45:00Z', 30)).toBe(false);
    expect(fits('2026-03-27T15:45:00Z', 30)).toBe(false); // 16:45 + 30 ends at 17:15
    expect(fits('2026-03-27T16:00:00Z', 15)).toBe(false);
    expect(fits('2026-03-27T08:00:00Z', 481)).toBe(false);
    expect(fits('2026-03-28T09:00:00Z', 30)).toBe(false); // Saturday
  });

  it('joins touching windows into one stretch of working time', () => {
    const split = [
      { weekday: 5, start: '09:00', end: '12:00' },
      { weekday: 5, start: '12:00', end: '14:00' },
    ];
    expect(fits('2026-03-27T10:30:00Z', 60, split)).toBe(true); // 11:30-12:30 across the join
    expect(fits('2026-03-27T08:00:00Z', 300, split)).toBe(true); // 09:00-14:00, all of it
    expect(fits('2026-03-27T12:30:00Z', 60, split)).toBe(false); // 13:30-14:30 runs past the end
  });

  it('does not join windows with a gap between them', () => {
    const lunch = [
      { weekday: 5, start: '09:00', end: '12:00' },
      { weekday: 5, start: '12:15', end: '17:00' },
    ];
    expect(fits('2026-03-27T10:30:00Z', 60, lunch)).toBe(false); // 11:30-12:30 crosses the break
    expect(fits('2026-03-27T11:15:00Z', 60, lunch)).toBe(true); // 12:15-13:15
  });

  it('joins a window ending at 24:00 with the next day\'s window from 00:00', () => {
    const lateAndEarly = [
      { weekday: 1, start: '20:00', end: '24:00' },
      { weekday: 2, start: '00:00', end: '03:00' },
    ];
    // Monday 2026-03-30, 23:30 in Tokyo is 14:30Z.
    expect(fitsWorkingHours(lateAndEarly, at('2026-03-30T14:30:00Z'), 30, TOKYO)).toBe(true);
    expect(fitsWorkingHours(lateAndEarly, at('2026-03-30T14:30:00Z'), 60, TOKYO)).toBe(true); // 23:30-00:30
    expect(fitsWorkingHours(lateAndEarly, at('2026-03-30T14:30:00Z'), 240, TOKYO)).toBe(false); // to 03:30
    expect(fitsWorkingHours(lateAndEarly, at('2026-03-30T15:00:00Z'), 60, TOKYO)).toBe(true); // Tuesday 00:00
    // Without Tuesday's early hours, Monday's window ends at midnight.
    expect(fitsWorkingHours(lateAndEarly.slice(0, 1), at('2026-03-30T14:30:00Z'), 60, TOKYO)).toBe(false);
  });

  it('is DST-correct', () => {
    const hours = everyDay('09:00', '17:00');
    expect(fitsWorkingHours(hours, at('2026-03-29T14:30:00Z'), 30, BERLIN)).toBe(true); // 16:30 CEST
    expect(fitsWorkingHours(hours, at('2026-03-29T15:00:00Z'), 30, BERLIN)).toBe(false); // 17:00 CEST
    expect(fitsWorkingHours(hours, at('2026-11-01T21:00:00Z'), 60, NEW_YORK)).toBe(true); // 16:00 EST
    expect(fitsWorkingHours(hours, at('2026-11-01T13:00:00Z'), 60, NEW_YORK)).toBe(false); // 08:00 EST
  });

  it('rejects a duration that is not a positive whole number of minutes', () => {
    expect(() => fits('2026-03-27T08:00:00Z', 0)).toThrow(InvalidInputError);
    expect(() => fits('2026-03-27T08:00:00Z', 12.5)).toThrow('durationMinutes must be a whole number of minutes from 1 to 1440');
  });
});

describe('availableSlots', () => {
  // Friday 2026-03-27 in Berlin (CET, UTC+1).
  const friday = (start: string, end: string): WorkingHoursEntry[] => [{ weekday: 5, start, end }];
  const query = (overrides: Partial<SlotQuery>): SlotQuery => ({
    hours: friday('09:00', '13:00'),
    date: '2026-03-27',
    timezone: BERLIN,
    durationMinutes: 60,
    busy: [],
    notBefore: at('2026-03-20T00:00:00Z'),
    ...overrides,
  });
  const slots = (overrides: Partial<SlotQuery>) => isos(availableSlots(query(overrides)));

  it.each([
    [30, ['08:00', '08:15', '08:30', '08:45', '09:00', '09:15', '09:30']],
    [45, ['08:00', '08:15', '08:30', '08:45', '09:00', '09:15']],
    [60, ['08:00', '08:15', '08:30', '08:45', '09:00']],
    [90, ['08:00', '08:15', '08:30']],
  ])('offers every 15-minute start that fits a %i-minute session', (durationMinutes, times) => {
    expect(slots({ hours: friday('09:00', '11:00'), durationMinutes })).toEqual(times.map((time) => `2026-03-27T${time}:00.000Z`));
  });

  it('offers starts across touching windows and across midnight, as scheduling accepts them', () => {
    const split: WorkingHoursEntry[] = [
      { weekday: 5, start: '09:00', end: '12:00' },
      { weekday: 5, start: '12:00', end: '13:00' },
    ];
    expect(slots({ hours: split, gridMinutes: 30 })).toContain('2026-03-27T10:30:00.000Z'); // 11:30-12:30 local
    const lateFriday: WorkingHoursEntry[] = [
      { weekday: 5, start: '22:00', end: '24:00' },
      { weekday: 6, start: '00:00', end: '01:00' },
    ];
    expect(slots({ hours: lateFriday, gridMinutes: 30 })).toEqual([
      '2026-03-27T21:00:00.000Z',
      '2026-03-27T21:30:00.000Z',
      '2026-03-27T22:00:00.000Z',
      '2026-03-27T22:30:00.000Z', // 23:30-00:30, into Saturday's hour
    ]);
  });

  it('keeps slots clear of busy sessions, allowing touching ones', () => {
    const busy = [
      interval('2026-03-27T09:00:00Z', '2026-03-27T10:00:00Z'),
      interval('2026-03-26T09:00:00Z', '2026-03-26T10:00:00Z'), // another day
    ];
    expect(slots({ busy, gridMinutes: 30 })).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-27T10:00:00.000Z',
      '2026-03-27T10:30:00.000Z',
      '2026-03-27T11:00:00.000Z',
    ]);
  });

  it('is blocked by a busy session that starts before or runs past the working window', () => {
    const busy = [interval('2026-03-27T07:00:00Z', '2026-03-27T08:30:00Z'), interval('2026-03-27T11:45:00Z', '2026-03-27T13:00:00Z')];
    expect(slots({ busy, gridMinutes: 30 })).toEqual([
      '2026-03-27T08:30:00.000Z',
      '2026-03-27T09:00:00.000Z',
      '2026-03-27T09:30:00.000Z',
      '2026-03-27T10:00:00.000Z',
      '2026-03-27T10:30:00.000Z',
    ]);
  });

  it('starts no slot before notBefore', () => {
    expect(slots({ notBefore: at('2026-03-27T10:07:00Z'), gridMinutes: 30 })).toEqual(['2026-03-27T10:30:00.000Z', '2026-03-27T11:00:00.000Z']);
    expect(slots({ notBefore: at('2026-03-27T10:30:00Z'), gridMinutes: 30 })).toEqual(['2026-03-27T10:30:00.000Z', '2026-03-27T11:00:00.000Z']);
    expect(slots({ notBefore: at('2026-03-27T11:00:01Z') })).toEqual([]);
  });

  it('offers nothing once the daily maximum is reached', () => {
    const open = ['2026-03-27T08:00:00.000Z', '2026-03-27T09:00:00.000Z', '2026-03-27T10:00:00.000Z', '2026-03-27T11:00:00.000Z'];
    expect(slots({ gridMinutes: 60, maxPerDay: { limit: 3, alreadyBooked: 2 } })).toEqual(open);
    expect(slots({ gridMinutes: 60, maxPerDay: { limit: 3, alreadyBooked: 3 } })).toEqual([]);
    expect(slots({ gridMinutes: 60, maxPerDay: { limit: 3, alreadyBooked: 4 } })).toEqual([]);
  });

  it('offers nothing on a day without working hours', () => {
    expect(slots({ hours: DEFAULT_WORKING_HOURS, date: '2026-03-28' })).toEqual([]);
    expect(slots({ hours: [] })).toEqual([]);
  });

  it('offers slots across two touching windows as across one', () => {
    const hours = [...friday('09:00', '10:30'), ...friday('10:30', '12:00')];
    expect(slots({ hours, gridMinutes: 30 })).toEqual(slots({ hours: friday('09:00', '12:00'), gridMinutes: 30 }));
    expect(slots({ hours, gridMinutes: 30 })).toContain('2026-03-27T09:00:00.000Z'); // 10:00-11:00 local
  });

  it('aligns the grid to the local wall clock (Kolkata, UTC+5:30)', () => {
    expect(slots({ hours: DEFAULT_WORKING_HOURS, date: '2026-03-30', timezone: KOLKATA, durationMinutes: 90, gridMinutes: 60 })).toEqual([
      '2026-03-30T03:30:00.000Z',
      '2026-03-30T04:30:00.000Z',
      '2026-03-30T05:30:00.000Z',
      '2026-03-30T06:30:00.000Z',
      '2026-03-30T07:30:00.000Z',
      '2026-03-30T08:30:00.000Z',
      '2026-03-30T09:30:00.000Z',
    ]);
  });

  it('follows the local clock over the spring-forward gap (Berlin 2026-03-29)', () => {
    // 01:00, 01:30 CET, then the clock jumps to 03:00 CEST: 03:00, 03:30.
    expect(slots({ hours: everyDay('01:00', '04:00'), date: '2026-03-29', durationMinutes: 30, gridMinutes: 30 })).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
    expect(slots({ hours: everyDay('09:00', '12:00'), date: '2026-03-29', gridMinutes: 60 })).toEqual([
      '2026-03-29T07:00:00.000Z',
      '2026-03-29T08:00:00.000Z',
      '2026-03-29T09:00:00.000Z',
    ]);
  });

  it('offers the repeated hour twice on a fall-back day (New York 2026-11-01)', () => {
    // 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST; the window ends at 03:00 EST.
    expect(slots({ hours: everyDay('00:00', '03:00'), date: '2026-11-01', timezone: NEW_YORK, gridMinutes: 60 })).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('offers a full day with the default grid in ascending order without duplicates', () => {
    const result = availableSlots(query({ hours: everyDay('00:00', '24:00'), date: '2026-10-25', durationMinutes: 15 }));
    expect(result).toHaveLength(100); // 25 hours of 15-minute slots
    expect(isos([result[0], result[result.length - 1]])).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T22:45:00.000Z']);
    expect(result.every((slot, i) => i === 0 || slot.getTime() - result[i - 1].getTime() === 15 * 60_000)).toBe(true);
  });

  it('rejects a bad duration, grid or date', () => {
    expect(() => availableSlots(query({ durationMinutes: 0 }))).toThrow(InvalidInputError);
    expect(() => availableSlots(query({ gridMinutes: 0 }))).toThrow('gridMinutes must be a whole number of minutes from 1 to 1440');
    expect(() => availableSlots(query({ date: '2026-02-30' }))).toThrow(InvalidInputError);
  });
});
