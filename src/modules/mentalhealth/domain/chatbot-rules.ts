/**
 * The chatbot's rule tables (chatbot-lexicon-en/es.ts), compiled once into regular expressions over normalised text,
 * and the primitives a rule is matched with: every hit of a pattern, and the clause around a hit.
 */
import type { ElevatedTopic, Language, Lexicon, LowTopic } from './chatbot-lexicon';
import { ENGLISH } from './chatbot-lexicon-en';
import { SPANISH } from './chatbot-lexicon-es';

/** Marks a clause boundary (sentence punctuation, commas, line breaks) in normalised text. */
const BREAK = '|';

/**
 * Lower-cases, drops accents ("más" -> "mas", "daño" -> "dano") and apostrophes ("I’m" -> "im"), turns clause
 * punctuation (including ¿ and ¡) into a `|` boundary, strips any other punctuation and collapses whitespace. The
 * result is space-separated words and boundaries padded with one space each side, so rules can rely on `' word '`.
 */
export function normaliseMessage(message: string): string {
  const text = message
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032\u00b4`]/g, "'")
    .replace(/'/g, '')
    .replace(/[.!?;:,\n\r()[\]{}"\u201c\u201d\u2026\u2013\u2014\u00bf\u00a1]+/g, ` ${BREAK} `)
    .replace(/[^a-z0-9| ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ` ${text} `;
}

// ---------------------------------------------------------------------------------------------------------------------
// Compiled rule tables
// ---------------------------------------------------------------------------------------------------------------------

export interface CrisisRule {
  id: string;
  pattern: RegExp;
  intrinsic: boolean;
  firstPerson: boolean;
  mention: boolean;
  accidentProne: boolean;
  lexicon: CompiledLexicon;
}

export interface CompiledLexicon {
  language: Language;
  markers: RegExp;
  crisis: CrisisRule[];
  meansAccess: { id: string; pattern: RegExp; aloneElevated: boolean }[];
  figurative: RegExp[];
  thirdParty: RegExp[];
  goodbyeWeak: RegExp[];
  goodbyeContinuing: RegExp;
  elevated: { id: string; topic: ElevatedTopic; pattern: RegExp }[];
  low: { topic: LowTopic; pattern: RegExp; negatable: boolean }[];
  negationBefore: RegExp;
  negationCancellers: RegExp;
  negationReported: RegExp;
  lowNegationBefore: RegExp;
  past: RegExp;
  present: RegExp;
  thirdPartySubject: RegExp;
  firstPersonSubject: RegExp;
  infoAfter: RegExp;
  infoBefore: RegExp;
  infoTopics: RegExp;
  questionStart: RegExp;
  anyFirstPerson: RegExp;
  accident: RegExp;
  intents: Record<'greeting' | 'booking' | 'thanks' | 'positive', RegExp>;
}

const global = (source: string) => new RegExp(source, 'g');
const once = (source: string) => new RegExp(source);

function compile(lexicon: Lexicon): CompiledLexicon {
  const compiled: CompiledLexicon = {
    language: lexicon.language,
    markers: global(lexicon.markers),
    crisis: [],
    meansAccess: lexicon.meansAccess.map((r) => ({ id: r.id, pattern: global(r.pattern), aloneElevated: r.aloneElevated ?? false })),
    figurative: lexicon.figurative.map(global),
    thirdParty: lexicon.thirdParty.map(once),
    goodbyeWeak: lexicon.goodbye.weak.map(once),
    goodbyeContinuing: once(lexicon.goodbye.continuing),
    elevated: lexicon.elevated.map((r) => ({ id: r.id, topic: r.topic, pattern: once(r.pattern) })),
    low: lexicon.low.map((r) => ({ topic: r.topic, pattern: global(r.pattern), negatable: r.negatable ?? false })),
    negationBefore: once(lexicon.negationBefore),
    negationCancellers: once(lexicon.negationCancellers),
    negationReported: once(lexicon.negationReported),
    lowNegationBefore: once(lexicon.lowNegationBefore),
    past: once(lexicon.past),
    present: once(lexicon.present),
    thirdPartySubject: global(String.raw` ${lexicon.thirdPartySubject} `),
    firstPersonSubject: once(lexicon.firstPersonSubject),
    infoAfter: once(lexicon.infoAfter),
    infoBefore: once(lexicon.infoBefore),
    infoTopics: once(lexicon.infoTopics),
    questionStart: once(lexicon.questionStart),
    anyFirstPerson: once(lexicon.anyFirstPerson),
    accident: once(lexicon.accident),
    intents: {
      greeting: once(lexicon.intents.greeting),
      booking: once(lexicon.intents.booking),
      thanks: once(lexicon.intents.thanks),
      positive: once(lexicon.intents.positive),
    },
  };
  compiled.crisis = lexicon.crisis.map((r) => ({
    id: r.id,
    pattern: global(r.pattern),
    intrinsic: r.intrinsic ?? false,
    firstPerson: r.firstPerson ?? false,
    mention: r.mention ?? false,
    accidentProne: r.accidentProne ?? false,
    lexicon: compiled,
  }));
  return compiled;
}

export const LEXICONS: readonly CompiledLexicon[] = [compile(ENGLISH), compile(SPANISH)];

// ---------------------------------------------------------------------------------------------------------------------
// Matching helpers
// ---------------------------------------------------------------------------------------------------------------------

export interface Hit {
  index: number;
  length: number;
}

/** Every match of a global pattern; patterns start and end on a space, so the next search steps back one. */
export function allMatches(pattern: RegExp, text: string): Hit[] {
  const hits: Hit[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    hits.push({ index: m.index, length: m[0].length });
    pattern.lastIndex = m.index + Math.max(1, m[0].length - 1);
  }
  return hits;
}

export function count(pattern: RegExp, text: string): number {
  return allMatches(pattern, text).length;
}

/** The clause (since the last boundary) that precedes a position, with a leading space. */
export function clauseBefore(text: string, index: number): string {
  const before = text.slice(0, index + 1);
  const cut = before.lastIndexOf(` ${BREAK} `);
  return cut >= 0 ? before.slice(cut + 2) : before;
}

/** The whole clause around a hit, from the boundary before it to the boundary after it. */
export function clauseAround(text: string, hit: Hit): string {
  const start = text.lastIndexOf(` ${BREAK} `, hit.index);
  const end = text.indexOf(` ${BREAK} `, hit.index + hit.length - 1);
  return ` ${text.slice(start < 0 ? 0 : start + 3, end < 0 ? text.length : end)} `;
}
