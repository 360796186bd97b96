import { GraphQLError } from 'graphql';
import { ConflictError, isDatabaseUnreachable, NotFoundError } from '../../src/platform/errors';
import { formatError, isInternalError } from '../../src/platform/gateway/error-format';

const formatted = (error: GraphQLError) => formatError(error.toJSON(), error, 'req-1');

describe('error mapping', () => {
  it('keeps the code and details of Aura errors thrown in resolvers', () => {
    const error = new GraphQLError('wrapped', { originalError: new ConflictError('Slot taken', { field: 'scheduledAt' }), path: ['x'] });
    expect(formatted(error)).toMatchObject({ message: 'Slot taken', path: ['x'], extensions: { code: 'CONFLICT', field: 'scheduledAt' } });
    expect(isInternalError(error)).toBe(false);
  });

  it('masks unexpected errors, with the request id and no stack or message', () => {
    const error = new GraphQLError('db exploded', { originalError: new Error('password=hunter2 at /src/x.ts:1'), path: ['me'] });
    const result = formatted(error);
    expect(result).toEqual({ message: 'Internal server error', path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' } });
    expect(JSON.stringify(result)).not.toMatch(/hunter2|stack|x\.ts/);
    expect(isInternalError(error)).toBe(true);
  });

  it('passes request errors of graphql-js through, and masks execution-time ones', () => {
    const validation = new GraphQLError('Cannot query field "x"', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatted(validation).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    const nonNull = new GraphQLError('Cannot return null for non-nullable field User.email.', { path: ['me', 'email'] });
    expect(formatted(nonNull).extensions!.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('names each Aura error class after its code', () => {
    expect(new NotFoundError('gone').code).toBe('NOT_FOUND');
    expect(new NotFoundError('gone').name).toBe('NotFoundError');
  });

  it('answers an unreachable database SERVICE_UNAVAILABLE, whatever wrapped the driver error, and nothing else', () => {
    const socket = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
    const sqlState = (code: string) => Object.assign(new Error('terminating connection due to administrator command'), { code });
    const unreachable = [
      socket('ECONNREFUSED'),
      socket('ECONNRESET'),
      new AggregateError([socket('ECONNREFUSED'), socket('ECONNREFUSED')], ''),
      sqlState('57P01'),
      sqlState('08006'),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
      Object.assign(new Error('Unexpected error value'), { name: 'NonErrorThrown', thrownValue: { code: 'ECONNREFUSED', errno: -111 } }),
    ];
    for (const cause of unreachable) {
      const error = new GraphQLError('wrapped', { originalError: cause, path: ['me'] });
      expect(isDatabaseUnreachable(error)).toBe(true);
      expect(isInternalError(error)).toBe(false);
      expect(formatted(error)).toEqual({ message: 'The database is unavailable; try again shortly', path: ['me'], extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 } });
    }
    for (const cause of [Object.assign(new Error('duplicate key'), { code: '23505' }), new Error('boom'), new ConflictError('taken')]) {
      expect(isDatabaseUnreachable(new GraphQLError('wrapped', { originalError: cause }))).toBe(false);
    }
  });
});
