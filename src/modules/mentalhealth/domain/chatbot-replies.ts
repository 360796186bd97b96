/**
 * The support chatbot's replies: text tables per language and `composeResponse`, which builds a short, warm,
 * deterministic reply from an analysis (`analyseMessage`) without analysing the message again.
 * Crisis lines: 988 Suicide & Crisis Lifeline (US; press 2 or text AYUDA for Spanish), 911 (US, Mexico),
 * 112 (EU and many countries, Spain included), 999 (UK), 024 (Spain's suicide-prevention line).
 */
import type { Language, LowTopic, RiskAnalysis } from './chatbot';

export interface ResponderContext {
  firstName?: string;
  /** `null` = the user has no therapist yet; `undefined` = unknown. */
  therapistName?: string | null;
}

interface Replies {
  crisis: {
    opening: string;
    line: string;
    emergency: string;
    therapistAlerted: (name: string) => string;
    noTherapist: string;
    unknownTherapist: string;
    stayClose: string;
  };
  elevated: {
    openings: readonly string[];
    abuse: string;
    someoneElse: readonly [string, string];
    information: readonly [string, string];
    history: readonly [string, string];
    firearm: string;
    therapist: (name: string) => string;
    noTherapist: string;
    unknownTherapist: string;
    ifWorse: string;
    aboutYou: string;
  };
  low: Record<LowTopic, { validation: string; tip: string }> & { closings: readonly string[] };
  lowGeneric: readonly [string, string];
  none: {
    booking: (therapist: string | undefined) => string;
    bookingModes: string;
    greeting: (firstName: string | undefined) => string;
    howAreYou: string;
    glad: string;
    hereWhenever: string;
    listening: string;
    invite: string;
  };
}

const ENGLISH_REPLIES: Replies = {
  crisis: {
    opening: "I'm really glad you told me, and I'm so sorry you're going through this: you deserve support right now.",
    line: 'Please call or text 988 (the Suicide & Crisis Lifeline, US) now to talk to someone who can help, any time, day or night.',
    emergency: "If you're in immediate danger or have already hurt yourself, call 911 (US) or your local emergency number (112 in the EU and many countries, 999 in the UK).",
    therapistAlerted: (name) => `Your therapist, ${name}, has been alerted and you can message them here.`,
    noTherapist: 'When you can, please book a session with a therapist here so you have ongoing support.',
    unknownTherapist: 'You can also message your therapist, or book a session with a therapist here.',
    stayClose: 'If you can, stay close to someone you trust while you reach out.',
  },
  elevated: {
    openings: [
      "That sounds really heavy, and it makes sense that you're feeling this way; thank you for sharing it with me.",
      "I'm sorry things feel this hard right now; what you're feeling matters, and thank you for telling me.",
    ],
    abuse: "No one deserves to be hurt or threatened, and if you're ever in immediate danger, call 911 or your local emergency number.",
    someoneElse: [
      "It's clear you care a lot, and it's hard to carry worry like this.",
      'If someone may be thinking about harming themselves, encourage them to call or text 988 (Suicide & Crisis Lifeline, US), and call 911 or the local emergency number if they are in immediate danger.',
    ],
    information: [
      "Thank you for asking; it's an important question.",
      'In the US you can call or text 988 to reach the Suicide & Crisis Lifeline any time, and in an emergency call 911 or your local emergency number (112 in the EU and many countries, 999 in the UK).',
    ],
    history: [
      'Thank you for trusting me with that; it takes strength to talk about what you have been through.',
      "I'm glad you're in a better place now, and if those thoughts ever come back, you can call or text 988 (Suicide & Crisis Lifeline, US) any time.",
    ],
    firearm: 'If you ever feel unsafe, putting distance between yourself and a firearm (locked away, or kept by someone you trust) can save a life.',
    therapist: (name) => `It could really help to talk this through with your therapist, ${name}: you can message them or book a session soon.`,
    noTherapist: 'It could really help to talk this through with a therapist, and you can book a session here soon.',
    unknownTherapist: 'It could really help to reach out to your therapist or book a session soon.',
    ifWorse: 'If things get worse or you start thinking about harming yourself, please call or text 988 (Suicide & Crisis Lifeline, US) any time.',
    aboutYou: "And if any of this is about how you're feeling yourself, I'm here to listen.",
  },
  low: {
    sleep: {
      validation: 'Struggling with sleep is exhausting, and it can make everything else feel harder.',
      tip: 'A gentle wind-down routine before bed can help: dim the lights, put screens away about an hour before sleep, do something calming like reading or slow breathing, and aim to go to bed at the same time each night.',
    },
    anxiety: {
      validation: "Feeling anxious is really uncomfortable, and it makes sense that it's weighing on you.",
      tip: 'One thing that can help in the moment is paced breathing: try 4-7-8 breathing (breathe in for 4 seconds, hold for 7, breathe out slowly for 8) a few times, or box breathing (in for 4, hold for 4, out for 4, hold for 4).',
    },
    loneliness: {
      validation: "Feeling lonely is really hard, and you're not alone in feeling this way.",
      tip: 'It might help to reach out to someone today, even with a short message to a friend or family member, or to join a group or class around something you enjoy.',
    },
    stress: {
      validation: 'It sounds like you have a lot on your plate right now, and feeling stressed is completely understandable.',
      tip: 'It can help to break things down into one small next step at a time, and a short walk or a few minutes away from your screen can give your mind a reset.',
    },
    sadness: {
      validation: "I'm sorry you're feeling this way; sadness can feel really heavy.",
      tip: "Something gentle can help, like a short walk, listening to music you like, or journaling for a few minutes about what you're feeling.",
    },
    anger: {
      validation: "Feeling angry or frustrated is a normal reaction, and it's okay to feel it.",
      tip: 'When the anger rises, try to pause before you respond: step away for a moment and take a few slow, deep breaths until your body settles.',
    },
    closings: ["I'm here if you want to talk more about it.", "If you'd like, tell me a bit more about what's going on.", 'How are you feeling right now?'],
  },
  lowGeneric: ["Thank you for sharing how you're feeling; it's completely understandable.", 'Taking a few slow, deep breaths or a short break can help a little in the moment.'],
  none: {
    booking: (therapist) =>
      therapist
        ? `You can schedule a therapy session with your therapist, ${therapist}, or another therapist right here in Aura by choosing a time that suits you.`
        : 'You can schedule a therapy session with a therapist right here in Aura by choosing a time that suits you.',
    bookingModes: 'Sessions can be by chat, video or audio, whichever feels most comfortable.',
    greeting: (firstName) => (firstName ? `Hi ${firstName}, it's good to hear from you!` : "Hi there, it's good to hear from you!"),
    howAreYou: 'How are you feeling today?',
    glad: "I'm really glad to hear that, and thank you for checking in.",
    hereWhenever: "I'm here whenever you want to talk about how you're feeling.",
    listening: "Thank you for reaching out; I'm here to listen.",
    invite: 'How are you feeling today? Share as much or as little as you like.',
  },
};

