import { injectable } from 'inversify';
import { AURA_MODULES } from '../../src/config/modules';
import { TherapistVisibility, UserDirectory, type TherapistVisibilityRule } from '../../src/contracts/users';
import { defineModule, provide } from '../../src/platform/module';
import { migrateToLatest } from '../../src/platform/database';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/platform/errors';
import { UserService } from '../../src/modules/users/services/user.service';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const ADMIN_EMAIL = 'root@aura.test';

/** A fixture module that vouches for the pairs the test names: the users module asks every such rule. */
const vouched = new Set<string>();
@injectable()
class Voucher implements TherapistVisibilityRule {
  async therapistMaySee(_op: unknown, therapistId: string, userId: string): Promise<boolean> {
    return vouched.has(`${therapistId}/${userId}`);
  }
}
const voucherModule = defineModule({
  name: 'voucher',
  entities: [],
  migrations: [],
  providers: [],
  resolvers: [],
  contributes: [provide(TherapistVisibility, Voucher)],
});

describe('users on a real database', () => {
  let db: DatabaseHarness;
  let accounts: UserService;
  let directory: UserDirectory;
  const person = (email: string, role: 'PATIENT' | 'THERAPIST' = 'PATIENT') => ({
    email,
    password: 'a long enough password',
    firstName: 'Test',
    lastName: email.split('@')[0],
    role,
    timezone: 'UTC',
  });

  beforeAll(async () => {
    // No timed polling: the statements counted below are the test's alone.
    db = await openTestDatabase(
      { AURA_ADMIN_EMAIL: ADMIN_EMAIL, AURA_ADMIN_PASSWORD: 'root-password-123', AURA_EVENT_POLL_MS: '3600000' },
      { manifest: [...AURA_MODULES, { name: 'voucher', architecture: 'layered', dependsOn: ['users'], load: () => voucherModule }] },
    );
    accounts = db.gateway.container.get(UserService);
    directory = db.gateway.registry.get(UserDirectory);
  });
  afterAll(() => db.destroy());

  it('has run every migration, and running them again does nothing', async () => {
    expect(await migrateToLatest(db.orm)).toEqual([]);
    const executed = await db.orm.getMigrator().getExecutedMigrations();
    expect(executed.map((m) => m.name)).toContain('users/20261125000000_init');
  });

  it('rewrites time zones stored as typed under their canonical names', async () => {
    const { id } = (await accounts.register(db.op(), person('zone-typed@aura.test'))).user;
    const connection = db.orm.em.getConnection();
    await connection.execute(`update users.user_account set timezone = 'europe/berlin' where id = ?`, [id]);
    const migrator = db.orm.getMigrator();
    await migrator.down({ migrations: ['users/20261129110000_canonical_timezones'] });
    await migrator.up({ migrations: ['users/20261129110000_canonical_timezones'] });
    const [row] = await connection.execute(`select timezone from users.user_account where id = ?`, [id]);
    expect(row.timezone).toBe('Europe/Berlin');
  });

  it('created the bootstrap admin once, with a usable password', async () => {
    const { user } = await accounts.login(db.op(), ADMIN_EMAIL, 'root-password-123');
    expect(user).toMatchObject({ role: 'ADMIN', isVerified: true });
    const again = await accounts.ensureBootstrapAdmin(db.orm.em.fork());
    expect(again!.id).toBe(user.id);
  });

  it('stores a password only as a salted scrypt hash', async () => {
    const { user } = await accounts.register(db.op(), person('hash@example.com'));
    const [row] = await db.orm.em.getConnection().execute('select password_hash from users.user_account where id = ?', [user.id]);
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(row.password_hash).not.toContain('a long enough password');
  });

  it('rolls nothing in on a refused registration', async () => {
    const count = () => db.orm.em.fork().count('User' as never, {});
    const before = await count();
    await expect(accounts.register(db.op(), { ...person('bad@example.com'), role: 'ADMIN' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(accounts.register(db.op(), { ...person('bad@example.com'), password: 'short' })).rejects.toBeInstanceOf(InvalidInputError);
    await accounts.register(db.op(), person('dup@example.com'));
    await expect(accounts.register(db.op(), person('DUP@example.com'))).rejects.toBeInstanceOf(ConflictError);
    expect(await count()).toBe(before + 1);
  });

  it('publishes UserRegistered after the account is stored', async () => {
    const seen: unknown[] = [];
    db.gateway.events.subscribe('UserRegistered', 'test', async (event) => {
      seen.push(event.payload);
    });
    const { user } = await accounts.register(db.op(), person('announced@example.com', 'THERAPIST'));
    await db.gateway.events.settled();
    expect(seen).toContainEqual({ userId: user.id, role: 'THERAPIST', source: 'register' });
  });

  describe('UserDirectory (what other modules see)', () => {
    it('finds users by ids in one query, in order, with null for unknown and malformed ids', async () => {
      const a = (await accounts.register(db.op(), person('dir-a@example.com'))).user;
      const b = (await accounts.register(db.op(), person('dir-b@example.com', 'THERAPIST'))).user;
      await db.gateway.events.settled();
      db.queries.length = 0;
      const found = await directory.findByIds(db.op(), [b.id, 'not-a-uuid', a.id, '00000000-0000-4000-8000-000000000000']);
      expect(found.map((u) => u?.email ?? null)).toEqual(['dir-b@example.com', null, 'dir-a@example.com', null]);
      expect(db.queries).toHaveLength(1);
      expect(found[0]).not.toHaveProperty('passwordHash');
    });

    it('batches the lookups of one operation into one query, and caches nothing across operations', async () => {
      const ids = [];
      for (const n of [1, 2, 3]) ids.push((await accounts.register(db.op(), person(`batch-${n}@example.com`))).user.id);
      const op = db.op();
      await db.gateway.events.settled();
      db.queries.length = 0;
      const users = await Promise.all([...ids, ids[0]].map((id) => directory.findById(op, id)));
      expect(users.map((u) => u!.id)).toEqual([...ids, ids[0]]);
      expect(db.queries).toHaveLength(1);
      await directory.findById(db.op(), ids[0]);
      expect(db.queries).toHaveLength(2);
    });

    it('checks a role', async () => {
      const therapist = (await accounts.register(db.op(), person('role-t@example.com', 'THERAPIST'))).user;
      await expect(directory.requireRole(db.op(), therapist.id, 'THERAPIST')).resolves.toMatchObject({ id: therapist.id });
      await expect(directory.requireRole(db.op(), therapist.id, 'PATIENT')).rejects.toBeInstanceOf(InvalidInputError);
      await expect(directory.requireRole(db.op(), '00000000-0000-4000-8000-000000000000', 'PATIENT')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  it('keeps data across a restart of the process', async () => {
    const { user } = await accounts.register(db.op(), person('durable@example.com'));
    await db.close();
    db = await db.reopen();
    accounts = db.gateway.container.get(UserService);
    const { user: again } = await accounts.login(db.op(), 'durable@example.com', 'a long enough password');
    expect(again.id).toBe(user.id);
  });

  it('lets a therapist see a user only when another module vouches for it', async () => {
    const therapist = (await accounts.register(db.op(), person('vouch-t@example.com', 'THERAPIST'))).user;
    const patient = (await accounts.register(db.op(), person('vouch-p@example.com'))).user;
    const viewer = { userId: therapist.id, role: 'THERAPIST' as const };
    await expect(accounts.user(db.op(viewer), patient.id)).resolves.toBeNull(); // as for an unknown id
    vouched.add(`${therapist.id}/${patient.id}`);
    await expect(accounts.user(db.op(viewer), patient.id)).resolves.toMatchObject({ id: patient.id });
  });

  describe('one account per mailbox', () => {
    const precomposed = 'jos\u00e9@clinic.example';
    const combining = 'jose\u0301@clinic.example';

    it('treats an email typed with a combining accent as the same address', async () => {
      const { user } = await accounts.register(db.op(), person(precomposed));
      await expect(accounts.register(db.op(), person(combining))).rejects.toBeInstanceOf(ConflictError);
      await expect(accounts.login(db.op(), combining, 'a long enough password')).resolves.toMatchObject({ user: { id: user.id } });
      await expect(accounts.login(db.op(), ' JOSE\u0301@CLINIC.EXAMPLE ', 'a long enough password')).resolves.toMatchObject({ user: { id: user.id } });
    });

    it('refuses to migrate when two stored accounts share a mailbox, and changes nothing', async () => {
      const { user } = await accounts.register(db.op(), person('second-jose@clinic.example'));
      const connection = db.orm.em.getConnection();
      await connection.execute(`update users.user_account set email = ? where id = ?`, [combining, user.id]);
      const migrator = db.orm.getMigrator();
      await migrator.down({ migrations: ['users/20261129120000_canonical_emails'] });
      await expect(migrator.up({ migrations: ['users/20261129120000_canonical_emails'] })).rejects.toThrow(/belong to more than one account/);
      const [row] = await connection.execute(`select email from users.user_account where id = ?`, [user.id]);
      expect(row.email).toBe(combining);
      // Once an operator has resolved the clash, the migration runs.
      await connection.execute(`update users.user_account set email = 'jose-two@clinic.example' where id = ?`, [user.id]);
      await migrator.up({ migrations: ['users/20261129120000_canonical_emails'] });
      expect(await migrateToLatest(db.orm)).toEqual([]);
    });
  });

  it('finds people by full name in either order and by parts of it', async () => {
    const { user } = await accounts.register(db.op(), { ...person('zq@example.com'), firstName: 'Zebediah', lastName: 'Quuxworth' });
    const admin = (await accounts.login(db.op(), ADMIN_EMAIL, 'root-password-123')).user;
    const search = async (text: string) =>
      (await accounts.users(db.op({ userId: admin.id, role: 'ADMIN' }), { search: text })).edges.map((edge) => edge.node.id);
    for (const text of ['Zebediah Quuxworth', 'quuxworth zebediah', 'Zeb Quux', '  Quuxw ', 'zebediah zq@']) {
      expect(await search(text)).toEqual([user.id]);
    }
    expect(await search('Zebediah Smith')).toEqual([]);
    expect(await search('Zebediah %')).toEqual([]);
  });
});
