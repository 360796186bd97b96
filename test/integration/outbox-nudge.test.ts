import { AURA_MODULES } from '../../src/config/modules';
import type { DomainEvent } from '../../src/contracts/events';
import { defineModule, handle } from '../../src/platform/module';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/** A fixture subscriber that tells the test when it has handled an event. */
let handled: (aggregateId: string) => void = () => undefined;
class Probe {
  async notice(event: DomainEvent<'UserRegistered'>): Promise<void> {
    handled(event.aggregateId);
  }
}
const probe = defineModule({
  name: 'probe',
  entities: [],
  migrations: [],
  providers: [],
  resolvers: [],
  handlers: [handle('UserRegistered', Probe, 'notice')],
});

describe('the outbox dispatcher is woken by the commit', () => {
  let db: DatabaseHarness;

  beforeAll(async () => {
    // No polling: only the nudge after a commit can start a delivery.
    db = await openTestDatabase(
      { AURA_EVENT_POLL_MS: '3600000' },
      { manifest: [...AURA_MODULES, { name: 'probe', architecture: 'layered', dependsOn: [], load: () => probe }] },
    );
    await db.gateway.events.settled();
  });
  afterAll(() => db.destroy());

  it('delivers an event recorded in a transaction once that transaction commits, even if the dispatcher looked before', async () => {
    const delivered = new Promise<string>((resolve) => (handled = resolve));
    await db.orm.em.fork().transactional(async (tx) => {
      await db.gateway.events.recorder(tx).record('UserRegistered', 'nudged', { userId: 'u', role: 'PATIENT', source: 'admin' });
      // The dispatcher runs a pass now and finds nothing committed yet. (The embedded database runs one
      // session at a time: there the pass would wait for this transaction, so it cannot look early.)
      if (!db.endpoint.embedded) await db.gateway.events.settled();
    });
    expect(await delivered).toBe('nudged');
  });
});
