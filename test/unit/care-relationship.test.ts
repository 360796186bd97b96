import { CARE_RELATIONSHIP_DAYS, inCareRelationship, keepsCareRelationship } from '../../src/modules/mentalhealth/domain/care-relationship';
import { TherapySession, type Actor } from '../../src/modules/mentalhealth/domain/therapy-session';
import { TestClock } from '../support/clock';

const therapist: Actor = { userId: 't1', role: 'THERAPIST' };
const patient: Actor = { userId: 'p1', role: 'PATIENT' };
const admin: Actor = { userId: 'a1', role: 'ADMIN' };
const clock = new TestClock(new Date('2026-12-07T08:00:00Z'));

/** A session between t1 and p1 at `at`, scheduled by `by`, taken through the domain's own transitions. */
function sessionAt(at: string, by: Actor): TherapySession {
  return TherapySession.schedule(
    { therapistId: 't1', patientId: 'p1', sessionType: 'VIDEO', targetAudience: 'INDIVIDUAL', scheduledAt: new Date(at), durationMinutes: 60 },
    by,
    clock.now(),
  );
}
const booked = (at = '2026-12-08T10:00:00Z') => sessionAt(at, patient);
const proposed = (at = '2026-12-08T10:00:00Z') => sessionAt(at, therapist);
function completed(at: string): TherapySession {
  const s = booked(at);
  s.accept(therapist, clock.now());
  s.start(therapist, new Date(at), 15);
  s.end(therapist, new Date(new Date(at).getTime() + 50 * 60_000));
  return s;
}

describe('the care relationship', () => {
  beforeEach(() => clock.set('2026-12-07T08:00:00Z'));

  it('begins when the patient books, whoever accepts', () => {
    const s = booked();
    expect(keepsCareRelationship(s, clock.now())).toBe(true);
    s.accept(therapist, clock.now());
    expect(keepsCareRelationship(s, clock.now())).toBe(true);
  });

  it.each([therapist, admin])('does not begin with a proposal (by %p) until the patient accepts it', (by) => {
    const s = sessionAt('2026-12-08T10:00:00Z', by);
    expect(keepsCareRelationship(s, clock.now())).toBe(false);
    s.accept(patient, clock.now());
    expect(keepsCareRelationship(s, clock.now())).toBe(true);
  });

  it('ends when every session between them is cancelled or rejected', () => {
    const cancelled = booked('2026-12-08T10:00:00Z');
    const rejected = booked('2026-12-09T10:00:00Z');
    const declined = proposed('2026-12-10T10:00:00Z');
    expect(inCareRelationship([cancelled, rejected, declined], clock.now())).toBe(true);
    cancelled.cancel(therapist, 'Unwell', clock.now());
    rejected.reject(therapist, 'Not my speciality', clock.now());
    declined.cancel(patient, 'No thanks', clock.now());
    expect(inCareRelationship([cancelled, rejected, declined], clock.now())).toBe(false);
  });

  it(`lasts ${CARE_RELATIONSHIP_DAYS} days after the last completed session, then ends`, () => {
    const s = completed('2026-12-08T10:00:00Z');
    // Ended 2026-12-08T10:50Z; 180 days later is 2027-06-06T10:50Z.
    clock.set('2027-06-06T10:49:59Z');
    expect(keepsCareRelationship(s, clock.now())).toBe(true);
    clock.set('2027-06-06T10:50:00Z');
    expect(keepsCareRelationship(s, clock.now())).toBe(false);
  });

  it(`survives a no-show: it lasts ${CARE_RELATIONSHIP_DAYS} days after the missed session's planned end`, () => {
    const s = booked('2026-12-08T10:00:00Z');
    s.accept(therapist, clock.now());
    s.markNoShow(new Date('2026-12-08T11:00:00Z'));
    clock.set('2027-06-06T10:59:59Z');
    expect(keepsCareRelationship(s, clock.now())).toBe(true);
    clock.set('2027-06-06T11:00:00Z');
    expect(keepsCareRelationship(s, clock.now())).toBe(false);
  });

  it('counts from the last completed session, and a cancelled one after it does not end it early', () => {
    const old = completed('2026-12-08T10:00:00Z');
    const recent = completed('2027-03-01T10:00:00Z');
    const cancelled = booked('2027-03-08T10:00:00Z');
    cancelled.cancel(patient, 'Travelling', clock.now());
    clock.set('2027-07-01T00:00:00Z');
    expect(keepsCareRelationship(old, clock.now())).toBe(false);
    expect(inCareRelationship([old, recent, cancelled], clock.now())).toBe(true);
    clock.set('2027-08-29T00:00:00Z');
    expect(inCareRelationship([old, recent, cancelled], clock.now())).toBe(false);
  });

  it('begins again when the patient books once more, not when the therapist proposes', () => {
    const old = completed('2026-12-08T10:00:00Z');
    clock.set('2027-12-01T08:00:00Z');
    const proposal = proposed('2027-12-02T10:00:00Z');
    expect(inCareRelationship([old, proposal], clock.now())).toBe(false);
    expect(inCareRelationship([old, proposal, booked('2027-12-03T10:00:00Z')], clock.now())).toBe(true);
  });
});
