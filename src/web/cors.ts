import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import vary from 'vary';

/** What a browser client may send across origins: JSON bodies, the token, Apollo's CSRF header, an idempotency key, a request id. */
const ALLOWED_HEADERS = ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'idempotency-key', 'x-request-id'];
/** Response headers a cross-origin client may read. */
const EXPOSED_HEADERS = ['x-request-id', 'retry-after'];

/**
 * CORS for the origins in AURA_CORS_ORIGINS: their preflights are answered and their responses
 * carry CORS headers; any other origin gets none (its preflight falls through and fails). No
 * credentials: the token travels in the Authorization header, never in a cookie.
 */
export function corsFor(origins: readonly string[]) {
  const allowed = new Set(origins);
  const handle = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
  // Plain node request and response: express's router runs it, and so does the operations' road (http.ts).
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (allowed.size === 0) return next();
    // The answer depends on the Origin header, so caches must key on it, allowed or not.
    vary(res, 'Origin');
    handle(req, res, next);
  };
}
