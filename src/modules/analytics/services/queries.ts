import { inject, injectable } from 'inversify';
import type { Settings } from '../../../config/env';
import { requireViewer, type Viewer } from '../../../platform/auth';
import type { Clock } from '../../../platform/clock';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import type { EventLog } from '../../../platform/event-log';
import { ForbiddenError, InvalidInputError } from '../../../platform/errors';
import { alignedRange, bucketStart, bucketsOf, checkedZone, MAX_BUCKETS, truncField, type Bucket } from '../models/bucketing';
import { availableHours } from '../models/available-hours';
import { DISTRIBUTION_EDGES } from '../models/rollups';
import { CellTable, widenForDays, type Cell } from '../models/cells';
import { isSmall } from '../models/suppression';
import { SUBSCRIBER_OF } from './projections';
import { AnalyticsStoreKey, type AnalyticsStore, type SessionDim, type ProbeCell, type ProbeResult, type SessionFilterValues, type WorkingHoursVersion } from './ports';

export interface Period {
  from: Date;
  to: Date;
  bucket: Bucket;
  timezone: string;
}

export interface SessionFilter {
  therapistKey?: string | null;
  sessionType?: string | null;
  targetAudience?: string | null;
}

const SESSION_COUNTS = ['scheduled', 'completed', 'cancelled', 'rejected', 'noShow', 'lateCancelled'] as const;
type SessionCount = (typeof SESSION_COUNTS)[number];
const REVENUE_COUNTS = ['issuedCents', 'paidCents', 'voidCents', 'invoices'] as const;

export type SessionVolume = ReturnType<typeof flat<SessionCount>> & {
  completionRate: number | null;
  cancellationRate: number | null;
};

export type RevenueBucket = ReturnType<typeof flat<(typeof REVENUE_COUNTS)[number]>> & { currency: string };

export interface TherapistUtilisation {
  therapistKey: string;
  therapistId: string | null;
  suppressed: boolean;
  bookedHours: number | null;
  availableHours: number | null;
  utilisation: number | null;
}

export interface ProjectionStatus {
  name: string;
  lastEventCursor: string | null;
  lagSeconds: number;
  rebuilding: boolean;
  rebuildProgress: number | null;
}

type CellSize = 'zero' | 'small' | 'large';

/** The values a session filter can take besides therapists (the mentalhealth enums). */
const FILTER_VALUES: Record<'sessionType' | 'targetAudience', readonly string[]> = {
  sessionType: ['CHAT', 'VIDEO', 'AUDIO'],
  targetAudience: ['INDIVIDUAL', 'COUPLES', 'TEENS', 'MEDICATION', 'VETERANS'],
};


/** A cell as GraphQL shows it: each count a field, null when suppressed. */
function flat<C extends string>(cell: Cell<C>, names: readonly C[]) {
  const fields = Object.fromEntries(names.map((n) => [n, cell.counts ? cell.counts[n] : null])) as Record<C, number | null>;
  return { bucketStart: cell.bucketStart, suppressed: cell.suppressed, ...fields };
}

/** Analysts and admins only. */
function requireAnalyst(viewer: Viewer | null): Viewer {
  const v = requireViewer(viewer);
  if (v.role !== 'ANALYST' && v.role !== 'ADMIN') throw new ForbiddenError('Only analysts and admins may read analytics');
  return v;
}

/** The analyst queries: projection tables only, de-identified, small cells suppressed. */
@injectable()
export class AnalyticsQueries {
  private readonly minCell: number;

  constructor(
    @inject(AnalyticsStoreKey) private readonly store: AnalyticsStore,
    @inject(PLATFORM.Settings) settings: Settings,
    @inject(PLATFORM.Clock) private readonly clock: Clock,
    @inject(PLATFORM.EventLog) private readonly eventLog: EventLog,
  ) {
    this.minCell = settings.analyticsMinCell;
  }

  private period(p: Period) {
    const zone = checkedZone(p.timezone);
    const range = alignedRange(p.from, p.to, p.bucket, zone);
    const buckets = bucketsOf(range, p.bucket, zone, MAX_BUCKETS + 1);
    if (buckets.length > MAX_BUCKETS) throw new InvalidInputError(`at most ${MAX_BUCKETS} buckets per query`, { field: 'to' });
    return { zone, range, buckets, trunc: truncField(p.bucket) };
  }

