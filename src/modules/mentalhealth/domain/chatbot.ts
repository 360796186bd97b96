/**
 * The built-in, rule-based support chatbot: pure domain logic, no I/O.
 *
 * `classifyRisk` normalises a message and runs ordered rule tables (CRISIS first, then ELEVATED, LOW).
 * A CRISIS-phrase hit is downgraded to ELEVATED when it is clearly negated ("I would never kill myself"),
 * about someone else ("my friend is suicidal") or informational ("what is the suicide hotline number?").
 * When in doubt about a first-person statement, the classifier keeps CRISIS: a false alarm costs far less
 * than a missed one.
 *
 * `composeResponse` builds a short, warm, deterministic reply for the classified level.
 */

export type RiskLevel = 'NONE' | 'LOW' | 'ELEVATED' | 'CRISIS';

export interface ResponderContext {
  firstName?: string;
  /** `null` = the user has no therapist yet; `undefined` = unknown. */
  therapistName?: string | null;
}

export const MAX_CHATBOT_MESSAGE_LENGTH = 2000;

// ---------------------------------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------------------------------

/** Marks a clause boundary (sentence punctuation, commas, line breaks) in normalised text. */
const BREAK = '|';

/**
 * Lower-cases, folds typographic apostrophes and drops them ("I’m" -> "im", "don't" -> "dont"), turns clause punctuation
 * into a `|` boundary, strips any other punctuation and collapses whitespace. The result is space-separated words and
 * boundaries, padded with one space each side, so rules can rely on `' word '` boundaries.
 */
