import { startTestAura, type TestAura } from '../support/aura';

interface Page {
  totalCount: number;
  edges: Array<{ node: { name: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface Answer {
  data: { register: { token: string }; addAnalyticsItem: { name: string }; analyticsItems: Page };
  errors: Array<{ extensions: { code: string } }>;
}

describe('the analytics module over HTTP', () => {
  let t: TestAura;
  let token: string;

  beforeAll(async () => {
    t = await startTestAura();
    const registered = await t.post({
      query: 'mutation ($input: RegisterInput!) { register(input: $input) { token } }',
      variables: { input: { email: 'analytics-user@example.com', password: 'a long enough password', firstName: 'Ada', lastName: 'Lovelace', role: 'PATIENT' } },
    });
    token = ((await registered.json()) as Answer).data.register.token;
  });
  afterAll(() => t.stop());

  const call = async (query: string, variables: Record<string, unknown> = {}, bearer: string | null = token) =>
    (await (await t.post({ query, variables }, bearer ? { authorization: `Bearer ${bearer}` } : {})).json()) as Answer;

  it('adds items and pages through them, newest first', async () => {
    for (const name of ['one', 'two', 'three']) {
      expect((await call('mutation ($name: String!) { addAnalyticsItem(name: $name) { name } }', { name })).data.addAnalyticsItem.name).toBe(name);
    }
    const list = 'query ($after: String) { analyticsItems(first: 2, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }';
    const first = (await call(list)).data.analyticsItems;
    expect(first.edges.map((e) => e.node.name)).toEqual(['three', 'two']);
    expect(first.totalCount).toBe(3);
    const second = (await call(list, { after: first.pageInfo.endCursor })).data.analyticsItems;
    expect(second.edges.map((e) => e.node.name)).toEqual(['one']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses bad input, a foreign cursor and anonymous callers with clear codes', async () => {
    expect((await call('mutation { addAnalyticsItem(name: "   ") { id } }')).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await call('{ analyticsItems(after: "garbage") { totalCount } }')).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await call('{ analyticsItems { totalCount } }', {}, null)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
