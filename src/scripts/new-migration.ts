import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { addMigrationToDefinition, migrationFiles, ScaffoldError } from './scaffold';

/**
 * `npm run migration:new <module> <what>`: an empty migration named by the time now
 * (Migration<yyyyMMddHHmmss><Module><What>), added to the module definition's list.
 */
function main([module, ...words]: string[]): void {
  if (!module || words.length === 0) throw new ScaffoldError('Usage: npm run migration:new <module> <what it does>, e.g. billing add-refunds');
  const root = process.cwd();
  const modules = join(root, 'src', 'modules');
  const definitionPath = join(modules, module, `${module}.module.ts`);
  if (!existsSync(definitionPath)) throw new ScaffoldError(`No module "${module}": ${relative(root, definitionPath)} does not exist`);
  const { className, entryName, file } = migrationFiles(module, words.join('-'), new Date(), { modules, src: join(root, 'src') });
  const definition = addMigrationToDefinition(readFileSync(definitionPath, 'utf8'), className, entryName);
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.content, { flag: 'wx' });
  writeFileSync(definitionPath, definition);
  console.log(`created ${relative(root, file.path)} and listed it as '${entryName}' in ${relative(root, definitionPath)}`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ScaffoldError ? error.message : error);
  process.exit(1);
}
