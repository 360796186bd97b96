import pino from 'pino';

export type Logger = pino.Logger;

/**
 * A statement's shape: its literals replaced by `?`. MikroORM inlines parameters into the SQL it
 * sends, so a statement (and every driver error, whose message starts with it) carries the values
 * written: chatbot messages, summaries, emails, password hashes. Logs get the shape only.
 */
export function statementShape(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, '?') // dollar-quoted strings
    .replace(/\b[Ee]'(?:[^'\\]|\\[\s\S]|'')*'?/g, '?') // E'...' strings, where a backslash escapes a quote
    .replace(/(?:\b(?:[UuBbXxNn]|U&))?'(?:[^']|'')*'?/g, '?') // quoted strings and their prefixed kinds, even unterminated
    .replace(/(?<![\w".$])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/g, '?'); // numbers that are not part of a name
}

/** PostgreSQL error fields that name things or classify the error; `detail`, `hint`, `where` and `internalQuery` carry values and are dropped. */
const DATABASE_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

type ErrorLike = Error & Partial<Record<(typeof DATABASE_FIELDS)[number], unknown>> & { cause?: unknown };

/** True for PostgreSQL's errors and MikroORM's wrappers of them: a five-character SQLSTATE and a severity. */
function isDatabaseError(error: ErrorLike): boolean {
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && typeof error.severity === 'string';
}

/**
 * A driver error's message is `<statement> - <server message>`, then `\n - detail: ...` and
 * `\n - hint: ...` (knex and MikroORM add them). The statement is reduced to its shape; the server
 * message keeps only the quoted names the error itself names (constraint, table, column ...).
 */
function databaseMessage(error: ErrorLike): { sql?: string; message: string } {
  const withoutDetail = error.message.split(/\n - (?:detail|hint): /)[0];
  const shaped = statementShape(withoutDetail);
  const cut = shaped.lastIndexOf(' - ');
  const names = new Set(DATABASE_FIELDS.map((field) => error[field]).filter((value): value is string => typeof value === 'string'));
  const serverMessage = (cut >= 0 ? shaped.slice(cut + 3) : shaped).replace(/"([^"]*)"/g, (quoted, name: string) => (names.has(name) ? quoted : '?'));
  return cut >= 0 ? { sql: shaped.slice(0, cut), message: serverMessage } : { message: serverMessage };
}

/** Only the stack's frames: its first line repeats the message. */
function framesOf(stack: string | undefined): string | undefined {
  return stack
    ?.split('\n')
    .filter((line) => line.trim().startsWith('at '))
    .join('\n');
}

/**
 * How every error is logged (pino's `err` and `error` keys): its type, a message without values,
 * the database's error code and the names it gives, and the stack's frames. Never a statement's
 * values, a row's `detail`, or an error's own enumerable properties (which may hold request data).
 */
export function serializeError(value: unknown, depth = 0): Record<string, unknown> {
  if (!(value instanceof Error)) return { type: typeof value };
  const error = value as ErrorLike;
  const serialized: Record<string, unknown> = { type: error.name || error.constructor?.name || 'Error' };
  if (isDatabaseError(error)) {
    Object.assign(serialized, databaseMessage(error));
    for (const field of DATABASE_FIELDS) if (typeof error[field] === 'string') serialized[field] = error[field];
  } else {
    // Other messages may quote data too (a wrapped driver error, an ORM validation error showing a value): same rule.
    serialized.message = statementShape(String(error.message).split(/\n - (?:detail|hint): /)[0]);
    if (typeof error.code === 'string' || typeof error.code === 'number') serialized.code = error.code;
  }
  serialized.stack = framesOf(error.stack);
  if (error.cause !== undefined && depth < 3) serialized.cause = serializeError(error.cause, depth + 1);
  return serialized;
}

/** One line about an error for places that store it (a dead letter's lastError): the same rules as the logs. */
export function errorSummary(error: unknown): string {
  const { type, code, message, sql } = serializeError(error) as Record<string, string | undefined>;
  return [code, message ?? type, sql && `in: ${sql}`].filter(Boolean).join(': ');
}

/** Structured JSON logs; secrets that may appear in request data are redacted, errors carry no values. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'aura' },
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      // Given an Error first, pino makes its raw message the line's msg: log it under err like any other.
      logMethod(args, method) {
        if (args[0] instanceof Error) {
          const [err, ...rest] = args as unknown[];
          return method.apply(this, [{ err }, ...(rest.length ? rest : [(err as Error).name])] as Parameters<typeof method>);
        }
        return method.apply(this, args);
      },
    },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
