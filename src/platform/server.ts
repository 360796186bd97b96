import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError, parse, specifiedRules, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Settings } from '../config/env';
import { LiveSockets, Viewers, ACCOUNT_CHANGED_CLOSE_CODE } from './account-standing';
import type { TokenSession } from './auth';
import { createOperationContext, type OperationContext } from './context';
import { AuraError, formatError, isInternalError, toGraphQLError } from './errors';
import type { Gateway } from './gateway/gateway';
import { clientAddressOf, httpErrors, requestIds } from './http';
import { depthLimit } from './limits';
import type { Logger } from './logger';

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

/** Logs internal errors with the operation's request id; the client sees them masked. */
function errorLogging(log: Logger): ApolloServerPlugin<OperationContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isInternalError(error)) {
              log.error({ err: error.originalError ?? error, requestId: contextValue.requestId, path: error.path }, 'operation failed');
            }
          }
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
        },
      };
    },
  };
}

async function viewerOrError(viewers: Viewers, authorization: unknown) {
  try {
    return await viewers.fromAuthorization(authorization);
  } catch (error) {
    if (error instanceof AuraError) throw toGraphQLError(error, 401);
    throw error;
  }
}

/** Requests the WebSocket transport refuses before execution, with the same codes as HTTP. */
function requestErrors(schema: GraphQLSchema, settings: Settings, query: string) {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return { errors: [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
  }
  const errors = validate(schema, document, [...specifiedRules, depthLimit(settings.maxQueryDepth)]);
  return {
    document,
    errors: errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
  };
}

/** graphql-ws's close code for "Unauthorized": clients stop and must reconnect with a fresh token. */
const TOKEN_EXPIRED_CLOSE_CODE = 4401;
/** setTimeout's longest delay (about 24.8 days); a later expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A socket lives no longer than the token it was opened with. */
function closeWhenExpired(socket: WebSocket, expiresAt: Date): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt.getTime() - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(() => socket.close(TOKEN_EXPIRED_CLOSE_CODE, 'Token expired'), Math.max(0, left));
    timer.unref();
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}

/** HTTP (express + Apollo) and WebSocket (graphql-ws) on one port, one /graphql path. */
export async function listen({ gateway, orm, settings, log }: HttpServerParts, port: number): Promise<ListeningServer> {
  const { schema } = gateway;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  const trustProxy = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // Every operation reads the account behind its token, so a role change or revocation counts at once.
  const viewers = new Viewers(gateway.tokens, gateway.registry, orm.em);
  const liveSockets = new LiveSockets();
  const accountChanges = liveSockets.watch(gateway.pubSub, viewers, log, settings.accountCheckSeconds);

  const ws = useServer<Record<string, unknown> | undefined, { session?: TokenSession }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const session = gateway.tokens.sessionFromAuthorization(ctx.connectionParams?.authorization);
          if (!session) return false;
          const viewer = await viewers.current(session);
          ctx.extra.session = session;
          liveSockets.track(viewer, session, ctx.extra.socket);
          closeWhenExpired(ctx.extra.socket, session.expiresAt);
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const { document, errors } = requestErrors(schema, settings, payload.query);
        if (errors.length > 0 || !document) return errors;
        let viewer;
        try {
          viewer = await viewers.current(ctx.extra.session!);
        } catch (error) {
          if (!(error instanceof AuraError)) throw error;
          // The refusal goes out first, then the socket closes: the client learns why.
          setImmediate(() => ctx.extra.socket.close(ACCOUNT_CHANGED_CLOSE_CODE, 'Account changed'));
          return [toGraphQLError(error)];
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
      onNext: (_ctx, _id, _payload, args, result) => {
        const errors = (result as ExecutionResult).errors;
        if (!errors?.length) return result;
        const { requestId } = args.contextValue as OperationContext;
        for (const error of errors) {
          if (isInternalError(error)) log.error({ err: error.originalError ?? error, requestId }, 'operation failed');
        }
        return { ...result, errors: errors.map((e) => formatError(e.toJSON(), e, requestId)) } as unknown as ExecutionResult;
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<OperationContext>({
    schema,
    introspection: settings.introspection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown; Apollo's own handler would re-raise the signal and skip ours.
    stopOnTerminationSignals: false,
    validationRules: [depthLimit(settings.maxQueryDepth)],
    formatError: (formatted, error) => formatError(formatted, error),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControlDisabled(),
      settings.introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      errorLogging(log),
      { async serverWillStart() { return { async drainServer() { await Promise.all([ws.dispose(), accountChanges.stop()]); } }; } },
    ],
  });
  await apollo.start();

  app.use(requestIds(log));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch (err) {
      log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createOperationContext({
          requestId: req.requestId ?? randomUUID(),
          viewer: await viewerOrError(viewers, req.headers.authorization),
          clientAddress: clientAddressOf(req, trustProxy),
          em: orm.em,
          log,
        }),
    }),
  );
  app.use(httpErrors(log));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, () => resolve());
  });
  return {
    httpServer,
    port: (httpServer.address() as AddressInfo).port,
    close: () => apollo.stop(),
  };
}
