/**
 * What one fact adds to the rollups the projections keep beside it (same transaction): UTC hours,
 * which re-bucket exactly into any zone whose offsets are whole hours, and UTC months per therapist
 * (whole months of a utilisation period). A fact that changes moves its contribution: the store
 * subtracts the old one and adds the new one.
 */
export const SESSION_HOUR_COUNTS = ['scheduled', 'completed', 'cancelled', 'rejected', 'no_show', 'late_cancelled'] as const;
export const INVOICE_HOUR_SUMS = ['issued', 'paid', 'void', 'invoices'] as const;

/** Statuses whose time counts as booked (held in the therapist's calendar). */
export const BOOKED_STATUSES = ['ACCEPTED', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW'] as const;

export interface SessionRollupInput {
  therapistId: string;
  therapistKey: string;
  status: string;
  scheduledAt: Date;
  durationMinutes: number;
  lateCancelled: boolean;
}

export interface InvoiceRollupInput {
  amountCents: number;
  currency: string;
  status: string;
  issuedAt: Date;
}

/** A keyed row of additive values: contributions with the same key add up. */
export interface RollupDelta<V extends string> {
  key: string;
  values: Record<V, number>;
}

const HOUR_MS = 3600_000;
export const utcHour = (at: Date): Date => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
export const utcMonth = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

export function sessionHourOf(f: SessionRollupInput): RollupDelta<(typeof SESSION_HOUR_COUNTS)[number]> {
  return {
    key: utcHour(f.scheduledAt).toISOString(),
    values: {
      scheduled: 1,
      completed: f.status === 'COMPLETED' ? 1 : 0,
      cancelled: f.status === 'CANCELLED' ? 1 : 0,
      rejected: f.status === 'REJECTED' ? 1 : 0,
      no_show: f.status === 'NO_SHOW' ? 1 : 0,
      late_cancelled: f.lateCancelled ? 1 : 0,
    },
  };
}

export function therapistMonthOf(f: SessionRollupInput): RollupDelta<'sessions' | 'booked_minutes'> {
  return {
    key: JSON.stringify([utcMonth(f.scheduledAt).toISOString(), f.therapistKey, f.therapistId]),
    values: { sessions: 1, booked_minutes: (BOOKED_STATUSES as readonly string[]).includes(f.status) ? f.durationMinutes : 0 },
  };
}

export type DistributionMeasure = 'LEAD_TIME' | 'DURATION';

/** Histogram bins by lower bound: lead time in hours (a day, three days, a week, two weeks), duration in minutes. */
export const DISTRIBUTION_EDGES: Record<DistributionMeasure, readonly number[]> = { LEAD_TIME: [0, 24, 72, 168, 336], DURATION: [0, 45, 60, 90] };

/** The bin (index into the measure's edges) of a value: the last lower bound it reaches; -1 below the first. */
export function binOf(value: number, edges: readonly number[]): number {
  let bin = -1;
  while (bin + 1 < edges.length && value >= edges[bin + 1]) bin++;
  return bin;
}

const utcDay = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** A session's place in the lead-time and duration histograms, per UTC day of its scheduled start (sessionDistribution's ranges are whole UTC days). */
export function sessionBinsOf(f: SessionRollupInput & { leadMinutes: number }): Array<RollupDelta<'sessions'>> {
  const day = utcDay(f.scheduledAt).toISOString();
  return [
    { key: JSON.stringify([day, 'LEAD_TIME', binOf(f.leadMinutes / 60, DISTRIBUTION_EDGES.LEAD_TIME)]), values: { sessions: 1 } },
    { key: JSON.stringify([day, 'DURATION', binOf(f.durationMinutes, DISTRIBUTION_EDGES.DURATION)]), values: { sessions: 1 } },
  ];
}

export function invoiceHourOf(f: InvoiceRollupInput): RollupDelta<(typeof INVOICE_HOUR_SUMS)[number]> {
  return {
    key: JSON.stringify([utcHour(f.issuedAt).toISOString(), f.currency]),
    values: { issued: f.amountCents, paid: f.status === 'PAID' ? f.amountCents : 0, void: f.status === 'VOID' ? f.amountCents : 0, invoices: 1 },
  };
}

/**
 * What a set of facts changing moves in a rollup: for each, new - old (old null: a new fact), summed
 * per key, leaving out keys whose values do not change. One upsert per key applies it.
 */
export function rollupChanges<V extends string>(
  changes: ReadonlyArray<{ before: RollupDelta<V> | ReadonlyArray<RollupDelta<V>> | null; after: RollupDelta<V> | ReadonlyArray<RollupDelta<V>> }>,
): Array<RollupDelta<V>> {
  const byKey = new Map<string, Record<V, number>>();
  const add = (d: RollupDelta<V>, sign: number) => {
    const values = byKey.get(d.key) ?? (Object.fromEntries(Object.keys(d.values).map((k) => [k, 0])) as Record<V, number>);
    for (const k of Object.keys(d.values) as V[]) values[k] += sign * d.values[k];
    byKey.set(d.key, values);
  };
  const list = (d: RollupDelta<V> | ReadonlyArray<RollupDelta<V>>) => ('key' in d ? [d] : d) as Array<RollupDelta<V>>;
  for (const { before, after } of changes) {
    if (before) for (const d of list(before)) add(d, -1);
    for (const d of list(after)) add(d, 1);
  }
  return [...byKey].filter(([, v]) => Object.values<number>(v).some((x) => x !== 0)).map(([key, values]) => ({ key, values }));
}

/** new - old for one fact. */
export const rollupChange = <V extends string>(before: RollupDelta<V> | null, after: RollupDelta<V>): Array<RollupDelta<V>> => rollupChanges([{ before, after }]);
