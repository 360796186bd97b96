/**
 * The disorder catalogue as versioned data: each version is a JSON file in this folder, named by the timestamp of
 * the migration that ships it, and read here by that version. A shipped version is FROZEN (an applied migration must
 * keep doing what it did; test/unit/disorder-search-data.test.ts pins each one's digest): corrections and further
 * conditions ship as a new version with a new migration.
 *
 * - catalogue-20261125100100.json: the first 48 conditions (Migration20261125100100DisorderCatalogue).
 * - catalogue-20261129130000.json: autism spectrum disorder and the common DSM-5-TR categories the first lacked
 *   (Migration20261129130000DisorderSearch).
 * Written in plain clinical English from DSM-5-TR and ICD-11 and public guidance (NICE, NIMH, NHS): general reference
 * information only, not a substitute for assessment by a qualified clinician.
 *
 * - search-terms-20261129130000.json: what people call each condition, loaded into mentalhealth.disorder_synonym by
 *   Migration20261129130000DisorderSearch. Written in the normalised form a search is compared in (lower case,
 *   letters and digits, single spaces, apostrophes dropped: "cant sleep"; see normaliseSearch). `aliases` are what
 *   clinicians and patients call a condition: other and older names, abbreviations, British spellings, and an
 *   umbrella term said on its own ("anxiety" -> generalized anxiety disorder, "psychosis" -> schizophrenia).
 *   `layPhrases` are [phrase, slug, weight]: how people describe what they live with, weight 1 when the phrase points
 *   to that condition, lower when it also suggests another. Abbreviations that are everyday words ("add", "bed",
 *   "sad", "odd") are lay phrases: like any one-word lay phrase they name a condition only as a whole query.
 */
import type { Disorder, DisorderType } from '../../domain/disorder';
import catalogue20261125100100 from './catalogue-20261125100100.json';
import catalogue20261129130000 from './catalogue-20261129130000.json';
import searchTerms20261129130000 from './search-terms-20261129130000.json';

/** A catalogue entry: a Disorder before it has an id, with treatment and prevention always written. */
export type DisorderEntry = Omit<Disorder, 'id' | 'treatment' | 'prevention'> & { treatment: string; prevention: string };

export interface DisorderSearchTerms {
  aliases: Readonly<Record<string, readonly string[]>>;
  layPhrases: readonly (readonly [phrase: string, slug: string, weight: number])[];
}

// Static imports, so a compiled build carries the JSON along with the migrations that read it.
const CATALOGUES = { '20261125100100': catalogue20261125100100, '20261129130000': catalogue20261129130000 };
const SEARCH_TERMS = { '20261129130000': searchTerms20261129130000 };

const TYPES: readonly string[] = ['MENTAL', 'PHYSICAL', 'GENETIC', 'EMOTIONAL', 'BEHAVIORAL', 'FUNCTIONAL'] satisfies DisorderType[];

// The compiler types each JSON file from its content; what it cannot see (a type name, a tuple) is checked here.

/** The conditions a catalogue version ships. */
export function disorderCatalogue(version: keyof typeof CATALOGUES): readonly DisorderEntry[] {
  const entries = CATALOGUES[version];
  const odd = entries.find((entry) => !TYPES.includes(entry.type));
  if (odd) throw new Error(`Disorder catalogue ${version}: ${odd.slug} has an unknown type "${odd.type}"`);
  return entries as DisorderEntry[];
}

const isLayPhrase = (t: unknown[]): t is [string, string, number] =>
  t.length === 3 && typeof t[0] === 'string' && typeof t[1] === 'string' && typeof t[2] === 'number';

/** The aliases and lay phrases a search-terms version ships. */
export function disorderSearchTerms(version: keyof typeof SEARCH_TERMS): DisorderSearchTerms {
  const { aliases, layPhrases } = SEARCH_TERMS[version];
  const odd = layPhrases.find((t) => !isLayPhrase(t));
  if (odd) throw new Error(`Disorder search terms ${version}: [${odd.join(', ')}] is not a [phrase, slug, weight]`);
  return { aliases, layPhrases: layPhrases.filter(isLayPhrase) };
}
