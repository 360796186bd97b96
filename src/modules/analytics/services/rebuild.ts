import { inject, injectable } from 'inversify';
import type { DomainEvent, EventType } from '../../../contracts/events';
import { requireAdmin } from '../../../platform/auth';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import type { EventLog } from '../../../platform/event-log';
import { ProjectionRules, SUBSCRIBER_OF } from './projections';
import { AnalyticsStoreKey, type AnalyticsStore } from './ports';

/** Outbox pages per rebuild step (100 events each): one transaction, so live deliveries wait at most one step. */
const PAGES_PER_STEP = 10;

/**
 * Rebuilds every projection from the outbox into a fresh generation while the active one keeps
 * serving; live deliveries write to both meanwhile. Runs in steps (the module's periodic job, or
 * `npm run analytics:rebuild` to the end); the last step switches over in the transaction that
 * applies the final page, so no event falls between the generations.
 */
@injectable()
export class Rebuilder {
  constructor(
    @inject(AnalyticsStoreKey) private readonly store: AnalyticsStore,
    @inject(ProjectionRules) private readonly rules: ProjectionRules,
    @inject(PLATFORM.EventLog) private readonly eventLog: EventLog,
  ) {}

  /** Starts a rebuild (admins); one already going is left to finish. */
  async request(op: OperationContext): Promise<void> {
    requireAdmin(op.viewer, 'Only an admin may rebuild analytics');
    await this.begin(op);
  }

  /**
   * At start: when the outbox holds events a projection will never be delivered (recorded before
   * analytics, or before that projection, existed), a rebuild starts, which the job loop then steps
   * while the server serves. Checked until once found complete. True when a rebuild was started.
   */
  async catchUp(op: OperationContext): Promise<boolean> {
    const rows = await this.store.read(op).checkpoints.all();
    if (rows.every((r) => r.caughtUp) || rows.some((r) => r.buildingGeneration !== null)) return false;
    let missed = false;
    for (const row of rows.filter((r) => !r.caughtUp)) {
      const types = [...this.rules.routes].filter(([, projection]) => projection === row.name).map(([type]) => type);
      if ((missed = await this.eventLog.hasMissed(op.em, SUBSCRIBER_OF[row.name], types))) break;
    }
    if (!missed) {
      await this.store.transaction(op, ({ checkpoints }) => checkpoints.markCaughtUp());
      return false;
    }
    await this.begin(op);
    return true;
  }

  async begin(op: OperationContext): Promise<void> {
    const total = await (await this.eventLog.events(op.em, { first: 1 })).totalCount;
    await this.store.transaction(op, async ({ checkpoints, facts }) => {
      const rows = await checkpoints.lockAll();
      if (rows.some((r) => r.buildingGeneration !== null)) return;
      const next = Math.max(...rows.map((r) => r.activeGeneration)) + 1;
      await facts.clear(next);
      await checkpoints.startRebuild(next, total);
    });
  }

  /** Replays the next pages into the generation being built; true while there is more to do. */
  async step(op: OperationContext): Promise<boolean> {
    const [state] = await this.store.read(op).checkpoints.all();
    if (!state || state.buildingGeneration === null) return false;
    let after = state.rebuildAfter;
    const pages: DomainEvent[][] = [];
    let more = true;
    for (let i = 0; i < PAGES_PER_STEP && more; i++) {
      const page = await this.eventLog.events(op.em, { first: 100, after });
      pages.push(page.edges.map(({ node }) => ({ id: node.id, type: node.type as EventType, aggregateId: node.aggregateId, occurredAt: node.occurredAt, payload: node.payload }) as DomainEvent));
      after = page.pageInfo.endCursor ?? after;
      more = page.pageInfo.hasNextPage;
    }
    const events = pages.flat();
    return this.store.transaction(op, async ({ checkpoints, facts }) => {
      const [locked] = await checkpoints.lockAll();
      // Another instance took this step meanwhile: start again from its position.
      if (locked.buildingGeneration !== state.buildingGeneration || locked.rebuildAfter !== state.rebuildAfter) return locked.buildingGeneration !== null;
      const generation = state.buildingGeneration!;
      await this.rules.write(facts, events, async (projection, list) => new Map([[generation, await checkpoints.markApplied(generation, projection, list.map((e) => e.id))]]));
      if (more) {
        await checkpoints.rebuildProgress(after, (state.rebuildDone ?? 0) + events.length);
        return true;
      }
      const last = events.at(-1);
      await checkpoints.switchOver(generation, last ? { eventId: last.id, occurredAt: last.occurredAt } : null);
      await facts.clearAllBut(generation);
      return false;
    });
  }

  /** Rebuilds to the end (the npm script; tests). */
  async run(op: OperationContext): Promise<void> {
    await this.begin(op);
    while (await this.step(op)) {
      // next step
    }
  }
}
