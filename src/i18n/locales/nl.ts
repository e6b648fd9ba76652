/** Dutch. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('nl', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} op ${d.os}`
    : d.browser || (d.os ? `een browser op ${d.os}` : '');

const nl: Translation = {
  $code: 'nl',
  $dir: 'ltr',
  phone: 'Telefoon',
  user: 'Toestel',
  password: 'Wachtwoord',
  login: 'Aanmelden',
  logout: 'Afmelden',
  cancel: 'Annuleren',
  number: 'Nummer',
  call: 'Bellen',
  videoCall: 'Videogesprek',
  dialpad: 'Kiestoetsen',
  calls: 'Gesprekken',
  answer: 'Opnemen',
  reject: 'Weigeren',
  hangup: 'Ophangen',
  hold: 'In de wacht',
  mute: 'Dempen',
  video: 'Video',
  transfer: 'Doorverbinden',
  transferNumber: 'Doorverbinden naar nummer',
  transferTo: (name) => `Doorverbinden met ${name}`,
  dismiss: 'Sluiten',
  enableSound: 'Inkomend gesprek: klik om het geluid aan te zetten',
  unknown: 'Onbekend',
  noSession: 'Geen telefooncentrale ingesteld',
  loggedInAs: (user) => `Aangemeld als ${user}`,
  incomingFrom: (name) => `Inkomend gesprek van ${name}`,
  callState: {
    dialing: 'Bellen…',
    incoming: 'Inkomend gesprek',
    ringing: 'Gaat over…',
    progressing: 'Verbinden…',
    connected: 'Verbonden',
    held: 'In de wacht',
    disconnected: 'Beëindigd',
    failed: 'Mislukt',
  },
  registration: {
    'logged-out': 'Afgemeld',
    'logging-in': 'Aanmelden…',
    'logged-in': 'Gereed',
    reconnecting: 'Opnieuw verbinden…',
    'failing-over': 'Overschakelen naar reservesysteem…',
    'failed-over': 'Gereed (reserve)',
    'failing-back': 'Terugschakelen…',
    error: 'Niet aangemeld',
  },
  callEnded: (name) => `Gesprek met ${name} beëindigd`,
  callsKept: (count) =>
    count === 1 ? 'Uw gesprek is behouden' : `Uw ${n(count)} gesprekken zijn behouden`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `De gatewaynaam ‘${d.host}’ is niet gevonden. Controleer de naam op typefouten.`,
    unreachable: (d) =>
      `Er antwoordt niets op ${d.url}. Controleer het poortnummer en of de gateway draait.`,
    certificate: (d) =>
      `Deze browser accepteert het certificaat van ${d.url} niet. Open ${d.url} één keer in deze browser, accepteer het certificaat en meld u daarna opnieuw aan.`,
    'origin-not-allowed': (d) =>
      `De gateway op ${d.url} staat deze pagina niet toe. Vraag de beheerder de oorsprong ${d.origin} toe te staan.`,
    refused: (d) =>
      `${d.url} antwoordt maar weigerde de telefoonverbinding. Controleer of dit het adres en de poort van de gateway zijn; zo ja, vraag de beheerder de oorsprong ${d.origin} toe te staan.`,
    'in-use': (d) =>
      `Uw toestel is al in gebruik ${where(d) ? `(${where(d)})` : 'op een andere plek'}. Kies ‘Hier gebruiken’ om het naar deze pagina te halen.`,
    'taken-over': () => 'U bent afgemeld omdat uw toestel op een andere plek is aangemeld.',
    'microphone-blocked': () =>
      'De browser liet deze pagina de microfoon niet gebruiken. Sta de microfoon toe voor deze site (het pictogram links in de adresbalk), controleer of er een is aangesloten en probeer het opnieuw.',
    'session-ended': () =>
      'De telefooncentrale is opnieuw opgestart en kon u niet aangemeld houden. Meld u opnieuw aan.',
  },
  useHere: 'Hier gebruiken',
  videos: 'Video',
  remoteVideo: (name) => `Video van ${name}`,
  localVideo: 'Uw camera',
  noVideo: 'Geen video',
  devices: 'Apparaten',
  microphone: 'Microfoon',
  camera: 'Camera',
  speaker: 'Luidspreker',
  systemDefault: 'Systeemstandaard',
  testSpeaker: 'Luidspreker testen',
  showNames: 'Apparaatnamen tonen',
  setupError: 'Fout in de telefooninstellingen',
  networkTest: 'Netwerktest',
  startTest: 'Netwerk testen',
  stopTest: 'Test stoppen',
  testProgress: 'Voortgang van de netwerktest',
  connectingTest: 'Verbinden met de gateway…',
  testFigures: (rtt, jitter, loss) =>
    `Rondetijd ${rtt === null ? '–' : n(rtt)} ms, jitter ${n(jitter)} ms, verlies ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'seconden', loss: 'verlies %' },
  chartLimit: 'Grens voor video',
  verdictLimits: (v, o) =>
    `Geschikt voor spraak en video tot ${n(v.rtt)} ms rondetijd, ${n(v.jitter)} ms jitter en ${n(v.loss)} % verlies; alleen spraak tot ${n(o.rtt)} ms, ${n(o.jitter)} ms en ${n(o.loss)} %.`,
  passwordNeeded: 'Voer uw wachtwoord in om de test uit te voeren.',
  networkChart: (max) =>
    `Grafiek van rondetijd en jitter (0 tot ${n(max)} ms) en pakketverlies (0 tot ${n(10)} %) over de seconden van de test, met de grenzen voor video als stippellijnen`,
  rtt: 'Rondetijd',
  jitter: 'Jitter',
  loss: 'Verlies',
  quality: {
    good: 'Gesprekskwaliteit: goed',
    fair: 'Gesprekskwaliteit: redelijk',
    poor: 'Gesprekskwaliteit: slecht',
  },
  qualityWarning: {
    'high-rtt': 'Het geluid doet er lang over: u kunt door elkaar heen praten.',
    'high-jitter': 'Pakketten komen onregelmatig aan: de stem kan haperen.',
    'high-loss': 'Een deel van het geluid gaat onderweg verloren: er kunnen woorden wegvallen.',
    'low-mos': 'De gesprekskwaliteit is slecht.',
    'no-audio': 'Er komt geen geluid van de andere partij binnen.',
    silence:
      'Er komt geluid binnen, maar het is stil: de andere partij heeft het geluid misschien gedempt.',
  },
  verdict: {
    good: () => 'Geschikt voor spraak en video',
    'voice-only': (why) => `Alleen geschikt voor spraak (${why})`,
    poor: (why) => `Slecht: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % pakketverlies`,
    rtt: (ms) => `${n(ms)} ms rondetijd`,
    jitter: (ms) => `${n(ms)} ms jitter`,
  },
  // the phone (issue 9)
  noSessionHint: 'Zet <ipo-phone> in <ipo-session gateway="…"> (of stel de eigenschap session in).',
  decline: 'Weigeren',
  resume: 'Hervatten',
  unmute: 'Microfoon aan',
  keypad: 'Toetsen',
  incomingVideoCall: 'Inkomend videogesprek',
  transferNow: 'Nu doorverbinden',
  consultFirst: 'Eerst overleggen',
  completeTransfer: 'Doorverbinden voltooien',
  goBack: 'Terug',
  consulting: (held) => `${held} staat in de wacht tot u doorverbindt of teruggaat`,
  transferred: (to) => `Doorverbonden met ${to}`,
  transferredFrom: (n) => `Doorverbonden door ${n}`,
  nowTalkingTo: (n) => `Gesprek doorverbonden: u spreekt nu met ${n}`,
  switchTo: 'Wisselen',
  addCall: 'Nog een gesprek',
  muted: 'Microfoon gedempt',
  unmuted: 'Microfoon aan',
  logoutConfirm: (n) =>
    n === 1 ? 'Afmelden en uw gesprek beëindigen?' : `Afmelden en uw ${n} gesprekken beëindigen?`,
  backspace: 'Laatste cijfer wissen',
};

export default nl;
