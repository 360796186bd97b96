/**
 * The support chatbot's risk analysis: pure domain logic over the rule tables of chatbot-lexicon-en/es.ts.
 *
 * `analyseMessage` normalises a message once and returns everything the reply needs: the risk level, the language,
 * whose risk it is, the topics, and the ids of the rules that fired (stored with the interaction, so every
 * classification explains itself). A first-person crisis phrase (C-SSRS ideation, method, intent, plan, preparatory
 * behaviour, attempt, self-harm; lethal means at hand; a goodbye) makes CRISIS unless it is negated ("I would never"),
 * past ("years ago", unless "again"/"still"), someone else's ("my friend wants to die"), informational ("warning
 * signs of suicide") or an accident; hyperbole ("this homework is killing me") is masked before the crisis rules run.
 * Access to means ("I bought a gun") makes CRISIS together with a warning sign (burden, trapped, hopeless...).
 * Someone else's risk is ELEVATED with advice for helping them, not the speaker's CRISIS: the speaker's therapist is
 * not the one who can reach that person, and 988/911 are. When in doubt about a first-person statement, CRISIS stays:
 * a false alarm costs far less than a missed one.
 */
import type { ElevatedTopic, Language, Lexicon, LowTopic } from './chatbot-lexicon';
import { ENGLISH } from './chatbot-lexicon-en';
import { SPANISH } from './chatbot-lexicon-es';

export type RiskLevel = 'NONE' | 'LOW' | 'ELEVATED' | 'CRISIS';
export type { Language, LowTopic, ElevatedTopic } from './chatbot-lexicon';

/** Whose risk an ELEVATED message is about. */
export type Concern = 'self' | 'history' | 'someone-else' | 'information';

/** What a calm message is about, to pick the reply. */
export type Intent = 'booking' | 'greeting' | 'thanks' | 'other';

export interface RiskAnalysis {
  level: RiskLevel;
  language: Language;
  concern: Concern;
  /** Ids of the rules that fired, sorted: `cssrs.plan`, `means.firearm`, `warning.goodbye`, `negation.past`... */
  rules: string[];
  elevatedTopics: ElevatedTopic[];
  lowTopics: LowTopic[];
  intent: Intent;
  /** The normalised message, a seed for choosing among reply variants deterministically. */
  seed: string;
}

export const MAX_CHATBOT_MESSAGE_LENGTH = 2000;

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

interface CrisisRule {
  id: string;
  pattern: RegExp;
  intrinsic: boolean;
  firstPerson: boolean;
  mention: boolean;
  accidentProne: boolean;
  lexicon: CompiledLexicon;
}

