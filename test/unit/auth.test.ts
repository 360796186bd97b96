import jwt from 'jsonwebtoken';
import { requireAdmin, TokenService } from '../../src/platform/auth';
import { ForbiddenError, UnauthenticatedError } from '../../src/platform/errors';

const SECRET = 's'.repeat(40);
const U1 = '6f1c2b9e-4d3a-4c8b-9a7e-2f5d1c0b3a49';

describe('tokens', () => {
  const tokens = new TokenService(SECRET, 3600);

  it('round-trips a viewer, with or without the Bearer prefix', () => {
    const token = tokens.issue({ userId: U1, role: 'THERAPIST' });
    expect(tokens.viewerFromAuthorization(`Bearer ${token}`)).toEqual({ userId: U1, role: 'THERAPIST' });
    expect(tokens.viewerFromAuthorization(token)).toEqual({ userId: U1, role: 'THERAPIST' });
  });

  it('expires tokens after their lifetime, and says when', () => {
    const token = tokens.issue({ userId: U1, role: 'PATIENT' });
    const { exp, iat } = jwt.decode(token) as { exp: number; iat: number };
    expect(exp - iat).toBe(3600);
    expect(tokens.sessionFromAuthorization(`Bearer ${token}`)).toEqual({ viewer: { userId: U1, role: 'PATIENT' }, tokenVersion: 0, expiresAt: new Date(exp * 1000) });
  });

  it("carries the account's token version; tokens from before versions count as version 0", () => {
    expect(tokens.sessionFromAuthorization(tokens.issue({ userId: U1, role: 'PATIENT' }, 3))!.tokenVersion).toBe(3);
    const legacy = jwt.sign({ role: 'PATIENT' }, SECRET, { subject: U1, issuer: 'aura', expiresIn: 60 });
    expect(tokens.sessionFromAuthorization(legacy)!.tokenVersion).toBe(0);
    const odd = jwt.sign({ role: 'PATIENT', ver: 'x' }, SECRET, { subject: U1, issuer: 'aura', expiresIn: 60 });
    expect(() => tokens.sessionFromAuthorization(odd)).toThrow(UnauthenticatedError);
  });

  it('checks a signature once per token, and still refuses the token from the second it expires', () => {
    const fresh = new TokenService(SECRET, 60);
    const token = fresh.issue({ userId: U1, role: 'THERAPIST' });
    const { exp } = jwt.decode(token) as { exp: number };
    const verify = jest.spyOn(jwt, 'verify');
    jest.useFakeTimers({ now: exp * 1000 - 1500, doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const first = fresh.sessionFromAuthorization(`Bearer ${token}`);
      expect(fresh.sessionFromAuthorization(`Bearer ${token}`)).toBe(first);
      expect(fresh.sessionFromAuthorization(token)).toBe(first);
      expect(verify).toHaveBeenCalledTimes(1);
      // A session handed to every request that carries the token: nobody may change it.
      expect(Object.isFrozen(first) && Object.isFrozen(first!.viewer)).toBe(true);
      jest.setSystemTime(exp * 1000 - 1);
      expect(fresh.viewerFromAuthorization(token)).toEqual({ userId: U1, role: 'THERAPIST' });
      jest.setSystemTime(exp * 1000);
      expect(() => fresh.viewerFromAuthorization(token)).toThrow('Your session has expired; sign in again');
      expect(() => fresh.viewerFromAuthorization(token)).toThrow(UnauthenticatedError);
      // A token that differs in one character of its signature is checked, and refused.
      const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      jest.setSystemTime(exp * 1000 - 1500);
      expect(() => fresh.viewerFromAuthorization(forged)).toThrow('Invalid authentication token');
    } finally {
      jest.useRealTimers();
      verify.mockRestore();
    }
  });

  it('treats a missing header as anonymous', () => {
    expect(tokens.viewerFromAuthorization(undefined)).toBeNull();
    expect(tokens.viewerFromAuthorization('')).toBeNull();
  });

  it.each([
    ['expired', jwt.sign({ role: 'ADMIN', exp: 1 }, SECRET, { subject: 'u', issuer: 'aura' }), /expired/],
    ['forged', jwt.sign({ role: 'ADMIN' }, 'another-secret-entirely-0123456789', { subject: 'u', issuer: 'aura' }), /Invalid/],
    ['from another issuer', jwt.sign({ role: 'ADMIN' }, SECRET, { subject: 'u', issuer: 'evil' }), /Invalid/],
    ['unsigned (alg none)', jwt.sign({ role: 'ADMIN', sub: 'u', iss: 'aura' }, '', { algorithm: 'none' }), /Invalid/],
    ['that never expires', jwt.sign({ role: 'ADMIN' }, SECRET, { subject: 'u', issuer: 'aura' }), /Invalid/],
    ['whose subject is not a user id', jwt.sign({ role: 'ADMIN' }, SECRET, { subject: 'not-a-uuid', issuer: 'aura', expiresIn: 60 }), /Invalid/],
    ['with an unknown role', jwt.sign({ role: 'GOD' }, SECRET, { subject: 'u', issuer: 'aura' }), /Invalid/],
    ['not a string', 42, /must be a string/],
  ])('refuses a token %s', (_case, header, message) => {
    expect(() => tokens.viewerFromAuthorization(header)).toThrow(UnauthenticatedError);
    expect(() => tokens.viewerFromAuthorization(header)).toThrow(message);
  });
});

describe('requireAdmin (the one admin check of every module and the platform)', () => {
  it('returns an admin, refuses anyone else with FORBIDDEN and nobody with UNAUTHENTICATED', () => {
    expect(requireAdmin({ userId: U1, role: 'ADMIN' })).toEqual({ userId: U1, role: 'ADMIN' });
    expect(() => requireAdmin({ userId: U1, role: 'THERAPIST' })).toThrow(ForbiddenError);
    expect(() => requireAdmin({ userId: U1, role: 'ANALYST' }, 'Only an admin may read the event log')).toThrow('Only an admin may read the event log');
    expect(() => requireAdmin(null)).toThrow(UnauthenticatedError);
  });
});
