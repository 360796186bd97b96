import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { Container } from 'inversify';
import type { PubSub } from 'type-graphql';
import type { Settings } from '../../config/env';
import { AURA_MODULES } from '../../config/modules';
import { TokenService } from '../auth';
import { systemClock, type Clock } from '../clock';
import { PLATFORM } from '../container';
import { OutboxEventBus } from '../event-dispatcher';
import type { Logger } from '../logger';
import { defineModule, type AuraModule, type ModuleContext, type ModuleManifestEntry } from '../module';
import { orderModules, registerModules } from '../module-loader';
import { createSubscriptionBus, inProcessBus } from '../pubsub';
import { ServiceRegistry } from '../registry';
import { composeSchema, type Subschema } from './composition';
import { buildModuleSchema } from './module-schema';
import { PlatformResolver } from './platform-api';
import { AccessAuditResolver } from './access-audit-api';
import { PlatformAccessAudit } from '../access-audit';
import { AccessAudit } from '../../contracts/access-audit';
import { EventLog } from '../event-log';
import { RateLimits } from '../rate-limits';
import { References } from '../references';

/** The platform with its modules registered and their subschemas composed; no database yet. */
export interface Gateway extends ModuleContext {
  events: OutboxEventBus;
  /** The PHI access audit; the transports flush each operation's reads with it before answering. */
  accessAudit: PlatformAccessAudit;
  /** The owners' reference resolvers, by type (federation-style entity resolution). */
  references: References;
  modules: AuraModule[];
  subschemas: Subschema[];
  schema: GraphQLSchema;
  pubSub: PubSub;
  /** Closes what the gateway opened (the Redis connections of the PubSub and the rate limits). */
  close(): Promise<void>;
}

export interface GatewayOptions {
  manifest?: ModuleManifestEntry[];
  clock?: Clock;
  pubSub?: PubSub;
}

const PLATFORM_PART: AuraModule = defineModule({ name: 'platform', entities: [], migrations: [], providers: [], resolvers: [PlatformResolver, AccessAuditResolver] });

/** Binds each module's reference resolvers and hands them to the platform, which resolves references by type. */
function registerReferences(modules: AuraModule[], container: Container, references: References): void {
  for (const module of modules) {
    for (const [typename, resolver] of Object.entries(module.references ?? {})) {
      if (!container.isBound(resolver)) container.bind(resolver).toSelf().inSingletonScope();
      references.register(module.name, typename, container.get(resolver));
    }
  }
}

/** Boot, steps 1-3: register the enabled modules in dependency order, build each subschema, compose. */
export async function assembleGateway(settings: Settings, log: Logger, options: GatewayOptions = {}): Promise<Gateway> {
  const container = new Container();
  const registry = new ServiceRegistry(container);
  const subscriptions = options.pubSub ? inProcessBus(options.pubSub) : createSubscriptionBus(settings.redisUrl, log);
  const { pubSub } = subscriptions;
  const events = new OutboxEventBus(log, subscriptions, {
    pollMs: settings.eventPollMs,
    maxAttempts: settings.eventMaxAttempts,
    retryBaseMs: settings.eventRetryBaseMs,
    batchSize: settings.eventBatchSize,
    workers: settings.eventWorkers,
  });
  const tokens = new TokenService(settings.jwtSecret, settings.tokenTtlSeconds);
  const rateLimits = await RateLimits.create(settings.redisUrl, log);
  container.bind(PLATFORM.Settings).toConstantValue(settings);
  container.bind(PLATFORM.Events).toConstantValue(events);
  container.bind(PLATFORM.Tokens).toConstantValue(tokens);
  container.bind(PLATFORM.Log).toConstantValue(log);
  container.bind(PLATFORM.Clock).toConstantValue(options.clock ?? systemClock);
  container.bind(PLATFORM.EventLog).toConstantValue(new EventLog());
  container.bind(PLATFORM.RateLimits).toConstantValue(rateLimits);
  container.bind(PlatformResolver).toSelf().inSingletonScope();
  const accessAudit = new PlatformAccessAudit();
  container.bind(PLATFORM.AccessAudit).toConstantValue(accessAudit);
  container.bind(AccessAuditResolver).toSelf().inSingletonScope();
  const references = new References();
  container.bind(PLATFORM.References).toConstantValue(references);
  // Modules record accesses through the contract, like any service another module offers.
  container.bind(AccessAudit).toConstantValue(accessAudit);

  const close = async () => {
    await Promise.all([subscriptions.close(), rateLimits.close()]);
  };
  const context: ModuleContext = { container, registry, events, settings, tokens, log };
  try {
    const entries = orderModules(options.manifest ?? AURA_MODULES, settings.modulesEnabled);
    const modules = registerModules(entries, context);
    registerReferences(modules, container, references);
    // The platform's own subschema (event log, dead letters) composes like a module's.
    const subschemas: Subschema[] = [{ module: 'platform', schema: await buildModuleSchema(PLATFORM_PART, container, pubSub) }];
    for (const module of modules.filter((m) => m.resolvers.length > 0)) {
      subschemas.push({ module: module.name, schema: await buildModuleSchema(module, container, pubSub) });
    }
    return { ...context, events, accessAudit, references, modules, subschemas, schema: composeSchema(subschemas, references), pubSub, close };
  } catch (error) {
    await close();
    throw error;
  }
}
