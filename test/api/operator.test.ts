import { Writable } from 'node:stream';
import { MeDocument } from '../generated/graphql';
import { createLogger } from '../../src/platform/logger';
import { MAX_OPERATION_NAMES } from '../../src/platform/metrics';
import { startTestAura, type TestAura } from '../support/aura';
import { register, type Person } from '../support/people';

/** The operator's view: /metrics, and one request log line per request with the operation, viewer and outcome. */
describe("the operator's view", () => {
  let t: TestAura;
  let patient: Person;
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        raw.push(String(chunk));
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    t = await startTestAura({}, { log: createLogger('debug', sink) });
    patient = await register(t, 'PATIENT');
  });
  afterAll(() => t.stop());

  const metrics = async () => {
    const response = await fetch(t.url.replace('/graphql', '/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  const requestLines = () => lines.filter((l) => l.msg === 'request');

  it('counts operations by name, type and outcome code, with their latency', async () => {
    expect((await t.request(MeDocument, {}, patient.token)).data?.me).toBeTruthy();
    expect((await t.request(MeDocument, {}, 'not-a-token')).status).toBe(401);
    expect((await t.post({ query: 'query Broken { nothingHere }' })).status).toBe(400);
    const text = await metrics();
    expect(sample(text, 'aura_graphql_operations_total{transport="http",type="mutation",operation="Register",code="OK"}')).toBe(1);
    expect(sample(text, 'aura_graphql_operations_total{transport="http",type="query",operation="Me",code="OK"}')).toBe(1);
    expect(sample(text, 'aura_graphql_operations_total{transport="http",type="unknown",operation="Me",code="UNAUTHENTICATED"}')).toBe(1);
    expect(sample(text, 'aura_graphql_operations_total{transport="http",type="query",operation="Broken",code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(sample(text, 'aura_graphql_operation_duration_seconds_count{transport="http",type="query",operation="Me"}')).toBe(1);
    for (const series of ['aura_outbox_pending_deliveries', 'aura_outbox_dead_deliveries', 'aura_outbox_lag_seconds', 'aura_db_pool_connections{state="max"}', 'nodejs_eventloop_lag_seconds', 'aura_websockets_active']) {
      expect(sample(text, series)).toBeGreaterThanOrEqual(0);
    }
    // Counts only: no person, id or health data.
    expect(text).not.toContain(patient.id);
    expect(text).not.toContain(patient.email);
  });

  it('counts sockets and the operations running on them', async () => {
    const client = t.wsClient(patient.token);
    const events: unknown[] = [];
    const dispose = client.subscribe({ query: 'subscription Live { therapySessionEvents { type } }' }, { next: (e) => events.push(e), error: () => undefined, complete: () => undefined });
    let text = '';
    for (;;) {
      text = await metrics();
      if (sample(text, 'aura_subscriptions_active') === 1) break;
      await new Promise((r) => setImmediate(r));
    }
    expect(sample(text, 'aura_websockets_active')).toBe(1);
    dispose();
    await client.dispose();
    for (;;) {
      text = await metrics();
      if (sample(text, 'aura_websockets_active') === 0) break;
      await new Promise((r) => setImmediate(r));
    }
    expect(sample(text, 'aura_subscriptions_active')).toBe(0);
    expect(sample(text, 'aura_graphql_operations_total{transport="ws",type="subscription",operation="Live",code="OK"}')).toBe(1);
  });

  it(`keeps at most ${MAX_OPERATION_NAMES} client-chosen operation names, then counts "other"`, async () => {
    for (let n = 0; n < MAX_OPERATION_NAMES + 5; n++) await t.post({ query: `query Name${n} { __typename }` });
    const text = await metrics();
    const names = new Set([...text.matchAll(/^aura_graphql_operations_total\{[^}]*operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 2); // + "other" and "anonymous"
    expect(names.has('other')).toBe(true);
  });

  it('logs each request once with its operation, viewer and outcome, probes at debug, and nothing of the body', async () => {
    await t.request(MeDocument, {}, patient.token);
    const me = requestLines().filter((l) => l.operation === 'Me' && l.code === 'OK').at(-1);
    expect(me).toMatchObject({ level: 30, method: 'POST', path: '/graphql', status: 200, type: 'query', viewerId: patient.id, role: 'PATIENT' });
    expect(typeof me!.ms).toBe('number');
    expect(typeof me!.requestId).toBe('string');
    expect(requestLines().find((l) => l.code === 'UNAUTHENTICATED')).toMatchObject({ status: 401, operation: 'Me' });
    await fetch(t.url.replace('/graphql', '/healthz'));
    expect(requestLines().find((l) => l.path === '/healthz')).toMatchObject({ level: 20 });
    const all = raw.join('');
    expect(all).not.toContain('api-test-password');
    expect(all).not.toContain(patient.email);
    expect(all).not.toContain('authorization');
  });

  it('serves no /metrics with AURA_METRICS=off', async () => {
    const off = await startTestAura({ AURA_METRICS: 'off' });
    try {
      expect((await fetch(off.url.replace('/graphql', '/metrics'))).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});
