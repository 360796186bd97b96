import jwt from 'jsonwebtoken';
import {
  AcceptSessionDocument,
  CreateUserDocument,
  EndSessionDocument,
  InvoicesDocument,
  ScheduleSessionDocument,
  StartSessionDocument,
} from '../generated/graphql';
import { startTestAura, TEST_JWT_SECRET, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register } from '../support/people';
import { SchemaFuzzer, type FuzzOperation } from '../support/schema-fuzz';

/** Fixed: a failure found here is found again on every run. */
const SEED = 20261129;
const OPERATIONS = 2_000;
/** Requests in flight at once: enough to overlap, few enough for a loaded 2-core machine. */
const IN_FLIGHT = 6;
/** The guard against a hang: a few times what the run takes on a busy 2-core machine. */
const RUN_TIMEOUT_MS = 180_000;

interface Finding {
  viewer: string;
  operation: FuzzOperation;
  status: number;
  body: string;
}

describe('schema-driven fuzzing over HTTP', () => {
  let t: TestAura;
  const clock = new TestClock(new Date('2026-12-01T08:00:00Z'));
  const tokens: Record<string, string | undefined> = {};
  const knownIds: string[] = [];

  beforeAll(async () => {
    t = await startTestAura(
      { AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_AUTH_MAX_PER_ADDRESS: '100000', AURA_EVENT_POLL_MS: '50' },
      { clock },
    );
    const admin = await login(t, 'admin@aura.test', 'admin-password-1');
    const therapist = await register(t, 'THERAPIST');
    const patient = await register(t, 'PATIENT');
    const analystInput = { email: 'analyst@aura.test', password: 'analyst-password-1', firstName: 'Ana', lastName: 'Lyst', role: 'ANALYST' as const };
    await t.request(CreateUserDocument, { input: analystInput }, admin.token);
    const analyst = await login(t, analystInput.email, analystInput.password);

    // One completed, invoiced session, so forged arguments can meet real rows.
    const input = { therapistId: therapist.id, scheduledAt: '2026-12-02T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
    const { id: sessionId } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
    await t.request(AcceptSessionDocument, { id: sessionId }, therapist.token);
    clock.set('2026-12-02T10:00:00.000Z');
    await t.request(StartSessionDocument, { id: sessionId }, therapist.token);
    await t.request(EndSessionDocument, { id: sessionId, notes: 'fuzz notes' }, therapist.token);
    await t.aura.gateway.events.settled();
    const invoices = await t.request(InvoicesDocument, {}, patient.token);
    knownIds.push(admin.id, therapist.id, patient.id, analyst.id, sessionId, ...invoices.data!.invoices.edges.map((e) => e.node.id));

    Object.assign(tokens, {
      anonymous: undefined,
      patient: patient.token,
      therapist: therapist.token,
      admin: admin.token,
      analyst: analyst.token,
      // Signed with the right key, but its subject is not a user id.
      forgedSubject: jwt.sign({ role: 'ADMIN' }, TEST_JWT_SECRET, { algorithm: 'HS256', subject: 'not-a-uuid', issuer: 'aura', expiresIn: 600 }),
    });
  });
  afterAll(() => t?.stop());

  it(`answers ${OPERATIONS} hostile operations from every kind of viewer, none with an internal error`, async () => {
    const fuzzer = new SchemaFuzzer(t.aura.gateway.schema, { seed: SEED, knownIds });
    const viewers = Object.keys(tokens);
    const work = Array.from({ length: OPERATIONS }, (_, i) => ({ viewer: viewers[i % viewers.length], operation: fuzzer.operation() }));
    const findings: Finding[] = [];
    let answered = 0;
    /** Operations that got past parsing and validation into execution (HTTP 200): the fuzzing reaches resolvers. */
    let executed = 0;

    const run = async ({ viewer, operation }: (typeof work)[number]) => {
      const token = tokens[viewer];
      const response = await t.post({ query: operation.query, variables: operation.variables }, token ? { authorization: `Bearer ${token}` } : {});
      const text = await response.text();
      answered++;
      if (response.status === 200) executed++;
      if (response.status >= 500 || text.includes('INTERNAL_SERVER_ERROR')) {
        findings.push({ viewer, operation, status: response.status, body: text.slice(0, 300) });
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < work.length) await run(work[next++]);
      }),
    );

    expect(answered).toBe(OPERATIONS);
    expect(executed).toBeGreaterThan(OPERATIONS / 4);
    // One example per root field and viewer keeps the message readable.
    const distinct = new Map(findings.map((f) => [`${f.operation.field}/${f.viewer}`, f]));
    expect([...distinct.values()].map((f) => ({ ...f, operation: { ...f.operation, query: f.operation.query.slice(0, 400) } }))).toEqual([]);
  }, RUN_TIMEOUT_MS);
});
