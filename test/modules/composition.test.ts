import 'reflect-metadata';
import { graphql, type GraphQLObjectType } from 'graphql';
import { loadSettings } from '../../src/config/env';
import { assembleGateway } from '../../src/platform/gateway/gateway';
import { createLogger } from '../../src/platform/logger';
import type { AuraModule, ModuleManifestEntry } from '../../src/platform/module';
import { libraryModule } from './fixtures/library.module';
import { reviewsModule } from './fixtures/reviews.module';
import {
  duplicateFieldModule,
  enumModule,
  keyTypeModule,
  otherPlatformDateModule,
  platformDateModule,
  rootFieldModule,
  scalarModule,
} from './fixtures/clashing.modules';

const settings = loadSettings({ JWT_SECRET: 'x'.repeat(32), AURA_DATA_DIR: '/tmp/aura-composition' });
const log = createLogger('silent');

function entry(module: AuraModule, dependsOn: string[] = []): ModuleManifestEntry {
  return { name: module.name, architecture: 'layered', dependsOn, load: () => module };
}

const library = entry(libraryModule);
const compose = (...entries: ModuleManifestEntry[]) => assembleGateway(settings, log, { manifest: entries });

describe('gateway composition', () => {
  it('merges a stub extension: one query reads fields owned by two modules', async () => {
    const gateway = await compose(library, entry(reviewsModule, ['library']));
    const result = await graphql({ schema: gateway.schema, source: '{ authors { id name genre reviews } reviewCount }' });
    expect(result).toEqual({
      data: {
        authors: [
          { id: 'a1', name: 'Ursula', genre: 'FICTION', reviews: ['luminous', 'wise'] },
          { id: 'a2', name: 'Mary', genre: 'POETRY', reviews: [] },
        ],
        reviewCount: 2,
      },
    });
  });

  it('keeps each module its own subschema, the stub holding only the key and its additions', async () => {
    const gateway = await compose(library, entry(reviewsModule, ['library']));
    const reviews = gateway.subschemas.find((s) => s.module === 'reviews')!.schema;
    expect(Object.keys((reviews.getType('Author') as GraphQLObjectType).getFields()).sort()).toEqual(['id', 'reviews']);
    expect(reviews.getType('Genre')).toBeUndefined();
  });

  it('lets modules share the platform DateTime scalar', async () => {
    const gateway = await compose(entry(platformDateModule), entry(otherPlatformDateModule));
    const result = await graphql({ schema: gateway.schema, source: '{ today tomorrow }' });
    expect(result).toEqual({ data: { today: '2026-01-01T00:00:00.000Z', tomorrow: '2026-01-02T00:00:00.000Z' } });
  });

  it.each([
    ['two modules define the same non-key field', duplicateFieldModule, /Field Author\.name is defined by both module "library" and module "ghostwriters"/],
    ['modules disagree on a field type', keyTypeModule, /Field Author\.id is ID! in module "library" but Int! in module "numbering"/],
    ['modules define an enum differently', enumModule, /Enum Genre is defined differently by module "library" \(FICTION, POETRY\) and module "theatre" \(DRAMA, FICTION\)/],
    ['a module brings its own DateTime scalar', scalarModule, /Scalar DateTime is defined differently by module "(platform|calendar)" and module "clock"/],
    ['two modules define the same root field', rootFieldModule, /Field Query\.authors is .*module "library".*module "catalogue"/],
  ])('refuses to boot when %s, naming both modules', async (_case, clashing, message) => {
    const extra = clashing === scalarModule ? [entry(platformDateModule)] : [];
    await expect(compose(library, ...extra, entry(clashing))).rejects.toThrow(message);
  });
});
