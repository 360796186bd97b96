import { Repeater } from '@graphql-yoga/subscription';
import { InvalidInputError } from '../../src/platform/errors';
import { LIVE_EVENT_CURSOR, liveEventCursor, resumedStream } from '../../src/platform/live-events';
import type { DomainEvent } from '../../src/contracts/events';

const event = (seq: string) => ({ seq, id: `e${seq}`, type: 'TherapySessionStarted', aggregateId: 'a', occurredAt: new Date(), payload: {} }) as unknown as DomainEvent;

/** A live source the test feeds by hand; `returned` tells whether the subscriber let go of it. */
function liveSource() {
  let push!: (value: unknown) => Promise<unknown>;
  const state = { returned: false };
  const repeater = new Repeater<unknown>(async (p, stop) => {
    push = p;
    await stop;
    state.returned = true;
  });
  const iterator = repeater[Symbol.asyncIterator]();
  const first = iterator.next();
  return { iterator, first, push: (value: unknown) => push(value), state };
}

describe('live event cursors', () => {
  it('round-trips the outbox sequence and names its list', () => {
    const cursor = liveEventCursor(event('42'));
    expect(LIVE_EVENT_CURSOR.decode(cursor)).toEqual({ seq: '42' });
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString())).toEqual(['liveEvents', '42']);
  });

  it('refuses what it did not hand out: another list, a non-sequence, garbage', () => {
    const of = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const bad of [of(['domainEvents', '42']), of(['liveEvents', '-1']), of(['liveEvents', '4e2']), of(['liveEvents', '1'.repeat(19)]), 'garbage', '']) {
      expect(() => LIVE_EVENT_CURSOR.decode(bad)).toThrow(InvalidInputError);
    }
  });

  it('an event without a sequence number has no cursor (a bug, not a client error)', () => {
    expect(() => liveEventCursor({ id: 'x' })).toThrow('carries no sequence number');
  });
});

describe('a resumed stream', () => {
  it('sends the missed events first, then live ones, dropping live ones already replayed or the cursor\'s own', async () => {
    const live = liveSource();
    const stream = resumedStream([event('5'), event('6')], '4', live.iterator, live.first);
    const seqs: string[] = [];
    const take = async () => seqs.push(((await stream.next()).value as DomainEvent).seq!);
    await take();
    await take();
    void live.push(event('6')); // replayed already, published again
    void live.push(event('4')); // the cursor's own, published again after a restart
    void live.push(event('3')); // numbered before the cursor but committed after the replay was read: not seen yet
    void live.push(event('8'));
    void live.push(event('7')); // another aggregate's event, committed later: still sent
    await take();
    await take();
    await take();
    expect(seqs).toEqual(['5', '6', '3', '8', '7']);
    await stream.return!(undefined);
    expect(live.state.returned).toBe(true);
  });

  it('lets go of the live subscription when the subscriber leaves while waiting', async () => {
    const live = liveSource();
    const stream = resumedStream([], '1', live.iterator, live.first);
    const pending = stream.next();
    await stream.return!(undefined);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(live.state.returned).toBe(true);
  });
});
