import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessAction, AccessActor, AccessAudit, AccessChangeRecorder, AccessedResource } from '../contracts/access-audit';
import type { Role } from '../contracts/users';
import { requireViewer, type Viewer } from './auth';
import type { OperationContext } from './context';
import { ForbiddenError, InvalidInputError } from './errors';
import { cursorCodec, pageSize, toConnection, type Connection } from './paging';
import { isUuid } from './ids';
import { carry } from './transaction-wire';

const ACCESS_RECORD_CURSOR = cursorCodec('accessAudit', { seq: 'sequence' });

/** One row of platform.access_record, as the API shows it. */
export interface AccessRecord {
  id: string;
  at: Date;
  actorId: string;
  actorRole: Role;
  action: AccessAction;
  resourceType: string;
  resourceId: string;
  patientId: string | null;
  requestId: string | null;
}

export interface AccessRecordFilter {
  patientId?: string | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

interface AccessRecordRow {
  seq: string;
  at: Date;
  actor_id: string;
  actor_role: Role;
  action: AccessAction;
  resource_type: string;
  resource_id: string;
  patient_id: string | null;
  request_id: string | null;
}

const toRecord = (row: AccessRecordRow): AccessRecord => ({
  id: String(row.seq),
  at: new Date(row.at),
  actorId: row.actor_id,
  actorRole: row.actor_role,
  action: row.action,
  resourceType: row.resource_type,
  resourceId: row.resource_id,
  patientId: row.patient_id,
  requestId: row.request_id,
});

/**
 * The records of one statement, grouped by who did what in which request: each group is
 * `[actor_id, actor_role, action, request_id, [[resource_type, resource_id, patient_id], ...]]`,
 * so a page of 50 profiles repeats the actor, role, action and request once, not 50 times (a third
 * of the bytes of one object per record). As jsonb: `->>` on json parses the text again at every
 * step (40 requests' records took 140 ms; as jsonb 5 ms, against 9 ms for json_to_recordset).
 */
type RecordGroup = [actorId: string, role: Role, action: AccessAction, requestId: string | null, resources: Array<[type: string, id: string, patientId: string | null]>];

const INSERT_GROUPS = `insert into platform.access_record (actor_id, actor_role, action, request_id, resource_type, resource_id, patient_id)
  select (g->>0)::uuid, g->>1, g->>2, g->>3, r->>0, r->>1, (r->>2)::uuid
    from jsonb_array_elements(?::jsonb) g, jsonb_array_elements(g->4) r`;

const groupOf = (actor: AccessActor, action: AccessAction, resources: readonly AccessedResource[], requestId: string | null): RecordGroup => [
  actor.userId,
  actor.role,
  action,
  requestId,
  resources.map((r) => [r.type, r.id, r.patientId ?? null]),
];

/**
 * The append-only PHI access record (platform.access_record; the table refuses updates and deletes).
 * Changes are written in the change's transaction; reads are collected in the operation
 * (`op.accessReads`) and written by `flushReads`, which both transports call before they answer.
 */
export class PlatformAccessAudit implements AccessAudit {
  read(op: OperationContext, resources: readonly AccessedResource[]): void {
    if (!op.viewer) return; // nobody to attribute it to: every path to health information requires a viewer
    for (const resource of resources) op.accessReads.add(resource);
  }

  readProfiles(op: OperationContext, patientIds: readonly string[]): void {
    const viewer = op.viewer;
    if (!viewer) return;
    for (const id of patientIds) if (id !== viewer.userId) op.accessReads.add({ type: 'User', id, patientId: id });
  }

  recorder(em: EntityManager, op: Pick<OperationContext, 'viewer' | 'requestId'>): AccessChangeRecorder {
    return {
      record: async (action, resources, by = op.viewer ?? undefined) => {
        if (resources.length === 0) return;
        if (!em.isInTransaction()) throw new Error('A change is recorded in the transaction of the change');
        if (!by) throw new Error('A change to health information needs an actor');
        // Written with the transaction's next statement (at the latest its COMMIT): no round trip of its own.
        carry(em, INSERT_GROUPS, [JSON.stringify([groupOf(by, action, resources, op.requestId)])]);
      },
    };
  }

  /** Reads of concurrent operations waiting for the statement after the one being written. */
  private waiting: Array<{ groups: RecordGroup[]; written: () => void; failed: (error: unknown) => void }> = [];
  private writing = false;

