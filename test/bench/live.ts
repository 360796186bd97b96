import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { AcceptSessionDocument, LoginDocument, RegisterDocument, ScheduleSessionDocument, SetWorkingHoursDocument, StartSessionDocument } from '../generated/graphql';
import { scratchDatabase, type ScratchDatabase } from '../support/database';
import { measureOutbox, outboxTable } from './outbox';
import { freePort, startAuraProcess, type AuraProcess } from '../support/process';

/*
 * `npm run bench:live` (issue 13): the built Aura (dist/main.js) in its own process(es), N graphql-ws
 * sockets opened from this process with `ws` directly, all subscribed as an admin to the issue's
 * document; for each N, events are triggered (startTherapySession over HTTP) and each socket's
 * arrival is timed from the event's `occurredAt` (stamped in the mutation's transaction, just before
 * its commit: the load and Aura share this machine's clock), so the figures are commit -> socket
 * (a little more: the rest of the transaction). Prints delivered/p50/p99/max/RSS per N, the
 * mutation's own answer time, and the dispatcher's drain rate (test/bench/outbox.ts, on the
 * PostgreSQL server of BENCH_DATABASE_URL or DATABASE_URL, else 127.0.0.1:5432; BENCH_LIVE_OUTBOX=0
 * skips it), and exits 1 below the targets (BENCH_REPORT_ONLY=1 only reports).
 * BENCH_LIVE_SIZES (default 1,100,1000,10000), BENCH_LIVE_EVENTS (events per size, default 5).
 * Embedded database by default; with DATABASE_URL each configuration gets a fresh database there.
 * BENCH_LIVE_INSTANCES: the configurations, e.g. "1,2" (default "1", and "1,2" when DATABASE_URL
 * and REDIS_URL are set): 2 spreads the sockets over two instances on PostgreSQL + Redis, the
 * events triggered on the first. BENCH_PROFILE=<dir>: Aura runs with --cpu-prof, its profiles
 * written there when the bench stops it.
 */
const SIZES = (process.env.BENCH_LIVE_SIZES ?? '1,100,1000,10000').split(',').map(Number);
const EVENTS = Number(process.env.BENCH_LIVE_EVENTS ?? 5);
const ON_REDIS = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const CONFIGURATIONS = (process.env.BENCH_LIVE_INSTANCES ?? (ON_REDIS ? '1,2' : '1')).split(',').map(Number);
const PROFILE = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const REPORT_ONLY = process.env.BENCH_REPORT_ONLY === '1';
/** Sockets opened at once. */
const OPENING = 200;
/** How long to wait for the last socket's event before counting it undelivered. */
const DELIVERY_DEADLINE_MS = 60_000;
const KiB = 1024;
/** A therapist's sessions a day are limited (8): the bench's are spread over therapists. */
const SESSIONS_PER_THERAPIST = 4;
const MiB = 2 ** 20;

const TARGETS = { p50Ms: 250, p99Ms: 1000, singleMs: 50, idleKiBPerSocket: 20, largeN: 10_000 };

const QUERY = `subscription { therapySessionStarted { type occurredAt session { id status scheduledAt
  therapist { id firstName lastName } patient { id firstName lastName } } } }`;

/** This machine's wall clock in milliseconds, finer than Date.now(). */
const wallClock = () => performance.timeOrigin + performance.now();

async function call<T, V>(url: string, document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
}

async function waitFor(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One subscribed socket: for each session's event, milliseconds from its occurredAt to its arrival. */
interface Subscriber {
  socket: WebSocket;
  latency: Map<string, number>;
}

const SESSION_ID = /"session":\{"id":"([^"]+)"/;
/** Each session's event's occurredAt (ms), as the sockets read it. */
const occurred = new Map<string, number>();
const OCCURRED_AT = /"occurredAt":"([^"]+)"/;

function subscribe(wsUrl: string, token: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const latency = new Map<string, number>();
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data: Buffer) => {
      const at = wallClock();
      const text = data.toString();
      if (text.startsWith('{"id"') || text.includes('"type":"next"')) {
        const id = SESSION_ID.exec(text)?.[1];
        const occurredAt = OCCURRED_AT.exec(text)?.[1];
        if (id && occurredAt) {
          occurred.set(id, Date.parse(occurredAt));
          latency.set(id, at - Date.parse(occurredAt));
        }
        else console.error(`unexpected message: ${text.slice(0, 300)}`);
      } else if (text.includes('"connection_ack"')) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
        resolve({ socket, latency });
      } else if (text.includes('"ping"')) socket.send('{"type":"pong"}');
    });
    socket.on('error', reject);
    socket.on('close', (code) => reject(new Error(`socket closed ${code}`)));
  });
}

