import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub } from 'type-graphql';
import type { DomainEvent } from '../contracts/events';
import { AccountStandings, USER_ACCOUNT_CHANGED, type AccountStanding } from '../contracts/users';
import type { TokenService, TokenSession, Viewer } from './auth';
import { UnauthenticatedError } from './errors';
import type { Logger } from './logger';

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
    /** Absent when no enabled module knows accounts. */
    private readonly standings: AccountStandings | undefined,
    private readonly em: EntityManager,
  ) {}

  async fromAuthorization(header: unknown): Promise<Viewer | null> {
    const session = this.tokens.sessionFromAuthorization(header);
    return session ? this.current(session) : null;
  }

  /** How the accounts stand now; null when no module knows accounts. */
  async standingsOf(userIds: string[]): Promise<Map<string, AccountStanding> | null> {
    return (await this.standings?.standingsOf(this.em, userIds)) ?? null;
  }

  async current(session: TokenSession): Promise<Viewer> {
    // Without the users module nothing else knows the account: the token is all there is.
    if (!this.standings) return session.viewer;
    const standing = await this.standingNow(session.viewer.userId);
    return viewerAsItStands(session, standing);
  }

  /** The accounts asked for since the last batch went out, and what each asker waits for. */
  private batch: Map<string, Array<{ stood: (standing: AccountStanding | null) => void; failed: (error: unknown) => void }>> | null = null;

  /**
   * The account as it stands, read by a statement sent after this call: the operations that arrive
   * in one turn of the event loop share one `where id in (...)` read (50 concurrent requests of one
   * user are one statement, not 50), and none joins a read already under way, so a change
   * committed before an operation arrived always counts for it.
   */
  private standingNow(userId: string): Promise<AccountStanding | null> {
    return new Promise((stood, failed) => {
      if (!this.batch) {
        this.batch = new Map();
        setImmediate(() => this.readBatch());
      }
      const waiting = this.batch.get(userId);
      if (waiting) waiting.push({ stood, failed });
      else this.batch.set(userId, [{ stood, failed }]);
    });
  }

  private readBatch(): void {
    const batch = this.batch!;
    this.batch = null;
    this.standings!.standingsOf(this.em, [...batch.keys()]).then(
      (standings) => batch.forEach((waiting, userId) => waiting.forEach((w) => w.stood(standings.get(userId) ?? null))),
      (error: unknown) => batch.forEach((waiting) => waiting.forEach((w) => w.failed(error))),
    );
  }
}

/** A live connection that serves subscriptions: a WebSocket, or an SSE stream (live-transport.ts). */
export interface LiveConnection {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

interface LiveSocket {
  socket: LiveConnection;
  session: TokenSession;
  /** The role the socket runs with; another role now means the socket must reconnect. */
  role: Viewer['role'];
}

/** True while the socket's token stands and its account has the role the socket runs with. */
export function socketStillStands(live: Pick<LiveSocket, 'session' | 'role'>, standing: AccountStanding | null): boolean {
  try {
    return viewerAsItStands(live.session, standing).role === live.role;
  } catch {
    return false;
  }
}

/**
 * The open WebSockets and SSE streams of each user on this instance. An account change, published on the
 * cross-instance PubSub, closes that user's sockets with 4403 on every instance; a periodic
 * check of every open socket's account catches a change whose message never arrived.
 */
export class LiveSockets {
  private readonly byUser = new Map<string, Set<LiveSocket>>();

  track(viewer: Viewer, session: TokenSession, socket: LiveConnection): void {
    const sockets = this.byUser.get(viewer.userId) ?? new Set<LiveSocket>();
    const live = { socket, session, role: viewer.role };
    sockets.add(live);
    this.byUser.set(viewer.userId, sockets);
    socket.once('close', () => {
      sockets.delete(live);
      if (sockets.size === 0 && this.byUser.get(viewer.userId) === sockets) this.byUser.delete(viewer.userId);
    });
  }

  /** Closes the user's sockets here; once close() is called nothing more is sent on them. */
  closeAllOf(userId: string): number {
    const sockets = [...(this.byUser.get(userId) ?? [])];
    for (const { socket } of sockets) socket.close(ACCOUNT_CHANGED_CLOSE_CODE, 'Account changed');
    return sockets.length;
  }

  /** Closes every socket whose account no longer stands as it did (one batched read). */
  async check(standingsOf: (userIds: string[]) => Promise<Map<string, AccountStanding> | null>): Promise<number> {
    if (this.byUser.size === 0) return 0;
    const standings = await standingsOf([...this.byUser.keys()]);
    if (!standings) return 0;
    let closed = 0;
    for (const [userId, sockets] of [...this.byUser]) {
      for (const live of [...sockets]) {
        if (socketStillStands(live, standings.get(userId) ?? null)) continue;
        live.socket.close(ACCOUNT_CHANGED_CLOSE_CODE, 'Account changed');
        closed++;
      }
    }
    return closed;
  }

  /**
   * Listens for account changes, and checks open sockets every `checkSeconds` (which bounds a
   * missed account-change message, e.g. while Redis is down), until stop() is called.
   */
  watch(pubSub: PubSub, viewers: Viewers, log: Logger, checkSeconds: number): { stop(): Promise<void> } {
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
    const timer = setInterval(() => {
      this.check((ids) => viewers.standingsOf(ids)).then(
        (closed) => closed > 0 && log.info({ closed }, 'sockets of changed accounts closed'),
        (err: unknown) => log.warn({ err }, 'open sockets could not be checked against their accounts'),
      );
    }, checkSeconds * 1000);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await iterator.return?.();
        await loop;
      },
    };
  }
}
