import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

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
      const specifier = match[1] ?? match[2] ?? match[3];
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
    found.push(match[1] ?? match[2] ?? match[3]);
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
