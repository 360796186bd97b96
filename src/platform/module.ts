import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import type { Container } from 'inversify';
import type { Settings } from '../config/env';
import type { EventBus } from './events';
import type { Logger } from './logger';
import type { ServiceRegistry, ServiceToken } from './registry';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TokenService } from './auth';
import type { ReferenceResolver } from './references';

export type ModuleArchitecture = 'layered' | 'clean' | 'hexagonal';

/** One line of the manifest (src/config/modules.ts): what the platform knows before loading. */
export interface ModuleManifestEntry {
  name: string;
  architecture: ModuleArchitecture;
  dependsOn: string[];
  /** Services this module must register in the registry; boot checks it did. */
  provides: ServiceToken<unknown>[];
  load(): AuraModule;
}

/** The platform services a module may use while registering. */
export interface ModuleContext {
  container: Container;
  registry: ServiceRegistry;
  events: EventBus;
  settings: Settings;
  tokens: TokenService;
  log: Logger;
}

/** What a module hands the platform; see ARCHITECTURE.md. */
export interface AuraModule {
  name: string;
  /** MikroORM entity classes or EntitySchemas this module owns. */
  entities: Array<Function | EntitySchema>;
  /** This module's migrations, oldest first; names are prefixed with the module name. */
  migrations: MigrationObject[];
  /** type-graphql resolver classes; they make up this module's subschema (none: no subschema). */
  resolvers: Function[];
  /**
   * The resolver of references to each GraphQL type this module owns, by type name (Apollo
   * Federation's `__resolveReference`): batch, with the owner's access rule. The platform binds the classes.
   */
  references?: Record<string, new (...args: any[]) => ReferenceResolver<unknown>>;
  /** Binds services and resolvers, provides contract services, subscribes to events. */
  register(ctx: ModuleContext): void;
  /** Runs once the database is migrated, before the server listens (e.g. bootstrap data). */
  start?(ctx: ModuleContext & { orm: MikroORM }): Promise<void>;
}
