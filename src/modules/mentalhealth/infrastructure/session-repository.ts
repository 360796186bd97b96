import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { dataCipherOf } from '../../../platform/encrypted-text';
import { detachedViews, selectList, type LeanReads } from '../../../platform/store';
import type { Interval } from '../domain/availability';
import { CALENDAR_BLOCKING, TherapySession } from '../domain/therapy-session';
import { CARE_RELATIONSHIP_DAYS } from '../domain/care-relationship';
import type { BookingCalendar, CarePair, SessionCounts, SessionFilter, SessionPage, TherapySessionRepository } from '../application/ports';
import { TherapySessionSchema } from './persistence';

/** The SQL form of a filter, the viewer's scope always included: one rule for lists, counts and statistics. */
function sqlWhereOf(filter: SessionFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    conditions.push(sql);
    params.push(...values);
  };
  if (filter.scope.kind === 'therapist') add('therapist_id = ?', filter.scope.userId);
  if (filter.scope.kind === 'patient') add('patient_id = ?', filter.scope.userId);
  if (filter.status) add('status = ?', filter.status);
  if (filter.therapistId) add('therapist_id = ?', filter.therapistId);
  if (filter.patientId) add('patient_id = ?', filter.patientId);
  if (filter.participantId) add('(therapist_id = ? or patient_id = ?)', filter.participantId, filter.participantId);
  if (filter.from) add('scheduled_at >= ?', filter.from);
  if (filter.to) add('scheduled_at < ?', filter.to);
  return { sql: conditions.length ? conditions.join(' and ') : 'true', params };
}

const blocking = { status: { $in: [...CALENDAR_BLOCKING] } };

/** keepsCareRelationship (domain/care-relationship.ts) as SQL; the one parameter is `now`. */
const KEEPS_CARE = `(status in ('ACCEPTED', 'IN_PROGRESS')
  or (status = 'PENDING' and proposed_by_id = patient_id)
  or (status in ('COMPLETED', 'NO_SHOW') and coalesce(ended_at, ends_at) + make_interval(days => ${CARE_RELATIONSHIP_DAYS}) > ?::timestamptz))`;

const uuidArray = (ids: readonly string[]) => `array[${ids.map(() => '?').join(', ')}]::uuid[]`;

