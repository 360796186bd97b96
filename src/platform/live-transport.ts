import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { getOperationAST, GraphQLError, parse, specifiedRules, subscribe, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { LRUCache } from 'lru-cache';
import { print as printStreamMessage } from 'graphql-sse';
import { createHandler, type RequestContext } from 'graphql-sse/lib/use/express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { LiveConnection, LiveSockets, Viewers } from './account-standing';
import type { TokenService, TokenSession, Viewer } from './auth';
import { createOperationContext, type OperationContext } from './context';
import { AuraError, databaseUnavailable, isDatabaseUnreachable, UnauthenticatedError } from './errors';
import { toGraphQLError } from './gateway/error-format';
import type { ErrorHints } from './gateway/suggestions';
import { clientAddressOf } from './http';
import { costRefusal, limitRules, MAX_DOCUMENT_BYTES, parseOptions, socketRefusal, tokenRefusalOf, type Limits } from './limits';
import type { LiveGroups, LiveMember, LiveMessage, LivePayload } from './live-groups';
import type { Logger } from './logger';
import type { SocketOperationNotes } from './operation-notes';
import { controlCharacterRefusal } from './text-input';

/** What a live transport needs of an operation before running it. */
export interface LiveRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** Distinct valid documents kept parsed: the subscribers of one document share its syntax tree (and skip re-validating it). */
export const MAX_VALID_DOCUMENTS = 500;
/** Longer documents are parsed per request, so the cache stays small. */
const MAX_CACHED_DOCUMENT_LENGTH = 16 * 1024;

/** Valid documents by their text, shared by the live transports. */
export type ValidDocuments = LRUCache<string, DocumentNode>;

/** Requests a live transport (WebSocket, SSE) refuses before execution, with the same codes and limits as HTTP. */
export function requestErrors(schema: GraphQLSchema, limits: Limits, payload: LiveRequest, valid?: ValidDocuments) {
  let document = valid?.get(payload.query);
  if (!document) {
    try {
      document = parse(payload.query, parseOptions(limits));
    } catch (error) {
      return { errors: [tokenRefusalOf(error) ?? new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
    }
    const errors = validate(schema, document, [...specifiedRules, ...limitRules(limits)]).map((e) =>
      e.originalError instanceof AuraError
        ? toGraphQLError(e.originalError)
        : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    );
    if (errors.length > 0) return { errors };
    if (payload.query.length <= MAX_CACHED_DOCUMENT_LENGTH) valid?.set(payload.query, document);
  }
  // Cost depends on the variables: checked for every request.
  const refused = costRefusal(schema, limits, document, payload.operationName, payload.variables);
  return { document, errors: refused ? [refused] : [] };
}

/** graphql-ws's close code for "Unauthorized": clients stop and must reconnect with a fresh token. */
export const TOKEN_EXPIRED_CLOSE_CODE = 4401;
/** setTimeout's longest delay (about 24.8 days); a later expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A live connection lives no longer than the token it was opened with. */
export function closeWhenExpired(connection: LiveConnection, expiresAt: Date): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt.getTime() - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(() => connection.close(TOKEN_EXPIRED_CLOSE_CODE, 'Token expired'), Math.max(0, left));
    timer.unref();
  };
  arm();
  connection.once('close', () => clearTimeout(timer));
}

const EVENT_STREAM = 'text/event-stream';
/** WebSocket's "going away": what a stream is told (as a comment) when the server shuts down. */
const GOING_AWAY = 1001;

/** A POST /graphql that asks for an event stream rather than JSON is a subscription over SSE. */
export function wantsEventStream(req: Request): boolean {
  // The cheap test first: an operation that does not name the event stream is not negotiated.
  return req.headers.accept?.includes(EVENT_STREAM) === true && req.accepts(['application/json', EVENT_STREAM]) === EVENT_STREAM;
}

/**
 * An SSE stream as a live connection: an account change ends it (the client subscribes again,
 * with `after`; a refused token then answers 401), the token's expiry ends it with an
 * UNAUTHENTICATED error and `complete` (sign in again).
 */
function streamConnection(res: ServerResponse): LiveConnection {
  return {
    close(code, reason) {
      if (res.writableEnded || res.destroyed) return;
      if (code === TOKEN_EXPIRED_CLOSE_CODE) {
        const expired = new GraphQLError('Your token has expired; sign in again', { extensions: { code: 'UNAUTHENTICATED' } });
        res.write(printStreamMessage({ event: 'next', data: { errors: [expired] } }));
        res.write(printStreamMessage({ event: 'complete', data: null }));
      } else {
        res.write(`: ${reason}\n\n`); // an SSE comment: the reason, for whoever reads the stream
      }
      res.end();
    },
    once: (event, listener) => res.once(event, listener),
  };
}

/** An HTTP answer of graphql-sse's handler: a JSON GraphQL error body with a status. */
function httpRefusal(status: number, error: AuraError, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
  return [body, { status, statusText: status === 401 ? 'Unauthorized' : 'Service Unavailable', headers: { 'content-type': 'application/json; charset=utf-8', ...headers } }] as const;
}

/** An SSE `next` event around a group's serialized result (a distinct stream has no operation id). */
const streamNext: LiveMessage = (_key, json) => Buffer.from(`event: next\ndata: ${json}\n\n`);

/** A grouped subscriber on an SSE stream: the group writes its serialized result to the response as a `next` event. */
class StreamMember implements LiveMember {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    /** Its group (LiveGroups.keyOf), worked out once when it subscribed. */
    readonly groupKey: string,
    readonly viewer: Viewer,
    readonly requestId: string,
    private readonly notes: SocketOperationNotes,
  ) {}

  write(payload: LivePayload): void {
    if (!this.res.writableEnded && !this.res.destroyed) this.res.write(payload.message(streamNext, ''));
  }

  failed(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): void {
    this.notes.failed(this.req, '', errors);
  }
}

