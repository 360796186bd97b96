import { Repeater } from '@graphql-yoga/subscription';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { DomainEvent } from '../contracts/events';
import type { OperationContext } from './context';
import type { EventLog, LoggedEvent, ReplayWindow } from './event-log';
import { cursorCodec } from './paging';

/**
 * Live events resume after a reconnect (API.md "Live events"): every event a subscription sends
 * carries a cursor (its outbox sequence number), and a subscription field with an `after`
 * argument first replays, in order, the events after that cursor that the subscriber may see,
 * then goes on with live ones, without gap or duplicate.
 */

/** The one cursor of every live event: the outbox sequence number of the event it was made from. */
export const LIVE_EVENT_CURSOR = cursorCodec('liveEvents', { seq: 'sequence' });

/** The argument a resumable subscription field declares. */
export const AFTER_ARGUMENT = 'after';

export const AFTER_DESCRIPTION =
  'Resume after a reconnect: the cursor of the last event received. The events you missed since (within 24 hours and 10,000 events) come first, in order; an older cursor is BAD_USER_INPUT and you should reload.';

export const CURSOR_DESCRIPTION = 'Where this event stands in the live stream: pass it as `after` when you subscribe again to receive what came after it.';

/** The cursor of a live event; every event on the bus carries its outbox sequence number. */
export function liveEventCursor(event: Pick<DomainEvent, 'seq' | 'id'>): string {
  if (!event.seq) throw new Error(`Live event ${event.id} carries no sequence number`);
  return LIVE_EVENT_CURSOR.encode({ seq: event.seq });
}

const toDomainEvent = (event: LoggedEvent): DomainEvent =>
  ({ seq: event.seq, id: event.id, type: event.type, aggregateId: event.aggregateId, occurredAt: event.occurredAt, payload: event.payload }) as DomainEvent;

type SubscribeFn = GraphQLFieldResolver<unknown, OperationContext, Record<string, unknown>>;
type FilterFn = (data: { payload: DomainEvent; args: Record<string, unknown>; context: OperationContext; info: unknown }) => boolean | Promise<boolean>;

interface ResumableField {
  topics: (data: { source: unknown; args: Record<string, unknown>; context: OperationContext; info: unknown }) => string[];
  filter?: FilterFn;
}

/** On a resumed stream: how many replayed events it starts with (a resuming member of a live group takes those, then joins its group's live events). */
export const REPLAYED = Symbol('replayed');
/** On a resumed stream: the cursor's sequence number it resumed after. */
export const REPLAYED_AFTER = Symbol('replayedAfter');

/**
 * The missed events first, then the live ones not already sent: a live event that was replayed
 * (it was published after the replay read it) or that is the cursor's own (a publish repeated
 * after a restart) is dropped. An earlier-numbered event is not: it committed late (EventLog.missed).
 * The live subscription was opened before the replay was read, so what arrived meanwhile waits
 * in its buffer.
 */
export function resumedStream(
  missed: readonly DomainEvent[],
  afterSeq: string,
  live: AsyncIterator<unknown>,
  firstLive: Promise<IteratorResult<unknown>>,
): AsyncIterableIterator<unknown> & { [REPLAYED]: number; [REPLAYED_AFTER]: string } {
  const replayed = new Set(missed.map((event) => event.seq));
  const alreadySent = (event: unknown) => {
    const seq = (event as Partial<DomainEvent> | null)?.seq;
    return typeof seq === 'string' && (replayed.has(seq) || seq === afterSeq);
  };
  const stream = new Repeater<unknown>(async (push, stop) => {
    let stopped = false;
    const ended = stop.then(() => {
      stopped = true;
      return { done: true, value: undefined } as IteratorResult<unknown>;
    });
    void ended.then(() => live.return?.());
    try {
      for (const event of missed) {
        if (stopped) return;
        await push(event);
      }
      let next = firstLive;
      for (;;) {
        const result = await Promise.race([next, ended]);
        if (result.done || stopped) break;
        if (!alreadySent(result.value)) await push(result.value);
        next = live.next();
      }
    } finally {
      stop();
    }
  });
  return Object.assign(stream, { [REPLAYED]: missed.length, [REPLAYED_AFTER]: afterSeq });
}

/**
 * Makes every subscription field of a module schema that declares `after` resumable: its live
 * stream (type-graphql's topics and filter) is prefixed with the missed events of the same
 * topics from the outbox, passed through the same filter with the same arguments and context.
 */
export function resumableSubscriptions(schema: GraphQLSchema, resolvers: readonly Function[], eventLog: EventLog, window?: ReplayWindow): GraphQLSchema {
  const subscriptionType = schema.getSubscriptionType();
  if (!subscriptionType) return schema;
  const metadata = getMetadataStorage().subscriptions.filter((s) => resolvers.includes(s.target));
  for (const field of Object.values(subscriptionType.getFields())) {
    if (!field.args.some((arg) => arg.name === AFTER_ARGUMENT) || !field.subscribe) continue;
    const handler = metadata.find((s) => s.schemaName === field.name);
    if (!handler?.topics) throw new Error(`Subscription ${field.name} takes ${AFTER_ARGUMENT} but has no topics to replay`);
    const { topics } = handler;
    const resumable: ResumableField = {
      topics: (data) => {
        const named = typeof topics === 'function' ? topics(data as never) : topics;
        return Array.isArray(named) ? named : [named];
      },
      filter: handler.filter as FilterFn | undefined,
    };
    field.subscribe = resume(field.subscribe as SubscribeFn, resumable, eventLog, window);
  }
  return schema;
}

function resume(live: SubscribeFn, field: ResumableField, eventLog: EventLog, window?: ReplayWindow): SubscribeFn {
  return async (source, args, context, info) => {
    const after = args[AFTER_ARGUMENT] as string | null | undefined;
    const cursor = LIVE_EVENT_CURSOR.decode(after); // BAD_USER_INPUT when it is not one of ours
    if (!cursor) return live(source, args, context, info);
    const stream = (await live(source, args, context, info)) as AsyncIterable<unknown>;
    const iterator = stream[Symbol.asyncIterator]();
    // The first pull opens the live subscription: from now on its events wait in its buffer.
    const firstLive = iterator.next();
    try {
      const types = field.topics({ source, args, context, info });
      const logged = await eventLog.missed(context.em.fork({ clear: true, useContext: false }), { afterSeq: cursor.seq, types, window });
      const missed: DomainEvent[] = [];
      for (const event of logged.map(toDomainEvent)) {
        if (!field.filter || (await field.filter({ payload: event, args, context, info }))) missed.push(event);
      }
      return resumedStream(missed, cursor.seq, iterator, firstLive);
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
  };
}
