/**
 * The shape of the chatbot's rule tables: data only, one table set per language (chatbot-lexicon-en.ts,
 * chatbot-lexicon-es.ts). Patterns are regular-expression sources over normalised text (lower case, no accents, no
 * apostrophes, words separated by one space, clause punctuation turned into `|`, one space padding each side), so a
 * pattern written ` word ` matches whole words.
 *
 * Rule ids name the clinical source, so a stored classification explains itself:
 * - `cssrs.*`  the Columbia Suicide Severity Rating Scale screener: wish_dead, ideation, method, intent, plan,
 *              preparatory (behaviour), attempt, self_harm (non-suicidal self-injury);
 * - `means.*`  lethal means at hand or being acquired (firearm, ligature, pills, height, blade, vehicle, gas);
 * - `warning.*` the warning signs published by 988 and the AFSP (goodbye, possessions, burden, trapped, hopeless,
 *              unbearable_pain, no_reason_to_live, substance, withdrawal, ...);
 * - `distress.*`, `abuse.*`, `harm_to_others` other reasons for an ELEVATED answer; `low.<topic>` everyday distress;
 * - modifiers that explain why a phrase did NOT make a crisis: `negation.not`, `negation.past`,
 *   `subject.third_person`, `informational`, `figurative`, `accident`; and `combination.means_and_warning`,
 *   `recurrence` when they made one.
 */

export type Language = 'en' | 'es';

export type LowTopic = 'sleep' | 'anxiety' | 'loneliness' | 'stress' | 'sadness' | 'anger';
export type ElevatedTopic = 'abuse' | 'panic' | 'distress';

export interface CrisisRuleSpec {
  id: string;
  pattern: string;
  /** The phrase already carries its own negation ("dont want to live"): skip the negation check. */
  intrinsic?: boolean;
  /** The phrase itself names the speaker ("myself", "my life", "without me"): skip the third-party check. */
  firstPerson?: boolean;
  /** A bare topic word ("suicide", "self harm"), which may be merely informational ("suicide hotline"). */
  mention?: boolean;
  /** "hurt myself" can be an accident ("I accidentally hurt myself at the gym"). */
  accidentProne?: boolean;
}

export interface RuleSpec {
  id: string;
  pattern: string;
}

export interface MeansAccessSpec extends RuleSpec {
  /** Access alone is worth an ELEVATED answer (firearms: the most lethal means). */
  aloneElevated?: boolean;
}

export interface ElevatedRuleSpec extends RuleSpec {
  topic: ElevatedTopic;
}

export interface LowRuleSpec {
  topic: LowTopic;
  pattern: string;
  /** An emotion word that a preceding negation cancels ("not anxious anymore"). */
  negatable?: boolean;
}

export interface Lexicon {
  language: Language;
  /** Common words of the language, to tell which language a message is in. */
  markers: string;
  /** First-person crisis language: CRISIS unless a modifier explains it away. */
  crisis: readonly CrisisRuleSpec[];
  /** Access to lethal means ("I bought a gun"): CRISIS together with a warning sign, otherwise only recorded. */
  meansAccess: readonly MeansAccessSpec[];
  /** Hyperbole ("this homework is killing me"): masked out before the crisis rules run. */
  figurative: readonly string[];
  /** Someone else's self-harm or suicide ("she wants to kill herself"): a concern, not the speaker's crisis. */
  thirdParty: readonly string[];
  /** Goodbye messages: a strong phrase alone, or two weak signs with no promise of another conversation. */
  goodbye: { weak: readonly string[]; continuing: string };
  elevated: readonly ElevatedRuleSpec[];
  /** Ordered by the priority of the coping suggestion when a message touches several topics. */
  low: readonly LowRuleSpec[];
  /** A negation right before a crisis phrase; group 1 is the words between (checked against the cancellers). */
  negationBefore: string;
  /** Words which, between a negation and the phrase, cancel it ("didnt MEAN to", "not gonna LIE"). */
  negationCancellers: string;
  /** Reporting verbs after a negation keep it even before "I" ("I never SAID I wanted to die"). */
  negationReported: string;
  /** A negation right before an emotion word ("not anxious"). */
  lowNegationBefore: string;
  /** The phrase is about the speaker's past ("used to", "years ago"). */
  past: string;
  /** ... unless the message says it is happening again or now. */
  present: string;
  /** Someone other than the speaker, as the subject of what follows. */
  thirdPartySubject: string;
  /** The speaker as subject again ("she said I want to die"). */
  firstPersonSubject: string;
  /** Topic words after a mention that make it informational ("suicide hotline"). */
  infoAfter: string;
  /** Phrases before a mention that make it informational ("signs of suicide"). */
  infoBefore: string;
  /** Questions about crisis services ("what does 988 do"), informational by themselves. */
  infoTopics: string;
  /** Question openers; a question without a first-person word is informational. */
  questionStart: string;
  anyFirstPerson: string;
  accident: string;
  /** What a NONE message is about, to pick the reply. */
  intents: { greeting: string; booking: string; thanks: string; positive: string };
}
