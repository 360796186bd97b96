import type { Client } from 'graphql-ws';
import { EndSessionDocument, StartSessionDocument, UpdateUserDocument } from '../generated/graphql';
import Redis from 'ioredis';
import { TokenService } from '../../src/platform/auth';
import { LIVE_EVENT_CURSOR } from '../../src/platform/live-events';
import { startTestAura, TEST_JWT_SECRET, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { acceptedSession, login, type Person, register } from '../support/people';
import { until } from '../support/services';
import { openEventStream, type EventStream } from '../support/sse';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

interface LiveEvent {
  type: string;
  cursor: string;
  session: { id: string };
}

interface Collected {
  events: LiveEvent[];
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
  next(count: number): Promise<LiveEvent[]>;
  dispose(): void;
}

/** Subscribes over the socket and collects every event; `next(n)` waits until n have arrived (or an error). */
function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Collected {
  const events: LiveEvent[] = [];
  const errors: Collected['errors'] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const dispose = client.subscribe<Record<string, LiveEvent>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...(result.errors as Collected['errors']));
        else events.push(Object.values(result.data!)[0]);
        wake();
      },
      error: (error) => {
        errors.push({ message: String(error) });
        wake();
      },
      complete: wake,
    },
  );
  const next = async (count: number) => {
    while (events.length < count && errors.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return events;
  };
  return { events, errors, next, dispose };
}

const eventsOf = (stream: EventStream) => stream.results.map((r) => Object.values(r.data ?? {})[0] as LiveEvent);
const summary = (events: LiveEvent[]) => events.map((e) => [e.type, e.session.id]);

const EVENTS = 'subscription Live($after: String, $types: [TherapySessionEventType!]) { therapySessionEvents(after: $after, types: $types) { type cursor session { id } } }';
const DEEP = `subscription { therapySessionEvents { session { ${'patient { therapySessions { edges { node { '.repeat(3)} id ${'} } } }'.repeat(3)} } } }`;