  /**
   * Writes the operation's pending reads and resolves once they are committed; throws if they could
   * not be written. Concurrent operations share one statement (and one commit): while one insert is
   * being written, the reads that arrive wait for the next, so a busy server commits a few times per
   * round trip instead of once per answer.
   */
  flushReads(op: OperationContext): Promise<void> {
    return this.flushReadsFor(op, op.viewer ? [op.viewer] : []);
  }

  /**
   * The same for one result shown to several viewers of one class (a live group): one record per
   * viewer and resource, all in the same insert (the group's members share one class, so what was shown is the same for each).
   */
  flushReadsFor(op: OperationContext, viewers: readonly Viewer[]): Promise<void> {
    if (op.accessReads.size === 0 || viewers.length === 0) return Promise.resolve();
    const resources = op.accessReads.take();
    const groups = viewers.map((viewer) => groupOf(viewer, 'READ', resources, op.requestId));
    // On the pool, never inside a transaction the operation may have left open.
    const connection = op.em.getConnection();
    return new Promise<void>((written, failed) => {
      this.waiting.push({ groups, written, failed });
      this.writeWaiting((sql, params) => connection.execute(sql, params, 'run'));
    });
  }

  private writeWaiting(execute: (sql: string, params: unknown[]) => Promise<unknown>): void {
    if (this.writing || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0);
    this.writing = true;
    insertGroups(execute, batch.flatMap((b) => b.groups))
      .then(
        () => batch.forEach((b) => b.written()),
        (error: unknown) => batch.forEach((b) => b.failed(error)),
      )
      .finally(() => {
        this.writing = false;
        this.writeWaiting(execute);
      });
  }

  /** Admins: every record; a patient: the records about themself; anyone else: FORBIDDEN. Newest first. */
  async list(em: EntityManager, viewerOrNull: Viewer | null, filter: AccessRecordFilter): Promise<Connection<AccessRecord>> {
    const viewer = requireViewer(viewerOrNull);
    if (viewer.role !== 'ADMIN' && viewer.role !== 'PATIENT') throw new ForbiddenError('Only admins and patients may read the access audit');
    for (const field of ['patientId', 'actorId'] as const) {
      const id = filter[field];
      if (id != null && !isUuid(id)) throw new InvalidInputError(`${field} is not a user id`, { field });
    }
    if (viewer.role === 'PATIENT' && filter.patientId != null && filter.patientId !== viewer.userId) {
      throw new ForbiddenError('A patient sees the access records about themself only');
    }
    if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime()) {
      throw new InvalidInputError('from must not be after to', { field: 'from' });
    }
    const patientId = viewer.role === 'PATIENT' ? viewer.userId : filter.patientId;
    const first = pageSize(filter.first);
    const cursor = ACCESS_RECORD_CURSOR.decode(filter.after);

    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (patientId) add('patient_id = ?', patientId);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    const clause = where.length ? `where ${where.join(' and ')}` : '';
    const paged = cursor ? `${clause ? `${clause} and` : 'where'} seq < ?` : clause;
    const rows = await em.execute<AccessRecordRow[]>(
      `select seq, at, actor_id, actor_role, action, resource_type, resource_id, patient_id, request_id
         from platform.access_record ${paged} order by seq desc limit ?`,
      [...params, ...(cursor ? [cursor.seq] : []), first + 1],
    );
    return toConnection(rows.map(toRecord), first, (r) => ACCESS_RECORD_CURSOR.encode({ seq: r.id }), async () => {
      const [{ count }] = await em.execute<Array<{ count: string }>>(`select count(*) from platform.access_record ${clause}`, params);
      return Number(count);
    });
  }
}

/**
 * One statement however many records: the groups go as one jsonb parameter that PostgreSQL turns
 * back into rows, so a page of 50 profiles (or a batch of concurrent operations' reads) is one short
 * statement with one bound value instead of hundreds, cheap to build, send and parse.
 */
async function insertGroups(execute: (sql: string, params: unknown[]) => Promise<unknown>, groups: readonly RecordGroup[]): Promise<void> {
  if (groups.every((group) => group[4].length === 0)) return;
  await execute(INSERT_GROUPS, [JSON.stringify(groups)]);
}
