/*
 * The load generator, in its own process (so it takes no CPU from the server it measures):
 * receives one LoadJob over IPC, drives it with autocannon, answers with a LoadResult.
 */

export interface Person {
  id: string;
  /** Aura: a bearer token; the peers take the id in x-user-id. */
  headers: Record<string, string>;
}

export type LoadJob = { url: string; seconds: number; connections: number } & (
  | { kind: 'query'; body: string; headers: Record<string, string> }
  | { kind: 'mutations'; therapists: Person[]; patients: Person[]; offset: number }
);

export interface LoadResult {
  requests: number;
  /** Requests sent in all, the warm-up's included (what the server's SQL count covers). */
  sent: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Transport failures, non-2xx answers and answers carrying GraphQL errors. */
  errors: number;
  firstError?: string;
}

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?(request: AutocannonRequest, context: Record<string, unknown>): AutocannonRequest;
  onResponse?(status: number, body: string, context: Record<string, unknown>): void;
}
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
  duration: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

const SCHEDULE = `mutation Schedule($input: ScheduleTherapySessionInput!) { scheduleTherapySession(input: $input) { id status } }`;
const ACCEPT = `mutation Accept($id: ID!) { acceptTherapySession(id: $id) { id status } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelTherapySession(id: $id, reason: "bench") { id status } }`;
/** A Monday: sessions go on weekdays 09:00-17:00 UTC (the default working hours), one slot per therapist-hour. */
const FIRST_DAY = Date.UTC(2031, 0, 6);

/** The slot of the n-th booking: therapists take turns, each hour of each weekday once. */
function slotOf(n: number, therapists: number): string {
  const slot = Math.floor(n / therapists);
  const weekday = Math.floor(slot / 8);
  const day = Math.floor(weekday / 5) * 7 + (weekday % 5);
  return new Date(FIRST_DAY + day * 86_400_000 + (9 + (slot % 8)) * 3_600_000).toISOString();
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.url);
  if (!['127.0.0.1', 'localhost'].includes(target.hostname)) throw new Error('benchmarks only target loopback');
  let errors = 0;
  let firstError: string | undefined;
  const check = (status: number, body: string) => {
    if (status === 200 && !body.includes('"errors"')) return true;
    errors++;
    firstError ??= `${status} ${body.slice(0, 300)}`;
    return false;
  };
  const post = { method: 'POST', path: target.pathname };
  let requests: AutocannonRequest[];
  if (job.kind === 'query') {
    requests = [{ ...post, headers: { 'content-type': 'application/json', ...job.headers }, body: job.body, onResponse: (status, body) => void check(status, body) }];
  } else {
    const { therapists, patients } = job;
    let next = job.offset;
    const json = (headers: Record<string, string>, query: string, variables: unknown) => ({
      ...post,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    requests = [
      {
        ...post,
        headers: {},
        setupRequest: (_request, context) => {
          const n = next++;
          const therapist = therapists[n % therapists.length];
          const patient = patients[n % patients.length];
          Object.assign(context, { therapist, patient });
          const input = { therapistId: therapist.id, scheduledAt: slotOf(n, therapists.length), durationMinutes: 60, sessionType: 'VIDEO' };
          return json(patient.headers, SCHEDULE, { input });
        },
        onResponse: (status, body, context) => {
          context.id = check(status, body) ? (JSON.parse(body) as { data: { scheduleTherapySession: { id: string } } }).data.scheduleTherapySession.id : undefined;
        },
      },
      {
        ...post,
        headers: {},
        setupRequest: (_request, context) => json((context.therapist as Person).headers, ACCEPT, { id: context.id ?? '00000000-0000-4000-8000-000000000000' }),
        onResponse: (status, body) => void check(status, body),
      },
      {
        ...post,
        headers: {},
        setupRequest: (_request, context) => json((context.patient as Person).headers, CANCEL, { id: context.id ?? '00000000-0000-4000-8000-000000000000' }),
        onResponse: (status, body) => void check(status, body),
      },
    ];
  }
  // Warm-up seconds first (compiled documents, connection pools, V8's optimiser), not counted.
  const warmUp = await autocannon({ url: target.origin, connections: 10, duration: 2, requests });
  errors = 0;
  firstError = undefined;
  const result = await autocannon({ url: target.origin, connections: job.connections, duration: job.seconds, requests });
  return {
    requests: result.requests.total,
    sent: warmUp.requests.total + result.requests.total,
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + result.errors,
    firstError,
  };
}

if (require.main === module) {
  process.once('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => process.send!(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