  /** Zero, small or large, per probed cell: a cheap probe proves most cells large; the rest are counted exactly. */
  private async sizes(probe: (limit: number | null) => (cells: number[]) => Promise<ProbeResult[]>, cells: number[]): Promise<CellSize[]> {
    // Enough sessions to meet minCell patients in most cells without reading many more.
    const limit = this.minCell + 5;
    const first = await probe(limit)(cells);
    const sizeOf = (r: ProbeResult, exact: boolean): CellSize | null =>
      r.seen >= this.minCell ? 'large' : exact || r.rows < limit ? (r.seen === 0 ? 'zero' : 'small') : null;
    const sizes = first.map((r) => sizeOf(r, false));
    const unsure = cells.filter((_, i) => sizes[i] === null);
    const exact = await probe(null)(unsure);
    let k = 0;
    return sizes.map((s) => s ?? sizeOf(exact[k++], true)!);
  }

  /**
   * Counts from the hourly rollup (or, filtered, from the facts by an index made for the filter); a
   * bucket needs patient sets (CellTable) only where its cell is large but a neighbour in one of its
   * partitions is small (the same filter with one dimension changed, or for days, its week and month).
   */
  async sessionVolume(op: OperationContext, p: Period, filter: SessionFilter): Promise<SessionVolume[]> {
    requireAnalyst(op.viewer);
    const { zone, range, buckets, trunc } = this.period(p);
    const reads = this.store.read(op).reads;
    const generation = await reads.activeGeneration();
    const wide = widenForDays(range, p.bucket, zone);
    const starts = bucketsOf(wide, p.bucket, zone);
    const bounds = [...starts, wide.to];
    const wanted: SessionFilterValues = {};
    if (filter.therapistKey) wanted.therapistKey = filter.therapistKey;
    if (filter.sessionType) wanted.sessionType = filter.sessionType;
    if (filter.targetAudience) wanted.targetAudience = filter.targetAudience;
    const counts = new Map((await reads.sessionBucketCounts(generation, bounds, wanted)).map((c) => [c.index, c]));
    const size: CellSize[] = starts.map((_, i) => {
      const c = counts.get(i);
      if (!c || c.scheduled === 0) return 'zero';
      if (c.patients === null) return 'large'; // probed below
      return isSmall(c.patients, this.minCell) ? 'small' : 'large';
    });
    const cellOf = (i: number, value?: string): ProbeCell => ({ from: bounds[i], to: bounds[i + 1], value });
    const unprobed = starts.map((_, i) => i).filter((i) => counts.get(i)?.patients === null && size[i] !== 'zero');
    const probed = await this.sizes((limit) => (cells) => reads.probeSessions(generation, cells.map((i) => cellOf(i)), wanted, null, limit), unprobed);
    unprobed.forEach((i, k) => (size[i] = probed[k]));
    const risky = new Set<number>();
    const large = starts.map((_, i) => i).filter((i) => size[i] === 'large');
    for (const d of Object.keys(wanted) as SessionDim[]) {
      const values = d === 'therapistKey' ? await reads.sessionTherapists(generation, wide.from, wide.to) : FILTER_VALUES[d];
      const siblings = large.flatMap((i) => values.filter((v) => v !== wanted[d]).map((v) => ({ i, v })));
      const sizes = await this.sizes((limit) => (cells) => reads.probeSessions(generation, cells.map((k) => cellOf(siblings[k].i, siblings[k].v)), wanted, d, limit), siblings.map((_, k) => k));
      siblings.forEach(({ i }, k) => sizes[k] === 'small' && risky.add(i));
    }
    if (p.bucket === 'DAY' && size.includes('small')) {
      // A small day puts every day of its week and month at risk: their totals are published.
      const parentsOf = (at: Date) => (['WEEK', 'MONTH'] as const).map((u) => `${u}${bucketStart(at, u, zone).getTime()}`);
      const parents = new Set(starts.filter((_, i) => size[i] === 'small').flatMap(parentsOf));
      starts.forEach((at, i) => parentsOf(at).some((k) => parents.has(k)) && risky.add(i));
    }
    const rows = risky.size ? await reads.sessionCells(generation, wide.from, wide.to, trunc, zone, [...risky].map((i) => starts[i])) : [];
    const table = new CellTable(
      rows.map((r) => ({ bucket: r.bucket, patientKey: r.patientKey, dims: { therapistKey: r.therapistKey, sessionType: r.sessionType, targetAudience: r.targetAudience }, counts: r })),
      SESSION_COUNTS,
      this.minCell,
      p.bucket,
      zone,
    );
    const offset = starts.findIndex((s) => s.getTime() === buckets[0].getTime());
    return buckets.map((start, k) => {
      const i = offset + k;
      let cell: Cell<SessionCount>;
      if (size[i] === 'small') cell = { bucketStart: start, suppressed: true, counts: null };
      else if (risky.has(i)) cell = table.cell(start, wanted);
      else {
        const t = counts.get(i);
        cell = { bucketStart: start, suppressed: false, counts: Object.fromEntries(SESSION_COUNTS.map((c) => [c, t ? t[c] : 0])) as Record<SessionCount, number> };
      }
      const c = cell.counts;
      return {
        ...flat(cell, SESSION_COUNTS),
        completionRate: c && c.scheduled ? c.completed / c.scheduled : null,
        cancellationRate: c && c.scheduled ? c.cancelled / c.scheduled : null,
      };
    });
  }

