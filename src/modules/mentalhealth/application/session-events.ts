import type { EventType } from '../../../contracts/events';
import type { TherapySessionEventSnapshot, TherapySessionSnapshot } from '../../../contracts/mentalhealth';
import type { EventRecorder } from '../../../platform/events';
import { TherapySession, type SessionEvent, type SessionEventType } from '../domain/therapy-session';

export const EVENT_TYPE_OF: Record<SessionEventType, EventType & `TherapySession${string}`> = {
  SCHEDULED: 'TherapySessionScheduled',
  ACCEPTED: 'TherapySessionAccepted',
  REJECTED: 'TherapySessionRejected',
  STARTED: 'TherapySessionStarted',
  ENDED: 'TherapySessionEnded',
  CANCELLED: 'TherapySessionCancelled',
  NO_SHOW: 'TherapySessionNoShow',
};

export const SESSION_EVENT_OF = Object.fromEntries(
  Object.entries(EVENT_TYPE_OF).map(([type, eventType]) => [eventType, type]),
) as Record<string, SessionEventType>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The notes-free view of a session that leaves the module in events and contracts. */
export function snapshotOf(session: TherapySession): TherapySessionSnapshot {
  return {
    id: session.id,
    therapistId: session.therapistId,
    patientId: session.patientId,
    status: session.status,
    sessionType: session.sessionType,
    targetAudience: session.targetAudience,
    scheduledAt: session.scheduledAt.toISOString(),
    durationMinutes: session.durationMinutes,
    endsAt: session.endsAt.toISOString(),
    startedAt: iso(session.startedAt),
    endedAt: iso(session.endedAt),
    summary: session.summary,
    cancellationReason: session.cancellationReason,
    createdAt: session.createdAt.toISOString(),
    price: session.agreedPrice(),
  };
}

/** What an event carries: the snapshot without clinical text (stored encrypted in the session alone). */
export function eventSnapshotOf(session: TherapySession): TherapySessionEventSnapshot {
  const { summary: _summary, cancellationReason: _reason, ...rest } = snapshotOf(session);
  return rest;
}

/** Records what a change did, in order, in the transaction of the change. */
export async function recordSessionEvents(recorder: EventRecorder, session: TherapySession, events: SessionEvent[]): Promise<void> {
  for (const event of events) {
    await recorder.record(EVENT_TYPE_OF[event.type], session.id, {
      session: eventSnapshotOf(session),
      actorId: event.actor?.userId ?? null,
      actorRole: event.actor?.role ?? null,
      previousStatus: event.previousStatus,
    }, event.occurredAt);
  }
}

/**
 * The session as an event left it, from the session read now: its state then (a STARTED event shows
 * it IN_PROGRESS even if it has ended since), and only the clinical text the event is about (an ENDED
 * event's summary, a CANCELLED or REJECTED event's reason). A detached copy: the read stays untouched.
 */
export function asEventLeftIt(session: TherapySession, type: SessionEventType, then: TherapySessionEventSnapshot): TherapySession {
  return Object.assign(Object.create(TherapySession.prototype) as TherapySession, session, {
    status: then.status,
    startedAt: then.startedAt ? new Date(then.startedAt) : null,
    endedAt: then.endedAt ? new Date(then.endedAt) : null,
    summary: type === 'ENDED' ? session.summary : null,
    cancellationReason: type === 'CANCELLED' || type === 'REJECTED' ? session.cancellationReason : null,
  });
}
