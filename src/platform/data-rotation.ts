import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { DataCipher, DataDecryptionError } from './data-cipher';
import { dataCipherOf, encryptedColumns, type EncryptedColumn } from './encrypted-text';
import type { Logger } from './logger';

export interface ColumnRotation {
  column: string;
  /** Values moved from an older key to the current one. */
  reencrypted: number;
  /** Legacy plaintext values (written before encryption at rest) now encrypted. */
  encrypted: number;
}

export interface RotationOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** Only legacy plaintext (what boot does); otherwise every value not under the current key. */
  plaintextOnly?: boolean;
  log?: Logger;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Any envelope, in PostgreSQL's regex dialect (data-cipher.ts has the same pattern). */
const envelopeOf = (keyId: string) => `^v1:${keyId}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22,}$`;
const ANY_KEY = '[A-Za-z0-9_-]{8}';

/**
 * Re-encrypts every encrypted column's values with the current key, batch by batch in primary-key
 * order. Resumable and safe beside a serving Aura: it only picks values not yet under the current
 * key, and an update applies only if the value is still the one it read. Legacy plaintext (no
 * envelope) is encrypted; afterwards the tables that held it are rewritten (VACUUM FULL) so the
 * old row versions with the plaintext leave the database files.
 */
export async function rotateDataKeys(orm: MikroORM, options: RotationOptions = {}): Promise<ColumnRotation[]> {
  const cipher = dataCipherOf(orm);
  const batchSize = options.batchSize ?? 500;
  const results: ColumnRotation[] = [];
  const rewrite = new Set<string>();
  for (const column of encryptedColumns(orm.getMetadata())) {
    const result = await rotateColumn(orm.em.fork() as EntityManager, cipher, column, batchSize, options.plaintextOnly ?? false);
    results.push(result);
    if (result.encrypted) rewrite.add(`${ident(column.schema)}.${ident(column.table)}`);
    if (result.encrypted || result.reencrypted) options.log?.info({ ...result, keyId: cipher.currentKeyId }, 'data key rotation: column done');
  }
  if (rewrite.size) {
    // The same texts were in event payloads until migration 20261129300000 removed them from there.
    const eventLog = await orm.em.fork().execute<Array<{ found: string | null }>>(`select to_regclass('platform.domain_event')::text as found`);
    if (eventLog[0]?.found) rewrite.add('"platform"."domain_event"');
    for (const table of rewrite) await orm.em.fork().execute(`vacuum full ${table}`);
  }
  return results;
}

async function rotateColumn(em: EntityManager, cipher: DataCipher, spec: EncryptedColumn, batchSize: number, plaintextOnly: boolean): Promise<ColumnRotation> {
  const table = `${ident(spec.schema)}.${ident(spec.table)}`;
  const [pk, col] = [ident(spec.primaryKey), ident(spec.column)];
  const done = envelopeOf(plaintextOnly ? ANY_KEY : cipher.currentKeyId);
  const result: ColumnRotation = { column: spec.context, reencrypted: 0, encrypted: 0 };
  let after: string | null = null;
  for (;;) {
    const rows: Array<{ id: string; value: string }> = await em.execute(
      `select ${pk}::text as id, ${col} as value from ${table}
       where ${col} is not null and ${col} !~ ? ${after === null ? '' : `and ${pk} > ?`}
       order by ${pk} limit ?`,
      after === null ? [done, batchSize] : [done, after, batchSize],
    );
    if (!rows.length) return result;
    await em.transactional(async (tx) => {
      for (const row of rows) {
        const legacy = DataCipher.keyIdIn(row.value) === null;
        const plaintext = legacy ? row.value : decryptRow(cipher, row, spec);
        await tx.execute(`update ${table} set ${col} = ? where ${pk} = ? and ${col} = ?`, [cipher.encrypt(plaintext, spec.context), row.id, row.value]);
        if (legacy) result.encrypted++;
        else result.reencrypted++;
      }
    });
    after = rows[rows.length - 1].id;
  }
}

function decryptRow(cipher: DataCipher, row: { id: string; value: string }, spec: EncryptedColumn): string {
  try {
    return cipher.decrypt(row.value, spec.context);
  } catch (error) {
    if (error instanceof DataDecryptionError) throw new DataDecryptionError(`${error.message} (row ${row.id})`);
    throw error;
  }
}
