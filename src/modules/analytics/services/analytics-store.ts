import { injectable, injectFromBase } from 'inversify';
import { ModuleStore, type LeanReads, type StoreAccess } from '../../../platform/store';
import { textArrayLiteral } from '../../../platform/direct-sql';
import { foldFacts, mergeInvoice, mergeSession, type InvoiceFact, type SessionFact } from '../models/facts';
import {
  BOOKED_STATUSES, INVOICE_HOUR_SUMS, SESSION_HOUR_COUNTS, DISTRIBUTION_EDGES, invoiceHourOf, rollupChanges, sessionBinsOf, sessionHourOf, therapistMonthOf, utcHour, utcMonth, type DistributionMeasure, type RollupDelta,
} from '../models/rollups';
import type {
  AnalyticsReads,
  AnalyticsRepositories,
  AnalyticsStore,
  CheckpointRepository,
  CrisisFact,
  FactRepository,
  ProbeCell,
  ProjectionName,
  ProjectionRow,
  RegistrationFact,
  RiskLevel,
  SessionDim,
  SessionFilterValues,
  WorkingHoursVersion,
} from './ports';

interface ProjectionRecord {
  name: ProjectionName;
  active_generation: number;
  building_generation: number | null;
  last_event_id: string | null;
  last_occurred_at: Date | null;
  rebuild_after: string | null;
  rebuild_total: number | null;
  rebuild_done: number | null;
  caught_up: boolean;
}

const PROJECTION_COLUMNS = 'name, active_generation, building_generation, last_event_id, last_occurred_at, rebuild_after, rebuild_total, rebuild_done, caught_up';

const toProjection = (r: ProjectionRecord): ProjectionRow => ({
  name: r.name,
  activeGeneration: r.active_generation,
  buildingGeneration: r.building_generation,
  lastEventId: r.last_event_id,
  lastOccurredAt: r.last_occurred_at ? new Date(r.last_occurred_at) : null,
  rebuildAfter: r.rebuild_after,
  rebuildTotal: r.rebuild_total,
  rebuildDone: r.rebuild_done,
  caughtUp: r.caught_up,
});

const ROLLUP_TABLES = ['session_hour', 'invoice_hour', 'therapist_month', 'session_bin_day'];
const FACT_TABLES = ['session_fact', 'invoice_fact', 'crisis_fact', 'registration_fact', 'working_hours_fact', 'applied_event', ...ROLLUP_TABLES];

/** Uuids as one PostgreSQL array literal (a JS array would be spread into separate parameters). */
const uuidList = (ids: readonly string[]) => `{${ids.join(',')}}`;

/** The columns of a session fact, written together (the merge rules are mergeSession's). */
const SESSION_FACT_COLUMNS = 'session_id, therapist_id, therapist_key, patient_key, session_type, target_audience, status, scheduled_at, duration_minutes, booked_at, lead_minutes, started_at, ended_at, late_cancelled, price_cents, currency';
const SESSION_FACT_TYPES = `session_id uuid, therapist_id uuid, therapist_key text, patient_key text, session_type text, target_audience text, status text,
  scheduled_at timestamptz, duration_minutes int, booked_at timestamptz, lead_minutes int, started_at timestamptz, ended_at timestamptz,
  late_cancelled boolean, price_cents int, currency text`;

interface SessionRecord {
  session_id: string; therapist_id: string; therapist_key: string; patient_key: string; session_type: string; target_audience: string; status: string;
  scheduled_at: Date | string; duration_minutes: number; booked_at: Date | string; lead_minutes: number; started_at: Date | string | null; ended_at: Date | string | null;
  late_cancelled: boolean; price_cents: number | null; currency: string | null;
}

const dateOrNull = (v: Date | string | null) => (v === null ? null : new Date(v));

const toSessionFact = (r: SessionRecord): SessionFact => ({
  sessionId: r.session_id, therapistId: r.therapist_id, therapistKey: r.therapist_key, patientKey: r.patient_key, sessionType: r.session_type,
  targetAudience: r.target_audience, status: r.status, scheduledAt: new Date(r.scheduled_at), durationMinutes: r.duration_minutes, bookedAt: new Date(r.booked_at),
  leadMinutes: r.lead_minutes, startedAt: dateOrNull(r.started_at), endedAt: dateOrNull(r.ended_at), lateCancelled: r.late_cancelled,
  priceCents: r.price_cents, currency: r.currency,
});

