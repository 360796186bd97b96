import { sessionFactOf } from '../../src/modules/analytics/models/facts';
import { alignedRange, bucketStart, bucketsOf, checkedZone, MAX_BUCKETS, nextBucket, type Bucket } from '../../src/modules/analytics/models/bucketing';
import { CellTable, widenForDays, type CellRow } from '../../src/modules/analytics/models/cells';
import { suppressedInPartition } from '../../src/modules/analytics/models/suppression';

const patients = (prefix: string, n: number) => new Set(Array.from({ length: n }, (_, i) => `${prefix}${i}`));

describe('analytics time buckets', () => {
  it('starts days, ISO weeks (Monday) and months at local midnight of the chosen zone', () => {
    const at = new Date('2026-03-01T02:30:00Z'); // a Sunday; 03:30 in Berlin, 21:30 on Feb 28 in New York
    expect(bucketStart(at, 'DAY', 'Europe/Berlin').toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(bucketStart(at, 'DAY', 'America/New_York').toISOString()).toBe('2026-02-28T05:00:00.000Z');
    expect(bucketStart(at, 'WEEK', 'UTC').toISOString()).toBe('2026-02-23T00:00:00.000Z');
    expect(bucketStart(at, 'MONTH', 'America/New_York').toISOString()).toBe('2026-02-01T05:00:00.000Z');
  });

  it('widens a range to whole buckets and lists each bucket once, across a DST change', () => {
    const range = alignedRange(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-30T01:00:00Z'), 'DAY', 'Europe/Berlin');
    expect(range).toEqual({ from: new Date('2026-03-27T23:00:00Z'), to: new Date('2026-03-30T22:00:00Z') });
    expect(bucketsOf(range, 'DAY', 'Europe/Berlin').map((d) => d.toISOString())).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z', // the 23-hour day
      '2026-03-29T22:00:00.000Z',
    ]);
  });

  it("steps bucket to bucket exactly as luxon's plus and startOf do, through every kind of clock change", () => {
    // Midnight that does not exist (Santiago, Havana, Beirut), half-hour DST (Lord Howe), a skipped
    // day (Apia, 2011-12-30), negative DST (Dublin), Ramadan pauses (Casablanca), odd offsets.
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe', 'Pacific/Apia', 'Europe/Dublin', 'Africa/Casablanca', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Sao_Paulo', 'Asia/Kolkata'];
    const years: Record<Bucket, [string, string]> = { DAY: ['2010-06-01', '2013-06-01'], WEEK: ['2005-01-01', '2020-01-01'], MONTH: ['1990-01-01', '2030-01-01'] };
    for (const zone of zones) {
      for (const bucket of ['DAY', 'WEEK', 'MONTH'] as const) {
        const range = alignedRange(new Date(years[bucket][0]), new Date(years[bucket][1]), bucket, zone);
        const expected: string[] = [];
        for (let at = range.from; at < range.to; at = nextBucket(at, bucket, zone)) expected.push(at.toISOString());
        expect({ zone, bucket, starts: bucketsOf(range, bucket, zone).map((d) => d.toISOString()) }).toEqual({ zone, bucket, starts: expected });
      }
    }
  });

  it('lists at most as many buckets as asked: three centuries of days are not built only to be refused', () => {
    const range = alignedRange(new Date('1900-01-01T00:00:00Z'), new Date('2200-01-01T00:00:00Z'), 'DAY', 'Europe/Berlin');
    const capped = bucketsOf(range, 'DAY', 'Europe/Berlin', MAX_BUCKETS + 1);
    expect(capped).toHaveLength(MAX_BUCKETS + 1);
    expect(capped.slice(0, 3)).toEqual(bucketsOf({ from: range.from, to: capped[3] }, 'DAY', 'Europe/Berlin'));
  });

  it('refuses an unknown zone and an empty range as bad input', () => {
    expect(() => checkedZone('Mars/Olympus')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => alignedRange(new Date('2026-01-02'), new Date('2026-01-01'), 'DAY', 'UTC')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('covers the weeks and months around DAY buckets, whose totals other queries publish', () => {
    const wide = widenForDays({ from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-04-02T00:00:00Z') }, 'DAY', 'UTC');
    expect(wide).toEqual({ from: new Date('2026-03-30T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z') });
  });
});

describe('small-cell and complementary suppression', () => {
  it('suppresses cells of 1-10 patients, never an empty one, and hides a second cell when one alone would be recoverable', () => {
    const cells = [
      { key: 'CHAT', patients: patients('c', 3) },
      { key: 'VIDEO', patients: patients('v', 40) },
      { key: 'AUDIO', patients: patients('a', 12) },
      { key: 'NONE', patients: new Set<string>() },
    ];
    expect([...suppressedInPartition(cells, 11)].sort()).toEqual(['AUDIO', 'CHAT']);
    expect(suppressedInPartition([{ key: 'X', patients: patients('x', 11) }, { key: 'Y', patients: new Set<string>() }], 11).size).toBe(0);
  });

  it('needs no second cell when the suppressed ones together cover enough distinct patients', () => {
    const cells = [
      { key: 'A', patients: patients('a', 6) },
      { key: 'B', patients: patients('b', 6) },
      { key: 'C', patients: patients('c', 50) },
    ];
    expect([...suppressedInPartition(cells, 11)].sort()).toEqual(['A', 'B']);
    // The same six patients in both cells: together still six, so C must go too.
    expect([...suppressedInPartition([cells[0], { key: 'B', patients: patients('a', 6) }, cells[2]], 11)].sort()).toEqual(['A', 'B', 'C']);
  });

  type Dim = 'sessionType';
  const day = (d: number) => new Date(Date.UTC(2026, 3, d)); // April 2026; the 6th is a Monday
  const rows = (d: number, type: string, prefix: string, n: number): Array<CellRow<Dim, 'scheduled'>> =>
    [...patients(prefix, n)].map((p) => ({ bucket: day(d), dims: { sessionType: type }, patientKey: p, counts: { scheduled: 1 } }));

  it('no filter combination or day/week difference reveals a small cell', () => {
    const data = [...rows(6, 'VIDEO', 'v', 30), ...rows(6, 'CHAT', 'c', 2), ...rows(6, 'AUDIO', 'a', 20), ...rows(7, 'VIDEO', 'w', 25), ...rows(8, 'VIDEO', 'x', 4)];
    const days = new CellTable(data, ['scheduled'], 11, 'DAY', 'UTC');
    // Total of the day is published; so must not be VIDEO and AUDIO both, or CHAT = total - VIDEO - AUDIO.
    expect(days.cell(day(6), {}).counts).toEqual({ scheduled: 52 });
    expect(days.cell(day(6), { sessionType: 'CHAT' }).suppressed).toBe(true);
    expect(days.cell(day(6), { sessionType: 'AUDIO' }).suppressed).toBe(true);
    expect(days.cell(day(6), { sessionType: 'VIDEO' }).counts).toEqual({ scheduled: 30 });
    // The 8th is small; the week's total is a WEEK query, so another day of that week is hidden too.
    expect(days.cell(day(8), {}).suppressed).toBe(true);
    expect(days.cell(day(7), {}).suppressed).toBe(true); // the smallest other day of the week
    expect(days.cell(day(7), { sessionType: 'VIDEO' }).suppressed).toBe(true);
    expect(days.cell(day(9), {})).toEqual({ bucketStart: day(9), suppressed: false, counts: { scheduled: 0 } });
  });
});

describe('session facts from events', () => {
  const session = {
    id: 's1', therapistId: 't1', patientId: 'p1', status: 'CANCELLED' as const, sessionType: 'VIDEO' as const, targetAudience: 'INDIVIDUAL' as const,
    scheduledAt: '2026-12-08T10:00:00.000Z', durationMinutes: 60, endsAt: '2026-12-08T11:00:00.000Z', startedAt: null, endedAt: null,
    createdAt: '2026-12-01T10:00:00.000Z', price: { amountCents: 10000, currency: 'USD' },
  };
  const cancelled = (at: string, actorRole: 'PATIENT' | 'THERAPIST') =>
    sessionFactOf(
      { id: 'e1', type: 'TherapySessionCancelled', aggregateId: 's1', occurredAt: new Date(at), payload: { session, actorId: 'x', actorRole, previousStatus: 'ACCEPTED' } },
      (kind, id) => `${kind}-key-of-${id.length}`,
    );

  it('keeps pseudonyms, lead time and price, and counts a patient cancelling under 24 hours ahead as late', () => {
    expect(cancelled('2026-12-07T12:00:00Z', 'PATIENT')).toMatchObject({ patientKey: 'patient-key-of-2', leadMinutes: 7 * 24 * 60, priceCents: 10000, lateCancelled: true });
    expect(cancelled('2026-12-07T09:00:00Z', 'PATIENT').lateCancelled).toBe(false);
    expect(cancelled('2026-12-07T12:00:00Z', 'THERAPIST').lateCancelled).toBe(false);
  });
});
