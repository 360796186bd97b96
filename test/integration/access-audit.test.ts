import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../src/platform/auth';
import { UserService } from '../../src/modules/users/services/user.service';
import { TherapySessions } from '../../src/modules/mentalhealth/application/therapy-sessions';
import { SupportChat } from '../../src/modules/mentalhealth/application/support-chat';
import { Billing } from '../../src/modules/billing/application/billing';
import { TestClock } from '../support/clock';
import { openTestDatabase, type DatabaseHarness } from '../support/database-harness';

const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

interface RecordRow {
  actor_id: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string;
  patient_id: string | null;
  request_id: string | null;
}

describe('the PHI access audit on a real database', () => {
  let db: DatabaseHarness;
  let sessions: TherapySessions;
  let chat: SupportChat;
  let billing: Billing;
  let n = 0;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);
  const recordsOf = (resourceId: string) =>
    sql<RecordRow>(
      'select actor_id, actor_role, action, resource_type, resource_id, patient_id, request_id from platform.access_record where resource_id = ? order by seq',
      [resourceId],
    );
  const auditInserts = () => db.queries.filter((q) => /insert into platform\.access_record/i.test(q)).length;

  async function person(role: 'PATIENT' | 'THERAPIST'): Promise<Viewer> {
    const { user } = await db.gateway.container.get(UserService).register(db.op(), {
      email: `audit-${role.toLowerCase()}-${++n}@example.com`,
      password: 'audit-password-1',
      firstName: 'A',
      lastName: `N${n}`,
      role,
      timezone: 'UTC',
    });
    return { userId: user.id, role };
  }

  async function acceptedSession(therapist: Viewer, patient: Viewer, at: string): Promise<string> {
    clock.set('2026-12-07T08:00:00Z');
    const { id } = await sessions.schedule(db.op(patient), { therapistId: therapist.userId, scheduledAt: new Date(at), durationMinutes: 60, sessionType: 'VIDEO' });
    await sessions.accept(db.op(therapist), id);
    return id;
  }

  beforeAll(async () => {
    db = await openTestDatabase({}, { clock });
    sessions = db.gateway.container.get(TherapySessions);
    chat = db.gateway.container.get(SupportChat);
    billing = db.gateway.container.get(Billing);
  });
  afterAll(() => db.destroy());

  it('records every change to a session in its transaction, attributed to whoever made it', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const id = await acceptedSession(therapist, patient, '2026-12-08T10:00:00Z');
    clock.set('2026-12-08T10:00:00Z');
    await sessions.start(db.op(therapist), id);
    await sessions.end(db.op(therapist), id, 'sleep', 'screen for apnea');
    const session = { resource_type: 'TherapySession', resource_id: id, patient_id: patient.userId, request_id: 'test' };
    expect(await recordsOf(id)).toEqual([
      { ...session, actor_id: patient.userId, actor_role: 'PATIENT', action: 'CREATE' },
      { ...session, actor_id: therapist.userId, actor_role: 'THERAPIST', action: 'UPDATE' },
      { ...session, actor_id: therapist.userId, actor_role: 'THERAPIST', action: 'UPDATE' },
      { ...session, actor_id: therapist.userId, actor_role: 'THERAPIST', action: 'UPDATE' },
    ]);
  });

  it('writes no record when the change fails after recording it (same transaction)', async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const id = await acceptedSession(therapist, patient, '2026-12-08T11:00:00Z');
    const before = await recordsOf(id);
    // The session's UPDATE is flushed at commit, after the access record was inserted: it fails there.
    await sql(`create function mentalhealth.refuse_for_test() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`);
    await sql(`create trigger refuse_for_test before update on mentalhealth.therapy_session for each row execute function mentalhealth.refuse_for_test()`);
    try {
      await expect(sessions.cancel(db.op(patient), id, 'moving away')).rejects.toThrow();
    } finally {
      await sql('drop trigger refuse_for_test on mentalhealth.therapy_session');
      await sql('drop function mentalhealth.refuse_for_test()');
    }
    expect(await recordsOf(id)).toEqual(before);
    const cancelled = await sql(`select 1 from platform.domain_event where aggregate_id = ? and type = 'TherapySessionCancelled'`, [id]);
    expect(cancelled).toEqual([]);
  });

  it('records a chatbot message as CREATE, and reading them as one READ per message in a single insert per operation', async () => {
    const patient = await person('PATIENT');
    const sent = [];
    for (const message of ['I slept badly', 'work is stressful', 'thanks for listening']) sent.push(await chat.send(db.op(patient), message));
    expect((await recordsOf(sent[0].id)).map((r) => [r.action, r.actor_id, r.patient_id])).toEqual([['CREATE', patient.userId, patient.userId]]);

    const op = db.op(patient);
    await chat.recent(op, 10);
    await chat.recent(op, 2); // shown twice in one operation: still one record each
    await db.gateway.events.settled(); // invoices of the sessions above are issued by now, not while counting
    db.queries.length = 0;
    await db.gateway.accessAudit.flushReads(op);
    expect(auditInserts()).toBe(1);
    for (const interaction of sent) {
      expect((await recordsOf(interaction.id)).filter((r) => r.action === 'READ')).toEqual([
        { actor_id: patient.userId, actor_role: 'PATIENT', action: 'READ', resource_type: 'ChatbotInteraction', resource_id: interaction.id, patient_id: patient.userId, request_id: 'test' },
      ]);
    }
    db.queries.length = 0;
    await db.gateway.accessAudit.flushReads(op); // nothing left to write
    expect(auditInserts()).toBe(0);
  });

  it('writes the reads of concurrent operations together: every record, in fewer statements than operations', async () => {
    const patients = [await person('PATIENT'), await person('PATIENT'), await person('PATIENT'), await person('PATIENT')];
    const messages = await Promise.all(patients.map((p) => chat.send(db.op(p), 'a quiet week')));
    const ops = patients.map((p) => db.op(p));
    await Promise.all(ops.map((op) => chat.recent(op, 10)));
    await db.gateway.events.settled();
    db.queries.length = 0;
    await Promise.all(ops.map((op) => db.gateway.accessAudit.flushReads(op)));
    expect(auditInserts()).toBeLessThan(ops.length);
    for (const [i, message] of messages.entries()) {
      expect((await recordsOf(message.id)).filter((r) => r.action === 'READ').map((r) => r.actor_id)).toEqual([patients[i].userId]);
    }
  });

  it("records an issued invoice as created by whoever ended the session, and reading invoices as READs", async () => {
    const [therapist, patient] = [await person('THERAPIST'), await person('PATIENT')];
    const id = await acceptedSession(therapist, patient, '2026-12-08T12:00:00Z');
    clock.set('2026-12-08T12:00:00Z');
    await sessions.start(db.op(therapist), id);
    await sessions.end(db.op(therapist), id, 'done');
    await db.gateway.events.settled();
    const op = db.op(patient);
    const [invoice] = (await billing.invoices(op, null)).edges.map((e) => e.node);
    const [issued] = await recordsOf(invoice.id);
    expect(issued).toMatchObject({ action: 'CREATE', actor_id: therapist.userId, actor_role: 'THERAPIST', resource_type: 'Invoice', patient_id: patient.userId });
    expect(issued.request_id).not.toBe('test'); // the event's id: the invoice was issued by its handler
    await db.gateway.accessAudit.flushReads(op);
    await billing.pay(db.op(patient), invoice.id, 'card-1234');
    expect((await recordsOf(invoice.id)).map((r) => [r.action, r.actor_id])).toEqual([
      ['CREATE', therapist.userId],
      ['READ', patient.userId],
      ['UPDATE', patient.userId],
    ]);
  });

  it('refuses to update, delete or truncate access records', async () => {
    const [{ count }] = await sql<{ count: string }>('select count(*) from platform.access_record');
    expect(Number(count)).toBeGreaterThan(0);
    await expect(sql(`update platform.access_record set actor_role = 'ADMIN'`)).rejects.toThrow(/append-only/);
    await expect(sql('delete from platform.access_record')).rejects.toThrow(/append-only/);
    await expect(sql('truncate platform.access_record')).rejects.toThrow(/append-only/);
    expect(await sql<{ count: string }>('select count(*) from platform.access_record')).toEqual([{ count }]);
  });

  it('refuses to record a change outside a transaction', async () => {
    const patient = await person('PATIENT');
    const op = db.op(patient);
    const recorder = db.gateway.accessAudit.recorder(op.em as EntityManager, op);
    await expect(recorder.record('UPDATE', [{ type: 'User', id: patient.userId, patientId: patient.userId }])).rejects.toThrow(/transaction/);
  });
});
