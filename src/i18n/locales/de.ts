/** German. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('de', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} unter ${d.os}`
    : d.browser || (d.os ? `einem Browser unter ${d.os}` : '');

const de: Translation = {
  $code: 'de',
  $dir: 'ltr',
  phone: 'Telefon',
  user: 'Nebenstelle',
  password: 'Passwort',
  login: 'Anmelden',
  logout: 'Abmelden',
  cancel: 'Abbrechen',
  number: 'Rufnummer',
  call: 'Anrufen',
  videoCall: 'Videoanruf',
  dialpad: 'Wähltastatur',
  calls: 'Anrufe',
  answer: 'Annehmen',
  reject: 'Ablehnen',
  hangup: 'Auflegen',
  hold: 'Halten',
  mute: 'Stummschalten',
  video: 'Video',
  transfer: 'Weiterverbinden',
  transferNumber: 'Weiterverbinden an Rufnummer',
  transferTo: (name) => `Weiterverbinden mit ${name}`,
  dismiss: 'Schließen',
  enableSound: 'Eingehender Anruf: klicken, um den Ton einzuschalten',
  unknown: 'Unbekannt',
  noSession: 'Keine Telefonanlage eingerichtet',
  loggedInAs: (user) => `Angemeldet als ${user}`,
  incomingFrom: (name) => `Eingehender Anruf von ${name}`,
  callState: {
    dialing: 'Wählt…',
    incoming: 'Eingehender Anruf',
    ringing: 'Klingelt…',
    progressing: 'Verbindet…',
    connected: 'Verbunden',
    held: 'Gehalten',
    disconnected: 'Beendet',
    failed: 'Fehlgeschlagen',
  },
  registration: {
    'logged-out': 'Abgemeldet',
    'logging-in': 'Anmeldung…',
    'logged-in': 'Bereit',
    reconnecting: 'Verbindung wird wiederhergestellt…',
    'failing-over': 'Wechsel zum Ersatzsystem…',
    'failed-over': 'Bereit (Ersatzsystem)',
    'failing-back': 'Wechsel zurück…',
    error: 'Nicht angemeldet',
  },
  callEnded: (name) => `Anruf mit ${name} beendet`,
  callsKept: (count) =>
    count === 1
      ? 'Ihr Anruf ist erhalten geblieben'
      : `Ihre ${n(count)} Anrufe sind erhalten geblieben`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `Der Gateway-Name „${d.host}“ wurde nicht gefunden. Prüfen Sie den Namen auf Tippfehler.`,
    unreachable: (d) =>
      `Unter ${d.url} antwortet nichts. Prüfen Sie die Portnummer und ob das Gateway läuft.`,
    certificate: (d) =>
      `Dieser Browser akzeptiert das Zertifikat von ${d.url} nicht. Öffnen Sie ${d.url} einmal in diesem Browser, akzeptieren Sie das Zertifikat und melden Sie sich dann erneut an.`,
    'origin-not-allowed': (d) =>
      `Das Gateway unter ${d.url} lässt diese Seite nicht zu. Bitten Sie die Administration, den Ursprung ${d.origin} zuzulassen.`,
    refused: (d) =>
      `${d.url} antwortet, hat die Telefonverbindung aber abgelehnt. Prüfen Sie, ob das die Adresse und der Port des Gateways sind; wenn ja, bitten Sie die Administration, den Ursprung ${d.origin} zuzulassen.`,
    'in-use': (d) =>
      `Ihre Nebenstelle wird bereits ${where(d) ? `verwendet (${where(d)})` : 'an anderer Stelle verwendet'}. Wählen Sie „Hier verwenden“, um sie auf diese Seite zu holen.`,
    'taken-over': () =>
      'Sie wurden abgemeldet, weil Ihre Nebenstelle an anderer Stelle angemeldet wurde.',
    'microphone-blocked': () =>
      'Der Browser hat dieser Seite das Mikrofon nicht erlaubt. Erlauben Sie das Mikrofon für diese Website (das Symbol links in der Adressleiste), prüfen Sie, ob eines angeschlossen ist, und versuchen Sie es erneut.',
    'session-ended': () =>
      'Die Telefonanlage wurde neu gestartet und konnte Sie nicht angemeldet halten. Melden Sie sich erneut an.',
  },
  useHere: 'Hier verwenden',
  videos: 'Video',
  remoteVideo: (name) => `Video von ${name}`,
  localVideo: 'Ihre Kamera',
  noVideo: 'Kein Video',
  devices: 'Geräte',
  microphone: 'Mikrofon',
  camera: 'Kamera',
  speaker: 'Lautsprecher',
  systemDefault: 'Systemstandard',
  testSpeaker: 'Lautsprecher testen',
  showNames: 'Gerätenamen anzeigen',
  setupError: 'Fehler in der Telefon-Einrichtung',
  networkTest: 'Netzwerktest',
  startTest: 'Netzwerk testen',
  stopTest: 'Test beenden',
  testProgress: 'Fortschritt des Netzwerktests',
  connectingTest: 'Verbindung zum Gateway…',
  testFigures: (rtt, jitter, loss) =>
    `Umlaufzeit ${rtt === null ? '–' : n(rtt)} ms, Jitter ${n(jitter)} ms, Verlust ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'Sekunden', loss: 'Verlust %' },
  chartLimit: 'Grenze für Video',
  verdictLimits: (v, o) =>
    `Gut für Sprache und Video bis ${n(v.rtt)} ms Umlaufzeit, ${n(v.jitter)} ms Jitter und ${n(v.loss)} % Verlust; nur Sprache bis ${n(o.rtt)} ms, ${n(o.jitter)} ms und ${n(o.loss)} %.`,
  passwordNeeded: 'Geben Sie Ihr Passwort ein, um den Test auszuführen.',
  networkChart: (max) =>
    `Diagramm von Umlaufzeit und Jitter (0 bis ${n(max)} ms) und Paketverlust (0 bis ${n(10)} %) über die Sekunden des Tests, mit den Grenzen für Video als gestrichelte Linien`,
  rtt: 'Umlaufzeit',
  jitter: 'Jitter',
  loss: 'Verlust',
  quality: {
    good: 'Gesprächsqualität: gut',
    fair: 'Gesprächsqualität: mittel',
    poor: 'Gesprächsqualität: schlecht',
  },
  qualityWarning: {
    'high-rtt': 'Der Ton braucht lange: Sie könnten einander ins Wort fallen.',
    'high-jitter': 'Pakete kommen ungleichmäßig an: die Stimme kann abgehackt klingen.',
    'high-loss': 'Ein Teil des Tons geht unterwegs verloren: Wörter können fehlen.',
    'low-mos': 'Die Gesprächsqualität ist schlecht.',
    'no-audio': 'Vom Gesprächspartner kommt kein Ton an.',
    silence: 'Ton kommt an, ist aber still: der Gesprächspartner ist vielleicht stumm geschaltet.',
  },
  verdict: {
    good: () => 'Gut für Sprache und Video',
    'voice-only': (why) => `Nur für Sprache geeignet (${why})`,
    poor: (why) => `Schlecht: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % Paketverlust`,
    rtt: (ms) => `${n(ms)} ms Umlaufzeit`,
    jitter: (ms) => `${n(ms)} ms Jitter`,
  },
  // the phone (issue 9)
  noSessionHint:
    'Setzen Sie <ipo-phone> in <ipo-session gateway="…"> (oder setzen Sie seine session-Eigenschaft).',
  decline: 'Ablehnen',
  resume: 'Fortsetzen',
  unmute: 'Ton an',
  keypad: 'Tastatur',
  incomingVideoCall: 'Eingehender Videoanruf',
  transferNow: 'Jetzt weiterverbinden',
  consultFirst: 'Erst rückfragen',
  completeTransfer: 'Weiterverbinden abschließen',
  goBack: 'Zurück',
  consulting: (held) =>
    `${held} wartet gehalten, bis Sie das Weiterverbinden abschließen oder zurückgehen`,
  transferred: (to) => `Mit ${to} weiterverbunden`,
  transferredFrom: (n) => `Weiterverbunden von ${n}`,
  nowTalkingTo: (n) => `Anruf weiterverbunden: Sie sprechen jetzt mit ${n}`,
  switchTo: 'Wechseln',
  addCall: 'Weiterer Anruf',
  muted: 'Mikrofon stumm',
  unmuted: 'Mikrofon an',
  logoutConfirm: (n) =>
    n === 1 ? 'Abmelden und Ihren Anruf beenden?' : `Abmelden und Ihre ${n} Anrufe beenden?`,
  backspace: 'Letzte Ziffer löschen',
};

export default de;