const toSessionRecord = (f: SessionFact): SessionRecord => ({
  session_id: f.sessionId, therapist_id: f.therapistId, therapist_key: f.therapistKey, patient_key: f.patientKey, session_type: f.sessionType,
  target_audience: f.targetAudience, status: f.status, scheduled_at: f.scheduledAt, duration_minutes: f.durationMinutes, booked_at: f.bookedAt,
  lead_minutes: f.leadMinutes, started_at: f.startedAt, ended_at: f.endedAt, late_cancelled: f.lateCancelled, price_cents: f.priceCents, currency: f.currency,
});

const INVOICE_FACT_COLUMNS = 'invoice_id, patient_key, amount_cents, currency, status, reason, issued_at, paid_at';
const INVOICE_FACT_TYPES = 'invoice_id uuid, patient_key text, amount_cents int, currency text, status text, reason text, issued_at timestamptz, paid_at timestamptz';

interface InvoiceRecord {
  invoice_id: string; patient_key: string; amount_cents: number | string; currency: string; status: string; reason: string; issued_at: Date | string; paid_at: Date | string | null;
}

const toInvoiceFact = (r: InvoiceRecord): InvoiceFact => ({
  invoiceId: r.invoice_id, patientKey: r.patient_key, amountCents: Number(r.amount_cents), currency: r.currency, status: r.status, reason: r.reason,
  issuedAt: new Date(r.issued_at), paidAt: dateOrNull(r.paid_at),
});

const toInvoiceRecord = (f: InvoiceFact): InvoiceRecord => ({
  invoice_id: f.invoiceId, patient_key: f.patientKey, amount_cents: f.amountCents, currency: f.currency, status: f.status, reason: f.reason, issued_at: f.issuedAt, paid_at: f.paidAt,
});

/** Rollup key columns that are not counts, by type (the counts are bigint sums). */
const ROLLUP_TYPES: Record<string, string> = { hour: 'timestamptz', month: 'timestamptz', day: 'timestamptz', measure: 'text', bin: 'int', currency: 'text', therapist_key: 'text', therapist_id: 'uuid' };

class SqlCheckpoints implements CheckpointRepository {
  constructor(private readonly db: LeanReads) {}

  async lockAll(): Promise<ProjectionRow[]> {
    return (await this.db.rows<ProjectionRecord>(`select ${PROJECTION_COLUMNS} from analytics.projection order by name for update`)).map(toProjection);
  }

  async all(): Promise<ProjectionRow[]> {
    return (await this.db.rows<ProjectionRecord>(`select ${PROJECTION_COLUMNS} from analytics.projection order by name`)).map(toProjection);
  }

  async claim(name: ProjectionName, events: ReadonlyArray<{ id: string; occurredAt: Date }>): Promise<Map<number, Set<string>>> {
    const rows = await this.db.rows<{ generation: number; event_id: string; active: boolean }>(
      `with p as (select active_generation as a, building_generation as b from analytics.projection where name = ? for update)
       insert into analytics.applied_event (generation, projection, event_id)
       select g, ?, e from p, unnest(array[p.a, p.b]) as g, unnest(?::uuid[]) as e where g is not null
       on conflict do nothing returning generation, event_id::text as event_id, generation = (select a from p) as active`,
      [name, name, uuidList(events.map((e) => e.id))],
    );
    const claimed = new Map<number, Set<string>>();
    for (const r of rows) claimed.set(r.generation, (claimed.get(r.generation) ?? new Set()).add(r.event_id));
    const activeIds = new Set(rows.filter((r) => r.active).map((r) => r.event_id));
    const last = events.findLast((e) => activeIds.has(e.id));
    if (last) {
      await this.db.rows('update analytics.projection set last_event_id = ?, last_occurred_at = ?, applied_at = now() where name = ?', [last.id, last.occurredAt, name]);
    }
    return claimed;
  }

