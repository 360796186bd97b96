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

export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  /** The id of the entity the event is about (its aggregate). */
  aggregateId: string;
  occurredAt: Date;
  payload: AuraEventMap[T];
}
