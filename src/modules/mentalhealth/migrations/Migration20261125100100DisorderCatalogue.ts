import { createHash } from 'node:crypto';
import { Migration } from '../../../platform/migration';
import { disorderCatalogue } from './data/disorder-catalogue';

const text = (value: string | null | undefined) => (value === null || value === undefined ? 'null' : `'${value.replace(/'/g, "''")}'`);
const textArray = (values: readonly string[]) => `array[${values.map(text).join(', ')}]::text[]`;

/** A stable id per slug, so every installation names a condition the same way. */
function idOf(slug: string): string {
  const hex = createHash('sha256').update(`aura.disorder.${slug}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Ships the reference catalogue of conditions and builds its search vectors. */
export class Migration20261125100100DisorderCatalogue extends Migration {
  override async up(): Promise<void> {
    for (const d of disorderCatalogue('20261125100100')) {
      this.addSql(`insert into "mentalhealth"."disorder"
        ("id", "slug", "name", "type", "description", "signs_and_symptoms", "symptoms", "causes", "treatment", "prevention")
        values ('${idOf(d.slug)}', ${text(d.slug)}, ${text(d.name)}, ${text(d.type)}, ${text(d.description)}, ${text(d.signsAndSymptoms)},
          ${textArray(d.symptoms)}, ${textArray(d.causes)}, ${text(d.treatment)}, ${text(d.prevention)})
        on conflict ("slug") do nothing`);
    }
    this.addSql(`update "mentalhealth"."disorder" set "search_vector" =
        setweight(to_tsvector('english', "name"), 'A')
     || setweight(to_tsvector('english', array_to_string("symptoms", ' ') || ' ' || "signs_and_symptoms"), 'B')
     || setweight(to_tsvector('english', "description"), 'C')`);
    // The words of the catalogue, for correcting a typo in a search ("anxeity" -> "anxiety").
    this.addSql('create table "mentalhealth"."disorder_lexicon" ("word" text primary key)');
    this.addSql(`insert into "mentalhealth"."disorder_lexicon" ("word")
      select word from ts_stat($$select to_tsvector('simple', "name" || ' ' || array_to_string("symptoms", ' ') || ' ' || "signs_and_symptoms" || ' ' || "description") from "mentalhealth"."disorder"$$)
      where length(word) >= 3 and word ~ '^[a-z]+$'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "mentalhealth"."disorder_lexicon"');
    this.addSql('delete from "mentalhealth"."disorder"');
  }
}
