import { randomUUID } from 'node:crypto';
import type { Money } from '../../../contracts/billing';
import type { SessionType, TargetAudience, TherapySessionStatus } from '../../../contracts/mentalhealth';
import type { Role } from '../../../contracts/users';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../../platform/errors';

export type { Money, SessionType, TargetAudience, TherapySessionStatus };

export const ALLOWED_DURATIONS = [30, 45, 60, 90] as const;
/** Sessions in these states hold their time in the therapist's and the patient's calendars. */
export const CALENDAR_BLOCKING: readonly TherapySessionStatus[] = ['PENDING', 'ACCEPTED', 'IN_PROGRESS'];
export const MAX_REASON_LENGTH = 1000;
export const MAX_TEXT_LENGTH = 20000;

export type SessionEventType = 'SCHEDULED' | 'ACCEPTED' | 'REJECTED' | 'STARTED' | 'ENDED' | 'CANCELLED' | 'NO_SHOW';

/** Who acts on a session. */
export interface Actor {
  userId: string;
  role: Role;
}

export interface SessionEvent {
  type: SessionEventType;
  /** Null when time, not a person, changed the session (a no-show). */
  actor: Actor | null;
  previousStatus: TherapySessionStatus | null;
  occurredAt: Date;
}

export interface NewSession {
  therapistId: string;
  patientId: string;
  sessionType: SessionType;
  targetAudience: TargetAudience;
  scheduledAt: Date;
  durationMinutes: number;
  /** The therapist's price for this length at booking; null only when billing is not running. */
  price?: Money | null;
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw new InvalidInputError('A reason is required', { field: 'reason' });
  if (trimmed.length > MAX_REASON_LENGTH) {
    throw new InvalidInputError(`The reason must be at most ${MAX_REASON_LENGTH} characters`, { field: 'reason' });
  }
  return trimmed;
}

function optionalText(text: string | null | undefined, field: string): string | null {
  if (text === null || text === undefined) return null;
  if (text.length > MAX_TEXT_LENGTH) throw new InvalidInputError(`${field} must be at most ${MAX_TEXT_LENGTH} characters`, { field });
  return text.trim() || null;
}

/**
 * A therapy session and its lifecycle (API.md): PENDING -> ACCEPTED -> IN_PROGRESS -> COMPLETED,
 * with REJECTED and CANCELLED as exits and NO_SHOW when an accepted session's time passes unstarted. Every transition checks who acts and from which state,
 * and records an event; anything else is a CONFLICT and changes nothing.
 */
export class TherapySession {
  id!: string;
  therapistId!: string;
  patientId!: string;
  sessionType!: SessionType;
  targetAudience!: TargetAudience;
  status!: TherapySessionStatus;
  scheduledAt!: Date;
  durationMinutes!: number;
  /** scheduledAt + durationMinutes, stored so the database can refuse overlaps. */
  endsAt!: Date;
  startedAt: Date | null = null;
  endedAt: Date | null = null;
  summary: string | null = null;
  notes: string | null = null;
  cancellationReason: string | null = null;
  cancelledById: string | null = null;
  /** The price agreed at booking, in minor units of priceCurrency; later rate changes do not touch it. */
  priceCents: number | null = null;
  priceCurrency: string | null = null;
  /** Who scheduled it: the patient (a booking) or their therapist or an admin (a proposal the patient accepts). */
  proposedById!: string;
  createdAt!: Date;
  updatedAt!: Date;
  private pendingEvents?: SessionEvent[];

