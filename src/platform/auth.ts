import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '../contracts/users';
import { UnauthenticatedError } from './errors';
import { isUuid } from './ids';

/** Who is asking. Authorization decisions are made by the modules, next to their data. */
export interface Viewer {
  userId: string;
  role: Role;
}

const ROLES: readonly Role[] = ['PATIENT', 'THERAPIST', 'ADMIN', 'ANALYST'];
const ISSUER = 'aura';

export class TokenService {
  /** A KeyObject made once: given a string, jsonwebtoken would parse the key on every call. */
  private readonly secret: KeyObject;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  issue(viewer: Viewer): string {
    return jwt.sign({ role: viewer.role }, this.secret, {
      algorithm: 'HS256',
      subject: viewer.userId,
      issuer: ISSUER,
      expiresIn: this.ttlSeconds,
    });
  }

  /** Reads `Bearer <jwt>` (or a bare token); no header is an anonymous viewer, a bad one an error. */
  viewerFromAuthorization(header: unknown): Viewer | null {
    return this.sessionFromAuthorization(header)?.viewer ?? null;
  }

  /** The viewer and when their token stops being valid (a WebSocket is closed then). */
  sessionFromAuthorization(header: unknown): { viewer: Viewer; expiresAt: Date } | null {
    if (header === undefined || header === null || header === '') return null;
    if (typeof header !== 'string') throw new UnauthenticatedError('Authorization must be a string');
    const token = header.replace(/^Bearer\s+/i, '').trim();
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER }) as jwt.JwtPayload;
    } catch (error) {
      const expired = error instanceof jwt.TokenExpiredError;
      throw new UnauthenticatedError(expired ? 'Your session has expired; sign in again' : 'Invalid authentication token');
    }
    if (!isUuid(claims.sub) || !ROLES.includes(claims.role) || typeof claims.exp !== 'number') {
      throw new UnauthenticatedError('Invalid authentication token');
    }
    return { viewer: { userId: claims.sub, role: claims.role as Role }, expiresAt: new Date(claims.exp * 1000) };
  }
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}
