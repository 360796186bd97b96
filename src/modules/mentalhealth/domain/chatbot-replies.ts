/**
 * The support chatbot's replies: `composeResponse` builds a short, warm, deterministic reply from the classification
 * `analyseMessage` already made (level, concern, topics, rules, intent), never looking at the message again. The
 * texts are data, per language (chatbot-reply-texts-en.ts, -es.ts).
 */
import type { Language, RiskAnalysis } from './chatbot';
import type { ReplyTexts } from './chatbot-reply-texts';
import { ENGLISH_REPLIES } from './chatbot-reply-texts-en';
import { SPANISH_REPLIES } from './chatbot-reply-texts-es';

export interface ResponderContext {
  firstName?: string;
  /** `null` = the user has no therapist yet; `undefined` = unknown. */
  therapistName?: string | null;
}

const REPLIES: Record<Language, ReplyTexts> = { en: ENGLISH_REPLIES, es: SPANISH_REPLIES };

/** A text with its `{placeholders}` filled in, in one pass (a name holding braces stays as written). */
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (placeholder, key: string) => values[key] ?? placeholder);

/** Trims, collapses whitespace, drops control characters and caps the length of a display name. */
function cleanName(name: string | null | undefined): string | undefined {
  if (typeof name !== 'string') return undefined;
  const cleaned = name
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .trim();
  return cleaned || undefined;
}

/** Deterministic choice among variants (FNV-1a of the normalised message). */
function pick<T>(variants: readonly T[], seed: string): T {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return variants[hash % variants.length];
}

/** Prefixes the user's first name to a sentence: "Sam, that sounds ..." (keeping "I" capitalised). */
function addressed(firstName: string | undefined, sentence: string): string {
  if (!firstName) return sentence;
  const rest = /^I\b/.test(sentence) ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
  return `${firstName}, ${rest}`;
}

/**
 * A supportive, warm, non-judgemental reply (1-5 sentences, never diagnosing) in the message's language,
 * deterministic for the same analysis and context.
 * `context.therapistName`: a name = they have a therapist; `null` = no therapist yet; `undefined` = unknown.
 */
export function composeResponse(analysis: RiskAnalysis, context: ResponderContext = {}): string {
  const text = REPLIES[analysis.language];
  const firstName = cleanName(context.firstName);
  const therapist = cleanName(context.therapistName);
  const noTherapist = context.therapistName === null || (typeof context.therapistName === 'string' && !therapist);
  const sentences: string[] = [];

  switch (analysis.level) {
    case 'CRISIS': {
      const t = text.crisis;
      sentences.push(addressed(firstName, t.opening), t.line, t.emergency);
      sentences.push(therapist ? fill(t.therapistAlerted, { therapist }) : noTherapist ? t.noTherapist : t.unknownTherapist);
      sentences.push(t.stayClose);
      break;
    }
    case 'ELEVATED': {
      const t = text.elevated;
      if (analysis.concern === 'someone-else') sentences.push(addressed(firstName, t.someoneElse[0]), t.someoneElse[1]);
      else if (analysis.concern === 'information') sentences.push(addressed(firstName, t.information[0]), t.information[1]);
      else if (analysis.concern === 'history') sentences.push(addressed(firstName, t.history[0]), t.history[1]);
      else {
        sentences.push(addressed(firstName, pick(t.openings, analysis.seed)));
        if (analysis.elevatedTopics.includes('abuse')) sentences.push(t.abuse);
        else if (analysis.rules.includes('means.firearm')) sentences.push(t.firearm);
      }
      sentences.push(therapist ? fill(t.therapist, { therapist }) : noTherapist ? t.noTherapist : t.unknownTherapist);
      if (analysis.concern === 'self') sentences.push(t.ifWorse);
      else if (analysis.concern !== 'history') sentences.push(t.aboutYou);
      break;
    }
    case 'LOW': {
      const topic = analysis.lowTopics[0];
      const [validation, tip] = topic ? [text.low[topic].validation, text.low[topic].tip] : text.lowGeneric;
      sentences.push(addressed(firstName, validation), tip, pick(text.low.closings, analysis.seed));
      break;
    }
    case 'NONE': {
      const t = text.none;
      if (analysis.intent === 'booking') sentences.push(addressed(firstName, therapist ? fill(t.bookingWithTherapist, { therapist }) : t.booking), t.bookingModes);
      else if (analysis.intent === 'greeting') sentences.push(firstName ? fill(t.greetingNamed, { firstName }) : t.greeting, t.howAreYou);
      else if (analysis.intent === 'thanks') sentences.push(addressed(firstName, t.glad), t.hereWhenever);
      else sentences.push(addressed(firstName, t.listening), t.invite);
      break;
    }
  }
  return sentences.join(' ');
}
