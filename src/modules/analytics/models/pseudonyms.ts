import { createHmac } from 'node:crypto';

/** Stable, keyed pseudonyms: the same id always gets the same key, and a key cannot be turned back into an id without the secret. */
export class Pseudonyms {
  constructor(private readonly secret: string) {}

  of(kind: 'therapist' | 'patient' | 'user', id: string): string {
    return createHmac('sha256', this.secret).update(`${kind}:${id}`).digest('base64url').slice(0, 22);
  }
}
