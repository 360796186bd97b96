import type { OperationContext } from '../platform/context';
import type { Money } from './billing';
import { serviceKey } from '../platform/registry';
import type { Role } from './users';

/** What the mentalhealth module offers the others. Implemented in src/modules/mentalhealth. */
export type TherapySessionStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW';
export type SessionType = 'CHAT' | 'VIDEO' | 'AUDIO';
export type TargetAudience = 'INDIVIDUAL' | 'COUPLES' | 'TEENS' | 'MEDICATION' | 'VETERANS';

/** The GraphQL descriptions of SessionType and TargetAudience, shared by every module that shows them. */
export const SESSION_TYPE_DESCRIPTION = 'How the session is held';
export const SESSION_TYPE_VALUES: Readonly<Record<SessionType, string>> = {
  CHAT: 'Text chat',
  VIDEO: 'Video call',
  AUDIO: 'Voice call, no video',
};
export const TARGET_AUDIENCE_DESCRIPTION = 'Whom the session is for';
export const TARGET_AUDIENCE_VALUES: Readonly<Record<TargetAudience, string>> = {
  INDIVIDUAL: 'One adult patient',
  COUPLES: 'A couple, booked by one of the partners',
  TEENS: 'A teenager',
  MEDICATION: 'Medication management (prescribing and review)',
  VETERANS: 'Military veterans (e.g. trauma-focused care)',
};

/** A session as other modules and event consumers see it: never its clinical notes. Times are ISO strings. */
export interface TherapySessionSnapshot {
  id: string;
  therapistId: string;
  patientId: string;
  status: TherapySessionStatus;
  sessionType: SessionType;
  targetAudience: TargetAudience;
  scheduledAt: string;
  durationMinutes: number;
  endsAt: string;
  startedAt: string | null;
  endedAt: string | null;
  summary: string | null;
  cancellationReason: string | null;
  createdAt: string;
  /** The price agreed at booking (billing's rate then); null only where billing was not running. Absent in events recorded before it existed. */
  price?: Money | null;
}

/**
 * A session as events carry it: no clinical text (summary, reasons), since the event log is
 * stored in the clear and kept forever; a subscriber that needs the text reads the session.
 */
export type TherapySessionEventSnapshot = Omit<TherapySessionSnapshot, 'summary' | 'cancellationReason'>;

/** Every lifecycle event carries the session after the change, who caused it and the status before. */
export interface TherapySessionChange {
  session: TherapySessionEventSnapshot;
  /** Null when no one acted: a no-show is the passing of time. */
  actorId: string | null;
  actorRole: Role | null;
  previousStatus: TherapySessionStatus | null;
}

export interface ChatbotCrisisDetectedPayload {
  interactionId: string;
  patientId: string;
  /** The therapists in a care relationship with the patient when the message was sent: they are alerted. */
  therapistIds: string[];
}

/** The chatbot judged a patient's message ELEVATED risk (below CRISIS, which has its own event): ids only, never the text. */
export interface ChatbotRiskElevatedPayload {
  interactionId: string;
  patientId: string;
}

/** A therapist replaced their weekly working hours (recorded with the change); times are in `timezone`. */
export interface TherapistWorkingHoursSetPayload {
  therapistId: string;
  /** ISO weekday 1 = Monday .. 7 = Sunday; "HH:MM" 24h, end may be "24:00"; [] = not working. */
  hours: Array<{ weekday: number; start: string; end: string }>;
  /** The therapist's IANA time zone when the hours were set. */
  timezone: string;
}

export interface TherapySessionDirectory {
  /** Sessions by id, in order, null where unknown; batched per operation. No authorization: callers scope. */
  findById(op: OperationContext, id: string): Promise<TherapySessionSnapshot | null>;
}

export const TherapySessionDirectory = serviceKey<TherapySessionDirectory>('TherapySessionDirectory');
