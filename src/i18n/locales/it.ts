/** Italian. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('it', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} su ${d.os}`
    : d.browser || (d.os ? `un browser su ${d.os}` : '');

const it: Translation = {
  $code: 'it',
  $dir: 'ltr',
  phone: 'Telefono',
  user: 'Interno',
  password: 'Password',
  login: 'Accedi',
  logout: 'Esci',
  cancel: 'Annulla',
  number: 'Numero',
  call: 'Chiama',
  videoCall: 'Videochiamata',
  dialpad: 'Tastierino',
  calls: 'Chiamate',
  answer: 'Rispondi',
  reject: 'Rifiuta',
  hangup: 'Riaggancia',
  hold: 'Metti in attesa',
  mute: 'Disattiva microfono',
  video: 'Video',
  transfer: 'Trasferisci',
  transferNumber: 'Trasferisci al numero',
  transferTo: (name) => `Trasferisci a ${name}`,
  dismiss: 'Chiudi',
  enableSound: 'Chiamata in arrivo: fai clic per attivare l’audio',
  unknown: 'Sconosciuto',
  noSession: 'Nessun centralino configurato',
  loggedInAs: (user) => `Accesso eseguito come ${user}`,
  incomingFrom: (name) => `Chiamata in arrivo da ${name}`,
  callState: {
    dialing: 'Chiamata in corso…',
    incoming: 'Chiamata in arrivo',
    ringing: 'Squilla…',
    progressing: 'Connessione…',
    connected: 'Connesso',
    held: 'In attesa',
    disconnected: 'Terminata',
    failed: 'Non riuscita',
  },
  registration: {
    'logged-out': 'Disconnesso',
    'logging-in': 'Accesso in corso…',
    'logged-in': 'Pronto',
    reconnecting: 'Riconnessione…',
    'failing-over': 'Passaggio al sistema di riserva…',
    'failed-over': 'Pronto (riserva)',
    'failing-back': 'Ritorno al sistema principale…',
    error: 'Accesso non eseguito',
  },
  callEnded: (name) => `Chiamata con ${name} terminata`,
  callsKept: (count) =>
    count === 1
      ? 'La chiamata è stata mantenuta'
      : `Le tue ${n(count)} chiamate sono state mantenute`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `Il nome del gateway «${d.host}» non è stato trovato. Controlla che non contenga errori di battitura.`,
    unreachable: (d) =>
      `Nessuna risposta da ${d.url}. Controlla il numero di porta e che il gateway sia in funzione.`,
    certificate: (d) =>
      `Questo browser non accetta il certificato di ${d.url}. Apri ${d.url} una volta in questo browser, accetta il certificato, poi accedi di nuovo.`,
    'origin-not-allowed': (d) =>
      `Il gateway su ${d.url} non consente questa pagina. Chiedi all’amministratore di consentire l’origine ${d.origin}.`,
    refused: (d) =>
      `${d.url} risponde ma ha rifiutato la connessione telefonica. Controlla che siano l’indirizzo e la porta del gateway; se lo sono, chiedi all’amministratore di consentire l’origine ${d.origin}.`,
    'in-use': (d) =>
      `Il tuo interno è già in uso ${where(d) ? `(${where(d)})` : 'altrove'}. Scegli «Usa qui» per spostarlo su questa pagina.`,
    'taken-over': () =>
      'Sei stato disconnesso perché il tuo interno ha effettuato l’accesso altrove.',
    'microphone-blocked': () =>
      'Il browser non ha permesso a questa pagina di usare il microfono. Consenti il microfono per questo sito (l’icona a sinistra della barra degli indirizzi), controlla che ne sia collegato uno e riprova.',
    'session-ended': () =>
      'Il centralino è stato riavviato e non ha potuto mantenere il tuo accesso. Accedi di nuovo.',
  },
  useHere: 'Usa qui',
  videos: 'Video',
  remoteVideo: (name) => `Video di ${name}`,
  localVideo: 'La tua fotocamera',
  noVideo: 'Nessun video',
  devices: 'Dispositivi',
  microphone: 'Microfono',
  camera: 'Fotocamera',
  speaker: 'Altoparlante',
  systemDefault: 'Predefinito di sistema',
  testSpeaker: 'Prova altoparlante',
  showNames: 'Mostra i nomi dei dispositivi',
  setupError: 'Errore di configurazione del telefono',
  networkTest: 'Test di rete',
  startTest: 'Verifica la rete',
  stopTest: 'Interrompi test',
  testProgress: 'Avanzamento del test di rete',
  connectingTest: 'Connessione al gateway…',
  testFigures: (rtt, jitter, loss) =>
    `Andata e ritorno ${rtt === null ? '–' : n(rtt)} ms, jitter ${n(jitter)} ms, perdita ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'secondi', loss: 'perdita %' },
  chartLimit: 'Limite per il video',
  verdictLimits: (v, o) =>
    `Adatta a voce e video fino a ${n(v.rtt)} ms di andata e ritorno, ${n(v.jitter)} ms di jitter e ${n(v.loss)} % di perdita; solo voce fino a ${n(o.rtt)} ms, ${n(o.jitter)} ms e ${n(o.loss)} %.`,
  passwordNeeded: 'Inserisca la password per eseguire il test.',
  networkChart: (max) =>
    `Grafico del tempo di andata e ritorno e del jitter (da 0 a ${n(max)} ms) e della perdita di pacchetti (da 0 a ${n(10)} %) nei secondi del test, con i limiti per il video come linee tratteggiate`,
  rtt: 'Andata e ritorno',
  jitter: 'Jitter',
  loss: 'Perdita',
  quality: {
    good: 'Qualità della chiamata: buona',
    fair: 'Qualità della chiamata: discreta',
    poor: 'Qualità della chiamata: scarsa',
  },
  qualityWarning: {
    'high-rtt': 'Il suono impiega molto ad arrivare: potreste parlarvi sopra.',
    'high-jitter': 'I pacchetti arrivano in modo irregolare: la voce può risultare a scatti.',
    'high-loss': 'Parte dell’audio si perde lungo il percorso: alcune parole possono mancare.',
    'low-mos': 'La qualità della chiamata è scarsa.',
    'no-audio': 'Non arriva audio dall’interlocutore.',
    silence: 'L’audio arriva ma è silenzioso: forse l’interlocutore ha disattivato il microfono.',
  },
  verdict: {
    good: () => 'Adatta a voce e video',
    'voice-only': (why) => `Adatta solo alla voce (${why})`,
    poor: (why) => `Scarsa: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % di pacchetti persi`,
    rtt: (ms) => `${n(ms)} ms di andata e ritorno`,
    jitter: (ms) => `${n(ms)} ms di jitter`,
  },
  // the phone (issue 9)
  noSessionHint:
    'Inserisca <ipo-phone> in <ipo-session gateway="…"> (o imposti la sua proprietà session).',
  decline: 'Rifiuta',
  resume: 'Riprendi',
  unmute: 'Riattiva microfono',
  keypad: 'Tastiera',
  incomingVideoCall: 'Videochiamata in arrivo',
  transferNow: 'Trasferisci ora',
  consultFirst: 'Consulta prima',
  completeTransfer: 'Completa trasferimento',
  goBack: 'Torna indietro',
  consulting: (held) =>
    `${held} resta in attesa finché non completa il trasferimento o torna indietro`,
  transferred: (to) => `Trasferita a ${to}`,
  transferredFrom: (n) => `Trasferita da ${n}`,
  nowTalkingTo: (n) => `Chiamata trasferita: ora parla con ${n}`,
  switchTo: 'Passa',
  addCall: 'Altra chiamata',
  muted: 'Microfono disattivato',
  unmuted: 'Microfono attivo',
  logoutConfirm: (n) =>
    n === 1 ? 'Uscire e terminare la chiamata?' : `Uscire e terminare le ${n} chiamate?`,
  backspace: 'Cancella l’ultima cifra',
};

export default it;
