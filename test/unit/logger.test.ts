import { Writable } from 'node:stream';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { createLogger, errorSummary, serializeError, statementShape } from '../../src/platform/logger';

/** What knex and MikroORM make of a failed statement: the SQL with inlined values, the server message, the row in `detail`. */
function driverError(): Error {
  const pgError = Object.assign(
    new Error(
      `insert into "users"."user_account" ("id", "email", "password_hash", "first_name") values ('6f1c2b9e-4d3a-4c8b-9a7e-2f5d1c0b3a49', 'ada@example.com', 'scrypt$32768$8$3$c2FsdA$a2V5', 'O''Brien - Ada') - duplicate key value violates unique constraint "user_account_email_unique"\n - detail: Key (email)=(ada@example.com) already exists.`,
    ),
    { code: '23505', severity: 'ERROR', schema: 'users', table: 'user_account', constraint: 'user_account_email_unique', detail: 'Key (email)=(ada@example.com) already exists.', routine: '_bt_check_unique' },
  );
  return new UniqueConstraintViolationException(pgError);
}

describe('statement shapes', () => {
  it.each([
    [`select * from "t" where "email" = 'ada@example.com' and "n" = 42 limit 10`, `select * from "t" where "email" = ? and "n" = ? limit ?`],
    [`values ('I''m here - to listen', E'esc\\'d', -1.5e3)`, `values (?, ?, ?)`],
    [`select $tag$ secret $tag$, $$ also $$`, `select ?, ?`],
    [`select "t1"."c2", $1 from "t1"`, `select "t1"."c2", $1 from "t1"`],
    [`insert into x values ('unterminated`, `insert into x values (?`],
  ])('%s', (sql, shape) => {
    expect(statementShape(sql)).toBe(shape);
  });
});

describe('error serialisation', () => {
  it('keeps the statement shape, the SQLSTATE and the names, and drops values, detail and the message in the stack', () => {
    const serialized = serializeError(driverError());
    expect(serialized).toMatchObject({
      type: 'UniqueConstraintViolationException',
      sql: 'insert into "users"."user_account" ("id", "email", "password_hash", "first_name") values (?, ?, ?, ?)',
      message: 'duplicate key value violates unique constraint "user_account_email_unique"',
      code: '23505',
      table: 'user_account',
      constraint: 'user_account_email_unique',
    });
    const text = JSON.stringify(serialized);
    for (const value of ['ada@example.com', 'scrypt$', 'Brien', 'already exists']) expect(text).not.toContain(value);
    expect(errorSummary(driverError())).toBe(
      '23505: duplicate key value violates unique constraint "user_account_email_unique": in: insert into "users"."user_account" ("id", "email", "password_hash", "first_name") values (?, ?, ?, ?)',
    );
    expect(errorSummary(new Error('always broken'))).toBe('always broken');
  });

  it('drops quoted values a server message carries', () => {
    const error = Object.assign(new Error(`select 1 - invalid input syntax for type uuid: "Thistlewaite"`), { code: '22P02', severity: 'ERROR' });
    expect(serializeError(error)).toMatchObject({ message: 'invalid input syntax for type uuid: ?' });
  });

  it('serialises causes the same way and never copies enumerable properties', () => {
    const error = Object.assign(new Error('outer', { cause: driverError() }), { input: { email: 'ada@example.com' } });
    const text = JSON.stringify(serializeError(error));
    expect(text).toContain('23505');
    expect(text).not.toContain('ada@example.com');
  });

  it('is how the logger writes err', () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    log.error({ err: driverError() }, 'operation failed');
    log.error(driverError());
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toContain('"code":"23505"');
      expect(line).not.toContain('ada@example.com');
    }
  });
});
