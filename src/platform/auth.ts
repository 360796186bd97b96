import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import type { Role } from '../contracts/users';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { isUuid } from './ids';

/** Who is asking. Authorization decisions are made by the modules, next to their data. */
export interface Viewer {
  userId: string;
  role: Role;
}

/** What a verified token says; the role in it is the role at issue, the account may have changed since. */
export interface TokenSession {
  viewer: Viewer;
  tokenVersion: number;
  expiresAt: Date;
}

const ROLES: readonly Role[] = ['PATIENT', 'THERAPIST', 'ADMIN', 'ANALYST'];
const ISSUER = 'aura';
/** Tokens kept verified: a client sends its token with every request, and HMAC, base64 and JSON each time cost more than the lookup. */
const MAX_VERIFIED = 10_000;

export class TokenService {
  /** A KeyObject made once: given a string, jsonwebtoken would parse the key on every call. */
  private readonly secret: KeyObject;
  /** What each token recently seen says, its signature checked; its expiry is checked on every use. */
  private readonly verified = new LRUCache<string, TokenSession>({ max: MAX_VERIFIED });

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** `tokenVersion`: the account's version now; raising it (deactivation, new password) revokes the token. */
  issue(viewer: Viewer, tokenVersion = 0): string {
    return jwt.sign({ role: viewer.role, ver: tokenVersion }, this.secret, {
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

  /** The viewer, their token's version, and when it stops being valid (a WebSocket is closed then). */
  sessionFromAuthorization(header: unknown): TokenSession | null {
    if (header === undefined || header === null || header === '') return null;
    if (typeof header !== 'string') throw new UnauthenticatedError('Authorization must be a string');
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken's rule: expired from the second the token names, on.
      if (Math.floor(Date.now() / 1000) < known.expiresAt.getTime() / 1000) return known;
      this.verified.delete(token);
    }
    const session = this.verify(token);
    this.verified.set(token, session);
    return session;
  }

  private verify(token: string): TokenSession {
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
    // Tokens issued before versions existed carry none: version 0, the version every account starts at.
    const tokenVersion = claims.ver === undefined ? 0 : claims.ver;
    if (!Number.isInteger(tokenVersion)) throw new UnauthenticatedError('Invalid authentication token');
    // Frozen: one session is handed to every request that carries the token.
    return Object.freeze({ viewer: Object.freeze({ userId: claims.sub, role: claims.role as Role }), tokenVersion, expiresAt: new Date(claims.exp * 1000) });
  }
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}

/** The viewer, who must be an admin; `refusal` says what only an admin may do. */
export function requireAdmin(viewer: Viewer | null, refusal = 'Only an admin may do this'): Viewer {
  const admin = requireViewer(viewer);
  if (admin.role !== 'ADMIN') throw new ForbiddenError(refusal);
  return admin;
}
