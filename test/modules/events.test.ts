import { AURA_MODULES } from '../../src/config/modules';
import type { DomainEvent } from '../../src/contracts/events';
import { UserDirectory, type UserSummary } from '../../src/contracts/users';
import { createOperationContext } from '../../src/platform/context';
import { defineModule, handle } from '../../src/platform/module';
import { RegisterDocument } from '../generated/graphql';
import { startTestAura, type TestAura } from '../support/aura';

/** A fixture module that reacts to users' UserRegistered without importing the users module. */
const received: Array<DomainEvent<'UserRegistered'>> = [];
class Greeter {
  async greet(event: DomainEvent<'UserRegistered'>): Promise<void> {
    received.push(event);
  }
}
const welcomeModule = defineModule({
  name: 'welcome',
  entities: [],
  migrations: [],
  providers: [],
  resolvers: [],
  handlers: [handle('UserRegistered', Greeter, 'greet')],
});

describe('inter-module events and services', () => {
  let t: TestAura;
  beforeAll(async () => {
    t = await startTestAura({}, {
      manifest: [
        ...AURA_MODULES,
        { name: 'welcome', architecture: 'layered', dependsOn: ['users'], load: () => welcomeModule },
      ],
    });
  });
  afterAll(() => t.stop());

  it("delivers users' UserRegistered to another module, once per registration", async () => {
    const response = await t.request(RegisterDocument, {
      input: { email: 'new@example.com', password: 'welcome-password', firstName: 'New', lastName: 'Comer', role: 'THERAPIST' },
    });
    const user = response.data!.register.user;
    await t.aura.gateway.events.settled();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: 'UserRegistered', aggregateId: user.id, payload: { userId: user.id, role: 'THERAPIST', source: 'register' } });
  });

  it('publishes nothing for a refused registration', async () => {
    const before = received.length;
    await t.request(RegisterDocument, { input: { email: 'new@example.com', password: 'welcome-password', firstName: 'Dup', lastName: 'Licate' } });
    await t.aura.gateway.events.settled();
    expect(received).toHaveLength(before);
  });

  it("serves users' UserDirectory to other modules through the registry", async () => {
    const directory = t.aura.gateway.registry.get(UserDirectory);
    const op = createOperationContext({ requestId: 't', viewer: null, clientAddress: null, em: t.aura.orm.em, log: t.aura.log });
    const [found] = (await directory.findByIds(op, [received[0].payload.userId])) as UserSummary[];
    expect(found).toMatchObject({ email: 'new@example.com', role: 'THERAPIST' });
  });
});
