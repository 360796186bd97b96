import { inject, injectable } from 'inversify';
import type { Settings } from '../../../config/env';
import type { DomainEvent, EventType } from '../../../contracts/events';
import { PLATFORM } from '../../../platform/container';
import type { HandlerContext } from '../../../platform/events';
import type { StoreOperation } from '../../../platform/store-port';
import { sessionFactOf } from '../models/facts';
import { Pseudonyms } from '../models/pseudonyms';
import { AnalyticsStoreKey, type AnalyticsStore, type FactRepository, type ProjectionName } from './ports';

/** Writes the facts of a run of one projection's events (in order) into a generation. */
type Write = (facts: FactRepository, generation: number, events: readonly DomainEvent[]) => Promise<void>;

/** What each projection does with the events it follows: one place, used by live delivery and by rebuild alike. */
@injectable()
export class ProjectionRules {
  /** The projection each followed event type feeds. */
  readonly routes: ReadonlyMap<EventType, ProjectionName>;
  private readonly writers: Record<ProjectionName, Write>;
  private readonly pseudonyms: Pseudonyms;

  constructor(@inject(PLATFORM.Settings) settings: Settings) {
    this.pseudonyms = new Pseudonyms(settings.analyticsKey);
    const key = (kind: 'therapist' | 'patient' | 'user', id: string) => this.pseudonyms.of(kind, id);
    const session: Write = (facts, g, events) => facts.upsertSessions(g, events.map((e) => sessionFactOf(e as DomainEvent<'TherapySessionEnded'>, key)));
    const invoice: Write = (facts, g, events) =>
      facts.upsertInvoices(
        g,
        events.map((e) => {
          const { invoice: i } = (e as DomainEvent<'InvoiceIssued'>).payload;
          return {
            invoiceId: i.id, patientKey: key('patient', i.patientId), amountCents: i.amountCents, currency: i.currency,
            status: i.status, reason: i.reason, issuedAt: new Date(i.issuedAt), paidAt: i.paidAt ? new Date(i.paidAt) : null,
          };
        }),
      );
    const crisis: Write = (facts, g, events) =>
      facts.addCrises(
        g,
        events.map((e) => ({
          eventId: e.id,
          patientKey: key('patient', (e as DomainEvent<'ChatbotCrisisDetected' | 'ChatbotRiskElevated'>).payload.patientId),
          detectedAt: e.occurredAt,
          level: e.type === 'ChatbotCrisisDetected' ? 'CRISIS' : 'ELEVATED',
        })),
      );
    this.writers = {
      sessions: session,
      invoices: invoice,
      crises: crisis,
      workingHours: (facts, g, events) =>
        facts.addWorkingHours(
          g,
          events.map((e) => {
            const p = (e as DomainEvent<'TherapistWorkingHoursSet'>).payload;
            return { eventId: e.id, therapistId: p.therapistId, validFrom: e.occurredAt, hours: p.hours, timezone: p.timezone };
          }),
        ),
      registrations: (facts, g, events) =>
        facts.addRegistrations(
          g,
          events.map((e) => {
            const p = (e as DomainEvent<'UserRegistered'>).payload;
            return { userKey: key('user', p.userId), role: p.role, source: p.source, registeredAt: e.occurredAt };
          }),
        ),
    };
    const routes = new Map<EventType, ProjectionName>();
    for (const type of SESSION_EVENTS) routes.set(type, 'sessions');
    for (const type of INVOICE_EVENTS) routes.set(type, 'invoices');
    for (const type of RISK_EVENTS) routes.set(type, 'crises');
    routes.set('TherapistWorkingHoursSet', 'workingHours');
    routes.set('UserRegistered', 'registrations');
    this.routes = routes;
  }

  therapistKey(therapistId: string): string {
    return this.pseudonyms.of('therapist', therapistId);
  }

  /**
   * Writes the events (in order) that each generation must apply, projection by projection: the
   * same writes for live delivery and rebuild. `applies(projection, events)` marks the events applied
   * and names, per generation, the ids it had not applied yet.
   */
  async write(
    facts: FactRepository,
    events: readonly DomainEvent[],
    applies: (projection: ProjectionName, events: readonly DomainEvent[]) => Promise<Map<number, Set<string>>>,
  ): Promise<void> {
    const byProjection = new Map<ProjectionName, DomainEvent[]>();
    for (const event of events) {
      const projection = this.routes.get(event.type);
      if (projection) byProjection.set(projection, [...(byProjection.get(projection) ?? []), event]);
    }
    for (const [projection, list] of byProjection) {
      for (const [generation, ids] of await applies(projection, list)) {
        const due = list.filter((e) => ids.has(e.id));
        if (due.length > 0) await this.writers[projection](facts, generation, due);
      }
    }
  }
}

export const SESSION_EVENTS = ['Scheduled', 'Accepted', 'Rejected', 'Started', 'Ended', 'Cancelled', 'NoShow'].map((t) => `TherapySession${t}` as EventType);
export const INVOICE_EVENTS: EventType[] = ['InvoiceIssued', 'InvoicePaid', 'InvoiceVoided'];
export const RISK_EVENTS: EventType[] = ['ChatbotCrisisDetected', 'ChatbotRiskElevated'];

/**
 * Applies a run of delivered events, exactly once: the projection's checkpoint row is locked, the
 * events are marked applied per generation (a redelivery finds its mark and changes nothing), the
 * facts are written and the checkpoint advanced to the last, all in the delivery's transaction.
 * During a rebuild the events also go into the generation being built.
 */
@injectable()
export class ProjectionWriter {
  constructor(
    @inject(AnalyticsStoreKey) private readonly store: AnalyticsStore,
    @inject(ProjectionRules) private readonly rules: ProjectionRules,
  ) {}

  async apply(op: StoreOperation, events: readonly DomainEvent[]): Promise<void> {
    await this.store.transaction(op, ({ checkpoints, facts }) => this.rules.write(facts, events, (projection, list) => checkpoints.claim(projection, list)));
  }
}

/** Session lifecycle events: facts per session (subscriber analytics.sessionProjection). */
@injectable()
export class SessionProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onSessionEvents(events: DomainEvent[], ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, events);
  }
}

/** Invoice events: facts per invoice. */
@injectable()
export class InvoiceProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onInvoiceEvents(events: DomainEvent[], ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, events);
  }
}

/** Chatbot crisis detections and elevated risk: one fact each, the patient as a pseudonym only. */
@injectable()
export class CrisisProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onRiskEvents(events: DomainEvent[], ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, events);
  }
}

/** Registrations: role and source per new account. */
@injectable()
export class RegistrationProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onRegistrations(events: DomainEvent[], ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, events);
  }
}

/** Therapists' weekly hours as they change: the history behind available hours. */
@injectable()
export class WorkingHoursProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onWorkingHoursSet(events: DomainEvent[], ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, events);
  }
}

/** The subscriber (and so the delivery rows) behind each projection. */
export const SUBSCRIBER_OF: Record<ProjectionName, string> = {
  sessions: 'analytics.sessionProjection',
  invoices: 'analytics.invoiceProjection',
  crises: 'analytics.crisisProjection',
  registrations: 'analytics.registrationProjection',
  workingHours: 'analytics.workingHoursProjection',
};
