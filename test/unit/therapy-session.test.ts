import { TherapySession, type Actor, type TherapySessionStatus } from '../../src/modules/mentalhealth/domain/therapy-session';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../src/platform/errors';

const therapist: Actor = { userId: 't1', role: 'THERAPIST' };
const otherTherapist: Actor = { userId: 't2', role: 'THERAPIST' };
const patient: Actor = { userId: 'p1', role: 'PATIENT' };
const stranger: Actor = { userId: 'p2', role: 'PATIENT' };
const admin: Actor = { userId: 'a1', role: 'ADMIN' };

const scheduledAt = new Date('2026-12-08T10:00:00Z');
const at = (iso: string) => new Date(iso);
const before = at('2026-12-07T08:00:00Z');

function session(status: TherapySessionStatus = 'PENDING'): TherapySession {
  const s = TherapySession.schedule(
    { therapistId: 't1', patientId: 'p1', sessionType: 'VIDEO', targetAudience: 'INDIVIDUAL', scheduledAt, durationMinutes: 60 },
    patient,
    before,
  );
  s.pullEvents();
  s.status = status;
  return s;
}

/** Every transition from every state: [action, allowed from]. */
const TRANSITIONS: Array<[string, (s: TherapySession) => void, TherapySessionStatus[], TherapySessionStatus]> = [
  ['accept', (s) => s.accept(therapist, before), ['PENDING'], 'ACCEPTED'],
  ['reject', (s) => s.reject(therapist, 'Not my speciality', before), ['PENDING', 'ACCEPTED'], 'REJECTED'],
  ['start', (s) => s.start(therapist, at('2026-12-08T09:50:00Z'), 15), ['ACCEPTED'], 'IN_PROGRESS'],
  ['end', (s) => s.end(therapist, at('2026-12-08T10:55:00Z'), 'Good progress', 'Private note'), ['IN_PROGRESS'], 'COMPLETED'],
  ['cancel', (s) => s.cancel(patient, 'Feeling unwell', before), ['PENDING', 'ACCEPTED'], 'CANCELLED'],
  ['markNoShow', (s) => s.markNoShow(at('2026-12-08T11:00:00Z')), ['ACCEPTED'], 'NO_SHOW'],
];
const ALL: TherapySessionStatus[] = ['PENDING', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW'];

describe('a therapy session', () => {
  it('is scheduled PENDING, ending after its duration, with a SCHEDULED event', () => {
    const s = TherapySession.schedule(
      { therapistId: 't1', patientId: 'p1', sessionType: 'CHAT', targetAudience: 'TEENS', scheduledAt, durationMinutes: 45 },
      patient,
      before,
    );
    expect(s).toMatchObject({ status: 'PENDING', endsAt: at('2026-12-08T10:45:00Z'), createdAt: before });
    expect(s.pullEvents()).toEqual([{ type: 'SCHEDULED', actor: patient, previousStatus: null, occurredAt: before }]);
    expect(s.pullEvents()).toEqual([]);
  });

  it.each([20, 0, 120, 61])('refuses a duration of %p minutes', (durationMinutes) => {
    expect(() =>
      TherapySession.schedule({ therapistId: 't1', patientId: 'p1', sessionType: 'CHAT', targetAudience: 'TEENS', scheduledAt, durationMinutes }, patient, before),
    ).toThrow(InvalidInputError);
  });

  for (const [action, apply, allowedFrom, to] of TRANSITIONS) {
    describe(action, () => {
      it.each(allowedFrom)(`moves a %s session to ${to} and records the event`, (from) => {
        const s = session(from);
        apply(s);
        expect(s.status).toBe(to);
        expect(s.pullEvents()).toEqual([expect.objectContaining({ previousStatus: from })]);
      });

      it.each(ALL.filter((status) => !allowedFrom.includes(status)))('refuses a %s session with CONFLICT, changing nothing', (from) => {
        const s = session(from);
        const snapshot = { ...s };
        expect(() => apply(s)).toThrow(ConflictError);
        expect({ ...s }).toEqual(snapshot);
      });
    });
  }

  it('lets only the session therapist accept what the patient booked, and reject, start and end', () => {
    for (const actor of [patient, otherTherapist, admin, stranger]) {
      expect(() => session('PENDING').accept(actor, before)).toThrow(ForbiddenError);
      expect(() => session('PENDING').reject(actor, 'no', before)).toThrow(ForbiddenError);
      expect(() => session('ACCEPTED').start(actor, at('2026-12-08T10:00:00Z'), 15)).toThrow(ForbiddenError);
      expect(() => session('IN_PROGRESS').end(actor, at('2026-12-08T11:00:00Z'))).toThrow(ForbiddenError);
    }
  });

  describe('proposed by a therapist or an admin', () => {
    const proposedBy = (by: Actor) => {
      const s = TherapySession.schedule(
        { therapistId: 't1', patientId: 'p1', sessionType: 'VIDEO', targetAudience: 'INDIVIDUAL', scheduledAt, durationMinutes: 60 },
        by,
        before,
      );
      s.pullEvents();
      return s;
    };

    it.each([therapist, admin])('records who proposed it (%p)', (by) => {
      expect(proposedBy(by)).toMatchObject({ status: 'PENDING', proposedById: by.userId });
      expect(session()).toMatchObject({ proposedById: patient.userId });
    });

    it.each([therapist, admin])('waits for the patient: only the patient accepts it (proposed by %p)', (by) => {
      for (const actor of [therapist, admin, otherTherapist, stranger]) {
        const s = proposedBy(by);
        expect(() => s.accept(actor, before)).toThrow(ForbiddenError);
        expect(s.status).toBe('PENDING');
        expect(s.pullEvents()).toEqual([]);
      }
      const s = proposedBy(by);
      s.accept(patient, before);
      expect(s.status).toBe('ACCEPTED');
      expect(s.pullEvents()).toEqual([{ type: 'ACCEPTED', actor: patient, previousStatus: 'PENDING', occurredAt: before }]);
    });

    it('is declined by the patient cancelling it, and never accepted twice', () => {
      const declined = proposedBy(therapist);
      declined.cancel(patient, 'Not now', before);
      expect(declined.status).toBe('CANCELLED');
      const accepted = proposedBy(therapist);
      accepted.accept(patient, before);
      expect(() => accepted.accept(patient, before)).toThrow(ConflictError);
    });
  });

  it('lets either participant or an admin cancel, nobody else', () => {
    for (const actor of [patient, therapist, admin]) {
      const s = session('ACCEPTED');
      s.cancel(actor, 'Conflict at work', before);
      expect(s).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Conflict at work', cancelledById: actor.userId });
    }
    expect(() => session('ACCEPTED').cancel(stranger, 'x', before)).toThrow(ForbiddenError);
    expect(() => session('ACCEPTED').cancel(otherTherapist, 'x', before)).toThrow(ForbiddenError);
  });

  it('never cancels a cancelled or rejected session again', () => {
    const cancelled = session('PENDING');
    cancelled.cancel(patient, 'first', before);
    expect(() => cancelled.cancel(patient, 'again', before)).toThrow(ConflictError);
    expect(cancelled.cancellationReason).toBe('first');
    expect(() => session('REJECTED').cancel(patient, 'x', before)).toThrow(ConflictError);
  });

  it('requires a non-empty reason to cancel or reject', () => {
    expect(() => session('PENDING').cancel(patient, '   ', before)).toThrow(InvalidInputError);
    expect(() => session('PENDING').reject(therapist, '', before)).toThrow(InvalidInputError);
    expect(() => session('PENDING').cancel(patient, 'x'.repeat(1001), before)).toThrow(InvalidInputError);
  });

  describe('start', () => {
    it('is allowed from the early-start window on, and records startedAt', () => {
      const s = session('ACCEPTED');
      s.start(therapist, at('2026-12-08T09:45:00Z'), 15);
      expect(s).toMatchObject({ status: 'IN_PROGRESS', startedAt: at('2026-12-08T09:45:00Z') });
    });

    it('is refused earlier than the early-start window', () => {
      const s = session('ACCEPTED');
      expect(() => s.start(therapist, at('2026-12-08T09:44:59Z'), 15)).toThrow(ConflictError);
      expect(s.status).toBe('ACCEPTED');
    });

    it('is refused once the planned end has passed', () => {
      expect(() => session('ACCEPTED').start(therapist, at('2026-12-08T11:00:00Z'), 15)).toThrow(ConflictError);
    });

    it('never marks the session completed', () => {
      const s = session('ACCEPTED');
      s.start(therapist, scheduledAt, 15);
      expect(s.status).toBe('IN_PROGRESS');
      expect(s.endedAt).toBeNull();
    });
  });

  it('ends with summary and notes, blank ones stored as null', () => {
    const s = session('IN_PROGRESS');
    s.end(therapist, at('2026-12-08T11:00:00Z'), '  ', 'Discussed sleep');
    expect(s).toMatchObject({ status: 'COMPLETED', endedAt: at('2026-12-08T11:00:00Z'), summary: null, notes: 'Discussed sleep' });
  });

  describe('no-show', () => {
    it('is not marked before the planned end', () => {
      const s = session('ACCEPTED');
      expect(() => s.markNoShow(at('2026-12-08T10:59:59Z'))).toThrow(ConflictError);
      expect(s.status).toBe('ACCEPTED');
    });

    it('is recorded with no actor: time, not a person, made it', () => {
      const s = session('ACCEPTED');
      s.markNoShow(at('2026-12-08T11:00:00Z'));
      expect(s.pullEvents()).toEqual([{ type: 'NO_SHOW', actor: null, previousStatus: 'ACCEPTED', occurredAt: at('2026-12-08T11:00:00Z') }]);
    });

    it("refuses the patient's cancellation of an accepted session from its scheduled start on; the therapist and admins still cancel", () => {
      const s = session('ACCEPTED');
      expect(() => s.cancel(patient, 'Overslept', scheduledAt)).toThrow(ConflictError);
      expect(s.status).toBe('ACCEPTED');
      s.cancel(patient, 'Running late, sorry', at('2026-12-08T09:59:59Z'));
      expect(s.status).toBe('CANCELLED');
      for (const actor of [therapist, admin]) {
        const other = session('ACCEPTED');
        other.cancel(actor, 'Connection down', at('2026-12-08T10:10:00Z'));
        expect(other.status).toBe('CANCELLED');
      }
    });
  });
});
