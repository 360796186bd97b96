import { SessionPricing } from '../../contracts/billing';
import { defineModule, handle, provide } from '../../platform/module';
import { InvoiceResolver } from './adapters/graphql/billing.resolver';
import { SessionInvoiceResolver, UserRateResolver } from './adapters/graphql/extensions.resolver';
import { MikroBillingStore } from './adapters/persistence/mikro-billing-store';
import { BILLING_ENTITIES } from './adapters/persistence/schemas';
import { Billing } from './application/billing';
import { Invoicing } from './application/invoicing';
import { BillingStoreKey } from './application/ports';
import { Migration20261125200000BillingInit } from './migrations/Migration20261125200000BillingInit';
import { Migration20261129140100BillingNoShow } from './migrations/Migration20261129140100BillingNoShow';

/**
 * Billing (hexagonal: adapters -> application -> domain): invoices and therapists' rates. Learns of
 * sessions from events; offers SessionPricing so a booking fixes its price.
 */
export const billingModule = defineModule({
  name: 'billing',
  entities: BILLING_ENTITIES,
  migrations: [
    { name: 'billing/20261125200000_init', class: Migration20261125200000BillingInit },
    { name: 'billing/20261129140100_no_show', class: Migration20261129140100BillingNoShow },
  ],
  providers: [],
  resolvers: [InvoiceResolver, SessionInvoiceResolver, UserRateResolver],
  ports: [provide(BillingStoreKey, MikroBillingStore)],
  // Mentalhealth asks for the price when a session is booked, through the contract (it never imports billing).
  provides: [provide(SessionPricing, Billing)],
  // Invoices other modules return (e.g. a future Node lookup) are resolved here, with billing's access rule.
  references: { Invoice: Billing },
  handlers: [
    handle('TherapySessionEnded', Invoicing, 'onSessionEnded'),
    handle('TherapySessionCancelled', Invoicing, 'onSessionCancelled'),
    handle('TherapySessionNoShow', Invoicing, 'onSessionNoShow'),
  ],
});
