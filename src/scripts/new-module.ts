import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { addModuleToManifest, checkArchitecture, checkModuleName, moduleFiles, ScaffoldError } from './scaffold';

/**
 * `npm run module:new <name> -- --architecture clean|layered|hexagonal` (or `npm run module:new <name>
 * <architecture>`): writes a compiling, tested module skeleton (definition, one entity, use case,
 * resolver, migration, unit and API test) and adds it to AURA_MODULES. Without `--`, npm swallows the
 * flag and passes its value as a plain argument, which is why both forms are read.
 */
function main(argv: string[]): void {
  const flag = argv.indexOf('--architecture');
  const named = flag >= 0 ? argv[flag + 1] : undefined;
  const [name, positional] = argv.filter((arg, i) => !arg.startsWith('--') && (flag < 0 || i !== flag + 1));
  const architecture = checkArchitecture(named ?? positional ?? 'clean');
  if (!name) throw new ScaffoldError('Usage: npm run module:new <name> -- --architecture clean|layered|hexagonal');
  checkModuleName(name);
  const root = process.cwd();
  const roots = { src: join(root, 'src'), modules: join(root, 'src', 'modules'), tests: join(root, 'test'), support: join(root, 'test', 'support') };
  if (existsSync(join(roots.modules, name))) throw new ScaffoldError(`src/modules/${name} exists already`);
  const manifestPath = join(root, 'src', 'config', 'modules.ts');
  const manifest = addModuleToManifest(readFileSync(manifestPath, 'utf8'), name, architecture);
  for (const file of moduleFiles(name, architecture, new Date(), roots)) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content, { flag: 'wx' });
    console.log(`created ${relative(root, file.path)}`);
  }
  writeFileSync(manifestPath, manifest);
  console.log(`added "${name}" (${architecture}) to src/config/modules.ts`);
  console.log('next: npm run schema:print && npm run codegen, then npm test');
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ScaffoldError ? error.message : error);
  process.exit(1);
}