  async markApplied(generation: number, name: ProjectionName, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await this.db.rows<{ event_id: string }>(
      `insert into analytics.applied_event (generation, projection, event_id) select ?, ?, e from unnest(?::uuid[]) as e
       on conflict do nothing returning event_id::text as event_id`,
      [generation, name, uuidList(eventIds)],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  async startRebuild(generation: number, total: number): Promise<void> {
    await this.db.rows('update analytics.projection set building_generation = ?, rebuild_after = null, rebuild_total = ?, rebuild_done = 0', [generation, total]);
  }

  async markCaughtUp(): Promise<void> {
    await this.db.rows('update analytics.projection set caught_up = true');
  }

  async rebuildProgress(after: string | null, done: number): Promise<void> {
    await this.db.rows('update analytics.projection set rebuild_after = ?, rebuild_done = ?', [after, done]);
  }

  async switchOver(generation: number, last: { eventId: string; occurredAt: Date } | null): Promise<void> {
    await this.db.rows(
      `update analytics.projection set active_generation = ?, building_generation = null, caught_up = true, rebuild_after = null, rebuild_total = null, rebuild_done = null,
         last_event_id = coalesce(last_event_id, ?), last_occurred_at = coalesce(last_occurred_at, ?)`,
      [generation, last?.eventId ?? null, last?.occurredAt ?? null],
    );
  }
}

class SqlFacts implements FactRepository {
  constructor(private readonly db: LeanReads) {}

  async upsertSessions(generation: number, facts: readonly SessionFact[]): Promise<void> {
    if (facts.length === 0) return;
    const ids = [...new Set(facts.map((f) => f.sessionId))];
    const stored = new Map(
      (await this.db.rows<SessionRecord>(`select ${SESSION_FACT_COLUMNS} from analytics.session_fact where generation = ? and session_id = any(?::uuid[]) for update`, [generation, uuidList(ids)]))
        .map((r) => [r.session_id, toSessionFact(r)]),
    );
    const after = foldFacts(facts, (f) => f.sessionId, stored, mergeSession);
    await this.db.rows(
      `insert into analytics.session_fact (generation, ${SESSION_FACT_COLUMNS})
       select ?, ${SESSION_FACT_COLUMNS} from jsonb_to_recordset(?::jsonb) as x(${SESSION_FACT_TYPES})
       on conflict (generation, session_id) do update set ${SESSION_FACT_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')}`,
      [generation, JSON.stringify([...after.values()].map(toSessionRecord))],
    );
    const changes = [...after].map(([id, f]) => ({ before: stored.get(id) ?? null, after: f }));
    await this.addTo('session_hour', ['hour'], SESSION_HOUR_COUNTS, generation, rollupChanges(changes.map((c) => ({ before: c.before && sessionHourOf(c.before), after: sessionHourOf(c.after) }))), (key) => [key]);
    await this.addTo('therapist_month', ['month', 'therapist_key', 'therapist_id'], ['sessions', 'booked_minutes'], generation,
      rollupChanges(changes.map((c) => ({ before: c.before && therapistMonthOf(c.before), after: therapistMonthOf(c.after) }))), (key) => JSON.parse(key) as string[]);
    await this.addTo('session_bin_day', ['day', 'measure', 'bin'], ['sessions'], generation,
      rollupChanges(changes.map((c) => ({ before: c.before && sessionBinsOf(c.before), after: sessionBinsOf(c.after) }))), (key) => JSON.parse(key) as unknown[]);
  }

  /**
   * Adds rollup changes (one per key) to their rows, creating them at zero first, in one statement
   * (therapist_id rides along, not part of the key).
   */
  private async addTo<V extends string>(table: string, keys: string[], columns: readonly V[], generation: number, deltas: ReadonlyArray<RollupDelta<V>>, keyValues: (key: string) => unknown[]): Promise<void> {
    if (deltas.length === 0) return;
    const rows = deltas.map((d) => [...keyValues(d.key), ...columns.map((c) => d.values[c])]);
    await this.db.rows(
      `insert into analytics.${table} (generation, ${keys.join(', ')}, ${columns.join(', ')})
       select ?, ${[...keys, ...columns].map((c, i) => `(r->>${i})::${ROLLUP_TYPES[c] ?? 'bigint'}`).join(', ')} from jsonb_array_elements(?::jsonb) as r
       on conflict (generation, ${keys.filter((k) => k !== 'therapist_id').join(', ')}) do update set ${columns.map((c) => `${c} = analytics.${table}.${c} + excluded.${c}`).join(', ')}`,
      [generation, JSON.stringify(rows)],
    );
  }

  async upsertInvoices(generation: number, facts: readonly InvoiceFact[]): Promise<void> {
    if (facts.length === 0) return;
    const ids = [...new Set(facts.map((f) => f.invoiceId))];
    const stored = new Map(
      (await this.db.rows<InvoiceRecord>(`select ${INVOICE_FACT_COLUMNS} from analytics.invoice_fact where generation = ? and invoice_id = any(?::uuid[]) for update`, [generation, uuidList(ids)]))
        .map((r) => [r.invoice_id, toInvoiceFact(r)]),
    );
    const after = foldFacts(facts, (f) => f.invoiceId, stored, mergeInvoice);
    await this.db.rows(
      `insert into analytics.invoice_fact (generation, ${INVOICE_FACT_COLUMNS})
       select ?, ${INVOICE_FACT_COLUMNS} from jsonb_to_recordset(?::jsonb) as x(${INVOICE_FACT_TYPES})
       on conflict (generation, invoice_id) do update set ${INVOICE_FACT_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')}`,
      [generation, JSON.stringify([...after.values()].map(toInvoiceRecord))],
    );
    const deltas = rollupChanges([...after].map(([id, f]) => ({ before: stored.has(id) ? invoiceHourOf(stored.get(id)!) : null, after: invoiceHourOf(f) })));
    await this.addTo('invoice_hour', ['hour', 'currency'], INVOICE_HOUR_SUMS, generation, deltas, (key) => JSON.parse(key) as string[]);
  }

  /** Recomputes a generation's rollups from its facts (facts written in bulk, as the benchmark does; a cross-check in tests). */
  async recomputeRollups(generation: number): Promise<void> {
    for (const table of ROLLUP_TABLES) await this.db.rows(`delete from analytics.${table} where generation = ?`, [generation]);
    await this.db.rows(
      `insert into analytics.session_hour (generation, hour, scheduled, completed, cancelled, rejected, no_show, late_cancelled)
       select generation, date_trunc('hour', scheduled_at, 'UTC'), count(*), count(*) filter (where status = 'COMPLETED'), count(*) filter (where status = 'CANCELLED'),
              count(*) filter (where status = 'REJECTED'), count(*) filter (where status = 'NO_SHOW'), count(*) filter (where late_cancelled)
         from analytics.session_fact where generation = ? group by 1, 2`,
      [generation],
    );
    await this.db.rows(
      `insert into analytics.therapist_month (generation, month, therapist_key, therapist_id, sessions, booked_minutes)
       select generation, date_trunc('month', scheduled_at, 'UTC'), therapist_key, min(therapist_id::text)::uuid, count(*),
              coalesce(sum(duration_minutes) filter (where status in (${BOOKED_STATUSES.map((b) => `'${b}'`).join(', ')})), 0)
         from analytics.session_fact where generation = ? group by 1, 2, 3`,
      [generation],
    );
    await this.db.rows(
      `insert into analytics.session_bin_day (generation, day, measure, bin, sessions)
       select generation, date_trunc('day', scheduled_at, 'UTC'), m.measure, width_bucket(case m.measure when 'LEAD_TIME' then lead_minutes / 60.0 else duration_minutes end, m.edges) - 1, count(*)
         from analytics.session_fact, (values ('LEAD_TIME', ?::numeric[]), ('DURATION', ?::numeric[])) as m(measure, edges)
        where generation = ? group by 1, 2, 3, 4`,
      [`{${DISTRIBUTION_EDGES.LEAD_TIME.join(',')}}`, `{${DISTRIBUTION_EDGES.DURATION.join(',')}}`, generation],
    );
    await this.db.rows(
      `insert into analytics.invoice_hour (generation, hour, currency, issued, paid, void, invoices)
       select generation, date_trunc('hour', issued_at, 'UTC'), currency, sum(amount_cents), coalesce(sum(amount_cents) filter (where status = 'PAID'), 0),
              coalesce(sum(amount_cents) filter (where status = 'VOID'), 0), count(*)
         from analytics.invoice_fact where generation = ? group by 1, 2, 3`,
      [generation],
    );
  }

  async addCrises(generation: number, facts: readonly CrisisFact[]): Promise<void> {
    if (facts.length === 0) return;
    await this.db.rows(
      `insert into analytics.crisis_fact (generation, event_id, patient_key, detected_at, level)
       select ?, event_id, patient_key, detected_at, level from jsonb_to_recordset(?::jsonb) as x(event_id uuid, patient_key text, detected_at timestamptz, level text)
       on conflict do nothing`,
      [generation, JSON.stringify(facts.map((f) => ({ event_id: f.eventId, patient_key: f.patientKey, detected_at: f.detectedAt, level: f.level })))],
    );
  }

  async addWorkingHours(generation: number, versions: ReadonlyArray<WorkingHoursVersion & { eventId: string }>): Promise<void> {
    if (versions.length === 0) return;
    await this.db.rows(
      `insert into analytics.working_hours_fact (generation, event_id, therapist_id, valid_from, hours, timezone)
       select ?, event_id, therapist_id, valid_from, hours, timezone from jsonb_to_recordset(?::jsonb) as x(event_id uuid, therapist_id uuid, valid_from timestamptz, hours jsonb, timezone text)
       on conflict do nothing`,
      [generation, JSON.stringify(versions.map((v) => ({ event_id: v.eventId, therapist_id: v.therapistId, valid_from: v.validFrom, hours: v.hours, timezone: v.timezone })))],
    );
  }

  async addRegistrations(generation: number, facts: readonly RegistrationFact[]): Promise<void> {
    if (facts.length === 0) return;
    await this.db.rows(
      `insert into analytics.registration_fact (generation, user_key, role, source, registered_at)
       select ?, user_key, role, source, registered_at from jsonb_to_recordset(?::jsonb) as x(user_key text, role text, source text, registered_at timestamptz)
       on conflict do nothing`,
      [generation, JSON.stringify(facts.map((f) => ({ user_key: f.userKey, role: f.role, source: f.source, registered_at: f.registeredAt })))],
    );
  }

  async clear(generation: number): Promise<void> {
    for (const table of FACT_TABLES) await this.db.rows(`delete from analytics.${table} where generation = ?`, [generation]);
  }

  async clearAllBut(keep: number): Promise<void> {
    for (const table of FACT_TABLES) await this.db.rows(`delete from analytics.${table} where generation <> ?`, [keep]);
  }
}

const num = (v: unknown): number => Number(v ?? 0);

const SESSION_COLUMN: Record<SessionDim, string> = { therapistKey: 'therapist_key', sessionType: 'session_type', targetAudience: 'target_audience' };
const SESSION_COUNTS_SQL = `count(*) as scheduled,
  count(*) filter (where status = 'COMPLETED') as completed,
  count(*) filter (where status = 'CANCELLED') as cancelled,
  count(*) filter (where status = 'REJECTED') as rejected,
  count(*) filter (where status = 'NO_SHOW') as no_show,
  count(*) filter (where late_cancelled) as late_cancelled`;
const REVENUE_SUMS_SQL = `sum(amount_cents) as issued, coalesce(sum(amount_cents) filter (where status = 'PAID'), 0) as paid,
  coalesce(sum(amount_cents) filter (where status = 'VOID'), 0) as void, count(*) as invoices`;
const revenueSums = (r: Record<string, unknown>) => ({ issuedCents: num(r.issued), paidCents: num(r.paid), voidCents: num(r.void), invoices: num(r.invoices) });
/**
 * The UTC hours a bucket bound falls inside (zones whose offset is not a whole hour, e.g.
 * Asia/Kolkata): the hourly rollups answer every other hour, these few come from the facts.
 */
const splitHours = (bounds: readonly Date[]) => boundList([...new Set(bounds.filter((d) => d.getTime() % 3600_000 !== 0).map((d) => utcHour(d).getTime()))].map((t) => new Date(t)));
const boundList = (dates: readonly Date[]) => `{${dates.map((d) => d.toISOString()).join(',')}}`;
const nextUtcMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

/** Bucket starts as one PostgreSQL array literal (a JS array would be spread into separate parameters). */
const bucketList = (buckets: Date[] | null) => (buckets ? boundList(buckets) : null);
const sessionCounts = (r: Record<string, unknown>) => ({
  scheduled: num(r.scheduled),
  completed: num(r.completed),
  cancelled: num(r.cancelled),
  rejected: num(r.rejected),
  noShow: num(r.no_show),
  lateCancelled: num(r.late_cancelled),
});

class SqlReads implements AnalyticsReads {
  constructor(private readonly db: LeanReads) {}

  async sessionCells(generation: number, from: Date, to: Date, trunc: string, zone: string, buckets: Date[] | null = null) {
    const rows = await this.db.rows<Record<string, unknown>>(
      `select * from (
         select date_trunc(?, scheduled_at, ?) as bucket, therapist_key, session_type, target_audience, patient_key, ${SESSION_COUNTS_SQL}
           from analytics.session_fact
          where generation = ? and scheduled_at >= ? and scheduled_at < ?
          group by 1, 2, 3, 4, 5) cells
        where ?::timestamptz[] is null or bucket = any(?::timestamptz[])`,
      [trunc, zone, generation, from, to, ...Array(2).fill(bucketList(buckets))],
    );
    return rows.map((r) => ({
      bucket: new Date(r.bucket as string),
      therapistKey: r.therapist_key as string,
      sessionType: r.session_type as string,
      targetAudience: r.target_audience as string,
      patientKey: r.patient_key as string,
      ...sessionCounts(r),
    }));
  }

  async revenueCells(generation: number, from: Date, to: Date, trunc: string, zone: string, buckets: Date[] | null = null) {
    const rows = await this.db.rows<Record<string, unknown>>(
      `select * from (
         select date_trunc(?, issued_at, ?) as bucket, currency, patient_key, ${REVENUE_SUMS_SQL}
           from analytics.invoice_fact
          where generation = ? and issued_at >= ? and issued_at < ?
          group by 1, 2, 3) cells
        where ?::timestamptz[] is null or bucket = any(?::timestamptz[])`,
      [trunc, zone, generation, from, to, ...Array(2).fill(bucketList(buckets))],
    );
    return rows.map((r) => ({ bucket: new Date(r.bucket as string), currency: r.currency as string, patientKey: r.patient_key as string, ...revenueSums(r) }));
  }

  async crisisCells(generation: number, from: Date, to: Date, trunc: string, zone: string) {
    const rows = await this.db.rows<Record<string, unknown>>(
      `select date_trunc(?, detected_at, ?) as bucket, patient_key, level, count(*) as detections
         from analytics.crisis_fact where generation = ? and detected_at >= ? and detected_at < ? group by 1, 2, 3`,
      [trunc, zone, generation, from, to],
    );
    return rows.map((r) => ({ bucket: new Date(r.bucket as string), patientKey: r.patient_key as string, level: r.level as RiskLevel, detections: num(r.detections) }));
  }

  async registrationCells(generation: number, from: Date, to: Date, trunc: string, zone: string) {
    const rows = await this.db.rows<Record<string, unknown>>(
      `select date_trunc(?, registered_at, ?) as bucket, role, user_key
         from analytics.registration_fact where generation = ? and registered_at >= ? and registered_at < ?`,
      [trunc, zone, generation, from, to],
    );
    return rows.map((r) => ({ bucket: new Date(r.bucket as string), role: r.role as string, userKey: r.user_key as string }));
  }

  /** Bucket index (0-based) of `column` among the bounds (bucket starts, then the end), for width_bucket. */
  private static bucketOf(column: string): string {
    return `width_bucket(${column}, ?::timestamptz[]) - 1`;
  }

  async sessionBucketCounts(generation: number, bounds: Date[], filter: SessionFilterValues) {
    const from = bounds[0];
    const to = bounds[bounds.length - 1];
    const dims = (Object.keys(filter) as SessionDim[]).filter((d) => filter[d] !== undefined);
    let rows: Array<Record<string, unknown>>;
    if (dims.length === 0) {
      const split = splitHours(bounds);
      rows = await this.db.rows(
        `select b, null as patients, ${SESSION_HOUR_COUNTS.map((c) => `sum(${c}) as ${c}`).join(', ')} from (
           select ${SqlReads.bucketOf('hour')} as b, ${SESSION_HOUR_COUNTS.join(', ')}
             from analytics.session_hour where generation = ? and hour >= ? and hour < ? and hour <> all(?::timestamptz[])
           union all
           select ${SqlReads.bucketOf('scheduled_at')}, ${SESSION_COUNTS_SQL}
             from analytics.session_fact join unnest(?::timestamptz[]) as split(h) on scheduled_at >= split.h and scheduled_at < split.h + interval '1 hour'
            where generation = ? and scheduled_at >= ? and scheduled_at < ? group by 1) counted
          group by 1`,
        [boundList(bounds), generation, utcHour(from), to, split, boundList(bounds), split, generation, from, to],
      );
    } else {
      rows = await this.db.rows(
        `select ${SqlReads.bucketOf('scheduled_at')} as b, count(distinct patient_key) as patients, ${SESSION_COUNTS_SQL}
           from analytics.session_fact where generation = ? and scheduled_at >= ? and scheduled_at < ? ${dims.map((d) => `and ${SESSION_COLUMN[d]} = ?`).join(' ')}
          group by 1`,
        [boundList(bounds), generation, from, to, ...dims.map((d) => filter[d])],
      );
    }
    return rows.map((r) => ({ index: num(r.b), patients: r.patients === null ? null : num(r.patients), ...sessionCounts(r) }));
  }

  async probeSessions(generation: number, cells: ReadonlyArray<ProbeCell>, filter: SessionFilterValues, dim: SessionDim | null, limit: number | null) {
    if (cells.length === 0) return [];
    const dims = (Object.keys(filter) as SessionDim[]).filter((d) => filter[d] !== undefined && d !== dim);
    const rows = await this.db.rows<{ i: string; seen: string; n: string }>(
      `select c.i, p.seen, p.n
         from unnest(?::timestamptz[], ?::timestamptz[], ?::text[]) with ordinality as c(lo, hi, v, i)
         cross join lateral (
           select count(distinct patient_key) as seen, count(*) as n from (
             select patient_key from analytics.session_fact
              where generation = ? and scheduled_at >= c.lo and scheduled_at < c.hi
                ${dim ? `and ${SESSION_COLUMN[dim]} = c.v` : ''} ${dims.map((d) => `and ${SESSION_COLUMN[d]} = ?`).join(' ')}
              order by scheduled_at ${limit === null ? '' : 'limit ?'}) x) p
        order by c.i`,
      [
        boundList(cells.map((c) => c.from)), boundList(cells.map((c) => c.to)), textArrayLiteral(cells.map((c) => c.value ?? '')),
        generation, ...dims.map((d) => filter[d]), ...(limit === null ? [] : [limit]),
      ],
    );
    return rows.map((r) => ({ seen: num(r.seen), rows: num(r.n) }));
  }

  async revenueBucketCounts(generation: number, bounds: Date[]) {
    const from = bounds[0];
    const to = bounds[bounds.length - 1];
    const split = splitHours(bounds);
    const rows = await this.db.rows<Record<string, unknown>>(
      `select b, currency, sum(issued) as issued, sum(paid) as paid, sum(void) as void, sum(invoices) as invoices from (
         select ${SqlReads.bucketOf('hour')} as b, currency, issued, paid, void, invoices
           from analytics.invoice_hour where generation = ? and hour >= ? and hour < ? and hour <> all(?::timestamptz[])
         union all
         select ${SqlReads.bucketOf('issued_at')}, currency, ${REVENUE_SUMS_SQL}
           from analytics.invoice_fact join unnest(?::timestamptz[]) as split(h) on issued_at >= split.h and issued_at < split.h + interval '1 hour'
          where generation = ? and issued_at >= ? and issued_at < ? group by 1, 2) summed
        group by 1, 2`,
      [boundList(bounds), generation, utcHour(from), to, split, boundList(bounds), split, generation, from, to],
    );
    return rows.map((r) => ({ index: num(r.b), currency: r.currency as string, ...revenueSums(r) }));
  }

  async probeInvoices(generation: number, cells: ReadonlyArray<ProbeCell>, limit: number | null) {
    if (cells.length === 0) return [];
    const rows = await this.db.rows<{ seen: string; n: string }>(
      `select p.seen, p.n
         from unnest(?::timestamptz[], ?::timestamptz[], ?::text[]) with ordinality as c(lo, hi, v, i)
         cross join lateral (
           select count(distinct patient_key) as seen, count(*) as n from (
             select patient_key from analytics.invoice_fact
              where generation = ? and currency = c.v and issued_at >= c.lo and issued_at < c.hi
              order by issued_at ${limit === null ? '' : 'limit ?'}) x) p
        order by c.i`,
      [boundList(cells.map((c) => c.from)), boundList(cells.map((c) => c.to)), textArrayLiteral(cells.map((c) => c.value ?? '')), generation, ...(limit === null ? [] : [limit])],
    );
    return rows.map((r) => ({ seen: num(r.seen), rows: num(r.n) }));
  }

  async sessionTherapists(generation: number, from: Date, to: Date): Promise<string[]> {
    const rows = await this.db.rows<{ therapist_key: string }>(
      'select distinct therapist_key from analytics.therapist_month where generation = ? and month >= ? and month < ? order by 1',
      [generation, utcMonth(from), to],
    );
    return rows.map((r) => r.therapist_key);
  }

  async utilisation(generation: number, from: Date, to: Date) {
    // Whole UTC months inside the period from the rollup, the rest from the facts.
    const firstMonth = utcMonth(from).getTime() === from.getTime() ? from : nextUtcMonth(from);
    const lastMonth = utcMonth(to);
    const months = firstMonth < lastMonth ? { from: firstMonth, to: lastMonth } : null;
    const edges = months ? [[from, months.from], [months.to, to]] : [[from, to]];
    const booked = `coalesce(sum(duration_minutes) filter (where status in (${BOOKED_STATUSES.map((b) => `'${b}'`).join(', ')})), 0)`;
    const rows = await this.db.rows<Record<string, unknown>>(
      `select therapist_key, min(therapist_id) as therapist_id, sum(booked) as booked from (
         select therapist_key, therapist_id::text as therapist_id, booked_minutes as booked from analytics.therapist_month
          where generation = ? and month >= ? and month < ?
         union all
         select therapist_key, therapist_id::text, ${booked} from analytics.session_fact
          where generation = ? and ((scheduled_at >= ? and scheduled_at < ?) or (scheduled_at >= ? and scheduled_at < ?)) group by 1, 2
       ) t group by 1 order by 1`,
      [generation, months?.from ?? from, months?.to ?? from, generation, edges[0][0], edges[0][1], edges[1]?.[0] ?? from, edges[1]?.[1] ?? from],
    );
    return rows.map((r) => ({ therapistKey: r.therapist_key as string, therapistId: r.therapist_id as string, bookedMinutes: num(r.booked) }));
  }

  async probeTherapists(generation: number, from: Date, to: Date, therapistKeys: readonly string[], limit: number | null) {
    return this.probeSessions(generation, therapistKeys.map((value) => ({ from, to, value })), {}, 'therapistKey', limit);
  }

  async distributionCounts(generation: number, from: Date, to: Date, measure: DistributionMeasure) {
    const rows = await this.db.rows<{ bin: number; sessions: string }>(
      'select bin, sum(sessions) as sessions from analytics.session_bin_day where generation = ? and measure = ? and day >= ? and day < ? group by bin',
      [generation, measure, from, to],
    );
    return new Map(rows.map((r) => [Number(r.bin), num(r.sessions)]));
  }

  async probeDistribution(generation: number, from: Date, to: Date, measure: DistributionMeasure, bins: readonly number[], limit: number | null) {
    if (bins.length === 0) return [];
    const edges = DISTRIBUTION_EDGES[measure];
    const [column, scale] = measure === 'LEAD_TIME' ? ['lead_minutes', 60] : ['duration_minutes', 1];
    const rows = await this.db.rows<{ seen: string; n: string }>(
      `select p.seen, p.n
         from unnest(?::int[], ?::int[]) with ordinality as c(lo, hi, i)
         cross join lateral (
           select count(distinct patient_key) as seen, count(*) as n from (
             select patient_key from analytics.session_fact
              where generation = ? and ${column} >= c.lo and ${column} < c.hi and scheduled_at >= ? and scheduled_at < ?
              ${limit === null ? '' : 'limit ?'}) x) p
        order by c.i`,
      [
        `{${bins.map((b) => Math.ceil(edges[b] * scale)).join(',')}}`, `{${bins.map((b) => (b + 1 < edges.length ? Math.ceil(edges[b + 1] * scale) : 2147483647)).join(',')}}`,
        generation, from, to, ...(limit === null ? [] : [limit]),
      ],
    );
    return rows.map((r) => ({ seen: num(r.seen), rows: num(r.n) }));
  }

  async distribution(generation: number, from: Date, to: Date, measure: 'LEAD_TIME' | 'DURATION', edges: readonly number[]) {
    const value = measure === 'LEAD_TIME' ? '(lead_minutes / 60.0)::float8' : 'duration_minutes::float8';
    // width_bucket with the lower bounds: bin 1 is [edges[0], edges[1]), the last is open-ended.
    const rows = await this.db.rows<Record<string, unknown>>(
      `select width_bucket(${value}, ?::float8[]) - 1 as bin, patient_key, count(*) as sessions
         from analytics.session_fact where generation = ? and scheduled_at >= ? and scheduled_at < ?
        group by 1, 2`,
      [`{${edges.join(',')}}`, generation, from, to],
    );
    return rows.map((r) => ({ bin: num(r.bin), patientKey: r.patient_key as string, sessions: num(r.sessions) }));
  }

  async workingHours(generation: number, therapistIds: readonly string[], to: Date): Promise<WorkingHoursVersion[]> {
    if (therapistIds.length === 0) return [];
    const rows = await this.db.rows<{ therapist_id: string; valid_from: Date; hours: unknown; timezone: string }>(
      `select therapist_id::text as therapist_id, valid_from, hours, timezone from analytics.working_hours_fact
        where generation = ? and therapist_id = any(?::uuid[]) and valid_from < ? order by therapist_id, valid_from, event_id`,
      [generation, `{${therapistIds.join(',')}}`, to],
    );
    return rows.map((r) => ({
      therapistId: r.therapist_id,
      validFrom: new Date(r.valid_from),
      hours: (typeof r.hours === 'string' ? JSON.parse(r.hours) : r.hours) as WorkingHoursVersion['hours'],
      timezone: r.timezone,
    }));
  }

  async activeGeneration(): Promise<number> {
    const [row] = await this.db.rows<{ g: number }>(`select active_generation as g from analytics.projection where name = 'sessions'`);
    return row.g;
  }

}

/** The analytics repositories, on its own schema only (lag comes from the platform's EventLog). */
@injectable()
@injectFromBase({ extendConstructorArguments: true })
export class SqlAnalyticsStore extends ModuleStore<AnalyticsRepositories> implements AnalyticsStore {
  protected readonly options = { schema: 'analytics' };

  protected repositoriesOn({ lean }: StoreAccess): AnalyticsRepositories {
    return { checkpoints: new SqlCheckpoints(lean), facts: new SqlFacts(lean), reads: new SqlReads(lean) };
  }
}
