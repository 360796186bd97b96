import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CURSOR_DESCRIPTION } from '../../../platform/live-events';
import { CurrencyScalar } from '../../../platform/gateway/scalars';
import {
  DisorderTypeEnum,
  RiskLevelEnum,
  SessionTypeEnum,
  TargetAudienceEnum,
  TherapySessionEventTypeEnum,
  TherapySessionStatusEnum,
} from './enums';

/** The users module's User, as this module extends it: the key field only (federation-style stub). */
@ObjectType('User', { description: 'A person with an Aura account (owned by the users module; this module adds their sessions and working hours)' })
export class UserRef {
  @Field(() => ID, { description: "The user's id" })
  id!: string;
}

@ObjectType('TherapySession', {
  simpleResolvers: true,
  description:
    "A therapy session; therapist, patient and notes resolve per viewer. A therapist reads a patient's profile and crisis alerts only in a care relationship: " +
    'the patient booked a session with them or accepted one they proposed, and it has not ended (every session between them cancelled or rejected, or 180 days after the last completed one)',
})
export class TherapySessionType {
  @Field(() => ID, { description: 'Stable id of the session; also a Node id (Query.node)' })
  id!: string;

  @Field(() => SessionTypeEnum, { description: 'How the session is held (chat, video, audio)' })
  sessionType!: SessionTypeEnum;

  @Field(() => TargetAudienceEnum, { description: 'Whom the session is for' })
  targetAudience!: TargetAudienceEnum;

  @Field(() => TherapySessionStatusEnum, { description: 'Where the session is in its lifecycle' })
  status!: TherapySessionStatusEnum;

  @Field(() => Date, { description: 'Planned start' })
  scheduledAt!: Date;

  @Field(() => Int, { description: '30, 45, 60 or 90' })
  durationMinutes!: number;

  @Field(() => Date, { description: 'scheduledAt + durationMinutes' })
  endsAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the therapist started it; null until then' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the therapist ended it; null until then' })
  endedAt!: Date | null;

  /** GraphQL field: TherapySessionResolver.summary (each read is recorded in the access audit). */
  summary!: string | null;

  /** GraphQL field: TherapySessionResolver.cancellationReason (recorded like summary). */
  cancellationReason!: string | null;

  @Field(() => Date, { description: 'When it was booked or proposed' })
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

@InputType('WorkingHoursInput', { description: "A weekly window in the therapist's time zone; windows of one weekday must not overlap" })
export class WorkingHoursInput {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday .. 7 = Sunday' })
  weekday!: number;

  @Field(() => String, { description: '"HH:MM", on a 15-minute grid' })
  start!: string;

  @Field(() => String, { description: '"HH:MM" after start; "24:00" = midnight at the end of the day' })
  end!: string;
}

@InputType('ScheduleTherapySessionInput', { description: 'A session to book (patient) or propose (therapist, admin)' })
export class ScheduleTherapySessionInput {
  @Field(() => ID, { description: 'The therapist who will hold the session' })
  therapistId!: string;

  @Field(() => ID, { nullable: true, description: 'Required when a therapist or admin proposes a session, which the patient then accepts; a patient books for themself' })
  patientId?: string | null;

  @Field(() => Date, { description: "Planned start: respects the lead time and the therapist's working hours, overlaps no other session of either participant" })
  scheduledAt!: Date;

  @Field(() => Int, { description: '30 | 45 | 60 | 90' })
  durationMinutes!: number;

  @Field(() => SessionTypeEnum, { description: 'How the session is held' })
  sessionType!: SessionTypeEnum;

  @Field(() => TargetAudienceEnum, { nullable: true, defaultValue: TargetAudienceEnum.INDIVIDUAL, description: 'Whom the session is for' })
  targetAudience?: TargetAudienceEnum | null;
}

@ObjectType('Money', { simpleResolvers: true, description: 'An amount in integer minor units (cents) of an ISO 4217 currency' })
export class MoneyType {
  @Field(() => Int, { description: 'Minor units (cents) of the currency' })
  amountCents!: number;
  @Field(() => String, { description: 'ISO 4217 code, e.g. "USD"', deprecationReason: 'Use currencyCode (typed Currency)' })
  currency!: string;
  @Field(() => CurrencyScalar, { description: 'ISO 4217 code of amountCents, e.g. USD' })
  get currencyCode(): string {
    return this.currency;
  }
}

