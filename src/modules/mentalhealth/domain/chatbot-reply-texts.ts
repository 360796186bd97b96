/**
 * The shape of the chatbot's reply texts: data only, one set per language (chatbot-reply-texts-en.ts, -es.ts),
 * composed by chatbot-replies.ts. A `{therapist}` or `{firstName}` in a text is filled in with the (cleaned) name.
 * Crisis lines: 988 Suicide & Crisis Lifeline (US; press 2 or text AYUDA for Spanish), 911 (US, Mexico),
 * 112 (EU and many countries, Spain included), 999 (UK), 024 (Spain's suicide-prevention line).
 */
import type { LowTopic } from './chatbot-lexicon';

export interface ReplyTexts {
  crisis: {
    opening: string;
    line: string;
    emergency: string;
    /** With `{therapist}`. */
    therapistAlerted: string;
    noTherapist: string;
    unknownTherapist: string;
    stayClose: string;
  };
  elevated: {
    /** Variants, one chosen per message. */
    openings: readonly string[];
    abuse: string;
    someoneElse: readonly [string, string];
    information: readonly [string, string];
    history: readonly [string, string];
    firearm: string;
    /** With `{therapist}`. */
    therapist: string;
    noTherapist: string;
    unknownTherapist: string;
    ifWorse: string;
    aboutYou: string;
  };
  low: Record<LowTopic, { validation: string; tip: string }> & { closings: readonly string[] };
  lowGeneric: readonly [string, string];
  none: {
    booking: string;
    /** With `{therapist}`. */
    bookingWithTherapist: string;
    bookingModes: string;
    greeting: string;
    /** With `{firstName}`. */
    greetingNamed: string;
    howAreYou: string;
    glad: string;
    hereWhenever: string;
    listening: string;
    invite: string;
  };
}
