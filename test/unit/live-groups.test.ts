import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema, createSourceEventStream, execute, parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { DomainEvent } from '../../src/contracts/events';
import { resumedStream } from '../../src/platform/live-events';
import type { Viewer } from '../../src/platform/auth';
import type { OperationContext } from '../../src/platform/context';
import { LiveGroups, visibilityClass, WRITE_SLICE, type LiveMember } from '../../src/platform/live-groups';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Tick { n: Int!, seenBy: String! }
  type Subscription { ticks(min: Int, after: String): Tick! }
`);

function fixture(options: { refuse?: boolean; shownTo?: string[][]; log?: number[] } = {}) {
  const pubSub = createPubSub<{ tick: [number] }>();
  const counts = { resolved: 0, contexts: 0 };
  const tick = (n: number, viewer: Viewer) => ({ seq: String(n), ticks: { n, seenBy: visibilityClass(viewer) } });
  const root = {
    ticks: ({ min, after }: { min?: number; after?: string }, context: { viewer: Viewer }) => {
      if (options.refuse) throw new Error('refused');
      const source = pubSub.subscribe('tick');
      const live = (async function* () {
        for await (const n of source) {
          if (min !== undefined && min !== null && n < min) continue;
          counts.resolved++;
          yield tick(n, context.viewer);
        }
      })();
      if (!after) return live;
      // A resumable field: what the log holds after the cursor, then live (live-events' resumedStream).
      const missed = (options.log ?? []).filter((n) => n > Number(after)).map((n) => tick(n, context.viewer));
      return resumedStream(missed as unknown as DomainEvent[], after, live, live.next());
    },
  };
  const groups = new LiveGroups({
    sourceStream: (args: ExecutionArgs) => createSourceEventStream({ ...args, rootValue: root }),
    execute: async (args, event) => (await execute({ ...args, rootValue: event })) as ExecutionResult,
    contextFor: (representative) => {
      counts.contexts++;
      return { viewer: representative.viewer } as unknown as OperationContext;
    },
    prepare: async (_op, result, viewers) => {
      options.shownTo?.push(viewers.map((v) => v.userId));
      return result;
    },
  });
  return { pubSub, counts, groups };
}

function member(viewer: Viewer) {
  const written: string[] = [];
  const m: LiveMember & { written: string[] } = { viewer, requestId: 'r', written, write: (payload) => written.push(payload.json) };
  return m;
}

const args = (query: string, variableValues?: Record<string, unknown>) => ({ schema, document: parse(query), variableValues });
const admin = (userId: string): Viewer => ({ userId, role: 'ADMIN' });
const therapist = (userId: string): Viewer => ({ userId, role: 'THERAPIST' });

async function join(groups: LiveGroups, query: string, who: ReturnType<typeof member>, variables?: Record<string, unknown>) {
  const a = args(query, variables);
  const key = groups.keyOf(a, who.viewer);
  if (!key) throw new Error('not groupable');
  return groups.join(key, a, who);
}

/** Lets the pubsub and the groups' pumps run until the condition holds (no clock involved). */
async function settled(condition: () => boolean): Promise<void> {
  for (let turns = 0; !condition(); turns++) {
    if (turns > 100_000) throw new Error('never settled');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('LiveGroups', () => {
  const QUERY = 'subscription($min: Int, $after: String) { ticks(min: $min, after: $after) { n seenBy } }';

  it('executes each event once per group and writes the one serialized result to every member', async () => {
    const { pubSub, counts, groups } = fixture();
    const admins = [member(admin('a1')), member(admin('a2')), member(admin('a3'))];
    const alice = member(therapist('alice'));
    const streams = await Promise.all([...admins, alice].map((m) => join(groups, QUERY, m)));
    expect([groups.size, groups.members, counts.contexts]).toEqual([2, 4, 2]);

    pubSub.publish('tick', 1);
    pubSub.publish('tick', 2);
    await settled(() => groups.deliveries === 8);
    expect(groups.executions).toBe(4); // two events, two groups
    expect(counts.resolved).toBe(4);
    for (const m of admins) expect(m.written).toEqual(['{"data":{"ticks":{"n":1,"seenBy":"ADMIN"}}}', '{"data":{"ticks":{"n":2,"seenBy":"ADMIN"}}}']);
    expect(alice.written).toEqual(['{"data":{"ticks":{"n":1,"seenBy":"THERAPIST:alice"}}}', '{"data":{"ticks":{"n":2,"seenBy":"THERAPIST:alice"}}}']);
    expect(groups.deliveries).toBe(8);

    // One admin leaves: the others still get events; the last one leaving stops the group.
    await (streams[0] as AsyncGenerator).return(undefined);
    pubSub.publish('tick', 3);
    await settled(() => groups.deliveries === 8 + 3);
    expect(admins.map((m) => m.written.length)).toEqual([2, 3, 3]);
    for (const stream of streams.slice(1)) await (stream as AsyncGenerator).return(undefined);
    expect([groups.size, groups.members]).toEqual([0, 0]);
  });

  it('keys groups by variables without the resume argument; a cursor written in the document runs alone', () => {
    const { groups } = fixture();
    const key = (variables: Record<string, unknown>) => groups.keyOf(args(QUERY, variables), admin('a1'));
    expect(key({ min: 1, after: null })).toBe(key({ min: 1 }));
    expect(key({ min: 1 })).not.toBe(key({ min: 2 }));
    expect(key({ min: 1, after: 'cursor-1' })).toBe(key({ min: 1 }));
    expect(key({ after: 'cursor-1' })).toBe(groups.keyOf(args(QUERY), admin('a1')));
    expect(groups.keyOf(args('subscription { ticks(after: "c") { n } }'), admin('a1'))).toBeUndefined();
    expect(groups.keyOf(args('subscription { ticks(after: null) { n } }'), admin('a1'))).toBeDefined();
    expect(groups.keyOf(args('query { ok }'), admin('a1'))).toBeUndefined();
    // Admins share a class, therapists and patients are a class each.
    expect(groups.keyOf(args(QUERY), admin('a1'))).toBe(groups.keyOf(args(QUERY), admin('a2')));
    expect(groups.keyOf(args(QUERY), therapist('t1'))).not.toBe(groups.keyOf(args(QUERY), therapist('t2')));
  });

  it('gives every member the refusal of a subscription that cannot start, and keeps no group', async () => {
    const { groups } = fixture({ refuse: true });
    const results = (await Promise.all([member(admin('a1')), member(admin('a2'))].map((m) => join(groups, QUERY, m)))) as ExecutionResult[];
    for (const result of results) expect(result.errors?.map((e) => e.message)).toEqual(['refused']);
    expect(groups.size).toBe(0);
  });

  it('records each person once however many of their subscriptions are in the group', async () => {
    const shownTo: string[][] = [];
    const { pubSub, groups } = fixture({ shownTo });
    const members = [member(admin('a1')), member(admin('a1')), member(admin('a2')), member(admin('a1'))];
    await Promise.all(members.map((m) => join(groups, QUERY, m)));
    pubSub.publish('tick', 1);
    await settled(() => groups.deliveries === 4);
    expect(shownTo).toEqual([['a1', 'a2']]);
  });

  it('writes a large group in slices, letting the event loop turn between them', async () => {
    const { pubSub, groups } = fixture();
    const members = Array.from({ length: WRITE_SLICE * 2 + 1 }, (_, i) => member(admin(`a${i}`)));
    await Promise.all(members.map((m) => join(groups, QUERY, m)));
    // Something else waiting for the event loop while the group writes (a mutation's answer, a socket's data).
    let writtenWhenItRan: number | undefined;
    const first = members[0];
    first.write = (payload) => {
      first.written.push(payload.json);
      setImmediate(() => (writtenWhenItRan = groups.deliveries));
    };
    pubSub.publish('tick', 1);
    await settled(() => groups.deliveries === members.length);
    expect(writtenWhenItRan).toBe(WRITE_SLICE);
    for (const m of members) expect(m.written).toEqual(['{"data":{"ticks":{"n":1,"seenBy":"ADMIN"}}}']);
  });

  it('hands a resuming member over to its group after its replay: nothing lost, nothing twice, one execution per event', async () => {
    const { pubSub, groups } = fixture({ log: [1, 2, 3] });
    const ns = (m: ReturnType<typeof member>) => m.written.map((w) => (JSON.parse(w) as { data: { ticks: { n: number } } }).data.ticks.n);
    const a = member(admin('a1'));
    await join(groups, QUERY, a);
    // r resumes after 1: 2 and 3 are replayed; 3 (again) and 4 are published while it replays.
    const r = member(admin('a2'));
    const joined = join(groups, QUERY, r, { after: '1' });
    pubSub.publish('tick', 3);
    pubSub.publish('tick', 4);
    await joined;
    await settled(() => ns(r).length === 3 && ns(a).length === 2);
    pubSub.publish('tick', 5);
    await settled(() => ns(r).length === 4 && ns(a).length === 3);
    expect(ns(r)).toEqual([2, 3, 4, 5]);
    expect(ns(a)).toEqual([3, 4, 5]);
    expect([groups.size, groups.members, groups.executions]).toEqual([1, 2, 3]);
  });
});