interface StreamState extends RequestContext {
  session?: TokenSession;
  viewer?: Viewer;
}

export interface ServerSentEventsParts {
  schema: GraphQLSchema;
  limits: Limits;
  tokens: TokenService;
  viewers: Viewers;
  liveSockets: LiveSockets;
  hints: ErrorHints;
  notes: SocketOperationNotes;
  orm: MikroORM;
  log: Logger;
  trustProxy: (address: string, hop: number) => boolean;
  /** The live groups a subscription without `after` joins, as on a WebSocket. */
  liveGroups: LiveGroups;
  /** A grouped subscription's refusal as the client sees it (errors formatted and noted). */
  shownRefusal(result: ExecutionResult, requestId: string): ExecutionResult;
  /** Each result as it is sent, the same as on a WebSocket: access records written, errors formatted and noted. */
  deliver(key: object, id: string, op: OperationContext, result: ExecutionResult): Promise<ExecutionResult>;
}

/**
 * Subscriptions over Server-Sent Events (graphql-sse, "distinct connections" mode: one stream per
 * subscription), for clients that cannot open a WebSocket. The same auth (the Authorization
 * header, checked against the account), limits, error codes, resume (`after`) and account-change
 * and token-expiry closing as graphql-ws. An account holds at most as many streams on an instance
 * as a socket may run operations.
 */
