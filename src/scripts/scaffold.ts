import { dirname, relative, join } from 'node:path';
import type { ModuleArchitecture } from '../platform/module';

/**
 * The generators behind `npm run module:new` and `npm run migration:new`: pure functions from a
 * name to files, so a test can generate a module anywhere and check that it compiles, boots,
 * composes and follows its architecture's rules.
 */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Where a generated module goes and what its files import. */
export interface ScaffoldRoots {
  /** The folder holding src/platform and src/contracts (the repo's src/). */
  src: string;
  /** The folder modules go in (src/modules). */
  modules: string;
  /** The folder tests go in (test/): unit/ and api/ under it. */
  tests: string;
  /** The test support the generated API test boots Aura with (test/support). */
  support: string;
}

/** Module names are PostgreSQL schema names and GraphQL prefixes: lower-case letters and digits. */
export const MODULE_NAME = /^[a-z][a-z0-9]{1,30}$/;
const ARCHITECTURES: readonly ModuleArchitecture[] = ['layered', 'clean', 'hexagonal'];

/** Each architecture's folders for the same four parts (see ARCHITECTURE.md for their import rules). */
const LAYOUT: Record<ModuleArchitecture, { api: string; application: string; domain: string; persistence: string }> = {
  layered: { api: 'api', application: 'services', domain: 'models', persistence: 'services' },
  clean: { api: 'api', application: 'application', domain: 'domain', persistence: 'infrastructure' },
  hexagonal: { api: 'adapters/graphql', application: 'application', domain: 'domain', persistence: 'adapters/persistence' },
};

export class ScaffoldError extends Error {}

export function checkModuleName(name: string): void {
  if (!MODULE_NAME.test(name)) {
    throw new ScaffoldError(`Module name "${name}" must be 2-31 lower-case letters or digits, starting with a letter (it names a PostgreSQL schema)`);
  }
}

export function checkArchitecture(architecture: string): ModuleArchitecture {
  if (!(ARCHITECTURES as readonly string[]).includes(architecture)) {
    throw new ScaffoldError(`--architecture must be one of ${ARCHITECTURES.join(', ')} (got "${architecture}")`);
  }
  return architecture as ModuleArchitecture;
}

/** 20261206231500: the UTC timestamp migrations are named and ordered by. */
export function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const pascal = (words: string) =>
  words
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
const snake = (words: string) =>
  words
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
    .join('_');

