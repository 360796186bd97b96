import { AccountStandings } from '../../src/contracts/users';
import { UserService } from '../../src/modules/users/services/user.service';
import { Viewers } from '../../src/platform/account-standing';
import type { TokenSession } from '../../src/platform/auth';
import { UnauthenticatedError } from '../../src/platform/errors';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/** How an account stands, as every operation and the periodic socket check read it, on a real database. */
describe('account standings', () => {
  let db: DatabaseHarness;

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_ADMIN_EMAIL: 'admin@aura.test', AURA_ADMIN_PASSWORD: 'admin-password-1' });
  }, 180_000);
  afterAll(() => db.destroy());

  it('reads role, activation and token version by id, in a batch', async () => {
    const accounts = db.gateway.container.get(UserService);
    const admin = (await accounts.ensureBootstrapAdmin(db.orm.em.fork()))!;
    const input = { email: 'p@example.com', password: 'patient-password', firstName: 'P', lastName: 'Q', timezone: 'UTC', role: 'PATIENT' as const };
    const { user } = await accounts.register(db.op(null), input);
    const adminOp = db.op({ userId: admin.id, role: 'ADMIN' });
    await accounts.updateUser(adminOp, user.id, { role: 'THERAPIST', isActive: false });

    const standings = db.gateway.registry.get(AccountStandings);
    const em = db.orm.em.fork();
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

  it("checks the operations of one turn of the event loop with one read, each against the account as it stood when it arrived", async () => {
    const accounts = db.gateway.container.get(UserService);
    const admin = (await accounts.ensureBootstrapAdmin(db.orm.em.fork()))!;
    const register = async (email: string) =>
      (await accounts.register(db.op(null), { email, password: 'patient-password', firstName: 'P', lastName: 'Q', timezone: 'UTC', role: 'PATIENT' })).user;
    const [ana, bo] = [await register('ana@example.com'), await register('bo@example.com')];
    const viewers = new Viewers(db.gateway.tokens, db.gateway.registry.get(AccountStandings), db.orm.em);
    const sessionOf = (userId: string, tokenVersion = 0): TokenSession => ({ viewer: { userId, role: 'PATIENT' }, tokenVersion, expiresAt: new Date('2100-01-01T00:00:00Z') });
    const reads = () => db.queries.filter((q) => /from users\.user_account where id in/.test(q)).length;

    const before = reads();
    const viewed = await Promise.all([ana.id, ana.id, bo.id, ana.id, '00000000-0000-4000-8000-000000000000'].map((id) => viewers.current(sessionOf(id)).catch((e: unknown) => e)));
    expect(reads() - before).toBe(1);
    expect(viewed.slice(0, 4)).toEqual([
      { userId: ana.id, role: 'PATIENT' },
      { userId: ana.id, role: 'PATIENT' },
      { userId: bo.id, role: 'PATIENT' },
      { userId: ana.id, role: 'PATIENT' },
    ]);
    expect(viewed[4]).toBeInstanceOf(UnauthenticatedError);

    // A change committed before an operation arrives counts for it, though a read of that account is under way.
    const underWay = viewers.current(sessionOf(ana.id));
    await accounts.updateUser(db.op({ userId: admin.id, role: 'ADMIN' }), ana.id, { role: 'THERAPIST' });
    const after = viewers.current(sessionOf(ana.id));
    await expect(underWay).resolves.toBeDefined();
    await expect(after).resolves.toEqual({ userId: ana.id, role: 'THERAPIST' });
    await accounts.updateUser(db.op({ userId: admin.id, role: 'ADMIN' }), bo.id, { isActive: false });
    await expect(viewers.current(sessionOf(bo.id))).rejects.toThrow(/deactivated/);
  });
});
