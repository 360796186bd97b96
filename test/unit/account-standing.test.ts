import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { TokenSession } from '../../src/platform/auth';
import { ACCOUNT_CHANGED_CLOSE_CODE, LiveSockets, viewerAsItStands } from '../../src/platform/account-standing';
import { UnauthenticatedError } from '../../src/platform/errors';
import { deidentifiedFor, mayIdentifyParticipants } from '../../src/modules/mentalhealth/application/access';
import { accountChangesOf } from '../../src/modules/users/services/user.service';

const session: TokenSession = { viewer: { userId: 'u1', role: 'ADMIN' }, tokenVersion: 2, expiresAt: new Date('2030-01-01T00:00:00Z') };

describe('a token stands as its account stands now', () => {
  it('takes the role from the account, not from the token', () => {
    expect(viewerAsItStands(session, { role: 'PATIENT', active: true, tokenVersion: 2 })).toEqual({ userId: 'u1', role: 'PATIENT' });
  });

  it.each([
    ['the account is gone', null, /no longer exists/],
    ['the account is deactivated', { role: 'ADMIN' as const, active: false, tokenVersion: 2 }, /deactivated/],
    ['the credentials changed since', { role: 'ADMIN' as const, active: true, tokenVersion: 3 }, /credentials have changed/],
  ])('is refused (UNAUTHENTICATED) when %s', (_case, standing, message) => {
    expect(() => viewerAsItStands(session, standing)).toThrow(UnauthenticatedError);
    expect(() => viewerAsItStands(session, standing)).toThrow(message);
  });
});

describe('what counts as an account change', () => {
  const admin = { role: 'ADMIN' as const, isActive: true };
  it.each([
    [{ role: 'PATIENT' as const }, ['ROLE']],
    [{ role: 'ADMIN' as const }, []],
    [{ isActive: false }, ['DEACTIVATED']],
    [{ isActive: true }, []],
    [{ firstName: 'New', timezone: 'Europe/Berlin', isVerified: true }, []],
    [{ role: 'ANALYST' as const, isActive: false }, ['ROLE', 'DEACTIVATED']],
  ])('%j -> %j', (changes, expected) => {
    expect(accountChangesOf(admin, changes)).toEqual(expected);
  });

  it('reactivation of a deactivated account', () => {
    expect(accountChangesOf({ role: 'PATIENT', isActive: false }, { isActive: true })).toEqual(['REACTIVATED']);
  });
});

describe('live sockets', () => {
  function fakeSocket() {
    const socket = Object.assign(new EventEmitter(), { closedWith: undefined as number | undefined });
    (socket as unknown as { close(code: number): void }).close = (code: number) => {
      socket.closedWith = code;
      socket.emit('close');
    };
    return socket;
  }

  it("closes every socket of the changed user with 4403, and only theirs", () => {
    const sockets = new LiveSockets();
    const [a1, a2, b] = [fakeSocket(), fakeSocket(), fakeSocket()];
    sockets.track('a', a1 as unknown as WebSocket);
    sockets.track('a', a2 as unknown as WebSocket);
    sockets.track('b', b as unknown as WebSocket);
    expect(sockets.closeAllOf('a')).toBe(2);
    expect([a1.closedWith, a2.closedWith, b.closedWith]).toEqual([ACCOUNT_CHANGED_CLOSE_CODE, ACCOUNT_CHANGED_CLOSE_CODE, undefined]);
    expect(sockets.closeAllOf('a')).toBe(0); // closed sockets are forgotten
  });
});

describe('analysts see sessions de-identified', () => {
  const session = { id: 's', summary: 'Talked about work', cancellationReason: 'Moved abroad', therapistId: 't', patientId: 'p' };

  it('without summary or reasons, and without participants', () => {
    const analyst = { userId: 'a', role: 'ANALYST' as const };
    expect(deidentifiedFor(analyst, session)).toEqual({ ...session, summary: null, cancellationReason: null });
    expect(mayIdentifyParticipants(analyst)).toBe(false);
  });

  it('while everyone else who reaches a session sees it whole', () => {
    for (const role of ['ADMIN', 'THERAPIST', 'PATIENT'] as const) {
      expect(deidentifiedFor({ userId: 'x', role }, session)).toBe(session);
      expect(mayIdentifyParticipants({ userId: 'x', role })).toBe(true);
    }
  });
});
