import type { AccessChangeRecorder } from '../contracts/access-audit';
import type { OperationContext } from './context';
import type { EventRecorder } from './events';

/** What a write's repositories carry besides the module's own: its events and access records commit with the change. */
export interface ChangeRecorders {
  /** Records domain events in the transaction (the outbox). */
  events: EventRecorder;
  /** Records changes to health information in the transaction (the access audit). */
  audit: AccessChangeRecorder;
}

/** What a store needs of an operation: its EntityManager, and who acts (for the access records). */
export type StoreOperation = Pick<OperationContext, 'em' | 'viewer' | 'requestId'>;

/**
 * A module's persistence as its use cases see it (the port; platform/store.ts is the one
 * implementation base): reads on the operation's EntityManager, writes in one transaction.
 */
export interface Store<R> {
  /** The repositories for reads outside a transaction. */
  read(op: StoreOperation): R;
  /**
   * Runs `work` in one transaction (joining the operation's own, e.g. an event handler's):
   * what it adds or changes is flushed and committed together with its events and access records.
   * Unique and exclusion violations come out as CONFLICT, invalid values as BAD_USER_INPUT.
   */
  transaction<T>(op: StoreOperation, work: (repositories: R & ChangeRecorders) => Promise<T>): Promise<T>;
}
