import type { MikroORM } from '@mikro-orm/postgresql';
import { leadingRuns, MARK_DELIVERED } from './delivery-order';
import { SUBSCRIPTIONS_SUBSCRIBER, type RecordedEvent } from './events';
import type { Logger } from './logger';
import type { SubscriptionBus } from './pubsub';

const list = (n: number) => Array(n).fill('?').join(', ');

/**
 * Locks the live deliveries of just-committed events that can go now: still pending (the
 * dispatcher has not taken them: SKIP LOCKED) and with no earlier pending live delivery of their
 * aggregate outside this set (order per aggregate).
 */
const lockSql = (n: number) => `
  select d.event_seq from platform.event_delivery d
   where d.subscriber = ? and d.status = 'PENDING' and d.event_seq in (${list(n)})
     and not exists (
       select 1 from platform.event_delivery p
        where p.subscriber = d.subscriber and p.aggregate_id = d.aggregate_id and p.status = 'PENDING'
          and p.event_seq < d.event_seq and p.event_seq not in (${list(n)}))
   order by d.event_seq
   for update of d skip locked`;

/**
 * The fast path of live events (issue 13): right after a transaction that recorded events commits,
 * its events are published to the subscription bus (in process, and on Redis to every instance) and
 * their `graphql-subscriptions` deliveries marked done in one statement, instead of waiting for
 * the dispatcher. The outbox stays the truth: the deliveries are locked while publishing, so the
 * dispatcher never publishes the same one, and whatever is not published (Redis away, an earlier
 * event of the aggregate still pending) stays PENDING for the dispatcher. Commits that arrive while
 * a batch is being published are taken together in the next one, in commit order.
 */
export class LiveFastPath {
  private queue: RecordedEvent[] = [];
  private running?: Promise<void>;

  constructor(
    private readonly orm: () => MikroORM | undefined,
    private readonly bus: Pick<SubscriptionBus, 'publish'>,
    private readonly log: Logger,
    private readonly batchSize: number,
    private readonly failed: (err: unknown) => void,
  ) {}

  /** Publishes these committed events (in this order) as soon as the previous batch is done. */
  add(events: readonly RecordedEvent[]): void {
    if (events.length === 0 || !this.orm()) return;
    this.queue.push(...events);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when everything handed over has been published or left to the dispatcher. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      try {
        await this.deliver(batch);
      } catch (err) {
        this.failed(err); // the deliveries stay pending: the dispatcher has them
      }
    }
  }

  private async deliver(batch: RecordedEvent[]): Promise<void> {
    const orm = this.orm();
    if (!orm) return;
    const seqs = batch.map((r) => r.seq);
    await orm.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<Array<{ event_seq: string }>>(lockSql(seqs.length), [SUBSCRIPTIONS_SUBSCRIBER, ...seqs, ...seqs]);
      const locked = new Set(rows.map((r) => String(r.event_seq)));
      const ready = leadingRuns(batch, (r) => r.seq, (r) => r.event.aggregateId, (r) => locked.has(r.seq));
      const published: string[] = [];
      for (const { seq, event } of ready) {
        try {
          await this.bus.publish(event.type, event);
        } catch (err) {
          // The bus reports the outage; this and the rest stay pending for the dispatcher.
          this.log.debug({ err, eventId: event.id, type: event.type }, 'live event not published on the fast path; the dispatcher retries it');
          break;
        }
        published.push(seq);
      }
      if (published.length === 0) return;
      await tx.execute(
        `update platform.event_delivery set ${MARK_DELIVERED}
          where subscriber = ? and event_seq in (${list(published.length)})`,
        [SUBSCRIPTIONS_SUBSCRIBER, ...published],
      );
    });
  }
}
