import type { InvoiceChange } from './billing';
import type { ChatbotCrisisDetectedPayload, ChatbotRiskElevatedPayload, TherapistWorkingHoursSetPayload, TherapySessionChange } from './mentalhealth';
import type { UserAccountChangedPayload, UserRegisteredPayload } from './users';

/**
 * Every domain event a module publishes, by type, with its payload. Publishing and
 * subscribing are typed against this map, so a renamed field breaks the build.
 */
export interface AuraEventMap {
  UserRegistered: UserRegisteredPayload;
  UserAccountChanged: UserAccountChangedPayload;
  TherapySessionScheduled: TherapySessionChange;
  TherapySessionAccepted: TherapySessionChange;
  TherapySessionRejected: TherapySessionChange;
  TherapySessionStarted: TherapySessionChange;
  TherapySessionEnded: TherapySessionChange;
  TherapySessionCancelled: TherapySessionChange;
  TherapySessionNoShow: TherapySessionChange;
  ChatbotCrisisDetected: ChatbotCrisisDetectedPayload;
  ChatbotRiskElevated: ChatbotRiskElevatedPayload;
  TherapistWorkingHoursSet: TherapistWorkingHoursSetPayload;
  InvoiceIssued: InvoiceChange;
  InvoicePaid: InvoiceChange;
  InvoiceVoided: InvoiceChange;
}

export type EventType = keyof AuraEventMap;

/** What each event means, for the operator API's DomainEventKind enum: a new event type needs its words here. */
export const EVENT_DESCRIPTIONS: Readonly<Record<EventType, string>> = {
  UserRegistered: 'An account was created (by registration or by an admin); aggregateId is the user id',
  UserAccountChanged: "A user's role, active state or password changed: their sockets close; aggregateId is the user id",
  TherapySessionScheduled: 'A session was booked or proposed (PENDING); aggregateId is the session id',
  TherapySessionAccepted: 'A session was accepted (ACCEPTED)',
  TherapySessionRejected: 'The therapist rejected a session (REJECTED)',
  TherapySessionStarted: 'The therapist started a session (IN_PROGRESS)',
  TherapySessionEnded: 'The therapist ended a session (COMPLETED); billing invoices it',
  TherapySessionCancelled: 'A session was cancelled (CANCELLED); billing may charge a late cancellation',
  TherapySessionNoShow: 'An accepted session passed its planned end without a start (NO_SHOW); billing charges the no-show fee',
  ChatbotCrisisDetected: "A patient's chatbot message showed crisis risk; the therapists in a care relationship are alerted; aggregateId is the interaction id",
  ChatbotRiskElevated: "A patient's chatbot message showed elevated (not crisis) risk; ids only, for the analytics trend; aggregateId is the interaction id",
  TherapistWorkingHoursSet: "A therapist replaced their weekly working hours (with their time zone); analytics derives available hours; aggregateId is the therapist's user id",
  InvoiceIssued: 'An invoice was issued (OPEN); aggregateId is the invoice id',
  InvoicePaid: 'An invoice was paid (PAID)',
  InvoiceVoided: 'An admin voided an invoice (VOID)',
};

export interface DomainEvent<T extends EventType = EventType> {
  /** Its outbox sequence number, once recorded: the cursor of the live event made from it. */
  seq?: string;
  id: string;
  type: T;
  /** The id of the entity the event is about (its aggregate). */
  aggregateId: string;
  occurredAt: Date;
  payload: AuraEventMap[T];
}