describe('live events: cursor, resume after a reconnect, and SSE', () => {
  let t: TestAura;
  let streamUrl: string;
  let admin: Person;
  let alice: Person;
  let bob: Person;
  let patient: Person;
  const open: EventStream[] = [];

  const stream = async (request: Parameters<typeof openEventStream>[1], url = streamUrl) => {
    const s = await openEventStream(url, request);
    open.push(s);
    return s;
  };

  const sessionOf = (therapist: Person, at: string) => acceptedSession(t, patient, therapist, at);

  async function start(id: string, therapist: Person, at: string) {
    clock.set(at);
    expect((await t.request(StartSessionDocument, { id }, therapist.token)).errors).toBeUndefined();
  }

  async function end(id: string, therapist: Person) {
    expect((await t.request(EndSessionDocument, { id, summary: 'ok', notes: null }, therapist.token)).errors).toBeUndefined();
  }

  /** Waits until the server runs `count` live operations (WS and SSE; /metrics) and, with Redis, has subscribed its topics. */
  async function subscribed(count: number) {
    const active = async () => Number(/^aura_subscriptions_active (\d+)/m.exec(await (await fetch(t.url.replace('/graphql', '/metrics'))).text())?.[1]);
    await until(`${count} subscriptions to run`, async () => (await active()) === count, 300_000, 20);
    if (!t.settings.redisUrl) return;
    const redis = new Redis(t.settings.redisUrl);
    try {
      await until('Redis to hold a subscriber', async () => {
        const counts = (await redis.pubsub('NUMSUB', 'TherapySessionStarted', 'TherapySessionEnded')) as Array<string | number>;
        return count === 0 || counts.filter((_, i) => i % 2 === 1).every((n) => Number(n) > 0);
      }, 300_000, 20);
    } finally {
      redis.disconnect();
    }
  }

  const sql = (query: string, params: unknown[] = []) => t.aura.orm.em.fork().getConnection().execute(query, params);

  beforeAll(async () => {
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_EVENT_POLL_MS: '3600000', AURA_MAX_SUBSCRIPTIONS_PER_SOCKET: '3', AURA_ACCOUNT_CHECK_SECONDS: '3600' },
      { clock },
    );
    streamUrl = t.url.replace('/graphql', '/graphql/stream');
    admin = await login(t, 'admin@aura.test', 'admin-password-1');
    alice = await register(t, 'THERAPIST');
    bob = await register(t, 'THERAPIST');
    patient = await register(t, 'PATIENT');
  });
  afterEach(() => open.splice(0).forEach((s) => s.close()));
  afterAll(() => t.stop());

  it('replays exactly the missed visible events in order, then live ones, the same over WebSocket and SSE', async () => {
    const [s1, s2, s3, b1] = [
      await sessionOf(alice, '2026-12-08T09:00:00.000Z'),
      await sessionOf(alice, '2026-12-08T11:00:00.000Z'),
      await sessionOf(alice, '2026-12-08T13:00:00.000Z'),
      await sessionOf(bob, '2026-12-08T10:00:00.000Z'),
    ];
    const first = t.wsClient(alice.token);
    const before = collect(first, EVENTS);
    await subscribed(1);
    await start(s1, alice, '2026-12-08T09:00:00Z');
    const [seen] = await before.next(1);
    expect([seen.type, seen.session.id]).toEqual(['STARTED', s1]);
    before.dispose();
    await first.dispose();
    await subscribed(0);

    // Away: two of Alice's events and one of Bob's, which Alice may not see.
    await end(s1, alice);
    await start(b1, bob, '2026-12-08T10:00:00Z');
    await start(s2, alice, '2026-12-08T11:00:00Z');
    await t.aura.gateway.events.settled();

    const ws = collect(t.wsClient(alice.token), EVENTS, { after: seen.cursor });
    const sse = await stream({ query: EVENTS, variables: { after: seen.cursor }, token: alice.token }, t.url); // POST /graphql, Accept: text/event-stream
    const startedOnly = await stream({ query: EVENTS, variables: { after: seen.cursor, types: ['STARTED'] }, token: alice.token, method: 'GET' });
    expect([sse.status, startedOnly.status]).toEqual([200, 200]);
    const missed = [['ENDED', s1], ['STARTED', s2]];
    expect(summary(await ws.next(2))).toEqual(missed);
    expect(summary(eventsOf({ ...sse, results: await sse.next(2) }))).toEqual(missed);
    expect(summary(eventsOf({ ...startedOnly, results: await startedOnly.next(1) }))).toEqual([['STARTED', s2]]);

    await subscribed(3);
    // Replayed, they joined their live groups: WebSocket and SSE without types share one, STARTED only is another.
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(await (await fetch(t.url.replace('/graphql', '/metrics'))).text())?.[1]);
    expect([await metric('aura_live_groups_active'), await metric('aura_live_group_members')]).toEqual([2, 3]);
    const executions = await metric('aura_live_group_executions_total');
    await start(s3, alice, '2026-12-08T13:00:00Z');
    await end(s3, alice);
    const all = [...missed, ['STARTED', s3], ['ENDED', s3]];
    expect(summary(await ws.next(4))).toEqual(all);
    await sse.next(4);
    await startedOnly.next(2);
    // Once per group per event it may see: the start for both groups, the end for one.
    expect((await metric('aura_live_group_executions_total')) - executions).toBe(3);
    // Nothing twice, nothing else: the live event after the replayed ones is the next one.
    expect(summary(ws.events)).toEqual(all);
    expect(eventsOf(sse)).toEqual(ws.events); // the same events, cursors included, both ways
    expect(summary(eventsOf(startedOnly))).toEqual([['STARTED', s2], ['STARTED', s3]]);
    // Cursors follow the outbox order.
    const seqs = [seen, ...ws.events].map((e) => BigInt(LIVE_EVENT_CURSOR.decode(e.cursor)!.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    expect([ws.errors, sse.results.filter((r) => r.errors)]).toEqual([[], []]);
    ws.dispose();
  });

  it('refuses a cursor it did not hand out with BAD_USER_INPUT, on both transports', async () => {
    const foreign = Buffer.from(JSON.stringify(['domainEvents', '1'])).toString('base64url');
    const unknown = LIVE_EVENT_CURSOR.encode({ seq: '999999999' });
    for (const after of ['not-a-cursor', foreign, unknown]) {
      const ws = collect(t.wsClient(alice.token), EVENTS, { after });
      await ws.next(1);
      const sse = await stream({ query: EVENTS, variables: { after }, token: alice.token });
      await sse.ended;
      for (const errors of [ws.errors, sse.results.flatMap((r) => r.errors ?? [])]) {
        expect(errors.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'after is not a cursor returned by this connection']]);
      }
      expect(sse.completed).toBe(true);
    }
  });

  it('answers SSE with the same auth, limits and codes as the other transports', async () => {
    const noToken = await stream({ query: EVENTS });
    const badToken = await stream({ query: EVENTS, token: 'garbage' });
    for (const refused of [noToken, badToken]) {
      expect(refused.status).toBe(401);
      expect((refused.body as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const codeOf = async (query: string) => {
      const s = await stream({ query, token: alice.token });
      await s.ended;
      return s.results.flatMap((r) => r.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.limit]);
    };
    expect(await codeOf(DEEP)).toEqual([['BAD_USER_INPUT', 'depth']]);
    expect(await codeOf('subscription { nope }')).toEqual([['GRAPHQL_VALIDATION_FAILED', undefined]]);
    expect(await codeOf('{ me { id } }')).toEqual([['BAD_REQUEST', undefined]]);
    // An account holds as many streams on an instance as a socket may run operations (3 here).
    const three = await Promise.all([1, 2, 3].map(() => stream({ query: EVENTS, token: bob.token })));
    await subscribed(3);
    const alices = await stream({ query: EVENTS, token: alice.token }); // the cap is per account
    await subscribed(4);
    alices.close();
    const fourth = await stream({ query: EVENTS, token: bob.token });
    await fourth.ended;
    expect(fourth.results.flatMap((r) => r.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.limit])).toEqual([['BAD_USER_INPUT', 'subscriptionsPerSocket']]);
    three.forEach((s) => s.close());
    await subscribed(0);
    // Counted as SSE operations, not WebSocket ones.
    const metrics = await (await fetch(t.url.replace('/graphql', '/metrics'))).text();
    const refusals = (transport: string) => metrics.split('\n').filter((l) => l.startsWith(`aura_graphql_operations_total{transport="${transport}"`) && l.includes('code="GRAPHQL_VALIDATION_FAILED"'));
    expect([refusals('sse').map((l) => l.split(' ')[1]), refusals('ws')]).toEqual([['1'], []]);
  });

  it('ends a stream when the account changes, and at token expiry with UNAUTHENTICATED', async () => {
    const carol = await register(t, 'THERAPIST');
    const live = await stream({ query: EVENTS, token: carol.token });
    await subscribed(1);
    await t.request(UpdateUserDocument, { id: carol.id, input: { isActive: false } }, admin.token);
    await live.ended;
    expect(live.comments).toContain('Account changed');
    const again = await stream({ query: EVENTS, token: carol.token });
    expect(again.status).toBe(401);
    await subscribed(0);

    // A token that expires while the stream is open (a longer one if it expired before the stream opened).
    const tokens = (ttl: number) => new TokenService(TEST_JWT_SECRET, ttl).issue({ userId: alice.id, role: 'THERAPIST' });
    let expiring: EventStream;
    for (let ttl = 2; ; ttl *= 2) {
      expiring = await stream({ query: EVENTS, token: tokens(ttl) });
      if (expiring.status === 200) break;
    }
    await expiring.ended;
    expect(expiring.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(expiring.completed).toBe(true);
  });

  it('refuses a cursor outside the window (24 hours, 10,000 events) and tells the client to reload', async () => {
    const reload = /outside the replay window.*reload/;
    const refusalOf = async (after: string) => {
      const ws = collect(t.wsClient(alice.token), EVENTS, { after });
      await ws.next(1);
      const sse = await stream({ query: EVENTS, variables: { after }, token: alice.token });
      await sse.ended;
      return [ws.errors, sse.results.flatMap((r) => r.errors ?? [])].map((errors) => errors.map((e) => [e.extensions?.code, reload.test(e.message)]));
    };
    // An event recorded 25 hours ago (the outbox is append-only: inserted so).
    const [old] = await sql(
      `insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at, recorded_at)
       values (gen_random_uuid(), 'TherapySessionCancelled', 'old', '{}'::jsonb, now() - interval '25 hours', now() - interval '25 hours') returning seq`,
    );
    expect(await refusalOf(LIVE_EVENT_CURSOR.encode({ seq: String(old.seq) }))).toEqual([[['BAD_USER_INPUT', true]], [['BAD_USER_INPUT', true]]]);
    // A fresh cursor with more than 10,000 events after it.
    const [mark] = await sql(
      `insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at) values (gen_random_uuid(), 'TherapySessionCancelled', 'mark', '{}'::jsonb, now()) returning seq`,
    );
    await sql(
      `insert into platform.domain_event (id, type, aggregate_id, payload, occurred_at)
       select gen_random_uuid(), 'TherapySessionCancelled', 'flood', '{}'::jsonb, now() from generate_series(1, 10001)`,
    );
    expect(await refusalOf(LIVE_EVENT_CURSOR.encode({ seq: String(mark.seq) }))).toEqual([[['BAD_USER_INPUT', true]], [['BAD_USER_INPUT', true]]]);
  });
});
