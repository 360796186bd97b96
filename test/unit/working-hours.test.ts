import { InvalidInputError } from '../../src/platform/errors';
import {
  DEFAULT_WORKING_HOURS,
  minutesOfDay,
  validateWorkingHours,
  type WorkingHoursEntry,
} from '../../src/modules/mentalhealth/domain/working-hours';

const entry = (weekday: number, start: string, end: string): WorkingHoursEntry => ({ weekday, start, end });

function rejection(entries: readonly WorkingHoursEntry[]): InvalidInputError {
  try {
    validateWorkingHours(entries);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected the working hours to be rejected');
}

describe('default working hours', () => {
  it('are Monday to Friday, 09:00-17:00, and valid', () => {
    expect(DEFAULT_WORKING_HOURS).toEqual([1, 2, 3, 4, 5].map((weekday) => entry(weekday, '09:00', '17:00')));
    expect(validateWorkingHours(DEFAULT_WORKING_HOURS)).toEqual(DEFAULT_WORKING_HOURS);
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_WORKING_HOURS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_WORKING_HOURS[0])).toBe(true);
  });
});

describe('validateWorkingHours', () => {
  it('sorts by weekday, then start, into fresh entries', () => {
    const input = [entry(3, '13:00', '17:00'), entry(1, '14:00', '18:00'), entry(3, '08:00', '12:00'), entry(1, '09:00', '12:00')];
    const result = validateWorkingHours(input);
    expect(result).toEqual([entry(1, '09:00', '12:00'), entry(1, '14:00', '18:00'), entry(3, '08:00', '12:00'), entry(3, '13:00', '17:00')]);
    expect(result[0]).not.toBe(input[3]);
    expect(input[0]).toEqual(entry(3, '13:00', '17:00'));
  });

  it('keeps only the schedule fields', () => {
    const extra = { ...entry(2, '09:00', '10:00'), id: 'x' } as WorkingHoursEntry;
    expect(validateWorkingHours([extra])).toEqual([entry(2, '09:00', '10:00')]);
  });

  it('allows an empty schedule (not working at all)', () => {
    expect(validateWorkingHours([])).toEqual([]);
  });

  it('allows touching entries and the same times on different days', () => {
    const hours = [entry(1, '12:00', '17:00'), entry(1, '09:00', '12:00'), entry(2, '09:00', '17:00')];
    expect(validateWorkingHours(hours)).toEqual([entry(1, '09:00', '12:00'), entry(1, '12:00', '17:00'), entry(2, '09:00', '17:00')]);
  });

  it('allows "24:00" as an end and the whole day', () => {
    expect(validateWorkingHours([entry(7, '00:00', '24:00'), entry(6, '18:30', '24:00')])).toEqual([
      entry(6, '18:30', '24:00'),
      entry(7, '00:00', '24:00'),
    ]);
  });

  it.each([0, 8, -1, 1.5, Number.NaN])('rejects weekday %p', (weekday) => {
    const error = rejection([entry(1, '09:00', '17:00'), entry(weekday, '09:00', '17:00')]);
    expect(error.message).toMatch(/weekday must be a whole number from 1 \(Monday\) to 7 \(Sunday\)/);
    expect(error.details).toEqual({ field: 'hours', index: 1 });
  });

  it.each(['9:00', '09:0', '24:00', '23:60', '25:00', '09:00:00', '0900', '', ' 09:00'])('rejects start time %p', (start) => {
    const error = rejection([entry(1, start, '23:59')]);
    expect(error.message).toContain('start must be a time "HH:MM" from 00:00 to 23:59');
    expect(error.details).toEqual({ field: 'hours', index: 0 });
  });

  it.each(['9:00', '24:01', '24:30', '23:60', '25:00', '17:00 '])('rejects end time %p', (end) => {
    const error = rejection([entry(2, '00:00', '01:00'), entry(2, '08:00', end)]);
    expect(error.message).toContain('end must be a time "HH:MM" from 00:00 to 24:00');
    expect(error.details).toEqual({ field: 'hours', index: 1 });
  });

  it.each([
    ['17:00', '09:00'],
    ['09:00', '09:00'],
    ['00:00', '00:00'],
  ])('rejects start %s not before end %s', (start, end) => {
    const error = rejection([entry(4, start, end)]);
    expect(error.message).toBe(`Working hours entry 1: start ${start} must be before end ${end}`);
    expect(error.details).toEqual({ field: 'hours', index: 0 });
  });

  it.each([
    [entry(1, '11:00', '13:00'), 'Working hours overlap on Monday: 09:00-12:00 and 11:00-13:00'],
    [entry(1, '10:00', '11:00'), 'Working hours overlap on Monday: 09:00-12:00 and 10:00-11:00'],
    [entry(1, '08:00', '09:15'), 'Working hours overlap on Monday: 08:00-09:15 and 09:00-12:00'],
    [entry(1, '09:00', '12:00'), 'Working hours overlap on Monday: 09:00-12:00 and 09:00-12:00'],
  ])('rejects overlapping entries on the same weekday (%p)', (second, message) => {
    const error = rejection([entry(1, '09:00', '12:00'), entry(2, '10:00', '11:00'), second]);
    expect(error.message).toBe(message);
    expect(error.details).toEqual({ field: 'hours', index: 2 });
  });

  it('finds overlaps however the entries are ordered', () => {
    const error = rejection([entry(5, '13:00', '24:00'), entry(5, '08:00', '09:00'), entry(5, '09:00', '14:00')]);
    expect(error.message).toBe('Working hours overlap on Friday: 09:00-14:00 and 13:00-24:00');
    expect(error.details).toEqual({ field: 'hours', index: 2 });
  });

  it('accepts 50 entries and rejects 51', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => {
      const hour = String(i % 10).padStart(2, '0');
      return entry(Math.floor(i / 10) + 1, `${hour}:00`, `${hour}:30`);
    });
    expect(validateWorkingHours(fifty)).toHaveLength(50);
    const error = rejection([...fifty, entry(7, '09:00', '17:00')]);
    expect(error.message).toBe('Working hours can have at most 50 entries, got 51');
    expect(error.details).toEqual({ field: 'hours', index: 50 });
  });
});

describe('minutesOfDay', () => {
  it('counts minutes since local midnight', () => {
    expect(minutesOfDay('00:00')).toBe(0);
    expect(minutesOfDay('09:30')).toBe(570);
    expect(minutesOfDay('23:59')).toBe(1439);
    expect(minutesOfDay('24:00')).toBe(1440);
  });

  it('rejects anything else', () => {
    expect(() => minutesOfDay('9:30')).toThrow(InvalidInputError);
    expect(() => minutesOfDay('24:15')).toThrow('"24:15" is not a time of day in the form "HH:MM"');
  });
});

describe('working hours on the booking grid', () => {
  it('accepts quarter hours and refuses anything between them', () => {
    expect(validateWorkingHours([entry(1, '09:15', '17:45')])).toEqual([entry(1, '09:15', '17:45')]);
    expect(rejection([entry(1, '09:07', '17:00')]).message).toMatch(/15-minute grid/);
    expect(rejection([entry(1, '09:00', '16:59')]).details).toMatchObject({ field: 'hours', index: 0 });
  });
});
