import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperationContext } from './context';
import { dataCipherOf } from './encrypted-text';
import { ConflictError, InvalidInputError, type AuraError } from './errors';
import type { Logger } from './logger';

/** The request header a client sets on a mutation it may retry (API.md). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long a key and its first answer are kept. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
/** Visible ASCII, 1-128 characters: a UUID, a ULID, or any token the client makes. */
const KEY_SHAPE = /^[\x21-\x7e]{1,128}$/;
/** How often one instance deletes keys past the window. */
const PURGE_EVERY_MS = 60 * 60 * 1000;

interface StoredAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface StoredKey {
  request_hash: string;
  /** The first answer, encrypted with the data key and bound to its scope and key. */
  response: string | null;
}

/** The answer's encryption context: an answer copied to another key does not decrypt. */
const answerContext = (scope: string, key: string) => `platform.idempotency_key.response:${scope}:${key}`;

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What identifies "the same operation": its text, its name and its variables. */
export function requestHash(query: string, operationName: string | null | undefined, variables: unknown): string {
  return createHash('sha256').update(canonical([query, operationName ?? null, variables ?? {}])).digest('hex');
}

/** Whether a client-chosen key has the shape API.md allows. */
export function isValidIdempotencyKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}

/**
 * Takes the key at the start of the transaction that does the mutation's work (MikroORM's
 * transaction hooks on the operation's own event manager), so "the work was done" and "this
 * key was used" commit together or not at all. A concurrent request with the same key waits
 * on the row, finds the key taken, and its transaction is rolled back before it commits.
 */
class KeyWriter implements EventSubscriber {
  /** The key row was inserted by this operation's transaction and that transaction committed. */
  recorded = false;
  /** Another request holds the key: this operation's work must not commit. */
  taken = false;
  private claimed = false;

  constructor(
    private readonly scope: string,
    private readonly key: string,
    private readonly hash: string,
  ) {}

  async afterTransactionStart(args: TransactionEventArgs): Promise<void> {
    if (this.recorded || this.claimed) return;
    const inserted = await (args.em as EntityManager)
      .getConnection()
      .execute<Array<{ key: string }>>(
        `insert into platform.idempotency_key (scope, key, request_hash) values (?, ?, ?) on conflict (scope, key) do nothing returning key`,
        [this.scope, this.key, this.hash],
        'all',
        args.transaction,
      );
    this.claimed = inserted.length === 1;
    this.taken = !this.claimed;
  }

  async beforeTransactionCommit(): Promise<void> {
    if (this.taken) throw inUse();
  }

  async afterTransactionCommit(): Promise<void> {
    if (this.claimed) this.recorded = true;
  }

  async afterTransactionRollback(): Promise<void> {
    this.claimed = false;
  }
}

const inUse = () =>
  new ConflictError('A request with this Idempotency-Key is still being answered; retry shortly', {
    reason: 'IDEMPOTENCY_KEY_IN_USE',
    retryAfterSeconds: 1,
  });

interface KeyedRequest {
  scope: string;
  key: string;
  hash: string;
  writer?: KeyWriter;
  replay?: StoredAnswer;
  refusal?: { error: AuraError; status: number };
}

