import { serviceKey } from '../../../platform/registry';
import type { Store } from '../../../platform/store-port';
import type { InvoiceFact, SessionFact } from '../models/facts';
import type { DistributionMeasure } from '../models/rollups';

/** The projections, each with its own checkpoint row and subscriber. */
export type ProjectionName = 'sessions' | 'invoices' | 'crises' | 'registrations' | 'workingHours';

export interface ProjectionRow {
  name: ProjectionName;
  activeGeneration: number;
  buildingGeneration: number | null;
  lastEventId: string | null;
  lastOccurredAt: Date | null;
  rebuildAfter: string | null;
  rebuildTotal: number | null;
  rebuildDone: number | null;
  /** A rebuild from the whole outbox has switched over at least once (else start() begins one). */
  caughtUp: boolean;
}

/** Checkpoints: which generations exist, which events each has applied. */
export interface CheckpointRepository {
  /** Locks every row (a rebuild step) in name order. */
  lockAll(): Promise<ProjectionRow[]>;
  all(): Promise<ProjectionRow[]>;
  /**
   * For a run of events (in order): locks the projection's row until commit, marks the events applied
   * in its active and building generations (where not already: a redelivery), and advances the
   * checkpoint to the last one the active generation had not applied. Per generation, the ids of the
   * events it must apply.
   */
  claim(name: ProjectionName, events: ReadonlyArray<{ id: string; occurredAt: Date }>): Promise<Map<number, Set<string>>>;
  /** Records that the generation applied the events; the ids it had not applied before (not redeliveries). */
  markApplied(generation: number, name: ProjectionName, eventIds: readonly string[]): Promise<Set<string>>;
  startRebuild(generation: number, total: number): Promise<void>;
  /** Records that every projection holds the whole outbox (an empty one needs no rebuild). */
  markCaughtUp(): Promise<void>;
  rebuildProgress(after: string | null, done: number): Promise<void>;
  /** Makes the built generation the active one, and forgets the older ones. */
  switchOver(generation: number, last: { eventId: string; occurredAt: Date } | null): Promise<void>;
}

export interface CrisisFact {
  eventId: string;
  patientKey: string;
  detectedAt: Date;
  level: RiskLevel;
}

export interface RegistrationFact {
  userKey: string;
  role: string;
  source: string;
  registeredAt: Date;
}

/**
 * The fact tables, per generation. Each write takes the facts of a run of events, in event order,
 * and leaves what applying them one by one would (a few statements, whatever the run's length);
 * the rollups change with the facts.
 */
export interface FactRepository {
  upsertSessions(generation: number, facts: readonly SessionFact[]): Promise<void>;
  upsertInvoices(generation: number, facts: readonly InvoiceFact[]): Promise<void>;
  addCrises(generation: number, facts: readonly CrisisFact[]): Promise<void>;
  addWorkingHours(generation: number, versions: ReadonlyArray<WorkingHoursVersion & { eventId: string }>): Promise<void>;
  addRegistrations(generation: number, facts: readonly RegistrationFact[]): Promise<void>;
  /** Rebuilds the rollups of a generation from its facts. */
  recomputeRollups(generation: number): Promise<void>;
  /** Removes every row of the generation, or of the generations other than `keep`. */
  clear(generation: number): Promise<void>;
  clearAllBut(keep: number): Promise<void>;
}

/** A row of facts grouped for a query: one bucket, one combination of dimensions, one patient. */
export interface SessionCellRow {
  bucket: Date;
  therapistKey: string;
  sessionType: string;
  targetAudience: string;
  patientKey: string;
  scheduled: number;
  completed: number;
  cancelled: number;
  rejected: number;
  noShow: number;
  lateCancelled: number;
}

export interface RevenueCellRow {
  bucket: Date;
  currency: string;
  patientKey: string;
  issuedCents: number;
  paidCents: number;
  voidCents: number;
  invoices: number;
}

export type RiskLevel = 'CRISIS' | 'ELEVATED';

export interface CrisisCellRow {
  bucket: Date;
  patientKey: string;
  level: RiskLevel;
  detections: number;
}

/** A therapist's weekly hours from `validFrom` on, in `timezone`. */
export interface WorkingHoursVersion {
  therapistId: string;
  validFrom: Date;
  hours: Array<{ weekday: number; start: string; end: string }>;
  timezone: string;
}

export interface UtilisationRow {
  therapistKey: string;
  therapistId: string;
  bookedMinutes: number;
}

export interface ProbeCell {
  from: Date;
  to: Date;
  value?: string;
}

