import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** The specifier of an IMPORT match: `from '…'`, `require('…')`, `import('…')` or a bare `import '…'`. */
const specifierOf = (match: RegExpMatchArray) => match[1] ?? match[2] ?? match[3] ?? match[4];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The module a path under src/ belongs to, or undefined for platform, contracts, config. */
function moduleOf(srcRoot: string, path: string): string | undefined {
  const parts = relative(srcRoot, path).split(sep);
  return parts[0] === 'modules' ? parts[1] : undefined;
}

/**
 * Imports that cross a module boundary: a file of module A importing module B, or a file of
 * platform/ or contracts/ importing any module. Only the manifest (config/) may name modules.
 */
export function findBoundaryViolations(srcRoot: string): string[] {
  const violations: string[] = [];
  for (const file of files(srcRoot)) {
    const from = relative(srcRoot, file).split(sep).join('/');
    if (from.startsWith('config/') || from.startsWith('scripts/') || from === 'main.ts') continue;
    const own = moduleOf(srcRoot, file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = specifierOf(match);
      if (!specifier.startsWith('.')) continue;
      const target = moduleOf(srcRoot, resolve(dirname(file), specifier));
      if (target && target !== own) violations.push(`${from} imports ${specifier} (module "${target}")`);
    }
  }
  return violations.sort();
}

/** The frameworks a domain/ folder must not reach (ARCHITECTURE.md): packages and their subpaths. */
const FRAMEWORKS = ['graphql', 'type-graphql', '@mikro-orm', 'inversify', 'express', '@apollo'];

const isFramework = (specifier: string) => FRAMEWORKS.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** The files and packages a file imports at run time (`import type` is erased, so it reaches nothing). */
function runtimeImports(file: string): string[] {
  const found: string[] = [];
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    if (/^(?:import|export)\s+type\s/.test(match[0])) continue;
    found.push(specifierOf(match));
  }
  return found;
}

function resolveSource(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/**
 * Every way a file under a module's domain/ folder reaches a framework, directly or through other
 * files: `modules/billing/domain/invoice.ts -> platform/errors.ts -> graphql`, one chain per framework.
 */
export function findDomainFrameworkReach(srcRoot: string): string[] {
  const name = (file: string) => relative(srcRoot, file).split(sep).join('/');
  const chains = new Set<string>();
  const reached = new Map<string, string[][]>(); // file -> chains from it to a framework
  const chainsFrom = (file: string, visiting: Set<string>): string[][] => {
    const known = reached.get(file);
    if (known) return known;
    if (visiting.has(file)) return [];
    visiting.add(file);
    const result: string[][] = [];
    for (const specifier of runtimeImports(file)) {
      if (isFramework(specifier)) result.push([specifier]);
      if (!specifier.startsWith('.')) continue;
      const target = resolveSource(file, specifier);
      if (target) for (const chain of chainsFrom(target, visiting)) result.push([name(target), ...chain]);
    }
    visiting.delete(file);
    reached.set(file, result);
    return result;
  };
  for (const file of files(srcRoot)) {
    if (!/^modules\/[^/]+\/domain\//.test(name(file))) continue;
    for (const chain of chainsFrom(file, new Set())) chains.add([name(file), ...chain].join(' -> '));
  }
  return [...chains].sort();
}

export type Architecture = 'layered' | 'clean' | 'hexagonal';

/** The picture each label promises (ARCHITECTURE.md), quoted in every violation. */
const PICTURE: Record<Architecture, string> = {
  layered: 'api -> services -> models',
  clean: 'api -> application -> domain <- infrastructure',
  hexagonal: 'adapters -> application -> domain',
};

/**
 * Per label, each top-level folder a module may have and the folders of the same module its files may import.
 * `application/ports` is the application's ports alone (ports.ts or ports/). migrations/ reads what it needs of
 * its own module but never its GraphQL surface; only the module definition imports migrations.
 */
const LAYERS: Record<Architecture, Record<string, readonly string[]>> = {
  layered: {
    api: ['api', 'services', 'models'],
    services: ['services', 'models'],
    models: ['models'],
    migrations: ['migrations', 'services', 'models'],
  },
  clean: {
    api: ['api', 'application', 'domain'],
    application: ['application', 'domain'],
    domain: ['domain'],
    infrastructure: ['infrastructure', 'application/ports', 'domain'],
    migrations: ['migrations', 'application', 'domain', 'infrastructure'],
  },
  hexagonal: {
    adapters: ['adapters', 'application', 'domain'],
    application: ['application', 'domain'],
    domain: ['domain'],
    migrations: ['migrations', 'adapters', 'application', 'domain'],
  },
};

/** Every import of a file, type-only ones included: a type import is a source dependency all the same. */
function allImports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map(specifierOf);
}

/** The module definition at a module's root: `<name>.module.ts`, or an `index.ts`. */
const isDefinition = (module: string, path: string) => path === `${module}.module.ts` || path === 'index.ts';

/** Whether an imported path inside a module (`application/ports`) lies in an allowed folder or file. */
const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** Why a file in `folder` of a module labelled `label` may not import `target` (a path inside the module), if it may not. */
function forbidden(module: string, label: Architecture, folder: string, target: string): string | undefined {
  if (isDefinition(module, `${target}.ts`) || isDefinition(module, target)) return 'nothing in a module imports its definition';
  if (within(target, 'migrations') && folder !== 'migrations') return 'nothing but the module definition imports migrations/';
  const allowed = LAYERS[label][folder];
  if (!allowed.some((layer) => within(target, layer))) return `${folder}/ may import ${allowed.join(', ')} only (${label}: ${PICTURE[label]})`;
  return undefined;
}

/**
 * Imports inside each module that break the rule of its manifest label: a layer importing one it must not, anything
 * importing migrations/ or the module definition, and files outside the folders the label knows. The definition
 * file is the module's composition root: it may import every folder of its module. Imports that leave the module
 * are the boundary check's business, not this one's.
 */
export function findArchitectureViolations(srcRoot: string, labels: Record<string, string>): string[] {
  const violations: string[] = [];
  const modulesDir = join(srcRoot, 'modules');
  for (const module of readdirSync(modulesDir).filter((name) => statSync(join(modulesDir, name)).isDirectory()).sort()) {
    const label = labels[module];
    if (!label) {
      violations.push(`modules/${module}: no architecture for it in the manifest`);
      continue;
    }
    if (!(label in LAYERS)) {
      violations.push(`modules/${module}: unknown architecture "${label}" (known: ${Object.keys(LAYERS).join(', ')})`);
      continue;
    }
    const architecture = label as Architecture;
    const root = join(modulesDir, module);
    const inModule = (path: string) => relative(root, path).split(sep).join('/');
    for (const file of files(root)) {
      const from = inModule(file);
      const name = `modules/${module}/${from}`;
      const folder = from.split('/')[0];
      if (folder === from) {
        if (!isDefinition(module, from)) violations.push(`${name}: only the module definition (${module}.module.ts) lives at a module's root`);
        continue;
      }
      if (!(folder in LAYERS[architecture])) {
        violations.push(`${name}: ${folder}/ is not a folder of a ${label} module (${Object.keys(LAYERS[architecture]).join(', ')})`);
        continue;
      }
      for (const specifier of allImports(file)) {
        const target = inModule(resolve(dirname(file), specifier));
        if (!specifier.startsWith('.') || target.startsWith('..')) continue;
        const reason = forbidden(module, architecture, folder, target);
        if (reason) violations.push(`${name} imports ${specifier}: ${reason}`);
      }
    }
  }
  return violations.sort();
}
