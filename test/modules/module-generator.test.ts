import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { AURA_MODULES } from '../../src/config/modules';
import type { AuraModule, ModuleArchitecture, ModuleManifestEntry } from '../../src/platform/module';
import { addMigrationToDefinition, addModuleToManifest, migrationFiles, moduleFiles, ScaffoldError } from '../../src/scripts/scaffold';
import { startTestAura, type TestAura } from '../support/aura';
import { findArchitectureViolations, findDomainFrameworkReach } from '../support/boundaries';

const repo = join(__dirname, '..', '..');
/** Generated here (ignored by git and by jest's test discovery) so imports resolve against the real src/. */
const scratch = join(repo, 'test', '.scaffold', `run-${process.pid}`);
const roots = { src: join(repo, 'src'), modules: join(scratch, 'modules'), tests: join(scratch, 'test'), support: join(repo, 'test', 'support') };
const now = new Date('2026-12-06T23:15:00Z');
const ARCHITECTURES: ModuleArchitecture[] = ['layered', 'clean', 'hexagonal'];
const nameOf = (architecture: ModuleArchitecture) => `gen${architecture}`;

function typeErrors(files: string[]): string[] {
  const config = ts.readConfigFile(join(repo, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repo);
  const program = ts.createProgram(files, { ...options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('npm run module:new', () => {
  const generated = new Map<ModuleArchitecture, string[]>();

  beforeAll(() => {
    for (const architecture of ARCHITECTURES) {
      const files = moduleFiles(nameOf(architecture), architecture, now, roots);
      for (const file of files) {
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.content);
      }
      generated.set(architecture, files.map((f) => f.path));
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes each architecture its own folders: api, use cases, domain, persistence, migration and tests', () => {
    const relative = (architecture: ModuleArchitecture) =>
      generated.get(architecture)!.map((path) => path.slice(scratch.length + 1)).sort();
    expect(relative('hexagonal')).toEqual([
      'modules/genhexagonal/adapters/graphql/item.resolver.ts',
      'modules/genhexagonal/adapters/persistence/mikro-item-store.ts',
      'modules/genhexagonal/application/items.ts',
      'modules/genhexagonal/application/ports.ts',
      'modules/genhexagonal/domain/item.ts',
      'modules/genhexagonal/genhexagonal.module.ts',
      'modules/genhexagonal/migrations/Migration20261206231500GenhexagonalInit.ts',
      'test/api/genhexagonal.http.test.ts',
      'test/unit/genhexagonal-item.test.ts',
    ]);
    expect(relative('layered').filter((p) => p.startsWith('modules/'))).toEqual([
      'modules/genlayered/api/item.resolver.ts',
      'modules/genlayered/genlayered.module.ts',
      'modules/genlayered/migrations/Migration20261206231500GenlayeredInit.ts',
      'modules/genlayered/models/item.ts',
      'modules/genlayered/services/items.ts',
      'modules/genlayered/services/mikro-item-store.ts',
      'modules/genlayered/services/ports.ts',
    ]);
  });

  it("keeps each architecture's import rules, with a domain that reaches no framework", () => {
    expect(findArchitectureViolations(scratch, Object.fromEntries(ARCHITECTURES.map((a) => [nameOf(a), a])))).toEqual([]);
    expect(findDomainFrameworkReach(scratch)).toEqual([]);
  });

  it('generates code and tests that compile', () => {
    expect(typeErrors([...generated.values()].flat())).toEqual([]);
  }, 120_000);

  describe('the generated modules, booted with the real ones', () => {
    let t: TestAura;

    beforeAll(async () => {
      const entries: ModuleManifestEntry[] = ARCHITECTURES.map((architecture) => {
        const name = nameOf(architecture);
        const definition = generated.get(architecture)!.find((path) => path.endsWith(`${name}.module.ts`))!;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(definition)[`${name}Module`] as AuraModule;
        return { name, architecture, dependsOn: [], load: () => module };
      });
      t = await startTestAura({}, { manifest: [...AURA_MODULES, ...entries] });
    }, 180_000);
    afterAll(() => t?.stop());

    it('compose into the one schema and migrate into schemas of their own', async () => {
      const tables = await t.aura.orm.em
        .getConnection()
        .execute<Array<{ table_schema: string }>>(`select table_schema from information_schema.tables where table_name = 'item' order by table_schema`);
      expect(tables.map((row) => row.table_schema)).toEqual(['genclean', 'genhexagonal', 'genlayered']);
      expect(t.aura.gateway.subschemas.map((s) => s.module)).toEqual(expect.arrayContaining(['genlayered', 'genclean', 'genhexagonal']));
    });

    it.each(ARCHITECTURES)('serve their skeleton over HTTP (%s): add, page, refuse bad input', async (architecture) => {
      const name = nameOf(architecture);
      const Name = name.charAt(0).toUpperCase() + name.slice(1);
      const registered = await t.post({
        query: 'mutation ($input: RegisterInput!) { register(input: $input) { token } }',
        variables: { input: { email: `${name}@example.com`, password: 'a long enough password', firstName: 'Gen', lastName: 'Erated', role: 'PATIENT' } },
      });
      const token = ((await registered.json()) as { data: { register: { token: string } } }).data.register.token;
      const call = async (query: string, variables: Record<string, unknown> = {}) =>
        (await (await t.post({ query, variables }, { authorization: `Bearer ${token}` })).json()) as {
          data: Record<string, { name?: string; totalCount?: number; edges?: Array<{ node: { name: string } }> }> | null;
          errors?: Array<{ extensions: { code: string } }>;
        };
      for (const item of ['a', 'b']) await call(`mutation ($name: String!) { add${Name}Item(name: $name) { id } }`, { name: item });
      const page = (await call(`{ ${name}Items(first: 1) { totalCount edges { node { name } } } }`)).data![`${name}Items`];
      expect(page).toEqual({ totalCount: 2, edges: [{ node: { name: 'b' } }] });
      expect((await call(`mutation { add${Name}Item(name: " ") { id } }`)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect((await call(`{ ${name}Items(after: "x") { totalCount } }`)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });

  it('adds the module to the manifest once, and refuses bad names', () => {
    const manifest = readFileSync(join(repo, 'src', 'config', 'modules.ts'), 'utf8');
    const added = addModuleToManifest(manifest, 'reports', 'clean');
    expect(added).toContain("name: 'reports',\n    architecture: 'clean',\n    dependsOn: [],\n    load: () => require('../modules/reports/reports.module').reportsModule,");
    expect(() => addModuleToManifest(added, 'reports', 'clean')).toThrow('already has a module named "reports"');
    expect(() => moduleFiles('Bad-Name', 'clean', now, roots)).toThrow(ScaffoldError);
  });
});

describe('npm run migration:new', () => {
  it('names the migration by time and module, and lists it last in the module definition with its import', () => {
    const { className, entryName, file } = migrationFiles('billing', 'add refunds', now, { modules: '/repo/src/modules', src: '/repo/src' });
    expect(className).toBe('Migration20261206231500BillingAddRefunds');
    expect(entryName).toBe('billing/20261206231500_add_refunds');
    expect(file.path).toBe('/repo/src/modules/billing/migrations/Migration20261206231500BillingAddRefunds.ts');
    expect(file.content).toContain('export class Migration20261206231500BillingAddRefunds extends Migration');
    expect(file.content).toContain("import { Migration } from '../../../platform/migration';");

    const definition = readFileSync(join(repo, 'src', 'modules', 'billing', 'billing.module.ts'), 'utf8');
    const updated = addMigrationToDefinition(definition, className, entryName);
    const list = /migrations: \[([\s\S]*?)\n\s*\],/.exec(updated)![1].trim().split('\n').map((line) => line.trim());
    expect(list[list.length - 1]).toBe(`{ name: 'billing/20261206231500_add_refunds', class: Migration20261206231500BillingAddRefunds },`);
    expect(updated).toContain(`import { ${className} } from './migrations/${className}';`);
    expect(updated.replace(/\n.*BillingAddRefunds.*/g, '')).toBe(definition);
  });
});
