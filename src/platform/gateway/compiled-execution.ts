import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  getOperationAST,
  GraphQLError,
  isInputObjectType,
  Kind,
  typeFromAST,
  visit,
  BREAK,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Distinct documents kept compiled; a client sending ever-new documents evicts, it does not grow memory. */
const MAX_COMPILED = 500;

type Compiled = { query: CompiledQuery; operation: OperationDefinitionNode } | 'graphql-js' | { seen: number };

/**
 * graphql-jit 0.8.9 does not apply an input object's field defaults (a defaulted `String!` is
 * refused as missing): operations that pass input objects, as variables or literals, run on graphql-js.
 */
function passesInputObjects(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const variableTakesObject = (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type as never);
    return type !== undefined && isInputObjectType(getNamedType(type));
  });
  if (variableTakesObject) return true;
  let literal = false;
  visit(operation, {
    [Kind.OBJECT]: () => {
      literal = true;
      return BREAK;
    },
  });
  return literal;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
}

/**
 * jit's errors lack what graphql-js's always have (an `extensions` object, which Apollo reads):
 * the same error, rebuilt as graphql-js builds it, so formatting sees no difference.
 */
function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((jitError) => {
    const error = new GraphQLError(jitError.message, { path: jitError.path, originalError: jitError.originalError, extensions: jitError.extensions });
    (error as { locations?: GraphQLError['locations'] }).locations = jitError.locations;
    return error;
  });
  return { ...result, errors };
}

/**
 * Queries and mutations run as code compiled once per document (graphql-jit) instead of being
 * interpreted field by field (graphql-js); what jit cannot run (subscriptions, a document it fails
 * to compile, one with no source text) runs on graphql-js. `enabled: false` (AURA_JIT=off) runs
 * everything on graphql-js, for diagnosis.
 */
export class CompiledExecution {
  private readonly compiled = new LRUCache<string, Compiled>({ max: MAX_COMPILED });

  /**
   * `compileOnSighting`: a document is compiled when seen this many times (2 by default): the
   * operations a client repeats are, while a stream of one-off documents costs no compilations.
   */
  constructor(
    readonly schema: GraphQLSchema,
    readonly enabled: boolean,
    private readonly compileOnSighting = 2,
  ) {}

  /** graphql-js's `execute`, with the same arguments and results. */
  execute(args: ExecutionArgs): Promise<ExecutionResult> | ExecutionResult {
    const compiled = this.enabled ? this.compiledFor(args.document, args.operationName ?? undefined) : 'graphql-js';
    if (compiled === 'graphql-js' || 'seen' in compiled) return execute(args);
    // graphql-js checks the variables, so a bad one is refused with its exact error (and Apollo's BAD_USER_INPUT).
    const checked = getVariableValues(this.schema, compiled.operation.variableDefinitions ?? [], args.variableValues ?? {});
    if (checked.errors) return { errors: checked.errors };
    const result = compiled.query.query(args.rootValue, args.contextValue, args.variableValues);
    return isPromise(result) ? result.then(withGraphQLErrors) : withGraphQLErrors(result);
  }

  private compiledFor(document: DocumentNode, operationName: string | undefined): Compiled {
    // The parser keeps the source text on the document: the cache key, with the operation's name.
    const source = document.loc?.source.body;
    if (source === undefined) return 'graphql-js';
    const key = `${operationName ?? ''}\n${source}`;
    let compiled = this.compiled.get(key) ?? { seen: 0 };
    if (typeof compiled === 'object' && 'seen' in compiled) {
      const seen = compiled.seen + 1;
      compiled = seen >= this.compileOnSighting ? this.compile(document, operationName) : { seen };
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  private compile(document: DocumentNode, operationName: string | undefined): Compiled {
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation === 'subscription' || passesInputObjects(this.schema, operation)) return 'graphql-js';
    try {
      const compiled = compileQuery(this.schema, document, operationName);
      return isCompiledQuery(compiled) ? { query: compiled, operation } : 'graphql-js';
    } catch {
      return 'graphql-js';
    }
  }

  /** Apollo Server's executor seam: a "gateway" that serves this schema with this executor. */
  apolloGateway(): GatewayInterface {
    const executor: GatewayExecutor = async (request) =>
      this.execute({
        schema: this.schema,
        document: request.document,
        operationName: request.operationName,
        variableValues: request.request.variables,
        contextValue: request.context,
      });
    return {
      load: async () => ({ executor }),
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: this.schema, coreSupergraphSdl: '' });
        return () => undefined;
      },
      stop: async () => undefined,
    };
  }
}
