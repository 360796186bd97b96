import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from './auth';
import type { Logger } from './logger';
import { PendingAccessReads } from './access-reads';
import { OperationLoaders } from './loaders';

/**
 * Everything request-specific, built fresh for every GraphQL operation (and every
 * subscription event): the viewer, a forked EntityManager and empty DataLoaders.
 */
export interface OperationContext {
  readonly requestId: string;
  readonly viewer: Viewer | null;
  /** The caller's network address (through trusted proxies); null for work no client asked for. */
  readonly clientAddress: string | null;
  readonly em: EntityManager;
  readonly loaders: OperationLoaders;
  readonly log: Logger;
  /** Health information shown in this operation, recorded (platform.access_record) before the answer is sent. */
  readonly accessReads: PendingAccessReads;
}

export function createOperationContext(args: {
  requestId: string;
  viewer: Viewer | null;
  clientAddress: string | null;
  em: EntityManager;
  log: Logger;
  /** Give the operation an event manager of its own (transaction hooks that concern it alone). */
  ownEventManager?: boolean;
}): OperationContext {
  const { requestId, log } = args;
  let operationLog: Logger | undefined;
  return {
    requestId,
    viewer: args.viewer,
    clientAddress: args.clientAddress,
    em: args.em.fork({ clear: true, useContext: false, cloneEventManager: args.ownEventManager ?? false }),
    loaders: new OperationLoaders(),
    // The request's child logger is made when something logs, not for every operation.
    get log() {
      return (operationLog ??= log.child({ requestId }));
    },
    accessReads: new PendingAccessReads(),
  };
}

/**
 * Subscriptions execute every event with the context of the subscription: this gives the
 * event a fresh EntityManager fork and empty DataLoaders before its fields resolve.
 */
export function renewForEvent(op: OperationContext): void {
  const mutable = op as { -readonly [K in keyof OperationContext]: OperationContext[K] };
  mutable.em = op.em.fork({ clear: true, useContext: false });
  mutable.loaders = new OperationLoaders();
}
