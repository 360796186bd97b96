import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Metrics, Transport } from './metrics';

/** What the request log says about a GraphQL request: never its document or variables. */
export interface OperationNote {
  operation?: string;
  type?: string;
  code: string;
  viewerId?: string;
  role?: string;
}

declare module 'http' {
  interface IncomingMessage {
    operationNote?: OperationNote;
  }
}

/** A name as GraphQL allows it (client-chosen, so anything else is not logged). */
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const nameOf = (name: unknown): string | undefined => (typeof name === 'string' && NAME.test(name) ? name : undefined);

/** An answer's outcome: OK, or the first error's extensions.code. */
function outcomeOf(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): string {
  const code = errors?.[0]?.extensions?.code;
  return errors?.length ? (typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR') : 'OK';
}

/** Before parsing (a refused context): the name the request gives, or its document's first operation's. */
function requestedName(body: { operationName?: unknown; query?: unknown } | undefined): string | undefined {
  const named = typeof body?.query === 'string' ? /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(body.query)?.[1] : undefined;
  return nameOf(body?.operationName) ?? nameOf(named);
}

/** Where the HTTP request rides on its context: Apollo copies the context per operation, own properties included. */
const REQUEST = Symbol('aura.httpRequest');

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

interface Viewed {
  viewer: { userId: string; role: string } | null;
}

/**
 * Notes each HTTP GraphQL request's operation, viewer and outcome on the request (for its log line)
 * and in the metrics. Apollo runs no plugin when the context cannot be built (a bad token, the
 * database away), so the context function is wrapped too.
 */
export function httpOperationNotes<C extends Viewed>(metrics: Metrics | undefined) {
  const context =
    <A extends { req: IncomingMessage }>(create: (args: A) => Promise<C>) =>
    async (args: A): Promise<C> => {
      const started = process.hrtime.bigint();
      try {
        const value = await create(args);
        Object.assign(value, { [REQUEST]: args.req });
        return value;
      } catch (error) {
        const code = outcomeOf([error as GraphQLError]);
        const operation = requestedName((args.req as { body?: { operationName?: unknown; query?: unknown } }).body);
        args.req.operationNote = { operation, code };
        metrics?.observe('http', 'unknown', operation, code, secondsSince(started));
        throw error;
      }
    };
  const plugin: ApolloServerPlugin<C> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName, request, document, contextValue }) {
          const code = response.body.kind === 'single' ? outcomeOf(response.body.singleResult.errors) : 'OK';
          // A document that failed validation has no resolved operation, but its AST still says what it asked.
          const asked = operation ?? (document ? getOperationAST(document, request.operationName) : undefined);
          const type = asked?.operation ?? 'unknown';
          const name = nameOf(operationName ?? request.operationName ?? asked?.name?.value);
          metrics?.observe('http', type, name, code, secondsSince(started));
          const req = (contextValue as C & { [REQUEST]?: IncomingMessage })[REQUEST];
          if (req) req.operationNote = { operation: name, type, code, viewerId: contextValue.viewer?.userId, role: contextValue.viewer?.role };
        },
      };
    },
  };
  return { context, plugin };
}

interface Running {
  started: bigint;
  type: string;
  name?: string;
  code: string;
}

/** The same for operations on a live transport (WebSockets, SSE streams): counted when they end, and how many run now. */
export class SocketOperationNotes {
  private readonly running = new Map<object, Map<string, Running>>();

  constructor(
    private readonly metrics: Metrics | undefined,
    private readonly transport: Exclude<Transport, 'http'>,
  ) {}

  /** Operations running on open sockets (subscriptions, and queries not yet answered). */
  get active(): number {
    let count = 0;
    for (const operations of this.running.values()) count += operations.size;
    return count;
  }

  started(socket: object, id: string, document: DocumentNode, operationName: string | null | undefined): void {
    const operation = getOperationAST(document, operationName);
    const operations = this.running.get(socket) ?? new Map<string, Running>();
    this.running.set(socket, operations);
    operations.set(id, { started: process.hrtime.bigint(), type: operation?.operation ?? 'unknown', name: nameOf(operation?.name?.value), code: 'OK' });
  }

  /** A result with errors: the operation's outcome is the first one's code. */
  failed(socket: object, id: string, errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): void {
    const operation = this.running.get(socket)?.get(id);
    if (operation && operation.code === 'OK') operation.code = outcomeOf(errors);
  }

  /** Refused before it ran (limits, validation, the account). */
  refused(operationName: unknown, errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): void {
    this.metrics?.observe(this.transport, 'unknown', nameOf(operationName), outcomeOf(errors), 0);
  }

  completed(socket: object, id: string): void {
    const operations = this.running.get(socket);
    const operation = operations?.get(id);
    if (!operations || !operation) return;
    operations.delete(id);
    if (operations.size === 0) this.running.delete(socket);
    this.metrics?.observe(this.transport, operation.type, operation.name, operation.code, secondsSince(operation.started));
  }
}
