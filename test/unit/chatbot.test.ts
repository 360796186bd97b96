import { analyseMessage, classifyRisk, MAX_CHATBOT_MESSAGE_LENGTH, type RiskLevel } from '../../src/modules/mentalhealth/domain/chatbot';
import { composeResponse as composeFromAnalysis, type ResponderContext } from '../../src/modules/mentalhealth/domain/chatbot-replies';

/** The reply to a message, checking that the analysis agrees with the level the test expects. */
function composeResponse(message: string, risk: RiskLevel, context?: ResponderContext): string {
  const analysis = analyseMessage(message);
  expect(analysis.level).toBe(risk);
  return composeFromAnalysis(analysis, context);
}

/** Sentences in a reply, not splitting on title abbreviations such as "Dr.". */
const sentenceCount = (text: string) =>
  text
    .split(/(?<!\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St))[.!?]+(?=\s|$)/)
    .map((s) => s.trim())
    .filter(Boolean).length;

describe('classifyRisk', () => {
  it.each([
    'I want to kill myself',
    "i'm going to end my life",
    'thinking about suicide',
    'kms',
    "I don't want to be alive anymore",
    'I wish I was dead',
    "I'd be better off dead",
    'I cut myself again',
    "I've been hurting myself",
    'took a whole bottle of pills',
    'I overdosed',
    'going to jump off a bridge',
    'I have a plan to end it',
    'no reason to live',
    'want to end it all',
    'I’M   SUICIDAL!!!',
    'im so suicdal',
    'feeling sucidal tonight',
    'i dont want to live',
    'I wanna die',
    'my family would be better off without me',
    'I took too many pills',
    "I can't promise I won't hurt myself",
    "I'm not okay and I want to kill myself",
    "I don't want to die but I want to kill myself",
    'nothing to live for',
    "life isn't worth living",
    "I hope I don't wake up tomorrow",
    'I wrote a suicide note',
    "I've been self harming",
    'how many pills would it take to die',
    "I'm going to hang myself",
    'I keep thinking about ending it',
    'my mom died and I want to die',
    'i cant stop thinking about killing myself',
    "not gonna lie i want to die",
    "I don’t think I want to live anymore",
    'I just want to go to sleep and never wake up',
    "I'm not safe with myself right now",
    "I'd rather be dead",
    'I want to jump in front of a train',
    "I've been saving up my pills",
    'I have been having suicidal thoughts',
  ])('CRISIS: %s', (message) => {
    expect(classifyRisk(message)).toBe('CRISIS');
  });

  it.each([
    'I would never kill myself',
    'my friend said she wants to kill herself, how do I help?',
    'what is the suicide hotline number?',
    "I'm not suicidal, just really tired",
    "I don't want to kill myself",
    'my brother is suicidal',
    "I'm worried my son is cutting himself",
    "I haven't hurt myself in months",
    'I have no intention of hurting myself',
    'what are the warning signs of suicide?',
    "I'm writing an essay on suicide prevention",
    'how do I help a friend who is suicidal',
    "I don't want to die",
  ])('negated, third-party or informational -> ELEVATED: %s', (message) => {
    expect(classifyRisk(message)).toBe('ELEVATED');
  });

  it.each([
    'I feel hopeless',
    'I feel like such a burden to everyone',
    "I can't go on like this",
    "I can't take it anymore",
    'I keep having panic attacks',
    "I haven't eaten in three days",
    "haven't slept for days",
    'my husband hits me',
    'I feel completely worthless',
    'I feel trapped and there is no way out',
    'I hate myself',
    "I'm afraid to go home, my dad is abusive",
  ])('ELEVATED: %s', (message) => {
    expect(classifyRisk(message)).toBe('ELEVATED');
  });

  it.each([
    "I can't sleep",
    "I've been so stressed with work",
    'feeling anxious about my exam',
    'I feel lonely',
    "I'm sad today",
    "I'm so angry at my boss",
    'I keep worrying about everything',
    'trouble falling asleep lately',
    'I feel overwhelmed',
    "I broke up with my girlfriend and I've been crying",
    "I'm not sad, just stressed",
  ])('LOW: %s', (message) => {
    expect(classifyRisk(message)).toBe('LOW');
  });

  it.each([
    'hello',
    'thanks, feeling better today',
    'how do I book a session?',
    'Good morning!',
    "I'm not anxious anymore",
    'what time is it',
    'I take all my meds every morning',
    'therapy helped me see that life is worth living',
    'I accidentally hurt myself at the gym',
    "I want to die of embarrassment lol",
    '',
    '   ',
  ])('NONE: %s', (message) => {
    expect(classifyRisk(message)).toBe('NONE');
  });

  it('finds crisis language at the end of a maximum-length message', () => {
    const long = 'I am not sure what to say but I would never want to go on about it '.repeat(40).slice(0, MAX_CHATBOT_MESSAGE_LENGTH - 20);
    expect(classifyRisk(long)).not.toBe('CRISIS');
    expect(classifyRisk(`${long} i want to die`)).toBe('CRISIS');
  });
});

