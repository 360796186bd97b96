import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import {
  DisorderTypeEnum,
  RiskLevelEnum,
  SessionTypeEnum,
  TargetAudienceEnum,
  TherapySessionEventTypeEnum,
  TherapySessionStatusEnum,
} from './enums';

/** The users module's User, as this module extends it: the key field only (federation-style stub). */
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType('TherapySession', { simpleResolvers: true, description: 'A booked therapy session; therapist, patient and notes resolve per viewer' })
export class TherapySessionType {
  @Field(() => ID)
  id!: string;

  @Field(() => SessionTypeEnum)
  sessionType!: SessionTypeEnum;

  @Field(() => TargetAudienceEnum)
  targetAudience!: TargetAudienceEnum;

  @Field(() => TherapySessionStatusEnum)
  status!: TherapySessionStatusEnum;

  @Field(() => Date)
  scheduledAt!: Date;

  @Field(() => Int, { description: '30, 45, 60 or 90' })
  durationMinutes!: number;

  @Field(() => Date, { description: 'scheduledAt + durationMinutes' })
  endsAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Written by the therapist at the end; null for analysts' })
  summary!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled or rejected; null for analysts' })
  cancellationReason!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('WorkingHours', { simpleResolvers: true, description: "A weekly window in the therapist's time zone" })
export class WorkingHoursType {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday .. 7 = Sunday' })
  weekday!: number;

  @Field(() => String, { description: '"HH:MM"' })
  start!: string;

  @Field(() => String, { description: '"HH:MM"; "24:00" = midnight at the end of the day' })
  end!: string;
}

@InputType('WorkingHoursInput')
export class WorkingHoursInput {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday .. 7 = Sunday' })
  weekday!: number;

  @Field(() => String)
  start!: string;

  @Field(() => String)
  end!: string;
}

@InputType('ScheduleTherapySessionInput')
export class ScheduleTherapySessionInput {
  @Field(() => ID)
  therapistId!: string;

  @Field(() => ID, { nullable: true, description: 'Required when a therapist or admin schedules; a patient schedules for themself' })
  patientId?: string | null;

  @Field(() => Date)
  scheduledAt!: Date;

  @Field(() => Int, { description: '30 | 45 | 60 | 90' })
  durationMinutes!: number;

  @Field(() => SessionTypeEnum)
  sessionType!: SessionTypeEnum;

  @Field(() => TargetAudienceEnum, { nullable: true, defaultValue: TargetAudienceEnum.INDIVIDUAL })
  targetAudience?: TargetAudienceEnum | null;
}

@ObjectType('SessionStatistics', { simpleResolvers: true })
export class SessionStatisticsType {
  @Field(() => Int)
  total!: number;
  @Field(() => Int)
  pending!: number;
  @Field(() => Int)
  accepted!: number;
  @Field(() => Int)
  inProgress!: number;
  @Field(() => Int)
  completed!: number;
  @Field(() => Int)
  cancelled!: number;
  @Field(() => Int)
  rejected!: number;
  @Field(() => Float, { description: 'completed / total, 0 when there are none' })
  completionRate!: number;
  @Field(() => Float, { description: 'cancelled / total, 0 when there are none' })
  cancellationRate!: number;
  @Field(() => Float, { nullable: true, description: 'Mean actual length (start to end) of completed sessions' })
  averageDurationMinutes!: number | null;
}

@ObjectType('Disorder', { simpleResolvers: true })
export class DisorderType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  name!: string;
  @Field(() => DisorderTypeEnum)
  type!: DisorderTypeEnum;
  @Field(() => String)
  description!: string;
  @Field(() => String)
  signsAndSymptoms!: string;
  @Field(() => [String])
  symptoms!: string[];
  @Field(() => [String])
  causes!: string[];
  @Field(() => String, { nullable: true })
  treatment!: string | null;
  @Field(() => String, { nullable: true })
  prevention!: string | null;
}

@ObjectType('ChatbotInteraction', { simpleResolvers: true })
export class ChatbotInteractionType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  message!: string;
  @Field(() => String)
  response!: string;
  @Field(() => RiskLevelEnum)
  riskLevel!: RiskLevelEnum;
  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('TherapySessionEvent', { simpleResolvers: true })
export class TherapySessionEventType {
  @Field(() => TherapySessionEventTypeEnum)
  type!: TherapySessionEventTypeEnum;
  @Field(() => Date)
  occurredAt!: Date;
  @Field(() => TherapySessionType)
  session!: TherapySessionType;
}

@ObjectType('ChatbotCrisisAlert', { simpleResolvers: true, description: "A patient's chatbot message showed crisis risk; the message itself stays private" })
export class ChatbotCrisisAlertType {
  @Field(() => ID)
  interactionId!: string;
  @Field(() => UserRef)
  patient!: UserRef;
  @Field(() => Date)
  occurredAt!: Date;
}
