import { Type, type Configuration, type EntityMetadata, type MetadataStorage, type Platform, type TransformContext } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { DataCipher } from './data-cipher';

/** Each ORM's cipher, by its configuration: several Auras (tests) may run in one process with different keys. */
const ciphers = new WeakMap<Configuration, DataCipher>();

export function attachDataCipher(orm: MikroORM, cipher: DataCipher): void {
  ciphers.set(orm.config, cipher);
}

/** The cipher of an ORM, or of any of its EntityManagers (they share its configuration). */
export function dataCipherOf(orm: MikroORM | { config: Configuration }): DataCipher {
  const cipher = ciphers.get(orm.config);
  if (!cipher) throw new Error('No data cipher is attached to this ORM (connectOrm attaches it)');
  return cipher;
}

/**
 * A text column stored encrypted (see data-cipher.ts). Entities hold the plaintext; MikroORM's
 * database form of the value (its snapshots and the INSERT/UPDATE payloads made from them) is the
 * envelope, decrypted when a row is hydrated. Envelopes differ on every encryption (fresh IV), so
 * change tracking compares the plaintexts inside: loading a row never rewrites it. Such a column
 * can't be filtered in SQL: a where condition on it is refused.
 */
export class EncryptedText extends Type<string | null, string | null> {
  /** `schema.table.column`: the additional authenticated data that binds a value to its column. */
  get column(): string {
    return columnOf(this.meta!, this.prop!.fieldNames[0]);
  }

  override convertToDatabaseValue(value: string | null, platform: Platform, context?: TransformContext): string | null {
    if (value === null || value === undefined) return value ?? null;
    if (context?.mode === 'query') throw new Error(`${this.column} is encrypted and cannot be filtered in SQL`);
    return cipherFor(platform).encrypt(value, this.column);
  }

  override convertToJSValue(value: string | null, platform: Platform): string | null {
    if (value === null || value === undefined) return value ?? null;
    return cipherFor(platform).decrypt(value, this.column);
  }

  override compareValues(a: string | null, b: string | null): boolean {
    if (a === b) return true;
    if (a === null || a === undefined || b === null || b === undefined) return false;
    const cipher = cipherFor(this.platform!);
    return cipher.decrypt(a, this.column) === cipher.decrypt(b, this.column);
  }

  override compareAsType(): string {
    return 'string';
  }

  override ensureComparable(): boolean {
    return false;
  }

  override getColumnType(): string {
    return 'text';
  }
}

function cipherFor(platform: Platform): DataCipher {
  const cipher = ciphers.get(platform.getConfig());
  if (!cipher) throw new Error('No data cipher is attached to this ORM (connectOrm attaches it)');
  return cipher;
}

function columnOf(meta: Pick<EntityMetadata, 'schema' | 'tableName'>, field: string): string {
  return `${meta.schema ?? 'public'}.${meta.tableName}.${field}`;
}

/** One encrypted column, as rotation walks it: its table's single-column primary key and the column. */
export interface EncryptedColumn {
  schema: string;
  table: string;
  primaryKey: string;
  column: string;
  /** `schema.table.column`, the authenticated context of its values. */
  context: string;
}

/** Every column of every entity mapped with EncryptedText. */
export function encryptedColumns(metadata: MetadataStorage): EncryptedColumn[] {
  const columns: EncryptedColumn[] = [];
  for (const meta of Object.values(metadata.getAll())) {
    for (const prop of meta.props) {
      if (!(prop.customType instanceof EncryptedText)) continue;
      const [primaryKey, ...more] = meta.primaryKeys.map((key) => meta.properties[key].fieldNames[0]);
      if (more.length) throw new Error(`${meta.className}: encrypted columns need a single-column primary key`);
      const column = prop.fieldNames[0];
      columns.push({ schema: meta.schema ?? 'public', table: meta.tableName, primaryKey, column, context: columnOf(meta, column) });
    }
  }
  return columns.sort((a, b) => a.context.localeCompare(b.context));
}
