import { randomUUID } from 'node:crypto';
import { AccountStandings } from '../../src/contracts/users';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, validate, type ExecutionResult, type OperationDefinitionNode, type TypeNode } from 'graphql';
import { Viewers } from '../../src/platform/account-standing';
import { createOperationContext } from '../../src/platform/context';
import { CompiledExecution } from '../../src/platform/gateway/compiled-execution';
import { formatError } from '../../src/platform/gateway/error-format';
import { AcceptSessionDocument, CreateUserDocument, ScheduleSessionDocument } from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';
import { TestClock } from '../support/clock';
import { login, register } from '../support/people';
import { SchemaFuzzer } from '../support/schema-fuzz';

/*
 * Differential: every operation of test/operations, and a few hundred fuzzed ones, give the same
 * data and the same errors (message, path, code) compiled by graphql-jit as interpreted by graphql-js,
 * for every kind of viewer, on one seeded database.
 */
const OPERATIONS_DIR = join(__dirname, '..', 'operations');
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** Mutations with counters behind them (failed sign-ins, registrations per address): not run twice. */
const NOT_REPEATED = new Set(['Login', 'Register', 'ChangePassword', 'SendChatbotMessage']);

describe('compiled execution (graphql-jit) answers as graphql-js does', () => {
  let t: TestAura;
  let viewers: Viewers;
  const clock = new TestClock(new Date('2026-12-01T08:00:00Z'));
  const tokens: Record<string, string | undefined> = { anonymous: undefined };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestAura({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1', AURA_AUTH_MAX_PER_ADDRESS: '100000' }, { clock });
    const admin = await login(t, 'admin@aura.test', 'admin-password-1');
    const therapist = await register(t, 'THERAPIST');
    const patient = await register(t, 'PATIENT');
    const analystInput = { email: `analyst-${randomUUID()}@aura.test`, password: 'analyst-password-1', firstName: 'Ana', lastName: 'Lyst', role: 'ANALYST' as const };
    await t.request(CreateUserDocument, { input: analystInput }, admin.token);
    const analyst = await login(t, analystInput.email, analystInput.password);
    const input = { therapistId: therapist.id, scheduledAt: '2026-12-02T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' as const };
    const { id: sessionId } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
    await t.request(AcceptSessionDocument, { id: sessionId }, therapist.token);
    Object.assign(tokens, { patient: patient.token, therapist: therapist.token, admin: admin.token, analyst: analyst.token });
    Object.assign(ids, { session: sessionId, therapist: therapist.id, patient: patient.id, unknown: UNKNOWN_ID });
    viewers = new Viewers(t.aura.gateway.tokens, t.aura.gateway.registry.find(AccountStandings), t.aura.orm.em);
  });
  afterAll(() => t?.stop());

  // Compiled at first sight (the server waits for the second): every run below is compiled.
  const jit = () => new CompiledExecution(t.aura.gateway.schema, true, 1);
  const interpreted = () => new CompiledExecution(t.aura.gateway.schema, false);

  /** What a client would see of a result: data, and each error's message, path and code. */
  function seen(result: ExecutionResult) {
    return JSON.parse(
      JSON.stringify({
        data: result.data,
        errors: result.errors?.map((e) => ({ message: e.message, path: e.path, code: formatError(e.toJSON(), e).extensions?.code })),
      }),
    );
  }

  async function run(engine: CompiledExecution, source: string, operationName: string | undefined, variables: Record<string, unknown>, viewer: string) {
    const document = parse(source);
    expect(validate(t.aura.gateway.schema, document)).toEqual([]);
    const contextValue = createOperationContext({
      requestId: randomUUID(),
      viewer: await viewers.fromAuthorization(tokens[viewer] ? `Bearer ${tokens[viewer]}` : undefined),
      clientAddress: '127.0.0.1',
      em: t.aura.orm.em,
      log: t.aura.log,
    });
    return seen(await engine.execute({ schema: t.aura.gateway.schema, document, operationName, variableValues: variables, contextValue }));
  }

  /** A value for each required variable, by name; an ID variable is tried with each kind of id. */
  function variableSets(operation: OperationDefinitionNode): Array<Record<string, unknown>> {
    const required = (type: TypeNode) => type.kind === Kind.NON_NULL_TYPE;
    const fixed: Record<string, unknown> = {
      paymentReference: 'ref-1',
      reason: 'a reason',
      amountCents: 9000,
      date: '2026-12-03',
      hours: [{ dayOfWeek: 1, startTime: '09:00', endTime: '17:00' }],
      query: 'anx',
      status: 'DEAD',
      subscriber: 'billing',
      eventId: UNKNOWN_ID,
      therapistId: ids.therapist,
      input: { therapistId: ids.therapist, scheduledAt: '2026-12-04T10:00:00.000Z', durationMinutes: 60, sessionType: 'VIDEO' },
    };
    const base: Record<string, unknown> = {};
    let takesId = false;
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      if (name === 'id') takesId = true;
      else if (required(definition.type) && name in fixed) base[name] = fixed[name];
    }
    return takesId ? Object.values(ids).map((id) => ({ ...base, id })) : [base];
  }

  const files = readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith('.graphql'));

  it.each(files)('every operation of %s, for every viewer', async (file) => {
    const source = readFileSync(join(OPERATIONS_DIR, file), 'utf8');
    const operations = parse(source).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    let compared = 0;
    for (const operation of operations) {
      const name = operation.name!.value;
      if (operation.operation === 'subscription' || NOT_REPEATED.has(name)) continue;
      for (const variables of variableSets(operation)) {
        for (const viewer of Object.keys(tokens)) {
          const expected = await run(interpreted(), source, name, variables, viewer);
          // A mutation that succeeded changed what the second run would meet: only refusals are compared.
          if (operation.operation === 'mutation' && !expected.errors) continue;
          const actual = await run(jit(), source, name, variables, viewer);
          expect({ name, viewer, variables, result: actual }).toEqual({ name, viewer, variables, result: expected });
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it("applies an input object's field defaults (graphql-jit alone refuses them as missing)", async () => {
    const source = 'mutation Create($input: CreateUserInput!) { createUser(input: $input) { email timezone isVerified } }';
    const input = { email: `jit-${randomUUID()}@aura.test`, password: 'jit-password-1', firstName: 'J', lastName: 'It', role: 'ANALYST' };
    expect(await run(jit(), source, 'Create', { input }, 'admin')).toEqual({ data: { createUser: { email: input.email, timezone: 'UTC', isVerified: false } } });
  });

  it('fuzzed queries, for every viewer', async () => {
    const fuzzer = new SchemaFuzzer(t.aura.gateway.schema, { seed: 20261206, knownIds: Object.values(ids) });
    const viewerNames = Object.keys(tokens);
    let compared = 0;
    for (let i = 0; compared < 150 && i < 3000; i++) {
      const operation = fuzzer.operation();
      if (!operation.query.trimStart().startsWith('query') && !operation.query.trimStart().startsWith('{')) continue;
      const document = parse(operation.query);
      if (validate(t.aura.gateway.schema, document).length > 0) continue;
      const viewer = viewerNames[i % viewerNames.length];
      const variables = (operation.variables ?? {}) as Record<string, unknown>;
      const expected = await run(interpreted(), operation.query, undefined, variables, viewer);
      const actual = await run(jit(), operation.query, undefined, variables, viewer);
      expect({ query: operation.query, viewer, result: actual }).toEqual({ query: operation.query, viewer, result: expected });
      compared++;
    }
    expect(compared).toBe(150);
  });
});
