/** Spanish reply texts of the support chatbot (data only; see chatbot-reply-texts.ts): the 988 line answers in Spanish. */
import type { ReplyTexts } from './chatbot-reply-texts';

export const SPANISH_REPLIES: ReplyTexts = {
  crisis: {
    opening: 'Gracias por contármelo, y siento mucho que estés pasando por esto: mereces apoyo ahora mismo.',
    line: 'Por favor, llama al 988 y oprime 2 para hablar en español, o envía un mensaje de texto con la palabra AYUDA al 988 (988 Línea de Prevención del Suicidio y Crisis, EE. UU.), a cualquier hora del día o de la noche.',
    emergency: 'Si estás en peligro inmediato o ya te hiciste daño, llama al 911 (EE. UU. y México) o al número de emergencias local (112 en la UE y en España, donde también puedes llamar al 024).',
    therapistAlerted: 'Hemos avisado a tu terapeuta, {therapist}, y puedes escribirle aquí.',
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
    therapist: 'Podría ayudarte mucho hablarlo con tu terapeuta, {therapist}: puedes escribirle o reservar una sesión pronto.',
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
    booking: 'Puedes reservar una sesión de terapia con un terapeuta aquí mismo en Aura eligiendo la hora que te venga bien.',
    bookingWithTherapist: 'Puedes reservar una sesión de terapia con tu terapeuta, {therapist}, u otro terapeuta aquí mismo en Aura eligiendo la hora que te venga bien.',
    bookingModes: 'Las sesiones pueden ser por chat, video o audio, como te resulte más cómodo.',
    greeting: '¡Hola, qué gusto saber de ti!',
    greetingNamed: '¡Hola, {firstName}, qué gusto saber de ti!',
    howAreYou: '¿Cómo te sientes hoy?',
    glad: 'Me alegra mucho saberlo, y gracias por escribir.',
    hereWhenever: 'Aquí estoy cuando quieras hablar de cómo te sientes.',
    listening: 'Gracias por escribir; aquí estoy para escucharte.',
    invite: '¿Cómo te sientes hoy? Comparte tanto o tan poco como quieras.',
  },
};