  /** Per bucket and currency from the hourly rollup; patient sets only where a cell (or, by day, a day of its week or month) is small. */
  async revenue(op: OperationContext, p: Period): Promise<RevenueBucket[]> {
    requireAnalyst(op.viewer);
    const { zone, range, trunc } = this.period(p);
    const reads = this.store.read(op).reads;
    const generation = await reads.activeGeneration();
    const wide = widenForDays(range, p.bucket, zone);
    const starts = bucketsOf(wide, p.bucket, zone);
    const bounds = [...starts, wide.to];
    const sums = (await reads.revenueBucketCounts(generation, bounds)).filter((t) => t.invoices > 0);
    const sizes = await this.sizes(
      (limit) => (cells) => reads.probeInvoices(generation, cells.map((k) => ({ from: bounds[sums[k].index], to: bounds[sums[k].index + 1], value: sums[k].currency })), limit),
      sums.map((_, k) => k),
    );
    const risky = new Set(sums.filter((_, k) => sizes[k] === 'small').map((t) => starts[t.index].getTime()));
    if (p.bucket === 'DAY' && risky.size > 0) {
      const parentsOf = (at: Date) => (['WEEK', 'MONTH'] as const).map((u) => `${u}${bucketStart(at, u, zone).getTime()}`);
      const parents = new Set([...risky].flatMap((t) => parentsOf(new Date(t))));
      for (const at of starts) if (parentsOf(at).some((k) => parents.has(k))) risky.add(at.getTime());
    }
    const rows = risky.size ? await reads.revenueCells(generation, wide.from, wide.to, trunc, zone, [...risky].map((t) => new Date(t))) : [];
    const table = new CellTable(
      rows.map((r) => ({ bucket: r.bucket, patientKey: r.patientKey, dims: { currency: r.currency }, counts: r })),
      REVENUE_COUNTS,
      this.minCell,
      p.bucket,
      zone,
    );
    return sums
      .map((t) => ({ ...t, bucket: starts[t.index] }))
      .filter((t) => t.bucket >= range.from && t.bucket < range.to)
      .sort((a, b) => a.bucket.getTime() - b.bucket.getTime() || a.currency.localeCompare(b.currency))
      .map((t) => {
        const cell: Cell<(typeof REVENUE_COUNTS)[number]> = risky.has(t.bucket.getTime())
          ? table.cell(t.bucket, { currency: t.currency })
          : { bucketStart: t.bucket, suppressed: false, counts: t };
        return { ...flat(cell, REVENUE_COUNTS), currency: t.currency };
      });
  }

  async crisisTrend(op: OperationContext, p: Period) {
    requireAnalyst(op.viewer);
    const { zone, range, buckets, trunc } = this.period(p);
    const reads = this.store.read(op).reads;
    const wide = widenForDays(range, p.bucket, zone);
    const rows = await reads.crisisCells(await reads.activeGeneration(), wide.from, wide.to, trunc, zone);
    const table = new CellTable(
      rows.map((r) => ({ bucket: r.bucket, patientKey: r.patientKey, dims: { level: r.level }, counts: { detections: r.detections } })),
      ['detections'] as const,
      this.minCell,
      p.bucket,
      zone,
    );
    // Each level is a cell of its own; a bucket shows both or neither (one beside the bucket's sum would be the other).
    return buckets.map((start) => {
      const crisis = table.cell(start, { level: 'CRISIS' });
      const elevated = table.cell(start, { level: 'ELEVATED' });
      const suppressed = crisis.suppressed || elevated.suppressed;
      return {
        bucketStart: start,
        suppressed,
        crisis: suppressed ? null : crisis.counts!.detections,
        elevated: suppressed ? null : elevated.counts!.detections,
      };
    });
  }

  /** New accounts by role; each account counts as a person for suppression. */
  async registrationTrend(op: OperationContext, p: Period) {
    requireAnalyst(op.viewer);
    const { zone, range, buckets, trunc } = this.period(p);
    const reads = this.store.read(op).reads;
    const wide = widenForDays(range, p.bucket, zone);
    const rows = await reads.registrationCells(await reads.activeGeneration(), wide.from, wide.to, trunc, zone);
    const table = new CellTable(
      rows.map((r) => ({ bucket: r.bucket, patientKey: r.userKey, dims: { role: r.role }, counts: { registrations: 1 } })),
      ['registrations'] as const,
      this.minCell,
      p.bucket,
      zone,
    );
    const roles = [...new Set(rows.map((r) => r.role))].sort();
    return buckets.flatMap((start) =>
      roles
        .filter((role) => rows.some((r) => r.role === role && r.bucket.getTime() === start.getTime()))
        .map((role) => {
          return { ...flat(table.cell(start, { role }), ['registrations'] as const), role };
        }),
    );
  }

