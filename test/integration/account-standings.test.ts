import { AccountStandings } from '../../src/contracts/users';
import { UserService } from '../../src/modules/users/services/user.service';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/** How an account stands, as every operation and the periodic socket check read it, on a real database. */
describe('account standings', () => {
  let db: DatabaseHarness;

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1' });
  }, 180_000);
  afterAll(() => db.destroy());

  it('reads role, activation and token version by id, one at a time or in a batch', async () => {
    const accounts = db.gateway.container.get(UserService);
    const admin = (await accounts.ensureBootstrapAdmin(db.orm.em.fork()))!;
    const input = { email: 'p@example.com', password: 'patient-password', firstName: 'P', lastName: 'Q', timezone: 'UTC', role: 'PATIENT' as const };
    const { user } = await accounts.register(db.op(null), input);
    const adminOp = db.op({ userId: admin.id, role: 'ADMIN' });
    await accounts.updateUser(adminOp, user.id, { role: 'THERAPIST', isActive: false });

    const standings = db.gateway.registry.get(AccountStandings);
    const em = db.orm.em.fork();
    expect(await standings.standingOf(em, user.id)).toEqual({ role: 'THERAPIST', active: false, tokenVersion: 1 });
    expect(await standings.standingOf(em, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await standings.standingOf(em, 'not-a-uuid')).toBeNull();
    const many = await standings.standingsOf(em, [user.id, admin.id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']);
    expect(Object.fromEntries(many)).toEqual({
      [user.id]: { role: 'THERAPIST', active: false, tokenVersion: 1 },
      [admin.id]: { role: 'ADMIN', active: true, tokenVersion: 0 },
    });

    // The change is on the record, in the transaction that made it.
    const [event] = await em.getConnection().execute<Array<{ payload: unknown }>>(
      "select payload from platform.domain_event where type = 'UserAccountChanged' and aggregate_id = ?",
      [user.id],
    );
    expect(event.payload).toEqual({ userId: user.id, changes: ['ROLE', 'DEACTIVATED'], role: 'THERAPIST', actorId: admin.id });
  });
});
