import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isLeafType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ParseOptions,
  type SelectionSetNode,
  type FieldNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Settings } from '../config/env';
import { InvalidInputError } from './errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging';

/**
 * The operation budget (API.md "Limits"), one definition for HTTP and WebSocket alike. Every
 * refusal is BAD_USER_INPUT before execution, with `extensions.limit` naming the limit,
 * `extensions[limit]` the measured value and `extensions.max` the maximum.
 */
export type LimitName = 'documentSize' | 'tokens' | 'aliases' | 'depth' | 'directives' | 'cost' | 'subscriptionsPerSocket';

export interface Limits {
  documentBytes: number;
  tokens: number;
  aliases: number;
  depth: number;
  directives: number;
  cost: number;
  subscriptionsPerSocket: number;
}

/** Largest request body (HTTP) or message (WebSocket): 1 MiB. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
const MAX_DIRECTIVES = 50;

export function limitsOf(settings: Settings): Limits {
  return {
    documentBytes: MAX_DOCUMENT_BYTES,
    tokens: settings.maxTokens,
    aliases: settings.maxAliases,
    depth: settings.maxQueryDepth,
    directives: MAX_DIRECTIVES,
    cost: settings.maxCost,
    subscriptionsPerSocket: settings.maxSubscriptionsPerSocket,
  };
}

const DESCRIPTIONS: Record<LimitName, string> = {
  documentSize: 'The request is larger than {max} bytes',
  tokens: 'The document has more than {max} tokens',
  aliases: 'The operation uses {measured} aliases; at most {max} are allowed',
  depth: 'The operation is nested {measured} levels deep; the limit is {max}',
  directives: 'The operation uses {measured} directives; at most {max} are allowed',
  cost: 'The operation would cost {measured}; the budget is {max} (a list field costs its first/limit times its selection)',
  subscriptionsPerSocket: 'This socket already runs {max} operations; complete one first',
};

export class LimitExceededError extends InvalidInputError {
  constructor(
    readonly limit: LimitName,
    measured: number,
    max: number,
  ) {
    super(DESCRIPTIONS[limit].replace('{measured}', String(measured)).replace('{max}', String(max)), { limit, [limit]: measured, max });
  }
}

/** The refusal as a GraphQL error; its code and details come from the Aura error inside. */
export function refusal(limit: LimitName, measured: number, max: number): GraphQLError {
  const error = new LimitExceededError(limit, measured, max);
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, ...error.details } });
}

/** Apollo answers an error thrown from a plugin hook with 500 unless the error names its status. */
function asHttp400(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error.originalError, extensions: { ...error.extensions, http: { status: 400 } } });
}

/** graphql-js stops parsing at the first token over `maxTokens`; its message ("more that" in 16.x) is the only sign. */
const TOKEN_LIMIT = /Document contains more th(?:an|at) (\d+) tokens/;

/** The token-limit refusal for a parse error that is one (graphql-js counted up to max + 1), else undefined. */
export function tokenRefusalOf(error: unknown): GraphQLError | undefined {
  const match = error instanceof Error ? TOKEN_LIMIT.exec(error.message) : null;
  if (!match) return undefined;
  const max = Number(match[1]);
  return refusal('tokens', max + 1, max);
}

/** Options for graphql-js `parse` on both transports. */
export function parseOptions(limits: Limits): ParseOptions {
  return { maxTokens: limits.tokens };
}

/** graphql-armor reports "... exceeded, found N."; we report N in extensions. */
function measuredIn(error: GraphQLError): number {
  const found = /found (\d+)/.exec(error.message);
  return found ? Number(found[1]) : Number.NaN;
}

function reportTo(limit: LimitName, max: number) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      const refused = refusal(limit, measuredIn(error), max);
      context?.reportError(refused);
    },
  ];
}

/**
 * Validation rules for the shape of an operation: graphql-armor's depth, alias and directive
 * caps, which count each fragment once however often it is spread (a fragment-spread bomb is
 * measured in linear time). Fragments are transparent to depth; introspection (`__schema`) is exempt.
 */
export function limitRules(limits: Limits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false };
  return [
    maxDepthRule({ ...common, n: limits.depth, flattenFragments: true, ignoreIntrospection: true, onReject: reportTo('depth', limits.depth) }),
    maxAliasesRule({ ...common, n: limits.aliases, onReject: reportTo('aliases', limits.aliases) }),
    maxDirectivesRule({ ...common, n: limits.directives, onReject: reportTo('directives', limits.directives) }),
  ] as unknown as ValidationRule[];
}

