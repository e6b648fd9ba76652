/** Swedish. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('sv', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} på ${d.os}`
    : d.browser || (d.os ? `en webbläsare på ${d.os}` : '');

const sv: Translation = {
  $code: 'sv',
  $dir: 'ltr',
  phone: 'Telefon',
  user: 'Anknytning',
  password: 'Lösenord',
  login: 'Logga in',
  logout: 'Logga ut',
  cancel: 'Avbryt',
  number: 'Nummer',
  call: 'Ring',
  videoCall: 'Videosamtal',
  dialpad: 'Knappsats',
  calls: 'Samtal',
  answer: 'Svara',
  reject: 'Avvisa',
  hangup: 'Lägg på',
  hold: 'Parkera',
  mute: 'Stäng av ljud',
  video: 'Video',
  transfer: 'Koppla',
  transferNumber: 'Koppla till nummer',
  transferTo: (name) => `Koppla till ${name}`,
  dismiss: 'Stäng',
  enableSound: 'Inkommande samtal: klicka för att slå på ljudet',
  unknown: 'Okänd',
  noSession: 'Ingen telefonväxel är konfigurerad',
  loggedInAs: (user) => `Inloggad som ${user}`,
  incomingFrom: (name) => `Inkommande samtal från ${name}`,
  callState: {
    dialing: 'Ringer upp…',
    incoming: 'Inkommande samtal',
    ringing: 'Det ringer…',
    progressing: 'Kopplar upp…',
    connected: 'Ansluten',
    held: 'Parkerat',
    disconnected: 'Avslutat',
    failed: 'Misslyckades',
  },
  registration: {
    'logged-out': 'Utloggad',
    'logging-in': 'Loggar in…',
    'logged-in': 'Redo',
    reconnecting: 'Återansluter…',
    'failing-over': 'Byter till reservsystemet…',
    'failed-over': 'Redo (reserv)',
    'failing-back': 'Byter tillbaka…',
    error: 'Inte inloggad',
  },
  callEnded: (name) => `Samtalet med ${name} har avslutats`,
  callsKept: (count) =>
    count === 1 ? 'Ditt samtal finns kvar' : `Dina ${n(count)} samtal finns kvar`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `Gatewaynamnet ”${d.host}” hittades inte. Kontrollera att namnet är rätt stavat.`,
    unreachable: (d) =>
      `Inget svarar på ${d.url}. Kontrollera portnumret och att gatewayen är igång.`,
    certificate: (d) =>
      `Den här webbläsaren godtar inte certifikatet för ${d.url}. Öppna ${d.url} en gång i den här webbläsaren, godkänn certifikatet och logga sedan in igen.`,
    'origin-not-allowed': (d) =>
      `Gatewayen på ${d.url} tillåter inte den här sidan. Be administratören att tillåta ursprunget ${d.origin}.`,
    refused: (d) =>
      `${d.url} svarar men avvisade telefonanslutningen. Kontrollera att det är gatewayens adress och port; om det är det, be administratören att tillåta ursprunget ${d.origin}.`,
    'in-use': (d) =>
      `Din anknytning används redan ${where(d) ? `(${where(d)})` : 'någon annanstans'}. Välj ”Använd här” för att flytta den till den här sidan.`,
    'taken-over': () => 'Du loggades ut eftersom din anknytning loggades in någon annanstans.',
    'microphone-blocked': () =>
      'Webbläsaren lät inte den här sidan använda mikrofonen. Tillåt mikrofonen för webbplatsen (ikonen till vänster i adressfältet), kontrollera att en är ansluten och försök igen.',
    'session-ended': () =>
      'Telefonväxeln startades om och kunde inte hålla dig inloggad. Logga in igen.',
  },
  useHere: 'Använd här',
  videos: 'Video',
  remoteVideo: (name) => `Video från ${name}`,
  localVideo: 'Din kamera',
  noVideo: 'Ingen video',
  devices: 'Enheter',
  microphone: 'Mikrofon',
  camera: 'Kamera',
  speaker: 'Högtalare',
  systemDefault: 'Systemets standard',
  testSpeaker: 'Testa högtalaren',
  showNames: 'Visa enhetsnamn',
  setupError: 'Fel i telefonens inställningar',
  networkTest: 'Nätverkstest',
  startTest: 'Testa nätverket',
  stopTest: 'Stoppa testet',
  testProgress: 'Nätverkstestets förlopp',
  connectingTest: 'Ansluter till gatewayen…',
  testFigures: (rtt, jitter, loss) =>
    `Tur och retur ${rtt === null ? '–' : n(rtt)} ms, jitter ${n(jitter)} ms, förlust ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'sekunder', loss: 'förlust %' },
  chartLimit: 'Gräns för video',
  verdictLimits: (v, o) =>
    `Bra för röst och video upp till ${n(v.rtt)} ms tur och retur, ${n(v.jitter)} ms jitter och ${n(v.loss)} % förlust; endast röst upp till ${n(o.rtt)} ms, ${n(o.jitter)} ms och ${n(o.loss)} %.`,
  passwordNeeded: 'Ange ditt lösenord för att köra testet.',
  networkChart: (max) =>
    `Diagram över tur och retur-tid och jitter (0 till ${n(max)} ms) och paketförlust (0 till ${n(10)} %) under testets sekunder, med gränserna för video som streckade linjer`,
  rtt: 'Tur och retur',
  jitter: 'Jitter',
  loss: 'Förlust',
  quality: {
    good: 'Samtalskvalitet: bra',
    fair: 'Samtalskvalitet: godtagbar',
    poor: 'Samtalskvalitet: dålig',
  },
  qualityWarning: {
    'high-rtt': 'Ljudet tar lång tid på sig: ni kan råka prata i mun på varandra.',
    'high-jitter': 'Paketen kommer ojämnt: rösten kan låta hackig.',
    'high-loss': 'En del av ljudet försvinner på vägen: ord kan falla bort.',
    'low-mos': 'Samtalskvaliteten är dålig.',
    'no-audio': 'Inget ljud kommer fram från den andra parten.',
    silence: 'Ljud kommer fram men det är tyst: den andra parten kan ha stängt av mikrofonen.',
  },
  verdict: {
    good: () => 'Bra för röst och video',
    'voice-only': (why) => `Bra endast för röst (${why})`,
    poor: (why) => `Dåligt: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % paketförlust`,
    rtt: (ms) => `${n(ms)} ms tur och retur`,
    jitter: (ms) => `${n(ms)} ms jitter`,
  },
  noSessionHint: 'Lägg <ipo-phone> i <ipo-session gateway="…"> (eller sätt dess session-egenskap).',
  decline: 'Avböj',
  resume: 'Återuppta',
  unmute: 'Slå på ljud',
  keypad: 'Knappsats',
  incomingVideoCall: 'Inkommande videosamtal',
  transferNow: 'Koppla nu',
  consultFirst: 'Fråga först',
  completeTransfer: 'Slutför kopplingen',
  goBack: 'Gå tillbaka',
  consulting: (held) => `${held} är parkerad tills du slutför kopplingen eller går tillbaka`,
  transferred: (to) => `Kopplat till ${to}`,
  transferredFrom: (name) => `Kopplat från ${name}`,
  nowTalkingTo: (name) => `Samtalet kopplades: du pratar nu med ${name}`,
  switchTo: 'Växla',
  addCall: 'Lägg till samtal',
  muted: 'Mikrofonen avstängd',
  unmuted: 'Mikrofonen på',
  logoutConfirm: (count) =>
    count === 1
      ? 'Logga ut och avsluta samtalet?'
      : `Logga ut och avsluta dina ${n(count)} samtal?`,
  backspace: 'Radera sista siffran',
};

export default sv;
