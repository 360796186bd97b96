import type { AuraModule, ModuleContext, ModuleManifestEntry } from './module';

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

/** Loads and registers each module in order, then checks it provided what the manifest promises. */
export function registerModules(entries: ModuleManifestEntry[], ctx: ModuleContext): AuraModule[] {
  return entries.map((entry) => {
    const module = entry.load();
    if (module.name !== entry.name) {
      throw new ModuleBootError(`Manifest entry "${entry.name}" loaded a module named "${module.name}"`);
    }
    module.register(ctx);
    for (const token of entry.provides) {
      if (!ctx.registry.has(token)) {
        throw new ModuleBootError(`Module "${entry.name}" declares it provides ${token.name} but did not register it`);
      }
    }
    return module;
  });
}
