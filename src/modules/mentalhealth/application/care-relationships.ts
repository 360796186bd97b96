import { inject, injectable } from 'inversify';
import type { TherapistVisibilityRule } from '../../../contracts/users';
import type { Clock } from '../../../platform/clock';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import { isUuid } from '../../../platform/ids';
import { defineLoader, type LoaderDefinition } from '../../../platform/loaders';
import { MentalHealthStoreKey, type MentalHealthStore } from './ports';

/** Loader key: a therapist and a patient. */
type Pair = `${string}/${string}`;

/**
 * The care relationship of API.md: a therapist may read a patient's profile and receive their
 * crisis alerts only while it holds. Checks of one operation are batched into one query.
 */
@injectable()
export class CareRelationships implements TherapistVisibilityRule {
  private readonly pairHolds: LoaderDefinition<Pair, boolean>;

  constructor(
    @inject(MentalHealthStoreKey) private readonly store: MentalHealthStore,
    @inject(PLATFORM.Clock) private readonly clock: Clock,
  ) {
    this.pairHolds = defineLoader('mentalhealth.careRelationship', async (op, keys: readonly Pair[]) => {
      const pairs = keys.map((key) => key.split('/') as [string, string]);
      const found = await this.store.read(op).sessions.careRelationships(
        { therapistIds: [...new Set(pairs.map(([t]) => t))], patientIds: [...new Set(pairs.map(([, p]) => p))] },
        this.clock.now(),
      );
      const holding = new Set(found.map((pair) => `${pair.therapistId}/${pair.patientId}`));
      return keys.map((key) => holding.has(key));
    });
  }

  /** Whether the therapist is in a care relationship with the patient now. */
  holds(op: OperationContext, therapistId: string, patientId: string): Promise<boolean> {
    if (!isUuid(therapistId) || !isUuid(patientId)) return Promise.resolve(false);
    return this.pairHolds.load(op, `${therapistId}/${patientId}`);
  }

  /** The users module asks every visibility rule: a therapist may see the users they are in care with. */
  therapistMaySee(op: OperationContext, therapistId: string, userId: string): Promise<boolean> {
    return this.holds(op, therapistId, userId);
  }

  /** The patient's therapists in a care relationship now, the most recently scheduled first. */
  async therapistsOf(op: OperationContext, patientId: string): Promise<string[]> {
    if (!isUuid(patientId)) return [];
    const pairs = await this.store.read(op).sessions.careRelationships({ patientIds: [patientId] }, this.clock.now());
    return pairs.map((pair) => pair.therapistId);
  }
}