describe('composeResponse', () => {
  const crisisMessage = 'I want to kill myself';

  it('gives crisis guidance naming the therapist when known', () => {
    const reply = composeResponse(crisisMessage, 'CRISIS', { firstName: 'Sam', therapistName: 'Dr. Maya Rivera' });
    for (const s of ['988', '911', '112', 'Dr. Maya Rivera', 'Sam']) expect(reply).toContain(s);
    expect(reply).toMatch(/alerted/);
    expect(reply).toMatch(/deserve support right now/);
  });

  it('suggests booking a session in a crisis when there is no therapist yet', () => {
    const reply = composeResponse(crisisMessage, 'CRISIS', { therapistName: null });
    for (const s of ['988', '911', '112']) expect(reply).toContain(s);
    expect(reply).toMatch(/book a session with a therapist/i);
    expect(reply).not.toMatch(/alerted/);
  });

  it('gives crisis numbers without any context', () => {
    const reply = composeResponse(crisisMessage, 'CRISIS');
    for (const s of ['988', '911', '112']) expect(reply).toContain(s);
  });

  it('points elevated risk to the therapist and mentions 988', () => {
    const reply = composeResponse('I feel hopeless', 'ELEVATED', { therapistName: 'Maya Rivera' });
    expect(reply).toContain('Maya Rivera');
    expect(reply).toContain('988');
    expect(composeResponse('I feel hopeless', 'ELEVATED', { therapistName: null })).toMatch(/book a session/);
  });

  it('gives advice for helping someone else when the worry is about them', () => {
    const reply = composeResponse('my friend said she wants to kill herself, how do I help?', 'ELEVATED');
    expect(reply).toContain('988');
    expect(reply).toMatch(/encourage them/);
  });

  it.each<[string, RegExp]>([
    ["I can't sleep", /wind-down routine/],
    ['feeling anxious about my exam', /4-7-8|box breathing/],
    ['I feel lonely', /reach out to someone/],
    ["I've been so stressed with work", /break things down|short walk/],
    ["I'm sad today", /journaling|gentle/],
    ["I'm so angry at my boss", /pause/],
  ])('LOW "%s" gets a topical coping tip', (message, tip) => {
    expect(composeResponse(message, 'LOW')).toMatch(tip);
  });

  it('greets, explains booking and otherwise invites sharing', () => {
    expect(composeResponse('hello', 'NONE', { firstName: 'Sam' })).toMatch(/^Hi Sam/);
    expect(composeResponse('how do I book a session?', 'NONE')).toMatch(/schedule a therapy session/);
    expect(composeResponse('what time is it', 'NONE')).toMatch(/How are you feeling/);
  });

  const samples: [string, RiskLevel][] = [
    [crisisMessage, 'CRISIS'],
    ['my friend said she wants to kill herself', 'ELEVATED'],
    ['what is the suicide hotline number?', 'ELEVATED'],
    ['my husband hits me', 'ELEVATED'],
    ['I feel hopeless', 'ELEVATED'],
    ["I can't sleep", 'LOW'],
    ['hello', 'NONE'],
    ['how do I book a session?', 'NONE'],
    ['thanks, feeling better today', 'NONE'],
  ];

  it.each(samples)('is deterministic and 1-5 sentences: %s (%s)', (message, risk) => {
    for (const context of [undefined, { firstName: 'Sam', therapistName: 'Dr. Maya Rivera' }, { therapistName: null }]) {
      const reply = composeResponse(message, risk, context);
      expect(composeResponse(message, risk, context)).toBe(reply);
      const sentences = sentenceCount(reply);
      expect(sentences).toBeGreaterThanOrEqual(1);
      expect(sentences).toBeLessThanOrEqual(5);
      expect(reply).not.toMatch(/undefined|null/);
    }
  });

  it('ignores blank or messy names', () => {
    const reply = composeResponse('hello', 'NONE', { firstName: '   ', therapistName: '  ' });
    expect(reply).toMatch(/^Hi there/);
    expect(composeResponse(crisisMessage, 'CRISIS', { therapistName: '  Maya \n Rivera ' })).toContain('Your therapist, Maya Rivera, has been alerted');
  });
});
