import { ConflictError } from '../../../platform/errors';
import { fitsWorkingHours, overlaps, type Interval } from './availability';
import type { WorkingHoursEntry } from './working-hours';

export interface SchedulingLimits {
  minLeadMinutes: number;
  maxSessionsPerDay: number;
}

/** What the calendar looks like around a requested session. */
export interface CalendarFacts {
  now: Date;
  therapistTimezone: string;
  workingHours: readonly WorkingHoursEntry[];
  /** The therapist's and the patient's calendar-blocking sessions near the request. */
  therapistBusy: readonly Interval[];
  patientBusy: readonly Interval[];
  /** The therapist's calendar-blocking sessions on the request's local day. */
  therapistSessionsThatDay: number;
}

/**
 * The scheduling rules of API.md, in the order a person would explain a refusal:
 * lead time, working hours (therapist's time zone), overlaps, daily maximum.
 */
export function checkSchedulingRules(requested: Interval, limits: SchedulingLimits, facts: CalendarFacts): void {
  const earliest = facts.now.getTime() + limits.minLeadMinutes * 60_000;
  if (requested.start.getTime() < earliest) {
    throw new ConflictError(`Sessions must be scheduled at least ${limits.minLeadMinutes} minutes ahead`, { rule: 'LEAD_TIME' });
  }
  const minutes = (requested.end.getTime() - requested.start.getTime()) / 60_000;
  if (!fitsWorkingHours(facts.workingHours, requested.start, minutes, facts.therapistTimezone)) {
    throw new ConflictError("The session is outside the therapist's working hours", { rule: 'WORKING_HOURS' });
  }
  if (facts.therapistBusy.some((busy) => overlaps(busy, requested))) {
    throw new ConflictError('The therapist already has a session at that time', { rule: 'THERAPIST_OVERLAP' });
  }
  if (facts.patientBusy.some((busy) => overlaps(busy, requested))) {
    throw new ConflictError('The patient already has a session at that time', { rule: 'PATIENT_OVERLAP' });
  }
  if (facts.therapistSessionsThatDay >= limits.maxSessionsPerDay) {
    throw new ConflictError(`The therapist already has ${limits.maxSessionsPerDay} sessions that day`, { rule: 'DAILY_MAXIMUM' });
  }
}
