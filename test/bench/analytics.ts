import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventType } from '../../src/contracts/events';
import { SUBSCRIBER_OF } from '../../src/modules/analytics/services/projections';
import { AnalyticsStoreKey, type AnalyticsStore } from '../../src/modules/analytics/services/ports';
import { AnalyticsQueries } from '../../src/modules/analytics/services/queries';
import type { Viewer } from '../../src/platform/auth';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/**
 * `npm run bench:analytics`: a year of sessions for 100 therapists (~50,000, with invoices and
 * crisis detections) written straight into the projection tables (rollups recomputed from them),
 * then each analyst query run RUNS times: p50 and p99. Then projection throughput: session and
 * invoice lifecycles written into the outbox and delivered by the real dispatcher, in events/s. DATABASE_URL measures on a real PostgreSQL. Exit 1 when a query's p50 is
 * over 100 ms or the projections apply fewer than 500 events/s.
 */
const TARGET_MS = 100;
const TARGET_EVENTS_PER_S = 500;
const RUNS = 21;
const THROUGHPUT_SESSIONS = 600;
const analyst: Viewer = { userId: '00000000-0000-4000-8000-00000000000a', role: 'ANALYST' };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function seedYear(db: DatabaseHarness): Promise<void> {
  const sql = (q: string, p: unknown[] = []) => db.orm.em.fork().getConnection().execute(q, p);
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
  await sql(`insert into analytics.crisis_fact (generation, event_id, patient_key, detected_at, level)
    select 1, gen_random_uuid(), 'p' || (i % 2500), timestamptz '2026-01-01' + (i * interval '5 hours'), (array['CRISIS','ELEVATED','ELEVATED'])[1 + i % 3]
      from generate_series(1, 1700) i`);
  await db.gateway.container.get<AnalyticsStore>(AnalyticsStoreKey).transaction(db.op(), ({ facts }) => facts.recomputeRollups(1));
  await sql('analyze');
}

async function timeQueries(db: DatabaseHarness): Promise<number> {
  const queries = db.gateway.container.get(AnalyticsQueries);
  const op = () => db.op(analyst);
  const year = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), timezone: 'Europe/Berlin' };
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['sessionVolume WEEK', () => queries.sessionVolume(op(), { ...year, bucket: 'WEEK' }, {})],
    ['sessionVolume DAY', () => queries.sessionVolume(op(), { ...year, bucket: 'DAY' }, {})],
    ['sessionVolume MONTH', () => queries.sessionVolume(op(), { ...year, bucket: 'MONTH' }, {})],
    ['sessionVolume MONTH VIDEO+TEENS', () => queries.sessionVolume(op(), { ...year, bucket: 'MONTH' }, { sessionType: 'VIDEO', targetAudience: 'TEENS' })],
    ['sessionVolume WEEK therapist', () => queries.sessionVolume(op(), { ...year, bucket: 'WEEK' }, { therapistKey: 't7' })],
    ['sessionVolume WEEK Asia/Kolkata', () => queries.sessionVolume(op(), { ...year, timezone: 'Asia/Kolkata', bucket: 'WEEK' }, {})],
    ['revenue MONTH', () => queries.revenue(op(), { ...year, bucket: 'MONTH' })],
    ['revenue WEEK Asia/Kathmandu', () => queries.revenue(op(), { ...year, timezone: 'Asia/Kathmandu', bucket: 'WEEK' })],
    ['crisisTrend WEEK', () => queries.crisisTrend(op(), { ...year, bucket: 'WEEK' })],
    ['therapistUtilisation', () => queries.therapistUtilisation(op(), year.from, year.to)],
    ['sessionDistribution LEAD_TIME', () => queries.sessionDistribution(op(), year.from, year.to, 'LEAD_TIME')],
    ['sessionDistribution DURATION', () => queries.sessionDistribution(op(), year.from, year.to, 'DURATION')],
  ];
  let missed = 0;
  console.log(`query (${RUNS} runs, 50,000 sessions)          p50 ms   p99 ms`);
  for (const [name, run] of cases) {
    await run(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const [p50, p99] = [percentile(times, 50), percentile(times, 99)];
    if (p50 > TARGET_MS) missed++;
    console.log(`${p50 > TARGET_MS ? 'SLOW' : 'ok  '} ${name.padEnd(38)} ${p50.toFixed(1).padStart(7)}  ${p99.toFixed(1).padStart(7)}`);
  }
  return missed;
}

