import { inject, injectable, optional } from 'inversify';
import type { Settings } from '../../../config/env';
import { SessionPricing, type Money } from '../../../contracts/billing';
import type { AccessedResource } from '../../../contracts/access-audit';
import { UserDirectory } from '../../../contracts/users';
import { requireViewer, type Viewer } from '../../../platform/auth';
import type { Clock } from '../../../platform/clock';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../../platform/errors';
import { cursorCodec, pageSize, toConnection, type Connection } from '../../../platform/paging';
import { isUuid } from '../../../platform/ids';
import { localDayBounds, localDate } from '../domain/availability';
import { checkSchedulingRules } from '../domain/scheduling-rules';
import { ALLOWED_DURATIONS, TherapySession, type Actor, type SessionType, type TargetAudience, type TherapySessionStatus } from '../domain/therapy-session';
import { DEFAULT_WORKING_HOURS } from '../domain/working-hours';
import { readableSessionScope, maySeeSession, statisticsScope } from './access';
import { MentalHealthStoreKey, type MentalHealthStore, type SessionCounts, type SessionFilter } from './ports';
import { recordSessionEvents } from './session-events';

/** Sessions are paged by scheduledAt, then id. */
const SESSION_CURSOR = cursorCodec('therapySessions', { scheduledAt: 'instant', id: 'uuid' });

export interface ScheduleRequest {
  therapistId: string;
  patientId?: string | null;
  scheduledAt: Date;
  durationMinutes: number;
  sessionType: SessionType;
  targetAudience?: TargetAudience | null;
}

export interface SessionListRequest {
  status?: TherapySessionStatus | null;
  therapistId?: string | null;
  patientId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
  /** The client selected totalCount: the page's statement counts the matches too. */
  withTotal?: boolean;
}

export interface SessionStatistics extends SessionCounts {
  completionRate: number;
  cancellationRate: number;
}

/** How far around a requested session the calendar is read: covers any session touching it. */
const LONGEST_SESSION_MS = 90 * 60_000;

function actorOf(viewer: Viewer): Actor {
  return { userId: viewer.userId, role: viewer.role };
}

/** A session as the access audit names it: its clinical text is the patient's health information. */
export function accessedSession(session: Pick<TherapySession, 'id' | 'patientId'>): AccessedResource {
  return { type: 'TherapySession', id: session.id, patientId: session.patientId };
}

function checkRange(from?: Date | null, to?: Date | null): void {
  if (from && to && from.getTime() > to.getTime()) throw new InvalidInputError('from must not be after to', { field: 'from' });
}

/** Therapy sessions: scheduling, the lifecycle, and reading them within the viewer's rights. */
@injectable()
export class TherapySessions {
  constructor(
    @inject(MentalHealthStoreKey) private readonly store: MentalHealthStore,
    @inject(UserDirectory) private readonly users: UserDirectory,
    /** Absent when billing is not running: sessions are then booked without a price. */
    @inject(SessionPricing) @optional() private readonly pricing: SessionPricing | undefined,
    @inject(PLATFORM.Clock) private readonly clock: Clock,
    @inject(PLATFORM.Settings) private readonly settings: Settings,
  ) {}

  async schedule(op: OperationContext, request: ScheduleRequest): Promise<TherapySession> {
    const viewer = requireViewer(op.viewer);
    const patientId = this.patientFor(viewer, request);
    if (viewer.role === 'THERAPIST' && request.therapistId !== viewer.userId) {
      throw new ForbiddenError('A therapist schedules sessions with themself');
    }
    // Both in one batch (one statement); the therapist's refusal comes first, as it is asked first.
    const [therapist] = await Promise.all([this.users.requireRole(op, request.therapistId, 'THERAPIST'), this.users.requireRole(op, patientId, 'PATIENT')]);
    const price = await this.currentPrice(op, therapist.id, request.durationMinutes);
    const now = this.clock.now();
    const session = TherapySession.schedule(
      {
        therapistId: therapist.id,
        patientId,
        sessionType: request.sessionType,
        targetAudience: request.targetAudience ?? 'INDIVIDUAL',
        scheduledAt: request.scheduledAt,
        durationMinutes: request.durationMinutes,
        price,
      },
      actorOf(viewer),
      now,
    );
    const requested = { start: session.scheduledAt, end: session.endsAt };
    const around = { start: new Date(requested.start.getTime() - LONGEST_SESSION_MS), end: new Date(requested.end.getTime() + LONGEST_SESSION_MS) };
    await this.store.transaction(op, async ({ sessions, workingHours, events, audit }) => {
      await sessions.lockTherapistCalendar(therapist.id);
      const day = localDayBounds(localDate(requested.start, therapist.timezone), therapist.timezone);
      checkSchedulingRules(requested, this.settings, {
        now,
        therapistTimezone: therapist.timezone,
        workingHours: (await workingHours.find(therapist.id)) ?? DEFAULT_WORKING_HOURS,
        ...(await sessions.bookingCalendar(therapist.id, patientId, around, day)),
      });
      sessions.add(session);
      await recordSessionEvents(events, session, session.pullEvents());
      await audit.record('CREATE', [accessedSession(session)]);
    });
    return session;
  }

  async accept(op: OperationContext, id: string): Promise<TherapySession> {
    return this.change(op, id, (session, actor, now) => session.accept(actor, now));
  }

  async reject(op: OperationContext, id: string, reason: string): Promise<TherapySession> {
    return this.change(op, id, (session, actor, now) => session.reject(actor, reason, now));
  }

