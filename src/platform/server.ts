import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { createSourceEventStream, execute, GraphQLError, subscribe, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { MessageType } from 'graphql-ws';
import { LRUCache } from 'lru-cache';
import { useServer } from 'graphql-ws/use/ws';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Settings } from '../config/env';
import { LiveSockets, Viewers, ACCOUNT_CHANGED_CLOSE_CODE } from './account-standing';
import type { TokenSession, Viewer } from './auth';
import { createOperationContext, type OperationContext } from './context';
import { AuraError, databaseUnavailable, isDatabaseUnreachable } from './errors';
import { formatError, isInternalError, toGraphQLError } from './gateway/error-format';
import { CompiledExecution } from './gateway/compiled-execution';
import type { Gateway } from './gateway/gateway';
import { errorHints } from './gateway/suggestions';
import { apolloHandler } from './apollo-http';
import { clientAddressOf, httpErrors, keepAliveDrain, operationsRoad, requestIds } from './http';
import { idempotencyPlugin, wantsOwnEventManager } from './idempotency';
import { LiveGroups, type LiveMember, type LiveMessage, type LivePayload } from './live-groups';
import { httpOperationLimits, limitRules, limitsOf, MAX_DOCUMENT_BYTES, parseOptions, socketRefusal, tokenRefusalOf } from './limits';
import type { Logger } from './logger';
import type { Metrics as MetricsType } from './metrics';
import { httpOperationNotes, SocketOperationNotes } from './operation-notes';
import type { PlatformAccessAudit } from './access-audit';
import { OutageLog } from './outage';
import { controlCharacterGuard, controlCharacterRefusal } from './text-input';
import { closeWhenExpired, MAX_VALID_DOCUMENTS, requestErrors, serverSentEvents, wantsEventStream, type ValidDocuments } from './live-transport';
import { AccountStandings } from '../contracts/users';
import { corsFor } from '../web/cors';
import { landingPage } from '../web/landing-page';
import { webPages } from '../web/routes';

export interface HttpServerParts {
  gateway: Gateway;
  orm: MikroORM;
  settings: Settings;
  log: Logger;
}

export interface ListeningServer {
  httpServer: Server;
  port: number;
  /** Stop accepting, finish in-flight requests, close sockets with 1001. */
  close(): Promise<void>;
}

/** What a client gets instead of health information whose reading could not be recorded. */
function unrecordedReadError(requestId: string) {
  return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } };
}

/**
 * Writes the operation's access records (one insert) before its answer leaves; if they cannot be
 * written, the answer is withheld: no health information is shown unrecorded.
 */
function accessRecording(audit: PlatformAccessAudit, log: Logger): ApolloServerPlugin<OperationContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (!contextValue?.accessReads) return; // no context was built: nothing was read
          try {
            await audit.flushReads(contextValue);
          } catch (err) {
            log.error({ err, requestId: contextValue.requestId }, 'access records could not be written; answer withheld');
            response.body = { kind: 'single', singleResult: { errors: [unrecordedReadError(contextValue.requestId)] } };
            response.http.status = 500;
          }
        },
      };
    },
  };
}

/** One error of an operation, on either transport: an outage is counted, an internal error logged with the request id (the client sees it masked). */
function noteError(log: Logger, databaseOutage: OutageLog, error: GraphQLError, requestId: string): void {
  if (isDatabaseUnreachable(error)) databaseOutage.failed(error);
  else if (isInternalError(error)) log.error({ err: error.originalError ?? error, requestId, path: error.path }, 'operation failed');
}

/** Logs internal errors with the operation's request id; the client sees them masked. */
function errorLogging(log: Logger, databaseOutage: OutageLog): ApolloServerPlugin<OperationContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) noteError(log, databaseOutage, error, contextValue.requestId);
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const { data, errors = [] } = response.body.singleResult;
          for (const error of errors) {
            if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') {
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
          // Standard HTTP for a refused attempt: Retry-After, and 429 when nothing else was answered.
          const waits = errors.filter((e) => e.extensions?.code === 'RATE_LIMITED').map((e) => Number(e.extensions?.retryAfterSeconds) || 1);
          if (waits.length > 0) {
            response.http.headers.set('retry-after', String(Math.max(...waits)));
            if (data === null || data === undefined) response.http.status = 429;
          }
          // An unreachable database is the service's condition, not the operation's fault: 503, retry later.
          const unavailable = errors.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
          if (unavailable) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(unavailable.extensions?.retryAfterSeconds));
          } else if (databaseOutage.down) databaseOutage.restored();
        },
      };
    },
  };
}

