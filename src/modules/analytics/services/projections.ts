import { inject, injectable } from 'inversify';
import type { Settings } from '../../../config/env';
import type { DomainEvent, EventType } from '../../../contracts/events';
import { PLATFORM } from '../../../platform/container';
import type { HandlerContext } from '../../../platform/events';
import type { StoreOperation } from '../../../platform/store-port';
import { sessionFactOf } from '../models/facts';
import { Pseudonyms } from '../models/pseudonyms';
import { AnalyticsStoreKey, type AnalyticsStore, type FactRepository, type ProjectionName } from './ports';

type Write = (facts: FactRepository, generation: number, event: DomainEvent) => Promise<void>;

/** What each projection does with each event it follows: one place, used by live delivery and by rebuild alike. */
@injectable()
export class ProjectionRules {
  readonly routes: ReadonlyMap<EventType, { projection: ProjectionName; write: Write }>;
  private readonly pseudonyms: Pseudonyms;

  constructor(@inject(PLATFORM.Settings) settings: Settings) {
    this.pseudonyms = new Pseudonyms(settings.analyticsKey);
    const key = (kind: 'therapist' | 'patient' | 'user', id: string) => this.pseudonyms.of(kind, id);
    const session: Write = (facts, g, e) => facts.upsertSession(g, sessionFactOf(e as DomainEvent<'TherapySessionEnded'>, key));
    const invoice: Write = (facts, g, e) => {
      const { invoice: i } = (e as DomainEvent<'InvoiceIssued'>).payload;
      return facts.upsertInvoice(g, {
        invoiceId: i.id, patientKey: key('patient', i.patientId), amountCents: i.amountCents, currency: i.currency,
        status: i.status, reason: i.reason, issuedAt: new Date(i.issuedAt), paidAt: i.paidAt ? new Date(i.paidAt) : null,
      });
    };
    const routes = new Map<EventType, { projection: ProjectionName; write: Write }>();
    for (const type of ['Scheduled', 'Accepted', 'Rejected', 'Started', 'Ended', 'Cancelled', 'NoShow'] as const) {
      routes.set(`TherapySession${type}`, { projection: 'sessions', write: session });
    }
    for (const type of ['InvoiceIssued', 'InvoicePaid', 'InvoiceVoided'] as const) routes.set(type, { projection: 'invoices', write: invoice });
    routes.set('ChatbotCrisisDetected', {
      projection: 'crises',
      write: (facts, g, e) => facts.addCrisis(g, e.id, key('patient', (e as DomainEvent<'ChatbotCrisisDetected'>).payload.patientId), e.occurredAt, 'CRISIS'),
    });
    routes.set('ChatbotRiskElevated', {
      projection: 'crises',
      write: (facts, g, e) => facts.addCrisis(g, e.id, key('patient', (e as DomainEvent<'ChatbotRiskElevated'>).payload.patientId), e.occurredAt, 'ELEVATED'),
    });
    routes.set('TherapistWorkingHoursSet', {
      projection: 'workingHours',
      write: (facts, g, e) => {
        const p = (e as DomainEvent<'TherapistWorkingHoursSet'>).payload;
        return facts.addWorkingHours(g, e.id, { therapistId: p.therapistId, validFrom: e.occurredAt, hours: p.hours, timezone: p.timezone });
      },
    });
    routes.set('UserRegistered', {
      projection: 'registrations',
      write: (facts, g, e) => {
        const p = (e as DomainEvent<'UserRegistered'>).payload;
        return facts.addRegistration(g, key('user', p.userId), p.role, p.source, e.occurredAt);
      },
    });
    this.routes = routes;
  }

  therapistKey(therapistId: string): string {
    return this.pseudonyms.of('therapist', therapistId);
  }
}

/**
 * Applies one delivered event, exactly once: the projection's row is locked, the event is marked
 * applied per generation (a redelivery finds its mark and changes nothing), the facts are written and
 * the checkpoint advanced, all in the delivery's transaction. During a rebuild the event also goes
 * into the generation being built.
 */
@injectable()
export class ProjectionWriter {
  constructor(
    @inject(AnalyticsStoreKey) private readonly store: AnalyticsStore,
    @inject(ProjectionRules) private readonly rules: ProjectionRules,
  ) {}

  async apply(op: StoreOperation, event: DomainEvent): Promise<void> {
    const route = this.rules.routes.get(event.type);
    if (!route) return;
    await this.store.transaction(op, async ({ checkpoints, facts }) => {
      for (const generation of await checkpoints.claim(route.projection, event.id, event.occurredAt)) await route.write(facts, generation, event);
    });
  }
}

/** Session lifecycle events: facts per session (subscriber analytics.sessionProjection). */
@injectable()
export class SessionProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onSessionEvent(event: DomainEvent, ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, event);
  }
}

/** Invoice events: facts per invoice. */
@injectable()
export class InvoiceProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onInvoiceEvent(event: DomainEvent, ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, event);
  }
}

/** Chatbot crisis detections: one fact each, the patient as a pseudonym only. */
@injectable()
export class CrisisProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onCrisis(event: DomainEvent, ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, event);
  }
}

/** Registrations: role and source per new account. */
@injectable()
export class RegistrationProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onRegistered(event: DomainEvent, ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, event);
  }
}

/** Therapists' weekly hours as they change: the history behind available hours. */
@injectable()
export class WorkingHoursProjection {
  constructor(@inject(ProjectionWriter) private readonly writer: ProjectionWriter) {}
  onWorkingHoursSet(event: DomainEvent, ctx: HandlerContext): Promise<void> {
    return this.writer.apply(ctx, event);
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
