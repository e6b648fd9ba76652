/** Spanish. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('es', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} en ${d.os}`
    : d.browser || (d.os ? `un navegador en ${d.os}` : '');

const es: Translation = {
  $code: 'es',
  $dir: 'ltr',
  phone: 'Teléfono',
  user: 'Extensión',
  password: 'Contraseña',
  login: 'Iniciar sesión',
  logout: 'Cerrar sesión',
  cancel: 'Cancelar',
  number: 'Número',
  call: 'Llamar',
  videoCall: 'Videollamada',
  dialpad: 'Teclado',
  calls: 'Llamadas',
  answer: 'Contestar',
  reject: 'Rechazar',
  hangup: 'Colgar',
  hold: 'Poner en espera',
  mute: 'Silenciar',
  video: 'Vídeo',
  transfer: 'Transferir',
  transferNumber: 'Transferir al número',
  transferTo: (name) => `Transferir a ${name}`,
  dismiss: 'Cerrar',
  enableSound: 'Llamada entrante: haga clic para activar el sonido',
  unknown: 'Desconocido',
  noSession: 'No hay ninguna centralita configurada',
  loggedInAs: (user) => `Sesión iniciada como ${user}`,
  incomingFrom: (name) => `Llamada entrante de ${name}`,
  callState: {
    dialing: 'Llamando…',
    incoming: 'Llamada entrante',
    ringing: 'Sonando…',
    progressing: 'Conectando…',
    connected: 'Conectado',
    held: 'En espera',
    disconnected: 'Finalizada',
    failed: 'Fallida',
  },
  registration: {
    'logged-out': 'Sesión cerrada',
    'logging-in': 'Iniciando sesión…',
    'logged-in': 'Listo',
    reconnecting: 'Reconectando…',
    'failing-over': 'Cambiando al sistema de respaldo…',
    'failed-over': 'Listo (respaldo)',
    'failing-back': 'Volviendo al sistema principal…',
    error: 'Sin sesión iniciada',
  },
  callEnded: (name) => `Llamada con ${name} finalizada`,
  callsKept: (count) =>
    count === 1 ? 'Su llamada se ha mantenido' : `Sus ${n(count)} llamadas se han mantenido`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `No se encontró el nombre de la pasarela «${d.host}». Compruebe que no tenga erratas.`,
    unreachable: (d) =>
      `Nada responde en ${d.url}. Compruebe el número de puerto y que la pasarela esté en marcha.`,
    certificate: (d) =>
      `Este navegador no acepta el certificado de ${d.url}. Abra ${d.url} una vez en este navegador, acepte su certificado y vuelva a iniciar sesión.`,
    'origin-not-allowed': (d) =>
      `La pasarela en ${d.url} no admite esta página. Pida al administrador que permita el origen ${d.origin}.`,
    refused: (d) =>
      `${d.url} responde pero rechazó la conexión telefónica. Compruebe que sean la dirección y el puerto de la pasarela; si lo son, pida al administrador que permita el origen ${d.origin}.`,
    'in-use': (d) =>
      `Su extensión ya está en uso ${where(d) ? `(${where(d)})` : 'en otro lugar'}. Elija «Usar aquí» para traerla a esta página.`,
    'taken-over': () => 'Se cerró su sesión porque su extensión inició sesión en otro lugar.',
    'microphone-blocked': () =>
      'El navegador no permitió que esta página use el micrófono. Permita el micrófono para este sitio (el icono a la izquierda de la barra de direcciones), compruebe que haya uno conectado y vuelva a intentarlo.',
    'session-ended': () =>
      'La centralita se reinició y no pudo mantener su sesión. Vuelva a iniciar sesión.',
  },
  useHere: 'Usar aquí',
  videos: 'Vídeo',
  remoteVideo: (name) => `Vídeo de ${name}`,
  localVideo: 'Su cámara',
  noVideo: 'Sin vídeo',
  devices: 'Dispositivos',
  microphone: 'Micrófono',
  camera: 'Cámara',
  speaker: 'Altavoz',
  systemDefault: 'Predeterminado del sistema',
  testSpeaker: 'Probar altavoz',
  showNames: 'Mostrar nombres de dispositivos',
  setupError: 'Error de configuración del teléfono',
  networkTest: 'Prueba de red',
  startTest: 'Probar la red',
  stopTest: 'Detener prueba',
  testProgress: 'Progreso de la prueba de red',
  connectingTest: 'Conectando con la pasarela…',
  testFigures: (rtt, jitter, loss) =>
    `Ida y vuelta ${rtt === null ? '–' : n(rtt)} ms, jitter ${n(jitter)} ms, pérdida ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'segundos', loss: 'pérdida %' },
  chartLimit: 'Límite para vídeo',
  verdictLimits: (v, o) =>
    `Bueno para voz y vídeo hasta ${n(v.rtt)} ms de ida y vuelta, ${n(v.jitter)} ms de jitter y ${n(v.loss)} % de pérdida; solo voz hasta ${n(o.rtt)} ms, ${n(o.jitter)} ms y ${n(o.loss)} %.`,
  passwordNeeded: 'Introduzca su contraseña para realizar la prueba.',
  networkChart: (max) =>
    `Gráfico del tiempo de ida y vuelta y del jitter (0 a ${n(max)} ms) y de la pérdida de paquetes (0 a ${n(10)} %) a lo largo de los segundos de la prueba, con los límites para vídeo como líneas discontinuas`,
  rtt: 'Ida y vuelta',
  jitter: 'Jitter',
  loss: 'Pérdida',
  quality: {
    good: 'Calidad de llamada: buena',
    fair: 'Calidad de llamada: regular',
    poor: 'Calidad de llamada: mala',
  },
  qualityWarning: {
    'high-rtt': 'El sonido tarda en llegar: pueden hablar a la vez.',
    'high-jitter': 'Los paquetes llegan de forma irregular: la voz puede entrecortarse.',
    'high-loss': 'Parte del audio se pierde por el camino: pueden faltar palabras.',
    'low-mos': 'La calidad de la llamada es mala.',
    'no-audio': 'No llega audio del interlocutor.',
    silence:
      'Llega audio pero en silencio: puede que el interlocutor tenga el micrófono silenciado.',
  },
  verdict: {
    good: () => 'Bueno para voz y vídeo',
    'voice-only': (why) => `Bueno solo para voz (${why})`,
    poor: (why) => `Malo: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % de pérdida de paquetes`,
    rtt: (ms) => `${n(ms)} ms de ida y vuelta`,
    jitter: (ms) => `${n(ms)} ms de jitter`,
  },
  // the phone (issue 9)
  noSessionHint:
    'Ponga <ipo-phone> dentro de <ipo-session gateway="…"> (o asigne su propiedad session).',
  decline: 'Rechazar',
  resume: 'Reanudar',
  unmute: 'Activar micrófono',
  keypad: 'Teclado',
  incomingVideoCall: 'Videollamada entrante',
  transferNow: 'Transferir ahora',
  consultFirst: 'Consultar primero',
  completeTransfer: 'Completar transferencia',
  goBack: 'Volver',
  consulting: (held) => `${held} queda en espera hasta que complete la transferencia o vuelva`,
  transferred: (to) => `Transferida a ${to}`,
  transferredFrom: (n) => `Transferida por ${n}`,
  nowTalkingTo: (n) => `Llamada transferida: ahora habla con ${n}`,
  switchTo: 'Cambiar',
  addCall: 'Otra llamada',
  muted: 'Micrófono silenciado',
  unmuted: 'Micrófono activado',
  logoutConfirm: (n) =>
    n === 1
      ? '¿Cerrar sesión y terminar su llamada?'
      : `¿Cerrar sesión y terminar sus ${n} llamadas?`,
  backspace: 'Borrar el último dígito',
};

export default es;
