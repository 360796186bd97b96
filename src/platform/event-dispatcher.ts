import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AuraEventMap, DomainEvent, EventType } from '../contracts/events';
import {
  EventSubscriptions,
  OutboxRecorder,
  SUBSCRIPTIONS_SUBSCRIBER,
  type BatchEventHandler,
  type EventBus,
  type EventHandler,
  type EventRecorder,
  type HandlerContext,
  type PeriodicJob,
  type RecordedEvent,
} from './events';
import { createOperationContext } from './context';
import { isDatabaseUnreachable } from './errors';
import { errorSummary, type Logger } from './logger';
import { PendingAccessReads } from './access-reads';
import { OperationLoaders } from './loaders';
import { OutageLog } from './outage';
import type { SubscriptionBus } from './pubsub';
import { leadingRuns, MARK_DELIVERED } from './delivery-order';
import { LiveFastPath } from './live-fast-path';

export interface DispatchSettings {
  /** How often to look for due deliveries besides the nudge after each commit. */
  pollMs: number;
  /** After this many failed attempts a delivery is DEAD (visible, retryable by an admin). */
  maxAttempts: number;
  /** Backoff before attempt n+1: base * 2^(n-1), capped at ten minutes, with jitter. */
  retryBaseMs: number;
  /** Deliveries claimed (and acknowledged) per transaction. */
  batchSize: number;
  /** Batches one instance runs at once, each in its own transaction (SKIP LOCKED keeps them apart). */
  workers: number;
}

