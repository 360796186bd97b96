import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub } from 'type-graphql';
import type { WebSocket } from 'ws';
import type { DomainEvent } from '../contracts/events';
import { AccountStandingsToken, USER_ACCOUNT_CHANGED, type AccountStanding } from '../contracts/users';
import type { TokenService, TokenSession, Viewer } from './auth';
import { UnauthenticatedError } from './errors';
import type { Logger } from './logger';
import type { ServiceRegistry } from './registry';

/** Close code for sockets whose account changed (role, deactivation, password): reconnect, maybe sign in again. */
export const ACCOUNT_CHANGED_CLOSE_CODE = 4403;

/**
 * The token's viewer as the account stands now: the current role, or UNAUTHENTICATED when the
 * account is gone, deactivated, or its credentials changed since the token was issued.
 */
export function viewerAsItStands(session: TokenSession, standing: AccountStanding | null): Viewer {
  if (!standing) throw new UnauthenticatedError('Your account no longer exists');
  if (!standing.active) throw new UnauthenticatedError('Your account has been deactivated');
  if (standing.tokenVersion !== session.tokenVersion) throw new UnauthenticatedError('Your credentials have changed; sign in again');
  return { userId: session.viewer.userId, role: standing.role };
}

/** Turns a token into the viewer of one operation, checked against the account (HTTP and every WS operation). */
export class Viewers {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: ServiceRegistry,
    private readonly em: EntityManager,
  ) {}

  async fromAuthorization(header: unknown): Promise<Viewer | null> {
    const session = this.tokens.sessionFromAuthorization(header);
    return session ? this.current(session) : null;
  }

  async current(session: TokenSession): Promise<Viewer> {
    // Without the users module nothing else knows the account: the token is all there is.
    if (!this.registry.has(AccountStandingsToken)) return session.viewer;
    const standing = await this.registry.get(AccountStandingsToken).standingOf(this.em, session.viewer.userId);
    return viewerAsItStands(session, standing);
  }
}

/**
 * The open WebSockets of each user on this instance. An account change, published on the
 * cross-instance PubSub, closes that user's sockets with 4403 on every instance.
 */
export class LiveSockets {
  private readonly byUser = new Map<string, Set<WebSocket>>();

  track(userId: string, socket: WebSocket): void {
    const sockets = this.byUser.get(userId) ?? new Set<WebSocket>();
    sockets.add(socket);
    this.byUser.set(userId, sockets);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.byUser.get(userId) === sockets) this.byUser.delete(userId);
    });
  }

  /** Closes the user's sockets here; once close() is called nothing more is sent on them. */
  closeAllOf(userId: string): number {
    const sockets = [...(this.byUser.get(userId) ?? [])];
    for (const socket of sockets) socket.close(ACCOUNT_CHANGED_CLOSE_CODE, 'Account changed');
    return sockets.length;
  }

  /** Listens for account changes until the returned stop() is called. */
  follow(pubSub: PubSub, log: Logger): { stop(): Promise<void> } {
    const iterator = pubSub.subscribe(USER_ACCOUNT_CHANGED)[Symbol.asyncIterator]();
    const loop = (async () => {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) return;
        const { userId } = (value as DomainEvent<'UserAccountChanged'>).payload;
        const closed = this.closeAllOf(userId);
        if (closed > 0) log.info({ userId, closed }, 'account changed: sockets closed');
      }
    })().catch((err: unknown) => log.error({ err }, 'account-change listener stopped'));
    return {
      stop: async () => {
        await iterator.return?.();
        await loop;
      },
    };
  }
}
