import type { EntityManager } from '@mikro-orm/postgresql';
import type { DisorderRepository } from '../application/ports';
import type { Disorder, DisorderType } from '../domain/disorder';
import { DisorderSchema } from './persistence';

/** Negations as people type them, the way the synonym data spells them ("can not", "cannot" -> "cant"). */
const NEGATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bcan ?not\b/g, 'cant'],
  [/\bwill not\b/g, 'wont'],
  [/\b(do|does|did|is|are|was|were|could|would|should|have|has|had) not\b/g, '$1nt'],
];

/**
 * A search as the catalogue's search terms are written: lower case, accents and apostrophes dropped ("can't" ->
 * "cant", "Alzheimer's" -> "alzheimers"), negations joined, any other punctuation a space.
 */
export function normaliseSearch(text: string): string {
  let normal = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(\p{L})['‘’ʼ`´](?=\p{L})/gu, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  for (const [pattern, joined] of NEGATIONS) normal = normal.replace(pattern, joined);
  return normal;
}

/** The words of a search, normalised, letters and digits only (safe inside a tsquery). */
export function searchWords(text: string): string[] {
  return [...new Set(normaliseSearch(text).match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 10);
}

/** How alike (pg_trgm similarity) a catalogue word must be to stand in for a misspelt one. */
const TYPO_SIMILARITY = 0.3;

interface WordCheck {
  word: string;
  known: boolean;
  suggestion: string | null;
}

/** Every word as a prefix; a word the catalogue does not know also matches its closest known word. */
export function tsqueryOf(words: WordCheck[], join: '&' | '|' = '&'): string {
  return words
    .map(({ word, known, suggestion }) => (known || !suggestion ? `'${word}':*` : `('${word}':* | '${suggestion}':*)`))
    .join(` ${join} `);
}

export class MikroDisorderRepository implements DisorderRepository {
  constructor(private readonly em: EntityManager) {}

  list(type: DisorderType | null, first: number, afterName: string | null): Promise<Disorder[]> {
    return this.em.find(
      DisorderSchema,
      { ...(type ? { type } : {}), ...(afterName !== null ? { name: { $gt: afterName } } : {}) },
      { orderBy: { name: 'asc' }, limit: first },
    );
  }

  count(type: DisorderType | null): Promise<number> {
    return this.em.count(DisorderSchema, type ? { type } : {});
  }

  findById(id: string): Promise<Disorder | null> {
    return this.em.findOne(DisorderSchema, { id });
  }

  /**
   * Ranked like a clinician reads the query (README, "Disorders"): first a condition the query names exactly (its
   * name, a common name or abbreviation, or a lay phrase, by the phrase's weight); then one whose name or alias
   * contains the query as a phrase, or whose name, alias or lay phrase of two words or more the query contains (a lone
   * everyday word inside a sentence is weak evidence), the closer the better;
   * then by the share of the query's words found among the condition's names and lay phrases, each word weighted by
   * its rarity among conditions (inverse document frequency: "cant" says less than "breathe"), and a little by how
   * completely one of those phrases is in the query; then full-text rank (name and aliases A, symptoms and lay phrases B, description C; every word a prefix).
   * English stemming throughout; a misspelt word is first corrected to the catalogue's closest word (pg_trgm).
   */
  async search(text: string, limit: number): Promise<Disorder[]> {
    const words = searchWords(text);
    if (words.length === 0) return [];
    const checks = await this.em.execute<WordCheck[]>(
      `select q.word,
              q.word !~ '^[a-z]{3,}$' or exists (select 1 from mentalhealth.disorder_lexicon l where l.word like q.word || '%') as known,
              (select l.word from mentalhealth.disorder_lexicon l
                where similarity(l.word, q.word) >= ? order by similarity(l.word, q.word) desc, l.word limit 1) as suggestion
         from unnest(array[${words.map(() => '?').join(', ')}]::text[]) as q(word)`,
      [TYPO_SIMILARITY, ...words],
    );
    const corrected = checks.map(({ word, known, suggestion }) => (known || !suggestion ? word : suggestion)).join(' ');
    const ranked = (tsquery: string) =>
      this.em.execute<Array<{ id: string }>>(
        `with q as (select ?::text as text, to_tsvector('english', ?) as v, phraseto_tsquery('english', ?) as phrase),
         named as (
           select s.slug, max(case
               when s.phrase = q.text or (length(q.v) > 0 and strip(s.terms) = strip(q.v)) then 2 + s.weight
               when length(q.v) = 0 or length(s.terms) = 0 then 0
               when (s.kind <> 'LAY' or length(s.terms) > 1) and q.v @@ phraseto_tsquery('english', s.phrase) then 1 + s.weight * length(s.terms) / length(q.v)::real
               when s.kind <> 'LAY' and s.terms @@ q.phrase then 1 + s.weight * length(q.v) / length(s.terms)::real
               else 0 end) as score
             from mentalhealth.disorder_synonym s, q
            group by s.slug),
         vocabulary as (
           select distinct s.slug, w as word from mentalhealth.disorder_synonym s, unnest(tsvector_to_array(s.terms)) as w),
         rarity as (
           select w as word, ln(1 + (select count(distinct slug) from vocabulary)::real / (1 + count(v.slug))) as idf
             from q cross join unnest(tsvector_to_array(q.v)) as w left join vocabulary v on v.word = w
            group by w),
         completeness as (
           select s.slug, max((select count(*) from unnest(tsvector_to_array(s.terms)) x where x = any(tsvector_to_array(q.v)))::real / length(s.terms)) as share
             from mentalhealth.disorder_synonym s, q
            where tsvector_to_array(s.terms) && tsvector_to_array(q.v)
            group by s.slug),
         worded as (
           select v.slug, 0.9 * sum(r.idf) / (select sum(idf) from rarity) + 0.09 * max(c.share) as score
             from vocabulary v join rarity r on r.word = v.word join completeness c on c.slug = v.slug
            group by v.slug)
         select d.id
           from mentalhealth.disorder d
           left join named n on n.slug = d.slug
           left join worded w on w.slug = d.slug, to_tsquery('english', ?) as f
          where n.score > 0 or w.score > 0 or d.search_vector @@ f
          order by greatest(n.score, w.score, 0) desc, ts_rank(d.search_vector, f) desc, d.name
          limit ?`,
        [corrected, corrected, corrected, tsquery, limit],
      );
    // All words must match; when nothing does, any word may ("cant sleep" still finds insomnia).
    let rows = await ranked(tsqueryOf(checks));
    if (rows.length === 0 && checks.length > 1) rows = await ranked(tsqueryOf(checks, '|'));
    if (rows.length === 0) return [];
    const found = await this.em.find(DisorderSchema, { id: { $in: rows.map((r) => r.id) } });
    const byId = new Map(found.map((d) => [d.id, d]));
    return rows.map((r) => byId.get(r.id)).filter((d): d is Disorder => d !== undefined);
  }
}