@ObjectType('SessionStatistics', { simpleResolvers: true, description: 'Counts of the sessions scheduled in a period, by current status, and rates' })
export class SessionStatisticsType {
  @Field(() => Int, { description: 'All sessions in the period, whatever their status' })
  total!: number;
  @Field(() => Int, { description: 'Sessions still PENDING' })
  pending!: number;
  @Field(() => Int, { description: 'Sessions ACCEPTED and not yet started' })
  accepted!: number;
  @Field(() => Int, { description: 'Sessions IN_PROGRESS' })
  inProgress!: number;
  @Field(() => Int, { description: 'Sessions COMPLETED' })
  completed!: number;
  @Field(() => Int, { description: 'Sessions CANCELLED' })
  cancelled!: number;
  @Field(() => Int, { description: 'Sessions REJECTED by the therapist' })
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

@ObjectType('Disorder', { simpleResolvers: true, description: 'A condition in the reference catalogue (general information, the same for everyone; not a diagnosis)' })
export class DisorderType {
  @Field(() => ID, { description: 'Stable id of the catalogue entry; also a Node id (Query.node)' })
  id!: string;
  @Field(() => String, { description: 'Its usual clinical name, e.g. "Generalized anxiety disorder"' })
  name!: string;
  @Field(() => DisorderTypeEnum, { description: 'The broad kind of condition' })
  type!: DisorderTypeEnum;
  @Field(() => String, { description: 'What the condition is, in plain language' })
  description!: string;
  @Field(() => String, { description: 'Signs and symptoms as prose' })
  signsAndSymptoms!: string;
  @Field(() => [String], { description: 'Symptoms as short phrases (searchDisorders matches them)' })
  symptoms!: string[];
  @Field(() => [String], { description: 'Known causes and risk factors' })
  causes!: string[];
  @Field(() => String, { nullable: true, description: 'Usual treatments; null when the catalogue has none' })
  treatment!: string | null;
  @Field(() => String, { nullable: true, description: 'What helps prevent it; null when the catalogue has none' })
  prevention!: string | null;
}

@ObjectType('ChatbotInteraction', {
  simpleResolvers: true,
  description: "One message to the support chatbot and its answer; visible to its author only (never to therapists or admins)",
})
export class ChatbotInteractionType {
  @Field(() => ID, { description: 'Stable id of the interaction; also a Node id (Query.node)' })
  id!: string;
  @Field(() => String, { description: 'What the patient wrote (stored encrypted)' })
  message!: string;
  @Field(() => String, { description: "The chatbot's answer; for CRISIS it carries crisis line numbers" })
  response!: string;
  @Field(() => RiskLevelEnum, { description: 'How worrying the message is, as the classifier judged it' })
  riskLevel!: RiskLevelEnum;
  @Field(() => [String], {
    description:
      'Why the classifier chose riskLevel: the ids of the rules that fired, from the C-SSRS (cssrs.wish_dead, cssrs.ideation, cssrs.method, cssrs.intent, cssrs.plan, cssrs.preparatory, cssrs.attempt, cssrs.self_harm), lethal means (means.firearm, means.pills...), the 988/AFSP warning signs (warning.goodbye, warning.burden...) and the modifiers that explain a phrase away (negation.not, negation.past, subject.third_person, informational, figurative, accident); low.<topic> for everyday distress. Like the message, visible to its author only',
  })
  riskRules!: string[];
  @Field(() => Date, { description: 'When the message was sent' })
  createdAt!: Date;
}

@ObjectType('TherapySessionEvent', {
  simpleResolvers: true,
  description: 'A lifecycle transition of a session, as the session subscriptions deliver it to those who may read the session',
})
export class TherapySessionEventType {
  @Field(() => TherapySessionEventTypeEnum, { description: 'Which transition happened' })
  type!: TherapySessionEventTypeEnum;
  @Field(() => Date, { description: 'When it happened (the moment of the change, not of delivery)' })
  occurredAt!: Date;
  @Field(() => TherapySessionType, { description: 'The session after the change, shown as this subscriber may see it' })
  session!: TherapySessionType;
  @Field(() => String, { description: CURSOR_DESCRIPTION })
  cursor!: string;
}

@ObjectType('ChatbotCrisisAlert', { simpleResolvers: true, description: "A patient's chatbot message showed crisis risk; the message itself stays private" })
export class ChatbotCrisisAlertType {
  @Field(() => ID, { description: 'The interaction that raised the alert (its message is not readable by the therapist)' })
  interactionId!: string;
  /** A reference: the users module resolves it. */
  @Field(() => UserRef, { description: 'The patient who wrote it' })
  patient!: UserRef;
  @Field(() => Date, { description: 'When the message was sent' })
  occurredAt!: Date;
  @Field(() => String, { description: CURSOR_DESCRIPTION })
  cursor!: string;
}
