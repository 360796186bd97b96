import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadSettings } from '../../src/config/env';
import type { DomainEvent } from '../../src/contracts/events';
import { connectOrm, migrateToLatest, openDatabase } from '../../src/platform/database';
import { assembleGateway } from '../../src/platform/gateway/gateway';
import { createLogger } from '../../src/platform/logger';

/**
 * `npm run bench:outbox` (issue 13): the outbox dispatcher of one instance on PostgreSQL, with the
 * real module subscribers (UserRegistered: the live `graphql-subscriptions` delivery and the
 * analytics registration projection).
 *  (a) drain: `drainDeliveries` pending deliveries written straight into the outbox, then the
 *      dispatcher started and timed until none is due. Target >= 2,000 deliveries/s.
 *  (b) lag: `rate` events/s for `seconds` s, each its own committed transaction, while the dispatcher
 *      (and the live fast path) run; lag per delivery = delivered_at - occurred_at. Target p99 < 1 s.
 *      Also the in-process live subscriber's receive time after the commit returned.
 * No server is involved: the instance commits and dispatches, as a server handling mutations does.
 * Importing this module does nothing; `measureOutbox` creates a fresh database and drops it.
 */
export interface OutboxBenchOptions {
  /** The PostgreSQL server (its own database is created there and dropped). */
  serverUrl?: string;
  drainDeliveries?: number;
  /** Whose deliveries the drain backlog holds (default both: the live subscriber and the analytics projection). */
  drainSubscribers?: string[];
  rate?: number;
  seconds?: number;
  /** AURA_EVENT_* settings of the measured instance (defaults: the product's). */
  env?: Record<string, string>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface LagFigures {
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface OutboxBenchResult {
  drain: { subscribers: string[]; deliveries: number; seconds: number; perSecond: number };
  lag: { events: number; achievedRate: number; all: LagFigures; bySubscriber: Record<string, LagFigures>; liveReceive: LagFigures };
  targets: { drainPerSecond: number; lagP99Ms: number };
  met: boolean;
}

export const OUTBOX_TARGETS = { drainPerSecond: 2000, lagP99Ms: 1000 };

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const figures = (values: number[]): LagFigures => {
  const sorted = [...values].sort((a, b) => a - b);
  return { deliveries: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] ?? NaN };
};

async function admin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function measureOutbox(options: OutboxBenchOptions = {}): Promise<OutboxBenchResult> {
  const serverUrl = options.serverUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const drainDeliveries = options.drainDeliveries ?? 20_000;
  const drainSubscribers = options.drainSubscribers ?? ['graphql-subscriptions', 'analytics.registrationProjection'];
  const rate = options.rate ?? 500;
  const seconds = options.seconds ?? 20;
  const say = options.log ?? (() => undefined);
  const name = `aura_bench_outbox_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'aura-bench-outbox-'));
  await admin(serverUrl, (c) => c.query(`create database "${name}"`));
  try {
    const settings = loadSettings({ NODE_ENV: 'test', JWT_SECRET: 'bench-outbox-secret-0123456789abcdef', AURA_DATA_DIR: dataDir, DATABASE_URL: url.toString(), ...options.env });
    const log = createLogger('silent');
    const gateway = await assembleGateway(settings, log);
    const endpoint = await openDatabase(settings, log);
    const orm = await connectOrm(endpoint, gateway.modules, settings.dataKeys);
    try {
      await migrateToLatest(orm);
      for (const module of gateway.modules) await module.start?.({ ...gateway, orm });
      const sql = <T>(query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(query, params);

      // (a) drain: a backlog of registrations (a delivery to each drain subscriber), then one dispatcher started on it.
      const events = Math.ceil(drainDeliveries / drainSubscribers.length);
      await sql(
        `insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at)
         select gen_random_uuid(), 'UserRegistered', u::text, jsonb_build_object('userId', u::text, 'role', 'PATIENT', 'source', 'register'), now()
           from (select gen_random_uuid() as u from generate_series(1, ?)) users`,
        [events],
      );
      await sql(
        `insert into platform.event_delivery (event_seq, subscriber, aggregate_id)
         select e.seq, s.subscriber, e.aggregate_id from platform.domain_event e cross join (values ${drainSubscribers.map(() => '(?)').join(', ')}) s(subscriber)`,
        drainSubscribers,
      );
      await sql('analyze');
      const [{ pending }] = await sql<{ pending: number }>(`select count(*)::int as pending from platform.event_delivery where status = 'PENDING'`);
      say(`drain: ${pending} pending deliveries`);
      const drainStart = performance.now();
      gateway.events.start(orm);
      await gateway.events.settled();
      const drainSeconds = (performance.now() - drainStart) / 1000;
      const [{ delivered }] = await sql<{ delivered: number }>(`select count(*)::int as delivered from platform.event_delivery where status = 'DELIVERED'`);
      if (delivered !== pending) throw new Error(`drain: ${delivered} of ${pending} deliveries delivered`);
      say(`drain: ${delivered} in ${drainSeconds.toFixed(2)} s`);

      // (b) lag: `rate` committed events per second, each its own transaction, paced by the clock.
      const [{ seq: firstSeq }] = await sql<{ seq: string }>(`select coalesce(max(seq), 0)::text as seq from platform.domain_event`);
      const committedAt = new Map<string, number>();
      const receiveLags: number[] = [];
      const live = gateway.pubSub.subscribe('UserRegistered')[Symbol.asyncIterator]();
      const listening = (async () => {
        for (;;) {
          const next = await live.next();
          if (next.done) return;
          const at = committedAt.get((next.value as DomainEvent).id);
          if (at !== undefined) receiveLags.push(Math.max(0, performance.now() - at));
        }
      })();
      // Paced by the clock for `seconds`: a machine that cannot commit `rate` per second shows a lower achieved rate.
      const inFlight = new Set<Promise<void>>();
      const loadStart = performance.now();
      const loadEnd = loadStart + seconds * 1000;
      let sent = 0;
      const commitOne = async () => {
        const userId = randomUUID();
        const event = await orm.em.fork().transactional((tx) => gateway.events.recorder(tx).record('UserRegistered', userId, { userId, role: 'PATIENT', source: 'register' }));
        committedAt.set(event.id, performance.now());
      };
      while (performance.now() < loadEnd) {
        const due = Math.floor(((performance.now() - loadStart) / 1000) * rate);
        for (; sent < due && inFlight.size < 64; sent++) {
          const commit = commitOne().finally(() => inFlight.delete(commit));
          inFlight.add(commit);
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await Promise.all(inFlight);
      const loadSeconds = (performance.now() - loadStart) / 1000;
      say(`lag: ${sent} events committed in ${loadSeconds.toFixed(1)} s; waiting for their deliveries`);
      await gateway.events.settled();
      await live.return?.();
      await listening;
      const rows = await sql<{ subscriber: string; lag_ms: number }>(
        `select d.subscriber, extract(epoch from (d.delivered_at - e.occurred_at)) * 1000 as lag_ms
           from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq where e.seq > ?`,
        [firstSeq],
      );
      const undelivered = await sql(`select 1 from platform.event_delivery where event_seq > ? and status <> 'DELIVERED' limit 1`, [firstSeq]);
      if (undelivered.length > 0) throw new Error('lag: some deliveries were not delivered');
      const bySubscriber: Record<string, LagFigures> = {};
      for (const subscriber of new Set(rows.map((r) => r.subscriber))) {
        bySubscriber[subscriber] = figures(rows.filter((r) => r.subscriber === subscriber).map((r) => Number(r.lag_ms)));
      }
      const result: OutboxBenchResult = {
        drain: { subscribers: drainSubscribers, deliveries: delivered, seconds: drainSeconds, perSecond: delivered / drainSeconds },
        lag: { events: sent, achievedRate: sent / loadSeconds, all: figures(rows.map((r) => Number(r.lag_ms))), bySubscriber, liveReceive: figures(receiveLags) },
        targets: OUTBOX_TARGETS,
        met: false,
      };
      result.met = result.drain.perSecond >= OUTBOX_TARGETS.drainPerSecond && result.lag.all.p99Ms < OUTBOX_TARGETS.lagP99Ms;
      return result;
    } finally {
      await gateway.events.stop();
      await orm.close(true);
      await endpoint.close();
      await gateway.close();
    }
  } finally {
    await admin(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The table `npm run bench:outbox` prints. */
export function outboxTable(result: OutboxBenchResult): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const lines = [
    `drain     ${result.drain.deliveries} deliveries (${result.drain.subscribers.join(', ')}) in ${result.drain.seconds.toFixed(2)} s = ${Math.round(result.drain.perSecond)} /s (target >= ${result.targets.drainPerSecond})`,
    `lag       ${result.lag.events} events at ${Math.round(result.lag.achievedRate)} /s (each its own commit)`,
    `          ${'subscriber'.padEnd(34)} ${'deliveries'.padStart(10)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'max'.padStart(10)}`,
    ...Object.entries({ ...result.lag.bySubscriber, 'all deliveries': result.lag.all, 'live receive after commit': result.lag.liveReceive }).map(
      ([name, f]) => `          ${name.padEnd(34)} ${String(f.deliveries).padStart(10)} ${ms(f.p50Ms).padStart(10)} ${ms(f.p99Ms).padStart(10)} ${ms(f.maxMs).padStart(10)}`,
    ),
    `target    delivery lag p99 < ${result.targets.lagP99Ms} ms: ${result.lag.all.p99Ms < result.targets.lagP99Ms ? 'met' : 'MISSED'}; drain: ${result.drain.perSecond >= result.targets.drainPerSecond ? 'met' : 'MISSED'}`,
  ];
  return lines.join('\n');
}

if (require.main === module) {
  // BENCH_OUTBOX_DELIVERIES / _RATE / _SECONDS shrink a run (defaults: 20,000; 500/s; 20 s);
  // BENCH_OUTBOX_SUBSCRIBERS (comma-separated) chooses whose deliveries the drain backlog holds.
  const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  measureOutbox({
    drainDeliveries: number('BENCH_OUTBOX_DELIVERIES'),
    drainSubscribers: process.env.BENCH_OUTBOX_SUBSCRIBERS?.split(','),
    rate: number('BENCH_OUTBOX_RATE'),
    seconds: number('BENCH_OUTBOX_SECONDS'),
    log: (line) => console.error(line),
  }).then(
    (result) => {
      console.log(outboxTable(result));
      process.exitCode = result.met ? 0 : 1;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