export function serverSentEvents(parts: ServerSentEventsParts): { handlers: RequestHandler[]; close(): void } {
  const { schema, limits, tokens, viewers, liveSockets, hints, notes, orm, log, trustProxy, liveGroups } = parts;
  const openStreams = new Map<string, number>();
  /** Every open stream, ended at shutdown as sockets are closed with 1001: clients reconnect elsewhere, with `after`. */
  const streams = new Set<LiveConnection>();
  const refused = (operationName: unknown, errors: GraphQLError[]): ExecutionResult => {
    notes.refused(operationName, errors);
    return { data: null, errors: errors.map(hints.cut) }; // graphql-sse sends it as a result only with `data`
  };

  // graphql-sse's context type is an index-signature record; ours is an interface.
  const handler = createHandler<Record<PropertyKey, unknown> | undefined>({
    // Refused tokens are answered before the stream opens, as POST /graphql answers them.
    onConnect: async (req) => {
      const state = req.context as StreamState;
      let session: TokenSession | null;
      try {
        session = tokens.sessionFromAuthorization(req.headers.get('authorization') ?? undefined);
        if (!session) return httpRefusal(401, new UnauthenticatedError());
        state.viewer = await viewers.current(session);
      } catch (error) {
        if (isDatabaseUnreachable(error)) {
          const unavailable = databaseUnavailable();
          return httpRefusal(503, unavailable, { 'retry-after': String(unavailable.details.retryAfterSeconds) });
        }
        if (error instanceof AuraError) return httpRefusal(401, error);
        throw error;
      }
      state.session = session;
    },
    onSubscribe: (req, params) => {
      const { viewer, session, res } = req.context as StreamState;
      const running = openStreams.get(viewer!.userId) ?? 0;
      const busy = socketRefusal(running + 1, limits);
      if (busy) return refused(params.operationName, [busy]);
      const payload = { query: params.query, variables: params.variables, operationName: params.operationName };
      const { document, errors } = requestErrors(schema, limits, payload);
      if (errors.length > 0 || !document) return refused(params.operationName, errors);
      if (getOperationAST(document, params.operationName)?.operation !== 'subscription') {
        const message = 'Only subscriptions are served as event streams; send queries and mutations to POST /graphql as JSON';
        return refused(params.operationName, [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } })]);
      }
      const controlCharacters = controlCharacterRefusal(document, params.variables);
      if (controlCharacters) return refused(params.operationName, [toGraphQLError(controlCharacters)]);
      const raw = req.raw as IncomingMessage;
      // The stream is a live connection: account changes and the token's expiry end it.
      const connection = streamConnection(res);
      liveSockets.track(viewer!, session!, connection);
      closeWhenExpired(connection, session!.expiresAt);
      openStreams.set(viewer!.userId, running + 1);
      streams.add(connection);
      connection.once('close', () => {
        streams.delete(connection);
        const left = (openStreams.get(viewer!.userId) ?? 1) - 1;
        if (left > 0) openStreams.set(viewer!.userId, left);
        else openStreams.delete(viewer!.userId);
      });
      const { operationName, variables: variableValues } = params;
      // A subscription without `after`: a grouped subscriber, with no context of its own; its group executes for it.
      const groupKey = liveGroups.keyOf({ document, operationName, variableValues }, viewer!);
      if (groupKey !== undefined) {
        const member = new StreamMember(raw, res, groupKey, viewer!, raw.requestId ?? randomUUID(), notes);
        return { schema, document, variableValues, operationName, contextValue: member as unknown as Record<PropertyKey, unknown> };
      }
      const contextValue = createOperationContext({
        requestId: raw.requestId ?? randomUUID(),
        viewer: viewer!,
        clientAddress: clientAddressOf(raw, trustProxy),
        em: orm.em,
        log,
      });
      return { schema, document, variableValues: params.variables, operationName: params.operationName, contextValue: contextValue as unknown as Record<PropertyKey, unknown> };
    },
    // requestErrors validated the document with the limit rules already.
    validate: () => [],
    subscribe: (args) => {
      const member = args.contextValue as unknown;
      if (!(member instanceof StreamMember)) return subscribe(args as ExecutionArgs);
      return liveGroups.join(member.groupKey, args as ExecutionArgs, member);
    },
    // Counted as running once subscribed (its live events are heard from then on).
    onOperation: (_op, req, args) => notes.started(req.raw, '', args.document, args.operationName),
    onNext: (op, req, result) => {
      if (!op) return undefined;
      // A grouped subscription's refusal (its events are written by its group, not here).
      if ((op as unknown) instanceof StreamMember) {
        const refusal = (result as ExecutionResult).errors;
        if (refusal?.length) notes.failed(req.raw, '', refusal);
        return parts.shownRefusal(result as ExecutionResult, (op as unknown as StreamMember).requestId);
      }
      return parts.deliver(req.raw, '', op as unknown as OperationContext, result as ExecutionResult);
    },
    onComplete: (_op, req) => notes.completed(req.raw, ''),
  });

  const stream = async (req: Request, res: Response, next: NextFunction) => {
    req.headers.accept = EVENT_STREAM; // graphql-sse streams only for exactly this Accept
    try {
      await handler(req, res);
    } catch (err) {
      log.error({ err, requestId: req.requestId }, 'event stream failed');
      if (!res.headersSent) next(err);
      else res.end();
    }
  };
  return {
    handlers: [express.json({ limit: MAX_DOCUMENT_BYTES }), stream],
    close: () => streams.forEach((connection) => connection.close(GOING_AWAY, 'Server shutting down')),
  };
}
