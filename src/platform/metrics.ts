import type { Request, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './logger';

/**
 * How many distinct client-chosen operation names get their own label; later ones count as "other".
 * Names are the client's choice, so without a cap any caller could grow the series without bound.
 */
export const MAX_OPERATION_NAMES = 100;
/** A name worth a label: a GraphQL name of sane length. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export type Transport = 'http' | 'ws' | 'sse';

/** The knex pool (tarn) MikroORM's PostgreSQL driver uses. */
interface Pool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

export interface MetricSources {
  orm: MikroORM;
  log: Logger;
  /** Open WebSockets and the operations running on them. */
  sockets(): number;
  subscriptions(): number;
  /** The live groups (subscribers sharing one execution per event). */
  live?(): LiveCounts;
}

export interface LiveCounts {
  readonly executions: number;
  readonly deliveries: number;
  readonly size: number;
  readonly members: number;
}

/**
 * Aura's Prometheus metrics, one registry per server: operations by name, type and outcome code,
 * their latency, live sockets and subscriptions, the outbox's backlog and lag, the database pool,
 * and Node's own (event-loop lag, memory, GC). No label carries a person, an id or any health data.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();
  private readonly operations: Counter<'transport' | 'type' | 'operation' | 'code'>;
  private readonly latency: Histogram<'transport' | 'type' | 'operation'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.operations = new Counter({
      name: 'aura_graphql_operations_total',
      help: `GraphQL operations by transport, type, operation name (the first ${MAX_OPERATION_NAMES} names seen, then "other") and outcome code (OK or the first error's extensions.code)`,
      labelNames: ['transport', 'type', 'operation', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'aura_graphql_operation_duration_seconds',
      help: 'Time from receiving an operation to its answer (a subscription: until it ends)',
      labelNames: ['transport', 'type', 'operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({ name: 'aura_websockets_active', help: 'Open graphql-ws connections', registers, collect() { this.set(sources.sockets()); } });
    new Gauge({ name: 'aura_subscriptions_active', help: 'Operations running on open graphql-ws connections', registers, collect() { this.set(sources.subscriptions()); } });
    const live = sources.live;
    if (live) {
      const counted = (name: string, help: string, read: (groups: LiveCounts) => number) =>
        new Counter({ name, help, registers, collect() { this.reset(); this.inc(read(live())); } });
      counted('aura_live_group_executions_total', 'Live events executed: once per event per group of subscribers (same document, variables, visibility class)', (g) => g.executions);
      counted('aura_live_deliveries_total', 'Live event results written to grouped subscribers', (g) => g.deliveries);
      new Gauge({ name: 'aura_live_groups_active', help: 'Groups of subscribers sharing one execution per event', registers, collect() { this.set(live().size); } });
      new Gauge({ name: 'aura_live_group_members', help: 'Subscriptions in live groups', registers, collect() { this.set(live().members); } });
    }
    const pool = () => (sources.orm.em.getConnection().getKnex().client as { pool?: Pool }).pool;
    new Gauge({
      name: 'aura_db_pool_connections',
      help: 'Database pool connections: used (lent to a query), idle, pending (callers waiting for one), max',
      labelNames: ['state'],
      registers,
      collect() {
        const current = pool();
        if (!current) return;
        this.set({ state: 'used' }, current.numUsed());
        this.set({ state: 'idle' }, current.numFree());
        this.set({ state: 'pending' }, current.numPendingAcquires());
        this.set({ state: 'max' }, current.max);
      },
    });
    const backlog = new Gauge({ name: 'aura_outbox_pending_deliveries', help: 'Event deliveries not yet made (platform.event_delivery PENDING)', registers });
    const dead = new Gauge({ name: 'aura_outbox_dead_deliveries', help: 'Event deliveries given up after their last attempt (DEAD)', registers });
    new Gauge({
      name: 'aura_outbox_lag_seconds',
      help: 'Age of the oldest pending delivery\'s event (0 when none is pending)',
      registers,
      async collect() {
        try {
          const rows = await sources.orm.em.getConnection().execute<Array<{ status: string; deliveries: string; oldest: string | null }>>(
            `select d.status, count(*) as deliveries, extract(epoch from now() - min(e.recorded_at)) as oldest
               from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
              where d.status in ('PENDING', 'DEAD') group by d.status`,
          );
          const row = (status: string) => rows.find((r) => r.status === status);
          backlog.set(Number(row('PENDING')?.deliveries ?? 0));
          dead.set(Number(row('DEAD')?.deliveries ?? 0));
          this.set(Math.max(0, Number(row('PENDING')?.oldest ?? 0)));
        } catch (err) {
          // A scrape during a database outage still answers; the outbox series keep their last values.
          sources.log.debug({ err }, 'outbox metrics could not be read');
        }
      },
    });
  }

  /** The operation's label: its name while the cap allows, "anonymous" without one, else "other". */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  /** One operation answered (or ended, for a subscription). */
  observe(transport: Transport, type: string, name: string | null | undefined, code: string, seconds: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ transport, type, operation, code });
    this.latency.observe({ transport, type, operation }, seconds);
  }

  /** GET /metrics in Prometheus' text format. */
  handler() {
    return async (_req: Request, res: Response): Promise<void> => {
      res.setHeader('content-type', this.registry.contentType);
      res.send(await this.registry.metrics());
    };
  }
}
