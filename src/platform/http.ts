import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Request } from 'express';
import proxyaddr from 'proxy-addr';
import { LimitExceededError, MAX_DOCUMENT_BYTES } from './limits';
import type { Logger } from './logger';

declare module 'http' {
  interface IncomingMessage {
    requestId?: string;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Health probes and scrapes: logged at debug, so they do not drown the requests. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Every request gets an id (the caller's X-Request-Id if sane), echoed back, and one log line when
 * answered: method, path without its query string, status, duration, and for GraphQL the
 * operation's name and type, the viewer's id and role, and the outcome code. Never a body or
 * variables. The line is written by the logger itself (no per-request child logger), and only
 * when its level is enabled: an unlogged request costs an id and a 'close' listener.
 */
export function requestIds(log: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '').split('?')[0];
    const level = QUIET_PATHS.has(path) ? 'debug' : 'info';
    if (log.isLevelEnabled(level)) {
      const started = process.hrtime.bigint();
      // 'close' comes for every response, answered or aborted ('finish' only for the answered).
      res.once('close', () => {
        const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
        log[level]({ requestId, method: req.method, path: (req as Request).originalUrl?.split('?')[0] ?? path, status: res.statusCode, ms, ...(res.writableFinished ? {} : { aborted: true }), ...req.operationNote }, 'request');
      });
    }
    next();
  };
}

/**
 * The caller's address: the socket's peer, or the nearest X-Forwarded-For entry not added by a
 * trusted proxy (AURA_TRUST_PROXY). One rule for HTTP requests and WebSocket upgrades.
 */
export function clientAddressOf(request: IncomingMessage, trust: (address: string, hop: number) => boolean): string | null {
  if (!request.socket.remoteAddress) return null;
  return proxyaddr(request, trust);
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  length?: number;
  limit?: number;
}

/** A whole text answer on the plain node response: its type, its length in bytes, and the text. */
export function endWithText(res: ServerResponse, type: string, text: string): void {
  res.setHeader('content-type', type);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** A JSON answer written on the plain node response (express's and the operations' road alike). */
function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  endWithText(res, 'application/json; charset=utf-8', JSON.stringify(body));
}

/** Malformed or oversized bodies get GraphQL-shaped 4xx answers; nothing else leaks details. */
export function httpErrors(log: Logger) {
  return (error: unknown, req: IncomingMessage, res: ServerResponse, _next?: unknown): void => {
    const { type, status, length, limit } = (error ?? {}) as BodyParserError;
    if (type === 'entity.parse.failed') {
      answerJson(res, 400, { errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    if (type === 'entity.too.large') {
      const refused = new LimitExceededError('documentSize', length ?? Number.NaN, limit ?? MAX_DOCUMENT_BYTES);
      answerJson(res, 413, { errors: [{ message: refused.message, extensions: { code: refused.code, ...refused.details } }] });
      return;
    }
    if (status && status >= 400 && status < 500) {
      answerJson(res, status, { errors: [{ message: 'Bad request', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    log.error({ err: error, requestId: req.requestId }, 'unhandled HTTP error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    answerJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: req.requestId } }] });
  };
}

type Step = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The operations' road: a POST to exactly /graphql with a JSON body (not asking for an event
 * stream) is what nearly every request is. It runs the very steps express's router runs for it, in
 * the same order (request id, CORS, the JSON body, Apollo, and the error answer), called in turn:
 * express's router walked a dozen layers and set two prototypes per request to reach them. Every
 * other request (pages, probes, GET, preflights, SSE) goes to express.
 */
export function operationsRoad(
  steps: readonly Step[],
  operation: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  failed: (error: unknown, req: IncomingMessage, res: ServerResponse) => void,
  otherwise: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const run = (req: IncomingMessage, res: ServerResponse) => {
    let taken = 0;
    const next = (error?: unknown): void => {
      if (error) return failed(error, req, res);
      const step = steps[taken++];
      if (!step) {
        operation(req, res).catch((err: unknown) => failed(err, req, res));
        return;
      }
      try {
        step(req, res, next);
      } catch (err) {
        failed(err, req, res);
      }
    };
    next();
  };
  return (req, res) => (isJsonOperation(req) ? run(req, res) : otherwise(req, res));
}

function isJsonOperation(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url;
  if (url !== '/graphql' && !url?.startsWith('/graphql?')) return false;
  // A subscription over SSE, or a body that is not JSON (express and Apollo say what is wrong with it).
  const { accept, 'content-type': type } = req.headers;
  return !accept?.includes('text/event-stream') && type !== undefined && /^application\/json\s*(;|$)/i.test(type);
}

/**
 * Starts the drain without the keep-alive race: idle keep-alive connections are closed at once (a
 * request racing in on one is never read, so never executed), and every response still to be
 * written, in flight or arriving on a busy connection meanwhile, says `Connection: close`, so no
 * client sends another request on a connection that is about to close.
 */
export function keepAliveDrain(httpServer: Server): () => void {
  const unanswered = new Set<ServerResponse>();
  let draining = false;
  // First in line, before express reads the body: a request that can no longer be answered never runs.
  httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      if (req.socket.writableEnded) req.socket.destroy(); // the drain already ended this connection
      else res.setHeader('connection', 'close');
      return;
    }
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
  return () => {
    draining = true;
    for (const res of unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
    httpServer.closeIdleConnections();
  };
}
