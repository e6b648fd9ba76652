/**
 * Every visible string of the kit. English is built in; the shipped languages are in `locales/`
 * (loaded on demand, see shipped.ts), a page adds its own with `registerTranslation()`, and
 * `<template data-ipo-strings>` or an element's `strings` property override single entries.
 * A new key here needs its translation in every file of `locales/` (the typecheck and
 * test/i18n/translations.test.ts fail until then).
 */
import type { CallState, RegistrationState } from '../core/snapshot.js';
import type { IpoErrorCode, IpoErrorDetails, IpoProblem } from '../core/errors.js';
import { PROBLEM_TEXT } from '../core/diagnose.js';
import { formatNumber } from './format.js';

export interface Translation {
  /** BCP 47 language code, e.g. `en` or `pt-BR`. */
  $code: string;
  $dir: 'ltr' | 'rtl';
  phone: string;
  user: string;
  password: string;
  login: string;
  logout: string;
  cancel: string;
  number: string;
  call: string;
  videoCall: string;
  dialpad: string;
  calls: string;
  answer: string;
  reject: string;
  hangup: string;
  hold: string;
  mute: string;
  video: string;
  transfer: string;
  /** Label of the blind-transfer number field. */
  transferNumber: string;
  /** Attended transfer to another of your calls. */
  transferTo: (name: string) => string;
  dismiss: string;
  enableSound: string;
  unknown: string;
  noSession: string;
  loggedInAs: (user: string) => string;
  incomingFrom: (name: string) => string;
  /** A call's state word, e.g. "Calling…". */
  callState: Record<CallState, string>;
  registration: Record<RegistrationState, string>;
  /** Announced when a call ended: name, then the gateway's reason (may be ''). */
  callEnded: (name: string) => string;
  /** Said when the phone is back after a reconnect or failover and its calls were kept. */
  callsKept: (count: number) => string;
  /** Localised IpoError messages by code; without an entry, the error's own English message shows. */
  errors: Partial<Record<IpoErrorCode, string>>;
  /**
   * Errors with a known cause (IpoError `details.problem`): what happened and what to do, with the
   * address, origin or place in `details` (url, host, origin, where, browser, os).
   */
  problems: Record<IpoProblem, (details: IpoErrorDetails) => string>;
  /** Takes the extension over from where it is in use (a forced login). */
  useHere: string;
  videos: string;
  remoteVideo: (name: string) => string;
  localVideo: string;
  noVideo: string;
  devices: string;
  microphone: string;
  camera: string;
  speaker: string;
  systemDefault: string;
  testSpeaker: string;
  showNames: string;
  setupError: string;
  networkTest: string;
  startTest: string;
  stopTest: string;
  testProgress: string;
  connectingTest: string;
  /** Live line while the test runs (ms, ms, percent). */
  testFigures: (rtt: number | null, jitter: number, loss: number) => string;
  /** The chart's accessible name; `max` is the top of its scale in ms. */
  networkChart: (max: number) => string;
  /** The chart's axis titles: delay (left, ms), time (bottom, s), loss (right, %). */
  chartUnits: { delay: string; time: string; loss: string };
  /** Legend entry of the dashed lines: the limits of "good for voice and video". */
  chartLimit: string;
  /** The thresholds behind the verdict, under the chart (ms, ms, percent). */
  verdictLimits: (
    video: { rtt: number; jitter: number; loss: number },
    voice: { rtt: number; jitter: number; loss: number },
  ) => string;
  /** After the session's token was refused: the password is needed after all. */
  passwordNeeded: string;
  rtt: string;
  jitter: string;
  loss: string;
  /** A call's quality indicator (accessible name). */
  quality: Record<'good' | 'fair' | 'poor', string>;
  /** Said once when a call gets a quality warning, by warning code. */
  qualityWarning: Record<string, string>;
  /** The verdict sentence, with the reason (may be '' when good). */
  verdict: Record<'good' | 'voice-only' | 'poor', (reason: string) => string>;
  /** The parts of a verdict's reason: the figure that is over its limit (joined as a list). */
  verdictWhy: {
    loss: (percent: number) => string;
    rtt: (ms: number) => string;
    jitter: (ms: number) => string;
  };
  // ----- the phone (issue 9) -----
  /** Shown when `<ipo-phone>` finds no session. */
  noSessionHint: string;
  decline: string;
  resume: string;
  unmute: string;
  keypad: string;
  incomingVideoCall: string;
  /** Blind transfer. */
  transferNow: string;
  /** Attended transfer: call the target first. */
  consultFirst: string;
  completeTransfer: string;
  goBack: string;
  /** Shown while consulting: the target, and the call waiting on hold. */
  consulting: (held: string) => string;
  /** After a transfer from here. */
  transferred: (target: string) => string;
  /** On a call the other side transferred to you. */
  transferredFrom: (name: string) => string;
  /** Said when the other side transferred the call. */
  nowTalkingTo: (name: string) => string;
  switchTo: string;
  addCall: string;
  muted: string;
  unmuted: string;
  /** Asked before logging out with calls up. */
  logoutConfirm: (calls: number) => string;
  backspace: string;
}