async function openSockets(count: number, wsUrls: string[], token: string): Promise<Subscriber[]> {
  const subscribers: Subscriber[] = [];
  for (let start = 0; start < count; start += OPENING) {
    const batch = Array.from({ length: Math.min(OPENING, count - start) }, (_, i) => subscribe(wsUrls[(start + i) % wsUrls.length], token));
    subscribers.push(...(await Promise.all(batch)));
  }
  return subscribers;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Row {
  instances: number;
  n: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  firstP50: number;
  /** The mutation's own answer, from sending it. */
  answerP50: number;
  /** The mutation's answer received, from its event's occurredAt: the part of the figures before (or without) delivery. */
  answeredAfterP50: number;
  rssMiB: number;
  kibPerSocket: number;
  executions: number;
}

/** Starts `instances` Aura processes on a fresh database, measures every size, stops them. */
async function measure(instances: number): Promise<Row[]> {
  if (instances > 1 && !ON_REDIS) throw new Error('more than one instance needs DATABASE_URL and REDIS_URL');
  const dataDir = mkdtempSync(join(tmpdir(), 'aura-bench-live-'));
  let database: ScratchDatabase | undefined;
  const servers: AuraProcess[] = [];
  try {
    database = process.env.DATABASE_URL ? await scratchDatabase() : undefined;
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      AURA_DATA_DIR: dataDir,
      JWT_SECRET: 'bench-live-secret-that-is-long-enough-for-hs256-0123456789',
      AURA_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
      AURA_ADMIN_EMAIL: 'admin@aura.bench',
      AURA_ADMIN_PASSWORD: 'admin-password-1',
      AURA_MIN_LEAD_MINUTES: '0',
      AURA_EARLY_START_MINUTES: '4320',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      ...(database?.url && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    };
    // One after the other: the first migrates the fresh database.
    for (let i = 0; i < instances; i++) {
      const server = startAuraProcess(await freePort(), env, 'built', PROFILE);
      servers.push(server);
      await server.ready();
    }
    const [first] = servers;
    const wsUrls = servers.map((s) => s.url.replace('http', 'ws'));

    const admin = (await call(first.url, LoginDocument, { email: 'admin@aura.bench', password: 'admin-password-1' })).login;
    let people = 0;
    const register = async (role: 'THERAPIST' | 'PATIENT') =>
      (await call(first.url, RegisterDocument, { input: { email: `${role.toLowerCase()}-${++people}@bench.test`, password: 'bench-password-1', firstName: 'Bench', lastName: role, role, timezone: 'UTC' } })).register;
    // Every event starts a session of its own, scheduled ahead (started early, within AURA_EARLY_START_MINUTES);
    // a therapist has at most 8 a day, so each pair of therapist and patient has a few.
    const sessions: Array<{ id: string; token: string }> = [];
    const base = Date.now() + 60 * 60_000;
    let therapist = await register('THERAPIST');
    let patient = await register('PATIENT');
    for (let i = 0; i < SIZES.length * EVENTS; i++) {
      if (i % SESSIONS_PER_THERAPIST === 0) {
        therapist = await register('THERAPIST');
        patient = await register('PATIENT');
        await call(first.url, SetWorkingHoursDocument, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) }, therapist.token);
      }
      const scheduledAt = new Date(base + i * 90 * 60_000).toISOString();
      const input = { therapistId: therapist.user.id, scheduledAt, durationMinutes: 60, sessionType: 'VIDEO' as const };
      const { id } = (await call(first.url, ScheduleSessionDocument, { input }, patient.token)).scheduleTherapySession;
      await call(first.url, AcceptSessionDocument, { id }, therapist.token);
      sessions.push({ id, token: therapist.token });
    }

    const sum = async (name: string) => (await Promise.all(servers.map((s) => metric(s.url, name)))).reduce((a, b) => a + b, 0);
    const rows: Row[] = [];
    for (const n of SIZES) {
      const rssBefore = await sum('process_resident_memory_bytes');
      const subscribers = await openSockets(n, wsUrls, admin.token);
      await waitFor(`${n} subscriptions`, async () => (await sum('aura_subscriptions_active')) === n);
      if (instances > 1) {
        const redis = new Redis(process.env.REDIS_URL!);
        // Every instance that holds a socket has subscribed the topic on Redis.
        const holding = Math.min(instances, n);
        await waitFor('Redis subscribers', async () => Number(((await redis.pubsub('NUMSUB', 'TherapySessionStarted')) as unknown[])[1]) >= holding);
        redis.disconnect();
      }
      const rssIdle = await sum('process_resident_memory_bytes');
      const executionsBefore = await sum('aura_live_group_executions_total');
      const latencies: number[] = [];
      const firsts: number[] = [];
      const answers: number[] = [];
      const answeredAfter: number[] = [];
      let delivered = 0;
      for (let e = 0; e < EVENTS; e++) {
        const { id: session, token } = sessions.shift()!;
        const sent = performance.now();
        await call(first.url, StartSessionDocument, { id: session }, token);
        answers.push(performance.now() - sent);
        const answeredAt = wallClock();
        const deadline = Date.now() + DELIVERY_DEADLINE_MS;
        while (subscribers.some((s) => !s.latency.has(session)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        const times = subscribers.filter((s) => s.latency.has(session)).map((s) => s.latency.get(session)!);
        if (occurred.has(session)) answeredAfter.push(answeredAt - occurred.get(session)!);
        delivered += times.length;
        latencies.push(...times);
        if (times.length) firsts.push(Math.min(...times));
      }
      latencies.sort((a, b) => a - b);
      firsts.sort((a, b) => a - b);
      answers.sort((a, b) => a - b);
      const row: Row = {
        instances,
        n,
        delivered,
        expected: n * EVENTS,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1] ?? NaN,
        firstP50: percentile(firsts, 50),
        answerP50: percentile(answers, 50),
        answeredAfterP50: percentile(answeredAfter.sort((a, b) => a - b), 50),
        rssMiB: rssIdle / MiB,
        kibPerSocket: (rssIdle - rssBefore) / n / KiB,
        executions: (await sum('aura_live_group_executions_total')) - executionsBefore,
      };
      rows.push(row);
      console.log(
        `${instances} instance(s), N=${n}: delivered ${row.delivered}/${row.expected}, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, max ${row.max.toFixed(1)} ms, ` +
          `RSS ${row.rssMiB.toFixed(0)} MiB (${row.kibPerSocket.toFixed(1)} KiB/socket), group executions ${row.executions}, mutation answered p50 ${row.answerP50.toFixed(1)} ms (${row.answeredAfterP50.toFixed(1)} ms after occurredAt)`,
      );
      for (const s of subscribers) s.socket.removeAllListeners('close');
      for (const s of subscribers) s.socket.terminate();
      await waitFor('sockets to close', async () => (await sum('aura_subscriptions_active')) === 0);
    }
    return rows;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const instances of CONFIGURATIONS) rows.push(...(await measure(instances)));

  const store = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite';
  console.log(`\nLive events on ${store}, ${EVENTS} events per size, time from the event's occurredAt (in its commit's transaction) to each socket's event`);
  console.log('| instances | N | delivered | p50 ms | p99 ms | max ms | first socket p50 ms | mutation answer p50 ms | answer after occurredAt p50 ms | RSS MiB (subscribed, idle) | KiB/socket | executions |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.instances} | ${r.n} | ${r.delivered}/${r.expected} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.firstP50.toFixed(1)} | ${r.answerP50.toFixed(1)} | ${r.answeredAfterP50.toFixed(1)} | ${r.rssMiB.toFixed(0)} | ${r.kibPerSocket.toFixed(1)} | ${r.executions} |`,
    );
  }

  const failures: string[] = [];
  if (process.env.BENCH_LIVE_OUTBOX !== '0') {
    const outbox = await measureOutbox();
    console.log(`\nDispatcher on PostgreSQL (bench:outbox):\n${outboxTable(outbox)}`);
    if (!outbox.met) failures.push('the dispatcher (bench:outbox figures above)');
  }

  for (const r of rows) {
    const which = `${r.instances} instance(s), N=${r.n}`;
    if (r.delivered < r.expected) failures.push(`${which}: ${r.expected - r.delivered} events not delivered`);
    if (r.n === 1 && !(r.p50 < TARGETS.singleMs)) failures.push(`${which}: p50 ${r.p50.toFixed(1)} ms >= ${TARGETS.singleMs} ms`);
    if (r.n >= TARGETS.largeN) {
      if (!(r.p50 < TARGETS.p50Ms)) failures.push(`${which}: p50 ${r.p50.toFixed(1)} ms >= ${TARGETS.p50Ms} ms`);
      if (!(r.p99 < TARGETS.p99Ms)) failures.push(`${which}: p99 ${r.p99.toFixed(1)} ms >= ${TARGETS.p99Ms} ms`);
      if (!(r.kibPerSocket < TARGETS.idleKiBPerSocket)) failures.push(`${which}: ${r.kibPerSocket.toFixed(1)} KiB per idle socket >= ${TARGETS.idleKiBPerSocket}`);
    }
  }
  if (failures.length) {
    console.log(`\nBelow target:\n- ${failures.join('\n- ')}`);
    if (!REPORT_ONLY) process.exitCode = 1;
  } else console.log('\nAll targets met.');
}

// Stopped from outside (Ctrl-C, a timeout): the servers it started stop too (support/process kills them on exit).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
