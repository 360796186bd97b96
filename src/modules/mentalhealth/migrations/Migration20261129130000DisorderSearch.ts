import { createHash } from 'node:crypto';
import { Migration } from '../../../platform/migration';
import { disorderCatalogue, disorderSearchTerms } from './data/disorder-catalogue';

const text = (value: string) => `'${value.replace(/'/g, "''")}'`;
const textArray = (values: readonly string[]) => `array[${values.map(text).join(', ')}]::text[]`;

/** The same stable id per slug as Migration20261125100100DisorderCatalogue. */
function idOf(slug: string): string {
  const hex = createHash('sha256').update(`aura.disorder.${slug}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A name as search text: lower case, apostrophes dropped, a parenthesis removed, other punctuation a space. */
const normalised = (expression: string) =>
  `trim(regexp_replace(lower(replace(${expression}, '''', '')), '[^a-z0-9]+', ' ', 'g'))`;

/**
 * Clinician-grade disorder search: more conditions (autism spectrum disorder and the common DSM-5-TR categories the
 * first catalogue lacked), and the table of the words people use for each condition (its name, its common names and
 * abbreviations, lay phrases with a weight) that the search ranks by. Also defines
 * mentalhealth.refresh_disorder_search(), which rebuilds the full-text vectors and the typo lexicon from the catalogue
 * and that table; a later migration that ships more data calls it again.
 */
export class Migration20261129130000DisorderSearch extends Migration {
  override async up(): Promise<void> {
    const { aliases, layPhrases } = disorderSearchTerms('20261129130000');
    for (const d of disorderCatalogue('20261129130000')) {
      this.addSql(`insert into "mentalhealth"."disorder"
        ("id", "slug", "name", "type", "description", "signs_and_symptoms", "symptoms", "causes", "treatment", "prevention")
        values ('${idOf(d.slug)}', ${text(d.slug)}, ${text(d.name)}, ${text(d.type)}, ${text(d.description)}, ${text(d.signsAndSymptoms)},
          ${textArray(d.symptoms)}, ${textArray(d.causes)}, ${text(d.treatment)}, ${text(d.prevention)})
        on conflict ("slug") do nothing`);
    }
    this.addSql(`create table "mentalhealth"."disorder_synonym" (
      "slug" text not null references "mentalhealth"."disorder" ("slug") on delete cascade,
      "phrase" text not null check ("phrase" ~ '^[a-z0-9]+( [a-z0-9]+)*$'),
      "kind" text not null check ("kind" in ('NAME', 'ALIAS', 'LAY')),
      "weight" real not null default 1 check ("weight" > 0 and "weight" <= 1),
      "terms" tsvector not null generated always as (to_tsvector('english', "phrase")) stored,
      primary key ("slug", "phrase"))`);
    this.addSql(`comment on table "mentalhealth"."disorder_synonym" is
      'What people call a condition: NAME (its catalogue name), ALIAS (common names, abbreviations, the umbrella term it is meant by), LAY (a lay phrase; weight 1 = means this condition, lower = also suggests it)'`);
    // Every name, without a parenthesis ("Persistent Depressive Disorder (Dysthymia)"), whose content is an alias.
    this.addSql(`insert into "mentalhealth"."disorder_synonym" ("slug", "phrase", "kind")
      select "slug", ${normalised(`regexp_replace("name", '\\(.*\\)', '')`)}, 'NAME' from "mentalhealth"."disorder"
      union
      select "slug", ${normalised(`substring("name" from '\\((.*)\\)')`)}, 'ALIAS' from "mentalhealth"."disorder" where "name" like '%(%)%'
      on conflict do nothing`);
    for (const [slug, names] of Object.entries(aliases)) {
      for (const alias of names) {
        this.addSql(`insert into "mentalhealth"."disorder_synonym" ("slug", "phrase", "kind") values (${text(slug)}, ${text(alias)}, 'ALIAS') on conflict do nothing`);
      }
    }
    for (const [phrase, slug, weight] of layPhrases) {
      this.addSql(`insert into "mentalhealth"."disorder_synonym" ("slug", "phrase", "kind", "weight") values (${text(slug)}, ${text(phrase)}, 'LAY', ${weight}) on conflict do nothing`);
    }
    this.addSql(`create function "mentalhealth"."refresh_disorder_search"() returns void language sql as $$
      update "mentalhealth"."disorder" d set "search_vector" =
          setweight(to_tsvector('english', d."name" || ' ' || coalesce((select string_agg(s."phrase", ' ') from "mentalhealth"."disorder_synonym" s where s."slug" = d."slug" and s."kind" = 'ALIAS'), '')), 'A')
       || setweight(to_tsvector('english', array_to_string(d."symptoms", ' ') || ' ' || d."signs_and_symptoms" || ' ' || coalesce((select string_agg(s."phrase", ' ') from "mentalhealth"."disorder_synonym" s where s."slug" = d."slug" and s."kind" = 'LAY'), '')), 'B')
       || setweight(to_tsvector('english', d."description"), 'C');
      delete from "mentalhealth"."disorder_lexicon";
      insert into "mentalhealth"."disorder_lexicon" ("word")
        select word from ts_stat($q$select to_tsvector('simple', "name" || ' ' || array_to_string("symptoms", ' ') || ' ' || "signs_and_symptoms" || ' ' || "description") from "mentalhealth"."disorder"
                                union all select to_tsvector('simple', "phrase") from "mentalhealth"."disorder_synonym"$q$)
        where length(word) >= 3 and word ~ '^[a-z]+$';
    $$`);
    this.addSql('select "mentalhealth"."refresh_disorder_search"()');
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists "mentalhealth"."refresh_disorder_search"()');
    this.addSql('drop table if exists "mentalhealth"."disorder_synonym"');
    this.addSql(`delete from "mentalhealth"."disorder" where "slug" in (${disorderCatalogue('20261129130000').map((d) => text(d.slug)).join(', ')})`);
    // Back to the vectors and lexicon of Migration20261125100100DisorderCatalogue.
    this.addSql(`update "mentalhealth"."disorder" set "search_vector" =
        setweight(to_tsvector('english', "name"), 'A')
     || setweight(to_tsvector('english', array_to_string("symptoms", ' ') || ' ' || "signs_and_symptoms"), 'B')
     || setweight(to_tsvector('english', "description"), 'C')`);
    this.addSql('delete from "mentalhealth"."disorder_lexicon"');
    this.addSql(`insert into "mentalhealth"."disorder_lexicon" ("word")
      select word from ts_stat($$select to_tsvector('simple', "name" || ' ' || array_to_string("symptoms", ' ') || ' ' || "signs_and_symptoms" || ' ' || "description") from "mentalhealth"."disorder"$$)
      where length(word) >= 3 and word ~ '^[a-z]+$'`);
  }
}
