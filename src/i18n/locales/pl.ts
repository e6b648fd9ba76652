/** Polish. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('pl', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Polish plural: 1 połączenie, 2–4 połączenia, 5+ połączeń (12–14 too). */
const plural = (count: number, one: string, few: string, many: string): string => {
  const mod10 = count % 10;
  const mod100 = count % 100;
  if (count === 1) return one;
  return mod10 >= 2 && mod10 <= 4 && !(mod100 >= 12 && mod100 <= 14) ? few : many;
};

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} w systemie ${d.os}`
    : d.browser || (d.os ? `przeglądarka w systemie ${d.os}` : '');

const pl: Translation = {
  $code: 'pl',
  $dir: 'ltr',
  phone: 'Telefon',
  user: 'Numer wewnętrzny',
  password: 'Hasło',
  login: 'Zaloguj',
  logout: 'Wyloguj',
  cancel: 'Anuluj',
  number: 'Numer',
  call: 'Zadzwoń',
  videoCall: 'Połączenie wideo',
  dialpad: 'Klawiatura',
  calls: 'Połączenia',
  answer: 'Odbierz',
  reject: 'Odrzuć',
  hangup: 'Rozłącz',
  hold: 'Zawieś',
  mute: 'Wycisz',
  video: 'Wideo',
  transfer: 'Przekaż',
  transferNumber: 'Przekaż na numer',
  transferTo: (name) => `Przekaż do: ${name}`,
  dismiss: 'Zamknij',
  enableSound: 'Połączenie przychodzące: kliknij, aby włączyć dźwięk',
  unknown: 'Nieznany',
  noSession: 'Nie skonfigurowano centrali telefonicznej',
  loggedInAs: (user) => `Zalogowano jako ${user}`,
  incomingFrom: (name) => `Połączenie przychodzące od: ${name}`,
  callState: {
    dialing: 'Dzwonienie…',
    incoming: 'Połączenie przychodzące',
    ringing: 'Dzwoni…',
    progressing: 'Łączenie…',
    connected: 'Połączono',
    held: 'Zawieszone',
    disconnected: 'Zakończone',
    failed: 'Nieudane',
  },
  registration: {
    'logged-out': 'Wylogowano',
    'logging-in': 'Logowanie…',
    'logged-in': 'Gotowy',
    reconnecting: 'Ponowne łączenie…',
    'failing-over': 'Przełączanie na system zapasowy…',
    'failed-over': 'Gotowy (system zapasowy)',
    'failing-back': 'Powrót do systemu głównego…',
    error: 'Nie zalogowano',
  },
  callEnded: (name) => `Połączenie z: ${name} zakończone`,
  callsKept: (count) =>
    count === 1
      ? 'Twoje połączenie zostało zachowane'
      : `${n(count)} ${plural(count, 'połączenie zostało zachowane', 'połączenia zostały zachowane', 'połączeń zostało zachowanych')}`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `Nie znaleziono nazwy bramy „${d.host}”. Sprawdź, czy nazwa nie zawiera literówki.`,
    unreachable: (d) =>
      `Nic nie odpowiada pod adresem ${d.url}. Sprawdź numer portu i czy brama działa.`,
    certificate: (d) =>
      `Ta przeglądarka nie akceptuje certyfikatu ${d.url}. Otwórz raz ${d.url} w tej przeglądarce, zaakceptuj certyfikat, a potem zaloguj się ponownie.`,
    'origin-not-allowed': (d) =>
      `Brama pod adresem ${d.url} nie zezwala na tę stronę. Poproś administratora o dopuszczenie źródła ${d.origin}.`,
    refused: (d) =>
      `${d.url} odpowiada, ale odrzucił połączenie telefonu. Sprawdź, czy to adres i port bramy; jeśli tak, poproś administratora o dopuszczenie źródła ${d.origin}.`,
    'in-use': (d) =>
      `Twój numer wewnętrzny jest już używany ${where(d) ? `(${where(d)})` : 'w innym miejscu'}. Wybierz „Użyj tutaj”, aby przenieść go na tę stronę.`,
    'taken-over': () =>
      'Wylogowano Cię, ponieważ Twój numer wewnętrzny zalogował się w innym miejscu.',
    'microphone-blocked': () =>
      'Przeglądarka nie pozwoliła tej stronie użyć mikrofonu. Zezwól na mikrofon dla tej witryny (ikona po lewej stronie paska adresu), sprawdź, czy mikrofon jest podłączony, i spróbuj ponownie.',
    'session-ended': () =>
      'Centrala telefoniczna została uruchomiona ponownie i nie mogła utrzymać Twojego logowania. Zaloguj się ponownie.',
  },
  useHere: 'Użyj tutaj',
  videos: 'Wideo',
  remoteVideo: (name) => `Wideo: ${name}`,
  localVideo: 'Twoja kamera',
  noVideo: 'Brak wideo',
  devices: 'Urządzenia',
  microphone: 'Mikrofon',
  camera: 'Kamera',
  speaker: 'Głośnik',
  systemDefault: 'Domyślne systemowe',
  testSpeaker: 'Testuj głośnik',
  showNames: 'Pokaż nazwy urządzeń',
  setupError: 'Błąd konfiguracji telefonu',
  networkTest: 'Test sieci',
  startTest: 'Testuj sieć',
  stopTest: 'Zatrzymaj test',
  testProgress: 'Postęp testu sieci',
  connectingTest: 'Łączenie z bramą…',
  testFigures: (rtt, jitter, loss) =>
    `Czas w obie strony ${rtt === null ? '–' : n(rtt)} ms, jitter ${n(jitter)} ms, utrata ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'sekundy', loss: 'utrata %' },
  chartLimit: 'Limit dla wideo',
  verdictLimits: (v, o) =>
    `Dobre dla głosu i wideo do ${n(v.rtt)} ms w obie strony, ${n(v.jitter)} ms jittera i ${n(v.loss)} % utraty; tylko dla głosu do ${n(o.rtt)} ms, ${n(o.jitter)} ms i ${n(o.loss)} %.`,
  passwordNeeded: 'Wpisz hasło, aby uruchomić test.',
  networkChart: (max) =>
    `Wykres czasu w obie strony i jittera (0–${n(max)} ms) oraz utraty pakietów (0–${n(10)} %) w kolejnych sekundach testu, z limitami dla wideo jako liniami przerywanymi`,
  rtt: 'Czas w obie strony',
  jitter: 'Jitter',
  loss: 'Utrata',
  quality: {
    good: 'Jakość połączenia: dobra',
    fair: 'Jakość połączenia: średnia',
    poor: 'Jakość połączenia: słaba',
  },
  qualityWarning: {
    'high-rtt': 'Dźwięk długo dociera: możecie sobie przerywać.',
    'high-jitter': 'Pakiety docierają nierówno: głos może się rwać.',
    'high-loss': 'Część dźwięku ginie po drodze: mogą wypadać słowa.',
    'low-mos': 'Jakość połączenia jest słaba.',
    'no-audio': 'Nie dociera dźwięk od rozmówcy.',
    silence: 'Dźwięk dociera, ale jest cisza: rozmówca może mieć wyciszony mikrofon.',
  },
  verdict: {
    good: () => 'Dobre dla głosu i wideo',
    'voice-only': (why) => `Dobre tylko dla głosu (${why})`,
    poor: (why) => `Słabe: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % utraconych pakietów`,
    rtt: (ms) => `${n(ms)} ms w obie strony`,
    jitter: (ms) => `${n(ms)} ms jittera`,
  },
  noSessionHint:
    'Umieść <ipo-phone> wewnątrz <ipo-session gateway="…"> (albo ustaw jego właściwość session).',
  decline: 'Odrzuć',
  resume: 'Wznów',
  unmute: 'Włącz mikrofon',
  keypad: 'Klawiatura',
  incomingVideoCall: 'Przychodzące połączenie wideo',
  transferNow: 'Przekaż teraz',
  consultFirst: 'Najpierw konsultuj',
  completeTransfer: 'Zakończ przekazywanie',
  goBack: 'Wróć',
  consulting: (held) =>
    `${held} czeka zawieszony, dopóki nie zakończysz przekazywania albo nie wrócisz`,
  transferred: (to) => `Przekazano do: ${to}`,
  transferredFrom: (name) => `Przekazane od: ${name}`,
  nowTalkingTo: (name) => `Połączenie przekazane: rozmawiasz teraz z: ${name}`,
  switchTo: 'Przełącz',
  addCall: 'Dodaj połączenie',
  muted: 'Mikrofon wyciszony',
  unmuted: 'Mikrofon włączony',
  logoutConfirm: (count) =>
    count === 1
      ? 'Wylogować i zakończyć połączenie?'
      : `Wylogować i zakończyć ${n(count)} ${plural(count, 'połączenie', 'połączenia', 'połączeń')}?`,
  backspace: 'Usuń ostatnią cyfrę',
};

export default pl;
