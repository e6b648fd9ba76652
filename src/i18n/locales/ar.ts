/** Arabic (Modern Standard Arabic), right to left. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('ar', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Where the extension is in use, in this language's words. */
const where = (d: { browser?: string; os?: string; where?: string }) =>
  d.browser && d.os ? `${d.browser} على ${d.os}` : d.browser || (d.os ? `متصفح على ${d.os}` : '');

const ar: Translation = {
  $code: 'ar',
  $dir: 'rtl',
  phone: 'الهاتف',
  user: 'الرقم الداخلي',
  password: 'كلمة المرور',
  login: 'تسجيل الدخول',
  logout: 'تسجيل الخروج',
  cancel: 'إلغاء',
  number: 'الرقم',
  call: 'اتصال',
  videoCall: 'مكالمة فيديو',
  dialpad: 'لوحة الاتصال',
  calls: 'المكالمات',
  answer: 'رد',
  reject: 'رفض',
  hangup: 'إنهاء المكالمة',
  hold: 'تعليق',
  mute: 'كتم الصوت',
  video: 'فيديو',
  transfer: 'تحويل',
  transferNumber: 'تحويل إلى رقم',
  transferTo: (name) => `تحويل إلى ${name}`,
  dismiss: 'إغلاق',
  enableSound: 'مكالمة واردة: انقر لتشغيل الصوت',
  unknown: 'غير معروف',
  noSession: 'لم يتم إعداد نظام هاتف',
  loggedInAs: (user) => `تم تسجيل الدخول باسم ${user}`,
  incomingFrom: (name) => `مكالمة واردة من ${name}`,
  callState: {
    dialing: 'جارٍ الاتصال…',
    incoming: 'مكالمة واردة',
    ringing: 'يرن…',
    progressing: 'جارٍ التوصيل…',
    connected: 'متصل',
    held: 'قيد الانتظار',
    disconnected: 'انتهت',
    failed: 'فشلت',
  },
  registration: {
    'logged-out': 'تم تسجيل الخروج',
    'logging-in': 'جارٍ تسجيل الدخول…',
    'logged-in': 'جاهز',
    reconnecting: 'جارٍ إعادة الاتصال…',
    'failing-over': 'جارٍ التبديل إلى النظام الاحتياطي…',
    'failed-over': 'جاهز (النظام الاحتياطي)',
    'failing-back': 'جارٍ العودة إلى النظام الرئيسي…',
    error: 'لم يتم تسجيل الدخول',
  },
  callEnded: (name) => `انتهت المكالمة مع ${name}`,
  callsKept: (count) =>
    count === 1
      ? 'تم الاحتفاظ بمكالمتك'
      : count === 2
        ? 'تم الاحتفاظ بمكالمتيك'
        : `تم الاحتفاظ بمكالماتك (${n(count)})`,
  errors: {},
  problems: {
    'host-not-found': (d) =>
      `لم يتم العثور على اسم البوابة «${d.host}». تحقق من عدم وجود خطأ في كتابة الاسم.`,
    unreachable: (d) => `لا شيء يستجيب على ${d.url}. تحقق من رقم المنفذ ومن أن البوابة تعمل.`,
    certificate: (d) =>
      `لا يقبل هذا المتصفح شهادة ${d.url}. افتح ${d.url} مرة واحدة في هذا المتصفح واقبل شهادته، ثم سجّل الدخول مرة أخرى.`,
    'origin-not-allowed': (d) =>
      `البوابة على ${d.url} لا تسمح لهذه الصفحة. اطلب من المسؤول السماح بالمصدر ${d.origin}.`,
    refused: (d) =>
      `يستجيب ${d.url} لكنه رفض اتصال الهاتف. تحقق من أنه عنوان البوابة ومنفذها؛ وإن كان كذلك فاطلب من المسؤول السماح بالمصدر ${d.origin}.`,
    'in-use': (d) =>
      `رقمك الداخلي قيد الاستخدام بالفعل ${where(d) ? `(${where(d)})` : 'في مكان آخر'}. اختر «استخدمه هنا» لنقله إلى هذه الصفحة.`,
    'taken-over': () => 'تم تسجيل خروجك لأن رقمك الداخلي سُجّل دخوله في مكان آخر.',
    'microphone-blocked': () =>
      'لم يسمح المتصفح لهذه الصفحة باستخدام الميكروفون. اسمح بالميكروفون لهذا الموقع (الرمز بجوار شريط العنوان) وتحقق من توصيل ميكروفون، ثم حاول مرة أخرى.',
    'session-ended': () => 'أُعيد تشغيل نظام الهاتف ولم يتمكن من إبقائك مسجّلًا. سجّل الدخول مرة أخرى.',
  },
  useHere: 'استخدمه هنا',
  videos: 'الفيديو',
  remoteVideo: (name) => `فيديو ${name}`,
  localVideo: 'الكاميرا الخاصة بك',
  noVideo: 'لا يوجد فيديو',
  devices: 'الأجهزة',
  microphone: 'الميكروفون',
  camera: 'الكاميرا',
  speaker: 'مكبر الصوت',
  systemDefault: 'الافتراضي للنظام',
  testSpeaker: 'اختبار مكبر الصوت',
  showNames: 'إظهار أسماء الأجهزة',
  setupError: 'خطأ في إعداد الهاتف',
  networkTest: 'اختبار الشبكة',
  startTest: 'اختبار الشبكة',
  stopTest: 'إيقاف الاختبار',
  testProgress: 'تقدم اختبار الشبكة',
  connectingTest: 'جارٍ الاتصال بالبوابة…',
  testFigures: (rtt, jitter, loss) =>
    `زمن الذهاب والإياب ${rtt === null ? '–' : n(rtt)} م.ث، التذبذب ${n(jitter)} م.ث، الفقد ${n(loss, 1)}٪`,
  chartUnits: { delay: 'مللي ثانية', time: 'ثوانٍ', loss: 'الفقد %' },
  chartLimit: 'الحد المناسب للفيديو',
  verdictLimits: (v, o) =>
    `جيدة للصوت والفيديو حتى ${n(v.rtt)} مللي ثانية ذهابًا وإيابًا و${n(v.jitter)} مللي ثانية تذبذبًا و${n(v.loss)} % فقدًا؛ للصوت فقط حتى ${n(o.rtt)} مللي ثانية و${n(o.jitter)} مللي ثانية و${n(o.loss)} %.`,
  passwordNeeded: 'أدخل كلمة المرور لإجراء الاختبار.',
  networkChart: (max) =>
    `مخطط زمن الذهاب والإياب والتذبذب (من ${n(0)} إلى ${n(max)} م.ث) وفقد الحزم (من ${n(0)} إلى ${n(10)}٪) خلال ثواني الاختبار، مع حدود الفيديو كخطوط متقطعة`,
  rtt: 'زمن الذهاب والإياب',
  jitter: 'التذبذب',
  loss: 'الفقد',
  quality: {
    good: 'جودة المكالمة: جيدة',
    fair: 'جودة المكالمة: متوسطة',
    poor: 'جودة المكالمة: ضعيفة',
  },
  qualityWarning: {
    'high-rtt': 'يستغرق الصوت وقتًا طويلًا للوصول: قد تتحدثان في الوقت نفسه.',
    'high-jitter': 'تصل الحزم بشكل غير منتظم: قد يبدو الصوت متقطعًا.',
    'high-loss': 'يُفقد جزء من الصوت في الطريق: قد تسقط بعض الكلمات.',
    'low-mos': 'جودة المكالمة ضعيفة.',
    'no-audio': 'لا يصل أي صوت من الطرف الآخر.',
    silence: 'يصل الصوت لكنه صامت: ربما كتم الطرف الآخر الميكروفون.',
  },
  verdict: {
    good: () => 'جيدة للصوت والفيديو',
    'voice-only': (why) => `جيدة للصوت فقط (${why})`,
    poor: (why) => `ضعيفة: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `فقد ${n(p, 1)}٪ من الحزم`,
    rtt: (ms) => `زمن ذهاب وإياب ${n(ms)} م.ث`,
    jitter: (ms) => `تذبذب ${n(ms)} م.ث`,
  },
  // the phone (issue 9)
  noSessionHint: 'ضع <ipo-phone> داخل <ipo-session gateway="…"> (أو عيّن الخاصية session).',
  decline: 'رفض',
  resume: 'استئناف',
  unmute: 'إلغاء الكتم',
  keypad: 'لوحة المفاتيح',
  incomingVideoCall: 'مكالمة فيديو واردة',
  transferNow: 'تحويل الآن',
  consultFirst: 'استشارة أولاً',
  completeTransfer: 'إتمام التحويل',
  goBack: 'رجوع',
  consulting: (held) => `${held} في الانتظار حتى تُتم التحويل أو ترجع`,
  transferred: (to) => `تم التحويل إلى ${to}`,
  transferredFrom: (n) => `محوّلة من ${n}`,
  nowTalkingTo: (n) => `تم تحويل المكالمة: أنت تتحدث الآن مع ${n}`,
  switchTo: 'تبديل',
  addCall: 'مكالمة أخرى',
  muted: 'الميكروفون مكتوم',
  unmuted: 'الميكروفون يعمل',
  logoutConfirm: (n) =>
    n === 1 ? 'تسجيل الخروج وإنهاء مكالمتك؟' : `تسجيل الخروج وإنهاء مكالماتك (${n})؟`,
  backspace: 'حذف آخر رقم',
};

export default ar;
