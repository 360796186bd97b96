import { inject, injectable } from 'inversify';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { OperationContext } from '../../../platform/context';
import type { Bucket } from '../models/bucketing';
import { AnalyticsQueries, type Period } from '../services/queries';
import { Rebuilder } from '../services/rebuild';
import {
  AnalyticsBucketEnum,
  CrisisBucketType,
  DistributionBinType,
  SessionMeasureEnum,
  ProjectionStatusType,
  RegistrationBucketType,
  RevenueBucketType,
  SessionTypeFilter,
  SessionVolumeType,
  TargetAudienceFilter,
  TherapistUtilisationType,
} from './types';

const FROM = { description: 'Start of the period (widened to the start of its bucket)' };
const TO = { description: 'End of the period, exclusive (widened to the end of its bucket)' };
const ZONE = { description: 'IANA time zone the buckets follow, e.g. Europe/Berlin' };

/** An explicit null means the default, as an omitted argument does. */
const period = (from: Date, to: Date, bucket: AnalyticsBucketEnum | null, timezone: string | null, fallback: Bucket): Period => ({
  from,
  to,
  bucket: (bucket ?? fallback) as Bucket,
  timezone: timezone ?? 'UTC',
});

/** Analytics for analysts and admins: de-identified aggregates from the projection tables. */
@injectable()
@Resolver()
export class AnalyticsResolver {
  constructor(
    @inject(AnalyticsQueries) private readonly queries: AnalyticsQueries,
    @inject(Rebuilder) private readonly rebuilder: Rebuilder,
  ) {}

  @Query(() => [SessionVolumeType], { description: 'Sessions by scheduled start and outcome, per bucket (analysts, admins)' })
  sessionVolume(
    @Ctx() op: OperationContext,
    @Arg('from', () => Date, FROM) from: Date,
    @Arg('to', () => Date, TO) to: Date,
    @Arg('bucket', () => AnalyticsBucketEnum, { nullable: true, defaultValue: AnalyticsBucketEnum.WEEK, description: 'Bucket size (default WEEK)' }) bucket: AnalyticsBucketEnum | null,
    @Arg('timezone', () => String, { nullable: true, defaultValue: 'UTC', ...ZONE }) timezone: string | null,
    @Arg('therapistKey', () => String, { nullable: true, description: 'Only this therapist (a therapistKey from therapistUtilisation)' }) therapistKey: string | null,
    @Arg('sessionType', () => SessionTypeFilter, { nullable: true, description: 'Only sessions of this type' }) sessionType: SessionTypeFilter | null,
    @Arg('targetAudience', () => TargetAudienceFilter, { nullable: true, description: 'Only sessions for this audience' }) targetAudience: TargetAudienceFilter | null,
  ) {
    return this.queries.sessionVolume(op, period(from, to, bucket, timezone, 'WEEK'), { therapistKey, sessionType, targetAudience });
  }

  @Query(() => [RevenueBucketType], { description: 'Invoiced amounts by issue date and currency (analysts, admins)' })
  revenue(
    @Ctx() op: OperationContext,
    @Arg('from', () => Date, FROM) from: Date,
    @Arg('to', () => Date, TO) to: Date,
    @Arg('bucket', () => AnalyticsBucketEnum, { nullable: true, defaultValue: AnalyticsBucketEnum.MONTH, description: 'Bucket size (default MONTH)' }) bucket: AnalyticsBucketEnum | null,
    @Arg('timezone', () => String, { nullable: true, defaultValue: 'UTC', ...ZONE }) timezone: string | null,
  ) {
    return this.queries.revenue(op, period(from, to, bucket, timezone, 'MONTH'));
  }

  @Query(() => [CrisisBucketType], { description: 'Chatbot crisis detections per bucket (analysts, admins)' })
  crisisTrend(
    @Ctx() op: OperationContext,
    @Arg('from', () => Date, FROM) from: Date,
    @Arg('to', () => Date, TO) to: Date,
    @Arg('bucket', () => AnalyticsBucketEnum, { nullable: true, defaultValue: AnalyticsBucketEnum.WEEK, description: 'Bucket size (default WEEK)' }) bucket: AnalyticsBucketEnum | null,
    @Arg('timezone', () => String, { nullable: true, defaultValue: 'UTC', ...ZONE }) timezone: string | null,
  ) {
    return this.queries.crisisTrend(op, period(from, to, bucket, timezone, 'WEEK'));
  }

  @Query(() => [RegistrationBucketType], { description: 'New accounts per bucket and role (analysts, admins)' })
  registrationTrend(
    @Ctx() op: OperationContext,
    @Arg('from', () => Date, FROM) from: Date,
    @Arg('to', () => Date, TO) to: Date,
    @Arg('bucket', () => AnalyticsBucketEnum, { nullable: true, defaultValue: AnalyticsBucketEnum.MONTH, description: 'Bucket size (default MONTH)' }) bucket: AnalyticsBucketEnum | null,
    @Arg('timezone', () => String, { nullable: true, defaultValue: 'UTC', ...ZONE }) timezone: string | null,
  ) {
    return this.queries.registrationTrend(op, period(from, to, bucket, timezone, 'MONTH'));
  }

  @Query(() => [TherapistUtilisationType], { description: 'Booked hours per therapist (pseudonymous) over a period (analysts, admins)' })
  therapistUtilisation(@Ctx() op: OperationContext, @Arg('from', () => Date, FROM) from: Date, @Arg('to', () => Date, TO) to: Date) {
    return this.queries.therapistUtilisation(op, from, to);
  }

  @Query(() => [DistributionBinType], { description: 'Lead time or duration of the sessions scheduled in a period, as a histogram (analysts, admins)' })
  sessionDistribution(
    @Ctx() op: OperationContext,
    @Arg('from', () => Date, { description: 'Start of the period (widened to the start of its UTC day)' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period, exclusive (widened to the end of its UTC day)' }) to: Date,
    @Arg('measure', () => SessionMeasureEnum, { description: 'What to measure' }) measure: SessionMeasureEnum,
  ) {
    return this.queries.sessionDistribution(op, from, to, measure);
  }

  @Query(() => [ProjectionStatusType], { description: 'Each projection: last applied event, lag and rebuild progress (analysts, admins)' })
  analyticsStatus(@Ctx() op: OperationContext) {
    return this.queries.status(op);
  }

  @Mutation(() => [ProjectionStatusType], {
    description: 'Replays the whole outbox into fresh projection tables, switching over when caught up; the current tables serve meanwhile (admins)',
  })
  async rebuildAnalytics(@Ctx() op: OperationContext) {
    await this.rebuilder.request(op);
    return this.queries.status(op);
  }
}
