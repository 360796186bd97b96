import type { Logger } from './logger';

/**
 * Logs a dependency's outage once when it starts, at most once a minute while it lasts (with the
 * number of failures not logged), and once when it ends: ioredis emits an error on every reconnect
 * attempt and every request fails while the database is away, and neither is worth a stack trace.
 */
export class OutageLog {
  private downSince?: number;
  private lastLogged = 0;
  private unlogged = 0;

  constructor(
    private readonly log: Logger,
    /** What is unreachable, e.g. "Redis (subscriptions)". */
    private readonly dependency: string,
    /** What the outage costs, said once when it starts. */
    private readonly effect: string,
    private readonly everyMs = 60_000,
  ) {}

  get down(): boolean {
    return this.downSince !== undefined;
  }

  /** One failure. Only the error's name and code are logged: a driver's message may quote a statement's values. */
  failed(error: unknown): void {
    const now = Date.now();
    const { name, code } = (error ?? {}) as { name?: string; code?: string };
    const reason = { name, code };
    if (this.downSince === undefined) {
      this.downSince = this.lastLogged = now;
      this.unlogged = 0;
      this.log.warn({ dependency: this.dependency, reason }, `${this.dependency} unreachable: ${this.effect}`);
      return;
    }
    if (now - this.lastLogged < this.everyMs) {
      this.unlogged++;
      return;
    }
    this.log.warn(
      { dependency: this.dependency, reason, downForSeconds: Math.round((now - this.downSince) / 1000), failures: this.unlogged + 1 },
      `${this.dependency} still unreachable`,
    );
    this.lastLogged = now;
    this.unlogged = 0;
  }

  /** The dependency answered again; logs the end of an outage, if there was one. */
  restored(): void {
    if (this.downSince === undefined) return;
    this.log.info({ dependency: this.dependency, downForSeconds: Math.round((Date.now() - this.downSince) / 1000) }, `${this.dependency} reachable again`);
    this.downSince = undefined;
  }
}
