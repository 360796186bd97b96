import { isValidIdempotencyKey, requestHash } from '../../src/platform/idempotency';

describe('idempotency keys', () => {
  it('accepts 1 to 128 visible ASCII characters only', () => {
    expect(isValidIdempotencyKey('9b2c6f0e-1f3a-4c55-9a57-0d6f1f9a1e2b')).toBe(true);
    expect(isValidIdempotencyKey('x'.repeat(128))).toBe(true);
    expect(isValidIdempotencyKey('x'.repeat(129))).toBe(false);
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('two words')).toBe(false);
    expect(isValidIdempotencyKey('nul\u0000')).toBe(false);
    expect(isValidIdempotencyKey('café')).toBe(false);
  });

  it('sees the same request whatever the order of its variables, and another one when anything differs', () => {
    const query = 'mutation End($id: ID!, $notes: String) { endTherapySession(id: $id, notes: $notes) { id } }';
    const same = requestHash(query, 'End', { id: 'a', notes: 'n', nested: { x: 1, y: [1, { b: 2, a: 1 }] } });
    expect(requestHash(query, 'End', { nested: { y: [1, { a: 1, b: 2 }], x: 1 }, notes: 'n', id: 'a' })).toBe(same);
    expect(requestHash(query, 'End', { id: 'a', notes: 'm', nested: { x: 1, y: [1, { b: 2, a: 1 }] } })).not.toBe(same);
    expect(requestHash(query, null, { id: 'a', notes: 'n', nested: { x: 1, y: [1, { b: 2, a: 1 }] } })).not.toBe(same);
    expect(requestHash(`${query} `, 'End', { id: 'a', notes: 'n', nested: { x: 1, y: [1, { b: 2, a: 1 }] } })).not.toBe(same);
    expect(requestHash(query, 'End', undefined)).toBe(requestHash(query, 'End', {}));
  });
});
