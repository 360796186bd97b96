import { SessionPricingToken } from '../../contracts/billing';
import type { AuraModule } from '../../platform/module';
import { InvoiceResolver } from './adapters/graphql/billing.resolver';
import { SessionInvoiceResolver, UserRateResolver } from './adapters/graphql/extensions.resolver';
import { MikroBillingStore } from './adapters/persistence/mikro-billing-store';
import { BILLING_ENTITIES } from './adapters/persistence/schemas';
import { Billing } from './application/billing';
import { Invoicing } from './application/invoicing';
import { BillingStoreKey } from './application/ports';
import { Migration20261125200000BillingInit } from './migrations/Migration20261125200000BillingInit';
import { Migration20261129140100BillingNoShow } from './migrations/Migration20261129140100BillingNoShow';

const RESOLVERS = [InvoiceResolver, SessionInvoiceResolver, UserRateResolver];

/**
 * Billing (hexagonal): domain/ (invoice, pricing), application/ (use cases, event handlers, ports),
 * adapters/ (persistence on MikroORM, GraphQL in, domain events in). Learns of sessions from events; offers SessionPricing so a booking fixes its price.
 */
export const billingModule: AuraModule = {
  name: 'billing',
  entities: BILLING_ENTITIES,
  migrations: [
    { name: 'billing/20261125200000_init', class: Migration20261125200000BillingInit },
    { name: 'billing/20261129140100_no_show', class: Migration20261129140100BillingNoShow },
  ],
  resolvers: RESOLVERS,
  references: { Invoice: Billing },
  register({ container, events, registry }) {
    container.bind(BillingStoreKey).to(MikroBillingStore).inSingletonScope();
    container.bind(Billing).toSelf().inSingletonScope();
    container.bind(Invoicing).toSelf().inSingletonScope();
    for (const resolver of RESOLVERS) container.bind(resolver).toSelf().inSingletonScope();
    const billing = container.get(Billing);
    // Mentalhealth asks for the price when a session is booked, through the contract (it never imports billing).
    registry.provide(SessionPricingToken, { priceFor: (op, therapistId, minutes) => billing.priceFor(op, therapistId, minutes) });
    const invoicing = container.get(Invoicing);
    events.subscribe('TherapySessionEnded', 'billing.invoicing', (event, ctx) => invoicing.onSessionEnded(event, ctx));
    events.subscribe('TherapySessionCancelled', 'billing.invoicing', (event, ctx) => invoicing.onSessionCancelled(event, ctx));
    events.subscribe('TherapySessionNoShow', 'billing.invoicing', (event, ctx) => invoicing.onSessionNoShow(event, ctx));
  },
};
