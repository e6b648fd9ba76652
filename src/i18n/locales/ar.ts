/** Arabic (Modern Standard Arabic), right to left. */
import type { Translation } from '../translation.js';

const n = (value: number, digits = 0): string =>
  value.toLocaleString('ar', { minimumFractionDigits: digits, maximumFractionDigits: digits });

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
  networkChart: (max) =>
    `مخطط زمن الذهاب والإياب والتذبذب (من ${n(0)} إلى ${n(max)} م.ث) وفقد الحزم، نقطة واحدة في الثانية`,
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
};

export default ar;