const n = (value: number, digits = 0): string =>
  formatNumber('en', value, { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const en: Translation = {
  $code: 'en',
  $dir: 'ltr',
  phone: 'Phone',
  user: 'Extension',
  password: 'Password',
  login: 'Log in',
  logout: 'Log out',
  cancel: 'Cancel',
  number: 'Number',
  call: 'Call',
  videoCall: 'Video call',
  dialpad: 'Dial pad',
  calls: 'Calls',
  answer: 'Answer',
  reject: 'Reject',
  hangup: 'Hang up',
  hold: 'Hold',
  mute: 'Mute',
  video: 'Video',
  transfer: 'Transfer',
  transferNumber: 'Transfer to number',
  transferTo: (n) => `Transfer to ${n}`,
  dismiss: 'Dismiss',
  enableSound: 'Incoming call: click to enable sound',
  unknown: 'Unknown',
  noSession: 'No phone system configured',
  loggedInAs: (u) => `Logged in as ${u}`,
  incomingFrom: (n) => `Incoming call from ${n}`,
  callState: {
    dialing: 'Calling…',
    incoming: 'Incoming call',
    ringing: 'Ringing…',
    progressing: 'Connecting…',
    connected: 'Connected',
    held: 'On hold',
    disconnected: 'Ended',
    failed: 'Failed',
  },
  registration: {
    'logged-out': 'Logged out',
    'logging-in': 'Logging in…',
    'logged-in': 'Ready',
    reconnecting: 'Reconnecting…',
    'failing-over': 'Switching to backup…',
    'failed-over': 'Ready (backup)',
    'failing-back': 'Switching back…',
    error: 'Not logged in',
  },
  callEnded: (n) => `Call with ${n} ended`,
  callsKept: (n) => (n === 1 ? 'Your call was kept' : `Your ${n} calls were kept`),
  errors: {},
  problems: PROBLEM_TEXT,
  useHere: 'Use it here',
  videos: 'Video',
  remoteVideo: (n) => `Video of ${n}`,
  localVideo: 'Your camera',
  noVideo: 'No video',
  devices: 'Devices',
  microphone: 'Microphone',
  camera: 'Camera',
  speaker: 'Speaker',
  systemDefault: 'System default',
  testSpeaker: 'Test speaker',
  showNames: 'Show device names',
  setupError: 'Phone setup error',
  networkTest: 'Network test',
  startTest: 'Test network',
  stopTest: 'Stop test',
  testProgress: 'Network test progress',
  connectingTest: 'Connecting to the gateway…',
  testFigures: (rtt, jitter, loss) =>
    `Round trip ${rtt === null ? '–' : n(rtt)} ms, jitter ${n(jitter)} ms, loss ${n(loss, 1)} %`,
  chartUnits: { delay: 'ms', time: 'seconds', loss: 'loss %' },
  chartLimit: 'Limit for video',
  verdictLimits: (v, o) =>
    `Good for voice and video up to ${n(v.rtt)} ms round trip, ${n(v.jitter)} ms jitter and ${n(v.loss)} % loss; voice only up to ${n(o.rtt)} ms, ${n(o.jitter)} ms and ${n(o.loss)} %.`,
  passwordNeeded: 'Enter your password to run the test.',
  networkChart: (max) =>
    `Chart of round-trip time and jitter (0 to ${max} ms) and packet loss (0 to 10 %) over the seconds of the test, with the limits for video as dashed lines`,
  rtt: 'Round trip',
  jitter: 'Jitter',
  loss: 'Loss',
  quality: { good: 'Call quality: good', fair: 'Call quality: fair', poor: 'Call quality: poor' },
  qualityWarning: {
    'high-rtt': 'Sound takes long to travel: you may talk over each other.',
    'high-jitter': 'Packets arrive unevenly: voice may sound choppy.',
    'high-loss': 'Some audio is lost on the way: words may drop out.',
    'low-mos': 'Call quality is poor.',
    'no-audio': 'No audio is arriving from the other party.',
    silence: 'Audio arrives but it is silent: the other party may be muted.',
  },
  verdict: {
    good: () => 'Good for voice and video',
    'voice-only': (why) => `Good for voice only (${why})`,
    poor: (why) => `Poor: ${why}`,
  },
  verdictWhy: {
    loss: (p) => `${n(p, 1)} % packet loss`,
    rtt: (ms) => `${n(ms)} ms round trip`,
    jitter: (ms) => `${n(ms)} ms jitter`,
  },
  noSessionHint: 'Put <ipo-phone> inside <ipo-session gateway="…"> (or set its session property).',
  decline: 'Decline',
  resume: 'Resume',
  unmute: 'Unmute',
  keypad: 'Keypad',
  incomingVideoCall: 'Incoming video call',
  transferNow: 'Transfer now',
  consultFirst: 'Consult first',
  completeTransfer: 'Complete transfer',
  goBack: 'Go back',
  consulting: (held) => `${held} is on hold until you complete the transfer or go back`,
  transferred: (to) => `Transferred to ${to}`,
  transferredFrom: (n) => `Transferred from ${n}`,
  nowTalkingTo: (n) => `Call transferred: you are now talking to ${n}`,
  switchTo: 'Switch',
  addCall: 'Add call',
  muted: 'Microphone muted',
  unmuted: 'Microphone on',
  logoutConfirm: (n) =>
    n === 1 ? 'Log out and end your call?' : `Log out and end your ${n} calls?`,
  backspace: 'Delete last digit',
};