/** An import path from one generated file to another file (both absolute, without extension). */
function importPath(fromFile: string, toFile: string): string {
  const path = relative(dirname(fromFile), toFile).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** An empty migration of `module`, named by time: its class, its file and its entry for the module's list. */
export function migrationFiles(module: string, what: string, now: Date, roots: Pick<ScaffoldRoots, 'modules' | 'src'>) {
  checkModuleName(module);
  if (!pascal(what)) throw new ScaffoldError('Say what the migration does, e.g. `npm run migration:new billing add-refunds`');
  const stamp = migrationTimestamp(now);
  const className = `Migration${stamp}${pascal(module)}${pascal(what)}`;
  const path = join(roots.modules, module, 'migrations', className);
  const file: GeneratedFile = {
    path: `${path}.ts`,
    content: `import { Migration } from '${importPath(path, join(roots.src, 'platform', 'migration'))}';

/** ${what.replace(/[-_]+/g, ' ')}. Applied once, in order, in the "${module}" schema; never edit it once shipped. */
export class ${className} extends Migration {
  override async up(): Promise<void> {
    // this.addSql('alter table "${module}"."..." ...');
  }

  override async down(): Promise<void> {
    // The reverse of up(), for development databases.
  }
}
`,
  };
  return { className, entryName: `${module}/${stamp}_${snake(what)}`, file };
}

/** Adds a migration to the module definition's list and imports it (the list stays oldest first). */
export function addMigrationToDefinition(definition: string, className: string, entryName: string): string {
  const list = /(\n(\s*)migrations: \[)([\s\S]*?)(\n\s*\],)/.exec(definition);
  if (!list) throw new ScaffoldError('The module definition has no `migrations: [ ... ],` list to add the migration to');
  const indent = `${list[2]}  `;
  const withEntry =
    definition.slice(0, list.index) +
    `${list[1]}${list[3]}\n${indent}{ name: '${entryName}', class: ${className} },${list[4]}` +
    definition.slice(list.index + list[0].length);
  const imports = [...withEntry.matchAll(/^import .*;$/gm)];
  const last = imports[imports.length - 1];
  const line = `import { ${className} } from './migrations/${className}';`;
  if (!last) return `${line}\n${withEntry}`;
  const at = (last.index ?? 0) + last[0].length;
  return `${withEntry.slice(0, at)}\n${line}${withEntry.slice(at)}`;
}

/** A compiling, tested module skeleton: one entity ("item") with a paged list and an add mutation. */
export function moduleFiles(name: string, architecture: ModuleArchitecture, now: Date, roots: ScaffoldRoots): GeneratedFile[] {
  checkModuleName(name);
  const layout = LAYOUT[architecture];
  const Name = pascal(name);
  /** Entity class names are global to the ORM: the module's name keeps them apart. */
  const Entity = `${Name}Item`;
  const dir = join(roots.modules, name);
  const at = {
    definition: join(dir, `${name}.module`),
    item: join(dir, layout.domain, 'item'),
    ports: join(dir, layout.application, 'ports'),
    items: join(dir, layout.application, 'items'),
    store: join(dir, layout.persistence, 'mikro-item-store'),
    resolver: join(dir, layout.api, 'item.resolver'),
    unitTest: join(roots.tests, 'unit', `${name}-item.test`),
    apiTest: join(roots.tests, 'api', `${name}.http.test`),
  };
  const platform = (from: string, file: string) => importPath(from, join(roots.src, 'platform', file));
  const to = (from: string, target: string) => importPath(from, target);
  const init = migrationFiles(name, 'init', now, roots);
  init.file.content = `import { Migration } from '${importPath(init.file.path.replace(/\.ts$/, ''), join(roots.src, 'platform', 'migration'))}';

/** The ${name} module's schema and its first table. */
export class ${init.className} extends Migration {
  override async up(): Promise<void> {
    this.addSql('create schema if not exists "${name}"');
    this.addSql(\`create table "${name}"."item" (
      "id" uuid primary key,
      "name" text not null check (length("name") between 1 and 200),
      "created_by" uuid not null,
      "created_at" timestamptz not null
    )\`);
    this.addSql('create index "item_created_at_id" on "${name}"."item" ("created_at", "id")');
  }

  override async down(): Promise<void> {
    this.addSql('drop schema if exists "${name}" cascade');
  }
}
`;
  const files: GeneratedFile[] = [init.file];
  const add = (path: string, content: string) => files.push({ path: `${path}.ts`, content });

  add(
    at.item,
    `import { InvalidInputError } from '${platform(at.item, 'errors')}';

export const MAX_ITEM_NAME_LENGTH = 200;

/** An item of the ${name} module: the skeleton's one entity. Replace it with the module's own. */
export class ${Entity} {
  id!: string;
  name!: string;
  createdBy!: string;
  createdAt!: Date;

  /** A new item; its name is trimmed and must say something. */
  static create(id: string, name: string, createdBy: string, now: Date): ${Entity} {
    const trimmed = name.trim();
    if (!trimmed) throw new InvalidInputError('name must not be empty', { field: 'name' });
    if (trimmed.length > MAX_ITEM_NAME_LENGTH) {
      throw new InvalidInputError(\`name must be at most \${MAX_ITEM_NAME_LENGTH} characters\`, { field: 'name' });
    }
    return Object.assign(new ${Entity}(), { id, name: trimmed, createdBy, createdAt: now });
  }
}
`,
  );

  add(
    at.ports,
    `import { serviceKey } from '${platform(at.ports, 'registry')}';
import type { Store } from '${platform(at.ports, 'store-port')}';
import type { ${Entity} } from '${to(at.ports, at.item)}';

/** The keyset position of the last item of a page: newest first. */
export interface ItemPosition {
  createdAt: Date;
  id: string;
}

/** Items as the use cases need them; the persistence side implements it. */
export interface ItemRepository {
  add(item: ${Entity}): Promise<void>;
  page(first: number, after: ItemPosition | null): Promise<${Entity}[]>;
  count(): Promise<number>;
}

/** The module's repositories; reads on the operation, writes in one transaction (the platform's store base). */
export interface ItemRepositories {
  items: ItemRepository;
}

export type ItemStore = Store<ItemRepositories>;

export const ItemStoreKey = serviceKey<ItemStore>('${name}.ItemStore');
`,
  );

  add(
    at.items,
    `import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { requireViewer } from '${platform(at.items, 'auth')}';
import type { Clock } from '${platform(at.items, 'clock')}';
import { PLATFORM } from '${platform(at.items, 'container')}';
import type { OperationContext } from '${platform(at.items, 'context')}';
import { cursorCodec, pageSize, toConnection, type Connection } from '${platform(at.items, 'paging')}';
import { ${Entity} } from '${to(at.items, at.item)}';
import { ItemStoreKey, type ItemStore } from '${to(at.items, at.ports)}';

const ITEM_CURSOR = cursorCodec('${name}Items', { createdAt: 'instant', id: 'uuid' });

/** The module's use cases: add an item, page through items. */
@injectable()
export class Items {
  constructor(
    @inject(ItemStoreKey) private readonly store: ItemStore,
    @inject(PLATFORM.Clock) private readonly clock: Clock,
  ) {}

  async add(op: OperationContext, name: string): Promise<${Entity}> {
    const viewer = requireViewer(op.viewer);
    const item = ${Entity}.create(randomUUID(), name, viewer.userId, this.clock.now());
    await this.store.transaction(op, ({ items }) => items.add(item));
    return item;
  }

  async list(op: OperationContext, first: number | null, after: string | null): Promise<Connection<${Entity}>> {
    requireViewer(op.viewer);
    const size = pageSize(first);
    const { items } = this.store.read(op);
    const rows = await items.page(size + 1, ITEM_CURSOR.decode(after));
    return toConnection(rows, size, (item) => ITEM_CURSOR.encode(item), () => items.count());
  }
}
`,
  );

  add(
    at.store,
    `import { EntitySchema } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { injectable, injectFromBase } from 'inversify';
import { keyset, ModuleStore, type StoreAccess } from '${platform(at.store, 'store')}';
import { ${Entity} } from '${to(at.store, at.item)}';
import type { ItemPosition, ItemRepositories, ItemRepository, ItemStore } from '${to(at.store, at.ports)}';

/** How an item maps onto the "${name}" PostgreSQL schema; the item knows nothing of it. */
export const ItemSchema = new EntitySchema<${Entity}>({
  class: ${Entity},
  schema: '${name}',
  tableName: 'item',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    createdBy: { type: 'uuid' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

class MikroItemRepository implements ItemRepository {
  constructor(private readonly em: EntityManager) {}

  async add(item: ${Entity}): Promise<void> {
    this.em.persist(item);
  }

  page(first: number, after: ItemPosition | null): Promise<${Entity}[]> {
    const page = keyset<${Entity}, 'createdAt'>('createdAt', 'desc', after);
    return this.em.find(ItemSchema, page.where, { orderBy: page.orderBy, limit: first });
  }

  count(): Promise<number> {
    return this.em.count(ItemSchema, {});
  }
}

/** The module's repositories on its own schema; transaction, outbox and error mapping come from the platform's store base. */
@injectable()
@injectFromBase({ extendConstructorArguments: true })
export class MikroItemStore extends ModuleStore<ItemRepositories> implements ItemStore {
  protected readonly options = { schema: '${name}' };

  protected repositoriesOn({ em }: StoreAccess): ItemRepositories {
    return { items: new MikroItemRepository(em) };
  }
}
`,
  );

  add(
    at.resolver,
    `import { inject, injectable } from 'inversify';
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { OperationContext } from '${platform(at.resolver, 'context')}';
import { connectionType, PAGE_ARGS } from '${platform(at.resolver, 'gateway/connection')}';
import type { Connection } from '${platform(at.resolver, 'paging')}';
import { Items } from '${to(at.resolver, at.items)}';
import type { ${Entity} } from '${to(at.resolver, at.item)}';

@ObjectType('${Name}Item', { description: 'An item of the ${name} module', simpleResolvers: true })
export class ItemType {
  @Field(() => ID, { description: 'Stable id of the item, as the item queries and mutations take it' })
  id!: string;

  @Field(() => String, { description: 'What the item is called (1-200 characters, trimmed)' })
  name!: string;

  @Field(() => Date, { description: 'When the item was added' })
  createdAt!: Date;
}

const ItemConnection = connectionType('${Name}Item', ItemType);

@injectable()
@Resolver(() => ItemType)
export class ItemResolver {
  constructor(@inject(Items) private readonly items: Items) {}

  @Query(() => ItemConnection, { description: 'Items of the ${name} module, newest first (signed-in users)' })
  ${name}Items(
    @Ctx() op: OperationContext,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
  ): Promise<Connection<${Entity}>> {
    return this.items.list(op, first, after);
  }

  @Mutation(() => ItemType, { description: 'Adds an item (signed-in users)' })
  add${Name}Item(@Ctx() op: OperationContext, @Arg('name', () => String, { description: 'What the item is called' }) name: string): Promise<${Entity}> {
    return this.items.add(op, name);
  }
}
`,
  );

  add(
    at.definition,
    `import { defineModule, provide } from '${platform(at.definition, 'module')}';
import { ItemResolver } from '${to(at.definition, at.resolver)}';
import { Items } from '${to(at.definition, at.items)}';
import { ItemStoreKey } from '${to(at.definition, at.ports)}';
import { ItemSchema, MikroItemStore } from '${to(at.definition, at.store)}';
import { ${init.className} } from './migrations/${init.className}';

/** ${Name} (${architecture}): generated by \`npm run module:new\`; say here what the module is for. */
export const ${name}Module = defineModule({
  name: '${name}',
  entities: [ItemSchema],
  migrations: [
    { name: '${init.entryName}', class: ${init.className} },
  ],
  providers: [Items],
  resolvers: [ItemResolver],
  ports: [provide(ItemStoreKey, MikroItemStore)],
});
`,
  );

  add(
    at.unitTest,
    `import { InvalidInputError } from '${importPath(at.unitTest, join(roots.src, 'platform', 'errors'))}';
import { ${Entity} } from '${to(at.unitTest, at.item)}';

describe('a ${name} item', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('is created with its name trimmed', () => {
    expect(${Entity}.create('id-1', '  first  ', 'user-1', now)).toMatchObject({ id: 'id-1', name: 'first', createdBy: 'user-1', createdAt: now });
  });

  it('refuses an empty or overlong name', () => {
    expect(() => ${Entity}.create('id-1', '   ', 'user-1', now)).toThrow(InvalidInputError);
    expect(() => ${Entity}.create('id-1', 'x'.repeat(201), 'user-1', now)).toThrow('at most 200 characters');
  });
});
`,
  );

  add(
    at.apiTest,
    `import { startTestAura, type TestAura } from '${importPath(at.apiTest, join(roots.support, 'aura'))}';

interface Page {
  totalCount: number;
  edges: Array<{ node: { name: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface Answer {
  data: { register: { token: string }; add${Name}Item: { name: string }; ${name}Items: Page };
  errors: Array<{ extensions: { code: string } }>;
}

describe('the ${name} module over HTTP', () => {
  let t: TestAura;
  let token: string;

  beforeAll(async () => {
    t = await startTestAura();
    const registered = await t.post({
      query: 'mutation ($input: RegisterInput!) { register(input: $input) { token } }',
      variables: { input: { email: '${name}-user@example.com', password: 'a long enough password', firstName: 'Ada', lastName: 'Lovelace', role: 'PATIENT' } },
    });
    token = ((await registered.json()) as Answer).data.register.token;
  });
  afterAll(() => t.stop());

  const call = async (query: string, variables: Record<string, unknown> = {}, bearer: string | null = token) =>
    (await (await t.post({ query, variables }, bearer ? { authorization: \`Bearer \${bearer}\` } : {})).json()) as Answer;

  it('adds items and pages through them, newest first', async () => {
    for (const name of ['one', 'two', 'three']) {
      expect((await call('mutation ($name: String!) { add${Name}Item(name: $name) { name } }', { name })).data.add${Name}Item.name).toBe(name);
    }
    const list = 'query ($after: String) { ${name}Items(first: 2, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }';
    const first = (await call(list)).data.${name}Items;
    expect(first.edges.map((e) => e.node.name)).toEqual(['three', 'two']);
    expect(first.totalCount).toBe(3);
    const second = (await call(list, { after: first.pageInfo.endCursor })).data.${name}Items;
    expect(second.edges.map((e) => e.node.name)).toEqual(['one']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses bad input, a foreign cursor and anonymous callers with clear codes', async () => {
    expect((await call('mutation { add${Name}Item(name: "   ") { id } }')).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await call('{ ${name}Items(after: "garbage") { totalCount } }')).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await call('{ ${name}Items { totalCount } }', {}, null)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
`,
  );
  return files;
}

/** Adds the module to AURA_MODULES (src/config/modules.ts), after the last entry. */
export function addModuleToManifest(manifest: string, name: string, architecture: ModuleArchitecture): string {
  if (new RegExp(`name: '${name}'`).test(manifest)) throw new ScaffoldError(`AURA_MODULES already has a module named "${name}"`);
  const end = manifest.lastIndexOf('\n];');
  if (end < 0) throw new ScaffoldError('src/config/modules.ts has no `AURA_MODULES = [ ... ];` to add the module to');
  const entry = `
  {
    name: '${name}',
    architecture: '${architecture}',
    dependsOn: [],
    load: () => require('../modules/${name}/${name}.module').${name}Module,
  },`;
  return `${manifest.slice(0, end)}${entry}${manifest.slice(end)}`;
}
