import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseSearch, searchWords } from '../../src/modules/mentalhealth/infrastructure/disorder-repository';
import { disorderCatalogue, disorderSearchTerms } from '../../src/modules/mentalhealth/migrations/data/disorder-catalogue';

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const CATALOGUE_20261125100100 = disorderCatalogue('20261125100100');
const CATALOGUE_20261129130000 = disorderCatalogue('20261129130000');
const { aliases: ALIASES_20261129130000, layPhrases: LAY_PHRASES_20261129130000 } = disorderSearchTerms('20261129130000');

const DATA = join(__dirname, '../../src/modules/mentalhealth/migrations/data');

/**
 * Every shipped data version and the digest of its content (JSON.stringify of the parsed file, so layout is free).
 * A new version gets its line here when its migration ships; a line never changes.
 */
const SHIPPED: Record<string, string> = {
  // the 48 entries as Migration20261125100100DisorderCatalogue first shipped them (commit 0b5c4d4)
  'catalogue-20261125100100.json': '6e214936bb3c1140e19f35289ec5cdcee6b626c08bb28b70c4f257849d555638',
  'catalogue-20261129130000.json': '2ff6b00d52d06cef46c8c19dade92e1f88c23c2eb7f5b52b24d6d42704b47c2e',
  'search-terms-20261129130000.json': '3bd99cbab1bfc8c5260f0182c787e8e1bb4986dd97a5e9ba49b1aec7a8f96ade',
};

describe('disorder search text', () => {
  it.each([
    ["Can't sleep", 'cant sleep'],
    ['can not sleep', 'cant sleep'],
    ['I cannot focus', 'i cant focus'],
    ['I don\u2019t enjoy anything', 'i dont enjoy anything'],
    ['I do not enjoy anything', 'i dont enjoy anything'],
    ['he will not talk', 'he wont talk'],
    ["Alzheimer's", 'alzheimers'],
    ['Tourette\u2019s syndrome', 'tourettes syndrome'],
    ['  Généralisée   ANXIETY!! ', 'generalisee anxiety'],
    ['post-traumatic stress (PTSD)', 'post traumatic stress ptsd'],
    ['22q11.2 deletion', '22q11 2 deletion'],
  ])('normalises %p to %p', (text, normal) => {
    expect(normaliseSearch(text)).toBe(normal);
  });

  it('searches at most ten distinct words', () => {
    expect(searchWords("can't can't sleep")).toEqual(['cant', 'sleep']);
    expect(searchWords('a b c d e f g h i j k l')).toHaveLength(10);
  });
});

describe('disorder search data', () => {
  const slugs = [...CATALOGUE_20261125100100, ...CATALOGUE_20261129130000].map((d) => d.slug);

  it('leaves every shipped version exactly as its migration shipped it', () => {
    const files = readdirSync(DATA).filter((name) => name.endsWith('.json'));
    const changed = files
      .filter((name) => name in SHIPPED && digest(JSON.parse(readFileSync(join(DATA, name), 'utf8'))) !== SHIPPED[name])
      .map((name) => `${name} changed after its migration shipped: add a new version and migration instead`);
    const unpinned = files.filter((name) => !(name in SHIPPED)).map((name) => `${name} has no pinned digest: pin it here when its migration ships`);
    expect([...changed, ...unpinned]).toEqual([]);
    expect(Object.keys(SHIPPED).filter((name) => !files.includes(name))).toEqual([]);
    expect(CATALOGUE_20261125100100).toHaveLength(48);
  });

  it('reads each version as the migrations use it: the file, parsed and checked', () => {
    expect(digest(CATALOGUE_20261125100100)).toBe(SHIPPED['catalogue-20261125100100.json']);
    expect(digest(CATALOGUE_20261129130000)).toBe(SHIPPED['catalogue-20261129130000.json']);
    expect(digest({ aliases: ALIASES_20261129130000, layPhrases: LAY_PHRASES_20261129130000 })).toBe(SHIPPED['search-terms-20261129130000.json']);
  });

  it('has at least 70 distinct conditions, autism spectrum disorder among them', () => {
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(new Set([...CATALOGUE_20261125100100, ...CATALOGUE_20261129130000].map((d) => d.name)).size).toBe(slugs.length);
    expect(slugs.length).toBeGreaterThanOrEqual(70);
    expect(slugs).toContain('autism-spectrum-disorder');
  });

  it('writes every new condition in full', () => {
    for (const d of CATALOGUE_20261129130000) {
      for (const text of [d.description, d.signsAndSymptoms, d.treatment, d.prevention]) expect(text.length).toBeGreaterThan(60);
      expect(d.symptoms.length).toBeGreaterThanOrEqual(4);
      expect(d.causes.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('writes every alias and lay phrase in the normalised form a search is compared in, for a known condition', () => {
    const phrases = [...Object.values(ALIASES_20261129130000).flat(), ...LAY_PHRASES_20261129130000.map(([phrase]) => phrase)];
    expect(phrases.filter((p) => normaliseSearch(p) !== p || !/^[a-z0-9]+( [a-z0-9]+)*$/.test(p))).toEqual([]);
    const referenced = [...Object.keys(ALIASES_20261129130000), ...LAY_PHRASES_20261129130000.map(([, slug]) => slug)];
    expect(referenced.filter((slug) => !slugs.includes(slug))).toEqual([]);
    expect(LAY_PHRASES_20261129130000.filter(([, , weight]) => !(weight > 0 && weight <= 1))).toEqual([]);
  });
});