  static schedule(input: NewSession, actor: Actor, now: Date): TherapySession {
    if (!(ALLOWED_DURATIONS as readonly number[]).includes(input.durationMinutes)) {
      throw new InvalidInputError(`durationMinutes must be one of ${ALLOWED_DURATIONS.join(', ')}`, { field: 'durationMinutes' });
    }
    if (input.therapistId === input.patientId) throw new InvalidInputError('A therapist cannot be their own patient');
    const session = new TherapySession();
    const { price, ...fields } = input;
    Object.assign(session, {
      id: randomUUID(),
      ...fields,
      priceCents: price?.amountCents ?? null,
      priceCurrency: price?.currency ?? null,
      endsAt: new Date(input.scheduledAt.getTime() + input.durationMinutes * 60_000),
      status: 'PENDING',
      proposedById: actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    session.record('SCHEDULED', actor, null, now);
    return session;
  }

  /** The agreed price, or null for a session booked while billing was not running. */
  agreedPrice(): Money | null {
    return this.priceCents === null || this.priceCurrency === null ? null : { amountCents: this.priceCents, currency: this.priceCurrency };
  }

  isTherapist(actor: Actor): boolean {
    return actor.userId === this.therapistId;
  }

  isParticipant(actor: Actor): boolean {
    return actor.userId === this.therapistId || actor.userId === this.patientId;
  }

  /** The patient booked it themself; otherwise it is a proposal that waits for the patient's consent. */
  bookedByPatient(): boolean {
    return this.proposedById === this.patientId;
  }

  /** A booking is accepted by the therapist; a proposal (by the therapist or an admin) by the patient alone. */
  accept(actor: Actor, now: Date): void {
    if (this.bookedByPatient()) this.requireTherapist(actor, 'accept');
    else if (actor.userId !== this.patientId) throw new ForbiddenError('Only the patient may accept a session proposed for them');
    this.transition(['PENDING'], 'ACCEPTED', 'ACCEPTED', actor, now);
  }

  reject(actor: Actor, reason: string, now: Date): void {
    this.requireTherapist(actor, 'reject');
    const why = requireReason(reason);
    this.transition(['PENDING', 'ACCEPTED'], 'REJECTED', 'REJECTED', actor, now);
    this.cancellationReason = why;
    this.cancelledById = actor.userId;
  }

  /** Allowed from `earlyStartMinutes` before scheduledAt until the planned end. */
  start(actor: Actor, now: Date, earlyStartMinutes: number): void {
    this.requireTherapist(actor, 'start');
    this.requireStatus(['ACCEPTED'], 'IN_PROGRESS');
    const earliest = this.scheduledAt.getTime() - earlyStartMinutes * 60_000;
    if (now.getTime() < earliest) {
      throw new ConflictError(`The session can start at the earliest ${earlyStartMinutes} minutes before ${this.scheduledAt.toISOString()}`);
    }
    if (now.getTime() >= this.endsAt.getTime()) {
      throw new ConflictError('The session\'s time has passed; cancel or reschedule it');
    }
    this.transition(['ACCEPTED'], 'IN_PROGRESS', 'STARTED', actor, now);
    this.startedAt = now;
  }

  end(actor: Actor, now: Date, summary?: string | null, notes?: string | null): void {
    this.requireTherapist(actor, 'end');
    const cleanSummary = optionalText(summary, 'summary');
    const cleanNotes = optionalText(notes, 'notes');
    this.transition(['IN_PROGRESS'], 'COMPLETED', 'ENDED', actor, now);
    this.endedAt = now;
    this.summary = cleanSummary;
    this.notes = cleanNotes;
  }

  /** Either participant or an admin, while the session has not started. */
  cancel(actor: Actor, reason: string, now: Date): void {
    if (!this.isParticipant(actor) && actor.role !== 'ADMIN') {
      throw new ForbiddenError('Only the session\'s participants or an admin may cancel it');
    }
    const why = requireReason(reason);
    if (this.status === 'ACCEPTED' && actor.userId === this.patientId && now.getTime() >= this.scheduledAt.getTime()) {
      throw new ConflictError('The session has begun: a patient who does not attend is a no-show, not a cancellation', { status: this.status });
    }
    this.transition(['PENDING', 'ACCEPTED'], 'CANCELLED', 'CANCELLED', actor, now);
    this.cancellationReason = why;
    this.cancelledById = actor.userId;
  }

  /** ACCEPTED -> NO_SHOW once the planned end has passed without a start; no one acts. */
  markNoShow(now: Date): void {
    if (now.getTime() < this.endsAt.getTime()) throw new ConflictError('A session is a no-show only once its planned end has passed');
    this.transition(['ACCEPTED'], 'NO_SHOW', 'NO_SHOW', null, now);
  }

  /** The events recorded since the last call, oldest first. */
  pullEvents(): SessionEvent[] {
    const events = this.pendingEvents ?? [];
    this.pendingEvents = [];
    return events;
  }

  private requireTherapist(actor: Actor, action: string): void {
    if (!this.isTherapist(actor)) throw new ForbiddenError(`Only the session's therapist may ${action} it`);
  }

  private requireStatus(from: readonly TherapySessionStatus[], to: TherapySessionStatus): void {
    if (!from.includes(this.status)) {
      throw new ConflictError(`A ${this.status} session cannot become ${to}; it must be ${from.join(' or ')}`, {
        status: this.status,
      });
    }
  }

  private transition(
    from: readonly TherapySessionStatus[],
    to: TherapySessionStatus,
    event: SessionEventType,
    actor: Actor | null,
    now: Date,
  ): void {
    this.requireStatus(from, to);
    const previous = this.status;
    this.status = to;
    this.updatedAt = now;
    this.record(event, actor, previous, now);
  }

  private record(type: SessionEventType, actor: Actor | null, previousStatus: TherapySessionStatus | null, occurredAt: Date): void {
    (this.pendingEvents ??= []).push({ type, actor, previousStatus, occurredAt });
  }
}
