import { registerEnumType } from 'type-graphql';

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

registerEnumType(SessionTypeEnum, { name: 'SessionType' });
registerEnumType(TargetAudienceEnum, { name: 'TargetAudience' });
registerEnumType(TherapySessionStatusEnum, {
  name: 'TherapySessionStatus',
  valuesConfig: { NO_SHOW: { description: 'Accepted, but its planned end passed without a start (terminal; billed as a no-show)' } },
});
registerEnumType(TherapySessionEventTypeEnum, {
  name: 'TherapySessionEventType',
  valuesConfig: { NO_SHOW: { description: 'The session became NO_SHOW: its planned end passed without a start' } },
});
registerEnumType(DisorderTypeEnum, { name: 'DisorderType' });
registerEnumType(RiskLevelEnum, { name: 'RiskLevel', description: 'How worrying a chatbot message is; CRISIS alerts the therapist' });
