import { directRows } from '../../src/platform/direct-sql';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/** The read side's straight statements: on a pooled connection, or on the transaction's own. */
describe('direct SQL reads', () => {
  let db: DatabaseHarness;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.destroy());

  it('runs inside the transaction of the entity manager it is given: it sees the uncommitted write, and its own writes roll back with it', async () => {
    await db.orm.em.getConnection().execute('create table if not exists public.direct_probe (n int)');
    const inside = await db.orm.em
      .fork()
      .transactional(async (tx) => {
        await tx.execute('insert into public.direct_probe values (1)');
        await directRows(tx, 'insert into public.direct_probe values (?)', [2]);
        const rows = await directRows<{ n: number }>(tx, 'select n from public.direct_probe order by n');
        throw Object.assign(new Error('roll back'), { rows });
      })
      .catch((error: { rows: Array<{ n: number }> }) => error.rows);
    expect(inside.map((r) => Number(r.n))).toEqual([1, 2]);
    expect(await directRows(db.orm.em.fork(), 'select n from public.direct_probe')).toEqual([]);
  });

  it('outside a transaction, inlines the values as the ORM does and logs the statement', async () => {
    db.queries.length = 0;
    const rows = await directRows<{ a: string; b: number }>(db.orm.em.fork(), 'select ?::text as a, ?::int as b', ["it's", 7]);
    expect(rows).toEqual([{ a: "it's", b: 7 }]);
    expect(db.queries.some((q) => q.includes("'it''s'"))).toBe(true);
  });
});
