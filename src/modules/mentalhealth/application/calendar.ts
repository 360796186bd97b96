import { inject, injectable } from 'inversify';
import type { Settings } from '../../../config/env';
import { UserDirectory } from '../../../contracts/users';
import { requireViewer } from '../../../platform/auth';
import type { Clock } from '../../../platform/clock';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import { ForbiddenError, InvalidInputError } from '../../../platform/errors';
import { availableSlots, localDayBounds } from '../domain/availability';
import { ALLOWED_DURATIONS } from '../domain/therapy-session';
import { DEFAULT_WORKING_HOURS, validateWorkingHours, type WorkingHoursEntry } from '../domain/working-hours';
import { MentalHealthStoreKey, type MentalHealthStore } from './ports';

/** Therapists' working hours and the free slots they leave. */
@injectable()
export class Calendar {
  constructor(
    @inject(MentalHealthStoreKey) private readonly store: MentalHealthStore,
    @inject(UserDirectory) private readonly users: UserDirectory,
    @inject(PLATFORM.Clock) private readonly clock: Clock,
    @inject(PLATFORM.Settings) private readonly settings: Settings,
  ) {}

  /** Replaces the viewer's (a therapist's) whole weekly schedule; [] means not working. */
  async setWorkingHours(op: OperationContext, hours: WorkingHoursEntry[]): Promise<WorkingHoursEntry[]> {
    const viewer = requireViewer(op.viewer);
    if (viewer.role !== 'THERAPIST') throw new ForbiddenError('Only therapists have working hours');
    const valid = validateWorkingHours(hours);
    const therapist = await this.users.requireRole(op, viewer.userId, 'THERAPIST');
    await this.store.transaction(op, async ({ workingHours, events }) => {
      await workingHours.save(viewer.userId, valid);
      await events.record('TherapistWorkingHoursSet', viewer.userId, { therapistId: viewer.userId, hours: valid, timezone: therapist.timezone }, this.clock.now());
    });
    return valid;
  }

  /** A therapist's hours (defaults when never set); other users have none. */
  async workingHoursOf(op: OperationContext, userIds: readonly string[]): Promise<WorkingHoursEntry[][]> {
    const users = await this.users.findByIds(op, userIds);
    const therapists = users.filter((u) => u?.role === 'THERAPIST').map((u) => u!.id);
    const stored = therapists.length ? await this.store.read(op).workingHours.findMany(therapists) : new Map();
    return users.map((user) => (user?.role === 'THERAPIST' ? (stored.get(user.id) ?? [...DEFAULT_WORKING_HOURS]) : []));
  }

  async availability(op: OperationContext, therapistId: string, date: string, durationMinutes: number): Promise<Date[]> {
    requireViewer(op.viewer);
    if (!(ALLOWED_DURATIONS as readonly number[]).includes(durationMinutes)) {
      throw new InvalidInputError(`durationMinutes must be one of ${ALLOWED_DURATIONS.join(', ')}`, { field: 'durationMinutes' });
    }
    const therapist = await this.users.requireRole(op, therapistId, 'THERAPIST');
    const day = localDayBounds(date, therapist.timezone);
    const { sessions, workingHours } = this.store.read(op);
    const reach = { start: new Date(day.start.getTime() - 90 * 60_000), end: new Date(day.end.getTime() + 90 * 60_000) };
    const [hours, busy, booked] = await Promise.all([
      workingHours.find(therapist.id),
      sessions.blockingIntervals('therapist', therapist.id, reach),
      sessions.countBlocking(therapist.id, day),
    ]);
    return availableSlots({
      hours: hours ?? DEFAULT_WORKING_HOURS,
      date,
      timezone: therapist.timezone,
      durationMinutes,
      busy,
      notBefore: new Date(this.clock.now().getTime() + this.settings.minLeadMinutes * 60_000),
      maxPerDay: { limit: this.settings.maxSessionsPerDay, alreadyBooked: booked },
    });
  }
}
