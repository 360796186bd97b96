import { Client } from 'pg';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { carry } from '../../src/platform/transaction-wire';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

/**
 * A transaction's BEGIN travels in one message with its first statement (AuraKnexDialect): one
 * round trip fewer per transaction, with the transaction's meaning unchanged.
 */
describe('transaction round trips', () => {
  let db: DatabaseHarness;
  /** What each pg client sent, message by message, while `sent` is recording. */
  let sent: Array<{ client: unknown; text: string }> = [];
  let recording = false;
  const query = Client.prototype.query;

  beforeAll(async () => {
    db = await openTestDatabase({ AURA_EVENT_POLL_MS: '3600000' });
    await db.orm.em.getConnection().execute('create table if not exists public.round_trip_probe (n int primary key)');
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text: string };
      if (recording) sent.push({ client: this, text: typeof config === 'string' ? config : config.text });
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  });
  afterAll(async () => {
    Client.prototype.query = query;
    await db.destroy();
  });

  /** The messages `work` sent, once the dispatcher has nothing left to do (it shares the pool). */
  async function messagesOf<T>(work: (em: EntityManager) => Promise<T>): Promise<{ result: T | Error; texts: string[] }> {
    await db.gateway.events.settled();
    await db.orm.em.getConnection().execute('truncate public.round_trip_probe');
    sent = [];
    recording = true;
    const em = db.orm.em.fork() as EntityManager;
    const result = await work(em).catch((error: Error) => error);
    recording = false;
    return { result, texts: sent.map((m) => m.text.replace(/\n;\n/g, '; ').replace(/\s+/g, ' ').trim()) };
  }
  const stored = async () => (await db.orm.em.getConnection().execute<Array<{ n: number }>>('select n from public.round_trip_probe order by n')).map((r) => r.n);

  it("sends BEGIN in one message with the transaction's first statement, and answers that statement's rows", async () => {
    const { result, texts } = await messagesOf((em) =>
      em.transactional(async (tx) => {
        await tx.execute('insert into public.round_trip_probe values (1)');
        return tx.execute<Array<{ n: number }>>('select n from public.round_trip_probe');
      }),
    );
    expect(result).toEqual([{ n: 1 }]);
    expect(texts).toEqual(['BEGIN; insert into public.round_trip_probe values (1)', 'select n from public.round_trip_probe', 'COMMIT;']);
    expect(await stored()).toEqual([1]);
  });

  it('sends nothing for a transaction that sends no statement, committed or rolled back', async () => {
    const committed = await messagesOf((em) => em.transactional(async () => 'nothing'));
    expect(committed).toEqual({ result: 'nothing', texts: [] });
    const rolledBack = await messagesOf((em) =>
      em.transactional(async () => {
        throw new Error('changed my mind');
      }),
    );
    expect((rolledBack.result as Error).message).toBe('changed my mind');
    expect(rolledBack.texts).toEqual([]);
  });

  it('rolls back when the first statement fails, converts its error as before, and leaves the connection usable', async () => {
    await db.orm.em.getConnection().execute('insert into public.round_trip_probe values (7)');
    const { result, texts } = await messagesOf(async (em) => {
      await em.getConnection().execute('insert into public.round_trip_probe values (7)');
      return em.transactional(async (tx) => {
        await tx.execute('insert into public.round_trip_probe values (8), (7)');
      });
    });
    expect(result).toBeInstanceOf(UniqueConstraintViolationException);
    expect(texts).toEqual(['insert into public.round_trip_probe values (7)', 'BEGIN; insert into public.round_trip_probe values (8), (7)', 'ROLLBACK']);
    expect(await stored()).toEqual([7]); // 8 rolled back with the failed statement
    // Every pooled connection is out of any transaction: ten transactions in a row commit.
    for (let n = 10; n < 20; n++) await db.orm.em.fork().transactional((tx) => tx.execute(`insert into public.round_trip_probe values (${n})`));
    expect((await stored()).length).toBe(11);
  });

  it('rolls back every statement of a transaction that fails later, the first (carrying BEGIN) included', async () => {
    await messagesOf((em) =>
      em.transactional(async (tx) => {
        await tx.execute('insert into public.round_trip_probe values (1)');
        await tx.execute('insert into public.round_trip_probe values (2)');
        throw new Error('after two statements');
      }),
    );
    expect(await stored()).toEqual([]);
  });

  it('sends BEGIN on its own before a statement with bound values (the extended protocol holds one statement)', async () => {
    const { result, texts } = await messagesOf((em) =>
      em.transactional(async (tx) => {
        const knex = (tx as EntityManager).getKnex();
        const bound = await knex.raw('select ?::int + 1 as n', [41]).transacting(tx.getTransactionContext()!);
        const insideOne = await tx.execute<Array<{ same: boolean }>>('select count(*) = 1 as same from pg_stat_activity where pid = pg_backend_pid() and xact_start is not null');
        return [(bound as { rows: Array<{ n: number }> }).rows[0].n, insideOne[0].same];
      }),
    );
    expect(result).toEqual([42, true]);
    expect(texts).toEqual(['BEGIN', 'select $1::int + 1 as n', expect.stringMatching(/^select count/), 'COMMIT;']);
  });

  it('carries BEGIN with a nested transaction\'s SAVEPOINT, and an inner rollback keeps the outer work', async () => {
    const { texts } = await messagesOf((em) =>
      em.transactional(async (tx) => {
        await tx.transactional(async (inner) => {
          await inner.execute('insert into public.round_trip_probe values (1)');
          throw new Error('inner fails');
        }).catch(() => undefined);
        await tx.execute('insert into public.round_trip_probe values (2)');
      }),
    );
    expect(texts[0]).toMatch(/^BEGIN; SAVEPOINT \w+$/);
    expect(await stored()).toEqual([2]);
  });

  describe('carried writes', () => {
    it("go in front of the transaction's next statement, and hand their rows over before that statement's answer", async () => {
      const seen: unknown[] = [];
      const { result, texts } = await messagesOf((em) =>
        em.transactional(async (tx) => {
          await tx.execute('select 1');
          carry(tx, 'insert into public.round_trip_probe values (?) returning n', [3], (rows) => seen.push(rows));
          carry(tx, 'insert into public.round_trip_probe values (?)', [4]);
          expect(seen).toEqual([]); // nothing sent yet
          const counted = await tx.execute<Array<{ n: string }>>('select count(*) as n from public.round_trip_probe');
          expect(seen).toEqual([[{ n: 3 }]]);
          return Number(counted[0].n);
        }),
      );
      expect(result).toBe(2); // the statement they travelled with saw them
      expect(texts).toEqual([
        'BEGIN; select 1',
        'insert into public.round_trip_probe values (3) returning n; insert into public.round_trip_probe values (4); select count(*) as n from public.round_trip_probe',
        'COMMIT;',
      ]);
      expect(await stored()).toEqual([3, 4]);
    });

    it('travel with the COMMIT when nothing else follows, BEGIN included when the transaction sent nothing else', async () => {
      const { texts } = await messagesOf((em) =>
        em.transactional(async (tx) => {
          carry(tx, 'insert into public.round_trip_probe values (?)', [5]);
        }),
      );
      expect(texts).toEqual(['BEGIN; insert into public.round_trip_probe values (5); COMMIT']);
      expect(await stored()).toEqual([5]);
    });

    it('fail the statement they travel with: the transaction rolls back, its own statements included', async () => {
      await db.orm.em.getConnection().execute('insert into public.round_trip_probe values (6)');
      const { result } = await messagesOf(async (em) => {
        await em.getConnection().execute('insert into public.round_trip_probe values (6)');
        return em.transactional(async (tx) => {
          await tx.execute('insert into public.round_trip_probe values (1)');
          carry(tx, 'insert into public.round_trip_probe values (?)', [6]); // a duplicate: fails
          await tx.execute('insert into public.round_trip_probe values (2)');
        });
      });
      expect(result).toBeInstanceOf(UniqueConstraintViolationException);
      expect(await stored()).toEqual([6]);
      const failedAtCommit = await messagesOf(async (em) => {
        await em.getConnection().execute('insert into public.round_trip_probe values (6)');
        return em.transactional(async (tx) => {
          await tx.execute('insert into public.round_trip_probe values (1)');
          carry(tx, 'insert into public.round_trip_probe values (?)', [6]);
        });
      });
      // The COMMIT's own error (the ORM converts statements' errors, not COMMIT's); the transaction is rolled back.
      expect(failedAtCommit.result).toMatchObject({ code: '23505' });
      expect(failedAtCommit.texts.slice(-2)).toEqual(['insert into public.round_trip_probe values (6); COMMIT', 'ROLLBACK']);
      expect(await stored()).toEqual([6]);
    });

    it('are dropped by a ROLLBACK, and by a ROLLBACK TO SAVEPOINT when written inside the savepoint', async () => {
      const rolledBack = await messagesOf((em) =>
        em.transactional(async (tx) => {
          await tx.execute('select 1');
          carry(tx, 'insert into public.round_trip_probe values (?)', [1]);
          throw new Error('give up');
        }),
      );
      expect(rolledBack.texts).toEqual(['BEGIN; select 1', 'ROLLBACK']);
      const nested = await messagesOf((em) =>
        em.transactional(async (tx) => {
          carry(tx, 'insert into public.round_trip_probe values (?)', [1]); // before the savepoint: kept
          await tx
            .transactional(async (inner) => {
              carry(inner, 'insert into public.round_trip_probe values (?)', [2]); // inside it: undone
              throw new Error('inner fails');
            })
            .catch(() => undefined);
          carry(tx, 'insert into public.round_trip_probe values (?)', [3]); // after it: kept
        }),
      );
      expect(nested.texts.some((text) => text.includes('values (2)'))).toBe(false);
      expect(await stored()).toEqual([1, 3]);
    });

    it('belong to a transaction: outside one there is nothing to carry them', async () => {
      expect(() => carry(db.orm.em.fork() as EntityManager, 'select 1', [])).toThrow(/transaction/);
    });
  });
});
