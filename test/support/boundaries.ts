import { readdirSync, readFileSync, statSync } from 'node:fs';
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
