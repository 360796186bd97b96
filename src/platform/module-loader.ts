import type { Container, Newable } from 'inversify';
import { keyName } from './registry';
import { subscriberName, type AuraModule, type ModuleContext, type ModuleManifestEntry } from './module';

export class ModuleBootError extends Error {}

/**
 * The enabled modules in dependency order (dependencies first, manifest order otherwise).
 * Fails, naming the module, on an unknown name, a missing or disabled dependency, or a cycle.
 */
export function orderModules(manifest: ModuleManifestEntry[], enabled?: string[]): ModuleManifestEntry[] {
  const byName = new Map(manifest.map((entry) => [entry.name, entry]));
  const wanted = enabled ?? manifest.map((entry) => entry.name);
  for (const name of wanted) {
    if (!byName.has(name)) throw new ModuleBootError(`Unknown module "${name}" in AURA_MODULES_ENABLED`);
  }
  const enabledSet = new Set(wanted);
  const ordered: ModuleManifestEntry[] = [];
  const state = new Map<string, 'visiting' | 'done'>();

  const visit = (entry: ModuleManifestEntry, path: string[]): void => {
    if (state.get(entry.name) === 'done') return;
    if (state.get(entry.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(entry.name)), entry.name];
      throw new ModuleBootError(`Module dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(entry.name, 'visiting');
    for (const dependency of entry.dependsOn) {
      const target = byName.get(dependency);
      if (!target) {
        throw new ModuleBootError(`Module "${entry.name}" depends on "${dependency}", which is not in the manifest`);
      }
      if (!enabledSet.has(dependency)) {
        throw new ModuleBootError(`Module "${entry.name}" depends on "${dependency}", which is not enabled`);
      }
      visit(target, [...path, entry.name]);
    }
    state.set(entry.name, 'done');
    ordered.push(entry);
  };

  for (const entry of manifest) if (enabledSet.has(entry.name)) visit(entry, []);
  return ordered;
}

/** Every class a module names, once, wherever it names it: each is bound as a singleton. */
function classesOf(module: AuraModule): Newable<unknown>[] {
  return [
    ...new Set([
      ...module.providers,
      ...module.resolvers,
      ...Object.values(module.references ?? {}),
      ...(module.ports ?? []).map((p) => p.implementation),
      ...(module.provides ?? []).map((p) => p.implementation),
      ...(module.contributes ?? []).map((p) => p.implementation),
      ...(module.handlers ?? []).map((h) => h.handler),
      ...(module.jobs ?? []).map((j) => j.handler),
    ]),
  ];
}

/** The missing service inversify names ("No bindings found for service: Symbol(aura.X)" or "...: \"Class\""), if that is the error. */
function missingServiceIn(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return /No bindings found for service: "?(?:Symbol\(aura\.)?([^")\n]+)/.exec(message)?.[1];
}

/** Instantiates every class of the module now, so a missing contract fails the boot, not a request. */
function resolveAll(module: AuraModule, container: Container): void {
  for (const target of classesOf(module)) {
    try {
      container.get(target);
    } catch (error) {
      const missing = missingServiceIn(error);
      // Anything else (a constructor that throws) is the class's own error, passed on as it is.
      if (!missing) throw error;
      throw new ModuleBootError(`Module "${module.name}": ${target.name} needs ${missing}, which is neither a class of the module nor a contract an enabled module provides`);
    }
  }
}

/**
 * Boot: binds the parts of every module in order (classes as singletons, contract keys to their
 * providers, contributions, reference resolvers), then builds every class, subscribes the event
 * handlers and schedules the jobs. Binding all before building any lets a class depend on a
 * contract of a module later in the order (mentalhealth asks billing's SessionPricing at booking).
 */
export function registerModules(entries: ModuleManifestEntry[], ctx: ModuleContext): AuraModule[] {
  const modules = entries.map((entry) => {
    const module = entry.load();
    if (module.name !== entry.name) {
      throw new ModuleBootError(`Manifest entry "${entry.name}" loaded a module named "${module.name}"`);
    }
    for (const target of classesOf(module)) ctx.container.bind(target).toSelf().inSingletonScope();
    for (const { key, implementation } of module.provides ?? []) {
      if (ctx.registry.has(key)) throw new ModuleBootError(`Module "${module.name}" provides ${keyName(key)}, which another module already provides`);
      ctx.registry.provide(key, implementation);
    }
    for (const { key, implementation } of module.ports ?? []) ctx.container.bind(key).toService(implementation);
    for (const { key, implementation } of module.contributes ?? []) ctx.registry.contribute(key, implementation);
    return module;
  });
  for (const module of modules) {
    resolveAll(module, ctx.container);
    for (const { types, handler, method, runs } of module.handlers ?? []) {
      const instance = ctx.container.get(handler) as Record<PropertyKey, (...args: unknown[]) => Promise<void>>;
      const subscriber = subscriberName(module.name, handler);
      if (runs) ctx.events.subscribeBatch(types, subscriber, (events, handlerCtx) => instance[method](events, handlerCtx));
      else for (const type of types) ctx.events.subscribe(type, subscriber, (event, handlerCtx) => instance[method](event, handlerCtx));
    }
    for (const { name, handler, method } of module.jobs ?? []) {
      const instance = ctx.container.get(handler) as Record<PropertyKey, (...args: unknown[]) => Promise<unknown>>;
      ctx.events.every(name, (op) => instance[method](op));
    }
  }
  return modules;
}
