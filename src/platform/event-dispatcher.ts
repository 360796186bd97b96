import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AuraEventMap, DomainEvent, EventType } from '../contracts/events';
import {
  EventSubscriptions,
  OutboxRecorder,
  SUBSCRIPTIONS_SUBSCRIBER,
  type EventBus,
  type EventHandler,
  type EventRecorder,
  type HandlerContext,
  type PeriodicJob,
} from './events';
import { createOperationContext } from './context';
import { isDatabaseUnreachable } from './errors';
import { errorSummary, type Logger } from './logger';
import { PendingAccessReads } from './access-reads';
import { OperationLoaders } from './loaders';
import { OutageLog } from './outage';
import type { SubscriptionBus } from './pubsub';

export interface DispatchSettings {
  /** How often to look for due deliveries besides the nudge after each commit. */
  pollMs: number;
  /** After this many failed attempts a delivery is DEAD (visible, retryable by an admin). */
  maxAttempts: number;
  /** Backoff before attempt n+1: base * 2^(n-1), capped at ten minutes, with jitter. */
  retryBaseMs: number;
}

interface ClaimedDelivery {
  event_seq: string;
  subscriber: string;
  attempts: number;
  id: string;
  type: EventType;
  aggregate_id: string;
  payload: AuraEventMap[EventType];
  occurred_at: Date;
}

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * One due delivery, row-locked so no other instance takes it (SKIP LOCKED), and only when no
 * earlier delivery of the same aggregate to the same subscriber is still pending (order per aggregate).
 */
const claimSql = (subscribers: number) => `
  select d.event_seq, d.subscriber, d.attempts, e.id, e.type, e.aggregate_id, e.payload, e.occurred_at
    from platform.event_delivery d
    join platform.domain_event e on e.seq = d.event_seq
   where d.status = 'PENDING' and d.next_attempt_at <= now()
     and d.subscriber in (${Array(subscribers).fill('?').join(', ')})
     and not exists (
       select 1 from platform.event_delivery p
        where p.subscriber = d.subscriber and p.aggregate_id = d.aggregate_id
          and p.event_seq < d.event_seq and p.status = 'PENDING')
   order by d.event_seq
   limit 1
   for update of d skip locked`;

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
  /** Transactions that recorded events: their commit wakes the dispatcher. */
  private readonly recordingTransactions = new WeakSet<object>();
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
    // Live events held back by a Redis outage go out as soon as it is over, not at their next backoff.
    subscriptionBus.onAvailable(() => void this.retryNow(SUBSCRIPTIONS_SUBSCRIBER));
  }

  subscribe<T extends EventType>(type: T, subscriber: string, handler: EventHandler<T>): void {
    if (subscriber === SUBSCRIPTIONS_SUBSCRIBER) throw new Error(`${subscriber} is reserved`);
    this.subscriptions.add(type, subscriber, handler);
  }

  every(name: string, job: PeriodicJob): void {
    if (this.jobs.has(name)) throw new Error(`A periodic job ${name} already exists`);
    this.jobs.set(name, job);
  }

  recorder(em: EntityManager): EventRecorder {
    return new OutboxRecorder(em, this.subscriptions, (transaction) => {
      // A knex transaction is a function, so test for "any transaction", or the wake comes before the commit.
      if (transaction && (typeof transaction === 'object' || typeof transaction === 'function')) this.recordingTransactions.add(transaction);
      else this.wake(); // recorded outside a transaction: already committed
    });
  }

  /** Starts delivering: now (what a previous run left), after every commit that recorded events, and on a timer. */
  start(orm: MikroORM): void {
    this.orm = orm;
    orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: ({ transaction }) => {
        if (transaction && this.recordingTransactions.has(transaction)) this.wake();
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
    await Promise.all([this.pass, this.jobsRun]);
  }

  async settled(): Promise<void> {
    if (!this.orm) return;
    const idle = async () => {
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

  private async deliverAllDue(): Promise<void> {
    try {
      while (!this.stopped && (await this.deliverOne())) {
        // keep going while there is due work
      }
      this.databaseOutage.restored();
    } catch (err) {
      this.passFailed(err);
    }
  }

  private passFailed(err: unknown): void {
    if (isDatabaseUnreachable(err)) this.databaseOutage.failed(err);
    else this.log.error({ err }, 'event dispatcher pass failed; retrying on the next poll');
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

  /** Claims and delivers one due delivery; false when there is none. */
  private async deliverOne(): Promise<boolean> {
    const subscribers = this.subscriptions.allSubscribers();
    return this.orm!.em.fork().transactional(async (tx) => {
      const [claimed] = await tx.execute<ClaimedDelivery[]>(claimSql(subscribers.length), subscribers);
      if (!claimed) return false;
      const event: DomainEvent = {
        seq: String(claimed.event_seq),
        id: claimed.id,
        type: claimed.type,
        aggregateId: claimed.aggregate_id,
        occurredAt: new Date(claimed.occurred_at),
        payload: claimed.payload,
      };
      const key = [claimed.event_seq, claimed.subscriber];
      try {
        await tx.transactional((inner) => this.handle(claimed.subscriber, event, inner));
        await tx.execute(
          `update platform.event_delivery set status = 'DELIVERED', attempts = attempts + 1, delivered_at = now(), last_error = null
            where event_seq = ? and subscriber = ?`,
          key,
        );
      } catch (err) {
        const attempts = claimed.attempts + 1;
        const dead = attempts >= this.settings.maxAttempts;
        const retryAt = new Date(Date.now() + backoffMs(attempts, this.settings.retryBaseMs));
        const message = errorSummary(err); // stored and shown to admins: no values, as in the logs
        await tx.execute(
          `update platform.event_delivery set attempts = ?, last_error = ?, next_attempt_at = ?, status = ?
            where event_seq = ? and subscriber = ?`,
          [attempts, message.slice(0, 2000), retryAt, dead ? 'DEAD' : 'PENDING', ...key],
        );
        const log = { err, eventId: event.id, type: event.type, subscriber: claimed.subscriber, attempts };
        if (dead) this.log.error(log, 'event delivery failed for the last time: dead-lettered');
        else if (claimed.subscriber === SUBSCRIPTIONS_SUBSCRIBER) this.log.debug({ ...log, retryAt }, 'live event not published; will retry'); // the bus reports the outage
        else this.log.warn({ ...log, retryAt }, 'event delivery failed; will retry');
      }
      return true;
    });
  }

  private async handle(subscriber: string, event: DomainEvent, em: EntityManager): Promise<void> {
    if (subscriber === SUBSCRIPTIONS_SUBSCRIBER) {
      // Awaited: a publish that fails (Redis away) leaves the delivery pending, to be retried.
      await this.subscriptionBus.publish(event.type, event);
      return;
    }
    const handler = this.subscriptions.handlerOf(event.type, subscriber);
    if (!handler) throw new Error(`No handler for ${event.type} in ${subscriber}`);
    const ctx: HandlerContext = {
      requestId: event.id,
      viewer: null,
      clientAddress: null,
      em,
      loaders: new OperationLoaders(),
      log: this.log.child({ eventId: event.id, subscriber }),
      accessReads: new PendingAccessReads(),
      events: this.recorder(em),
    };
    await (handler as EventHandler<EventType>)(event, ctx);
    await em.flush();
  }
}