interface CompiledLexicon {
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

const LEXICONS: readonly CompiledLexicon[] = [compile(ENGLISH), compile(SPANISH)];

// ---------------------------------------------------------------------------------------------------------------------
// Matching helpers
// ---------------------------------------------------------------------------------------------------------------------

interface Hit {
  index: number;
  length: number;
}

/** Every match of a global pattern; patterns start and end on a space, so the next search steps back one. */
function allMatches(pattern: RegExp, text: string): Hit[] {
  const hits: Hit[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    hits.push({ index: m.index, length: m[0].length });
    pattern.lastIndex = m.index + Math.max(1, m[0].length - 1);
  }
  return hits;
}

function count(pattern: RegExp, text: string): number {
  return allMatches(pattern, text).length;
}

/** The clause (since the last boundary) that precedes a position, with a leading space. */
function clauseBefore(text: string, index: number): string {
  const before = text.slice(0, index + 1);
  const cut = before.lastIndexOf(` ${BREAK} `);
  return cut >= 0 ? before.slice(cut + 2) : before;
}

/** The whole clause around a hit, from the boundary before it to the boundary after it. */
function clauseAround(text: string, hit: Hit): string {
  const start = text.lastIndexOf(` ${BREAK} `, hit.index);
  const end = text.indexOf(` ${BREAK} `, hit.index + hit.length - 1);
  return ` ${text.slice(start < 0 ? 0 : start + 3, end < 0 ? text.length : end)} `;
}

function isNegated(lex: CompiledLexicon, text: string, hit: Hit): boolean {
  const m = lex.negationBefore.exec(clauseBefore(text, hit.index));
  if (m === null) return false;
  const between = ` ${m[1]}`;
  return lex.negationReported.test(between) || !lex.negationCancellers.test(between);
}

function isAboutSomeoneElse(lex: CompiledLexicon, text: string, hit: Hit): boolean {
  const before = clauseBefore(text, hit.index);
  const subjects = allMatches(lex.thirdPartySubject, before);
  if (subjects.length === 0) return false;
  const last = subjects[subjects.length - 1];
  // "she said I want to die": the speaker is the subject again after the third party
  return !lex.firstPersonSubject.test(before.slice(last.index + last.length - 1));
}

function isInformational(lex: CompiledLexicon, text: string, hit: Hit): boolean {
  const after = text.slice(hit.index + hit.length).replace(/^(?:\| )+/, '');
  if (lex.infoAfter.test(after)) return true;
  if (lex.infoBefore.test(clauseBefore(text, hit.index))) return true;
  return lex.questionStart.test(text) && !lex.anyFirstPerson.test(text);
}

function detectLanguage(message: string, text: string): Language {
  const spanishSigns = (message.match(/[ñ¿¡áéíóú]/gi) ?? []).length;
  const [english, spanish] = LEXICONS.map((lex) => count(lex.markers, text));
  return spanish + 2 * spanishSigns > english ? 'es' : 'en';
}

// ---------------------------------------------------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------------------------------------------------

/** Analyses a patient's message once; the reply and the stored interaction are built from the result. */
export function analyseMessage(message: string): RiskAnalysis {
  const text = normaliseMessage(message);
  const language = detectLanguage(message, text);
  const rules = new Set<string>();
  const elevatedTopics = new Set<ElevatedTopic>();
  const lowTopics: LowTopic[] = [];

  // hyperbole is masked out so "killing me" or "me muero de risa" never reaches the crisis rules
  let masked = text;
  for (const lex of LEXICONS) {
    for (const pattern of lex.figurative) {
      pattern.lastIndex = 0;
      if (pattern.test(masked)) {
        rules.add('figurative');
        masked = masked.replace(pattern, ' ~ ');
      }
    }
  }

  for (const lex of LEXICONS) {
    for (const rule of lex.elevated) {
      if (rule.pattern.test(text)) {
        rules.add(rule.id);
        elevatedTopics.add(rule.topic);
      }
    }
    for (const rule of lex.low) {
      if (lowTopics.includes(rule.topic)) continue;
      const hit = allMatches(rule.pattern, text).find((h) => !(rule.negatable && lex.lowNegationBefore.test(clauseBefore(text, h.index))));
      if (hit) {
        lowTopics.push(rule.topic);
        rules.add(`low.${rule.topic}`);
      }
    }
  }
  const warningSign = [...rules].some((id) => id.startsWith('warning.'));

  let crisis = false;
  let negated = false;
  let history = false;
  let thirdParty = false;
  let informational = false;
  let meansAlone = false;
  for (const lex of LEXICONS) {
    if (lex.thirdParty.some((p) => p.test(masked))) {
      rules.add('subject.third_person');
      thirdParty = true;
    }
    if (lex.infoTopics.test(masked) && lex.questionStart.test(masked)) {
      rules.add('informational');
      informational = true;
    }
    for (const rule of lex.crisis) {
      for (const hit of allMatches(rule.pattern, masked)) {
        rules.add(rule.id);
        if (rule.accidentProne && lex.accident.test(masked)) {
          rules.add('accident');
        } else if (!rule.firstPerson && isAboutSomeoneElse(lex, masked, hit)) {
          rules.add('subject.third_person');
          thirdParty = true;
        } else if (rule.mention && isInformational(lex, masked, hit)) {
          rules.add('informational');
          informational = true;
        } else if (!rule.intrinsic && isNegated(lex, masked, hit)) {
          rules.add('negation.not');
          negated = true;
        } else if (lex.past.test(clauseAround(masked, hit)) && !lex.present.test(masked)) {
          rules.add('negation.past');
          history = true;
        } else {
          if (lex.past.test(clauseAround(masked, hit))) rules.add('recurrence');
          crisis = true;
        }
      }
    }
    // a goodbye in weak words: two of "goodbye", "thank you for everything", "last message", "I'm sorry", "forever"
    const goodbyeSigns = lex.goodbyeWeak.filter((p) => p.test(masked)).length;
    if (goodbyeSigns >= 2 && !lex.goodbyeContinuing.test(masked) && !thirdParty) {
      rules.add('warning.goodbye');
      crisis = true;
    }
    // access to lethal means together with a warning sign (988/AFSP: a warning sign plus means is an emergency)
    for (const rule of lex.meansAccess) {
      for (const hit of allMatches(rule.pattern, masked)) {
        if (isAboutSomeoneElse(lex, masked, hit) || isNegated(lex, masked, hit)) continue;
        rules.add(rule.id);
        if (rule.aloneElevated) meansAlone = true;
        if (warningSign) {
          rules.add('combination.means_and_warning');
          crisis = true;
        }
      }
    }
  }

  const sorted = [...rules].sort();
  const topics = [...elevatedTopics];
  const intent = intentOf(LEXICONS.find((lex) => lex.language === language)!, text);
  const base = { language, rules: sorted, elevatedTopics: topics, lowTopics, intent, seed: text };
  if (crisis) return { ...base, level: 'CRISIS', concern: 'self' };
  if (topics.length > 0 || negated || meansAlone) return { ...base, level: 'ELEVATED', concern: 'self' };
  if (history) return { ...base, level: 'ELEVATED', concern: 'history' };
  if (thirdParty) return { ...base, level: 'ELEVATED', concern: 'someone-else' };
  if (informational) return { ...base, level: 'ELEVATED', concern: 'information' };
  return { ...base, level: lowTopics.length > 0 ? 'LOW' : 'NONE', concern: 'self' };
}

function intentOf(lex: CompiledLexicon, text: string): Intent {
  if (lex.intents.booking.test(text)) return 'booking';
  if (lex.intents.greeting.test(text)) return 'greeting';
  if (lex.intents.thanks.test(text) || lex.intents.positive.test(text)) return 'thanks';
  return 'other';
}

/**
 * Classifies a patient's message as CRISIS, ELEVATED, LOW or NONE (see the module comment).
 * The whole message is scanned; callers enforce `MAX_CHATBOT_MESSAGE_LENGTH`.
 */
export function classifyRisk(message: string): RiskLevel {
  return analyseMessage(message).level;
}
