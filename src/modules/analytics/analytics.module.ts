import { createOperationContext } from '../../platform/context';
import { defineModule, every, handleRuns } from '../../platform/module';
import { provide } from '../../platform/module';
import { AnalyticsResolver } from './api/analytics.resolver';
import { Migration20261206235128AnalyticsInit } from './migrations/Migration20261206235128AnalyticsInit';
import { Migration20261207020000AnalyticsHoursRisk } from './migrations/Migration20261207020000AnalyticsHoursRisk';
import { Migration20261208000000AnalyticsDistribution } from './migrations/Migration20261208000000AnalyticsDistribution';
import { SqlAnalyticsStore } from './services/analytics-store';
import { AnalyticsStoreKey } from './services/ports';
import {
  CrisisProjection, INVOICE_EVENTS, InvoiceProjection, ProjectionRules, ProjectionWriter, RegistrationProjection, RISK_EVENTS, SESSION_EVENTS, SessionProjection, WorkingHoursProjection,
} from './services/projections';
import { AnalyticsQueries } from './services/queries';
import { Rebuilder } from './services/rebuild';

/**
 * Analytics (layered: api -> services -> models): read models fed by the outbox, each event applied
 * exactly once per projection; de-identified aggregates for analysts and admins. Reads no other
 * module's tables: only its own schema and the platform's outbox.
 */
export const analyticsModule = defineModule({
  name: 'analytics',
  entities: [],
  migrations: [
    { name: 'analytics/20261206235128_init', class: Migration20261206235128AnalyticsInit },
    { name: 'analytics/20261207020000_hours_risk', class: Migration20261207020000AnalyticsHoursRisk },
    { name: 'analytics/20261208000000_distribution', class: Migration20261208000000AnalyticsDistribution },
  ],
  providers: [ProjectionRules, ProjectionWriter, AnalyticsQueries, Rebuilder],
  resolvers: [AnalyticsResolver],
  ports: [provide(AnalyticsStoreKey, SqlAnalyticsStore)],
  // Each projection takes the dispatcher's batches as runs: a few set-based statements and one checkpoint update per run.
  handlers: [
    handleRuns(SESSION_EVENTS, SessionProjection, 'onSessionEvents'),
    handleRuns(INVOICE_EVENTS, InvoiceProjection, 'onInvoiceEvents'),
    handleRuns(RISK_EVENTS, CrisisProjection, 'onRiskEvents'),
    handleRuns(['TherapistWorkingHoursSet'], WorkingHoursProjection, 'onWorkingHoursSet'),
    handleRuns(['UserRegistered'], RegistrationProjection, 'onRegistrations'),
  ],
  // A requested rebuild advances a step per poll, in the dispatcher's job loop (stopped with it).
  jobs: [every('analytics.rebuild', Rebuilder, 'step')],
  // An outbox older than the projections (deployed before analytics) is replayed in the background.
  async start({ container, orm, log }) {
    const op = createOperationContext({ requestId: 'analytics:catch-up', viewer: null, clientAddress: null, em: orm.em.fork(), log });
    if (await container.get(Rebuilder).catchUp(op)) log.info('analytics: building the projections from the existing outbox while serving');
  },
});
