/**
 * Spanish rule tables of the support chatbot (data only; see chatbot-lexicon.ts). The US 988 line answers in Spanish
 * (press 2), so Spanish crisis language is recognised with the same C-SSRS and 988/AFSP categories. Text is
 * normalised without accents ("más" -> "mas", "daño" -> "dano"). Spanish marks the person on the verb, so first-person
 * rules ask for "me", "-me" or a first-person form ("quiero morirme"), and "quiere morirse" is someone else.
 */
import type { Lexicon } from './chatbot-lexicon';

const PILLS = String.raw`(?:pastillas|pildoras|medicinas|medicamentos|tabletas|calmantes|somniferos|antidepresivos)`;
const FIREARM = String.raw`(?:pistola|arma|escopeta|revolver|rifle)`;
const HEIGHT = String.raw`(?:puente|edificio|techo|azotea|balcon|ventana|cornisa|acantilado|torre|piso)`;
const KILL_ME = String.raw`(?:matarme|suicidarme|morirme|quitarme la vida|colgarme|ahorcarme|cortarme|tirarme|aventarme|lanzarme|envenenarme|pegarme un tiro|darme un tiro)`;
const GAP = (max: number) => String.raw`(?:(?!(?:pero|y|o|porque|aunque|si|cuando|sino)\b)[a-z0-9]+ ){0,${max}}`;