/** The number of items a list field asks for: its `first`/`limit` as the resolvers apply it, at most the page cap. */
function listSize(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown> | undefined): number {
  const arg = field.args.find((a) => a.name === 'first' || a.name === 'limit');
  if (!arg) return 1;
  if (!variables) return MAX_PAGE_SIZE; // variables that do not coerce: count as the cap (execution refuses them anyway)
  let size: unknown;
  try {
    size = getArgumentValues(field, node, variables)[arg.name];
  } catch {
    return MAX_PAGE_SIZE;
  }
  if (size === null || size === undefined) size = arg.defaultValue ?? DEFAULT_PAGE_SIZE;
  return typeof size === 'number' && Number.isFinite(size) ? Math.min(Math.max(0, Math.floor(size)), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}

/**
 * What an operation costs: an object field costs 1 plus its selection; a field with a
 * `first`/`limit` argument costs that many times as much (nested lists multiply); leaves and
 * introspection fields are free. Fragments are costed once each (memoised).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables: Record<string, unknown> = {},
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentCosts = new Map<string, number>();
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  const variableValues = coerced.coerced;

  const costOf = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): number => {
    if (!set || !parent) return 0;
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        if (!field || !('args' in field)) continue;
        const type = getNamedType(field.type);
        if (isLeafType(type) || !isCompositeType(type)) continue;
        total += listSize(field, selection, variableValues) * (1 + costOf(selection.selectionSet, type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += costOf(selection.selectionSet, type ?? undefined);
      } else {
        const name = selection.name.value;
        if (!fragmentCosts.has(name)) {
          fragmentCosts.set(name, 0); // cuts a (invalid) cycle
          const fragment = fragments.get(name);
          const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
          fragmentCosts.set(name, fragment ? costOf(fragment.selectionSet, type ?? undefined) : 0);
        }
        total += fragmentCosts.get(name)!;
      }
    }
    return total;
  };
  const root = schema.getRootType(operation.operation);
  return costOf(operation.selectionSet, root ?? undefined);
}

/**
 * Without variables an operation's cost depends on its document alone: computed once per parsed
 * document (Apollo keeps one per distinct query text), not on every request that repeats it.
 */
const costsWithoutVariables = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();

function costWithoutVariables(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): number {
  let ofSchema = costsWithoutVariables.get(schema);
  if (!ofSchema) costsWithoutVariables.set(schema, (ofSchema = new WeakMap()));
  let ofDocument = ofSchema.get(document);
  if (!ofDocument) ofSchema.set(document, (ofDocument = new Map()));
  const key = operationName ?? '';
  let cost = ofDocument.get(key);
  if (cost === undefined) ofDocument.set(key, (cost = operationCost(schema, document, operationName, {})));
  return cost;
}

/** The cost refusal for an operation with the variables it runs with, or undefined when it fits the budget. */
export function costRefusal(
  schema: GraphQLSchema,
  limits: Limits,
  document: DocumentNode,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): GraphQLError | undefined {
  const cost = variables && Object.keys(variables).length > 0 ? operationCost(schema, document, operationName, variables) : costWithoutVariables(schema, document, operationName);
  return cost > limits.cost ? refusal('cost', cost, limits.cost) : undefined;
}

/** The refusal for a socket's next operation when `running` (this one included) is over the cap. */
export function socketRefusal(running: number, limits: Limits): GraphQLError | undefined {
  return running > limits.subscriptionsPerSocket ? refusal('subscriptionsPerSocket', running, limits.subscriptionsPerSocket) : undefined;
}

/**
 * The HTTP half of the checks that need the resolved operation: its cost with the request's
 * variables, and subscriptions, which HTTP does not serve (a 400, not an execution error).
 */
export function httpOperationLimits(schema: GraphQLSchema, limits: Limits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (operation?.operation === 'subscription') {
            throw asHttp400(
              new GraphQLError('Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, or as an event stream (SSE: Accept: text/event-stream, or /graphql/stream), not as JSON over HTTP', {
                extensions: { code: 'BAD_REQUEST' },
              }),
            );
          }
          const refused = costRefusal(schema, limits, document, request.operationName, request.variables);
          if (refused) throw asHttp400(refused);
        },
      };
    },
  };
}
