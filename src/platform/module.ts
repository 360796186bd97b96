import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import type { Container, Newable } from 'inversify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Settings } from '../config/env';
import type { DomainEvent, EventType } from '../contracts/events';
import type { TokenService } from './auth';
import type { OperationContext } from './context';
import type { EventBus, HandlerContext } from './events';
import type { Logger } from './logger';
import type { ServiceKey, ServiceRegistry } from './registry';
import type { ReferenceResolver } from './references';

export type ModuleArchitecture = 'layered' | 'clean' | 'hexagonal';

/** One line of the manifest (src/config/modules.ts): the order and dependencies of modules, nothing else. */
export interface ModuleManifestEntry {
  name: string;
  /** Checked by test/modules/architecture.test.ts: each label has import rules. */
  architecture: ModuleArchitecture;
  dependsOn: string[];
  load(): AuraModule;
}

/** The platform services a module's start() may use. */
export interface ModuleContext {
  container: Container;
  registry: ServiceRegistry;
  events: EventBus;
  settings: Settings;
  tokens: TokenService;
  log: Logger;
}

/** A contract service a module offers: the key (src/contracts) and the provider class that implements it. */
export interface Provision<T = unknown> {
  readonly key: ServiceKey<T>;
  readonly implementation: Newable<T>;
}

export function provide<T>(key: ServiceKey<T>, implementation: Newable<T>): Provision<T> {
  return { key, implementation };
}

type MethodOf<C, A extends unknown[]> = { [M in keyof C]: C[M] extends (...args: A) => Promise<unknown> ? M : never }[keyof C];

/** Events a module consumes: the types, the provider class and its method (per event, or per run of events). */
export interface EventHandling {
  readonly types: readonly EventType[];
  readonly handler: Newable<unknown>;
  readonly method: PropertyKey;
  /** The method takes runs of events (BatchEventHandler), not one event. */
  readonly runs: boolean;
}

export function handle<T extends EventType, C>(
  type: T,
  handler: Newable<C>,
  method: MethodOf<C, [DomainEvent<T>, HandlerContext]>,
): EventHandling {
  return { types: [type], handler, method, runs: false };
}

/**
 * Events of these types delivered to the method in runs: a dispatcher batch's due events, in
 * sequence order, in one savepoint (see BatchEventHandler). The class's deliveries are one subscriber.
 */
export function handleRuns<C>(types: readonly EventType[], handler: Newable<C>, method: MethodOf<C, [DomainEvent[], HandlerContext]>): EventHandling {
  return { types, handler, method, runs: true };
}

/** Work a module runs on the dispatcher's schedule (see EventBus.every). */
export interface ScheduledJob {
  readonly name: string;
  readonly handler: Newable<unknown>;
  readonly method: PropertyKey;
}

export function every<C>(name: string, handler: Newable<C>, method: MethodOf<C, [OperationContext]>): ScheduledJob {
  return { name, handler, method };
}

/** Everything a module is made of, each part listed once; see ARCHITECTURE.md ("The module kit"). */
export interface ModuleDefinition {
  /** Its key in AURA_MODULES and the name of its PostgreSQL schema. */
  name: string;
  /** MikroORM entity classes or EntitySchemas it owns. */
  entities: Array<Function | EntitySchema>;
  /** Its migrations, oldest first; names are prefixed with the module name (`npm run migration:new`). */
  migrations: MigrationObject[];
  /**
   * Its constructor-injected classes (singletons): use cases, stores. A class named in another part
   * (provides, handlers, references...) need not be listed here too.
   */
  providers: Newable<unknown>[];
  /** type-graphql resolver classes: they make up its subschema (none: no subschema). */
  resolvers: Newable<unknown>[];
  /** Its own ports (application-side keys) and the adapters that implement them; module-internal. */
  ports?: Provision[];
  /** Contract services it offers other modules, each implemented by one of its providers. */
  provides?: Provision[];
  /** Its rules added to other modules' extension points (e.g. TherapistVisibility). */
  contributes?: Provision[];
  /** The events it consumes; the subscriber name `<module>.<handler class>` keys their deliveries. */
  handlers?: EventHandling[];
  /** Periodic work on the dispatcher's schedule. */
  jobs?: ScheduledJob[];
  /**
   * The entity types it owns that other modules return as references (`{ __typename, id }`), by
   * GraphQL type name: the class resolves them in batches with the module's own access rule.
   */
  references?: Record<string, Newable<ReferenceResolver<unknown>>>;
  /** Runs once the database is migrated, before the server listens (e.g. bootstrap data). */
  start?(ctx: ModuleContext & { orm: MikroORM }): Promise<void>;
}

/** What the platform boots: a module definition. */
export type AuraModule = Readonly<ModuleDefinition>;

/** Declares a module; the platform binds, checks and wires its parts (src/platform/module-loader.ts). */
export function defineModule(definition: ModuleDefinition): AuraModule {
  return Object.freeze({ ...definition });
}

/** The name under which a handler class's deliveries are kept: `billing.invoicing` for Invoicing. */
export function subscriberName(module: string, handler: Newable<unknown>): string {
  return `${module}.${handler.name.charAt(0).toLowerCase()}${handler.name.slice(1)}`;
}
