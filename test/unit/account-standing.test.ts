import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { TokenSession } from '../../src/platform/auth';
import { ACCOUNT_CHANGED_CLOSE_CODE, LiveSockets, socketStillStands, viewerAsItStands } from '../../src/platform/account-standing';
import { UnauthenticatedError } from '../../src/platform/errors';
import { mayIdentifyParticipants } from '../../src/modules/mentalhealth/application/access';
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
    const as = (userId: string) => [{ userId, role: 'ADMIN' as const }, { ...session, viewer: { userId, role: 'ADMIN' as const } }] as const;
    sockets.track(...as('a'), a1 as unknown as WebSocket);
    sockets.track(...as('a'), a2 as unknown as WebSocket);
    sockets.track(...as('b'), b as unknown as WebSocket);
    expect(sockets.closeAllOf('a')).toBe(2);
    expect([a1.closedWith, a2.closedWith, b.closedWith]).toEqual([ACCOUNT_CHANGED_CLOSE_CODE, ACCOUNT_CHANGED_CLOSE_CODE, undefined]);
    expect(sockets.closeAllOf('a')).toBe(0); // closed sockets are forgotten
  });

  it('closes, on the periodic check, the sockets whose account no longer stands as it did', async () => {
    const sockets = new LiveSockets();
    const [same, demoted, revoked] = [fakeSocket(), fakeSocket(), fakeSocket()];
    const track = (userId: string, socket: ReturnType<typeof fakeSocket>) =>
      sockets.track({ userId, role: 'ADMIN' }, { ...session, viewer: { userId, role: 'ADMIN' } }, socket as unknown as WebSocket);
    track('same', same);
    track('demoted', demoted);
    track('revoked', revoked);
    const asked: string[][] = [];
    const closed = await sockets.check(async (ids) => {
      asked.push(ids);
      return new Map([
        ['same', { role: 'ADMIN' as const, active: true, tokenVersion: 2 }],
        ['demoted', { role: 'PATIENT' as const, active: true, tokenVersion: 2 }],
        ['revoked', { role: 'ADMIN' as const, active: true, tokenVersion: 3 }],
      ]);
    });
    expect(closed).toBe(2);
    expect(asked).toEqual([['same', 'demoted', 'revoked']]); // one batched read
    expect([same.closedWith, demoted.closedWith, revoked.closedWith]).toEqual([undefined, ACCOUNT_CHANGED_CLOSE_CODE, ACCOUNT_CHANGED_CLOSE_CODE]);
  });

  it('a socket stands while its token stands and the role is the one it runs with', () => {
    const live = { session, role: 'ADMIN' as const };
    expect(socketStillStands(live, { role: 'ADMIN', active: true, tokenVersion: 2 })).toBe(true);
    expect(socketStillStands(live, { role: 'ANALYST', active: true, tokenVersion: 2 })).toBe(false);
    expect(socketStillStands(live, { role: 'ADMIN', active: false, tokenVersion: 2 })).toBe(false);
    expect(socketStillStands(live, null)).toBe(false);
  });
});

describe('analysts see sessions de-identified', () => {
  it('without summary or reasons, and without participants', () => {
    const analyst = { userId: 'a', role: 'ANALYST' as const };
    expect(mayIdentifyParticipants(analyst)).toBe(false);
  });

  it('while everyone else who reaches a session sees it whole', () => {
    for (const role of ['ADMIN', 'THERAPIST', 'PATIENT'] as const) {
      expect(mayIdentifyParticipants({ userId: 'x', role })).toBe(true);
    }
  });
});
