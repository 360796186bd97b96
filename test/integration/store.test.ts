import { User } from '../../src/modules/users/models/user.entity';
import { UserService } from '../../src/modules/users/services/user.service';
import { UserStore } from '../../src/modules/users/services/user-store';
import { InvoiceSchema } from '../../src/modules/billing/adapters/persistence/schemas';
import { randomUUID } from 'node:crypto';
import { MentalHealthStoreKey, type MentalHealthStore } from '../../src/modules/mentalhealth/application/ports';
import { TherapySession } from '../../src/modules/mentalhealth/domain/therapy-session';
import { ConflictError, InvalidInputError } from '../../src/platform/errors';
import { ModuleStore, SchemaDoorError, type StoreAccess } from '../../src/platform/store';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/** A store of the billing module whose "repository" is the door itself, to try what a repository could. */
class BillingProbe extends ModuleStore<StoreAccess> {
  protected readonly options = { schema: 'billing' };
  protected repositoriesOn(access: StoreAccess): StoreAccess {
    return access;
  }
}

describe('the store base, on a real database', () => {
  let db: DatabaseHarness;
  let probe: BillingProbe;

  beforeAll(async () => {
    db = await openTestDatabase();
    probe = new BillingProbe(db.gateway.events, db.gateway.accessAudit);
    await db.gateway.container.get(UserService).register(db.op(), {
      email: 'door@example.com',
      password: 'door-password-1',
      firstName: 'Dora',
      lastName: 'Door',
      role: 'PATIENT',
      timezone: 'UTC',
    });
  });
  afterAll(() => db.destroy());

  describe("a module's store is a door to its own schema only", () => {
    it("refuses the users module's entity, naming the schema", async () => {
      const { em } = probe.read(db.op());
      await expect(em.find(User, {})).rejects.toThrow(SchemaDoorError);
      await expect(em.findOne(User, { email: 'door@example.com' })).rejects.toThrow(
        'billing store: entity User is in schema "users"; a module reaches only its own schema (billing) and platform',
      );
      expect(() => em.persist(new User())).toThrow(SchemaDoorError);
    });

    it("refuses raw SQL naming the users module's table, however it is quoted or spaced", async () => {
      const { em, lean } = probe.read(db.op());
      for (const sql of [
        'select email from users.user_account',
        'select email from "users"."user_account"',
        'select i.id from billing.invoice i join users . "user_account" u on u.id = i.patient_id',
        'SELECT email FROM Users.user_account',
      ]) {
        await expect(em.execute(sql)).rejects.toThrow('billing store: SQL naming a table is in schema "users"');
        await expect(lean.rows(sql)).rejects.toThrow(SchemaDoorError);
      }
      await expect(probe.lean(db.op()).rows('select email from users.user_account')).rejects.toThrow(SchemaDoorError);
    });

    it('refuses the same inside a transaction, and nothing is committed', async () => {
      await expect(probe.transaction(db.op(), ({ em }) => em.execute('select email from users.user_account'))).rejects.toThrow(SchemaDoorError);
      await expect(probe.transaction(db.op(), ({ em }) => em.count(User, {}))).rejects.toThrow(SchemaDoorError);
    });

    it('gives no way around it: the connection, knex, forks and transactions of its own are refused', () => {
      const { em } = probe.read(db.op());
      expect(() => em.getConnection()).toThrow('em.getConnection is not available through the store');
      expect(() => em.getKnex()).toThrow(SchemaDoorError);
      expect(() => em.fork()).toThrow(SchemaDoorError);
      expect(() => em.transactional(async () => undefined)).toThrow(SchemaDoorError);
    });

    it('lets the module reach its own tables and the platform, by entity and by SQL (aliases are not schemas)', async () => {
      const { em, lean } = probe.read(db.op());
      await expect(em.find(InvoiceSchema, {})).resolves.toEqual([]);
      await expect(em.execute('select count(*)::int as n from billing.invoice')).resolves.toEqual([{ n: 0 }]);
      await expect(lean.rows('select count(*)::int as n from "billing"."invoice" i where i.id is not null')).resolves.toEqual([{ n: 0 }]);
      const [{ n }] = await em.execute<Array<{ n: number }>>('select count(*)::int as n from platform.domain_event');
      expect(n).toBeGreaterThan(0);
    });
  });

  describe('database errors come out typed, in one place', () => {
    it('a value the database refuses is BAD_USER_INPUT, in a read and in a transaction', async () => {
      await expect(probe.read(db.op()).em.execute("select 'not a number'::int")).rejects.toThrow(InvalidInputError);
      await expect(probe.transaction(db.op(), ({ em }) => em.execute("select 'not a uuid'::uuid"))).rejects.toThrow(InvalidInputError);
    });

    it('a unique violation is CONFLICT with the message the module gave for that constraint', async () => {
      const store = db.gateway.container.get(UserStore);
      const taken = () => Object.assign(new User(), { email: 'door@example.com', passwordHash: 'x', firstName: 'A', lastName: 'B' });
      await expect(store.transaction(db.op(), async ({ accounts }) => accounts.add(taken()))).rejects.toThrow(ConflictError);
      await expect(store.transaction(db.op(), async ({ accounts }) => accounts.add(taken()))).rejects.toMatchObject({
        message: 'An account with this email already exists',
        details: { field: 'email' },
      });
    });
  });

  it("an overlap the database refuses (exclusion constraint) is CONFLICT with mentalhealth's message", async () => {
    const store = db.gateway.container.get<MentalHealthStore>(MentalHealthStoreKey);
    const therapistId = randomUUID();
    const at = new Date('2027-03-01T10:00:00Z');
    const session = () =>
      TherapySession.schedule(
        { therapistId, patientId: randomUUID(), sessionType: 'VIDEO', targetAudience: 'INDIVIDUAL', scheduledAt: at, durationMinutes: 60, price: null },
        { userId: therapistId, role: 'THERAPIST' },
        new Date('2027-02-01T00:00:00Z'),
      );
    // Straight to the repository, past the scheduling rules: only the database stands in the way.
    await store.transaction(db.op(), async ({ sessions }) => sessions.add(session()));
    await expect(store.transaction(db.op(), async ({ sessions }) => sessions.add(session()))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'That time is no longer free: another session was booked at the same time',
      details: { rule: 'OVERLAP' },
    });
  });

  it('reads lean: plain objects of the selected properties, no entity in the identity map', async () => {
    const op = db.op();
    const [row] = await probe.lean(op).select(InvoiceSchema, ['id'], {});
    expect(row).toBeUndefined();
    const store = db.gateway.container.get(UserStore);
    const [account] = await store.read(op).accounts.summaries(
      (await store.lean(op).rows<{ id: string }>("select id from users.user_account where email = 'door@example.com'")).map((r) => r.id),
    );
    expect(account).toEqual({
      id: expect.any(String),
      email: 'door@example.com',
      firstName: 'Dora',
      lastName: 'Door',
      role: 'PATIENT',
      isVerified: false,
      isActive: true,
      timezone: 'UTC',
      createdAt: expect.any(Date),
    });
    expect(account).not.toBeInstanceOf(User);
    expect(op.em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
  });
});
