import { randomBytes } from 'node:crypto';
import { DataCipher, DataDecryptionError, keyIdOf, parseDataKey } from '../../src/platform/data-cipher';

const NOTES = 'mentalhealth.therapy_session.notes';
const key = () => randomBytes(32);

describe('DataCipher (AES-256-GCM envelopes)', () => {
  const current = key();
  const cipher = new DataCipher({ current, previous: [] });

  it('round-trips text, with a fresh IV each time, in a versioned envelope naming the key', () => {
    const a = cipher.encrypt('Patient reports panic attacks — ñ 日本', NOTES);
    const b = cipher.encrypt('Patient reports panic attacks — ñ 日本', NOTES);
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^v1:${keyIdOf(current)}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$`));
    expect(a).not.toContain('panic');
    expect(cipher.decrypt(a, NOTES)).toBe('Patient reports panic attacks — ñ 日本');
    expect(cipher.decrypt(cipher.encrypt('', NOTES), NOTES)).toBe('');
    expect(DataCipher.keyIdIn(a)).toBe(keyIdOf(current));
    expect(DataCipher.keyIdIn('plain text')).toBeNull();
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    const envelope = cipher.encrypt('Discussed sleep', NOTES);
    const [v, id, iv, body] = envelope.split(':');
    const flip = (text: string, at: number) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[at] ^= 1;
      return bytes.toString('base64url');
    };
    const bodyBytes = Buffer.from(body, 'base64url').length;
    for (const tampered of [
      [v, id, iv, flip(body, 0)].join(':'), // ciphertext
      [v, id, iv, flip(body, bodyBytes - 1)].join(':'), // tag
      [v, id, flip(iv, 0), body].join(':'),
    ]) {
      expect(() => cipher.decrypt(tampered, NOTES)).toThrow(DataDecryptionError);
      expect(() => cipher.decrypt(tampered, NOTES)).toThrow('failed authentication');
    }
  });

  it('refuses a value moved to another column (AAD mismatch)', () => {
    const summary = cipher.encrypt('Talked about sleep', 'mentalhealth.therapy_session.summary');
    expect(() => cipher.decrypt(summary, NOTES)).toThrow(new DataDecryptionError(`${NOTES} failed authentication with data key ${keyIdOf(current)}: the value was altered or belongs elsewhere`));
  });

  it('fails loudly with the wrong key, naming the missing key id, never returning garbage', () => {
    const other = new DataCipher({ current: key(), previous: [] });
    const envelope = cipher.encrypt('Screen for apnea', NOTES);
    expect(() => other.decrypt(envelope, NOTES)).toThrow(`was encrypted with data key ${keyIdOf(current)}, which is not configured`);
    // The key id relabelled to the other key's: authentication fails, no garbage comes out.
    const body = envelope.split(':').slice(2).join(':');
    expect(() => other.decrypt(`v1:${other.currentKeyId}:${body}`, NOTES)).toThrow('failed authentication');
  });

  it('refuses plaintext where an envelope belongs', () => {
    expect(() => cipher.decrypt('Talked about sleep', NOTES)).toThrow('holds a value that is not encrypted');
  });

  it('decrypts with an older key and encrypts with the current one after a rotation', () => {
    const old = cipher.encrypt('Before rotation', NOTES);
    const next = key();
    const rotated = new DataCipher({ current: next, previous: [current] });
    expect(rotated.decrypt(old, NOTES)).toBe('Before rotation');
    expect(DataCipher.keyIdIn(rotated.encrypt('After', NOTES))).toBe(keyIdOf(next));
  });

  it('parses 32-byte base64 keys and refuses anything else', () => {
    const raw = randomBytes(32);
    expect(parseDataKey(raw.toString('base64'), 'K').equals(raw)).toBe(true);
    expect(parseDataKey(raw.toString('base64url'), 'K').equals(raw)).toBe(true);
    expect(() => parseDataKey(randomBytes(16).toString('base64'), 'K')).toThrow('K must be 32 random bytes in base64');
    expect(() => parseDataKey('not a key at all!', 'K')).toThrow('K must be 32 random bytes');
  });
});
