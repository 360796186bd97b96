import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of clinical text: AES-256-GCM with a random 96-bit IV per value. A stored
 * value is the envelope `v1:<keyId>:<iv>:<ciphertext+tag>` (base64url parts), so keys can rotate:
 * the keyring decrypts with any of its keys and always encrypts with the current one. The
 * additional authenticated data names the column, so a ciphertext moved to another column (or a
 * changed byte) fails authentication instead of decrypting.
 */

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
/** A whole envelope; anything else in an encrypted column is legacy plaintext (or tampering). */
const ENVELOPE = /^v1:([A-Za-z0-9_-]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;

/** Thrown when a stored value cannot be decrypted; never carries the value itself. */
export class DataDecryptionError extends Error {
  override name = 'DataDecryptionError';
}

/** A key's id: a short fingerprint, so the id can never disagree with the key it names. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('aura-data-key\0').update(key).digest('base64url').slice(0, 8);
}

export interface DataKeyring {
  /** Encrypts every new value. */
  current: Buffer;
  /** Still decrypt (values written before a rotation); `npm run keys:rotate` moves them to `current`. */
  previous: Buffer[];
}

/** Parses one base64 (or base64url) key of exactly 32 bytes; `name` is for the error message. */
export function parseDataKey(raw: string, name: string): Buffer {
  const text = raw.trim();
  // Node's base64 decoder reads the url-safe alphabet too; the pattern refuses anything else.
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== DATA_KEY_BYTES) {
    throw new Error(`${name} must be ${DATA_KEY_BYTES} random bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  return key;
}

export function generateDataKey(): string {
  return randomBytes(DATA_KEY_BYTES).toString('base64');
}

export class DataCipher {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(ring: DataKeyring) {
    this.currentKeyId = keyIdOf(ring.current);
    for (const key of [ring.current, ...ring.previous]) {
      if (key.length !== DATA_KEY_BYTES) throw new Error(`A data key must be ${DATA_KEY_BYTES} bytes`);
      this.keys.set(keyIdOf(key), key);
    }
  }

  /** Encrypts `plaintext` with the current key, bound to `context` (the column it is stored in). */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(aadOf(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}:${this.currentKeyId}:${iv.toString('base64url')}:${body.toString('base64url')}`;
  }

  /** Decrypts an envelope written for `context`; a wrong key, a tampered value or another column's value throws. */
  decrypt(envelope: string, context: string): string {
    const parts = ENVELOPE.exec(envelope);
    if (!parts) throw new DataDecryptionError(`${context} holds a value that is not encrypted (run \`npm run keys:rotate\`)`);
    const [, keyId, iv, body] = parts;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new DataDecryptionError(`${context} was encrypted with data key ${keyId}, which is not configured (AURA_DATA_KEY / AURA_DATA_KEYS_OLD)`);
    }
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < TAG_BYTES) throw new DataDecryptionError(`${context} holds a truncated encrypted value`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aadOf(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DataDecryptionError(`${context} failed authentication with data key ${keyId}: the value was altered or belongs elsewhere`);
    }
  }

  /** The key id an envelope names, or null for a value that is not an envelope (legacy plaintext). */
  static keyIdIn(value: string): string | null {
    return ENVELOPE.exec(value)?.[1] ?? null;
  }
}

function aadOf(context: string): Buffer {
  return Buffer.from(`aura:${VERSION}:${context}`, 'utf8');
}