export interface ProbeResult {
  /** Distinct patients among the sessions read. */
  seen: number;
  /** Sessions read (fewer than the limit: all of the cell's). */
  rows: number;
}

export interface RegistrationCellRow {
  bucket: Date;
  role: string;
  userKey: string;
}

/** Session filters as columns: therapist_key, session_type, target_audience. */
export type SessionDim = 'therapistKey' | 'sessionType' | 'targetAudience';
export type SessionFilterValues = Partial<Record<SessionDim, string>>;

export type SessionCounts = Pick<SessionCellRow, 'scheduled' | 'completed' | 'cancelled' | 'rejected' | 'noShow' | 'lateCancelled'>;

/** The reads behind the analyst queries: projection tables only. */
export interface AnalyticsReads {
  /** Rows per patient, for the buckets given only (null: all); used where suppression needs patient sets. */
  sessionCells(generation: number, from: Date, to: Date, trunc: string, zone: string, buckets?: Date[] | null): Promise<SessionCellRow[]>;
  /**
   * Additive counts per bucket (index into `bounds`: bucket starts, then the end) of the sessions matching
   * `filter`, with their distinct patients when read from the facts (null from the hourly rollup).
   */
  sessionBucketCounts(generation: number, bounds: Date[], filter: SessionFilterValues): Promise<Array<{ index: number; patients: number | null } & SessionCounts>>;
  /**
   * Per cell (a time range, and a value of `dim` if given, within `filter`): distinct patients among its
   * first `limit` sessions (all when null) and how many sessions were read: enough to prove a cell large.
   */
  probeSessions(generation: number, cells: ReadonlyArray<ProbeCell>, filter: SessionFilterValues, dim: SessionDim | null, limit: number | null): Promise<ProbeResult[]>;
  /** Therapists with sessions in the UTC months overlapping the range. */
  sessionTherapists(generation: number, from: Date, to: Date): Promise<string[]>;
  /** Rows per patient, for the buckets given only (null: all). */
  revenueCells(generation: number, from: Date, to: Date, trunc: string, zone: string, buckets?: Date[] | null): Promise<RevenueCellRow[]>;
  /** Sums per bucket (index into `bounds`) and currency. */
  revenueBucketCounts(generation: number, bounds: Date[]): Promise<Array<{ index: number } & Omit<RevenueCellRow, 'bucket' | 'patientKey'>>>;
  /** As probeSessions, for invoices; the cell's value is the currency. */
  probeInvoices(generation: number, cells: ReadonlyArray<ProbeCell>, limit: number | null): Promise<ProbeResult[]>;
  crisisCells(generation: number, from: Date, to: Date, trunc: string, zone: string): Promise<CrisisCellRow[]>;
  registrationCells(generation: number, from: Date, to: Date, trunc: string, zone: string): Promise<RegistrationCellRow[]>;
  utilisation(generation: number, from: Date, to: Date): Promise<UtilisationRow[]>;
  /** probeSessions over one period per therapist. */
  probeTherapists(generation: number, from: Date, to: Date, therapistKeys: readonly string[], limit: number | null): Promise<ProbeResult[]>;
  /** The working-hours versions of these therapists set before `to`, by therapist then time. */
  workingHours(generation: number, therapistIds: readonly string[], to: Date): Promise<WorkingHoursVersion[]>;
  /** Sessions scheduled in the range (whole UTC days) per bin of the measure, from the rollup. */
  distributionCounts(generation: number, from: Date, to: Date, measure: DistributionMeasure): Promise<Map<number, number>>;
  /** As probeSessions, per bin of the measure (read by the measure's index). */
  probeDistribution(generation: number, from: Date, to: Date, measure: DistributionMeasure, bins: readonly number[], limit: number | null): Promise<ProbeResult[]>;
  /** Sessions scheduled in the range per bin (index into `edges`, lower bounds) and patient: lead time in hours or booked minutes. */
  distribution(generation: number, from: Date, to: Date, measure: 'LEAD_TIME' | 'DURATION', edges: readonly number[]): Promise<Array<{ bin: number; patientKey: string; sessions: number }>>;
  activeGeneration(): Promise<number>;
}

export interface AnalyticsRepositories {
  checkpoints: CheckpointRepository;
  facts: FactRepository;
  reads: AnalyticsReads;
}

export type AnalyticsStore = Store<AnalyticsRepositories>;

export const AnalyticsStoreKey = serviceKey<AnalyticsStore>('analytics.AnalyticsStore');