const SPANISH_REPLIES: Replies = {
  crisis: {
    opening: 'Gracias por contármelo, y siento mucho que estés pasando por esto: mereces apoyo ahora mismo.',
    line: 'Por favor, llama al 988 y oprime 2 para hablar en español, o envía un mensaje de texto con la palabra AYUDA al 988 (988 Línea de Prevención del Suicidio y Crisis, EE. UU.), a cualquier hora del día o de la noche.',
    emergency: 'Si estás en peligro inmediato o ya te hiciste daño, llama al 911 (EE. UU. y México) o al número de emergencias local (112 en la UE y en España, donde también puedes llamar al 024).',
    therapistAlerted: (name) => `Hemos avisado a tu terapeuta, ${name}, y puedes escribirle aquí.`,
    noTherapist: 'Cuando puedas, reserva una sesión con un terapeuta aquí para tener apoyo continuo.',
    unknownTherapist: 'También puedes escribir a tu terapeuta o reservar una sesión con un terapeuta aquí.',
    stayClose: 'Si puedes, quédate cerca de alguien de confianza mientras pides ayuda.',
  },
  elevated: {
    openings: [
      'Eso suena muy pesado, y tiene sentido que te sientas así; gracias por compartirlo conmigo.',
      'Siento que las cosas se sientan tan difíciles ahora; lo que sientes importa, y gracias por contármelo.',
    ],
    abuse: 'Nadie merece que le hagan daño ni que le amenacen, y si alguna vez estás en peligro inmediato, llama al 911 o al número de emergencias local.',
    someoneElse: [
      'Se nota que te importa mucho, y es difícil cargar con esta preocupación.',
      'Si alguien podría estar pensando en hacerse daño, anímale a llamar al 988 y oprimir 2 (Línea 988, EE. UU.), y llama al 911 o al número de emergencias local si está en peligro inmediato.',
    ],
    information: [
      'Gracias por preguntar; es una pregunta importante.',
      'En EE. UU. puedes llamar al 988 y oprimir 2 para hablar en español a cualquier hora, y en una emergencia llama al 911 o al número de emergencias local (112 en la UE y en España, y el 024 en España).',
    ],
    history: [
      'Gracias por confiarme eso; hace falta valor para hablar de lo que has vivido.',
      'Me alegra que ahora estés mejor, y si esos pensamientos vuelven, puedes llamar al 988 y oprimir 2 a cualquier hora.',
    ],
    firearm: 'Si alguna vez no te sientes a salvo, poner distancia entre tú y un arma (guardada bajo llave o con alguien de confianza) puede salvar una vida.',
    therapist: (name) => `Podría ayudarte mucho hablarlo con tu terapeuta, ${name}: puedes escribirle o reservar una sesión pronto.`,
    noTherapist: 'Podría ayudarte mucho hablarlo con un terapeuta, y puedes reservar una sesión aquí pronto.',
    unknownTherapist: 'Podría ayudarte mucho escribir a tu terapeuta o reservar una sesión pronto.',
    ifWorse: 'Si las cosas empeoran o empiezas a pensar en hacerte daño, llama al 988 y oprime 2 a cualquier hora.',
    aboutYou: 'Y si algo de esto tiene que ver con cómo te sientes tú, aquí estoy para escucharte.',
  },
  low: {
    sleep: {
      validation: 'Tener problemas para dormir es agotador, y puede hacer que todo lo demás se sienta más difícil.',
      tip: 'Una rutina tranquila antes de dormir puede ayudar: baja las luces, deja las pantallas una hora antes, haz algo relajante como leer o respirar despacio, y acuéstate a la misma hora cada noche.',
    },
    anxiety: {
      validation: 'Sentir ansiedad es muy incómodo, y tiene sentido que te pese.',
      tip: 'Algo que puede ayudar en el momento es la respiración pausada: inhala durante 4 segundos, mantén 7 y exhala despacio durante 8, unas cuantas veces.',
    },
    loneliness: {
      validation: 'Sentirse solo es muy difícil, y no eres la única persona que se siente así.',
      tip: 'Podría ayudarte escribirle hoy a alguien, aunque sea un mensaje corto a un amigo o familiar, o unirte a un grupo o clase de algo que te guste.',
    },
    stress: {
      validation: 'Parece que tienes mucho encima ahora mismo, y es completamente comprensible sentirse estresado.',
      tip: 'Puede ayudar dividir las cosas en un pequeño paso a la vez, y una caminata corta o unos minutos lejos de la pantalla pueden despejar la mente.',
    },
    sadness: {
      validation: 'Siento que te sientas así; la tristeza puede pesar mucho.',
      tip: 'Algo suave puede ayudar, como una caminata corta, escuchar música que te guste o escribir unos minutos sobre lo que sientes.',
    },
    anger: {
      validation: 'Sentir enojo o frustración es una reacción normal, y está bien sentirlo.',
      tip: 'Cuando suba el enojo, intenta hacer una pausa antes de responder: aléjate un momento y respira despacio y profundo hasta que el cuerpo se calme.',
    },
    closings: ['Aquí estoy si quieres hablar más de ello.', 'Si quieres, cuéntame un poco más de lo que está pasando.', '¿Cómo te sientes ahora mismo?'],
  },
  lowGeneric: ['Gracias por contarme cómo te sientes; es completamente comprensible.', 'Respirar despacio unas cuantas veces o tomar un descanso corto puede ayudar un poco en el momento.'],
  none: {
    booking: (therapist) =>
      therapist
        ? `Puedes reservar una sesión de terapia con tu terapeuta, ${therapist}, u otro terapeuta aquí mismo en Aura eligiendo la hora que te venga bien.`
        : 'Puedes reservar una sesión de terapia con un terapeuta aquí mismo en Aura eligiendo la hora que te venga bien.',
    bookingModes: 'Las sesiones pueden ser por chat, video o audio, como te resulte más cómodo.',
    greeting: (firstName) => (firstName ? `¡Hola, ${firstName}, qué gusto saber de ti!` : '¡Hola, qué gusto saber de ti!'),
    howAreYou: '¿Cómo te sientes hoy?',
    glad: 'Me alegra mucho saberlo, y gracias por escribir.',
    hereWhenever: 'Aquí estoy cuando quieras hablar de cómo te sientes.',
    listening: 'Gracias por escribir; aquí estoy para escucharte.',
    invite: '¿Cómo te sientes hoy? Comparte tanto o tan poco como quieras.',
  },
};

const REPLIES: Record<Language, Replies> = { en: ENGLISH_REPLIES, es: SPANISH_REPLIES };

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
      sentences.push(therapist ? t.therapistAlerted(therapist) : noTherapist ? t.noTherapist : t.unknownTherapist);
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
      sentences.push(therapist ? t.therapist(therapist) : noTherapist ? t.noTherapist : t.unknownTherapist);
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
      if (analysis.intent === 'booking') sentences.push(addressed(firstName, t.booking(therapist)), t.bookingModes);
      else if (analysis.intent === 'greeting') sentences.push(t.greeting(firstName), t.howAreYou);
      else if (analysis.intent === 'thanks') sentences.push(addressed(firstName, t.glad), t.hereWhenever);
      else sentences.push(addressed(firstName, t.listening), t.invite);
      break;
    }
  }
  return sentences.join(' ');
}
