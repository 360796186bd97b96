import type { ModuleManifestEntry } from '../platform/module';

/**
 * AURA_MODULES: which modules exist, the architecture each follows (checked by a test) and what
 * each depends on. Boot loads the enabled ones (AURA_MODULES_ENABLED) in dependency order; each
 * module's definition (its *.module.ts, made with defineModule) names its parts.
 */
export const AURA_MODULES: ModuleManifestEntry[] = [
  {
    name: 'users',
    architecture: 'layered',
    dependsOn: [],
    load: () => require('../modules/users/users.module').usersModule,
  },
  {
    name: 'mentalhealth',
    architecture: 'clean',
    dependsOn: ['users'],
    load: () => require('../modules/mentalhealth/mentalhealth.module').mentalhealthModule,
  },
  {
    name: 'billing',
    architecture: 'hexagonal',
    // mentalhealth calls billing's SessionPricing at booking time; bindings come before building, so no cycle.
    dependsOn: ['users', 'mentalhealth'],
    load: () => require('../modules/billing/billing.module').billingModule,
  },
  {
    name: 'analytics',
    architecture: 'layered',
    // Learns everything from the outbox; calls no other module.
    dependsOn: [],
    load: () => require('../modules/analytics/analytics.module').analyticsModule,
  },
];
