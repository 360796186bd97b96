import { MeDocument, RegisterDocument } from '../generated/graphql';
import { startTestAura, wsExecute, type TestAura } from '../support/aura';
import { register, type Person } from '../support/people';
import { privatePostgresAvailable, startPrivatePostgres, until, type PrivateServer } from '../support/services';

/** Aura on a PostgreSQL of its own, which the test crashes and brings back. */
const describeWithPostgres = privatePostgresAvailable ? describe : describe.skip;

describeWithPostgres('a database outage', () => {
  let postgres: PrivateServer;
  let t: TestAura;
  let patient: Person;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    t = await startTestAura({ DATABASE_URL: postgres.url });
    patient = await register(t, 'PATIENT');
  }, 120_000);

  afterAll(async () => {
    try {
      if (postgres && !postgres.running()) await postgres.restart();
      await t?.stop();
    } finally {
      await postgres?.dispose();
    }
  }, 60_000);

  it('is answered 503 SERVICE_UNAVAILABLE with Retry-After while it lasts, and served again when the database returns', async () => {
    expect((await t.request(MeDocument, {}, patient.token)).data?.me?.id).toBe(patient.id);

    await postgres.kill('SIGQUIT'); // immediate shutdown: every connection is cut, new ones are refused

    for (const attempt of [
      () => t.request(MeDocument, {}, patient.token),
      () => t.request(MeDocument, {}, patient.token), // the pool's connections are gone by now: refused
      () => t.request(RegisterDocument, { input: { email: 'outage@example.com', password: 'outage-password', firstName: 'Out', lastName: 'Age' } }),
    ]) {
      const response = await attempt();
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(response.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
      expect(JSON.stringify(response.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat/i);
    }
    const overWebSocket = await wsExecute(t.wsClient(patient.token), '{ me { id } }');
    expect(overWebSocket.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);

    await postgres.restart();
    await until('Aura to reach the database again', async () => (await t.request(MeDocument, {}, patient.token)).data?.me?.id === patient.id);
    const registered = await t.request(RegisterDocument, { input: { email: 'after-outage@example.com', password: 'outage-password', firstName: 'Af', lastName: 'Ter' } });
    expect(registered.status).toBe(200);
    expect(registered.data?.register.user.id).toBeTruthy();
  });
});
