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
export function rollupChanges<V extends string>(changes: ReadonlyArray<{ before: RollupDelta<V> | null; after: RollupDelta<V> }>): Array<RollupDelta<V>> {
  const byKey = new Map<string, Record<V, number>>();
  const add = (d: RollupDelta<V>, sign: number) => {
    const values = byKey.get(d.key) ?? (Object.fromEntries(Object.keys(d.values).map((k) => [k, 0])) as Record<V, number>);
    for (const k of Object.keys(d.values) as V[]) values[k] += sign * d.values[k];
    byKey.set(d.key, values);
  };
  for (const { before, after } of changes) {
    if (before) add(before, -1);
    add(after, 1);
  }
  return [...byKey].filter(([, v]) => Object.values<number>(v).some((x) => x !== 0)).map(([key, values]) => ({ key, values }));
}

/** new - old for one fact. */
export const rollupChange = <V extends string>(before: RollupDelta<V> | null, after: RollupDelta<V>): Array<RollupDelta<V>> => rollupChanges([{ before, after }]);
