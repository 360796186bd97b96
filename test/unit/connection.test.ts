import { decodeCursor, encodeCursor, pageSize, toConnection } from '../../src/platform/gateway/connection';
import { InvalidInputError } from '../../src/platform/errors';

describe('connections', () => {
  it('defaults first to 20 and caps it at 100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(100)).toBe(100);
    expect(pageSize(5000)).toBe(100);
    expect(() => pageSize(-1)).toThrow(InvalidInputError);
  });

  it('round-trips a cursor and refuses a foreign one', () => {
    const cursor = encodeCursor(['2026-11-25T10:00:00.000Z', 'abc']);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-11-25T10:00:00.000Z', 'abc']);
    expect(decodeCursor(undefined, 2)).toBeNull();
    expect(() => decodeCursor(cursor, 3)).toThrow(InvalidInputError);
    expect(() => decodeCursor('%%%', 2)).toThrow('after is not a cursor');
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 1)).toThrow(InvalidInputError);
  });

  it('builds a page from first + 1 rows, counting only when asked', async () => {
    let counted = 0;
    const page = toConnection([1, 2, 3], 2, (n) => `c${n}`, async () => ++counted && 42);
    expect(page.edges).toEqual([{ cursor: 'c1', node: 1 }, { cursor: 'c2', node: 2 }]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: 'c2' });
    expect(counted).toBe(0);
    expect(await page.totalCount).toBe(42);
    const last = toConnection([7], 2, (n) => `c${n}`, async () => 1);
    expect(last.pageInfo).toEqual({ hasNextPage: false, endCursor: 'c7' });
    expect(toConnection([], 2, String, async () => 0).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