/** Session lifecycles (scheduled, accepted, ended) and their invoices (issued, paid), as the modules publish them. */
function lifecycleEvents(sessions: number): DomainEvent[] {
  const events: DomainEvent[] = [];
  const event = <T extends EventType>(type: T, aggregateId: string, at: Date, payload: DomainEvent<T>['payload']) =>
    events.push({ id: randomUUID(), type, aggregateId, occurredAt: at, payload } as DomainEvent);
  for (let i = 0; i < sessions; i++) {
    const id = randomUUID();
    const scheduledAt = new Date(Date.UTC(2026, 2, 1) + i * 3600_000);
    const snapshot = (status: string) => ({
      id, therapistId: `00000000-0000-4000-8000-${String(i % 100).padStart(12, '0')}`, patientId: `00000000-0000-4000-9000-${String(i % 2500).padStart(12, '0')}`,
      status, sessionType: 'VIDEO', targetAudience: 'INDIVIDUAL', scheduledAt: scheduledAt.toISOString(), durationMinutes: 60,
      endsAt: new Date(scheduledAt.getTime() + 3600_000).toISOString(), startedAt: null, endedAt: null, createdAt: new Date(scheduledAt.getTime() - 3 * 86400_000).toISOString(),
      price: { amountCents: 10000, currency: 'USD' },
    }) as DomainEvent<'TherapySessionScheduled'>['payload']['session'];
    event('TherapySessionScheduled', id, scheduledAt, { session: snapshot('PENDING'), actorId: null, actorRole: 'PATIENT', previousStatus: null });
    event('TherapySessionAccepted', id, scheduledAt, { session: snapshot('ACCEPTED'), actorId: null, actorRole: 'THERAPIST', previousStatus: 'PENDING' });
    event('TherapySessionEnded', id, scheduledAt, { session: snapshot('COMPLETED'), actorId: null, actorRole: 'THERAPIST', previousStatus: 'IN_PROGRESS' });
    const invoiceId = randomUUID();
    const invoice = (status: string) =>
      ({ id: invoiceId, patientId: snapshot('x').patientId, amountCents: 10000, currency: 'USD', status, reason: 'SESSION_COMPLETED', issuedAt: scheduledAt.toISOString(), paidAt: null }) as unknown as DomainEvent<'InvoiceIssued'>['payload']['invoice'];
    event('InvoiceIssued', invoiceId, scheduledAt, { invoice: invoice('OPEN') } as DomainEvent<'InvoiceIssued'>['payload']);
    event('InvoicePaid', invoiceId, scheduledAt, { invoice: invoice('PAID') } as DomainEvent<'InvoicePaid'>['payload']);
  }
  return events;
}

/**
 * The events written straight into the outbox, each with a pending delivery to its projection's
 * subscriber only, then the real dispatcher (AURA_EVENT_BATCH_SIZE per batch, the product's
 * workers) timed until every delivery is done.
 */
async function timeProjections(db: DatabaseHarness): Promise<number> {
  const events = lifecycleEvents(THROUGHPUT_SESSIONS);
  const subscriberOf = (e: DomainEvent) => SUBSCRIBER_OF[e.type.startsWith('Invoice') ? 'invoices' : 'sessions'];
  await db.orm.em.fork().transactional(async (tx) => {
    const rows = events.map((e) => ({ id: e.id, type: e.type, aggregate_id: e.aggregateId, payload: e.payload, occurred_at: e.occurredAt, subscriber: subscriberOf(e) }));
    await tx.execute(
      `with recorded as (
         insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at)
         select (e->>'id')::uuid, e->>'type', e->>'aggregate_id', e->'payload', (e->>'occurred_at')::timestamptz
           from jsonb_array_elements(?::jsonb) with ordinality as x(e, n) order by n
         returning seq, id, aggregate_id)
       insert into platform.event_delivery (event_seq, subscriber, aggregate_id)
       select r.seq, e->>'subscriber', r.aggregate_id from recorded r join jsonb_array_elements(?::jsonb) as x(e) on (e->>'id')::uuid = r.id`,
      [JSON.stringify(rows), JSON.stringify(rows.map(({ id, subscriber }) => ({ id, subscriber })))],
    );
  });
  await db.orm.em.fork().getConnection().execute('analyze platform.event_delivery, platform.domain_event'); // as autovacuum keeps a live outbox
  const start = performance.now();
  await db.gateway.events.settled();
  const perSecond = events.length / ((performance.now() - start) / 1000);
  const [{ left }] = await db.orm.em.fork().getConnection().execute<Array<{ left: number }>>(`select count(*)::int as left from platform.event_delivery where status <> 'DELIVERED'`);
  if (left > 0) throw new Error(`${left} deliveries not delivered`);
  console.log(`${perSecond < TARGET_EVENTS_PER_S ? 'SLOW' : 'ok  '} projections: ${events.length} events delivered by the dispatcher (batches of ${db.settings.eventBatchSize}), ${perSecond.toFixed(0)} events/s (target ${TARGET_EVENTS_PER_S})`);
  return perSecond < TARGET_EVENTS_PER_S ? 1 : 0;
}

async function main(): Promise<void> {
  const db = await openTestDatabase();
  try {
    // `-- queries` or `-- projections` runs only that part.
    const part = process.argv[2];
    let missed = 0;
    if (part !== 'projections') {
      await seedYear(db);
      missed += await timeQueries(db);
    }
    if (part !== 'queries') missed += await timeProjections(db);
    process.exitCode = missed ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

void main();
