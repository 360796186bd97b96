import { requireViewer, type Viewer } from '../../../platform/auth';
import type { OperationContext } from '../../../platform/context';
import { ForbiddenError } from '../../../platform/errors';
import type { TherapySession } from '../domain/therapy-session';
import type { SessionScope } from './ports';

/**
 * Who may read which sessions (ARCHITECTURE rule 6): a patient their own, a therapist theirs,
 * an admin all. Analysts see aggregates only, so no session list or session for them.
 */
export function sessionScope(viewer: Viewer): SessionScope {
  switch (viewer.role) {
    case 'ADMIN':
      return { kind: 'all' };
    case 'THERAPIST':
      return { kind: 'therapist', userId: viewer.userId };
    case 'PATIENT':
      return { kind: 'patient', userId: viewer.userId };
    default:
      throw new ForbiddenError('Analysts see aggregate statistics only');
  }
}

export function readableSessionScope(op: OperationContext): SessionScope {
  return sessionScope(requireViewer(op.viewer));
}

export function maySeeSession(viewer: Viewer | null, session: Pick<TherapySession, 'therapistId' | 'patientId'>): boolean {
  if (!viewer) return false;
  if (viewer.role === 'ADMIN') return true;
  return viewer.userId === session.therapistId || viewer.userId === session.patientId;
}

/**
 * Live events and references (Invoice.session): like reads, except analysts follow all sessions too,
 * de-identified (see mayIdentifyParticipants).
 */
export function mayFollowSession(viewer: Viewer | null, session: { therapistId: string; patientId: string }): boolean {
  return viewer?.role === 'ANALYST' || maySeeSession(viewer, session);
}

/** Analysts see sessions de-identified on every path: who took part is refused, summary and reasons are null (the field resolvers ask this). */
export function mayIdentifyParticipants(viewer: Viewer | null): boolean {
  return viewer !== null && viewer.role !== 'ANALYST';
}

/** A participant field (therapist, patient) asked for by someone who may not know who took part. */
export function refuseParticipants(viewer: Viewer | null): void {
  if (!mayIdentifyParticipants(viewer)) throw new ForbiddenError('Analysts see sessions de-identified: no therapist or patient');
}

/** Clinical notes belong to the session's therapist alone: not the patient, not an admin. */
export function maySeeNotes(viewer: Viewer | null, session: Pick<TherapySession, 'therapistId'>): boolean {
  return viewer !== null && viewer.userId === session.therapistId;
}

/** Statistics: patients and therapists their own numbers, admins and analysts any. */
export function statisticsScope(viewer: Viewer): SessionScope {
  if (viewer.role === 'ADMIN' || viewer.role === 'ANALYST') return { kind: 'all' };
  return sessionScope(viewer);
}
