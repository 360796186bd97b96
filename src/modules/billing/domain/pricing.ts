import type { Money } from '../../../contracts/billing';
import { InvalidInputError } from '../../../platform/errors';

export type { Money };

/** A therapist's price for a 60-minute session, in integer minor units of its currency. */
export interface SessionRate {
  amountCents: number;
  currency: string;
}

/** What a therapist who never set a rate charges (API.md). */
export const DEFAULT_RATE: SessionRate = Object.freeze({ amountCents: 10_000, currency: 'USD' });

/** The share of the 60-minute rate each session length costs. */
export const DURATION_FACTOR: Readonly<Record<number, number>> = Object.freeze({ 30: 0.6, 45: 0.8, 60: 1.0, 90: 1.5 });

export const LATE_CANCELLATION_SHARE = 0.5;
export const LATE_CANCELLATION_WINDOW_MS = 24 * 3_600_000;
const MAX_RATE_CENTS = 1_000_000;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function checkRate(amountCents: number, currency: string): SessionRate {
  if (!Number.isInteger(amountCents) || amountCents < 1 || amountCents > MAX_RATE_CENTS) {
    throw new InvalidInputError(`amountCents must be a whole number from 1 to ${MAX_RATE_CENTS}`, { field: 'amountCents' });
  }
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !CURRENCIES.has(code)) {
    throw new InvalidInputError(`currency "${currency}" is not an ISO 4217 code`, { field: 'currency' });
  }
  return { amountCents, currency: code };
}

/** The price of a session of this length at this rate, rounded to whole cents. */
export function sessionPrice(rate: SessionRate, durationMinutes: number): number {
  const factor = DURATION_FACTOR[durationMinutes];
  if (factor === undefined) throw new InvalidInputError(`No price for a ${durationMinutes}-minute session`);
  return Math.round(rate.amountCents * factor);
}

/** The price fixed on a session when it is booked: this rate for its length, in the rate's currency. */
export function agreedPrice(rate: SessionRate, durationMinutes: number): Money {
  return { amountCents: sessionPrice(rate, durationMinutes), currency: rate.currency };
}

/** Half the agreed price, half-up to the cent. */
export function lateCancellationFee(price: Money): Money {
  return { amountCents: Math.round(price.amountCents * LATE_CANCELLATION_SHARE), currency: price.currency };
}

/** AURA_NO_SHOW_FEE_PERCENT of the agreed price, half-up to the cent. */
export function noShowFee(price: Money, percent: number): Money {
  return { amountCents: Math.round((price.amountCents * percent) / 100), currency: price.currency };
}

/** A patient's cancellation of an accepted session less than 24 hours before it is charged. */
export function isChargeableCancellation(args: {
  previousStatus: string | null;
  cancelledById: string | null;
  patientId: string;
  scheduledAt: Date;
  cancelledAt: Date;
}): boolean {
  return (
    args.previousStatus === 'ACCEPTED' &&
    args.cancelledById === args.patientId &&
    args.scheduledAt.getTime() - args.cancelledAt.getTime() < LATE_CANCELLATION_WINDOW_MS
  );
}
