import { analyseMessage, type RiskLevel } from '../../src/modules/mentalhealth/domain/chatbot';
import { composeResponse } from '../../src/modules/mentalhealth/domain/chatbot-replies';
import { ALL_MESSAGES, ISSUE_EXAMPLES } from './fixtures/crisis-messages';

const LEVELS: RiskLevel[] = ['CRISIS', 'ELEVATED', 'LOW', 'NONE'];

describe('crisis detection on the labelled set (C-SSRS, 988/AFSP warning signs)', () => {
  const results = ALL_MESSAGES.map((m) => ({ ...m, analysis: analyseMessage(m.text) }));

  it('holds at least 200 messages covering every kind and both languages', () => {
    expect(ALL_MESSAGES.length).toBeGreaterThanOrEqual(200);
    for (const kind of ['crisis', 'elevated', 'negated', 'past', 'third-person', 'figurative', 'informational', 'everyday']) {
      expect(ALL_MESSAGES.some((m) => m.kind === kind)).toBe(true);
    }
    expect(ALL_MESSAGES.filter((m) => m.lang === 'es' && m.label === 'CRISIS').length).toBeGreaterThanOrEqual(20);
    expect(new Set(ALL_MESSAGES.map((m) => m.text)).size).toBe(ALL_MESSAGES.length);
  });

  it('recalls at least 98 % of CRISIS messages and raises at most 5 % false CRISIS', () => {
    const matrix = Object.fromEntries(LEVELS.map((l) => [l, Object.fromEntries(LEVELS.map((p) => [p, 0]))])) as Record<RiskLevel, Record<RiskLevel, number>>;
    for (const r of results) matrix[r.label][r.analysis.level] += 1;
    const crisis = results.filter((r) => r.label === 'CRISIS');
    const others = results.filter((r) => r.label !== 'CRISIS');
    const recall = crisis.filter((r) => r.analysis.level === 'CRISIS').length / crisis.length;
    const falseCrisis = others.filter((r) => r.analysis.level === 'CRISIS').length / others.length;
    const wrong = results.filter((r) => r.analysis.level !== r.label).map((r) => `  ${r.label} -> ${r.analysis.level}: ${r.text} [${r.analysis.rules.join(', ')}]`);
    console.log(
      [
        `crisis detection: ${results.length} messages, recall of CRISIS ${(recall * 100).toFixed(1)} %, false CRISIS ${(falseCrisis * 100).toFixed(1)} %`,
        `labelled \\ classified  ${LEVELS.map((l) => l.padStart(10)).join('')}`,
        ...LEVELS.map((l) => `${l.padEnd(22)} ${LEVELS.map((p) => String(matrix[l][p]).padStart(10)).join('')}`),
        ...(wrong.length ? ['misclassified:', ...wrong] : []),
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.98);
    expect(falseCrisis).toBeLessThanOrEqual(0.05);
  });

  it('never turns a negated, past, third-person, figurative or informational message into a CRISIS', () => {
    const lookalikes = results.filter((r) => ['negated', 'past', 'third-person', 'figurative', 'informational'].includes(r.kind));
    expect(lookalikes.filter((r) => r.analysis.level === 'CRISIS').map((r) => r.text)).toEqual([]);
  });

  it('tells English from Spanish', () => {
    expect(results.filter((r) => r.analysis.language !== r.lang).map((r) => r.text)).toEqual([]);
  });
});

describe('the messages named in the issue', () => {
  it.each(ISSUE_EXAMPLES)('%s -> %s', (message, level) => {
    expect(analyseMessage(message).level).toBe(level);
  });

  it.each<[string, string[]]>([
    ["I've got a rope ready", ['means.ligature']],
    ['tonight is the night I end things', ['cssrs.intent']],
    ["I'm standing on the ledge right now", ['means.height']],
    ["I can't go on, I have the gun loaded", ['means.firearm', 'warning.cant_go_on']],
    ['this is my last message, thank you for everything, goodbye', ['warning.goodbye']],
    ['I have a plan to kill myself', ['cssrs.plan', 'cssrs.ideation']],
    ["I used to self-harm years ago but I'm doing better now", ['cssrs.self_harm', 'negation.past']],
    ['I would never kill myself', ['cssrs.ideation', 'negation.not']],
    ['my friend said she wants to die', ['cssrs.wish_dead', 'subject.third_person']],
    ['this homework is killing me', ['figurative']],
    ['what are the warning signs of suicide?', ['informational']],
    ['I feel like a burden and I bought a rope today', ['warning.burden', 'means.ligature', 'combination.means_and_warning']],
    ['tengo la pistola cargada', ['means.firearm']],
  ])('explains "%s" with %j', (message, rules) => {
    expect(analyseMessage(message).rules).toEqual(expect.arrayContaining(rules));
  });

  it('keeps a past attempt a CRISIS when it is happening again', () => {
    const analysis = analyseMessage('I tried to kill myself last year and I am thinking about it again');
    expect(analysis.level).toBe('CRISIS');
    expect(analysis.rules).toContain('recurrence');
  });

  it('answers a recovery statement with recognition, not crisis numbers first', () => {
    const analysis = analyseMessage("I used to self-harm years ago but I'm doing better now");
    expect(analysis).toMatchObject({ level: 'ELEVATED', concern: 'history' });
    expect(composeResponse(analysis)).toMatch(/^Thank you for trusting me/);
  });

  it('answers someone else\'s risk with how to help them, not as the speaker\'s crisis', () => {
    const analysis = analyseMessage('my friend said she wants to die');
    expect(analysis).toMatchObject({ level: 'ELEVATED', concern: 'someone-else' });
    expect(composeResponse(analysis)).toMatch(/encourage them to call or text 988/);
  });
});

describe('everyday look-alikes found by probing the rules (vague words explained by the rest of the message)', () => {
  it.each([
    "I won't be here tomorrow, I have a dentist appointment",
    "I'm going to do it this time, I'm going to ask her out",
    'thanks for everything, bye',
    'I have my meds ready for the trip',
    'my pills are ready at the pharmacy',
    "I'm on the edge of my seat",
    "I'm standing on the bridge watching the sunset",
    'today is the day I start my new job',
    "I'm ending it with him",
    'voy a saltar de alegría',
    'me voy a tirar a la piscina',
    'terminé con todo el trabajo de hoy',
    "I used to want to die, I don't anymore",
  ])('is not a CRISIS: %s', (message) => {
    expect(analyseMessage(message).level).not.toBe('CRISIS');
  });

  it('answers firearm access with safe-storage advice, not an alert', () => {
    const analysis = analyseMessage('I have a gun at home, should I lock it up?');
    expect(analysis).toMatchObject({ level: 'ELEVATED', rules: ['means.firearm'] });
    expect(composeResponse(analysis)).toMatch(/distance between yourself and a firearm/);
  });
});

describe('Spanish', () => {
  it.each(['quiero morirme', 'me voy a suicidar', 'no quiero vivir', 'tengo la pistola cargada', 'esta noche termino con todo'])(
    'answers "%s" with the Spanish crisis response',
    (message) => {
      const analysis = analyseMessage(message);
      expect(analysis).toMatchObject({ level: 'CRISIS', language: 'es' });
      const reply = composeResponse(analysis, { firstName: 'Ana', therapistName: 'Dra. Maya Rivera' });
      for (const s of ['988', 'oprime 2', 'AYUDA', '911', '112', 'Ana', 'Dra. Maya Rivera']) expect(reply).toContain(s);
      expect(reply).not.toMatch(/Please call/);
    },
  );

  it('answers every level in Spanish', () => {
    expect(composeResponse(analyseMessage('me siento sin esperanza'))).toMatch(/988 y oprime 2/);
    expect(composeResponse(analyseMessage('no puedo dormir'))).toMatch(/rutina tranquila/);
    expect(composeResponse(analyseMessage('hola'), { firstName: 'Ana' })).toMatch(/^¡Hola, Ana/);
    expect(composeResponse(analyseMessage('¿cómo reservo una sesión?'))).toMatch(/reservar una sesión/);
  });

  it('still answers English in English', () => {
    expect(composeResponse(analyseMessage('I want to die'))).toMatch(/Please call or text 988/);
  });
});

describe('composeResponse', () => {
  it('answers from the analysis it is given, without classifying the message again', () => {
    const analysis = { ...analyseMessage('hello'), level: 'CRISIS' as const };
    expect(composeResponse(analysis)).toMatch(/988/);
  });
});