const refusalBody = (error: AuraError) => ({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
const retryHeaders = (error: AuraError) =>
  new HeaderMap(error.details.retryAfterSeconds ? [['retry-after', String(error.details.retryAfterSeconds)]] : []);

/**
 * `Idempotency-Key` on HTTP mutations (API.md): the same key, operation and variables by the same
 * signed-in viewer within 24 h answers the first answer again without doing the work; the key
 * with anything else is CONFLICT. Anonymous requests and queries ignore the header.
 */
export function idempotencyPlugin(log: Logger): ApolloServerPlugin<OperationContext> {
  let lastPurge = 0;
  const purge = (em: EntityManager) => {
    if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    em.getConnection()
      .execute(`delete from platform.idempotency_key where created_at < now() - interval '${IDEMPOTENCY_WINDOW_HOURS} hours'`)
      .catch((err: unknown) => log.warn({ err }, 'could not purge old idempotency keys'));
  };

  const store = async ({ contextValue, response }: GraphQLRequestContextWillSendResponse<OperationContext>, keyed: KeyedRequest) => {
    if (!keyed.writer?.recorded || response.body.kind !== 'single') return;
    const answer: StoredAnswer = { status: response.http.status ?? 200, body: response.body.singleResult as Record<string, unknown> };
    const sealed = dataCipherOf(contextValue.em).encrypt(JSON.stringify(answer), answerContext(keyed.scope, keyed.key));
    await contextValue.em
      .getConnection()
      .execute(`update platform.idempotency_key set response = ? where scope = ? and key = ?`, [sealed, keyed.scope, keyed.key]);
  };

  return {
    async requestDidStart({ request, contextValue }) {
      const key = request.http?.headers.get(IDEMPOTENCY_HEADER);
      if (key === undefined || !contextValue.viewer) return;
      let keyed: KeyedRequest | undefined;
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'mutation') return;
          if (!isValidIdempotencyKey(key)) {
            const error = new InvalidInputError('Idempotency-Key must be 1 to 128 visible ASCII characters', { field: 'Idempotency-Key' });
            keyed = { scope: '', key, hash: '', refusal: { error, status: 400 } };
            return;
          }
          keyed = { scope: contextValue.viewer!.userId, key, hash: requestHash(request.query ?? '', request.operationName, request.variables) };
          purge(contextValue.em);
          const [stored] = await contextValue.em
            .getConnection()
            .execute<StoredKey[]>(
              `select request_hash, response from platform.idempotency_key
               where scope = ? and key = ? and created_at > now() - interval '${IDEMPOTENCY_WINDOW_HOURS} hours'`,
              [keyed.scope, keyed.key],
            );
          if (!stored) {
            keyed.writer = new KeyWriter(keyed.scope, keyed.key, keyed.hash);
            contextValue.em.getEventManager().registerSubscriber(keyed.writer);
          } else if (stored.request_hash !== keyed.hash) {
            const error = new ConflictError('This Idempotency-Key was used for a different operation or variables', { reason: 'IDEMPOTENCY_KEY_REUSED' });
            keyed.refusal = { error, status: 409 };
          } else if (!stored.response) {
            keyed.refusal = { error: inUse(), status: 409 };
          } else {
            try {
              keyed.replay = JSON.parse(dataCipherOf(contextValue.em).decrypt(stored.response, answerContext(keyed.scope, keyed.key))) as StoredAnswer;
            } catch (err) {
              // E.g. its data key was retired within the 24 hours: the work is done, its answer unreadable.
              log.warn({ err, requestId: contextValue.requestId }, 'could not read the recorded answer of an idempotent mutation');
              const error = new ConflictError('This Idempotency-Key was used, and its first answer can no longer be read', { reason: 'IDEMPOTENCY_ANSWER_UNREADABLE' });
              keyed.refusal = { error, status: 409 };
            }
          }
        },
        async responseForOperation() {
          if (keyed?.refusal) {
            const { error, status } = keyed.refusal;
            return { http: { status, headers: retryHeaders(error) }, body: { kind: 'single', singleResult: refusalBody(error) } };
          }
          if (!keyed?.replay) return null;
          return {
            http: { status: keyed.replay.status, headers: new HeaderMap([['idempotent-replayed', 'true']]) },
            body: { kind: 'single', singleResult: keyed.replay.body },
          };
        },
        async willSendResponse(requestContext) {
          if (!keyed) return;
          const { response } = requestContext;
          if (keyed.writer?.taken && response.body.kind === 'single') {
            // Whatever this request's work ran into, it was rolled back: the key belongs to another request.
            const error = inUse();
            response.body.singleResult = refusalBody(error);
            response.http.status = 409;
            for (const [name, value] of retryHeaders(error)) response.http.headers.set(name, value);
            return;
          }
          try {
            await store(requestContext, keyed);
          } catch (err) {
            // The work is committed and the key taken: a retry is refused as in use, never done twice.
            log.error({ err, requestId: contextValue.requestId }, 'could not record the answer of an idempotent mutation');
          }
        },
      };
    },
  };
}

/**
 * Whether the operation's EntityManager needs an event manager of its own: when the request carries
 * an Idempotency-Key, so the key writer sees only this operation's transactions.
 */
export function wantsOwnEventManager(headers: Record<string, string | string[] | undefined>): boolean {
  return headers[IDEMPOTENCY_HEADER] !== undefined;
}
