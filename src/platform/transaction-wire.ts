import { PostgreSqlKnexDialect, type EntityManager } from '@mikro-orm/postgresql';

/**
 * What a transaction sends to PostgreSQL, message by message. MikroORM inlines values, so its
 * statements go as simple-protocol messages, and one such message may hold several statements
 * (PostgreSQL runs them in order, stops at the first error, and answers each). Round trips are
 * saved that way (BEGIN's own, and one per carried write), the transaction's meaning unchanged:
 *
 * - **BEGIN is held** and sent in one message with the transaction's first statement. A transaction
 *   that sends nothing sends no BEGIN and no COMMIT.
 * - **Carried writes** (`carry`): a write whose result the caller does not wait for (the outbox's
 *   event, the change's access record) goes in front of the transaction's next statement, at the
 *   latest its COMMIT. It is in the transaction as if sent at once: every statement sent after it
 *   is still sent after it. If it fails, the statement it travelled with fails, so the transaction
 *   rolls back (in front of COMMIT, the COMMIT fails with its error and the transaction is rolled
 *   back here). A ROLLBACK (or ROLLBACK TO SAVEPOINT) drops the writes waiting, which it would undo.
 *
 * A statement with bound values (the extended protocol holds one statement) is sent after what
 * waits, in a message of its own, as before.
 */

/** A pg connection as knex's dialect drives it, with what waits to go in front of its next statement. */
interface WireConnection {
  query(config: { text: string; values: unknown[] }, callback: (error: Error | null, response: WireResult | WireResult[]) => void): void;
  waiting?: Waiting;
}
interface Waiting {
  begin: boolean;
  writes: Array<{ sql: string; onRows?: (rows: unknown[]) => void }>;
}
interface WireResult {
  command: string;
  rowCount: number | null;
  rows: unknown[];
}
interface KnexQuery {
  sql: string;
  bindings?: readonly unknown[];
  options?: object;
  response?: WireResult;
}
/** knex's client of one transaction (or savepoint): the connection it runs on, once its BEGIN (or SAVEPOINT) passed here. */
interface TransactionClient {
  transacting?: boolean;
  wire?: WireConnection;
}

const NOTHING_SENT: WireResult = Object.freeze({ command: '', rowCount: null, rows: [] });
const ENDS_WITHOUT_WAITING = /^(ROLLBACK|ROLLBACK TO SAVEPOINT \w+);?$/;

/** knex's PostgreSQL dialect, sending what waits in front of the next statement (see above). */
export class AuraKnexDialect extends PostgreSqlKnexDialect {
  _query(this: AuraKnexDialect & TransactionClient, connection: WireConnection, query: KnexQuery): Promise<KnexQuery> {
    if (this.transacting) this.wire = connection;
    const waiting = connection.waiting;
    if (query.sql === 'BEGIN;' && !waiting) {
      connection.waiting = { begin: true, writes: [] };
      return answered(query, NOTHING_SENT);
    }
    if (!waiting) return super._query(connection, query);
    connection.waiting = undefined;
    if (ENDS_WITHOUT_WAITING.test(query.sql)) return waiting.begin ? answered(query, NOTHING_SENT) : super._query(connection, query);
    if (waiting.begin && waiting.writes.length === 0 && query.sql === 'COMMIT;') return answered(query, NOTHING_SENT);
    const ahead = [...(waiting.begin ? ['BEGIN'] : []), ...waiting.writes.map((w) => w.sql)];
    const oneMessage = !query.bindings?.length && Object.keys(query.options ?? {}).length === 0;
    if (!oneMessage) return send(connection, ahead).then((results) => (deliver(waiting, results), super._query(connection, query)));
    return send(connection, [...ahead, query.sql]).then(
      (results) => {
        deliver(waiting, results);
        return answered(query, results[results.length - 1]);
      },
      // A write failing in front of COMMIT stops the message before it: the transaction is still open,
      // and knex, seeing its COMMIT fail, would not roll it back. End it before the connection goes back to the pool.
      (error: Error) => (query.sql === 'COMMIT;' ? send(connection, ['ROLLBACK']).then(() => Promise.reject(error)) : Promise.reject(error)),
    );
  }
}

/**
 * Sends `sql` (values inlined here, as MikroORM inlines them) in the transaction `em` is in, in front
 * of its next statement; `onRows` gets its rows when they arrive, before that statement's answer.
 * Logged like the ORM's statements. Outside a transaction there is nothing to carry it: it is refused.
 */
export function carry(em: EntityManager, sql: string, params: readonly unknown[], onRows?: (rows: unknown[]) => void): void {
  const client = (em.getTransactionContext() as { client?: TransactionClient } | undefined)?.client;
  const connection = client?.wire;
  if (!connection) throw new Error('A carried write belongs to a transaction that has begun');
  const text = em.getPlatform().formatQuery(sql, [...params]);
  const waiting = (connection.waiting ??= { begin: false, writes: [] });
  waiting.writes.push({ sql: text, onRows });
  em.config.getLogger().logQuery({ query: text, level: 'info' });
}

function answered(query: KnexQuery, response: WireResult): Promise<KnexQuery> {
  query.response = response;
  return Promise.resolve(query);
}

/** One simple-protocol message of these statements; their results in order. */
function send(connection: WireConnection, statements: string[]): Promise<WireResult[]> {
  return new Promise((resolve, reject) => {
    // Each on its own line: a statement ending in a -- comment cannot swallow the separator.
    const text = statements.map((sql) => sql.replace(/;\s*$/, '')).join('\n;\n');
    connection.query({ text, values: [] }, (error, response) => (error ? reject(error) : resolve(Array.isArray(response) ? response : [response])));
  });
}

/** The carried writes' rows, to whoever asked for them (the BEGIN's result comes first when it was held). */
function deliver(waiting: Waiting, results: WireResult[]): void {
  const offset = waiting.begin ? 1 : 0;
  waiting.writes.forEach((write, i) => write.onRows?.(results[offset + i].rows));
}
