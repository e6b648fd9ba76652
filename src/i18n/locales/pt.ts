/** Portuguese (Brazilian wording, as ICU's `pt`; `pt-PT` pages get it too). */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('pt', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os
    ? `${d.browser} no ${d.os}`
    : d.browser || (d.os ? `um navegador no ${d.os}` : '');

const pt: Translation = {
  $code: 'pt',
  $dir: 'ltr',
  phone: 'Telefone',
  user: 'Ramal',
  password: 'Senha',
  login: 'Entrar',
  logout: 'Sair',
  cancel: 'Cancelar',
  number: 'Número',
  call: 'Ligar',
  videoCall: 'Videochamada',
  dialpad: 'Teclado',
  calls: 'Chamadas',
  answer: 'Atender',
  reject: 'Recusar',
  hangup: 'Desligar',
  hold: 'Colocar em espera',
  mute: 'Silenciar',
  video: 'Vídeo',
  transfer: 'Transferir',
  transferNumber: 'Transferir para o número',
  transferTo: (name) => `Transferir para ${name}`,
  dismiss: 'Fechar',
  enableSound: 'Chamada recebida: clique para ativar o som',
  unknown: 'Desconhecido',
  noSession: 'Nenhum sistema telefônico configurado',
  loggedInAs: (user) => `Conectado como ${user}`,
  incomingFrom: (name) => `Chamada recebida de ${name}`,
  callState: {
    dialing: 'Ligando…',
    incoming: 'Chamada recebida',
    ringing: 'Tocando…',
    progressing: 'Conectando…',
    connected: 'Em chamada',
    held: 'Em espera',
    disconnected: 'Terminada',
    failed: 'Falhou',
  },
  registration: {
    'logged-out': 'Desconectado',
    'logging-in': 'Entrando…',
    'logged-in': 'Pronto',
    reconnecting: 'Reconectando…',
    'failing-over': 'Mudando para o sistema reserva…',
    'failed-over': 'Pronto (reserva)',
    'failing-back': 'Voltando ao sistema principal…',
    error: 'Não conectado',
  },
  callEnded: (name) => `Chamada com ${name} terminada`,
  callsKept: (count) =>
    count === 1 ? 'Sua chamada foi mantida' : `Suas ${n(count)} chamadas foram mantidas`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `O nome do gateway “${d.host}” não foi encontrado. Verifique se há erros de digitação.`,
    unreachable: (d) =>
      `Nada responde em ${d.url}. Verifique o número da porta e se o gateway está em execução.`,
    certificate: (d) =>
      `Este navegador não aceita o certificado de ${d.url}. Abra ${d.url} uma vez neste navegador, aceite o certificado e entre novamente.`,
    'origin-not-allowed': (d) =>
      `O gateway em ${d.url} não permite esta página. Peça ao administrador para permitir a origem ${d.origin}.`,
    refused: (d) =>
      `${d.url} responde, mas recusou a conexão telefônica. Verifique se esse é o endereço e a porta do gateway; se for, peça ao administrador para permitir a origem ${d.origin}.`,
    'in-use': (d) =>
      `Seu ramal já está em uso ${where(d) ? `(${where(d)})` : 'em outro lugar'}. Escolha “Usar aqui” para trazê-lo para esta página.`,
    'taken-over': () => 'Você foi desconectado porque seu ramal entrou em outro lugar.',
    'microphone-blocked': () =>
      'O navegador não permitiu que esta página usasse o microfone. Permita o microfone para este site (o ícone à esquerda da barra de endereços), verifique se há um conectado e tente novamente.',
    'session-ended': () =>
      'O sistema telefônico foi reiniciado e não conseguiu manter você conectado. Entre novamente.',
  },
  useHere: 'Usar aqui',
  videos: 'Vídeo',
  remoteVideo: (name) => `Vídeo de ${name}`,
  localVideo: 'Sua câmera',
  noVideo: 'Sem vídeo',
  devices: 'Dispositivos',
  microphone: 'Microfone',
  camera: 'Câmera',
  speaker: 'Alto-falante',
  systemDefault: 'Padrão do sistema',
  testSpeaker: 'Testar alto-falante',
  showNames: 'Mostrar nomes dos dispositivos',
  setupError: 'Erro na configuração do telefone',
  networkTest: 'Teste de rede',
  startTest: 'Testar a rede',
  stopTest: 'Parar teste',
  testProgress: 'Progresso do teste de rede',
  connectingTest: 'Conectando ao gateway…',
  testFigures: (rtt, jitter, loss) =>
    `Ida e volta ${rtt === null ? '–' : n(rtt)} ms, jitter ${n(jitter)} ms, perda ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'segundos', loss: 'perda %' },
  chartLimit: 'Limite para vídeo',
  verdictLimits: (v, o) =>
    `Bom para voz e vídeo até ${n(v.rtt)} ms de ida e volta, ${n(v.jitter)} ms de jitter e ${n(v.loss)} % de perda; apenas voz até ${n(o.rtt)} ms, ${n(o.jitter)} ms e ${n(o.loss)} %.`,
  passwordNeeded: 'Introduza a sua palavra-passe para executar o teste.',
  networkChart: (max) =>
    `Gráfico do tempo de ida e volta e do jitter (0 a ${n(max)} ms) e da perda de pacotes (0 a ${n(10)} %) ao longo dos segundos do teste, com os limites para vídeo como linhas tracejadas`,
  rtt: 'Ida e volta',
  jitter: 'Jitter',
  loss: 'Perda',
  quality: {
    good: 'Qualidade da chamada: boa',
    fair: 'Qualidade da chamada: razoável',
    poor: 'Qualidade da chamada: ruim',
  },
  qualityWarning: {
    'high-rtt': 'O som demora a chegar: podem falar ao mesmo tempo.',
    'high-jitter': 'Os pacotes chegam de forma irregular: a voz pode soar entrecortada.',
    'high-loss': 'Parte do áudio se perde no caminho: podem faltar palavras.',
    'low-mos': 'A qualidade da chamada está ruim.',
    'no-audio': 'Não chega áudio do interlocutor.',
    silence: 'O áudio chega, mas em silêncio: o interlocutor pode estar com o microfone desligado.',
  },
  verdict: {
    good: () => 'Bom para voz e vídeo',
    'voice-only': (why) => `Bom apenas para voz (${why})`,
    poor: (why) => `Ruim: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % de perda de pacotes`,
    rtt: (ms) => `${n(ms)} ms de ida e volta`,
    jitter: (ms) => `${n(ms)} ms de jitter`,
  },
  // the phone (issue 9)
  noSessionHint:
    'Coloque <ipo-phone> dentro de <ipo-session gateway="…"> (ou defina a propriedade session).',
  decline: 'Recusar',
  resume: 'Retomar',
  unmute: 'Ativar microfone',
  keypad: 'Teclado',
  incomingVideoCall: 'Videochamada recebida',
  transferNow: 'Transferir agora',
  consultFirst: 'Consultar primeiro',
  completeTransfer: 'Concluir transferência',
  goBack: 'Voltar',
  consulting: (held) => `${held} fica em espera até concluir a transferência ou voltar`,
  transferred: (to) => `Transferida para ${to}`,
  transferredFrom: (n) => `Transferida por ${n}`,
  nowTalkingTo: (n) => `Chamada transferida: agora fala com ${n}`,
  switchTo: 'Alternar',
  addCall: 'Outra chamada',
  muted: 'Microfone silenciado',
  unmuted: 'Microfone ativado',
  logoutConfirm: (n) =>
    n === 1
      ? 'Terminar sessão e encerrar a chamada?'
      : `Terminar sessão e encerrar as ${n} chamadas?`,
  backspace: 'Apagar o último dígito',
};

export default pt;
