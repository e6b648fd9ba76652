/** French. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('fr', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} sous ${d.os}`
    : d.browser || (d.os ? `un navigateur sous ${d.os}` : '');

const fr: Translation = {
  $code: 'fr',
  $dir: 'ltr',
  phone: 'Téléphone',
  user: 'Poste',
  password: 'Mot de passe',
  login: 'Se connecter',
  logout: 'Se déconnecter',
  cancel: 'Annuler',
  number: 'Numéro',
  call: 'Appeler',
  videoCall: 'Appel vidéo',
  dialpad: 'Clavier',
  calls: 'Appels',
  answer: 'Répondre',
  reject: 'Refuser',
  hangup: 'Raccrocher',
  hold: 'Mettre en attente',
  mute: 'Couper le micro',
  video: 'Vidéo',
  transfer: 'Transférer',
  transferNumber: 'Transférer au numéro',
  transferTo: (name) => `Transférer à ${name}`,
  dismiss: 'Fermer',
  enableSound: 'Appel entrant : cliquez pour activer le son',
  unknown: 'Inconnu',
  noSession: 'Aucun système téléphonique configuré',
  loggedInAs: (user) => `Connecté en tant que ${user}`,
  incomingFrom: (name) => `Appel entrant de ${name}`,
  callState: {
    dialing: 'Appel en cours…',
    incoming: 'Appel entrant',
    ringing: 'Sonnerie…',
    progressing: 'Connexion…',
    connected: 'En communication',
    held: 'En attente',
    disconnected: 'Terminé',
    failed: 'Échec',
  },
  registration: {
    'logged-out': 'Déconnecté',
    'logging-in': 'Connexion…',
    'logged-in': 'Prêt',
    reconnecting: 'Reconnexion…',
    'failing-over': 'Bascule vers le secours…',
    'failed-over': 'Prêt (secours)',
    'failing-back': 'Retour au système principal…',
    error: 'Non connecté',
  },
  callEnded: (name) => `Appel avec ${name} terminé`,
  callsKept: (count) =>
    count === 1 ? 'Votre appel a été conservé' : `Vos ${n(count)} appels ont été conservés`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `Le nom de la passerelle « ${d.host} » est introuvable. Vérifiez qu’il ne contient pas de faute de frappe.`,
    unreachable: (d) =>
      `Rien ne répond à ${d.url}. Vérifiez le numéro de port et que la passerelle fonctionne.`,
    certificate: (d) =>
      `Ce navigateur n’accepte pas le certificat de ${d.url}. Ouvrez ${d.url} une fois dans ce navigateur, acceptez son certificat, puis reconnectez-vous.`,
    'origin-not-allowed': (d) =>
      `La passerelle ${d.url} n’autorise pas cette page. Demandez à l’administrateur d’autoriser l’origine ${d.origin}.`,
    refused: (d) =>
      `${d.url} répond mais a refusé la connexion téléphonique. Vérifiez qu’il s’agit de l’adresse et du port de la passerelle ; si c’est le cas, demandez à l’administrateur d’autoriser l’origine ${d.origin}.`,
    'in-use': (d) =>
      `Votre poste est déjà utilisé ${where(d) ? `(${where(d)})` : 'ailleurs'}. Choisissez « Utiliser ici » pour l’utiliser sur cette page.`,
    'taken-over': () => 'Vous avez été déconnecté, car votre poste s’est connecté ailleurs.',
    'microphone-blocked': () =>
      'Le navigateur n’a pas autorisé cette page à utiliser le micro. Autorisez le micro pour ce site (l’icône à gauche de la barre d’adresse), vérifiez qu’un micro est branché, puis réessayez.',
    'session-ended': () =>
      'Le système téléphonique a redémarré et n’a pas pu garder votre connexion. Reconnectez-vous.',
  },
  useHere: 'Utiliser ici',
  videos: 'Vidéo',
  remoteVideo: (name) => `Vidéo de ${name}`,
  localVideo: 'Votre caméra',
  noVideo: 'Pas de vidéo',
  devices: 'Périphériques',
  microphone: 'Microphone',
  camera: 'Caméra',
  speaker: 'Haut-parleur',
  systemDefault: 'Par défaut du système',
  testSpeaker: 'Tester le haut-parleur',
  showNames: 'Afficher les noms des périphériques',
  setupError: 'Erreur de configuration du téléphone',
  networkTest: 'Test réseau',
  startTest: 'Tester le réseau',
  stopTest: 'Arrêter le test',
  testProgress: 'Progression du test réseau',
  connectingTest: 'Connexion à la passerelle…',
  testFigures: (rtt, jitter, loss) =>
    `Aller-retour ${rtt === null ? '–' : n(rtt)} ms, gigue ${n(jitter)} ms, perte ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'secondes', loss: 'perte %' },
  chartLimit: 'Limite pour la vidéo',
  verdictLimits: (v, o) =>
    `Bon pour la voix et la vidéo jusqu’à ${n(v.rtt)} ms d’aller-retour, ${n(v.jitter)} ms de gigue et ${n(v.loss)} % de perte ; voix seule jusqu’à ${n(o.rtt)} ms, ${n(o.jitter)} ms et ${n(o.loss)} %.`,
  passwordNeeded: 'Saisissez votre mot de passe pour lancer le test.',
  networkChart: (max) =>
    `Graphique du temps d’aller-retour et de la gigue (0 à ${n(max)} ms) et de la perte de paquets (0 à ${n(10)} %) au fil des secondes du test, avec les limites pour la vidéo en pointillés`,
  rtt: 'Aller-retour',
  jitter: 'Gigue',
  loss: 'Perte',
  quality: {
    good: 'Qualité d’appel : bonne',
    fair: 'Qualité d’appel : moyenne',
    poor: 'Qualité d’appel : mauvaise',
  },
  qualityWarning: {
    'high-rtt': 'Le son met du temps à arriver : vous risquez de parler en même temps.',
    'high-jitter': 'Les paquets arrivent irrégulièrement : la voix peut être hachée.',
    'high-loss': 'Une partie du son se perd en route : des mots peuvent manquer.',
    'low-mos': 'La qualité d’appel est mauvaise.',
    'no-audio': 'Aucun son ne parvient de votre correspondant.',
    silence:
      'Le son arrive mais il est silencieux : votre correspondant a peut-être coupé son micro.',
  },
  verdict: {
    good: () => 'Bon pour la voix et la vidéo',
    'voice-only': (why) => `Bon pour la voix uniquement (${why})`,
    poor: (why) => `Mauvais : ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % de perte de paquets`,
    rtt: (ms) => `${n(ms)} ms d’aller-retour`,
    jitter: (ms) => `${n(ms)} ms de gigue`,
  },
  // the phone (issue 9)
  noSessionHint:
    'Placez <ipo-phone> dans <ipo-session gateway="…"> (ou définissez sa propriété session).',
  decline: 'Refuser',
  resume: 'Reprendre',
  unmute: 'Réactiver le micro',
  keypad: 'Clavier',
  incomingVideoCall: 'Appel vidéo entrant',
  transferNow: 'Transférer maintenant',
  consultFirst: 'Consulter d’abord',
  completeTransfer: 'Terminer le transfert',
  goBack: 'Revenir',
  consulting: (held) =>
    `${held} reste en attente jusqu’à ce que vous terminiez le transfert ou reveniez`,
  transferred: (to) => `Transféré à ${to}`,
  transferredFrom: (n) => `Transféré par ${n}`,
  nowTalkingTo: (n) => `Appel transféré : vous parlez maintenant avec ${n}`,
  switchTo: 'Basculer',
  addCall: 'Autre appel',
  muted: 'Micro coupé',
  unmuted: 'Micro activé',
  logoutConfirm: (n) =>
    n === 1
      ? 'Se déconnecter et terminer votre appel ?'
      : `Se déconnecter et terminer vos ${n} appels ?`,
  backspace: 'Effacer le dernier chiffre',
};

export default fr;