interface ClaimedDelivery {
  event_seq: string;
  subscriber: string;
  attempts: number;
  due: boolean;
  id: string;
  type: EventType;
  aggregate_id: string;
  payload: AuraEventMap[EventType];
  occurred_at: Date;
}

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * A batch of one subscriber's due deliveries, row-locked so no other instance or worker takes them.
 * The heads are due deliveries with no earlier pending delivery of their aggregate to the
 * subscriber (order per aggregate), locked with SKIP LOCKED; the batch is every pending delivery
 * of those aggregates, in sequence order: nobody else can claim those followers while their head
 * is pending, so they are ours, and run after it in this batch when they are due.
 * One subscriber per batch: a batch holds the locks its handlers take (e.g. an analytics
 * projection's checkpoint) until it commits, and two batches taking two subscribers' locks in
 * different orders would deadlock.
 */
const CLAIM_SQL = `
  with heads as (
    select d.aggregate_id
      from platform.event_delivery d
     where d.subscriber = ? and d.status = 'PENDING' and d.next_attempt_at <= now()
       and not exists (
         select 1 from platform.event_delivery p
          where p.subscriber = d.subscriber and p.aggregate_id = d.aggregate_id
            and p.event_seq < d.event_seq and p.status = 'PENDING')
     order by d.event_seq
     limit ?
     for update of d skip locked)
  select d.event_seq, d.subscriber, d.attempts, d.due, e.id, e.type, e.aggregate_id, e.payload, e.occurred_at
    from heads h
    cross join lateral (
      select f.event_seq, f.subscriber, f.attempts, f.next_attempt_at <= now() as due
        from platform.event_delivery f
       where f.subscriber = ? and f.aggregate_id = h.aggregate_id and f.status = 'PENDING'
       order by f.event_seq
       limit ?
       for update of f) d
    join platform.domain_event e on e.seq = d.event_seq
   order by d.event_seq
   limit ?`;

export function backoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

/**
 * The transactional outbox and its dispatcher. Handlers run in the transaction that marks their
 * delivery done, so their writes and the acknowledgement commit together; a failure rolls the
 * handler back (savepoint), counts an attempt and schedules a retry with backoff.
 */
export class OutboxEventBus implements EventBus {
  private readonly subscriptions = new EventSubscriptions();
  private orm?: MikroORM;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private again = false;
  /** The events each open (root) transaction recorded: its commit publishes them and wakes the dispatcher. */
  private readonly recordedIn = new WeakMap<object, RecordedEvent[]>();
  /** Publishes committed live events at once; the dispatcher delivers what it leaves. */
  private readonly live: LiveFastPath;
  private stopped = false;
  private readonly databaseOutage: OutageLog;
  private readonly jobs = new Map<string, PeriodicJob>();
  /** The periodic jobs' current run, if one is going (a slow run is not overlapped by the next). */
  private jobsRun?: Promise<void>;

  constructor(
    private readonly log: Logger,
    private readonly subscriptionBus: Pick<SubscriptionBus, 'publish' | 'onAvailable'>,
    private readonly settings: DispatchSettings,
  ) {
    this.databaseOutage = new OutageLog(log, 'the database (event dispatch)', 'events are delivered when it returns');
    this.live = new LiveFastPath(() => (this.stopped ? undefined : this.orm), subscriptionBus, log, settings.batchSize, (err) => this.passFailed(err));
    // Live events held back by a Redis outage go out as soon as it is over, not at their next backoff.
    subscriptionBus.onAvailable(() => void this.retryNow(SUBSCRIPTIONS_SUBSCRIBER));
  }

  subscribe<T extends EventType>(type: T, subscriber: string, handler: EventHandler<T>): void {
    if (subscriber === SUBSCRIPTIONS_SUBSCRIBER) throw new Error(`${subscriber} is reserved`);
    this.subscriptions.add(type, subscriber, handler);
  }

  subscribeBatch(types: readonly EventType[], subscriber: string, handler: BatchEventHandler): void {
    if (subscriber === SUBSCRIPTIONS_SUBSCRIBER) throw new Error(`${subscriber} is reserved`);
    this.subscriptions.addBatch(types, subscriber, handler);
  }

  every(name: string, job: PeriodicJob): void {
    if (this.jobs.has(name)) throw new Error(`A periodic job ${name} already exists`);
    this.jobs.set(name, job);
  }

  recorder(em: EntityManager): EventRecorder {
    return new OutboxRecorder(em, this.subscriptions, (transaction, recorded) => {
      // A knex transaction is a function, so test for "any transaction", or the wake comes before the commit.
      if (transaction && (typeof transaction === 'object' || typeof transaction === 'function')) {
        const root = rootTransaction(transaction);
        const events = this.recordedIn.get(root);
        if (events) events.push(recorded);
        else this.recordedIn.set(root, [recorded]);
      } else this.committed([recorded]); // recorded outside a transaction: already committed
    });
  }

  /** Starts delivering: now (what a previous run left), after every commit that recorded events, and on a timer. */
  start(orm: MikroORM): void {
    this.orm = orm;
    orm.em.getEventManager().registerSubscriber({
      // Not awaited by the committer: its reply does not wait for the publishing.
      afterTransactionCommit: ({ transaction }) => {
        const events = transaction ? this.recordedIn.get(transaction) : undefined;
        if (!events) return;
        this.recordedIn.delete(transaction!);
        this.committed(events);
      },
      afterTransactionRollback: ({ transaction }) => {
        if (transaction) this.recordedIn.delete(transaction);
      },
    });
    const tick = () => {
      this.runJobs();
      this.wake();
    };
    this.timer = setInterval(tick, this.settings.pollMs);
    this.timer.unref();
    tick();
  }

  /** Events just committed: live subscribers get them now (fast path), module handlers on the dispatcher's pass. */
  private committed(events: RecordedEvent[]): void {
    this.live.add(events);
    this.wake();
  }

  /** Starts a run of every periodic job unless one is still going; a job's failure is logged, the others run. */
  private runJobs(): void {
    if (!this.orm || this.stopped || this.jobsRun || this.jobs.size === 0) return;
    const orm = this.orm;
    this.jobsRun = (async () => {
      for (const [name, job] of this.jobs) {
        if (this.stopped) return;
        const log = this.log.child({ job: name });
        try {
          await job(createOperationContext({ requestId: `job:${name}`, viewer: null, clientAddress: null, em: orm.em, log }));
          this.databaseOutage.restored();
        } catch (err) {
          if (isDatabaseUnreachable(err)) this.databaseOutage.failed(err);
          else log.error({ err }, 'periodic job failed; it runs again at the next poll');
        }
      }
    })().finally(() => {
      this.jobsRun = undefined;
    });
  }

  /** Finishes the delivery in progress and delivers no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([this.pass, this.jobsRun, this.live.idle()]);
  }

  async settled(): Promise<void> {
    if (!this.orm) return;
    const idle = async () => {
      await this.live.idle();
      while (this.pass) await this.pass; // a finishing pass may start another
    };
    do {
      this.wake();
      await idle();
    } while (!this.stopped && (await this.dueDeliveries()) > 0);
    await idle();
  }

  private wake(): void {
    if (!this.orm || this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.deliverAllDue().finally(() => {
      this.pass = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Makes a subscriber's waiting deliveries due now and delivers them. */
  async retryNow(subscriber: string): Promise<void> {
    if (!this.orm || this.stopped) return;
    try {
      await this.orm.em
        .fork()
        .execute(`update platform.event_delivery set next_attempt_at = now() where subscriber = ? and status = 'PENDING' and next_attempt_at > now()`, [subscriber]);
    } catch (err) {
      this.passFailed(err);
    }
    this.wake();
  }

  /**
   * Runs the workers until none finds due work: each takes the next subscriber of this pass (live
   * events first) and delivers its batches until it has none due, so two workers of one instance
   * never wait for each other's locks.
   */
  private async deliverAllDue(): Promise<void> {
    let subscribers: string[] = [];
    const worker = async () => {
      for (let subscriber = subscribers.shift(); subscriber !== undefined && !this.stopped; subscriber = subscribers.shift()) {
        while (!this.stopped && (await this.deliverBatch(subscriber)) > 0) {
          // keep going while there is due work
        }
      }
    };
    try {
      subscribers = await this.dueSubscribers(); // one cheap look, not an empty claim per subscriber
      await Promise.all(Array.from({ length: this.settings.workers }, worker));
      this.databaseOutage.restored();
    } catch (err) {
      this.passFailed(err);
    }
  }

  private passFailed(err: unknown): void {
    if (isDatabaseUnreachable(err)) this.databaseOutage.failed(err);
    else this.log.error({ err }, 'event dispatcher pass failed; retrying on the next poll');
  }

  /** This dispatcher's subscribers with a due delivery, live events first. */
  private async dueSubscribers(): Promise<string[]> {
    const subscribers = this.subscriptions.allSubscribers();
    const rows = await this.orm!.em.fork().execute<Array<{ subscriber: string }>>(
      `select distinct subscriber from platform.event_delivery where status = 'PENDING' and next_attempt_at <= now()
         and subscriber in (${subscribers.map(() => '?').join(', ')})`,
      subscribers,
    );
    const due = new Set(rows.map((r) => r.subscriber));
    return subscribers.filter((s) => due.has(s));
  }

  private async dueDeliveries(): Promise<number> {
    const subscribers = this.subscriptions.allSubscribers();
    const [{ count }] = await this.orm!.em.fork().execute<Array<{ count: string }>>(
      `select count(*) from platform.event_delivery where status = 'PENDING' and next_attempt_at <= now()
         and subscriber in (${subscribers.map(() => '?').join(', ')})`,
      subscribers,
    );
    return Number(count);
  }

  /**
   * Claims a batch of the subscriber's deliveries and delivers it in sequence order in one transaction; returns how many were
   * claimed (0: nothing due). A subscriber that takes runs gets the batch's due events in one
   * savepoint; otherwise, or when that run fails, each handler runs in a savepoint of its own: a
   * failure rolls back only its own work, counts an attempt (backoff, dead letter) and holds back
   * the later deliveries of its aggregate to that subscriber. The successes are acknowledged in one statement.
   */
  private async deliverBatch(subscriber: string): Promise<number> {
    const { batchSize } = this.settings;
    return this.orm!.em.fork().transactional(async (tx) => {
      const claimed = await tx.execute<ClaimedDelivery[]>(CLAIM_SQL, [subscriber, batchSize, subscriber, batchSize, batchSize]);
      if (claimed.length === 0) return 0;
      const group = (d: ClaimedDelivery) => d.aggregate_id;
      const runs = leadingRuns(claimed, (d) => String(d.event_seq), group, (d) => d.due);
      const delivered = (await this.deliverRun(tx, subscriber, runs)) ?? (await this.deliverEach(tx, runs));
      if (delivered.length > 0) {
        await tx.execute(
          `update platform.event_delivery set ${MARK_DELIVERED}
            where (event_seq, subscriber) in (${Array(delivered.length).fill('(?, ?)').join(', ')})`,
          delivered.flatMap((d) => [String(d.event_seq), d.subscriber]),
        );
      }
      return claimed.length;
    });
  }

  /** The whole run to a subscriber that takes runs, in one savepoint: the delivered claims, or undefined (not such a subscriber, or the run failed). */
  private async deliverRun(tx: EntityManager, subscriber: string, runs: ClaimedDelivery[]): Promise<ClaimedDelivery[] | undefined> {
    const batch = this.subscriptions.batchHandlerOf(subscriber);
    if (!batch || runs.length < 2 || this.stopped) return undefined;
    try {
      await tx.transactional((inner) => this.handle(subscriber, runs.map(eventOf), inner, (events, ctx) => batch(events, ctx)));
      return runs;
    } catch (err) {
      this.log.debug({ err, subscriber, events: runs.length }, 'a run of deliveries failed; delivering its events one by one');
      return undefined;
    }
  }

  /** One delivery at a time, each handler in its own savepoint; a failure holds back the rest of its aggregate. */
  private async deliverEach(tx: EntityManager, runs: ClaimedDelivery[]): Promise<ClaimedDelivery[]> {
    const failedGroups = new Set<string>();
    const delivered: ClaimedDelivery[] = [];
    for (const claim of runs) {
      if (this.stopped || failedGroups.has(claim.aggregate_id)) continue;
      const event = eventOf(claim);
      try {
        if (claim.subscriber === SUBSCRIPTIONS_SUBSCRIBER) await this.publish(event); // no database work: no savepoint
        else await tx.transactional((inner) => this.handle(claim.subscriber, [event], inner, (events, ctx) => this.handlerOf(claim.subscriber, event)(events[0], ctx)));
        delivered.push(claim);
      } catch (err) {
        failedGroups.add(claim.aggregate_id);
        await this.failed(tx, claim, event, err);
      }
    }
    return delivered;
  }

  /** Counts a failed attempt: a retry after backoff, or the dead letter after the last one. */
  private async failed(tx: EntityManager, claim: ClaimedDelivery, event: DomainEvent, err: unknown): Promise<void> {
    const attempts = claim.attempts + 1;
    const dead = attempts >= this.settings.maxAttempts;
    const retryAt = new Date(Date.now() + backoffMs(attempts, this.settings.retryBaseMs));
    const message = errorSummary(err); // stored and shown to admins: no values, as in the logs
    await tx.execute(
      `update platform.event_delivery set attempts = ?, last_error = ?, next_attempt_at = ?, status = ?
        where event_seq = ? and subscriber = ?`,
      [attempts, message.slice(0, 2000), retryAt, dead ? 'DEAD' : 'PENDING', claim.event_seq, claim.subscriber],
    );
    const log = { err, eventId: event.id, type: event.type, subscriber: claim.subscriber, attempts };
    if (dead) this.log.error(log, 'event delivery failed for the last time: dead-lettered');
    else if (claim.subscriber === SUBSCRIPTIONS_SUBSCRIBER) this.log.debug({ ...log, retryAt }, 'live event not published; will retry'); // the bus reports the outage
    else this.log.warn({ ...log, retryAt }, 'event delivery failed; will retry');
  }

  /** Awaited: a publish that fails (Redis away) leaves the delivery pending, to be retried. */
  private publish(event: DomainEvent): Promise<void> {
    return this.subscriptionBus.publish(event.type, event);
  }

  private handlerOf(subscriber: string, event: DomainEvent): EventHandler<EventType> {
    const handler = this.subscriptions.handlerOf(event.type, subscriber);
    if (!handler) throw new Error(`No handler for ${event.type} in ${subscriber}`);
    return handler as EventHandler<EventType>;
  }

  /** Runs a handler on events (one, or a run) with a context on the savepoint, and flushes what it left in the unit of work. */
  private async handle(subscriber: string, events: DomainEvent[], em: EntityManager, run: BatchEventHandler): Promise<void> {
    const ctx: HandlerContext = {
      requestId: events[0].id,
      viewer: null,
      clientAddress: null,
      em,
      loaders: new OperationLoaders(),
      log: this.log.child(events.length === 1 ? { eventId: events[0].id, subscriber } : { eventId: events[0].id, events: events.length, subscriber }),
      accessReads: new PendingAccessReads(),
      events: this.recorder(em),
    };
    await run(events, ctx);
    await em.flush();
  }
}

/** A claimed delivery's event as handlers see it. */
function eventOf(claim: ClaimedDelivery): DomainEvent {
  return { seq: String(claim.event_seq), id: claim.id, type: claim.type, aggregateId: claim.aggregate_id, occurredAt: new Date(claim.occurred_at), payload: claim.payload };
}

/** The outermost transaction of a (possibly nested: savepoint) knex transaction: the one whose commit counts. */
function rootTransaction(transaction: object): object {
  let current = transaction as { parentTransaction?: object };
  while (current.parentTransaction) current = current.parentTransaction as { parentTransaction?: object };
  return current;
}
