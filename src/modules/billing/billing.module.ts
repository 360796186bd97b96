import type { AuraModule } from '../../platform/module';
import { InvoiceResolver } from './adapters/graphql/billing.resolver';
import { SessionInvoiceResolver, UserRateResolver } from './adapters/graphql/extensions.resolver';
import { MikroBillingStore } from './adapters/persistence/mikro-billing-store';
import { BILLING_ENTITIES } from './adapters/persistence/schemas';
import { Billing } from './application/billing';
import { Invoicing } from './application/invoicing';
import { BillingStoreKey } from './application/ports';
import { Migration20261125200000BillingInit } from './migrations/Migration20261125200000BillingInit';

const RESOLVERS = [InvoiceResolver, SessionInvoiceResolver, UserRateResolver];

/**
 * Billing (hexagonal): domain/ (invoice, pricing), application/ (use cases, event handlers, ports),
 * adapters/ (persistence on MikroORM, GraphQL in, domain events in). Learns of sessions from events only.
 */
export const billingModule: AuraModule = {
  name: 'billing',
  entities: BILLING_ENTITIES,
  migrations: [{ name: 'billing/20261125200000_init', class: Migration20261125200000BillingInit }],
  resolvers: RESOLVERS,
  register({ container, events }) {
    container.bind(BillingStoreKey).to(MikroBillingStore).inSingletonScope();
    container.bind(Billing).toSelf().inSingletonScope();
    container.bind(Invoicing).toSelf().inSingletonScope();
    for (const resolver of RESOLVERS) container.bind(resolver).toSelf().inSingletonScope();
    const invoicing = container.get(Invoicing);
    events.subscribe('TherapySessionEnded', 'billing.invoicing', (event, ctx) => invoicing.onSessionEnded(event, ctx));
    events.subscribe('TherapySessionCancelled', 'billing.invoicing', (event, ctx) => invoicing.onSessionCancelled(event, ctx));
  },
};
