import type { TherapySession } from './therapy-session';

/** How long a care relationship outlives the last completed session between therapist and patient. */
export const CARE_RELATIONSHIP_DAYS = 180;

export type CareSession = Pick<TherapySession, 'status' | 'patientId' | 'proposedById' | 'endsAt' | 'endedAt'>;

/**
 * Does this session hold its therapist and patient in a care relationship at `now` (API.md)?
 * The patient booked it or accepted it, and it is neither cancelled nor rejected nor a completed
 * (or missed, NO_SHOW) session more than CARE_RELATIONSHIP_DAYS old. A proposal the patient has not accepted does not.
 * The repository's SQL (infrastructure/session-repository.ts) is the same rule for many pairs at once.
 */
export function keepsCareRelationship(session: CareSession, now: Date): boolean {
  switch (session.status) {
    case 'PENDING':
      return session.proposedById === session.patientId;
    case 'ACCEPTED':
    case 'IN_PROGRESS':
      return true;
    // A missed session (NO_SHOW) was neither cancelled nor rejected: the patient stays in care, as after a completed one.
    case 'COMPLETED':
    case 'NO_SHOW': {
      const endedAt = session.endedAt ?? session.endsAt;
      return now.getTime() < endedAt.getTime() + CARE_RELATIONSHIP_DAYS * 86_400_000;
    }
    default:
      return false;
  }
}

/** A therapist and a patient are in a care relationship while any session between them keeps it. */
export function inCareRelationship(sessionsBetween: readonly CareSession[], now: Date): boolean {
  return sessionsBetween.some((session) => keepsCareRelationship(session, now));
}
