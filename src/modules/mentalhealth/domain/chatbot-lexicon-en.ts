/**
 * English rule tables of the support chatbot (data only; see chatbot-lexicon.ts for the format and the rule ids).
 * Sources: the C-SSRS screener (ideation, method, intent, plan, preparatory behaviour, attempt) and the warning
 * signs of 988 (988lifeline.org) and the AFSP (afsp.org/risk-factors-protective-factors-and-warning-signs).
 */
import type { Lexicon } from './chatbot-lexicon';

/** "want to" and its spellings. */
const WANT = String.raw`(?:wanna|wants? to|wanted to|wanting to|want too|wish to|wishing to)`;
/** First-person reflexive object, with common typos. */
const MYSELF = String.raw`(?:myself|my self|myslef|mysefl|meself|mself)`;
/** Third-person / second-person reflexive objects. */
const OTHERSELF = String.raw`(?:himself|herself|themselves|themself|yourself|urself|him self|her self)`;
/** "suicide", "suicidal", "suicidality" and common misspellings ("suicde", "sucide", "suiside"). */
const SUICIDE = String.raw`su[ia]?[cs]i?d(?:e|es|al|el|ial|ality)?`;
/** Things people overdose on. */
const PILLS = String.raw`(?:pills?|tablets?|meds|medicines?|medications?|painkillers|pain killers|paracetamol|tylenol|acetaminophen|ibuprofen|advil|aspirin|xanax|benzos|oxys?|opioids|insulin|sleeping pills|antidepressants|sleeping tablets)`;
/** Quantities that turn "took pills" into an overdose. */
const TOO_MANY = String.raw`(?:whole|entire|all|every|all the|all of the|all of my|too many|too much|a lot|lots|bunch|handful|bottle|box|pack|packet|\d{2,}|twenty|thirty|forty|fifty|hundred)`;
/** Something you can jump off or in front of. */
const HEIGHT = String.raw`(?:bridge|building|roof|rooftop|cliff|balcony|window|ledge|overpass|tower|car park|parking garage|skyscraper|dam)`;
const DET = String.raw`(?:a|an|the|this|that|my|our|some|their)`;
const VEHICLE = String.raw`(?:train|trains|bus|truck|lorry|car|cars|subway|traffic|tram)`;
const END = String.raw`(?:end|ending|ended|take|taking|took)`;
const FIREARM = String.raw`(?:gun|guns|pistol|rifle|shotgun|revolver|firearm|handgun|glock)`;
const BLADE = String.raw`(?:knife|blade|blades|razor|razors|razor blade|razor blades|box cutter)`;
/** Intent markers before "end it / end things" ("going to", "tonight is the night I"). */
const INTENT = String.raw`(?:going to|gonna|about to|ready to|decided to|plan to|planning to|will|ill|im|i am|so i can|so that i can|night i|day i|time i|finally|courage to|nerve to)`;
/** Words that may sit between a negation and what it negates, bounded, no clause breaks. */
const GAP = (max: number) =>
  String.raw`(?:(?!(?:but|and|or|so|because|cause|cuz|though|although|yet|just|except|if|when|than|until)\b)[a-z0-9]+ ){0,${max}}`;

