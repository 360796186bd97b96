import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperationContext } from '../platform/context';
import { serviceKey } from '../platform/registry';
import type { Role } from './users';

/**
 * The PHI access audit (HIPAA audit controls; Medplum's AuditEvent is the model). The platform
 * implements it (src/platform/access-audit.ts); every module records, through this contract, who
 * read or changed whose health information. Which accesses count is listed in README ("Access audit").
 */
export type AccessAction = 'READ' | 'CREATE' | 'UPDATE';

/** The kinds of resource holding health information; the GraphQL type name of the resource. */
export type AuditedResourceType = 'TherapySession' | 'ChatbotInteraction' | 'Invoice' | 'User';

/** One resource accessed, and the patient whose information it is. */
export interface AccessedResource {
  type: AuditedResourceType;
  id: string;
  patientId: string | null;
}

/** Who acted: the operation's viewer, or for work an event caused, the actor of that event. */
export interface AccessActor {
  userId: string;
  role: Role;
}

/** Change records bound to one transaction, like the outbox's EventRecorder. */
export interface AccessChangeRecorder {
  record(action: 'CREATE' | 'UPDATE', resources: readonly AccessedResource[], by?: AccessActor): Promise<void>;
}

export interface AccessAudit {
  /**
   * Notes that the operation's viewer was shown these resources. Kept in the operation (one record
   * per resource and operation, however often it is shown) and written in one insert before the
   * response or subscription event is sent.
   */
  read(op: OperationContext, resources: readonly AccessedResource[]): void;
  /** A patient's profile (their User) shown to the viewer: noted like `read`, unless the viewer is that patient. */
  readProfiles(op: OperationContext, patientIds: readonly string[]): void;
  /**
   * Records changes on `em`, which must be the change's transaction: the records commit with the
   * change and its events, or not at all. Attributed to the operation's viewer unless `by` is given.
   */
  recorder(em: EntityManager, op: Pick<OperationContext, 'viewer' | 'requestId'>): AccessChangeRecorder;
}

export const AccessAudit = serviceKey<AccessAudit>('AccessAudit');
