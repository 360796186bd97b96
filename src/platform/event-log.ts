import type { EntityManager } from '@mikro-orm/postgresql';
import { cursorCodec, NOT_A_CURSOR, pageSize, toConnection, type Connection } from './paging';
import { ConflictError, InvalidInputError, NotFoundError } from './errors';
import { SUBSCRIPTIONS_SUBSCRIBER } from './events';
import { isUuid } from './ids';

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

export interface EventDelivery {
  eventId: string;
  subscriber: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
}

export interface LoggedEvent {
  seq: string;
  id: string;
  type: string;
  aggregateId: string;
  payload: unknown;
  occurredAt: Date;
}

export interface EventLogFilter {
  aggregateId?: string | null;
  type?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

interface EventRow {
  seq: string;
  id: string;
  type: string;
  aggregate_id: string;
  payload: unknown;
  occurred_at: Date;
}

interface DeliveryRow {
  event_id: string;
  event_seq: string;
  subscriber: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  delivered_at: Date | null;
}

const toEvent = (row: EventRow): LoggedEvent => ({
  seq: row.seq,
  id: row.id,
  type: row.type,
  aggregateId: row.aggregate_id,
  payload: row.payload,
  occurredAt: new Date(row.occurred_at),
});

const toDelivery = (row: DeliveryRow): EventDelivery => ({
  eventId: row.event_id,
  subscriber: row.subscriber,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: new Date(row.next_attempt_at),
  lastError: row.last_error,
  deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
});

const DELIVERY_COLUMNS = `e.id as event_id, d.event_seq, d.subscriber, d.status, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at`;

/** The outbox is paged by its sequence number. */
const EVENT_CURSOR = cursorCodec('domainEvents', { seq: 'sequence' });

/** How far back a live subscription may resume (API.md): at most this old, at most this many events. */
export interface ReplayWindow {
  maxAgeSeconds: number;
  maxEvents: number;
}

export const REPLAY_WINDOW: ReplayWindow = { maxAgeSeconds: 24 * 60 * 60, maxEvents: 10_000 };

/** How long a transaction may stay open after recording an event and still have it replayed to a subscriber that resumes after a later-numbered one. */
export const LATE_COMMIT_GRACE_SECONDS = 5 * 60;

/** What a subscriber is told when its cursor is too old to resume from: start over from the current state. */
export const REPLAY_WINDOW_EXCEEDED =
  'after is outside the replay window (24 hours or 10,000 events): reload the current state, then subscribe again without after';

/** The events a resuming subscriber missed: after a sequence number, of some types, in order. */
export interface MissedEventsQuery {
  afterSeq: string;
  types: readonly string[];
  window?: ReplayWindow;
}

/** Reads of the outbox, the append-only record of what happened (audit, analytics, dead letters). */
export class EventLog {
  async events(em: EntityManager, filter: EventLogFilter): Promise<Connection<LoggedEvent>> {
    const first = pageSize(filter.first);
    const cursor = EVENT_CURSOR.decode(filter.after);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (filter.aggregateId) add('aggregate_id = ?', filter.aggregateId);
    if (filter.type) add('type = ?', filter.type);
    if (filter.from) add('occurred_at >= ?', filter.from);
    if (filter.to) add('occurred_at < ?', filter.to);
    const clause = where.length ? `where ${where.join(' and ')}` : '';
    const pageClause = cursor ? `${clause ? `${clause} and` : 'where'} seq > ?` : clause;
    const rows = await em.execute<EventRow[]>(
      `select seq, id, type, aggregate_id, payload, occurred_at from platform.domain_event ${pageClause} order by seq limit ?`,
      [...params, ...(cursor ? [cursor.seq] : []), first + 1],
    );
    return toConnection(rows.map(toEvent), first, (e) => EVENT_CURSOR.encode(e), async () => {
      const [{ count }] = await em.execute<Array<{ count: string }>>(`select count(*) from platform.domain_event ${clause}`, params);
      return Number(count);
    });
  }