export function normaliseMessage(message: string): string {
  const text = message
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032\u00b4`]/g, "'")
    .replace(/'/g, '')
    .replace(/[.!?;:,\n\r()[\]{}"\u201c\u201d\u2026\u2013\u2014]+/g, ` ${BREAK} `)
    .replace(/[^a-z0-9| ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ` ${text} `;
}

// ---------------------------------------------------------------------------------------------------------------------
// Shared regex fragments (normalised text: lower-case words separated by single spaces, no apostrophes)
// ---------------------------------------------------------------------------------------------------------------------

/** "want to" and its spellings. */
const WANT = String.raw`(?:wanna|wants? to|wanted to|wanting to|want too|wish to|wishing to)`;
/** First-person reflexive object, with common typos. */
const MYSELF = String.raw`(?:myself|my self|myslef|mysefl|meself|mself)`;
/** Third-person / second-person reflexive objects. */
const OTHERSELF = String.raw`(?:himself|herself|themselves|themself|yourself|urself|him self|her self)`;
/** "suicide", "suicidal", "suicidality" and common misspellings ("suicde", "sucide", "suiside"). */
const SUICIDE = String.raw`su[ia]?[cs]i?d(?:e|es|al|el|ial|ality)?`;
/** Things people overdose on. */
const PILLS = String.raw`(?:pills?|tablets?|meds|medicines?|medications?|painkillers|pain killers|paracetamol|tylenol|acetaminophen|ibuprofen|advil|aspirin|xanax|benzos|oxys?|opioids|insulin|sleeping pills|antidepressants)`;
/** Quantities that turn "took pills" into an overdose. */
const TOO_MANY = String.raw`(?:whole|entire|all|too many|too much|a lot|lots|bunch|handful|bottle|box|pack|packet|\d{2,}|twenty|thirty|forty|fifty|hundred)`;
/** Something you can jump off or in front of. */
const HEIGHT = String.raw`(?:bridge|building|roof|rooftop|cliff|balcony|window|ledge|overpass|tower|car park|parking garage|skyscraper|dam)`;
/** Determiners before a place or vehicle. */
const DET = String.raw`(?:a|an|the|this|that|my|our|some|their)`;
/** Vehicles one can step in front of. */
const VEHICLE = String.raw`(?:train|trains|bus|truck|lorry|car|cars|subway|traffic|tram)`;
/** Verbs of ending a life. */
const END = String.raw`(?:end|ending|ended|take|taking|took)`;

/** Words that may sit between a negation and what it negates ("not REALLY going to ...") - bounded, no clause breaks. */
const GAP = (max: number) => String.raw`(?:(?!(?:but|and|or|so|because|cause|cuz|though|although|yet|just|except|if|when|than|until)\b)[a-z0-9]+ ){0,${max}}`;

const re = (source: string) => new RegExp(source, 'g');

// ---------------------------------------------------------------------------------------------------------------------
// CRISIS rules
// ---------------------------------------------------------------------------------------------------------------------

interface CrisisRule {
  /** Short label, handy when debugging a classification. */
  name: string;
  pattern: RegExp;
  /** The phrase already carries its own negation ("dont want to live"): skip the negation check. */
  intrinsic?: boolean;
  /** The phrase itself names the speaker ("myself", "my life", "without me"): skip the third-party check. */
  firstPerson?: boolean;
  /** A bare topic word ("suicide", "self harm"), which may be merely informational ("suicide hotline"). */
  mention?: boolean;
  /** "hurt myself" can be an accident ("I accidentally hurt myself at the gym"). */
  accidentProne?: boolean;
}

const CRISIS_RULES: readonly CrisisRule[] = [
  // "kill myself", "killing myself", "unalive myself", "off myself", "kms"
  { name: 'kill-myself', pattern: re(String.raw` (?:kill+|kil+ing|killing|killed|kils|unalive|unaliving|off|offing|murder) ${MYSELF} `), firstPerson: true },
  { name: 'kms', pattern: re(String.raw` (?:kms|k m s|kmsl) `), firstPerson: true },
  // "end my life", "take my own life", "ending it all", "I want to end it"
  { name: 'end-my-life', pattern: re(String.raw` ${END} (?:my|my own) li(?:fe|ves) `), firstPerson: true },
  { name: 'end-it-all', pattern: re(String.raw` (?:end|ending|ended) (?:it|this|everything) all `) },
  { name: 'end-it', pattern: re(String.raw` (?:${WANT}|going to|gonna|about to|ready to|plan to|planning to|decided to|try to|trying to|will|ill|thinking about|thinking of|think about|feel like|felt like|feeling like|considering|close to) (?:just )?end(?:ing)? (?:it|everything)(?! (?:with|between|off|for (?:him|her|them|us)))(?: [a-z]+)? `) },
  // suicide / suicidal (+ misspellings), unless informational, negated or about someone else
  { name: 'suicide', pattern: re(String.raw` ${SUICIDE} `), mention: true },
  // wanting to die / be dead
  { name: 'want-to-die', pattern: re(String.raw` (?:${WANT}|ready to|deserve to|need to|i should|hope i|pray i|praying i|hoping i) (?:just |really |honestly |simply )?(?:die|be dead|not exist|stop existing|cease to exist|not be alive|disappear forever|go to sleep forever|sleep forever) (?!of embarrassment|of shame|laughing|from laughing)`) },
  { name: 'rather-be-dead', pattern: re(String.raw` (?:id|i would|i d|would|feel like) (?:much )?(?:rather|sooner) (?:just )?(?:be dead|die|not be alive|not exist|not be here) | feel like (?:dying|i want to die|i should die) | (?:death|dying|being dead) (?:would be|would feel|is|seems|sounds|feels like) (?:so )?(?:better|easier|preferable|a relief|peaceful|the only way out|the answer) `) },
  { name: 'do-something-to-myself', pattern: re(String.raw` (?:do|doing|did|done) (?:something|anything) (?:stupid |bad |drastic |dangerous |terrible |permanent )?to ${MYSELF} `), firstPerson: true },
  { name: 'wish-dead', pattern: re(String.raw` wish (?:that )?(?:i|id) (?:(?:was|were|could|would|just|be|had|to|simply) ){0,3}(?:dead|die|never been born|not been born|not alive|disappear forever) `), firstPerson: true },
  { name: 'wish-not-alive', pattern: re(String.raw` wish (?:i|that i) (?:wasnt|werent|was not|were not|hadnt been|had not been|didnt|did not|dont|do not|wouldnt|would not|never|could not|couldnt|never had to) (?:alive|born|here|around|exist|wake up|be here|been born) `), firstPerson: true, intrinsic: true },
  // "I don't want to live / be alive / be here anymore", "I no longer want to exist"
  { name: 'not-want-to-live', pattern: re(String.raw` (?:dont|do not|didnt|did not|no longer|not|never|cant|cannot) (?:[a-z]+ ){0,2}?(?:${WANT}|want|care to|feel like) (?:live|living|be alive|stay alive|keep living|go on living|exist|existing|be here anymore|be around anymore|wake up|be on this earth|be in this world) (?!(?:with|in|at|near|there|here|abroad|alone|together|on campus|somewhere|next to) )`), firstPerson: true, intrinsic: true },
  { name: 'live-anymore', pattern: re(String.raw` (?:${WANT}|want|point in|reason to|care to) (?:live|living|be alive|exist|existing|be here|go on) (?:anymore|any more|any longer) `), firstPerson: true, intrinsic: true },
  { name: 'dont-care-if-i-die', pattern: re(String.raw` (?:dont|do not|wouldnt|would not) (?:even )?care if i (?:die|died|live|lived|dont wake up|never wake up) `), firstPerson: true, intrinsic: true },
  { name: 'never-wake-up', pattern: re(String.raw` (?:hope i|wish i|pray i|praying i|hoping i|${WANT}) (?:dont|do not|never|wont|will not|wouldnt|would not) wake up | (?:sleep|asleep) and (?:just )?never wake up | (?:never|not) wake up (?:ever )?again `), firstPerson: true, intrinsic: true },
  // "better off dead", "everyone would be better off without me"
  { name: 'better-off-dead', pattern: re(String.raw` better off (?:dead|gone|not alive|not existing|not here) `) },
  { name: 'better-without-me', pattern: re(String.raw` better (?:off )?without me `), firstPerson: true },
  { name: 'nobody-would-miss-me', pattern: re(String.raw` (?:nobody|no one|noone|no body) (?:would|will|is going to|gonna) (?:even )?(?:miss me|notice|care|cry) (?:[a-z]+ ){0,2}?if i (?:die|died|was gone|were gone|disappeared|was dead|were dead|killed ${MYSELF}|wasnt here|was not here) `), firstPerson: true, intrinsic: true },
  // "no reason to live", "nothing to live for", "life isn't worth living"
  { name: 'no-reason-to-live', pattern: re(String.raw` (?:no|zero|not a|not one|not any|lost my|lost the|lost all|(?:cant|cannot|dont|do not|couldnt|never) (?:see|find|have|think of) (?:a|any|one)) (?:single |good )?(?:reason|reasons|point|purpose|will) (?:left )?(?:to|in|for) (?:live|living|go on|going on|keep going|keep living|stay alive|staying alive|being alive|life|exist|existing) | (?:whats|what is) the point (?:of|in) (?:living|life|being alive|going on|existing|staying alive) `), firstPerson: true, intrinsic: true },
  { name: 'nothing-to-live-for', pattern: re(String.raw` nothing (?:left )?to live for `), firstPerson: true, intrinsic: true },
  { name: 'not-worth-living', pattern: re(String.raw` (?:isnt|is not|aint|not|no longer|never) (?:really |even |just )?worth (?:living|being alive|staying alive|fighting for) | life (?:isnt|is not|aint) worth it `), intrinsic: true },
  { name: 'tired-of-living', pattern: re(String.raw` (?:tired|sick|done|finished) (?:of|with) (?:living|being alive|existing|life itself|this life|life) `) },
  // self-harm: "cut myself", "hurting myself", "slit my wrists", "burn myself", "I've been self harming"
  { name: 'harm-myself', accidentProne: true, pattern: re(String.raw` (?:cut+|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|hurts|harm|harming|harmed|stab|stabbing|stabbed|hit|hitting|punch|punching|starve|starving|starved|strangle|strangling|choke|choking|poison|poisoning|poisoned|drown|drowning|hang|hanging|hanged|shoot|shooting|shot|bleed|bleeding|scratch|scratching|scratched|injure|injuring|injured) ${MYSELF} `), firstPerson: true },
  { name: 'harm-my-body', pattern: re(String.raw` (?:cut|cutting|cuts|slit|slitting|slice|slicing|slash|slashing|burn|burning|burned) (?:my|both my|open my) (?:wrists?|arms?|legs?|thighs?|skin|stomach|veins?) `), firstPerson: true },
  { name: 'self-harm', pattern: re(String.raw` self (?:harm|harming|harmed|injury|injuring|injure|mutilation|mutilate|mutilating|hurt|hurting|harmer) `), mention: true },
  { name: 'cut-again', pattern: re(String.raw` (?:i|ive|i have|i just|started|start|been|keep) (?:cut+|cutting) (?:again|deep|deeper|last night|tonight|today|this morning|yesterday) `), firstPerson: true },
  // overdose: "I overdosed", "took a whole bottle of pills", "how many pills would it take to die"
  { name: 'overdose', pattern: re(String.raw` (?:overdos[a-z]*|over dos[a-z]*|od|oded|oding) `), mention: true },
  { name: 'took-too-many-pills', pattern: re(String.raw` (?:took|taken|swallowed|ate|eaten|popped|downed|drank|(?:${WANT}|going to|gonna|about to|will|ill) (?:take|swallow)) (?:[a-z0-9]+ ){0,3}?${TOO_MANY}(?: [a-z0-9]+){0,4}? ${PILLS} `) },
  { name: 'stockpiling-pills', pattern: re(String.raw` (?:saving|saved|save|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|stashed) (?:up )?(?:my |all my |enough |some )?${PILLS} `) },
  { name: 'lethal-dose', pattern: re(String.raw` (?:lethal|fatal|deadly|overdose) (?:dose|amount|quantity|number) `) },
  { name: 'how-many-to-die', pattern: re(String.raw` how (?:many|much) (?:[a-z0-9]+ ){0,5}?(?:to|would it take to|does it take to|would|will|would i need to|do i need to|until i) (?:die|kill|be fatal|be lethal|overdose|od|not wake up|never wake up|stop breathing) `) },
  { name: 'how-to-die', pattern: re(String.raw` (?:painless|easiest|easy|quickest|quick|fastest|best|surest|least painful|simplest) (?:way|ways|method|methods) (?:to|of) (?:die|dying|kill ${MYSELF}|killing ${MYSELF}|end it|end my life|ending my life|commit ${SUICIDE}|${SUICIDE}|overdose|not wake up) `), intrinsic: true },
  // methods / plans: "going to jump off a bridge", "I have a plan to end it", "a gun to my head"
  { name: 'jump', pattern: re(String.raw` (?:jump|jumping|jumped|leap|leaping|throw ${MYSELF}|throwing ${MYSELF}) (?:off|from|of) (?:${DET} )?(?:[a-z]+ )?${HEIGHT} `) },
  { name: 'in-front-of-train', pattern: re(String.raw` (?:jump|jumping|jumped|step|stepping|walk|walking|run|running|lie down|lay down|throw ${MYSELF}|throwing ${MYSELF}) in front of (?:${DET} )?(?:[a-z]+ )?${VEHICLE} `) },
  { name: 'out-of-window', pattern: re(String.raw` (?:jump|jumping|jumped|throw ${MYSELF}|throwing ${MYSELF}) out (?:of )?(?:${DET} )?(?:[a-z]+ )?window `) },
  { name: 'noose', pattern: re(String.raw` nooses? `) },
  { name: 'gun', pattern: re(String.raw` (?:gun|pistol|rifle|knife|blade) (?:to|against|at) my (?:head|throat|wrists?|chest|heart) | blow my (?:brains|head) out `), firstPerson: true },
  { name: 'drive-off', pattern: re(String.raw` (?:${WANT}|going to|gonna|thinking about|thinking of|think about|urge to|might|will|ill) (?:just )?(?:drive|driving|crash|crashing|steer|steering|swerve|swerving) (?:my car |the car )?(?:off|into) (?:a |the )?(?:cliff|bridge|wall|tree|traffic|oncoming traffic|river|lake|truck) `) },
  { name: 'have-a-plan', pattern: re(String.raw` (?:have|got|made|making|make|came up with|working on|written|wrote|figured out) (?:a |the |my |out a |out the |out my )?(?:plan|plans|way|method) (?:to|for|on how to|of how to) (?:[a-z]+ ){0,2}?(?:end (?:it|my life|things|everything)|kill ${MYSELF}|die|${SUICIDE}|take my (?:own )?life|overdose|od|jump|hang ${MYSELF}|hurt ${MYSELF}|cut ${MYSELF}|not be here) `), firstPerson: true },
  { name: 'know-how-ill-do-it', pattern: re(String.raw` (?:i know|ive decided|i have decided|ive chosen|i picked|i chose) (?:how|when|where) (?:i will|ill|im going to|i am going to|im gonna|to) (?:do it|die|end it|kill ${MYSELF}|end my life) `), firstPerson: true },
  { name: 'goodbye-note', pattern: re(String.raw` (?:${SUICIDE}|goodbye|farewell|last) (?:note|notes|letter|letters) | this is (?:my )?(?:final )?goodbye | (?:saying|say|said) (?:my )?final goodbyes? | giving away (?:all )?my (?:things|stuff|belongings|possessions) `) },
  // "I can't promise I won't hurt myself", "I can't keep myself safe", "I'm not safe with myself"
  { name: 'cant-stay-safe', pattern: re(String.raw` (?:cant|cannot|can not) (?:promise|guarantee|say) (?:(?:you|that|anyone) ){0,2}(?:i (?:wont|will not|wouldnt|would not|will be safe|will stay safe)|ill be safe|ill stay safe|to stay safe|to be safe) | (?:cant|cannot|can not|dont think i can|not sure i can|dont know if i can|unable to) (?:keep ${MYSELF} safe|stay safe|keep safe) | not (?:sure|certain) i (?:wont|will not) (?:do something|hurt|harm|kill|cut|act on|go through) | not safe (?:with|from|around) ${MYSELF} `), firstPerson: true, intrinsic: true },
];

/** Third-party self-harm or suicide phrasings: a concern, not the speaker's crisis. */
const THIRD_PARTY_RISK_RULES: readonly RegExp[] = [
  re(String.raw` (?:kill+|killing|killed|kills|hurt|hurting|hurts|harm|harming|harms|cut+|cutting|cuts|burn|burning|unalive|off|hang|hanging|shoot|shot|starve|starving) ${OTHERSELF} `),
  re(String.raw` ${END} (?:his|her|their|your) (?:own )?li(?:fe|ves) `),
  re(String.raw` (?:kys|k y s) `),
];

// ---------------------------------------------------------------------------------------------------------------------
// Negation, third-party subjects and informational mentions
// ---------------------------------------------------------------------------------------------------------------------

/** A negation right before a crisis phrase ("would never", "not going to", "dont want to", "no intention of"). */
const NEGATION_BEFORE = new RegExp(
  String.raw` (?:never|not|dont|do not|doesnt|does not|didnt|did not|havent|have not|hasnt|hadnt|wont|will not|wouldnt|would not|isnt|arent|wasnt|no|nor|no longer|nothing like|stopped|quit) (${GAP(3)})$`,
);
/**
 * Words which, between a negation and the phrase, cancel the negation: "didnt MEAN to", "wont STOP", "not gonna LIE",
 * or a new first-person subject ("I dont think I ...") - when unsure, the first-person statement stands.
 */
const NEGATION_CANCELLERS = / (?:mean|meant|stop|stopping|help|care|know|lie|lying|kidding|joking|i|im|ive|id|ill) /;

/** Someone other than the speaker, as the subject of what follows. */
const THIRD_PARTY_SUBJECT = String.raw`(?:he|she|they|hes|shes|theyre|theyve|him|her|them|his|their|someone|somebody|anyone|anybody|people|person|friend|friends|bestie|mom|mum|mother|dad|father|parent|parents|brother|sister|sibling|son|daughter|child|kid|kids|baby|boyfriend|girlfriend|bf|gf|partner|husband|wife|fiance|fiancee|cousin|aunt|uncle|grandma|grandpa|grandmother|grandfather|niece|nephew|roommate|flatmate|classmate|coworker|colleague|student|students|teen|teenager|client|patient|neighbor|neighbour|celebrity|character)`;
const THIRD_PARTY_SUBJECT_RE = new RegExp(String.raw` ${THIRD_PARTY_SUBJECT} `, 'g');
/** The speaker as subject: resets a preceding third-party subject ("my mom died and I want to die"). */
const FIRST_PERSON_SUBJECT = / (?:i|im|ive|id|ill|me|myself|i am|i have) /;
/** Topic words following "suicide" / "self harm" / "overdose" that make the mention informational. */
const INFO_QUALIFIER_AFTER = new RegExp(
  String.raw`^(?:(?:prevention|awareness|hotline|hot line|helpline|help line|lifeline|life line|crisis line|line|number|numbers|rate|rates|statistics|stats|squad|risk|risks|warning|warning signs|signs|symptoms|resources|support group|survivors?|research|forest|month|week|day|training|course|essay|article|documentary|movie|film|book|song|scene|story)) `,
);
/** Phrases before a mention that make it informational ("signs of suicide", "a movie about self harm"). */
const INFO_QUALIFIER_BEFORE = new RegExp(
  String.raw` (?:signs of|sign of|symptoms of|risk of|statistics on|statistics about|stats on|facts about|article about|articles about|movie about|film about|book about|show about|documentary about|essay on|essay about|research on|paper on|class on|lecture on|learn about|learning about|learning more about|information on|information about|info on|info about|questions about|question about|myths about|history of|prevent|preventing|prevention of|someone with|someone who|people who|person who|talk someone out of|help someone|help a friend|help my friend) (?:[a-z]+ ){0,2}$`,
);
/** Accidental injuries, for `accidentProne` rules. */
const ACCIDENT = / (?:accidentally|accidently|by accident|on accident|in the foot|at the gym|at practice|working out|cooking|baking|ironing|on the stove|on the oven|playing [a-z]+) /;
/** Question openers; a question without any first-person word is treated as informational. */
const QUESTION_START = /^ (?:what|whats|where|wheres|how|hows|who|whos|which|why|when|is|are|can|could|do|does|should|would|will|any|tell me)\b/;
const ANY_FIRST_PERSON = / (?:i|im|ive|id|ill|me|my|myself|mine|i am) /;

interface Hit {
  rule: CrisisRule;
  index: number;
  length: number;
}

function findCrisisHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const rule of CRISIS_RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      hits.push({ rule, index: m.index, length: m[0].length });
      // patterns start and end on a space: step back one so adjacent matches can share it
      rule.pattern.lastIndex = m.index + Math.max(1, m[0].length - 1);
    }
  }
  return hits;
}

/** The clause (since the last boundary) that precedes a hit, with a leading space. */
function clauseBefore(text: string, index: number): string {
  const before = text.slice(0, index + 1);
  const cut = before.lastIndexOf(` ${BREAK} `);
  return cut >= 0 ? before.slice(cut + 2) : before;
}

function isNegated(text: string, hit: Hit): boolean {
  const before = clauseBefore(text, hit.index);
  const m = NEGATION_BEFORE.exec(before);
  if (!m) return false;
  return !NEGATION_CANCELLERS.test(` ${m[1]}`);
}

function isAboutSomeoneElse(text: string, hit: Hit): boolean {
  const before = clauseBefore(text, hit.index);
  let lastSubjectEnd = -1;
  THIRD_PARTY_SUBJECT_RE.lastIndex = 0;
  for (let m = THIRD_PARTY_SUBJECT_RE.exec(before); m; m = THIRD_PARTY_SUBJECT_RE.exec(before)) {
    lastSubjectEnd = m.index + m[0].length - 1;
    THIRD_PARTY_SUBJECT_RE.lastIndex = lastSubjectEnd;
  }
  if (lastSubjectEnd < 0) return false;
  // "she said I want to die": the speaker is the subject again after the third party
  return !FIRST_PERSON_SUBJECT.test(before.slice(lastSubjectEnd));
}

function isInformational(text: string, hit: Hit): boolean {
  const after = text.slice(hit.index + hit.length).replace(/^(?:\| )+/, '');
  if (INFO_QUALIFIER_AFTER.test(after)) return true;
  if (INFO_QUALIFIER_BEFORE.test(clauseBefore(text, hit.index))) return true;
  return QUESTION_START.test(text) && !ANY_FIRST_PERSON.test(text);
}

// ---------------------------------------------------------------------------------------------------------------------
// ELEVATED rules
// ---------------------------------------------------------------------------------------------------------------------

type ElevatedTopic = 'abuse' | 'panic' | 'distress';

const ELEVATED_RULES: readonly { topic: ElevatedTopic; pattern: RegExp }[] = [
  // hopelessness, worthlessness, feeling trapped or a burden
  { topic: 'distress', pattern: re(String.raw` (?:hopeless|hopelessness|no hope|lost (?:all )?hope|without hope|no future|no way out|theres no way out|no way to escape|no escape) `) },
  { topic: 'distress', pattern: re(String.raw` (?:worthless|i am nothing|im nothing|im a waste|i am a waste|waste of space|waste of (?:air|oxygen)|useless piece|good for nothing|i hate ${MYSELF}|hate my life|hate being alive|i am a failure|im a failure|such a failure|total failure|complete failure) `) },
  { topic: 'distress', pattern: re(String.raw` (?:trapped|stuck forever|stuck with no way out|cant escape|cannot escape) `) },
  { topic: 'distress', pattern: re(String.raw` (?:a burden|burden to|burden on|burdening) `) },
  // can't go on / can't take it anymore / at breaking point
  { topic: 'distress', pattern: re(String.raw` (?:cant|cannot|can not|unable to|dont think i can|dont know if i can|dont know how to|dont know how much longer i can) (?:go on|keep going|keep doing this|do this anymore|do this any more|do it anymore|take it|take this|take much more|take any more|take anymore|handle (?:it|this|anything) (?:anymore|any more|any longer)|cope|cope anymore|bear it|bear this|stand it|live like this|carry on|hold on) `) },
  { topic: 'distress', pattern: re(String.raw` (?:breaking point|end of my rope|at my wits end|wits end|falling apart|fall apart|mental breakdown|nervous breakdown|breaking down|losing my mind|going crazy|losing it|cant stop crying|crying all day|crying every day|crying for hours|numb inside|empty inside|feel (?:so )?empty|feel (?:so )?numb|unbearable|give up on (?:everything|life|myself)|giving up on (?:everything|life|myself)|want to give up|wanna give up|whats the point|what is the point|no point in anything|no point anymore|pointless|want to disappear|wanna disappear|do something stupid|do something drastic|want to run away and never|no one cares|nobody cares|no one would care|nobody would care|no one would notice|nobody would notice) `) },
  { topic: 'distress', pattern: re(String.raw` (?:hearing voices|hear voices|voices in my head|seeing things|relapsed|relapse|drinking every day|drinking too much|drinking again|using again|high every day|dont want to get out of bed for days|havent left (?:my )?(?:bed|room|house) in (?:days|weeks)) `) },
  // panic attacks
  { topic: 'panic', pattern: re(String.raw` (?:panic attacks?|panicattacks?|panicking so bad|cant breathe|cannot breathe|heart (?:is )?racing and|feel like im dying|feel like i am dying|feel like im going to die|think im having a heart attack) `) },
  // not eating / sleeping for days
  { topic: 'distress', pattern: re(String.raw` (?:havent|have not|not|cant|cannot|didnt|did not|barely|hardly|stopped) (?:really )?(?:eaten|eating|eat|slept|sleeping|sleep|had anything to eat|had any sleep) (?:anything |at all |properly |much )?(?:in|for) (?:\d+|two|three|four|five|six|seven|several|a few|a couple|many|multiple|days|weeks|a week|two weeks) ?(?:days|nights|weeks)? `) },
  { topic: 'distress', pattern: re(String.raw` (?:no|without) (?:food|sleep|eating|sleeping) (?:in|for) (?:\d+ |two |three |several |a few |many )?(?:days|nights|weeks) | (?:awake|up) for (?:\d+|two|three|four|several|a few) (?:days|nights) straight `) },
  // abuse and violence at home
  { topic: 'abuse', pattern: re(String.raw` (?:abuse|abused|abusive|abuser|abusing|domestic violence|domestic abuse|violent at home|violence at home|not safe at home|unsafe at home|afraid to go home|scared to go home|raped|rape|sexually assaulted|sexual assault|molested|molesting|groomed|stalking me|stalked) `) },
  { topic: 'abuse', pattern: re(String.raw` (?:he|she|they|my (?:[a-z]+ )?(?:partner|husband|wife|boyfriend|girlfriend|bf|gf|dad|father|mom|mum|mother|parents?|stepdad|stepfather|stepmom|stepmother|brother|sister|ex|uncle|aunt|boss|roommate)) (?:[a-z]+ ){0,2}?(?:hits|hit|beats|beat|hurts|hurt|chokes|choked|strangled|strangles|kicks|kicked|threatens|threatened|slaps|slapped|pushed|pushes|shoves|shoved|punches|punched|grabbed|locks|locked) me `) },
  { topic: 'abuse', pattern: re(String.raw` (?:afraid|scared|terrified|frightened) (?:of|that) my (?:partner|husband|wife|boyfriend|girlfriend|dad|father|mom|mum|mother|stepdad|stepfather|parents|ex) `) },
  // intent to harm others
  { topic: 'distress', pattern: re(String.raw` (?:${WANT}|going to|gonna|could|might|will|ill) (?:really )?(?:kill|hurt|stab|shoot|murder|attack|strangle) (?:him|her|them|someone|somebody|everyone|people|my (?:boss|husband|wife|partner|boyfriend|girlfriend|ex|mom|mum|dad|brother|sister|roommate|coworker|colleague|teacher|neighbou?r|family|kids?|son|daughter)) `) },
];

// ---------------------------------------------------------------------------------------------------------------------
// LOW rules, by topic (also used to pick a coping suggestion)
// ---------------------------------------------------------------------------------------------------------------------

type LowTopic = 'sleep' | 'anxiety' | 'loneliness' | 'stress' | 'sadness' | 'anger';

interface LowRule {
  topic: LowTopic;
  pattern: RegExp;
  /** An emotion word that a preceding negation cancels ("not anxious anymore"). */
  negatable?: boolean;
}

/** Ordered by the priority of the coping suggestion when a message touches several topics. */
const LOW_RULES: readonly LowRule[] = [
  // sleep
  { topic: 'sleep', pattern: re(String.raw` (?:insomnia|sleepless|cant sleep|cannot sleep|couldnt sleep|could not sleep|cant fall asleep|cant stay asleep|unable to sleep|not sleeping|wont sleep|nightmares|keep waking up|waking up at night|wake up at \d+|up all night|awake all night|lying awake|lie awake|tossing and turning|sleep badly|slept badly|sleeping badly|poor sleep|bad sleep|no sleep|barely slept|barely sleep|hardly slept|hardly sleep|not enough sleep|cant get to sleep|cant get any sleep) `) },
  { topic: 'sleep', pattern: re(String.raw` (?:trouble|problems?|difficulty|hard time|struggling|struggle|issues?) (?:with )?(?:falling |staying |getting to )?(?:sleep|sleeping|asleep) `) },
  // anxiety and worry
  { topic: 'anxiety', pattern: re(String.raw` (?:anxious|anxiety|anxieties|nervous|nerves|worried|worry|worrying|worries|panicky|on edge|overthinking|over thinking|racing thoughts|freaking out|freak out|uneasy|restless|tense|jittery|scared|afraid|fearful|dread|dreading|apprehensive) `), negatable: true },
  // loneliness
  { topic: 'loneliness', pattern: re(String.raw` (?:lonely|loneliness|lonley|so alone|all alone|feel alone|feeling alone|felt alone|isolated|isolation|no friends|no one to talk to|nobody to talk to|noone to talk to|left out|excluded|miss my (?:friends|family|mom|mum|dad|home)|by myself all the time|homesick) `), negatable: true },
  // stress and overwhelm
  { topic: 'stress', pattern: re(String.raw` (?:stress|stressed|stressful|stressing|overwhelmed|overwhelming|too much on my plate|so much to do|too much to do|under pressure|pressure|burnout|burned out|burnt out|burning out|swamped|deadlines?|exams?|workload|overworked|exhausted|frazzled) `), negatable: true },
  // sadness
  { topic: 'sadness', pattern: re(String.raw` (?:sad|sadness|unhappy|depressed|depression|depressing|feel(?:ing)? (?:so |really |very |kind of |kinda |a bit )?(?:down|low|blue|miserable|awful|terrible|horrible)|down lately|miserable|crying|cried|cry|tearful|heartbroken|heartbreak|broke up|break up|breakup|grief|grieving|mourning|passed away|lost my (?:mom|mum|dad|mother|father|grandma|grandpa|dog|cat|pet|job|friend)|cant get out of bed|life sucks|everything sucks|no motivation|unmotivated|gloomy|disappointed) `), negatable: true },
  // anger
  { topic: 'anger', pattern: re(String.raw` (?:angry|anger|mad|furious|pissed|irritated|irritable|frustrated|frustrating|frustration|rage|raging|enraged|annoyed|resentful|lose my temper|lost my temper|losing my temper|snapped at|yelled at|yelling|screamed at|so fed up|fed up) `), negatable: true },
];

/** A short negation right before an emotion word: "not anxious", "dont feel lonely", "no longer stressed". */
const LOW_NEGATION_BEFORE = new RegExp(
  String.raw` (?:not|never|no longer|dont|do not|didnt|isnt|wasnt|arent|no|without|nothing) (?:(?:feel|feeling|felt|really|that|so|very|too|as|at all|even|be|being|get|getting|any|more|much|a|bit|much of a|to)\s){0,3}$`,
);

interface LowMatch {
  topics: LowTopic[];
}

function matchLow(text: string): LowMatch {
  const topics: LowTopic[] = [];
  for (const rule of LOW_RULES) {
    if (topics.includes(rule.topic)) continue;
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      rule.pattern.lastIndex = m.index + Math.max(1, m[0].length - 1);
      if (rule.negatable && LOW_NEGATION_BEFORE.test(clauseBefore(text, m.index))) continue;
      topics.push(rule.topic);
      break;
    }
  }
  return { topics };
}

// ---------------------------------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------------------------------

/** Whose risk an ELEVATED message is about. */
type Concern = 'self' | 'someone-else' | 'information';

interface Analysis {
  risk: RiskLevel;
  concern: Concern;
  elevatedTopics: ElevatedTopic[];
  lowTopics: LowTopic[];
}

function analyse(message: string): Analysis {
  const text = normaliseMessage(message);
  const elevatedTopics = ELEVATED_RULES.filter((r) => matches(r.pattern, text)).map((r) => r.topic);
  const { topics: lowTopics } = matchLow(text);

  const hits = findCrisisHits(text);
  let thirdParty = THIRD_PARTY_RISK_RULES.some((p) => matches(p, text));
  let informational = false;
  let ownWords = elevatedTopics.length > 0;
  for (const hit of hits) {
    if (hit.rule.accidentProne && ACCIDENT.test(text)) continue;
    if (!hit.rule.firstPerson && isAboutSomeoneElse(text, hit)) {
      thirdParty = true;
      continue;
    }
    if (hit.rule.mention && isInformational(text, hit)) {
      informational = true;
      continue;
    }
    if (!hit.rule.intrinsic && isNegated(text, hit)) {
      ownWords = true;
      continue;
    }
    return { risk: 'CRISIS', concern: 'self', elevatedTopics, lowTopics };
  }
  if (thirdParty || informational || ownWords) {
    // someone else's risk or a question takes the lead only when the speaker said nothing worrying about themselves
    const concern: Concern = ownWords ? 'self' : thirdParty ? 'someone-else' : 'information';
    return { risk: 'ELEVATED', concern, elevatedTopics, lowTopics };
  }
  return { risk: lowTopics.length > 0 ? 'LOW' : 'NONE', concern: 'self', elevatedTopics, lowTopics };
}

function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/**
 * Classifies a patient's message as CRISIS, ELEVATED, LOW or NONE (see the module comment).
 * The whole message is scanned; callers enforce `MAX_CHATBOT_MESSAGE_LENGTH`.
 */
export function classifyRisk(message: string): RiskLevel {
  return analyse(message).risk;
}

// ---------------------------------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------------------------------

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

const GREETING = /^ (?:hi+|hey+|hello+|helo|hiya|heya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|morning|evening|sup|whats up|hola|bonjour)\b/;
const BOOKING = / (?:book|booking|schedule|scheduling|reschedule|appointment|appointments|session|sessions|see a therapist|talk to a therapist|find a therapist|get a therapist|therapist available|availability) /;
const THANKS = / (?:thanks|thank you|thank u|thx|ty|appreciate it|appreciate you|grateful) /;
const POSITIVE = / (?:better|good|great|fine|okay|ok|happy|calm|calmer|relaxed|awesome|amazing|wonderful|fantastic|improving|well) /;

const LOW_RESPONSES: Record<LowTopic, { validation: string; tip: string }> = {
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
    validation: "It sounds like you have a lot on your plate right now, and feeling stressed is completely understandable.",
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
};

const LOW_CLOSINGS = [
  "I'm here if you want to talk more about it.",
  "If you'd like, tell me a bit more about what's going on.",
  'How are you feeling right now?',
] as const;

const ELEVATED_OPENINGS = [
  "That sounds really heavy, and it makes sense that you're feeling this way; thank you for sharing it with me.",
  "I'm sorry things feel this hard right now; what you're feeling matters, and thank you for telling me.",
] as const;

/** Prefixes the user's first name to a sentence: "Sam, that sounds ..." (keeping "I" capitalised). */
function addressed(firstName: string | undefined, sentence: string): string {
  if (!firstName) return sentence;
  const rest = /^I\b/.test(sentence) ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
  return `${firstName}, ${rest}`;
}

/**
 * A supportive, warm, non-judgemental reply (1-5 sentences, never diagnosing), deterministic for the same input.
 * `context.therapistName`: a name = they have a therapist; `null` = no therapist yet; `undefined` = unknown.
 */
export function composeResponse(message: string, risk: RiskLevel, context: ResponderContext = {}): string {
  const firstName = cleanName(context.firstName);
  const therapist = cleanName(context.therapistName);
  const noTherapist = context.therapistName === null || (typeof context.therapistName === 'string' && !therapist);
  const seed = normaliseMessage(message);
  const analysis = analyse(message);
  const sentences: string[] = [];

  switch (risk) {
    case 'CRISIS': {
      sentences.push(addressed(firstName, "I'm really glad you told me, and I'm so sorry you're going through this: you deserve support right now."));
      sentences.push('Please call or text 988 (the Suicide & Crisis Lifeline, US) now to talk to someone who can help, any time, day or night.');
      sentences.push(
        "If you're in immediate danger or have already hurt yourself, call 911 (US) or your local emergency number (112 in the EU and many countries, 999 in the UK).",
      );
      if (therapist) sentences.push(`Your therapist, ${therapist}, has been alerted and you can message them here.`);
      else if (noTherapist) sentences.push('When you can, please book a session with a therapist here so you have ongoing support.');
      else sentences.push('You can also message your therapist, or book a session with a therapist here.');
      sentences.push('If you can, stay close to someone you trust while you reach out.');
      break;
    }
    case 'ELEVATED': {
      if (analysis.concern === 'someone-else') {
        sentences.push(addressed(firstName, "It's clear you care a lot, and it's hard to carry worry like this."));
        sentences.push(
          'If someone may be thinking about harming themselves, encourage them to call or text 988 (Suicide & Crisis Lifeline, US), and call 911 or the local emergency number if they are in immediate danger.',
        );
      } else if (analysis.concern === 'information') {
        sentences.push(addressed(firstName, "Thank you for asking; it's an important question."));
        sentences.push(
          'In the US you can call or text 988 to reach the Suicide & Crisis Lifeline any time, and in an emergency call 911 or your local emergency number (112 in the EU and many countries, 999 in the UK).',
        );
      } else {
        sentences.push(addressed(firstName, pick(ELEVATED_OPENINGS, seed)));
        if (analysis.elevatedTopics.includes('abuse')) {
          sentences.push("No one deserves to be hurt or threatened, and if you're ever in immediate danger, call 911 or your local emergency number.");
        }
      }
      if (therapist) sentences.push(`It could really help to talk this through with your therapist, ${therapist}: you can message them or book a session soon.`);
      else if (noTherapist) sentences.push('It could really help to talk this through with a therapist, and you can book a session here soon.');
      else sentences.push('It could really help to reach out to your therapist or book a session soon.');
      if (analysis.concern === 'self') {
        sentences.push('If things get worse or you start thinking about harming yourself, please call or text 988 (Suicide & Crisis Lifeline, US) any time.');
      } else {
        sentences.push("And if any of this is about how you're feeling yourself, I'm here to listen.");
      }
      break;
    }
    case 'LOW': {
      const topic = analysis.lowTopics[0];
      if (topic) {
        sentences.push(addressed(firstName, LOW_RESPONSES[topic].validation));
        sentences.push(LOW_RESPONSES[topic].tip);
      } else {
        sentences.push(addressed(firstName, "Thank you for sharing how you're feeling; it's completely understandable."));
        sentences.push('Taking a few slow, deep breaths or a short break can help a little in the moment.');
      }
      sentences.push(pick(LOW_CLOSINGS, seed));
      break;
    }
    case 'NONE': {
      if (BOOKING.test(seed)) {
        sentences.push(
          addressed(
            firstName,
            therapist
              ? `You can schedule a therapy session with your therapist, ${therapist}, or another therapist right here in Aura by choosing a time that suits you.`
              : 'You can schedule a therapy session with a therapist right here in Aura by choosing a time that suits you.',
          ),
        );
        sentences.push('Sessions can be by chat, video or audio, whichever feels most comfortable.');
      } else if (GREETING.test(seed)) {
        sentences.push(firstName ? `Hi ${firstName}, it's good to hear from you!` : "Hi there, it's good to hear from you!");
        sentences.push('How are you feeling today?');
      } else if (THANKS.test(seed) || POSITIVE.test(seed)) {
        sentences.push(addressed(firstName, "I'm really glad to hear that, and thank you for checking in."));
        sentences.push("I'm here whenever you want to talk about how you're feeling.");
      } else {
        sentences.push(addressed(firstName, "Thank you for reaching out; I'm here to listen."));
        sentences.push('How are you feeling today? Share as much or as little as you like.');
      }
      break;
    }
  }
  return sentences.join(' ');
}