export const ENGLISH: Lexicon = {
  language: 'en',
  markers: String.raw` (?:i|im|ive|id|the|and|to|my|is|it|you|want|dont|cant|feel|with|of|have|this|that|what|how|just|so|am|be|are|about|for) `,

  crisis: [
    // C-SSRS 1: wish to be dead
    { id: 'cssrs.wish_dead', pattern: String.raw` (?:${WANT}|ready to|deserve to|need to|i should|hope i|pray i|praying i|hoping i) (?:just |really |honestly |simply )?(?:die|be dead|not exist|stop existing|cease to exist|not be alive|disappear forever|go to sleep forever|sleep forever) (?!of embarrassment|of shame|laughing|from laughing)` },
    { id: 'cssrs.wish_dead', pattern: String.raw` (?:id|i would|i d|would|feel like) (?:much )?(?:rather|sooner) (?:just )?(?:be dead|die|not be alive|not exist|not be here) | feel like (?:dying|i want to die|i should die) | (?:death|dying|being dead) (?:would be|would feel|is|seems|sounds|feels like) (?:so )?(?:better|easier|preferable|a relief|peaceful|the only way out|the answer) ` },
    { id: 'cssrs.wish_dead', firstPerson: true, pattern: String.raw` wish (?:that )?(?:i|id) (?:(?:was|were|could|would|just|be|had|to|simply) ){0,3}(?:dead|die|never been born|not been born|not alive|disappear forever|stop existing|fall asleep and never wake up) ` },
    { id: 'cssrs.wish_dead', firstPerson: true, intrinsic: true, pattern: String.raw` wish (?:i|that i) (?:wasnt|werent|was not|were not|hadnt been|had not been|didnt|did not|dont|do not|wouldnt|would not|never|could not|couldnt|never had to) (?:alive|born|here|around|exist|wake up|be here|been born) ` },
    { id: 'cssrs.wish_dead', firstPerson: true, intrinsic: true, pattern: String.raw` (?:dont|do not|didnt|did not|no longer|not|never|cant|cannot) (?:[a-z]+ ){0,2}?(?:${WANT}|want|care to|feel like) (?:live|living|be alive|stay alive|keep living|go on living|exist|existing|be here anymore|be here any more|be around anymore|wake up|be on this earth|be in this world) (?!(?:with|in|at|near|there|here|abroad|alone|together|on campus|somewhere|next to) )` },
    { id: 'cssrs.wish_dead', firstPerson: true, intrinsic: true, pattern: String.raw` (?:${WANT}|want|point in|reason to|care to) (?:live|living|be alive|exist|existing|be here|go on) (?:anymore|any more|any longer) ` },
    { id: 'cssrs.wish_dead', firstPerson: true, intrinsic: true, pattern: String.raw` (?:dont|do not|wouldnt|would not) (?:even )?care if i (?:die|died|live|lived|dont wake up|never wake up) ` },
    { id: 'cssrs.wish_dead', firstPerson: true, intrinsic: true, pattern: String.raw` (?:hope i|wish i|pray i|praying i|hoping i|${WANT}) (?:dont|do not|never|wont|will not|wouldnt|would not) wake up | (?:sleep|asleep) and (?:just )?never wake up | (?:never|not) wake up (?:ever )?again ` },
    { id: 'cssrs.wish_dead', pattern: String.raw` better off (?:dead|gone|not alive|not existing|not here) | better off if i (?:was|were|am) (?:dead|gone|not here|not alive|never born) ` },
    { id: 'cssrs.wish_dead', pattern: String.raw` (?:tired|sick|done|finished) (?:of|with) (?:living|being alive|existing|life itself|this life|life) ` },
    { id: 'cssrs.wish_dead', pattern: String.raw` want (?:it all|everything|this all|all of this|all of it|it) (?:all )?to (?:end|be over|stop forever) | (?:except|but|other than|besides|apart from) (?:dying|death|to die|killing ${MYSELF}|${SUICIDE}) ` },
    // C-SSRS 2: active suicidal thoughts
    { id: 'cssrs.ideation', firstPerson: true, pattern: String.raw` (?:kill+|kil+ing|killing|killed|kils|unalive|unaliving|off|offing|murder) ${MYSELF} ` },
    { id: 'cssrs.ideation', firstPerson: true, pattern: String.raw` (?:kms|k m s|kmsl) ` },
    { id: 'cssrs.ideation', firstPerson: true, pattern: String.raw` ${END} (?:my|my own) li(?:fe|ves) ` },
    { id: 'cssrs.ideation', pattern: String.raw` (?:end|ending|ended) (?:it|this|everything) all ` },
    { id: 'cssrs.ideation', pattern: String.raw` (?:${WANT}|try to|trying to|thinking about|thinking of|think about|feel like|felt like|feeling like|considering|close to) (?:just )?end(?:ing)? (?:it|everything|things)(?! (?:with|between|off|for (?:him|her|them|us)))(?: [a-z]+)? ` },
    { id: 'cssrs.ideation', mention: true, pattern: String.raw` ${SUICIDE} ` },
    { id: 'cssrs.ideation', firstPerson: true, pattern: String.raw` (?:do|doing|did|done) (?:something|anything) (?:stupid |bad |drastic |dangerous |terrible |permanent )?to ${MYSELF} ` },
    // C-SSRS 3: method
    { id: 'cssrs.method', pattern: String.raw` (?:lethal|fatal|deadly|overdose) (?:dose|amount|quantity|number) ` },
    { id: 'cssrs.method', pattern: String.raw` how (?:many|much) (?:[a-z0-9]+ ){0,5}?(?:to|would it take to|does it take to|would|will|would i need to|do i need to|until i) (?:die|kill|be fatal|be lethal|overdose|od|not wake up|never wake up|stop breathing) ` },
    { id: 'cssrs.method', intrinsic: true, pattern: String.raw` (?:painless|easiest|easy|quickest|quick|fastest|best|surest|least painful|simplest) (?:way|ways|method|methods) (?:to|of) (?:die|dying|kill ${MYSELF}|killing ${MYSELF}|end it|end my life|ending my life|commit ${SUICIDE}|${SUICIDE}|overdose|not wake up) ` },
    { id: 'cssrs.method', firstPerson: true, pattern: String.raw` (?:use|using|used|turn|turning|point|pointing) (?:it|that|them|the ${FIREARM}|a ${FIREARM}|the ${BLADE}|a ${BLADE}) (?:on|at|against) ${MYSELF} ` },
    // C-SSRS 4: intent
    { id: 'cssrs.intent', pattern: String.raw` ${INTENT} (?:just |finally |really |actually )?end(?:ing)? (?:it|everything|things|it all|my life)(?! (?:with|between|off|for (?:him|her|them|us)))(?: [a-z]+)? ` },
    // "going to do it" is vague: it counts when the message does not go on to say what "it" is
    { id: 'cssrs.intent', pattern: String.raw` (?:going to|gonna|ready to|finally going to|strength to) (?:actually |finally |really )?(?:do it|go through with it)(?: this time| tonight| today| now| for real| soon)?(?= (?:\| )*$)| (?:courage|nerve|guts) to (?:do it|go through with it) ` },
    { id: 'cssrs.intent', pattern: String.raw` (?:tonight|today|this) is (?:the|my) (?:night|day|time) (?:i|ill|to) (?:end|do it|die|go|kill|finally) ` },
    { id: 'cssrs.intent', pattern: String.raw` (?:going to|gonna|about to|ready to) jump (?=\||now |tonight |today |right now |$)` },
    { id: 'cssrs.intent', firstPerson: true, intrinsic: true, pattern: String.raw` (?:cant|cannot|can not) (?:promise|guarantee|say) (?:(?:you|that|anyone) ){0,2}(?:i (?:wont|will not|wouldnt|would not|will be safe|will stay safe)|ill be safe|ill stay safe|to stay safe|to be safe) | (?:cant|cannot|can not|dont think i can|not sure i can|dont know if i can|unable to) (?:keep ${MYSELF} safe|stay safe|keep safe) | not (?:sure|certain) i (?:wont|will not) (?:do something|hurt|harm|kill|cut|act on|go through) | not safe (?:with|from|around) ${MYSELF} ` },
    // C-SSRS 5: plan
    { id: 'cssrs.plan', firstPerson: true, pattern: String.raw` (?:have|got|made|making|make|came up with|working on|written|wrote|figured out) (?:a |the |my |out a |out the |out my )?(?:plan|plans|way|method) (?:to|for|on how to|of how to) (?:[a-z]+ ){0,2}?(?:end (?:it|my life|things|everything)|kill ${MYSELF}|die|${SUICIDE}|take my (?:own )?life|overdose|od|jump|hang ${MYSELF}|hurt ${MYSELF}|cut ${MYSELF}|not be here) ` },
    { id: 'cssrs.plan', firstPerson: true, pattern: String.raw` (?:i know|i know exactly|ive decided|i have decided|ive chosen|i picked|i chose|ive worked out|i worked out|ive figured out|i figured out|ive planned|i planned) (?:exactly )?(?:how|when|where)(?: and (?:how|when|where))? (?:i will|ill|im going to|i am going to|im gonna|to|i want to) (?:do it|die|end it|kill ${MYSELF}|end my life|end things) ` },
    { id: 'cssrs.plan', pattern: String.raw` (?:planned|planning|plan) to (?:drive|jump|hang|shoot|overdose|crash|take all) ` },
    { id: 'cssrs.plan', pattern: String.raw` (?:picked|chose|chosen|set|decided on) (?:a|the) (?:date|day) (?=\||for it |to do it |it will |its )` },
    // C-SSRS 6: preparatory behaviour
    { id: 'cssrs.preparatory', pattern: String.raw` (?:${SUICIDE}|goodbye|farewell|last) (?:note|notes|letter|letters) ` },
    { id: 'cssrs.preparatory', pattern: String.raw` (?:saving|saved|save|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|stashed) (?:up )?(?:my |all my |enough |some )?${PILLS} ` },
    { id: 'cssrs.preparatory', firstPerson: true, pattern: String.raw` (?:bought|buying|got|getting) (?:a |the )?(?:${FIREARM}|rope|noose) (?:so (?:that )?i can|to) (?:end|kill ${MYSELF}|die|do it|shoot ${MYSELF}|hang ${MYSELF}) ` },
    // C-SSRS actual attempt
    { id: 'cssrs.attempt', mention: true, pattern: String.raw` (?:overdos[a-z]*|over dos[a-z]*|od|oded|oding) ` },
    { id: 'cssrs.attempt', pattern: String.raw` (?:took|taken|swallowed|ate|eaten|popped|downed|drank|(?:${WANT}|going to|gonna|about to|will|ill) (?:take|swallow)) (?:[a-z0-9]+ ){0,3}?${TOO_MANY}(?: [a-z0-9]+){0,4}? ${PILLS} ` },
    { id: 'cssrs.attempt', firstPerson: true, pattern: String.raw` (?:tried|try|trying|attempted|attempt) to (?:kill|hang|shoot|drown|poison|suffocate) ${MYSELF} ` },
    // self-injury
    { id: 'cssrs.self_harm', accidentProne: true, firstPerson: true, pattern: String.raw` (?:cut+|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|hurts|harm|harming|harmed|stab|stabbing|stabbed|hit|hitting|punch|punching|starve|starving|starved|strangle|strangling|choke|choking|poison|poisoning|poisoned|drown|drowning|hang|hanging|hanged|shoot|shooting|shot|bleed|bleeding|scratch|scratching|scratched|injure|injuring|injured) ${MYSELF} ` },
    { id: 'cssrs.self_harm', firstPerson: true, pattern: String.raw` (?:cut|cutting|cuts|slit|slitting|slice|slicing|slash|slashing|burn|burning|burned) (?:my|both my|open my) (?:wrists?|arms?|legs?|thighs?|skin|stomach|veins?) ` },
    { id: 'cssrs.self_harm', mention: true, pattern: String.raw` self (?:harm|harming|harmed|injury|injuring|injure|mutilation|mutilate|mutilating|hurt|hurting|harmer) ` },
    { id: 'cssrs.self_harm', firstPerson: true, pattern: String.raw` (?:i|ive|i have|i just|started|start|been|keep) (?:cut+|cutting) (?:again|deep|deeper|last night|tonight|today|this morning|yesterday) ` },
    { id: 'cssrs.self_harm', firstPerson: true, pattern: String.raw` (?:cut|cutting|self harm[a-z]*|harm[a-z]* ${MYSELF}|hurt[a-z]* ${MYSELF}) (?:[a-z|]+ ){0,6}?(?:started again|starting again|relapsed|did it again|doing it again|again (?:last night|today|tonight)) ` },
    // lethal means at hand
    { id: 'means.firearm', pattern: String.raw` ${FIREARM} (?:is |now )?(?:loaded|cocked|in my (?:hand|mouth|lap)|to my head|pointed at me)| loaded (?:the|my|a|dads|my dads|his) ${FIREARM} | (?:have|got|holding|hold) (?:the|my|a|his|my dads|dads) ${FIREARM} (?:loaded|ready|in my hand|right here|next to me) ` },
    { id: 'means.firearm', firstPerson: true, pattern: String.raw` (?:${FIREARM}|${BLADE}) (?:to|against|at) my (?:head|throat|wrists?|chest|heart|temple) | blow my (?:brains|head) out ` },
    { id: 'means.ligature', pattern: String.raw` nooses? | (?:rope|belt|cord) (?:is |all )?(?:ready|tied|set up|around my neck|hanging from) | (?:tied|tie|tying) (?:a |the |my )?rope (?:to|around|from) ` },
    { id: 'means.pills', pattern: String.raw` ${PILLS} (?:are |all )?(?:lined up|counted out|laid out|in my hand|in front of me)| ${PILLS} (?:are |all )?ready(?= (?:\| )*$)| (?:counted|counting|lined up|laid out|lining up) (?:out )?(?:all )?(?:my |the |of my )?${PILLS} ` },
    { id: 'means.height', pattern: String.raw` (?:jump|jumping|jumped|leap|leaping|throw ${MYSELF}|throwing ${MYSELF}) (?:off|from|of) (?:${DET} )?(?:[a-z]+ )?${HEIGHT} | (?:jump|jumping|jumped|throw ${MYSELF}|throwing ${MYSELF}) out (?:of )?(?:${DET} )?(?:[a-z]+ )?window ` },
    { id: 'means.height', pattern: String.raw` (?:standing|sitting|stood|sat|climbed|climbing|perched|im|i am) (?:up )?(?:on|onto|at|over) (?:the |a |this |my )?(?:ledge|railing|rail|bridge railing|parapet|window ledge|windowsill|top of the bridge|edge of (?:the |a |this )?(?:roof|bridge|building|cliff|platform|balcony|tracks)|edge(?= (?:\| )*$))` },
    { id: 'means.vehicle', pattern: String.raw` (?:on|onto|across) the (?:train |railway |rail |subway )?(?:tracks|rails) | (?:jump|jumping|jumped|step|stepping|walk|walking|run|running|lie down|lay down|throw ${MYSELF}|throwing ${MYSELF}) in front of (?:${DET} )?(?:[a-z]+ )?${VEHICLE} | (?:${WANT}|going to|gonna|thinking about|thinking of|think about|urge to|might|will|ill) (?:just )?(?:drive|driving|crash|crashing|steer|steering|swerve|swerving) (?:my car |the car )?(?:off|into) (?:a |the )?(?:cliff|bridge|wall|tree|traffic|oncoming traffic|river|lake|truck) ` },
    { id: 'means.blade', pattern: String.raw` ${BLADE} (?:is )?(?:in my hand|against my (?:wrist|skin|throat|arm)|on my (?:wrist|skin))| holding (?:a |the )?${BLADE} (?:to|against) ` },
    { id: 'means.gas', pattern: String.raw` (?:garage|car) with the (?:car|engine) running | car (?:is )?running in the (?:closed )?garage ` },
    // 988 / AFSP warning signs strong enough alone
    { id: 'warning.goodbye', pattern: String.raw` this is (?:my )?(?:final|last) goodbye | (?:saying|say|said) (?:my )?(?:final )?goodbyes | (?:goodbye|bye|farewell) (?:forever|for good|for the last time) | by the time (?:anyone|you|someone|they|my [a-z]+) (?:reads|read|see|sees|finds|find) (?:this|these|my) | tell my (?:mom|mum|mother|dad|father|parents|family|kids|son|daughter|wife|husband|partner|sister|brother|friends|girlfriend|boyfriend) (?:that )?i love | (?:im|i am|i|ill) (?:not|wont|will not|wont be) (?:going to |gonna )?be (?:here|around|alive) (?:much longer|for much longer|for long|after tonight|by morning) | (?:im|i am|i|ill) (?:not|wont|will not|wont be) (?:going to |gonna )?be (?:here|around|alive) (?:tomorrow|anymore|any more|next week)(?= (?:\| )*$)| (?:wont|will not|dont|never) (?:have to|need to) (?:worry about|deal with|put up with|hear from|take care of) me (?:anymore|any more|again|ever again|after) | letters? to (?:everyone|my family|my friends|my (?:mom|dad|parents|kids)) (?:[a-z]+ ){0,4}?goodbye | (?:this is|these are) my (?:last|final) (?:message|words)(?! (?:for|of|before|until|till|today|tonight))` },
    { id: 'warning.possessions', pattern: String.raw` (?:giv(?:e|en|ing)|gave) away (?:all (?:of )?)?(?:my (?:things|stuff|belongings|possessions|pets?|cat|dog|cats|dogs)|everything i own|all my) | wont need (?:it|them|this|that|these|my [a-z]+) where im going ` },
    { id: 'warning.burden', firstPerson: true, pattern: String.raw` better (?:off )?without me | (?:better off|happier|easier|better) (?:when|once|after|if) (?:im|i am|i was|i were|i m) (?:gone|dead|not here|not around|no longer here) ` },
    { id: 'warning.burden', firstPerson: true, intrinsic: true, pattern: String.raw` (?:nobody|no one|noone|no body) (?:would|will|is going to|gonna) (?:even )?(?:miss me|notice|care|cry) (?:[a-z]+ ){0,2}?if i (?:die|died|was gone|were gone|disappeared|was dead|were dead|killed ${MYSELF}|wasnt here|was not here) ` },
    { id: 'warning.no_reason_to_live', firstPerson: true, intrinsic: true, pattern: String.raw` (?:no|zero|not a|not one|not any|lost my|lost the|lost all|(?:cant|cannot|dont|do not|couldnt|never) (?:see|find|have|think of) (?:a|any|one)) (?:single |good )?(?:reason|reasons|point|purpose|will) (?:left )?(?:to|in|for) (?:live|living|go on|going on|keep going|keep living|stay alive|staying alive|being alive|life|exist|existing) | (?:whats|what is) the point (?:of|in) (?:living|life|being alive|going on|existing|staying alive) | nothing (?:left )?to live for | no point (?:in )?(?:living|being alive|going on|existing|staying alive) ` },
    { id: 'warning.no_reason_to_live', intrinsic: true, pattern: String.raw` (?:isnt|is not|aint|not|no longer|never) (?:really |even |just )?worth (?:living|being alive|staying alive|fighting for) | life (?:isnt|is not|aint) worth it ` },
  ],

  meansAccess: [
    { id: 'means.firearm', aloneElevated: true, pattern: String.raw` (?:have|got|bought|buy|buying|own|found|get|getting|access to|looking at|keep|kept) (?:a |the |my |dads |my dads |his |her |some |a loaded )?${FIREARM} ` },
    { id: 'means.ligature', pattern: String.raw` (?:have|got|bought|buy|buying|found|get|getting) (?:a |the |some |enough )?(?:rope|cord) ` },
    { id: 'means.pills', pattern: String.raw` (?:have|got|bought|buy|buying|found|get|getting) (?:a |the |my |all my |enough |some |a bottle of |bottles of |a box of )?${PILLS} ` },
    { id: 'means.blade', pattern: String.raw` (?:have|got|bought|buy|buying|found|get|getting) (?:a |the |my |some |new )?${BLADE} ` },
  ],

  figurative: [
    String.raw` (?:is|are|was|were|its|thats|it s) (?:really |totally |literally |so |just )?killing me `,
    String.raw` (?:homework|work|school|exams?|this class|my job|the job|deadlines?|studying|traffic|this heat|my back|my feet|my head|suspense|waiting) (?:[a-z]+ ){0,2}?(?:is|are|was) (?:really |literally |so )?killing me `,
    String.raw` (?:the )?death of me `,
    String.raw` (?:die|died|dying|dead) (?:of|from) (?:embarrassment|shame|boredom|laughter|laughing|cringe|hunger|thirst|the heat|cuteness) `,
    String.raw` (?:dying|died|dead) laughing | (?:die|died|dying) (?:of |from )?laughing `,
    String.raw` dying (?:to|for) (?!die)`,
    String.raw` (?:id|i would|i could|i d) (?:literally )?kill for `,
    String.raw` kill(?:ing|ed)? (?:time|the lights|the mood|it at|the game|the exam|the test|the interview) `,
    String.raw` dead (?:tired|serious|on|battery|phone) `,
    String.raw` (?:phone|battery|laptop|car|computer|tv|charger) (?:is |was |just |has )?(?:died|dead) `,
    String.raw` (?:going to|gonna|will) kill me (?:when|if) (?:s?he|they|my) `,
    String.raw` (?:that|the|this) (?:joke|video|show|movie|meme) (?:literally )?(?:killed me|is killing me|had me dead) `,
  ],

  thirdParty: [
    String.raw` (?:kill+|killing|killed|kills|hurt|hurting|hurts|harm|harming|harms|cut+|cutting|cuts|burn|burning|unalive|off|hang|hanging|shoot|shot|starve|starving) ${OTHERSELF} `,
    String.raw` ${END} (?:his|her|their|your) (?:own )?li(?:fe|ves) `,
    String.raw` (?:kys|k y s) `,
    String.raw` better off without (?:him|her|them) `,
  ],

  goodbye: {
    weak: [
      String.raw` (?:goodbye|good bye|farewell|goodbyes) `,
      String.raw` (?:thank you|thanks|thank u) for (?:everything|all you have done|all youve done|trying|being there|always being) `,
      String.raw` (?:last|final) (?:message|time|words) `,
      String.raw` (?:im|i am) (?:so )?sorry(?: for everything)? (?:\||$)`,
      String.raw` (?:forever|for good) `,
    ],
    continuing: String.raw` (?:see you|see ya|talk (?:to you )?(?:tomorrow|soon|later|next)|tomorrow|next (?:week|time|session)|later|tonight|for (?:today|now|the day|tonight)|goodnight|good night|until|till|have a good|take care) `,
  },

  elevated: [
    { id: 'warning.hopeless', topic: 'distress', pattern: String.raw` (?:hopeless|hopelessness|no hope|lost (?:all )?hope|without hope|no future|nothing will ever get better|never going to get better) ` },
    { id: 'warning.self_hatred', topic: 'distress', pattern: String.raw` (?:worthless|i am nothing|im nothing|im a waste|i am a waste|waste of space|waste of (?:air|oxygen)|useless piece|good for nothing|i hate ${MYSELF}|hate my life|hate being alive|i am a failure|im a failure|such a failure|total failure|complete failure) ` },
    { id: 'warning.trapped', topic: 'distress', pattern: String.raw` (?:trapped|stuck forever|stuck with no way out|cant escape|cannot escape|no way out|theres no way out|no way to escape|no escape) ` },
    { id: 'warning.burden', topic: 'distress', pattern: String.raw` (?:a burden|burden to|burden on|burdening|such a burden) ` },
    { id: 'warning.unbearable_pain', topic: 'distress', pattern: String.raw` (?:unbearable|cant bear the pain|cant take the pain|pain is too much|too much pain|cant stand the pain|in so much pain|make the pain stop|want the pain to stop|pain to stop) ` },
    { id: 'warning.cant_go_on', topic: 'distress', pattern: String.raw` (?:cant|cannot|can not|unable to|dont think i can|dont know if i can|dont know how to|dont know how much longer i can) (?:go on|keep going|keep doing this|do this anymore|do this any more|do it anymore|take it|take this|take much more|take any more|take anymore|handle (?:it|this|anything) (?:anymore|any more|any longer)|cope|cope anymore|bear it|bear this|stand it|live like this|carry on|hold on) ` },
    { id: 'warning.despair', topic: 'distress', pattern: String.raw` (?:breaking point|end of my rope|at my wits end|wits end|falling apart|fall apart|mental breakdown|nervous breakdown|breaking down|losing my mind|going crazy|losing it|cant stop crying|crying all day|crying every day|crying for hours|numb inside|empty inside|feel (?:so )?empty|feel (?:so )?numb|give up on (?:everything|life|myself)|giving up on (?:everything|life|myself)|want to give up|wanna give up|whats the point|what is the point|no point in anything|no point anymore|pointless|want to disappear|wanna disappear|do something stupid|do something drastic|want to run away and never|no one cares|nobody cares|no one would care|nobody would care|no one would notice|nobody would notice) ` },
    { id: 'warning.substance', topic: 'distress', pattern: String.raw` (?:drinking every day|drinking too much|drinking again|drinking (?:a lot |way |so much |much )?more|drinking to cope|drinking to forget|drunk every (?:day|night)|using again|relapsed|relapse|high every day|getting high to|using (?:more|drugs) to cope|taking more (?:pills|drugs)) ` },
    { id: 'warning.withdrawal', topic: 'distress', pattern: String.raw` (?:havent left (?:my )?(?:bed|room|house|apartment|flat) in|stopped (?:answering|talking to|seeing|replying to|going out with) (?:my )?(?:friends|family|anyone|people|everyone|texts|calls)|isolating ${MYSELF}|pushing everyone away|shut everyone out|dont want to get out of bed for days) ` },
    { id: 'distress.psychosis', topic: 'distress', pattern: String.raw` (?:hearing voices|hear voices|voices in my head|voices tell me|seeing things) ` },
    { id: 'distress.panic', topic: 'panic', pattern: String.raw` (?:panic attacks?|panicattacks?|panicking so bad|cant breathe|cannot breathe|heart (?:is )?racing and|feel like im dying|feel like i am dying|feel like im going to die|think im having a heart attack) ` },
    { id: 'distress.not_eating', topic: 'distress', pattern: String.raw` (?:havent|have not|not|cant|cannot|didnt|did not|barely|hardly|stopped) (?:really )?(?:eaten|eating|eat|slept|sleeping|sleep|had anything to eat|had any sleep) (?:anything |at all |properly |much )?(?:in|for) (?:\d+|two|three|four|five|six|seven|several|a few|a couple|many|multiple|days|weeks|a week|two weeks) ?(?:days|nights|weeks)? ` },
    { id: 'distress.not_eating', topic: 'distress', pattern: String.raw` (?:no|without) (?:food|sleep|eating|sleeping) (?:in|for) (?:\d+ |two |three |several |a few |many )?(?:days|nights|weeks) | (?:awake|up) for (?:\d+|two|three|four|several|a few) (?:days|nights) straight ` },
    { id: 'abuse.violence', topic: 'abuse', pattern: String.raw` (?:abuse|abused|abusive|abuser|abusing|domestic violence|domestic abuse|violent at home|violence at home|not safe at home|unsafe at home|afraid to go home|scared to go home|raped|rape|sexually assaulted|sexual assault|molested|molesting|groomed|stalking me|stalked) ` },
    { id: 'abuse.violence', topic: 'abuse', pattern: String.raw` (?:he|she|they|my (?:[a-z]+ )?(?:partner|husband|wife|boyfriend|girlfriend|bf|gf|dad|father|mom|mum|mother|parents?|stepdad|stepfather|stepmom|stepmother|brother|sister|ex|uncle|aunt|boss|roommate)) (?:[a-z]+ ){0,2}?(?:hits|hit|beats|beat|hurts|hurt|chokes|choked|strangled|strangles|kicks|kicked|threatens|threatened|slaps|slapped|pushed|pushes|shoves|shoved|punches|punched|grabbed|locks|locked) me ` },
    { id: 'abuse.violence', topic: 'abuse', pattern: String.raw` (?:afraid|scared|terrified|frightened) (?:of|that) my (?:partner|husband|wife|boyfriend|girlfriend|dad|father|mom|mum|mother|stepdad|stepfather|parents|ex) ` },
    { id: 'harm_to_others', topic: 'distress', pattern: String.raw` (?:${WANT}|going to|gonna|could|might|will|ill) (?:really )?(?:kill|hurt|stab|shoot|murder|attack|strangle) (?:him|her|them|someone|somebody|everyone|people|my (?:boss|husband|wife|partner|boyfriend|girlfriend|ex|mom|mum|dad|brother|sister|roommate|coworker|colleague|teacher|neighbou?r|family|kids?|son|daughter)) ` },
  ],

  low: [
    { topic: 'sleep', pattern: String.raw` (?:insomnia|sleepless|cant sleep|cannot sleep|couldnt sleep|could not sleep|cant fall asleep|cant stay asleep|unable to sleep|not sleeping|wont sleep|nightmares|keep waking up|waking up at night|wake up at \d+|up all night|awake all night|lying awake|lie awake|tossing and turning|sleep badly|slept badly|sleeping badly|poor sleep|bad sleep|no sleep|barely slept|barely sleep|hardly slept|hardly sleep|not enough sleep|cant get to sleep|cant get any sleep) ` },
    { topic: 'sleep', pattern: String.raw` (?:trouble|problems?|difficulty|hard time|struggling|struggle|issues?) (?:with )?(?:falling |staying |getting to )?(?:sleep|sleeping|asleep) ` },
    { topic: 'anxiety', negatable: true, pattern: String.raw` (?:anxious|anxiety|anxieties|nervous|nerves|worried|worry|worrying|worries|panicky|on edge|overthinking|over thinking|racing thoughts|freaking out|freak out|uneasy|restless|tense|jittery|scared|afraid|fearful|dread|dreading|apprehensive) ` },
    { topic: 'loneliness', negatable: true, pattern: String.raw` (?:lonely|loneliness|lonley|so alone|all alone|feel alone|feeling alone|felt alone|isolated|isolation|no friends|no one to talk to|nobody to talk to|noone to talk to|left out|excluded|miss my (?:friends|family|mom|mum|dad|home)|by myself all the time|homesick) ` },
    { topic: 'stress', negatable: true, pattern: String.raw` (?:stress|stressed|stressful|stressing|overwhelmed|overwhelming|too much on my plate|so much to do|too much to do|under pressure|pressure|burnout|burned out|burnt out|burning out|swamped|deadlines?|exams?|workload|overworked|exhausted|frazzled|homework|death of me) ` },
    { topic: 'sadness', negatable: true, pattern: String.raw` (?:sad|sadness|unhappy|depressed|depression|depressing|feel(?:ing)? (?:so |really |very |kind of |kinda |a bit )?(?:down|low|blue|miserable|awful|terrible|horrible)|down lately|miserable|crying|cried|cry|tearful|heartbroken|heartbreak|broke up|break up|breakup|grief|grieving|mourning|passed away|lost my (?:mom|mum|dad|mother|father|grandma|grandpa|dog|cat|pet|job|friend)|cant get out of bed|life sucks|everything sucks|no motivation|unmotivated|gloomy|disappointed) ` },
    { topic: 'anger', negatable: true, pattern: String.raw` (?:angry|anger|mad|furious|pissed|irritated|irritable|frustrated|frustrating|frustration|rage|raging|enraged|annoyed|resentful|lose my temper|lost my temper|losing my temper|snapped at|yelled at|yelling|screamed at|so fed up|fed up) ` },
  ],

  negationBefore: String.raw` (?:never|not|dont|do not|doesnt|does not|didnt|did not|havent|have not|hasnt|hadnt|wont|will not|wouldnt|would not|isnt|arent|wasnt|no|nor|no longer|nothing like|stopped|quit) (${GAP(3)})$`,
  negationReported: String.raw` (?:say|said|says|told|tell|claim|claimed|write|wrote|written) `,
  negationCancellers: String.raw` (?:mean|meant|stop|stopping|help|care|know|lie|lying|kidding|joking|way|i|im|ive|id|ill) `,
  lowNegationBefore: String.raw` (?:not|never|no longer|dont|do not|didnt|isnt|wasnt|arent|no|without|nothing) (?:(?:feel|feeling|felt|really|that|so|very|too|as|at all|even|be|being|get|getting|any|more|much|a|bit|much of a|to)\s){0,3}$`,
  past: String.raw` (?:used to|years ago|a year ago|long ago|long time ago|last year|in the past|back in|back when|when i was (?:a [a-z]+|in [a-z]+|\d+|young|younger|little)|as a (?:teen|teenager|kid|child)|in (?:high school|middle school|college|university|my teens|my twenties)|at \d+ years old|survivor|survivors|\d+ years clean|years clean|recovered|in recovery) `,
  present: String.raw` (?:again|still|lately|these days|recently|right now|tonight|today|this week|coming back|came back|back again|relapse|relapsed) `,
  thirdPartySubject: String.raw`(?:he|she|they|hes|shes|theyre|theyve|him|her|them|his|their|someone|somebody|anyone|anybody|people|person|friend|friends|bestie|mom|mum|mother|dad|father|parent|parents|brother|sister|sibling|son|daughter|child|kid|kids|baby|boyfriend|girlfriend|bf|gf|partner|husband|wife|fiance|fiancee|cousin|aunt|uncle|grandma|grandpa|grandmother|grandfather|niece|nephew|roommate|flatmate|classmate|coworker|colleague|student|students|teen|teenager|client|patient|neighbor|neighbour|celebrity|character)`,
  firstPersonSubject: String.raw` (?:i|im|ive|id|ill|me|myself|i am|i have) `,
  infoAfter: String.raw`^(?:(?:prevention|awareness|hotline|hot line|helpline|help line|lifeline|life line|crisis line|line|number|numbers|rate|rates|statistics|stats|squad|risk|risks|risk factors|warning|warning signs|signs|symptoms|resources|support group|survivors?|research|forest|month|week|day|training|course|essay|article|documentary|movie|film|book|song|scene|story|severity rating scale|severity|rating|scale|screening|among|in teens|in teenagers)) `,
  infoBefore: String.raw` (?:signs of|sign of|symptoms of|risk of|statistics on|statistics about|stats on|facts about|article about|articles about|movie about|film about|book about|show about|documentary about|essay on|essay about|research on|paper on|class on|lecture on|learn about|learning about|learning more about|information on|information about|info on|info about|questions about|question about|myths about|history of|prevent|preventing|prevention of|someone with|someone who|people who|person who|talk someone out of|help someone|help a friend|help my friend|asking someone about|ask someone about|talking about|tell me about) (?:[a-z]+ ){0,2}$`,
  infoTopics: String.raw` (?:988|crisis line|crisis lines|hotline|lifeline|crisis text line|cssrs|c ssrs|columbia protocol) `,
  questionStart: String.raw`^ (?:what|whats|where|wheres|how|hows|who|whos|which|why|when|is|are|can|could|do|does|should|would|will|any|tell me)\b`,
  anyFirstPerson: String.raw` (?:i|im|ive|id|ill|me|my|myself|mine|i am) `,
  accident: String.raw` (?:accidentally|accidently|by accident|on accident|in the foot|at the gym|at practice|working out|cooking|baking|ironing|on the stove|on the oven|playing [a-z]+) `,

  intents: {
    greeting: String.raw`^ (?:hi+|hey+|hello+|helo|hiya|heya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|morning|evening|sup|whats up)\b`,
    booking: String.raw` (?:book|booking|schedule|scheduling|reschedule|appointment|appointments|session|sessions|see a therapist|talk to a therapist|find a therapist|get a therapist|therapist available|availability) `,
    thanks: String.raw` (?:thanks|thank you|thank u|thx|ty|appreciate it|appreciate you|grateful) `,
    positive: String.raw` (?:better|good|great|fine|okay|ok|happy|calm|calmer|relaxed|awesome|amazing|wonderful|fantastic|improving|well) `,
  },
};
