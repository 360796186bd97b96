import { availableHours, workingHoursBetween } from '../../src/modules/analytics/models/available-hours';
import { binOf, DISTRIBUTION_EDGES, invoiceHourOf, rollupChange, rollupChanges, sessionBinsOf, sessionHourOf, therapistMonthOf } from '../../src/modules/analytics/models/rollups';
import { foldFacts, mergeInvoice, mergeSession, type SessionFact } from '../../src/modules/analytics/models/facts';

const at = (iso: string) => new Date(iso);

describe('available hours from weekly working hours', () => {
  it('counts each local day\'s windows in the zone, clipped to the period', () => {
    const weekdays = { hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })), timezone: 'Europe/Berlin' };
    expect(workingHoursBetween(weekdays, at('2026-12-07T00:00:00Z'), at('2026-12-14T00:00:00Z'))).toBe(40);
    // Starting Monday 12:00 Berlin (11:00 UTC): 5 hours of Monday are left.
    expect(workingHoursBetween(weekdays, at('2026-12-07T11:00:00Z'), at('2026-12-08T00:00:00Z'))).toBe(5);
  });

  it('keeps a day\'s hours whole across a DST change, and "24:00" ends at the next midnight', () => {
    const sunday = { hours: [{ weekday: 7, start: '00:00', end: '24:00' }], timezone: 'Europe/Berlin' };
    // 2026-03-29: clocks go forward, the local day has 23 hours.
    expect(workingHoursBetween(sunday, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toBe(23);
    const morning = { hours: [{ weekday: 7, start: '09:00', end: '17:00' }], timezone: 'Europe/Berlin' };
    expect(workingHoursBetween(morning, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toBe(8);
  });

  it('follows the history: defaults (Mon-Fri 09-17) before the first schedule, each schedule from when it was set', () => {
    const history = [{ validFrom: at('2026-12-09T00:00:00Z'), hours: [{ weekday: 3, start: '10:00', end: '12:00' }], timezone: 'UTC' }];
    // Mon and Tue by default (16 h), then Wednesday 2 h.
    expect(availableHours(history, at('2026-12-07T00:00:00Z'), at('2026-12-14T00:00:00Z'))).toBe(18);
    expect(availableHours([], at('2026-12-07T00:00:00Z'), at('2026-12-14T00:00:00Z'))).toBe(40);
    expect(availableHours([{ ...history[0], hours: [], validFrom: at('2026-12-01T00:00:00Z') }], at('2026-12-07T00:00:00Z'), at('2026-12-14T00:00:00Z'))).toBe(0);
  });
});

describe('rollup contributions', () => {
  const session = { therapistId: 't', therapistKey: 'k', status: 'PENDING', scheduledAt: at('2026-12-07T10:30:00Z'), durationMinutes: 50, lateCancelled: false };

  it('moves a session between counts as its status changes, and changes nothing when nothing counted changes', () => {
    expect(rollupChange(null, sessionHourOf(session))).toEqual([
      { key: '2026-12-07T10:00:00.000Z', values: { scheduled: 1, completed: 0, cancelled: 0, rejected: 0, no_show: 0, late_cancelled: 0 } },
    ]);
    const accepted = { ...session, status: 'ACCEPTED' };
    expect(rollupChange(sessionHourOf(session), sessionHourOf(accepted))).toEqual([]);
    expect(rollupChange(therapistMonthOf(session), therapistMonthOf(accepted))).toEqual([
      { key: JSON.stringify(['2026-12-01T00:00:00.000Z', 'k', 't']), values: { sessions: 0, booked_minutes: 50 } },
    ]);
    const cancelled = { ...accepted, status: 'CANCELLED', lateCancelled: true };
    expect(rollupChange(sessionHourOf(accepted), sessionHourOf(cancelled))[0].values).toEqual({ scheduled: 0, completed: 0, cancelled: 1, rejected: 0, no_show: 0, late_cancelled: 1 });
  });

  it('puts a session in a lead-time and a duration bin of its UTC day, by lower bounds (the last open-ended)', () => {
    expect([0, 23.99, 24, 335, 336, 9000].map((h) => binOf(h, DISTRIBUTION_EDGES.LEAD_TIME))).toEqual([0, 0, 1, 3, 4, 4]);
    expect(sessionBinsOf({ ...session, leadMinutes: 72 * 60 })).toEqual([
      { key: JSON.stringify(['2026-12-07T00:00:00.000Z', 'LEAD_TIME', 2]), values: { sessions: 1 } },
      { key: JSON.stringify(['2026-12-07T00:00:00.000Z', 'DURATION', 1]), values: { sessions: 1 } },
    ]);
  });

  it('takes an invoice\'s amount into paid or void with its status', () => {
    const open = { amountCents: 9000, currency: 'EUR', status: 'OPEN', issuedAt: at('2026-12-07T10:59:59Z') };
    expect(rollupChange(invoiceHourOf(open), invoiceHourOf({ ...open, status: 'PAID' }))).toEqual([
      { key: JSON.stringify(['2026-12-07T10:00:00.000Z', 'EUR']), values: { issued: 0, paid: 9000, void: 0, invoices: 0 } },
    ]);
  });
});

describe('a run of facts folded as one event at a time would leave them', () => {
  const fact = (over: Partial<SessionFact>): SessionFact => ({
    sessionId: 's1', therapistId: 't', therapistKey: 'k', patientKey: 'p', sessionType: 'VIDEO', targetAudience: 'INDIVIDUAL', status: 'PENDING',
    scheduledAt: at('2026-12-07T10:30:00Z'), durationMinutes: 50, bookedAt: at('2026-12-01T08:00:00Z'), leadMinutes: 8910, startedAt: null, endedAt: null,
    lateCancelled: false, priceCents: 9000, currency: 'EUR', ...over,
  });

  it('keeps the booking\'s own facts and a late cancellation once known, takes the latest state, per session', () => {
    const stored = new Map([['s1', fact({ status: 'ACCEPTED' })]]);
    const run = [
      fact({ status: 'CANCELLED', lateCancelled: true, bookedAt: at('2026-12-05T00:00:00Z'), leadMinutes: 1 }),
      fact({ sessionId: 's2', status: 'PENDING' }),
      fact({ status: 'CANCELLED', lateCancelled: false }),
      fact({ sessionId: 's2', status: 'ACCEPTED', scheduledAt: at('2026-12-08T11:00:00Z') }),
    ];
    const after = foldFacts(run, (f) => f.sessionId, stored, mergeSession);
    expect(after.get('s1')).toEqual(fact({ status: 'CANCELLED', lateCancelled: true }));
    expect(after.get('s2')).toEqual(fact({ sessionId: 's2', status: 'ACCEPTED', scheduledAt: at('2026-12-08T11:00:00Z') }));
    // The rollup change of the run is the sum of each session's old -> new.
    const changes = rollupChanges([...after].map(([id, f]) => ({ before: stored.has(id) ? sessionHourOf(stored.get(id)!) : null, after: sessionHourOf(f) })));
    expect(changes).toEqual([
      { key: '2026-12-07T10:00:00.000Z', values: { scheduled: 0, completed: 0, cancelled: 1, rejected: 0, no_show: 0, late_cancelled: 1 } },
      { key: '2026-12-08T11:00:00.000Z', values: { scheduled: 1, completed: 0, cancelled: 0, rejected: 0, no_show: 0, late_cancelled: 0 } },
    ]);
  });

  it('changes an invoice\'s state and amount only: patient, currency and issue time stay as first recorded', () => {
    const first = { invoiceId: 'i', patientKey: 'p', amountCents: 9000, currency: 'EUR', status: 'OPEN', reason: 'SESSION_COMPLETED', issuedAt: at('2026-12-07T10:00:00Z'), paidAt: null };
    const paid = { ...first, currency: 'USD', issuedAt: at('2026-12-09T10:00:00Z'), status: 'PAID', amountCents: 9500, paidAt: at('2026-12-08T10:00:00Z') };
    expect(mergeInvoice(first, paid)).toEqual({ ...first, status: 'PAID', amountCents: 9500, paidAt: at('2026-12-08T10:00:00Z') });
    expect(mergeInvoice(null, paid)).toBe(paid);
  });
});
