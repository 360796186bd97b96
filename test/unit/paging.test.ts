import { cursorCodec, pageSize, toConnection } from '../../src/platform/paging';
import { InvalidInputError } from '../../src/platform/errors';

describe('connections', () => {
  it('defaults first to 20 and caps it at 100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(100)).toBe(100);
    expect(pageSize(5000)).toBe(100);
    expect(() => pageSize(-1)).toThrow(InvalidInputError);
  });

  const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
  const sessions = cursorCodec('therapySessions', { scheduledAt: 'instant', id: 'uuid' });
  const id = '0b7e3a52-5f0c-4a43-9d59-1c1f3f0c2a11';

  it('round-trips a cursor into typed sort values', () => {
    const cursor = sessions.encode({ scheduledAt: new Date('2026-11-25T10:00:00.000Z'), id });
    expect(sessions.decode(cursor)).toEqual({ scheduledAt: new Date('2026-11-25T10:00:00.000Z'), id });
    expect(sessions.decode(undefined)).toBeNull();
    expect(sessions.decode(null)).toBeNull();
    const events = cursorCodec('domainEvents', { seq: 'sequence' });
    expect(events.decode(events.encode({ seq: '42' }))).toEqual({ seq: '42' });
    const names = cursorCodec('disorders', { name: 'text' });
    expect(names.decode(names.encode({ name: 'Panic disorder' }))).toEqual({ name: 'Panic disorder' });
  });

  it.each([
    ['not base64 at all', '%%%'],
    ['not JSON', Buffer.from('not json').toString('base64url')],
    ['an object', forged({ a: 1 })],
    ['the wrong arity', forged(['therapySessions', '2026-11-25T10:00:00.000Z'])],
    ['nulls', forged(['therapySessions', null, null])],
    ['a garbage instant', forged(['therapySessions', 'x', id])],
    ['an instant before 1900', forged(['therapySessions', '0000-01-01T00:00:00Z', id])],
    ['an instant after 2200', forged(['therapySessions', '9999-12-31T23:59:59Z', id])],
    ['a garbage id', forged(['therapySessions', '2026-11-25T10:00:00.000Z', 'not-a-uuid'])],
    ['a number for a string', forged(['therapySessions', 1.5, id])],
    ['no list name', forged(['2026-11-25T10:00:00.000Z', id])],
  ])('refuses a cursor holding %s with BAD_USER_INPUT', (_what, cursor) => {
    expect(() => sessions.decode(cursor)).toThrow(InvalidInputError);
    expect(() => sessions.decode(cursor)).toThrow('after is not a cursor');
  });

  it("refuses another list's cursor, even one of the same shape", () => {
    const invoices = cursorCodec('invoices', { issuedAt: 'instant', id: 'uuid' });
    const cursor = invoices.encode({ issuedAt: new Date('2026-11-25T10:00:00.000Z'), id });
    expect(() => sessions.decode(cursor)).toThrow('after is not a cursor returned by this connection');
    expect(invoices.decode(cursor)).toEqual({ issuedAt: new Date('2026-11-25T10:00:00.000Z'), id });
  });

  it.each([
    ['sequence', { seq: 'sequence' } as const, ['abc']],
    ['sequence', { seq: 'sequence' } as const, ['-1']],
    ['sequence', { seq: 'sequence' } as const, ['99999999999999999999999999']],
    ['text', { name: 'text' } as const, ['\u0000']],
    ['text', { name: 'text' } as const, ['x'.repeat(3000)]],
  ])('refuses a %s part that SQL would choke on', (_kind, shape, parts) => {
    expect(() => cursorCodec('list', shape).decode(forged(['list', ...parts]))).toThrow(InvalidInputError);
  });

  it('builds a page from first + 1 rows, counting only when asked', async () => {
    let counted = 0;
    const page = toConnection([1, 2, 3], 2, (n) => `c${n}`, async () => ++counted && 42);
    expect(page.edges.map(({ cursor, node }) => ({ cursor, node }))).toEqual([{ cursor: 'c1', node: 1 }, { cursor: 'c2', node: 2 }]);
    expect(Object.keys(page.edges[0])).toEqual(['node']); // the cursor is encoded when read, never before
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: 'c2' });
    expect(counted).toBe(0);
    expect(await page.totalCount).toBe(42);
    const last = toConnection([7], 2, (n) => `c${n}`, async () => 1);
    expect(last.pageInfo).toEqual({ hasNextPage: false, endCursor: 'c7' });
    expect(toConnection([], 2, String, async () => 0).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