  async start(op: OperationContext, id: string): Promise<TherapySession> {
    return this.change(op, id, (session, actor, now) => session.start(actor, now, this.settings.earlyStartMinutes));
  }

  async end(op: OperationContext, id: string, summary?: string | null, notes?: string | null): Promise<TherapySession> {
    return this.change(op, id, (session, actor, now) => session.end(actor, now, summary, notes));
  }

  async cancel(op: OperationContext, id: string, reason: string): Promise<TherapySession> {
    return this.change(op, id, (session, actor, now) => session.cancel(actor, reason, now));
  }

  /**
   * The no-show sweep (run on the event dispatcher's schedule, on every instance): ACCEPTED
   * sessions whose planned end has passed become NO_SHOW, each with its event, in batches. Locked
   * rows are skipped, so concurrent sweeps mark each session once. Returns how many it marked.
   */
  async markNoShows(op: OperationContext, batchSize = 100): Promise<number> {
    let marked = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.store.transaction(op, async ({ sessions, events }) => {
        const due = await sessions.lockDueNoShows(now, batchSize);
        for (const session of due) {
          session.markNoShow(now);
          await recordSessionEvents(events, session, session.pullEvents());
        }
        return due.length;
      });
      marked += batch;
      if (batch < batchSize) return marked;
    }
  }

  /** The session if the viewer may read it; null if it does not exist or is not theirs (ids cannot be probed). */
  async get(op: OperationContext, id: string): Promise<TherapySession | null> {
    const viewer = requireViewer(op.viewer);
    readableSessionScope(op);
    const session = isUuid(id) ? await this.store.read(op).sessions.findById(id) : null;
    return session && maySeeSession(viewer, session) ? session : null;
  }

  async list(op: OperationContext, request: SessionListRequest & { participantId?: string }): Promise<Connection<TherapySession>> {
    checkRange(request.from, request.to);
    const filter: SessionFilter = {
      scope: readableSessionScope(op),
      status: request.status,
      therapistId: request.therapistId,
      patientId: request.patientId,
      participantId: request.participantId,
      from: request.from,
      to: request.to,
    };
    for (const id of [filter.therapistId, filter.patientId, filter.participantId]) {
      if (id && !isUuid(id)) throw new InvalidInputError(`${id} is not a user id`);
    }
    const first = pageSize(request.first);
    const after = SESSION_CURSOR.decode(request.after);
    const { sessions } = this.store.read(op);
    const page = await sessions.list(filter, { first: first + 1, after, withTotal: request.withTotal ?? false });
    return toConnection(page.sessions, first, (s) => SESSION_CURSOR.encode(s), page.total);
  }

  async statistics(
    op: OperationContext,
    request: Pick<SessionListRequest, 'therapistId' | 'patientId' | 'from' | 'to'>,
  ): Promise<SessionStatistics> {
    const viewer = requireViewer(op.viewer);
    checkRange(request.from, request.to);
    const scope = statisticsScope(viewer);
    if (scope.kind === 'therapist' && request.therapistId && request.therapistId !== viewer.userId) {
      throw new ForbiddenError("You may not see another therapist's statistics");
    }
    if (scope.kind === 'patient' && request.patientId && request.patientId !== viewer.userId) {
      throw new ForbiddenError("You may not see another patient's statistics");
    }
    for (const id of [request.therapistId, request.patientId]) {
      if (id && !isUuid(id)) throw new InvalidInputError(`${id} is not a user id`);
    }
    const counts = await this.store.read(op).sessions.counts({ scope, ...request });
    const rate = (part: number) => (counts.total === 0 ? 0 : part / counts.total);
    return { ...counts, completionRate: rate(counts.completed), cancellationRate: rate(counts.cancelled) };
  }

  /**
   * The therapist's price for this length now, from billing through its contract. It is fixed on
   * the session; null when billing is not running.
   */
  private async currentPrice(op: OperationContext, therapistId: string, durationMinutes: number): Promise<Money | null> {
    if (!(ALLOWED_DURATIONS as readonly number[]).includes(durationMinutes) || !this.pricing) return null;
    return this.pricing.priceFor(op, therapistId, durationMinutes);
  }

  private patientFor(viewer: Viewer, request: ScheduleRequest): string {
    if (viewer.role === 'PATIENT') {
      if (request.patientId && request.patientId !== viewer.userId) throw new ForbiddenError('A patient schedules sessions for themself');
      return viewer.userId;
    }
    if (viewer.role === 'THERAPIST' || viewer.role === 'ADMIN') {
      if (!request.patientId) throw new InvalidInputError('patientId is required when scheduling for a patient', { field: 'patientId' });
      return request.patientId;
    }
    throw new ForbiddenError('Only patients, therapists and admins schedule sessions');
  }

  /** Loads, changes and saves one session and records its events, in one transaction. */
  private async change(
    op: OperationContext,
    id: string,
    apply: (session: TherapySession, actor: Actor, now: Date) => void,
  ): Promise<TherapySession> {
    const viewer = requireViewer(op.viewer);
    return this.store.transaction(op, async ({ sessions, events, audit }) => {
      const found = isUuid(id) ? await sessions.findForUpdate(id) : null;
      // A session the viewer may not see is refused like an unknown one: ids cannot be probed.
      if (!found || (!found.isParticipant(viewer) && viewer.role !== 'ADMIN')) throw new NotFoundError(`No therapy session with id ${id}`);
      apply(found, actorOf(viewer), this.clock.now());
      await recordSessionEvents(events, found, found.pullEvents());
      await audit.record('UPDATE', [accessedSession(found)]);
      return found;
    });
  }
}
