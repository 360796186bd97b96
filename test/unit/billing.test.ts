import { Invoice } from '../../src/modules/billing/domain/invoice';
import { checkRate, DEFAULT_RATE, agreedPrice, isChargeableCancellation, lateCancellationFee, noShowFee, sessionPrice } from '../../src/modules/billing/domain/pricing';
import { backoffMs } from '../../src/platform/event-dispatcher';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../src/platform/errors';

describe('pricing', () => {
  it.each([
    [30, 6000],
    [45, 8000],
    [60, 10000],
    [90, 15000],
  ])('charges a %i-minute session %i cents at the default rate', (minutes, cents) => {
    expect(sessionPrice(DEFAULT_RATE, minutes)).toBe(cents);
  });

  it('rounds to whole cents', () => {
    expect(sessionPrice({ amountCents: 12345, currency: 'EUR' }, 45)).toBe(9876);
    expect(lateCancellationFee(agreedPrice({ amountCents: 12345, currency: 'EUR' }, 45))).toEqual({ amountCents: 4938, currency: 'EUR' });
    expect(lateCancellationFee(agreedPrice(DEFAULT_RATE, 90))).toEqual({ amountCents: 7500, currency: 'USD' });
    expect(noShowFee({ amountCents: 9876, currency: 'EUR' }, 100)).toEqual({ amountCents: 9876, currency: 'EUR' });
    expect(noShowFee({ amountCents: 9875, currency: 'EUR' }, 50)).toEqual({ amountCents: 4938, currency: 'EUR' });
  });

  it('validates rates and normalises the currency', () => {
    expect(checkRate(15000, 'eur')).toEqual({ amountCents: 15000, currency: 'EUR' });
    expect(() => checkRate(0, 'USD')).toThrow(InvalidInputError);
    expect(() => checkRate(99.5, 'USD')).toThrow(InvalidInputError);
    expect(() => checkRate(10000, 'XYZ')).toThrow(InvalidInputError);
    expect(() => checkRate(10000, 'dollars')).toThrow(InvalidInputError);
  });

  describe('a cancellation is charged', () => {
    const base = {
      previousStatus: 'ACCEPTED',
      cancelledById: 'p',
      patientId: 'p',
      scheduledAt: new Date('2026-12-08T10:00:00Z'),
      cancelledAt: new Date('2026-12-07T10:00:01Z'),
    };
    it('when the patient cancels an accepted session less than 24 hours ahead', () => {
      expect(isChargeableCancellation(base)).toBe(true);
    });
    it.each([
      ['24 hours or more ahead', { cancelledAt: new Date('2026-12-07T10:00:00Z') }],
      ['by the therapist', { cancelledById: 't' }],
      ['of a pending session', { previousStatus: 'PENDING' }],
    ])('but not %s', (_case, change) => {
      expect(isChargeableCancellation({ ...base, ...change })).toBe(false);
    });
  });
});

describe('an invoice', () => {
  const now = new Date('2026-12-08T12:00:00Z');
  const open = () =>
    Invoice.issue({ sessionId: 's', patientId: 'p', therapistId: 't', amountCents: 6000, currency: 'USD', reason: 'SESSION_COMPLETED' }, now);

  it('is paid once by its patient or an admin, with a reference', () => {
    const invoice = open();
    invoice.pay({ userId: 'p', role: 'PATIENT' }, ' TX-1 ', now);
    expect(invoice).toMatchObject({ status: 'PAID', paidAt: now, paymentReference: 'TX-1' });
    expect(() => invoice.pay({ userId: 'p', role: 'PATIENT' }, 'TX-2', now)).toThrow(ConflictError);
    expect(invoice.paymentReference).toBe('TX-1');
    const byAdmin = open();
    byAdmin.pay({ userId: 'a', role: 'ADMIN' }, 'manual', now);
    expect(byAdmin.status).toBe('PAID');
  });

  it('is not paid by anyone else, nor without a reference', () => {
    expect(() => open().pay({ userId: 't', role: 'THERAPIST' }, 'x', now)).toThrow(ForbiddenError);
    expect(() => open().pay({ userId: 'p', role: 'PATIENT' }, '  ', now)).toThrow(InvalidInputError);
  });

  it('is voided by an admin only, with a reason, while open', () => {
    const invoice = open();
    expect(() => invoice.void({ userId: 'p', role: 'PATIENT' }, 'no', now)).toThrow(ForbiddenError);
    invoice.void({ userId: 'a', role: 'ADMIN' }, 'Billed in error', now);
    expect(invoice).toMatchObject({ status: 'VOID', voidReason: 'Billed in error' });
    expect(() => invoice.pay({ userId: 'p', role: 'PATIENT' }, 'x', now)).toThrow(ConflictError);
    const paid = open();
    paid.pay({ userId: 'p', role: 'PATIENT' }, 'x', now);
    expect(() => paid.void({ userId: 'a', role: 'ADMIN' }, 'late', now)).toThrow(ConflictError);
  });
});

describe('retry backoff', () => {
  it('doubles from the base, with jitter, up to ten minutes', () => {
    expect(backoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, () => 0.5)).toBe(4000);
    expect(backoffMs(3, 1000, () => 0)).toBe(3200);
    expect(backoffMs(3, 1000, () => 1)).toBe(4800);
    expect(backoffMs(30, 1000, () => 0.5)).toBe(600_000);
  });
});
