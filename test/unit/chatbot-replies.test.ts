import type { RiskAnalysis } from '../../src/modules/mentalhealth/domain/chatbot';
import { composeResponse } from '../../src/modules/mentalhealth/domain/chatbot-replies';
import type { ReplyTexts } from '../../src/modules/mentalhealth/domain/chatbot-reply-texts';
import { ENGLISH_REPLIES } from '../../src/modules/mentalhealth/domain/chatbot-reply-texts-en';
import { SPANISH_REPLIES } from '../../src/modules/mentalhealth/domain/chatbot-reply-texts-es';

/** A classification made by hand: no message exists, so the reply can only come from the classification. */
const classification = (changes: Partial<RiskAnalysis>): RiskAnalysis => ({
  level: 'NONE',
  language: 'en',
  concern: 'self',
  rules: [],
  elevatedTopics: [],
  lowTopics: [],
  intent: 'other',
  seed: ' ',
  ...changes,
});

/** Every text of a reply table, with its path. */
const texts = (value: unknown, path = ''): [string, unknown][] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, inner]) => texts(inner, path ? `${path}.${key}` : key))
    : [[path, value]];

describe('chatbot replies', () => {
  it('composes the reply from the classification it is given, never from a message', () => {
    const reply = composeResponse(classification({ level: 'CRISIS', language: 'es' }), { therapistName: 'Maya Rivera' });
    expect(reply).toContain('oprime 2');
    expect(reply).toContain('Hemos avisado a tu terapeuta, Maya Rivera');
  });

  it('follows what the classification says: concern, topic, intent', () => {
    expect(composeResponse(classification({ level: 'ELEVATED', concern: 'someone-else' }))).toMatch(/encourage them to call or text 988/);
    expect(composeResponse(classification({ level: 'ELEVATED', rules: ['means.firearm'] }))).toMatch(/distance between yourself and a firearm/);
    expect(composeResponse(classification({ level: 'LOW', lowTopics: ['sleep'] }))).toMatch(/wind-down routine/);
    expect(composeResponse(classification({ intent: 'booking' }), { therapistName: 'Maya Rivera' })).toMatch(/with your therapist, Maya Rivera,/);
    expect(composeResponse(classification({ intent: 'greeting', language: 'es' }), { firstName: 'Ana' })).toMatch(/^¡Hola, Ana,/);
  });

  it('fills a name in as written, even one that looks like a placeholder', () => {
    expect(composeResponse(classification({ level: 'CRISIS' }), { therapistName: 'Dr {firstName} $&' })).toContain('Your therapist, Dr {firstName} $&, has been alerted');
  });

  it('keeps its texts as data: the same keys in every language, strings only, no placeholder but a name', () => {
    const tables: Record<string, ReplyTexts> = { en: ENGLISH_REPLIES, es: SPANISH_REPLIES };
    const [en, es] = Object.values(tables).map((table) => texts(table));
    expect(es.map(([path]) => path)).toEqual(en.map(([path]) => path));
    const odd = [...en, ...es].filter(([, text]) => typeof text !== 'string' || /\{(?!therapist\}|firstName\})/.test(text));
    expect(odd).toEqual([]);
  });
});
