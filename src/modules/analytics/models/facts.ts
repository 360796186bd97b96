import type { DomainEvent } from '../../../contracts/events';

/** A session as the analytics tables keep it: pseudonyms, times and outcome; no clinical text. */
export interface SessionFact {
  sessionId: string;
  therapistId: string;
  therapistKey: string;
  patientKey: string;
  sessionType: string;
  targetAudience: string;
  status: string;
  scheduledAt: Date;
  durationMinutes: number;
  bookedAt: Date;
  leadMinutes: number;
  startedAt: Date | null;
  endedAt: Date | null;
  lateCancelled: boolean;
  priceCents: number | null;
  currency: string | null;
}

/** Billing's rule: the patient cancelling an accepted session less than 24 hours before it is late. */
const LATE_CANCELLATION_MS = 24 * 3600_000;

type SessionEvent = DomainEvent<
  'TherapySessionScheduled' | 'TherapySessionAccepted' | 'TherapySessionRejected' | 'TherapySessionStarted' | 'TherapySessionEnded' | 'TherapySessionCancelled' | 'TherapySessionNoShow'
>;

/** The session after this event (the store keeps a late cancellation once known). */
export function sessionFactOf(event: SessionEvent, keyOf: (kind: 'therapist' | 'patient', id: string) => string): SessionFact {
  const { session, previousStatus, actorRole } = event.payload;
  const scheduledAt = new Date(session.scheduledAt);
  const bookedAt = new Date(session.createdAt);
  const lateCancelled =
    event.type === 'TherapySessionCancelled' &&
    actorRole === 'PATIENT' &&
    previousStatus === 'ACCEPTED' &&
    scheduledAt.getTime() - event.occurredAt.getTime() < LATE_CANCELLATION_MS;
  return {
    sessionId: session.id,
    therapistId: session.therapistId,
    therapistKey: keyOf('therapist', session.therapistId),
    patientKey: keyOf('patient', session.patientId),
    sessionType: session.sessionType,
    targetAudience: session.targetAudience,
    status: session.status,
    scheduledAt,
    durationMinutes: session.durationMinutes,
    bookedAt,
    leadMinutes: Math.max(0, Math.round((scheduledAt.getTime() - bookedAt.getTime()) / 60_000)),
    startedAt: session.startedAt ? new Date(session.startedAt) : null,
    endedAt: session.endedAt ? new Date(session.endedAt) : null,
    lateCancelled,
    priceCents: session.price?.amountCents ?? null,
    currency: session.price?.currency ?? null,
  };
}

/**
 * The stored session after a later event's fact: the event's state, but the booking's own facts
 * (therapist, patient, booking time, lead time) as first recorded, and a late cancellation once known.
 */
export function mergeSession(before: SessionFact | null, next: SessionFact): SessionFact {
  if (!before) return next;
  const { therapistId, therapistKey, patientKey, bookedAt, leadMinutes } = before;
  return { ...next, therapistId, therapistKey, patientKey, bookedAt, leadMinutes, lateCancelled: before.lateCancelled || next.lateCancelled };
}

/** An invoice as the analytics tables keep it: the patient as a pseudonym. */
export interface InvoiceFact {
  invoiceId: string;
  patientKey: string;
  amountCents: number;
  currency: string;
  status: string;
  reason: string;
  issuedAt: Date;
  paidAt: Date | null;
}

/** The stored invoice after a later event's fact: its state and amount change; patient, currency, reason and issue time stay as first recorded. */
export function mergeInvoice(before: InvoiceFact | null, next: InvoiceFact): InvoiceFact {
  if (!before) return next;
  return { ...before, status: next.status, paidAt: next.paidAt, amountCents: next.amountCents };
}

/** Each key's state after applying its facts in order to what was stored (`stored`), as one event at a time would leave it. */
export function foldFacts<F>(facts: readonly F[], keyOf: (f: F) => string, stored: ReadonlyMap<string, F>, merge: (before: F | null, next: F) => F): Map<string, F> {
  const state = new Map<string, F>();
  for (const f of facts) {
    const key = keyOf(f);
    state.set(key, merge(state.get(key) ?? stored.get(key) ?? null, f));
  }
  return state;
}