  /**
   * How far ahead sessions are booked (hours) or how long they are (minutes), as a histogram of
   * the sessions scheduled in the range; each bin is a cell, and the bins split a total, so the
   * complementary rule applies across them.
   */
  async sessionDistribution(op: OperationContext, from: Date, to: Date, measure: 'LEAD_TIME' | 'DURATION') {
    requireAnalyst(op.viewer);
    const range = alignedRange(from, to, 'DAY', 'UTC');
    const edges = DISTRIBUTION_EDGES[measure];
    const reads = this.store.read(op).reads;
    const generation = await reads.activeGeneration();
    // Counts from the daily rollup; patient sets only when a bin is small (its complement is then at stake).
    const counts = await reads.distributionCounts(generation, range.from, range.to, measure);
    const filled = edges.map((_, bin) => bin).filter((bin) => (counts.get(bin) ?? 0) > 0);
    const sizes = await this.sizes((limit) => (cells) => reads.probeDistribution(generation, range.from, range.to, measure, cells.map((k) => filled[k]), limit), filled.map((_, k) => k));
    if (!sizes.includes('small')) {
      return edges.map((lowerBound, bin) => ({ lowerBound, upperBound: edges[bin + 1] ?? null, suppressed: false, sessions: counts.get(bin) ?? 0 }));
    }
    const rows = await reads.distribution(generation, range.from, range.to, measure, edges);
    const table = new CellTable(
      rows.filter((r) => r.bin >= 0).map((r) => ({ bucket: range.from, patientKey: r.patientKey, dims: { bin: String(r.bin) }, counts: { sessions: r.sessions } })),
      ['sessions'] as const,
      this.minCell,
      'MONTH', // one cell per bin; no time partition
      'UTC',
    );
    return edges.map((lowerBound, bin) => {
      const cell = table.cell(range.from, { bin: String(bin) });
      return { lowerBound, upperBound: edges[bin + 1] ?? null, suppressed: cell.suppressed, sessions: cell.counts?.sessions ?? null };
    });
  }

  async therapistUtilisation(op: OperationContext, from: Date, to: Date): Promise<TherapistUtilisation[]> {
    const viewer = requireAnalyst(op.viewer);
    if (!(from < to)) throw new InvalidInputError('from must be before to', { field: 'to' });
    const reads = this.store.read(op).reads;
    const generation = await reads.activeGeneration();
    const rows = await reads.utilisation(generation, from, to);
    const sizes = await this.sizes((limit) => (cells) => reads.probeTherapists(generation, from, to, cells.map((k) => rows[k].therapistKey), limit), rows.map((_, k) => k));
    const history = new Map<string, WorkingHoursVersion[]>();
    for (const v of await reads.workingHours(generation, rows.map((r) => r.therapistId), to)) history.set(v.therapistId, [...(history.get(v.therapistId) ?? []), v]);
    const cache = new Map<string, number>();
    return rows.map((r, k) => {
      const row = { therapistKey: r.therapistKey, therapistId: viewer.role === 'ADMIN' ? r.therapistId : null };
      // A suppressed row shows no figure at all: beside a published total or another period's row, any number on it narrows down the small cell.
      if (sizes[k] === 'small') return { ...row, suppressed: true, bookedHours: null, availableHours: null, utilisation: null };
      const available = availableHours(history.get(r.therapistId) ?? [], from, to, cache);
      const booked = r.bookedMinutes / 60;
      return { ...row, suppressed: false, bookedHours: booked, availableHours: available, utilisation: available === 0 ? null : booked / available };
    });
  }

  async status(op: OperationContext): Promise<ProjectionStatus[]> {
    requireAnalyst(op.viewer);
    const { checkpoints } = this.store.read(op);
    const now = this.clock.now().getTime();
    return Promise.all(
      (await checkpoints.all()).map(async (row) => {
        const oldest = await this.eventLog.oldestUndelivered(op.em, SUBSCRIBER_OF[row.name]);
        return {
          name: row.name,
          lastEventCursor: row.lastEventId,
          lagSeconds: oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0,
          rebuilding: row.buildingGeneration !== null,
          rebuildProgress: row.buildingGeneration === null ? null : row.rebuildTotal ? Math.min(1, (row.rebuildDone ?? 0) / row.rebuildTotal) : 0,
        };
      }),
    );
  }
}
