import { inject, injectable } from 'inversify';
import type { TherapySessionDirectory, TherapySessionSnapshot } from '../../../contracts/mentalhealth';
import type { OperationContext } from '../../../platform/context';
import { defineLoader, type LoaderDefinition } from '../../../platform/loaders';
import { MentalHealthStoreKey, type MentalHealthStore } from './ports';
import { snapshotOf } from './session-events';

/** What other modules may ask of sessions, through the TherapySessionDirectory contract: one query per batch. */
@injectable()
export class SessionDirectory implements TherapySessionDirectory {
  private readonly sessionById: LoaderDefinition<string, TherapySessionSnapshot | null>;

  constructor(@inject(MentalHealthStoreKey) store: MentalHealthStore) {
    this.sessionById = defineLoader('mentalhealth.sessionById', async (op, ids: readonly string[]) => {
      const found = await store.read(op).sessions.findByIds(ids);
      const byId = new Map(found.map((s) => [s.id, snapshotOf(s)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  findById(op: OperationContext, id: string): Promise<TherapySessionSnapshot | null> {
    return this.sessionById.load(op, id);
  }
}
