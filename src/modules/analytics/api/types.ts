import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SESSION_TYPE_DESCRIPTION, SESSION_TYPE_VALUES, TARGET_AUDIENCE_DESCRIPTION, TARGET_AUDIENCE_VALUES } from '../../../contracts/mentalhealth';
import { describedEnum } from '../../../platform/gateway/described-enum';
import { CurrencyScalar } from '../../../platform/gateway/scalars';

export enum AnalyticsBucketEnum {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(AnalyticsBucketEnum, {
  name: 'AnalyticsBucket',
  description: 'How analytics group time, in the chosen time zone',
  valuesConfig: {
    DAY: { description: 'Calendar days' },
    WEEK: { description: 'ISO weeks, starting on Monday' },
    MONTH: { description: 'Calendar months' },
  },
});

/** The mentalhealth module's enums, as analytics filters by them (same names and values; merged into one type). */
export enum SessionTypeFilter {
  CHAT = 'CHAT',
  VIDEO = 'VIDEO',
  AUDIO = 'AUDIO',
}
export enum TargetAudienceFilter {
  INDIVIDUAL = 'INDIVIDUAL',
  COUPLES = 'COUPLES',
  TEENS = 'TEENS',
  MEDICATION = 'MEDICATION',
  VETERANS = 'VETERANS',
}
describedEnum(SessionTypeFilter, 'SessionType', SESSION_TYPE_DESCRIPTION, SESSION_TYPE_VALUES);
describedEnum(TargetAudienceFilter, 'TargetAudience', TARGET_AUDIENCE_DESCRIPTION, TARGET_AUDIENCE_VALUES);

const SUPPRESSED = 'True when fewer than AURA_ANALYTICS_MIN_CELL distinct patients are behind this cell, or when showing it would reveal a suppressed cell; the counts are then null';

@ObjectType('SessionVolume', { simpleResolvers: true, description: 'Sessions scheduled in one time bucket (by scheduled start), with their outcomes so far' })
export class SessionVolumeType {
  @Field(() => Date, { description: 'When the bucket starts' })
  bucketStart!: Date;
  @Field(() => Boolean, { description: SUPPRESSED })
  suppressed!: boolean;
  @Field(() => Int, { nullable: true, description: 'Sessions scheduled to start in the bucket' })
  scheduled!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of those, completed' })
  completed!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of those, cancelled (by anyone)' })
  cancelled!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of those, rejected by the therapist' })
  rejected!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of those, passed without a start (NO_SHOW)' })
  noShow!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of those, cancelled when accepted less than 24 hours ahead' })
  lateCancelled!: number | null;
  @Field(() => Float, { nullable: true, description: 'completed / scheduled' })
  completionRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'cancelled / scheduled' })
  cancellationRate!: number | null;
}

@ObjectType('RevenueBucket', { simpleResolvers: true, description: 'Invoices issued in one time bucket in one currency (integer cents)' })
export class RevenueBucketType {
  @Field(() => Date, { description: 'When the bucket starts' })
  bucketStart!: Date;
  @Field(() => String, { description: 'ISO 4217 currency of the amounts', deprecationReason: 'Use currencyCode (typed Currency)' })
  currency!: string;
  @Field(() => CurrencyScalar, { description: 'ISO 4217 code of the amounts, e.g. USD' })
  get currencyCode(): string {
    return this.currency;
  }
  @Field(() => Boolean, { description: SUPPRESSED })
  suppressed!: boolean;
  @Field(() => Int, { nullable: true, description: 'Total of the invoices issued in the bucket' })
  issuedCents!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of that, the invoices since paid' })
  paidCents!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of that, the invoices since voided' })
  voidCents!: number | null;
  @Field(() => Int, { nullable: true, description: 'How many invoices were issued' })
  invoices!: number | null;
}