/** Every column of a session, as the read side selects it. */
const SESSION_COLUMNS = [
  'id', 'therapistId', 'patientId', 'sessionType', 'targetAudience', 'status', 'scheduledAt', 'durationMinutes', 'endsAt', 'startedAt',
  'endedAt', 'summary', 'notes', 'cancellationReason', 'cancelledById', 'proposedById', 'priceCents', 'priceCurrency', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof TherapySession>;
/** SESSION_COLUMNS as the page's select list: each column under its property's name. */
const SELECTED_COLUMNS = selectList(SESSION_COLUMNS);
const SESSION_INSTANTS = ['scheduledAt', 'endsAt', 'startedAt', 'endedAt', 'createdAt', 'updatedAt'] as const satisfies ReadonlyArray<(typeof SESSION_COLUMNS)[number]>;
/** The clinical text columns (EncryptedText): lean rows hold their envelopes, decrypted here with the column they are bound to. */
const ENCRYPTED_COLUMNS = { summary: 'summary', notes: 'notes', cancellationReason: 'cancellation_reason' } as const;
/** A row as a TherapySession that is not the ORM's (no change tracking): plain properties, the domain's getters and rules. */
export const sessionView = detachedViews(TherapySession, SESSION_COLUMNS);

export class MikroTherapySessionRepository implements TherapySessionRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly lean: LeanReads,
  ) {}

  findById(id: string): Promise<TherapySession | null> {
    return this.em.findOne(TherapySessionSchema, { id });
  }

  findByIds(ids: readonly string[]): Promise<TherapySession[]> {
    return ids.length ? this.em.find(TherapySessionSchema, { id: { $in: [...ids] } }) : Promise.resolve([]);
  }

  findForUpdate(id: string): Promise<TherapySession | null> {
    return this.em.findOne(TherapySessionSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  add(session: TherapySession): void {
    this.em.persist(session);
  }

  lockDueNoShows(now: Date, limit: number): Promise<TherapySession[]> {
    // FOR UPDATE SKIP LOCKED: concurrent sweeps take disjoint rows; a row seen after another's commit is no longer ACCEPTED.
    return this.em.find(
      TherapySessionSchema,
      { status: 'ACCEPTED', endsAt: { $lte: now } },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true, orderBy: { endsAt: 'asc', id: 'asc' }, limit },
    );
  }

  async lockTherapistCalendar(therapistId: string): Promise<void> {
    await this.em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`mentalhealth.calendar:${therapistId}`]);
  }

  async blockingIntervals(role: 'therapist' | 'patient', userId: string, window: Interval): Promise<Interval[]> {
    const rows = await this.em.find(
      TherapySessionSchema,
      { ...(role === 'therapist' ? { therapistId: userId } : { patientId: userId }), ...blocking, scheduledAt: { $lt: window.end }, endsAt: { $gt: window.start } },
      { fields: ['scheduledAt', 'endsAt'], orderBy: { scheduledAt: 'asc' }, disableIdentityMap: true },
    );
    return rows.map((row) => ({ start: row.scheduledAt, end: row.endsAt }));
  }

  countBlocking(therapistId: string, window: Interval): Promise<number> {
    return this.em.count(TherapySessionSchema, { therapistId, ...blocking, scheduledAt: { $gte: window.start, $lt: window.end } });
  }

  async bookingCalendar(therapistId: string, patientId: string, around: Interval, day: Interval): Promise<BookingCalendar> {
    const statuses = CALENDAR_BLOCKING.map(() => '?').join(', ');
    const overlapping = `from mentalhealth.therapy_session where status in (${statuses}) and scheduled_at < ? and ends_at > ?`;
    const rows = await this.em.execute<Array<{ side: 'therapist' | 'patient' | 'day'; scheduled_at: Date | null; ends_at: Date | null; n: string | null }>>(
      `select 'therapist' as side, scheduled_at, ends_at, null::bigint as n ${overlapping} and therapist_id = ?
       union all select 'patient', scheduled_at, ends_at, null ${overlapping} and patient_id = ?
       union all select 'day', null, null, count(*) from mentalhealth.therapy_session
         where status in (${statuses}) and therapist_id = ? and scheduled_at >= ? and scheduled_at < ?
       order by side, scheduled_at`,
      [
        ...CALENDAR_BLOCKING, around.end, around.start, therapistId,
        ...CALENDAR_BLOCKING, around.end, around.start, patientId,
        ...CALENDAR_BLOCKING, therapistId, day.start, day.end,
      ],
    );
    const intervals = (side: 'therapist' | 'patient') =>
      rows.filter((row) => row.side === side).map((row) => ({ start: new Date(row.scheduled_at!), end: new Date(row.ends_at!) }));
    return {
      therapistBusy: intervals('therapist'),
      patientBusy: intervals('patient'),
      therapistSessionsThatDay: Number(rows.find((row) => row.side === 'day')?.n ?? 0),
    };
  }

  /**
   * The read side of the session lists: one statement, the viewer's scope in its WHERE, rows read
   * straight into read-only views (no entity hydration, no identity map, nothing to flush).
   */
  async list(filter: SessionFilter, page: SessionPage): Promise<{ sessions: TherapySession[]; total: () => number | Promise<number> }> {
    const { rows, total } = await this.lean.page<Pick<TherapySession, (typeof SESSION_COLUMNS)[number]>>({
      columns: SELECTED_COLUMNS,
      from: 'mentalhealth.therapy_session',
      where: sqlWhereOf(filter),
      after: page.after ? { sql: '(scheduled_at, id) > (?, ?)', params: [page.after.scheduledAt, page.after.id] } : null,
      orderBy: 'scheduled_at, id',
      limit: page.first,
      withTotal: page.withTotal,
      instants: SESSION_INSTANTS,
    });
    return { sessions: rows.map((row) => this.view(row)), total };
  }

  /** A row as the domain's TherapySession reads (its getters and rules), never managed by the ORM. */
  private view(row: Pick<TherapySession, (typeof SESSION_COLUMNS)[number]>): TherapySession {
    const session = sessionView(row);
    for (const [property, column] of Object.entries(ENCRYPTED_COLUMNS) as Array<[keyof typeof ENCRYPTED_COLUMNS, string]>) {
      const envelope = row[property];
      if (envelope != null) session[property] = dataCipherOf(this.em).decrypt(envelope, `mentalhealth.therapy_session.${column}`);
    }
    return session;
  }

  async counts(filter: SessionFilter): Promise<SessionCounts> {
    const status = (name: string) => `count(*) filter (where status = '${name}')::int`;
    const { sql, params } = sqlWhereOf(filter);
    const [row] = await this.lean.rows<Record<string, number | null>>(
      `select count(*)::int as total, ${status('PENDING')} as pending, ${status('ACCEPTED')} as accepted,
         ${status('IN_PROGRESS')} as in_progress, ${status('COMPLETED')} as completed, ${status('CANCELLED')} as cancelled,
         ${status('REJECTED')} as rejected, ${status('NO_SHOW')} as no_show,
         (avg(extract(epoch from (ended_at - started_at)) / 60) filter (where status = 'COMPLETED'))::float8 as average
       from mentalhealth.therapy_session where ${sql}`,
      params,
    );
    return {
      total: Number(row.total),
      pending: Number(row.pending),
      accepted: Number(row.accepted),
      inProgress: Number(row.in_progress),
      completed: Number(row.completed),
      cancelled: Number(row.cancelled),
      rejected: Number(row.rejected),
      noShow: Number(row.no_show),
      averageDurationMinutes: row.average === null ? null : Number(row.average),
    };
  }

  async careRelationships(among: { therapistIds?: readonly string[]; patientIds?: readonly string[] }, now: Date): Promise<CarePair[]> {
    const { therapistIds, patientIds } = among;
    if (therapistIds?.length === 0 || patientIds?.length === 0) return [];
    const conditions = [KEEPS_CARE];
    const params: unknown[] = [now];
    if (therapistIds) {
      conditions.push(`therapist_id = any(${uuidArray(therapistIds)})`);
      params.push(...therapistIds);
    }
    if (patientIds) {
      conditions.push(`patient_id = any(${uuidArray(patientIds)})`);
      params.push(...patientIds);
    }
    const rows = await this.em.execute<Array<{ therapist_id: string; patient_id: string }>>(
      `select therapist_id, patient_id from mentalhealth.therapy_session
       where ${conditions.join(' and ')}
       group by therapist_id, patient_id order by max(scheduled_at) desc, therapist_id, patient_id`,
      params,
    );
    return rows.map((row) => ({ therapistId: row.therapist_id, patientId: row.patient_id }));
  }
}
