import { checkSchedulingRules, type CalendarFacts } from '../../src/modules/mentalhealth/domain/scheduling-rules';
import { DEFAULT_WORKING_HOURS } from '../../src/modules/mentalhealth/domain/working-hours';
import { ConflictError } from '../../src/platform/errors';

const limits = { minLeadMinutes: 60, maxSessionsPerDay: 3 };
const slot = (start: string, minutes = 60) => ({ start: new Date(start), end: new Date(new Date(start).getTime() + minutes * 60_000) });
const facts = (overrides: Partial<CalendarFacts> = {}): CalendarFacts => ({
  now: new Date('2026-12-07T08:00:00Z'),
  therapistTimezone: 'UTC',
  workingHours: DEFAULT_WORKING_HOURS,
  therapistBusy: [],
  patientBusy: [],
  therapistSessionsThatDay: 0,
  ...overrides,
});
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConflictError);
    return (error as ConflictError).details.rule;
  }
  return 'ACCEPTED';
};

describe('scheduling rules', () => {
  it('accept a session inside working hours with a free calendar', () => {
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T10:00:00Z'), limits, facts()))).toBe('ACCEPTED');
  });

  it('require the lead time', () => {
    expect(refusal(() => checkSchedulingRules(slot('2026-12-07T08:59:00Z'), limits, facts()))).toBe('LEAD_TIME');
    expect(refusal(() => checkSchedulingRules(slot('2026-12-07T09:00:00Z'), limits, facts()))).toBe('ACCEPTED');
    expect(refusal(() => checkSchedulingRules(slot('2026-12-01T10:00:00Z'), limits, facts()))).toBe('LEAD_TIME');
  });

  it("respect working hours in the therapist's time zone", () => {
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T16:30:00Z'), limits, facts()))).toBe('WORKING_HOURS');
    expect(refusal(() => checkSchedulingRules(slot('2026-12-12T10:00:00Z'), limits, facts()))).toBe('WORKING_HOURS');
    // 08:00Z is 09:00 in Berlin in winter: inside its working day, before UTC's.
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T08:00:00Z'), limits, facts({ therapistTimezone: 'Europe/Berlin' })))).toBe('ACCEPTED');
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T08:00:00Z'), limits, facts()))).toBe('WORKING_HOURS');
  });

  it("refuse overlaps with the therapist's or the patient's sessions, using real durations", () => {
    const busy = [slot('2026-12-08T10:00:00Z', 90)];
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T11:00:00Z'), limits, facts({ therapistBusy: busy })))).toBe('THERAPIST_OVERLAP');
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T09:30:00Z', 45), limits, facts({ patientBusy: busy })))).toBe('PATIENT_OVERLAP');
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T11:30:00Z'), limits, facts({ therapistBusy: busy, patientBusy: busy })))).toBe('ACCEPTED');
  });

  it('enforce the daily maximum', () => {
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T10:00:00Z'), limits, facts({ therapistSessionsThatDay: 3 })))).toBe('DAILY_MAXIMUM');
    expect(refusal(() => checkSchedulingRules(slot('2026-12-08T10:00:00Z'), limits, facts({ therapistSessionsThatDay: 2 })))).toBe('ACCEPTED');
  });
});
