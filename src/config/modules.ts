import { SessionPricingToken } from '../contracts/billing';
import { TherapySessionDirectoryToken } from '../contracts/mentalhealth';
import { AccountStandingsToken, UserDirectoryToken } from '../contracts/users';
import type { ModuleManifestEntry } from '../platform/module';

/**
 * AURA_MODULES: the source of truth for which modules exist, how each is built, what it
 * needs and what it offers. Boot loads the enabled ones (AURA_MODULES_ENABLED) in
 * dependency order and checks every promise made here.
 */
export const AURA_MODULES: ModuleManifestEntry[] = [
  {
    name: 'users',
    architecture: 'layered',
    dependsOn: [],
    provides: [UserDirectoryToken, AccountStandingsToken],
    load: () => require('../modules/users/users.module').usersModule,
  },
  {
    name: 'mentalhealth',
    architecture: 'clean',
    dependsOn: ['users'],
    provides: [TherapySessionDirectoryToken],
    load: () => require('../modules/mentalhealth/mentalhealth.module').mentalhealthModule,
  },
  {
    name: 'billing',
    architecture: 'hexagonal',
    dependsOn: ['users', 'mentalhealth'],
    // SessionPricing is called by mentalhealth at booking time, resolved then (not at registration): no cycle.
    provides: [SessionPricingToken],
    load: () => require('../modules/billing/billing.module').billingModule,
  },
];
