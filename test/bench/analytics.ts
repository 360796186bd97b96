import 'reflect-metadata';
import { AnalyticsQueries } from '../../src/modules/analytics/services/queries';
import type { Viewer } from '../../src/platform/auth';
import { openTestDatabase } from '../support/database-harness';

/**
 * `npm run bench:analytics`: a year of sessions for 100 therapists (~50,000, with invoices and
 * crisis detections) written straight into the projection tables, then each analyst query timed
 * (median of 5). DATABASE_URL measures on a real PostgreSQL. Target: every query under 100 ms.
 */
const TARGET_MS = 100;
const analyst: Viewer = { userId: '00000000-0000-4000-8000-00000000000a', role: 'ANALYST' };

async function main(): Promise<void> {
  const db = await openTestDatabase();
  const sql = (q: string, p: unknown[] = []) => db.orm.em.fork().getConnection().execute(q, p);
  try {
    await sql(`insert into analytics.session_fact (generation, session_id, therapist_id, therapist_key, patient_key, session_type, target_audience, status,
        scheduled_at, duration_minutes, booked_at, lead_minutes, late_cancelled, price_cents, currency)
      select 1, gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad((i % 100)::text, 12, '0'))::uuid, 't' || (i % 100), 'p' || (i % 2500),
        (array['CHAT','VIDEO','AUDIO'])[1 + i % 3], (array['INDIVIDUAL','COUPLES','TEENS','MEDICATION','VETERANS'])[1 + i % 5],
        (array['COMPLETED','COMPLETED','COMPLETED','CANCELLED','NO_SHOW','REJECTED'])[1 + i % 6],
        timestamptz '2026-01-01' + (i * interval '631 seconds'), 60, timestamptz '2026-01-01' + (i * interval '631 seconds') - interval '3 days', 4320,
        i % 17 = 0, 10000, 'USD'
      from generate_series(1, 50000) i`);
    await sql(`insert into analytics.invoice_fact (generation, invoice_id, patient_key, amount_cents, currency, status, reason, issued_at)
      select 1, gen_random_uuid(), 'p' || (i % 2500), 10000, (array['USD','EUR'])[1 + i % 2], (array['OPEN','PAID','PAID','VOID'])[1 + i % 4], 'SESSION_COMPLETED',
        timestamptz '2026-01-01' + (i * interval '700 seconds') from generate_series(1, 40000) i`);
    await sql(`insert into analytics.crisis_fact (generation, event_id, patient_key, detected_at)
      select 1, gen_random_uuid(), 'p' || (i % 2500), timestamptz '2026-01-01' + (i * interval '5 hours') from generate_series(1, 1700) i`);
    await sql('analyze');
    const queries = db.gateway.container.get(AnalyticsQueries);
    const op = () => db.op(analyst);
    const year = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), timezone: 'Europe/Berlin' };
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['sessionVolume WEEK', () => queries.sessionVolume(op(), { ...year, bucket: 'WEEK' }, {})],
      ['sessionVolume DAY', () => queries.sessionVolume(op(), { ...year, bucket: 'DAY' }, {})],
      ['sessionVolume MONTH VIDEO+TEENS', () => queries.sessionVolume(op(), { ...year, bucket: 'MONTH' }, { sessionType: 'VIDEO', targetAudience: 'TEENS' })],
      ['sessionVolume WEEK therapist', () => queries.sessionVolume(op(), { ...year, bucket: 'WEEK' }, { therapistKey: 't7' })],
      ['revenue MONTH', () => queries.revenue(op(), { ...year, bucket: 'MONTH' })],
      ['crisisTrend WEEK', () => queries.crisisTrend(op(), { ...year, bucket: 'WEEK' })],
      ['therapistUtilisation', () => queries.therapistUtilisation(op(), year.from, year.to)],
    ];
    let missed = 0;
    for (const [name, run] of cases) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await run();
        times.push(performance.now() - start);
      }
      const median = times.sort((a, b) => a - b)[2];
      if (median > TARGET_MS) missed++;
      console.log(`${median > TARGET_MS ? 'SLOW' : 'ok  '} ${name.padEnd(34)} ${median.toFixed(1)} ms`);
    }
    process.exitCode = missed ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

void main();
