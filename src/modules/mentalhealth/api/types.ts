import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CURSOR_DESCRIPTION } from '../../../platform/live-events';
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

@ObjectType('TherapySession', {
  simpleResolvers: true,
  description:
    "A therapy session; therapist, patient and notes resolve per viewer. A therapist reads a patient's profile and crisis alerts only in a care relationship: " +
    'the patient booked a session with them or accepted one they proposed, and it has not ended (every session between them cancelled or rejected, or 180 days after the last completed one)',
})
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

  /** GraphQL field: TherapySessionResolver.summary (each read is recorded in the access audit). */
  summary!: string | null;

  /** GraphQL field: TherapySessionResolver.cancellationReason (recorded like summary). */
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

  @Field(() => ID, { nullable: true, description: 'Required when a therapist or admin proposes a session, which the patient then accepts; a patient books for themself' })
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

@ObjectType('Money', { simpleResolvers: true, description: 'An amount in integer minor units (cents) of an ISO 4217 currency' })
export class MoneyType {
  @Field(() => Int, { description: 'Minor units (cents) of the currency' })
  amountCents!: number;
  @Field(() => String, { description: 'ISO 4217 code, e.g. "USD"' })
  currency!: string;
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
  @Field(() => Int, { description: 'Sessions that became NO_SHOW: accepted, never started, planned end passed' })
  noShow!: number;
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
  @Field(() => [String], {
    description:
      'Why the classifier chose riskLevel: the ids of the rules that fired, from the C-SSRS (cssrs.wish_dead, cssrs.ideation, cssrs.method, cssrs.intent, cssrs.plan, cssrs.preparatory, cssrs.attempt, cssrs.self_harm), lethal means (means.firearm, means.pills...), the 988/AFSP warning signs (warning.goodbye, warning.burden...) and the modifiers that explain a phrase away (negation.not, negation.past, subject.third_person, informational, figurative, accident); low.<topic> for everyday distress. Like the message, visible to its author only',
  })
  riskRules!: string[];
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
  @Field(() => String, { description: CURSOR_DESCRIPTION })
  cursor!: string;
}

@ObjectType('ChatbotCrisisAlert', { simpleResolvers: true, description: "A patient's chatbot message showed crisis risk; the message itself stays private" })
export class ChatbotCrisisAlertType {
  @Field(() => ID)
  interactionId!: string;
  /** A reference: the users module resolves it. */
  @Field(() => UserRef)
  patient!: UserRef;
  @Field(() => Date)
  occurredAt!: Date;
  @Field(() => String, { description: CURSOR_DESCRIPTION })
  cursor!: string;
}
