import { bucketStart, type Bucket } from './bucketing';
import { isSmall, suppressedInPartition, type PartitionCell } from './suppression';

/** A fact row grouped by bucket, dimension values and patient, with additive counts. */
export interface CellRow<D extends string, C extends string> {
  bucket: Date;
  dims: Record<D, string>;
  patientKey: string;
  counts: Record<C, number>;
}

export interface Cell<C extends string> {
  bucketStart: Date;
  suppressed: boolean;
  counts: Record<C, number> | null;
}

type Filter<D extends string> = Partial<Record<D, string>>;

const matches = <D extends string>(dims: Record<D, string>, filter: Filter<D>): boolean =>
  (Object.keys(filter) as D[]).every((d) => filter[d] === undefined || dims[d] === filter[d]);

/**
 * Answers cells (bucket x filter) from grouped rows with small-cell and complementary suppression:
 * a cell is suppressed if it is small, or if it is suppressed in any partition a published total
 * splits it into: the values of each filtered dimension within its bucket (the unfiltered query is
 * the total), and, for DAY buckets, the days of its week and of its month (the WEEK and MONTH queries).
 * `rows` must cover the whole weeks and months around DAY buckets (see widenForDays).
 */
export class CellTable<D extends string, C extends string> {
  private readonly byBucket = new Map<number, Array<CellRow<D, C>>>();

  constructor(
    rows: ReadonlyArray<CellRow<D, C>>,
    private readonly countNames: readonly C[],
    private readonly minCell: number,
    private readonly bucket: Bucket,
    private readonly zone: string,
  ) {
    for (const row of rows) {
      const key = row.bucket.getTime();
      const list = this.byBucket.get(key) ?? [];
      list.push(row);
      this.byBucket.set(key, list);
    }
  }

  cell(start: Date, filter: Filter<D>): Cell<C> {
    const rows = (this.byBucket.get(start.getTime()) ?? []).filter((r) => matches(r.dims, filter));
    const patients = new Set(rows.map((r) => r.patientKey));
    if (isSmall(patients.size, this.minCell) || this.suppressedByComplement(start, filter)) return { bucketStart: start, suppressed: true, counts: null };
    const counts = Object.fromEntries(this.countNames.map((c) => [c, 0])) as Record<C, number>;
    for (const row of rows) for (const c of this.countNames) counts[c] += row.counts[c];
    return { bucketStart: start, suppressed: false, counts };
  }

  private patientsOf(start: number, filter: Filter<D>): Set<string> {
    return new Set((this.byBucket.get(start) ?? []).filter((r) => matches(r.dims, filter)).map((r) => r.patientKey));
  }

  private readonly parents = new Map<string, number>();

  private parentOf(day: number, unit: Bucket): number {
    const key = `${unit}:${day}`;
    let parent = this.parents.get(key);
    if (parent === undefined) {
      parent = bucketStart(new Date(day), unit, this.zone).getTime();
      this.parents.set(key, parent);
    }
    return parent;
  }

  private suppressedByComplement(start: Date, filter: Filter<D>): boolean {
    const key = start.getTime();
    for (const d of Object.keys(filter) as D[]) {
      if (filter[d] === undefined) continue;
      const parent = { ...filter, [d]: undefined };
      const values = new Set((this.byBucket.get(key) ?? []).filter((r) => matches(r.dims, parent)).map((r) => r.dims[d]));
      const cells: PartitionCell[] = [...values].map((v) => ({ key: v, patients: this.patientsOf(key, { ...filter, [d]: v }) }));
      if (suppressedInPartition(cells, this.minCell).has(filter[d]!)) return true;
    }
    if (this.bucket === 'DAY') {
      for (const unit of ['WEEK', 'MONTH'] as const) {
        const parent = this.parentOf(key, unit);
        const days = [...this.byBucket.keys()].filter((k) => this.parentOf(k, unit) === parent);
        const cells = days.map((k) => ({ key: String(k), patients: this.patientsOf(k, filter) }));
        if (suppressedInPartition(cells, this.minCell).has(String(key))) return true;
      }
    }
    return false;
  }
}

/** For DAY buckets the rows must span the enclosing weeks and months, whose totals other queries publish. */
export function widenForDays(range: { from: Date; to: Date }, bucket: Bucket, zone: string): { from: Date; to: Date } {
  if (bucket !== 'DAY') return range;
  const from = Math.min(bucketStart(range.from, 'WEEK', zone).getTime(), bucketStart(range.from, 'MONTH', zone).getTime());
  const lastDay = new Date(range.to.getTime() - 1);
  const weekEnd = bucketStart(new Date(bucketStart(lastDay, 'WEEK', zone).getTime() + 8 * 86400_000), 'WEEK', zone);
  const monthEnd = bucketStart(new Date(bucketStart(lastDay, 'MONTH', zone).getTime() + 32 * 86400_000), 'MONTH', zone);
  return { from: new Date(from), to: new Date(Math.max(weekEnd.getTime(), monthEnd.getTime())) };
}