@ObjectType('CrisisBucket', { simpleResolvers: true, description: 'Chatbot risk detections in one time bucket' })
export class CrisisBucketType {
  @Field(() => Date, { description: 'When the bucket starts' })
  bucketStart!: Date;
  @Field(() => Boolean, { description: SUPPRESSED })
  suppressed!: boolean;
  @Field(() => Int, { nullable: true, description: 'Messages classified CRISIS (therapists alerted)' })
  crisis!: number | null;
  @Field(() => Int, { nullable: true, description: 'Messages classified ELEVATED (below crisis; no alert goes out)' })
  elevated!: number | null;
}

@ObjectType('TherapistUtilisation', { simpleResolvers: true, description: 'One therapist over a period, by pseudonym' })
export class TherapistUtilisationType {
  @Field(() => String, { description: 'A stable pseudonym of the therapist (the same in every query and period)' })
  therapistKey!: string;
  @Field(() => ID, { nullable: true, description: "The therapist's user id: admins only, null for analysts" })
  therapistId!: string | null;
  @Field(() => Boolean, { description: SUPPRESSED })
  suppressed!: boolean;
  @Field(() => Float, { nullable: true, description: 'Hours of accepted, started, completed or no-show sessions scheduled in the period' })
  bookedHours!: number | null;
  @Field(() => Float, { nullable: true, description: "Working hours in the period, from the therapist's weekly hours as they were set (Mon-Fri 09:00-17:00 before any), in the therapist's time zone; null when suppressed (a suppressed row shows no figure)" })
  availableHours!: number | null;
  @Field(() => Float, { nullable: true, description: 'bookedHours / availableHours; null when suppressed or when no hours were available' })
  utilisation!: number | null;
}

@ObjectType('RegistrationBucket', { simpleResolvers: true, description: 'New accounts in one time bucket, by role' })
export class RegistrationBucketType {
  @Field(() => Date, { description: 'When the bucket starts' })
  bucketStart!: Date;
  @Field(() => String, { description: 'PATIENT, THERAPIST, ADMIN or ANALYST' })
  role!: string;
  @Field(() => Boolean, { description: 'True when fewer than AURA_ANALYTICS_MIN_CELL accounts are behind this cell; the count is then null' })
  suppressed!: boolean;
  @Field(() => Int, { nullable: true, description: 'Accounts created' })
  registrations!: number | null;
}

@ObjectType('ProjectionStatus', { simpleResolvers: true, description: 'One analytics projection: how far it has applied the outbox' })
export class ProjectionStatusType {
  @Field(() => String, { description: 'sessions, invoices, crises or registrations' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'The id of the last event applied to the serving tables' })
  lastEventCursor!: string | null;
  @Field(() => Float, { description: 'Age in seconds of the oldest event not yet applied; 0 when caught up' })
  lagSeconds!: number;
  @Field(() => Boolean, { description: 'True while a rebuild fills fresh tables (the current ones keep serving)' })
  rebuilding!: boolean;
  @Field(() => Float, { nullable: true, description: 'Share of the outbox replayed by the running rebuild (0-1); null when none runs' })
  rebuildProgress!: number | null;
}

export enum SessionMeasureEnum {
  LEAD_TIME = 'LEAD_TIME',
  DURATION = 'DURATION',
}
registerEnumType(SessionMeasureEnum, {
  name: 'SessionMeasure',
  description: 'What a session distribution measures',
  valuesConfig: {
    LEAD_TIME: { description: 'Hours from booking to the scheduled start' },
    DURATION: { description: 'Booked length in minutes' },
  },
});

@ObjectType('DistributionBin', { simpleResolvers: true, description: 'One bin of a histogram of sessions' })
export class DistributionBinType {
  @Field(() => Float, { description: 'Smallest value in the bin (hours for LEAD_TIME, minutes for DURATION)' })
  lowerBound!: number;
  @Field(() => Float, { nullable: true, description: 'First value past the bin; null for the last, open-ended bin' })
  upperBound!: number | null;
  @Field(() => Boolean, { description: SUPPRESSED })
  suppressed!: boolean;
  @Field(() => Int, { nullable: true, description: 'Sessions in the bin' })
  sessions!: number | null;
}