/** A context that needed the database and could not reach it is a 503 too, not a masked 500. */
async function unavailableIfUnreachable<T>(create: () => Promise<T> | T): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!isDatabaseUnreachable(error)) throw error;
    const refusal = databaseUnavailable();
    const retryAfter = String(refusal.details.retryAfterSeconds);
    throw new GraphQLError(refusal.message, {
      originalError: refusal, // formatError keeps an Aura error's details (retryAfterSeconds)
      extensions: { code: refusal.code, ...refusal.details, http: { status: 503, headers: new HeaderMap([['retry-after', retryAfter]]) } },
    });
  }
}

async function viewerOrError(viewers: Viewers, authorization: unknown) {
  try {
    return await viewers.fromAuthorization(authorization);
  } catch (error) {
    if (error instanceof AuraError) throw toGraphQLError(error, 401);
    throw error;
  }
}

type SocketContext = Parameters<SocketOperationNotes['started']>[0];

/** A graphql-ws `next` message around a group's serialized result. */
const socketNext: LiveMessage = (id, json) => Buffer.from(`{"id":${JSON.stringify(id)},"type":"${MessageType.Next}","payload":${json}}`);

/**
 * A grouped subscriber on a WebSocket: the group writes its serialized result, wrapped in this
 * subscription's `next` message. It holds no context of its own (the group has one).
 */
class SocketMember implements LiveMember {
  constructor(
    private readonly ctx: { extra: { socket: WebSocket } },
    private readonly id: string,
    /** Its group (LiveGroups.keyOf), worked out once when it subscribed. */
    readonly groupKey: string,
    readonly viewer: Viewer,
    readonly requestId: string,
    private readonly notes: SocketOperationNotes,
  ) {}

  write(payload: LivePayload): void {
    const { socket } = this.ctx.extra;
    if (socket.readyState === socket.OPEN) socket.send(payload.message(socketNext, this.id), { binary: false });
  }

  failed(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): void {
    this.notes.failed(this.ctx as SocketContext, this.id, errors);
  }
}