export const SPANISH: Lexicon = {
  language: 'es',
  markers: String.raw` (?:yo|que|de|la|el|los|las|y|en|un|una|estoy|soy|quiero|tengo|mi|mis|pero|por|para|con|muy|mas|todo|ya|esta|este|como|nada|nadie|siento|puedo|hola|gracias|adios|vida|nunca|porque|estar|ser|hace|anos|tambien|mejor|voy|le|sin|otra|vez|seguir|sentido|del|al|sola|solo|muero) `,

  crisis: [
    // C-SSRS 1: wish to be dead
    { id: 'cssrs.wish_dead', pattern: String.raw` (?:me quiero|quiero|quisiera|queria|deseo|necesito|me gustaria|ojala pudiera) (?:ya |solo |nada mas )?(?:morir|morirme|estar muert[ao]|desaparecer para siempre|dejar de existir|no existir|no despertar) ` },
    { id: 'cssrs.wish_dead', pattern: String.raw` ojala (?:me muriera|estuviera muert[ao]|estuviese muert[ao]|no despertara|nunca hubiera nacido|no existiera|me muera) ` },
    { id: 'cssrs.wish_dead', intrinsic: true, pattern: String.raw` (?:dormirme|dormir|acostarme) y no (?:volver a )?despertar | no (?:quiero|quisiera) (?:volver a )?despertar ` },
    { id: 'cssrs.wish_dead', intrinsic: true, pattern: String.raw` no quiero (?:seguir )?(?:vivir|viviendo|existir|estar aqui|estar viv[ao]|seguir aqui) ` },
    { id: 'cssrs.wish_dead', intrinsic: true, pattern: String.raw` (?:no (?:le )?(?:encuentro|veo|tengo|hay) (?:ningun |ninguna )?(?:sentido|razon|razones|motivo|motivos) (?:a |para |de |en )?(?:seguir )?(?:vivir|viviendo|la vida|estar aqui)|no tengo (?:nada )?por (?:que|quien) vivir|la vida no vale la pena) ` },
    { id: 'cssrs.wish_dead', pattern: String.raw` (?:cansad[ao]|harta|harto) de (?:vivir|la vida|existir|estar viv[ao]) | (?:seria|estaria) mejor (?:estar )?muert[ao] ` },
    // C-SSRS 2: active suicidal thoughts
    { id: 'cssrs.ideation', pattern: String.raw` ${KILL_ME} ` },
    { id: 'cssrs.ideation', pattern: String.raw` me (?:quiero|voy a|pienso|puedo|podria|gustaria) (?:matar|suicidar|morir|quitar la vida|colgar|ahorcar) ` },
    { id: 'cssrs.ideation', mention: true, pattern: String.raw` (?:suicidio|suicida|suicidas|suicidarse|pensamientos suicidas|ideas suicidas) ` },
    { id: 'cssrs.ideation', pattern: String.raw` (?:acabar|terminar|termino|acabo) con mi vida | hacerme dano | me (?:hago|hice|haria|voy a hacer|quiero hacer) dano ` },
    // C-SSRS 3: method
    { id: 'cssrs.method', pattern: String.raw` (?:dosis letal|dosis mortal|cuantas (?:pastillas|pildoras) (?:[a-z]+ ){0,4}?(?:morir|matar)|forma (?:mas )?(?:facil|rapida|indolora) de (?:morir|matarme|suicidarme)) ` },
    // C-SSRS 4: intent
    { id: 'cssrs.intent', pattern: String.raw` (?:termino|terminar|acabar|acabo|acabare|terminare|voy a terminar|voy a acabar|quiero terminar|quiero acabar) con todo ` },
    { id: 'cssrs.intent', pattern: String.raw` voy a (?:matarme|suicidarme|morir) | voy a (?:saltar|tirarme|aventarme|lanzarme|hacerlo)(?= (?:\| )*$)` },
    // C-SSRS 5: plan
    { id: 'cssrs.plan', pattern: String.raw` (?:tengo|hice|tengo pensado|ya tengo) (?:un|el|mi) plan (?:para|de) (?:[a-z]+ ){0,2}?(?:${KILL_ME}|morir|acabar con|terminar con) | ya (?:se|decidi) (?:como|cuando|donde) (?:lo voy a hacer|voy a morir|me voy a matar) ` },
    // C-SSRS 6: preparatory behaviour
    { id: 'cssrs.preparatory', pattern: String.raw` (?:carta|cartas|nota|notas|mensaje) (?:de despedida|suicida|de suicidio) | (?:juntando|guardando|ahorrando|acumulando) (?:mis |las )?${PILLS} ` },
    // C-SSRS actual attempt / self-injury
    { id: 'cssrs.attempt', pattern: String.raw` (?:me tome|me trague|me tomo|tomarme|tragarme|me voy a tomar|me voy a tragar) (?:todas|un frasco|una caja|muchas|un monton|demasiadas|\d{2,}) (?:de )?(?:las |mis )?${PILLS} | sobredosis | intente (?:matarme|suicidarme|quitarme la vida|ahorcarme|colgarme) ` },
    { id: 'cssrs.self_harm', pattern: String.raw` (?:me corte|me corto|me cortaba|me estoy cortando|cortandome|me lastimo|me lastime|me estoy lastimando|autolesion[a-z]*|me quemo|me queme) ` },
    // lethal means at hand
    { id: 'means.firearm', pattern: String.raw` ${FIREARM} (?:esta |ya esta )?(?:cargad[ao]|en mi mano|en la mano|en mi cabeza) | cargue (?:la|mi|el) ${FIREARM} ` },
    { id: 'means.ligature', pattern: String.raw` (?:soga|cuerda|lazo) (?:esta |ya esta )?(?:list[ao]|amarrad[ao]|atad[ao]) | (?:amarre|ate|prepare) (?:la|una) (?:soga|cuerda) ` },
    { id: 'means.pills', pattern: String.raw` ${PILLS} (?:estan |ya estan )?(?:en mi mano|frente a mi|contadas) | ${PILLS} (?:estan |ya estan )?list[ao]s(?= (?:\| )*$)` },
    { id: 'means.height', pattern: String.raw` (?:tirarme|aventarme|lanzarme|saltar|brincar|me voy a tirar|me voy a aventar|me quiero tirar) (?:del|de la|desde el|desde la|por la) ${HEIGHT} | (?:parad[ao]|sentad[ao]) en (?:el borde|la orilla|la cornisa|el barandal) ` },
    { id: 'means.blade', pattern: String.raw` (?:cuchillo|navaja|cuchilla|rastrillo) en (?:mi|la) mano ` },
    // 988 / AFSP warning signs strong enough alone
    { id: 'warning.goodbye', pattern: String.raw` adios para siempre | (?:me despido|despedirme) de (?:todos|ustedes|ti|mi familia) (?:para siempre)?| (?:este es|es) mi (?:ultimo|utimo) mensaje(?! (?:de hoy|por hoy|del dia|antes))| cuando lean esto ya no | ya no (?:voy a )?estar(?:e)? aqui (?:manana|mucho tiempo) ` },
    { id: 'warning.possessions', pattern: String.raw` (?:regale|estoy regalando|regalando) (?:todas )?mis (?:cosas|pertenencias) ` },
    { id: 'warning.burden', pattern: String.raw` (?:estaria|estarian|estarias|estariamos|seria|serian|vivirian|estarian todos) mejor sin mi ` },
  ],

  meansAccess: [
    { id: 'means.firearm', pattern: String.raw` (?:tengo|compre|consegui) (?:una |la |un |el )?${FIREARM} ` },
    { id: 'means.pills', pattern: String.raw` (?:tengo|compre|consegui) (?:muchas |unas |las |mis )?${PILLS} ` },
    { id: 'means.ligature', pattern: String.raw` (?:tengo|compre|consegui) (?:una |la )?(?:soga|cuerda) ` },
  ],

  figurative: [
    String.raw` me muero (?:de|por) (?:risa|ganas|hambre|sueno|frio|calor|verguenza|aburrimiento|amor|sed) `,
    String.raw` muert[ao] de (?:risa|hambre|sueno|cansancio|verguenza|miedo|frio|calor) `,
    String.raw` me (?:esta|estan) matando `,
    String.raw` me mata (?:el|la|los|las|este|esta) `,
  ],

  thirdParty: [
    String.raw` (?:quiere|quieren|va a|van a|intento|trato de|piensa|piensan) (?:morirse|suicidarse|matarse|quitarse la vida|hacerse dano|cortarse|colgarse|tirarse) `,
    String.raw` se (?:quiere|quieren|va a|van a) (?:morir|suicidar|matar|quitar la vida|colgar|tirar) `,
    String.raw` se (?:corta|cortaba|lastima|suicido|mato) `,
  ],

  goodbye: {
    weak: [
      String.raw` (?:adios|despedida|me despido|hasta nunca) `,
      String.raw` gracias por (?:todo|intentarlo|tratar|estar ahi|ayudarme siempre) `,
      String.raw` (?:ultimo|ultima|ultimas) (?:mensaje|vez|palabras) `,
      String.raw` (?:perdon|perdonen|perdoname|lo siento) (?:por todo )?(?:\||$)`,
      String.raw` para siempre `,
    ],
    continuing: String.raw` (?:hasta (?:manana|luego|pronto|la proxima)|nos vemos|te veo|manana|la proxima|por hoy|buenas noches|cuidate) `,
  },

  elevated: [
    { id: 'warning.hopeless', topic: 'distress', pattern: String.raw` (?:sin esperanza|desesperanza|desesperanzad[ao]|no hay esperanza|perdi la esperanza|nada va a mejorar) ` },
    { id: 'warning.self_hatred', topic: 'distress', pattern: String.raw` (?:me odio|no valgo nada|soy un fracaso|soy una basura|soy inutil) ` },
    { id: 'warning.trapped', topic: 'distress', pattern: String.raw` (?:atrapad[ao]|no veo salida|no hay salida|sin salida) ` },
    { id: 'warning.burden', topic: 'distress', pattern: String.raw` (?:una carga|un estorbo) ` },
    { id: 'warning.unbearable_pain', topic: 'distress', pattern: String.raw` (?:dolor insoportable|no soporto el dolor|no aguanto el dolor|que pare el dolor|sufro demasiado) ` },
    { id: 'warning.cant_go_on', topic: 'distress', pattern: String.raw` (?:no puedo mas|no aguanto mas|no soporto mas|ya no aguanto|ya no puedo|no puedo seguir|no aguanto) ` },
    { id: 'warning.substance', topic: 'distress', pattern: String.raw` (?:bebiendo (?:mucho )?mas|tomando (?:mucho )?mas alcohol|borrach[ao] todos los dias|recai|volvi a (?:beber|tomar|consumir|drogarme)) ` },
    { id: 'warning.withdrawal', topic: 'distress', pattern: String.raw` (?:no he salido de mi (?:cuarto|casa|cama)|me aisle|no quiero ver a nadie|deje de hablar con) ` },
    { id: 'distress.panic', topic: 'panic', pattern: String.raw` (?:ataques? de panico|no puedo respirar) ` },
    { id: 'abuse.violence', topic: 'abuse', pattern: String.raw` (?:me pega|me golpea|me golpeo|me pego|abuso|abusa de mi|abuso de mi|violencia domestica|me viola|me violo|me amenaza) ` },
  ],

  low: [
    { topic: 'sleep', pattern: String.raw` (?:insomnio|no puedo dormir|no duermo|no he dormido|duermo mal|pesadillas) ` },
    { topic: 'anxiety', negatable: true, pattern: String.raw` (?:ansiedad|ansios[ao]|nervios[ao]|nervios|preocupad[ao]|preocupacion|angustia|angustiad[ao]|miedo) ` },
    { topic: 'loneliness', negatable: true, pattern: String.raw` (?:me siento sol[ao]|estoy sol[ao]|muy sol[ao]|soledad|no tengo amigos|nadie con quien hablar) ` },
    { topic: 'stress', negatable: true, pattern: String.raw` (?:estres|estresad[ao]|agobiad[ao]|abrumad[ao]|presion|agotad[ao]|cansad[ao]|mucho trabajo) ` },
    { topic: 'sadness', negatable: true, pattern: String.raw` (?:triste|tristeza|deprimid[ao]|depresion|llorando|llore|lloro|desanimad[ao]|bajoneado|bajonead[ao]) ` },
    { topic: 'anger', negatable: true, pattern: String.raw` (?:enojad[ao]|enfadad[ao]|furios[ao]|rabia|coraje|frustrad[ao]|molest[ao]) ` },
  ],

  negationBefore: String.raw` (?:no|nunca|jamas|ya no|ni|tampoco|deje de|dejado de) (${GAP(3)})$`,
  negationReported: String.raw` (?:dije|dijo|digo|escribi) `,
  negationCancellers: String.raw` (?:se|puedo|aguanto|soporto|pare|paro|mentira) `,
  lowNegationBefore: String.raw` (?:no|nunca|ya no|sin) (?:(?:me|estoy|siento|tan|muy|mas|nada)\s){0,3}$`,
  past: String.raw` (?:hace (?:anos|mucho|tiempo|un ano|\d+ anos)|cuando era|de (?:nina|nino|joven|adolescente)|en la prepa|en la secundaria|en la universidad|el ano pasado|antes|en el pasado|sobreviviente) `,
  present: String.raw` (?:otra vez|de nuevo|todavia|aun|ahora mismo|esta noche|hoy|ultimamente|volvi a) `,
  thirdPartySubject: String.raw`(?:el|ella|ellos|ellas|alguien|amigo|amiga|amigos|mama|madre|papa|padre|padres|hermano|hermana|hijo|hija|novio|novia|esposo|esposa|pareja|primo|prima|tio|tia|abuelo|abuela|companero|companera|vecino|vecina|compa)`,
  firstPersonSubject: String.raw` (?:yo|me|estoy|soy|tengo|quiero|siento) `,
  infoAfter: String.raw`^(?:(?:prevencion|linea|lineas|numero|numeros|tasa|tasas|estadisticas|riesgo|riesgos|factores|senales|sintomas|recursos|investigacion|en adolescentes|en jovenes)) `,
  infoBefore: String.raw` (?:senales de|senales de advertencia del|senales de advertencia de|sintomas de|riesgo de|estadisticas de|sobre el|sobre la|prevenir el|prevencion del|alguien que|una persona que|ayudar a|ayudo a) (?:[a-z]+ ){0,2}$`,
  infoTopics: String.raw` (?:988|linea de crisis|linea de vida|linea de ayuda|024) `,
  questionStart: String.raw`^ (?:\| )?(?:que|cual|cuales|como|donde|quien|quienes|por que|cuando|cuanto|cuantos|hay|es|son|puedes|me puedes)\b`,
  anyFirstPerson: String.raw` (?:yo|me|mi|mis|conmigo|estoy|soy|tengo|quiero|siento|puedo) `,
  accident: String.raw` (?:sin querer|por accidente|accidentalmente|en el gimnasio|cocinando) `,

  intents: {
    greeting: String.raw`^ (?:\| )?(?:hola|buenos dias|buenas tardes|buenas noches|buenas|que tal|saludos)\b`,
    booking: String.raw` (?:reservar|reservo|agendar|agendo|cita|citas|sesion|sesiones|terapeuta|terapia) `,
    thanks: String.raw` (?:gracias|te agradezco|muchas gracias) `,
    positive: String.raw` (?:mejor|bien|feliz|tranquil[ao]|content[ao]) `,
  },
};