  /**
   * The events of `types` a live subscription that resumes after `afterSeq` has not received, in the
   * order they were published (EventLog's position: the live delivery's stamp, then the sequence
   * number; the ones not published yet last). Events commit out of sequence order, so the cursor's
   * sequence number alone would lose an earlier-numbered event that committed after it: the missed
   * events are those published after the cursor's event, or not yet, among the events numbered
   * after it and those recorded up to LATE_COMMIT_GRACE_SECONDS before it (a transaction still open
   * then). The subscriber has every other one (it received them before the cursor's event). A
   * cursor's event whose stamp is not written yet (the client got it live a moment ago) was
   * published after every stamped one: then only the unstamped events are missed.
   * The cursor's own event must still be inside the window (recorded within maxAgeSeconds) and at
   * most maxEvents may follow it; otherwise BAD_USER_INPUT tells the client to reload. A sequence
   * number the outbox never handed out is not a cursor at all.
   */
  async missed(em: EntityManager, { afterSeq, types, window = REPLAY_WINDOW }: MissedEventsQuery): Promise<LoggedEvent[]> {
    const [mark] = await em.execute<Array<{ fresh: boolean }>>(
      `select recorded_at >= now() - make_interval(secs => ?) as fresh from platform.domain_event where seq = ?`,
      [window.maxAgeSeconds, afterSeq],
    );
    if (!mark) throw new InvalidInputError(NOT_A_CURSOR, { field: 'after' });
    if (!mark.fresh) throw new InvalidInputError(REPLAY_WINDOW_EXCEEDED, { field: 'after' });
    if (types.length === 0) return [];
    // Stamps are compared in the database (microseconds; a JavaScript Date keeps milliseconds).
    const rows = await em.execute<EventRow[]>(
      `with mark as (
         select e.recorded_at, d.delivered_at as published_at
           from platform.domain_event e left join platform.event_delivery d on d.event_seq = e.seq and d.subscriber = ?
          where e.seq = ?)
       select e.seq, e.id, e.type, e.aggregate_id, e.payload, e.occurred_at
         from mark m, platform.domain_event e left join platform.event_delivery d on d.event_seq = e.seq and d.subscriber = ?
        where e.type in (${types.map(() => '?').join(', ')}) and e.seq <> ?
          and (e.seq > ? or (e.seq > ? and e.recorded_at >= m.recorded_at - make_interval(secs => ?)))
          and (d.delivered_at is null or (d.delivered_at, e.seq) > (m.published_at, ?::bigint))
        order by d.delivered_at nulls last, e.seq limit ?`,
      [
        SUBSCRIPTIONS_SUBSCRIBER,
        afterSeq,
        SUBSCRIPTIONS_SUBSCRIBER,
        ...types,
        afterSeq,
        afterSeq,
        String(BigInt(afterSeq) - BigInt(window.maxEvents)),
        LATE_COMMIT_GRACE_SECONDS,
        afterSeq,
        window.maxEvents + 1,
      ],
    );
    if (rows.length > window.maxEvents) throw new InvalidInputError(REPLAY_WINDOW_EXCEEDED, { field: 'after' });
    return rows.map(toEvent);
  }

  async deliveriesOf(em: EntityManager, eventIds: readonly string[]): Promise<EventDelivery[][]> {
    const ids = eventIds.filter(isUuid);
    const rows = ids.length
      ? await em.execute<DeliveryRow[]>(
          `select ${DELIVERY_COLUMNS} from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
            where e.id in (${ids.map(() => '?').join(', ')}) order by d.subscriber`,
          ids,
        )
      : [];
    return eventIds.map((id) => rows.filter((r) => r.event_id === id).map(toDelivery));
  }

  async deliveries(em: EntityManager, status: DeliveryStatus, subscriber: string | null, first?: number | null): Promise<EventDelivery[]> {
    const rows = await em.execute<DeliveryRow[]>(
      `select ${DELIVERY_COLUMNS} from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
        where d.status = ? ${subscriber ? 'and d.subscriber = ?' : ''} order by d.event_seq limit ?`,
      [status, ...(subscriber ? [subscriber] : []), pageSize(first)],
    );
    return rows.map(toDelivery);
  }

  /**
   * When the oldest event not yet delivered to `subscriber` happened (its lag); null when it is caught
   * up. Modules ask this instead of reading the platform's delivery table themselves.
   */
  async oldestUndelivered(em: EntityManager, subscriber: string): Promise<Date | null> {
    const [row] = await em.execute<Array<{ at: Date | null }>>(
      `select min(e.occurred_at) as at from platform.event_delivery d join platform.domain_event e on e.seq = d.event_seq
        where d.subscriber = ? and d.status <> 'DELIVERED'`,
      [subscriber],
    );
    return row?.at ? new Date(row.at) : null;
  }

  /**
   * Whether any event of these types has no delivery row for `subscriber`: it was recorded before the
   * subscriber existed (a module added to a running deployment), so it will never be delivered to it.
   */
  async hasMissed(em: EntityManager, subscriber: string, types: readonly string[]): Promise<boolean> {
    if (types.length === 0) return false;
    const rows = await em.execute<Array<{ seq: string }>>(
      `select e.seq from platform.domain_event e
        where e.type in (${types.map(() => '?').join(', ')})
          and not exists (select 1 from platform.event_delivery d where d.event_seq = e.seq and d.subscriber = ?)
        limit 1`,
      [...types, subscriber],
    );
    return rows.length > 0;
  }

  /** Puts a dead (or waiting) delivery back in line, attempts reset. */
  async retry(em: EntityManager, eventId: string, subscriber: string): Promise<EventDelivery> {
    if (!isUuid(eventId)) throw new InvalidInputError('eventId is not an event id', { field: 'eventId' });
    const rows = await em.execute<Array<{ event_seq: string }>>(
      `update platform.event_delivery d set status = 'PENDING', attempts = 0, next_attempt_at = now(), last_error = null
        from platform.domain_event e
        where e.seq = d.event_seq and e.id = ? and d.subscriber = ? and d.status <> 'DELIVERED'
        returning d.event_seq`,
      [eventId, subscriber],
    );
    const [delivery] = (await this.deliveriesOf(em, [eventId]))[0].filter((d) => d.subscriber === subscriber);
    if (!delivery) throw new NotFoundError(`No delivery of event ${eventId} to ${subscriber}`);
    if (rows.length === 0) throw new ConflictError('That delivery has already succeeded');
    return delivery;
  }
}
