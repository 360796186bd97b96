import type { Viewer } from '../../src/platform/auth';
import { AnalyticsQueries, type SessionFilter } from '../../src/modules/analytics/services/queries';
import { AnalyticsStoreKey, type AnalyticsStore } from '../../src/modules/analytics/services/ports';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const MIN_CELL = 3;
const analyst: Viewer = { userId: '00000000-0000-4000-8000-00000000000a', role: 'ANALYST' };
const DAY_MS = 86400_000;
const MONDAY = Date.UTC(2026, 11, 7);
const THERAPISTS = ['k1', 'k2'];
const TYPES = ['CHAT', 'VIDEO', 'AUDIO'];
const AUDIENCES = ['INDIVIDUAL', 'COUPLES', 'TEENS', 'MEDICATION', 'VETERANS'];

interface Session { day: number; therapist: string; type: string; audience: string; patient: string }

/** A small practice with a deterministic spread of sessions: some cells large, many small. */
function fixture(seed: number): Session[] {
  let state = seed;
  const next = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
  return Array.from({ length: 70 }, () => ({
    day: next(7), therapist: THERAPISTS[next(2)], type: TYPES[next(3)], audience: AUDIENCES[next(2)], patient: `p${next(12)}`,
  }));
}

/** A reduced basis of the published cells' indicator rows (Gauss-Jordan): `inSpan` says whether a row is a sum/difference of them. */
function spanOf(rows: number[][]): { inSpan(row: number[]): boolean } {
  const basis: Array<{ pivot: number; row: number[] }> = [];
  const reduce = (row: number[]) => {
    const r = [...row];
    for (const b of basis) {
      const f = r[b.pivot];
      if (Math.abs(f) > 1e-9) for (let k = 0; k < r.length; k++) r[k] -= f * b.row[k];
    }
    return r;
  };
  for (const row of rows) {
    const r = reduce(row);
    const pivot = r.findIndex((v) => Math.abs(v) > 1e-9);
    if (pivot < 0) continue;
    const scaled = r.map((v) => v / r[pivot]);
    for (const b of basis) {
      const f = b.row[pivot];
      if (Math.abs(f) > 1e-9) for (let k = 0; k < scaled.length; k++) b.row[k] -= f * scaled[k];
    }
    basis.push({ pivot, row: scaled });
  }
  return { inSpan: (row) => reduce(row).every((v) => Math.abs(v) < 1e-9) };
}

/**
 * Property: over every combination of the filters sessionVolume offers (therapist, type, audience,
 * each unset or any value) and every bucket size, no published cell comes from 1..MIN_CELL-1
 * patients, and no suppressed cell can be worked out from the published ones by any sum or
 * difference (its indicator over the finest cells is outside the span of the published ones).
 */
describe('analytics disclosure control over every filter combination', () => {
  let db: DatabaseHarness;

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_ANALYTICS_MIN_CELL: String(MIN_CELL) });
  });
  afterAll(() => db.destroy());

  it.each([7, 42])('reveals no small cell, directly or by differencing (fixture seed %i)', async (seed) => {
    const sessions = fixture(seed);
    const sql = (q: string, p: unknown[] = []) => db.orm.em.fork().getConnection().execute(q, p);
    await sql('delete from analytics.session_fact');
    for (const s of sessions) {
      await sql(
        `insert into analytics.session_fact (generation, session_id, therapist_id, therapist_key, patient_key, session_type, target_audience, status,
           scheduled_at, duration_minutes, booked_at, lead_minutes) values (1, gen_random_uuid(), gen_random_uuid(), ?, ?, ?, ?, 'COMPLETED', ?, 60, ?, 0)`,
        [s.therapist, s.patient, s.type, s.audience, new Date(MONDAY + s.day * DAY_MS + 10 * 3600_000), new Date(MONDAY)],
      );
    }
    await db.gateway.container.get<AnalyticsStore>(AnalyticsStoreKey).transaction(db.op(), ({ facts }) => facts.recomputeRollups(1));
    const queries = db.gateway.container.get(AnalyticsQueries);
    // The finest cells: day x therapist x type x audience.
    const base: Array<Omit<Session, 'patient'>> = [];
    for (let day = 0; day < 7; day++) for (const therapist of THERAPISTS) for (const type of TYPES) for (const audience of AUDIENCES) base.push({ day, therapist, type, audience });
    const published: number[][] = [];
    const suppressed: Array<{ vector: number[]; what: string }> = [];
    for (const bucket of ['DAY', 'WEEK', 'MONTH'] as const) {
      for (const therapistKey of [undefined, ...THERAPISTS]) {
        for (const sessionType of [undefined, ...TYPES]) {
          for (const targetAudience of [undefined, ...AUDIENCES]) {
            const filter: SessionFilter = { therapistKey, sessionType, targetAudience };
            const cells = await queries.sessionVolume(db.op(analyst), { from: new Date(MONDAY), to: new Date(MONDAY + 7 * DAY_MS), bucket, timezone: 'UTC' }, filter);
            for (const cell of cells) {
              const start = (cell.bucketStart.getTime() - MONDAY) / DAY_MS;
              const end = bucket === 'DAY' ? start + 1 : bucket === 'WEEK' ? start + 7 : (Date.UTC(2027, 0, 1) - MONDAY) / DAY_MS;
              const inCell = (s: Omit<Session, 'patient'>) =>
                s.day >= start && s.day < end && (!therapistKey || s.therapist === therapistKey) && (!sessionType || s.type === sessionType) && (!targetAudience || s.audience === targetAudience);
              const patients = new Set(sessions.filter(inCell).map((s) => s.patient)).size;
              const vector = base.map((b) => (inCell(b) ? 1 : 0));
              const what = `${bucket} ${cell.bucketStart.toISOString()} ${JSON.stringify(filter)}`;
              if (cell.suppressed) {
                suppressed.push({ vector, what });
              } else {
                expect({ what, small: patients > 0 && patients < MIN_CELL }).toEqual({ what, small: false });
                expect({ what, scheduled: cell.scheduled }).toEqual({ what, scheduled: sessions.filter(inCell).length });
                published.push(vector);
              }
            }
          }
        }
      }
    }
    expect(suppressed.length).toBeGreaterThan(0);
    const span = spanOf(published);
    const recoverable = suppressed.filter(({ vector }) => span.inSpan(vector)).map((s) => s.what);
    expect(recoverable).toEqual([]);
  });
});
