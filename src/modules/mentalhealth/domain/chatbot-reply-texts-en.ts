/** English reply texts of the support chatbot (data only; see chatbot-reply-texts.ts for the format). */
import type { ReplyTexts } from './chatbot-reply-texts';

export const ENGLISH_REPLIES: ReplyTexts = {
  crisis: {
    opening: "I'm really glad you told me, and I'm so sorry you're going through this: you deserve support right now.",
    line: 'Please call or text 988 (the Suicide & Crisis Lifeline, US) now to talk to someone who can help, any time, day or night.',
    emergency: "If you're in immediate danger or have already hurt yourself, call 911 (US) or your local emergency number (112 in the EU and many countries, 999 in the UK).",
    therapistAlerted: 'Your therapist, {therapist}, has been alerted and you can message them here.',
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
    therapist: 'It could really help to talk this through with your therapist, {therapist}: you can message them or book a session soon.',
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
    booking: 'You can schedule a therapy session with a therapist right here in Aura by choosing a time that suits you.',
    bookingWithTherapist: 'You can schedule a therapy session with your therapist, {therapist}, or another therapist right here in Aura by choosing a time that suits you.',
    bookingModes: 'Sessions can be by chat, video or audio, whichever feels most comfortable.',
    greeting: "Hi there, it's good to hear from you!",
    greetingNamed: "Hi {firstName}, it's good to hear from you!",
    howAreYou: 'How are you feeling today?',
    glad: "I'm really glad to hear that, and thank you for checking in.",
    hereWhenever: "I'm here whenever you want to talk about how you're feeling.",
    listening: "Thank you for reaching out; I'm here to listen.",
    invite: 'How are you feeling today? Share as much or as little as you like.',
  },
};
