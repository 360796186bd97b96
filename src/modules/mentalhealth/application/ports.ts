import type { Store } from '../../../platform/store-port';
import { serviceKey } from '../../../platform/registry';
import type { Interval } from '../domain/availability';
import type { ChatbotInteraction } from '../domain/chatbot-interaction';
import type { Disorder, DisorderType } from '../domain/disorder';
import type { TherapySession, TherapySessionStatus } from '../domain/therapy-session';
import type { WorkingHoursEntry } from '../domain/working-hours';

/** Which sessions a query may see: decided by the viewer (application/access.ts), applied in SQL. */
export type SessionScope = { kind: 'all' } | { kind: 'therapist'; userId: string } | { kind: 'patient'; userId: string };

export interface BookingCalendar {
  therapistBusy: Interval[];
  patientBusy: Interval[];
  therapistSessionsThatDay: number;
}

export interface SessionFilter {
  scope: SessionScope;
  status?: TherapySessionStatus | null;
  therapistId?: string | null;
  patientId?: string | null;
  /** Either participant: the sessions of one user, whatever their role in them. */
  participantId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Keyset page over (scheduledAt, id). */
export interface SessionPage {
  first: number;
  after: { scheduledAt: Date; id: string } | null;
  /** Count every session the filter matches in the page's statement (the client selected totalCount). */
  withTotal: boolean;
}

export interface SessionCounts {
  total: number;
  pending: number;
  accepted: number;
  inProgress: number;
  completed: number;
  cancelled: number;
  rejected: number;
  noShow: number;
  averageDurationMinutes: number | null;
}

/** A therapist and a patient in a care relationship (domain/care-relationship.ts). */
export interface CarePair {
  therapistId: string;
  patientId: string;
}

export interface TherapySessionRepository {
  findById(id: string): Promise<TherapySession | null>;
  findByIds(ids: readonly string[]): Promise<TherapySession[]>;
  /** Loads and row-locks the session until the transaction ends (concurrent transitions queue). */
  findForUpdate(id: string): Promise<TherapySession | null>;
  add(session: TherapySession): void;
  /**
   * Up to `limit` ACCEPTED sessions whose planned end is at or before `now`, row-locked until the
   * transaction ends; rows another transaction holds are skipped (it is marking them).
   */
  lockDueNoShows(now: Date, limit: number): Promise<TherapySession[]>;
  /** Serialises scheduling for one therapist until the transaction ends. */
  lockTherapistCalendar(therapistId: string): Promise<void>;
  blockingIntervals(role: 'therapist' | 'patient', userId: string, window: Interval): Promise<Interval[]>;
  countBlocking(therapistId: string, window: Interval): Promise<number>;
  /**
   * What a booking is checked against, in one statement: the therapist's and the patient's blocking
   * sessions overlapping `around`, and how many of the therapist's blocking sessions start in `day`.
   */
  bookingCalendar(therapistId: string, patientId: string, around: Interval, day: Interval): Promise<BookingCalendar>;
  /** The page, and the filter's count: brought by the page's statement with `page.withTotal`, else counted when called. */
  list(filter: SessionFilter, page: SessionPage): Promise<{ sessions: TherapySession[]; total: () => number | Promise<number> }>;
  counts(filter: SessionFilter): Promise<SessionCounts>;
  /**
   * The pairs in a care relationship at `now` among the given therapists and/or patients (an
   * omitted side is unrestricted), the most recently scheduled first. One query, for any number.
   */
  careRelationships(among: { therapistIds?: readonly string[]; patientIds?: readonly string[] }, now: Date): Promise<CarePair[]>;
}

export interface WorkingHoursRepository {
  /** The therapist's weekly hours, or null when they never set any. */
  find(therapistId: string): Promise<WorkingHoursEntry[] | null>;
  findMany(therapistIds: readonly string[]): Promise<Map<string, WorkingHoursEntry[]>>;
  save(therapistId: string, hours: WorkingHoursEntry[]): Promise<void>;
}

export interface DisorderRepository {
  list(type: DisorderType | null, first: number, afterName: string | null): Promise<Disorder[]>;
  count(type: DisorderType | null): Promise<number>;
  findById(id: string): Promise<Disorder | null>;
  search(text: string, limit: number): Promise<Disorder[]>;
}

export interface ChatbotRepository {
  add(interaction: ChatbotInteraction): void;
  recent(userId: string, limit: number): Promise<ChatbotInteraction[]>;
  /** The user's own interactions among these ids (others' are not found). */
  findOwn(userId: string, ids: readonly string[]): Promise<ChatbotInteraction[]>;
}

export interface MentalHealthRepositories {
  sessions: TherapySessionRepository;
  workingHours: WorkingHoursRepository;
  disorders: DisorderRepository;
  chatbot: ChatbotRepository;
}

/** The module's persistence, per operation (platform/store-port.ts): reads, and writes in one transaction with their events. */
export type MentalHealthStore = Store<MentalHealthRepositories>;

export const MentalHealthStoreKey = serviceKey<MentalHealthStore>('mentalhealth.MentalHealthStore');
