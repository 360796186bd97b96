/**
 * The support chatbot's risk classification: pure domain logic over the rule tables of chatbot-lexicon-en/es.ts
 * (compiled in chatbot-rules.ts). The reply is composed from its result by chatbot-replies.ts.
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
import type { ElevatedTopic, Language, LowTopic } from './chatbot-lexicon';
import { allMatches, clauseAround, clauseBefore, count, LEXICONS, normaliseMessage, type CompiledLexicon, type Hit } from './chatbot-rules';

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

// What explains a crisis phrase away: a negation, someone else as its subject, a question about information.

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
