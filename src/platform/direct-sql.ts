import type { EntityManager } from '@mikro-orm/postgresql';

interface PooledConnection {
  query(text: string): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

interface PoolClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<unknown>;
}

/**
 * One read statement of the read side, sent straight on a connection of the ORM's pool: the rows
 * as the driver returns them. It skips what MikroORM and knex add around a raw statement (a knex
 * query object, its re-parsing, the result transforms), which on a hot list costs more than the
 * statement. Values are inlined by the platform's own formatter, exactly as MikroORM sends them
 * (one simple-protocol message: safe on the embedded server, whose connections share one session).
 * Inside a transaction the statement goes the ORM's way, on the transaction's connection. Every
 * statement is logged like the ORM's (tests count them), and errors are converted like its own.
 */
export async function directRows<T>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  // em.execute passes the transaction's context; the connection's execute alone would take another pooled connection.
  if (em.isInTransaction()) return em.execute<T[]>(sql, [...params], 'all');
  const connection = em.getConnection();
  const platform = em.getPlatform();
  const text = params.length ? platform.formatQuery(sql, [...params]) : sql;
  const pool = connection.getKnex().client as unknown as PoolClient;
  const started = Date.now();
  let pooled: PooledConnection | undefined;
  try {
    pooled = await pool.acquireConnection();
    const result = await pooled.query(text);
    em.config.getLogger().logQuery({ query: text, took: Date.now() - started, results: result.rowCount ?? undefined, level: 'info' });
    return result.rows as T[];
  } catch (error) {
    throw platform.getExceptionConverter().convertException(error as Error);
  } finally {
    if (pooled) await pool.releaseConnection(pooled);
  }
}

/** Strings as one PostgreSQL text[] literal, for a single `?::text[]` parameter (a JavaScript array would be spread into separate parameters). */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * A string as a PostgreSQL literal, exactly as pg's `escapeLiteral` writes it (quotes doubled; with a
 * backslash, ` E'...'` and backslashes doubled), in one pass over the text: `escapeLiteral` appends a
 * character at a time, and MikroORM inlines every value through it (a batch of access records, one
 * JSON text of tens of KB, was a rope of as many strings: a quarter of the dashboard's allocation).
 */
export function quoteLiteral(text: string): string {
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes('\\') ? ` E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}
