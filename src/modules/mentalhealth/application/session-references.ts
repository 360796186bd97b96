import { inject, injectable } from 'inversify';
import type { OperationContext } from '../../../platform/context';
import { isUuid } from '../../../platform/ids';
import type { ReferenceResolver } from '../../../platform/references';
import type { TherapySession } from '../domain/therapy-session';
import { mayFollowSession } from './access';
import { MentalHealthStoreKey, type MentalHealthStore } from './ports';

/** This module resolves references to TherapySession (Invoice.session, live events): one query per batch, its own access rule. */
@injectable()
export class TherapySessionReferences implements ReferenceResolver<TherapySession> {
  constructor(@inject(MentalHealthStoreKey) private readonly store: MentalHealthStore) {}

  async resolveReferences(op: OperationContext, ids: readonly string[]): Promise<Array<TherapySession | null>> {
    const wanted = op.viewer ? [...new Set(ids.filter(isUuid))] : [];
    const found = await this.store.read(op).sessions.findByIds(wanted);
    const byId = new Map(found.map((session) => [session.id, session]));
    return ids.map((id) => {
      const session = byId.get(id);
      return session && mayFollowSession(op.viewer, session) ? session : null;
    });
  }
}
