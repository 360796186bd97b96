import type { EntityManager } from '@mikro-orm/postgresql';
import type { DisorderRepository } from '../application/ports';
import type { Disorder, DisorderType } from '../domain/disorder';
import { DisorderSchema } from './persistence';

/** The words of a search, lower-cased letters and digits only (safe inside a tsquery). */
export function searchWords(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 10);
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
   * Full-text rank (name weighted A, symptoms B, description C; english stemming; every word a
   * prefix), with misspelt words corrected against the catalogue's own words by trigram similarity.
   */
  async search(text: string, limit: number): Promise<Disorder[]> {
    const words = searchWords(text);
    if (words.length === 0) return [];
    const checks = await this.em.execute<WordCheck[]>(
      `select q.word,
              exists (select 1 from mentalhealth.disorder_lexicon l where l.word like q.word || '%') as known,
              (select l.word from mentalhealth.disorder_lexicon l
                where similarity(l.word, q.word) >= ? order by similarity(l.word, q.word) desc, l.word limit 1) as suggestion
         from unnest(array[${words.map(() => '?').join(', ')}]::text[]) as q(word)`,
      [TYPO_SIMILARITY, ...words],
    );
    const ranked = (tsquery: string) =>
      this.em.execute<Array<{ id: string }>>(
        `select d.id from mentalhealth.disorder d, to_tsquery('english', ?) as q
          where d.search_vector @@ q
          order by ts_rank(d.search_vector, q) desc, d.name
          limit ?`,
        [tsquery, limit],
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