/** HTTP (express + Apollo), WebSocket (graphql-ws) and SSE (graphql-sse) on one port, one /graphql path. */
export async function listen({ gateway, orm, settings, log }: HttpServerParts, port: number): Promise<ListeningServer> {
  const { schema } = gateway;
  // Both transports run queries and mutations through one compiled-document cache.
  const execution = new CompiledExecution(schema, settings.jit);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  const trustProxy = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  // Express until the operations' road is laid, once Apollo has started (below).
  let route: (req: IncomingMessage, res: ServerResponse) => void = app;
  const httpServer = createServer((req, res) => route(req, res));
  const startDrain = keepAliveDrain(httpServer);
  const databaseOutage = new OutageLog(log, 'the database', 'operations are answered SERVICE_UNAVAILABLE (503) until it returns');
  const limits = limitsOf(settings);
  // A bigger message closes the socket (1009), as a bigger HTTP body gets a 413.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: limits.documentBytes });
  // Every operation reads the account behind its token, so a role change or revocation counts at once.
  const viewers = new Viewers(gateway.tokens, gateway.registry.find(AccountStandings), orm.em);
  const liveSockets = new LiveSockets();
  const accountChanges = liveSockets.watch(gateway.pubSub, viewers, log, settings.accountCheckSeconds);
  // Operations are noted for the request log and counted in /metrics (AURA_METRICS); graphql-ws's hooks below report to socketNotes.
  // prom-client is loaded only when metrics are on (AURA_METRICS).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Metrics = settings.metrics ? (require('./metrics') as typeof import('./metrics')).Metrics : undefined;
  const metrics: MetricsType | undefined = Metrics ? new Metrics({ orm, log, sockets: () => wsServer.clients.size, subscriptions: (): number => socketNotes.active + streamNotes.active, live: () => liveGroups }) : undefined;
  const socketNotes = new SocketOperationNotes(metrics, 'ws');
  const streamNotes = new SocketOperationNotes(metrics, 'sse');
  const httpNotes = httpOperationNotes<OperationContext>(metrics);

  const hints = errorHints(settings.introspection);
  /** A result's errors as the client sees them (masked, with the request id), each noted once. */
  const shownErrors = (result: ExecutionResult, requestId: string): ExecutionResult => {
    const errors = result.errors;
    if (!errors?.length) return result;
    for (const error of errors) noteError(log, databaseOutage, error, requestId);
    return { ...result, errors: errors.map((e) => hints.shown(formatError(e.toJSON(), e, requestId))) } as unknown as ExecutionResult;
  };
  /**
   * A result as shown to these viewers: their access records written first (one insert), or, if
   * they cannot be written, an error instead (no health information is shown unrecorded); errors
   * formatted and noted.
   */
  const shownTo = async (op: OperationContext, result: ExecutionResult, viewers: readonly Viewer[]): Promise<ExecutionResult> => {
    try {
      await gateway.accessAudit.flushReadsFor(op, viewers);
    } catch (err) {
      log.error({ err, requestId: op.requestId }, 'access records could not be written; result withheld');
      return { errors: [unrecordedReadError(op.requestId)] } as unknown as ExecutionResult;
    }
    return shownErrors(result, op.requestId);
  };
  /** Each result of a live operation, and each ungrouped subscription event, as it goes out on a live transport. */
  const deliverOn =
    (notes: SocketOperationNotes) =>
    async (key: object, id: string, op: OperationContext, result: ExecutionResult): Promise<ExecutionResult> => {
      const shown = await shownTo(op, result, op.viewer ? [op.viewer] : []);
      if (shown.errors?.length) notes.failed(key, id, shown.errors);
      return shown;
    };
  // Subscribers of one document, variables and visibility class share one execution per event.
  const liveGroups = new LiveGroups({
    sourceStream: (args) => createSourceEventStream(args),
    execute: async (args, event) => (await execute({ ...args, rootValue: event })) as ExecutionResult,
    contextFor: (representative) => createOperationContext({ requestId: randomUUID(), viewer: representative.viewer, clientAddress: null, em: orm.em, log }),
    prepare: shownTo,
  });
  const deliverSocket = deliverOn(socketNotes);
  const validDocuments: ValidDocuments = new LRUCache<string, DocumentNode>({ max: MAX_VALID_DOCUMENTS });
  const ws = useServer<Record<string, unknown> | undefined, { session?: TokenSession; untracked?: boolean }>(
    {
      schema,
      execute: (args) => execution.execute(args),
      subscribe: (args: ExecutionArgs) => {
        const member = args.contextValue;
        if (!(member instanceof SocketMember)) return subscribe(args);
        return liveGroups.join(member.groupKey, args, member);
      },
      onConnect: async (ctx) => {
        try {
          const session = gateway.tokens.sessionFromAuthorization(ctx.connectionParams?.authorization);
          if (!session) return false;
          ctx.extra.session = session;
          closeWhenExpired(ctx.extra.socket, session.expiresAt);
          try {
            liveSockets.track(await viewers.current(session), session, ctx.extra.socket);
          } catch (error) {
            if (!isDatabaseUnreachable(error)) throw error;
            // A signed token while the database is away: each operation answers SERVICE_UNAVAILABLE
            // until it returns, and the first one that reads the account tracks the socket.
            ctx.extra.untracked = true;
          }
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws has already registered this operation, so it counts itself.
        const busy = socketRefusal(Object.keys(ctx.subscriptions).length, limits);
        if (busy) return [busy];
        const { document, errors } = requestErrors(schema, limits, payload, validDocuments);
        if (errors.length > 0 || !document) return errors.map(hints.cut);
        const refusal = controlCharacterRefusal(document, payload.variables);
        if (refusal) return [toGraphQLError(refusal)];
        let viewer;
        try {
          viewer = await viewers.current(ctx.extra.session!);
        } catch (error) {
          if (isDatabaseUnreachable(error)) return [toGraphQLError(databaseUnavailable())];
          if (!(error instanceof AuraError)) throw error;
          // The refusal goes out first, then the socket closes: the client learns why.
          setImmediate(() => ctx.extra.socket.close(ACCOUNT_CHANGED_CLOSE_CODE, 'Account changed'));
          return [toGraphQLError(error)];
        }
        if (ctx.extra.untracked) {
          liveSockets.track(viewer, ctx.extra.session!, ctx.extra.socket);
          ctx.extra.untracked = false;
        }
        const { operationName, variables: variableValues } = payload;
        // A subscription without `after`: a grouped subscriber, with no context of its own; its group executes for it.
        const groupKey = liveGroups.keyOf({ document, operationName, variableValues }, viewer);
        if (groupKey !== undefined) {
          return { schema, document, variableValues, operationName, contextValue: new SocketMember(ctx, id, groupKey, viewer, randomUUID(), socketNotes) };
        }
        const contextValue = createOperationContext({
          requestId: randomUUID(),
          viewer,
          clientAddress: clientAddressOf(ctx.extra.request, trustProxy),
          em: orm.em,
          log,
        });
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      onOperation: (ctx, id, _payload, args) => socketNotes.started(ctx, id, args.document, args.operationName),
      onError: (_ctx, _id, payload, errors) => socketNotes.refused(payload.operationName, errors),
      onComplete: (ctx, id) => socketNotes.completed(ctx, id),
      onNext: (ctx, id, _payload, args, result) => {
        // A grouped subscription's refusal (its events are written by its group, not here).
        if (args.contextValue instanceof SocketMember) {
          const refusal = (result as ExecutionResult).errors;
          if (refusal?.length) socketNotes.failed(ctx, id, refusal);
          return shownErrors(result as ExecutionResult, args.contextValue.requestId);
        }
        return deliverSocket(ctx, id, args.contextValue as OperationContext, result as ExecutionResult);
      },
    },
    wsServer,
  );
  // ws closes a socket whose message exceeds maxPayload (1009) and emits an error, which graphql-ws
  // prints to stderr as an implementation bug; it is the client's: log it as such.
  wsServer.on('connection', (socket) => {
    const [graphqlWsHandler] = socket.listeners('error') as Array<(error: Error) => void>;
    socket.removeAllListeners('error');
    socket.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') log.info({ limit: 'documentSize' }, 'WebSocket message over the size limit; socket closed');
      else graphqlWsHandler?.call(socket, error);
    });
  });

  // Subscriptions over SSE: GET or POST /graphql/stream, and POST /graphql with Accept: text/event-stream.
  const eventStreams = serverSentEvents({ schema, limits, tokens: gateway.tokens, viewers, liveSockets, hints, notes: streamNotes, orm, log, trustProxy, liveGroups, shownRefusal: shownErrors, deliver: deliverOn(streamNotes) });

  const apollo = new ApolloServer<OperationContext>({
    gateway: execution.apolloGateway(),
    introspection: settings.introspection,
    includeStacktraceInErrorResponses: false,
    // Compact JSON: Apollo's default pretty-prints every answer (indentation is a third of a list's bytes).
    stringifyResult: (result) => JSON.stringify(result),
    // main.ts owns shutdown; Apollo's own handler would re-raise the signal and skip ours.
    stopOnTerminationSignals: false,
    parseOptions: parseOptions(limits),
    validationRules: limitRules(limits),
    formatError: (formatted, error) =>
      hints.shown(formatError(formatted, (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && tokenRefusalOf(error)) || error)),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControlDisabled(),
      landingPage(settings.introspection),
      errorLogging(log, databaseOutage),
      httpOperationLimits(schema, limits),
      controlCharacterGuard<OperationContext>(),
      accessRecording(gateway.accessAudit, log),
      idempotencyPlugin(log),
      { async serverWillStart() { return { async drainServer() { eventStreams.close(); await Promise.all([ws.dispose(), accountChanges.stop()]); } }; } },
      httpNotes.plugin, // last: sees the answer as every other plugin left it
    ],
  });
  await apollo.start();

  // The steps of an operation over HTTP, run by express's router and by the operations' road alike.
  const identified = requestIds(log);
  const crossOrigin = corsFor(settings.corsOrigins);
  const jsonBody = express.json({ limit: MAX_DOCUMENT_BYTES });
  const operation = apolloHandler(
    apollo,
    httpNotes.context(({ req }) =>
      unavailableIfUnreachable(async () =>
        createOperationContext({
          requestId: req.requestId ?? randomUUID(),
          viewer: await viewerOrError(viewers, req.headers.authorization),
          clientAddress: clientAddressOf(req, trustProxy),
          em: orm.em,
          log,
          ownEventManager: wantsOwnEventManager(req.headers),
        }),
      ),
    ),
  );
  const refused = httpErrors(log);

  app.use(identified);
  // Prometheus metrics: for the operator's network only (README); they hold counts, never people or health data.
  if (metrics) app.get('/metrics', metrics.handler());
  // Browser clients: CORS for AURA_CORS_ORIGINS (Apollo's CSRF prevention stays on), /explorer and /dashboard.
  app.use(crossOrigin);
  app.get('/graphql/stream', ...eventStreams.handlers);
  app.post('/graphql/stream', ...eventStreams.handlers);
  app.post('/graphql', (req, _res, next) => (wantsEventStream(req) ? next() : next('route')), ...eventStreams.handlers);
  app.use('/graphql', jsonBody, operation);
  // The pages and probes after /graphql: an operation, the request that matters, walks the fewest routes.
  app.use(webPages(settings));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      databaseOutage.restored();
      res.json({ status: 'ready' });
    } catch (err) {
      databaseOutage.failed(err);
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.use(refused);
  // A JSON operation POSTed to /graphql takes the same steps without the router; everything else, express.
  // Traced, everything goes through express, whose instrumentation names each HTTP span by its route.
  if (!settings.otlpEndpoint) route = operationsRoad([identified, crossOrigin, jsonBody], operation, refused, app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, () => resolve());
  });
  return {
    httpServer,
    port: (httpServer.address() as AddressInfo).port,
    close: () => {
      startDrain();
      // Then Apollo's drain plugin: stop listening, wait for in-flight requests, close sockets.
      return apollo.stop();
    },
  };
}
