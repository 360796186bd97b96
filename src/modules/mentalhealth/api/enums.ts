import {
  SESSION_TYPE_DESCRIPTION,
  SESSION_TYPE_VALUES,
  TARGET_AUDIENCE_DESCRIPTION,
  TARGET_AUDIENCE_VALUES,
} from '../../../contracts/mentalhealth';
import { describedEnum } from '../../../platform/gateway/described-enum';

/** The module's GraphQL enums; values equal the domain's string unions. */
export enum SessionTypeEnum {
  CHAT = 'CHAT',
  VIDEO = 'VIDEO',
  AUDIO = 'AUDIO',
}
export enum TargetAudienceEnum {
  INDIVIDUAL = 'INDIVIDUAL',
  COUPLES = 'COUPLES',
  TEENS = 'TEENS',
  MEDICATION = 'MEDICATION',
  VETERANS = 'VETERANS',
}
export enum TherapySessionStatusEnum {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  NO_SHOW = 'NO_SHOW',
}
export enum TherapySessionEventTypeEnum {
  SCHEDULED = 'SCHEDULED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  STARTED = 'STARTED',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
  NO_SHOW = 'NO_SHOW',
}
export enum DisorderTypeEnum {
  MENTAL = 'MENTAL',
  PHYSICAL = 'PHYSICAL',
  GENETIC = 'GENETIC',
  EMOTIONAL = 'EMOTIONAL',
  BEHAVIORAL = 'BEHAVIORAL',
  FUNCTIONAL = 'FUNCTIONAL',
}
export enum RiskLevelEnum {
  NONE = 'NONE',
  LOW = 'LOW',
  ELEVATED = 'ELEVATED',
  CRISIS = 'CRISIS',
}

describedEnum(SessionTypeEnum, 'SessionType', SESSION_TYPE_DESCRIPTION, SESSION_TYPE_VALUES);
describedEnum(TargetAudienceEnum, 'TargetAudience', TARGET_AUDIENCE_DESCRIPTION, TARGET_AUDIENCE_VALUES);
describedEnum(TherapySessionStatusEnum, 'TherapySessionStatus', "Where a session is in its lifecycle (schedule -> PENDING -> ACCEPTED -> IN_PROGRESS -> COMPLETED, or a terminal exit)", {
  PENDING: 'Booked or proposed, waiting for the other side to accept (the therapist for a booking, the patient for a proposal)',
  ACCEPTED: 'Accepted by both sides; can be started from AURA_EARLY_START_MINUTES before scheduledAt',
  REJECTED: 'Refused by the therapist (terminal); cancellationReason says why',
  IN_PROGRESS: 'Started by the therapist and not yet ended',
  COMPLETED: 'Ended by the therapist (terminal); an invoice is issued',
  CANCELLED: 'Cancelled by a participant or an admin before it started (terminal); cancellationReason says why',
  NO_SHOW: 'Accepted, but its planned end passed without a start (terminal; billed as a no-show)',
});
describedEnum(TherapySessionEventTypeEnum, 'TherapySessionEventType', 'What happened to a session: each value is one lifecycle transition', {
  SCHEDULED: 'A session was booked by a patient or proposed by a therapist or admin (now PENDING)',
  ACCEPTED: 'PENDING -> ACCEPTED',
  REJECTED: 'The therapist rejected it (now REJECTED)',
  STARTED: 'The therapist started it (now IN_PROGRESS)',
  ENDED: 'The therapist ended it (now COMPLETED)',
  CANCELLED: 'A participant or an admin cancelled it (now CANCELLED)',
  NO_SHOW: 'The session became NO_SHOW: its planned end passed without a start',
});
describedEnum(DisorderTypeEnum, 'DisorderType', 'The broad kind of a condition in the reference catalogue', {
  MENTAL: 'A mental disorder (e.g. depression, anxiety disorders)',
  PHYSICAL: 'A bodily condition with mental-health relevance (e.g. chronic pain, insomnia)',
  GENETIC: 'A condition with a mainly genetic cause',
  EMOTIONAL: 'A disturbance chiefly of mood or emotion regulation',
  BEHAVIORAL: 'A pattern of behaviour (e.g. addictions, eating disorders)',
  FUNCTIONAL: 'Symptoms without a structural cause found (functional disorders)',
});
describedEnum(RiskLevelEnum, 'RiskLevel', 'How worrying a chatbot message is; CRISIS alerts the therapist', {
  NONE: 'No sign of distress',
  LOW: 'Everyday distress (stress, low mood, poor sleep); the chatbot offers coping ideas',
  ELEVATED: 'Warning signs without an immediate danger; the chatbot points to professional help',
  CRISIS: 'Suicidal or self-harm risk; the chatbot gives crisis line numbers and therapists in a care relationship are alerted',
});
