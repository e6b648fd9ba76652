/**
 * Page instrumentation for the SDK suites. Imported (by support.ts) BEFORE the SDK, so that the
 * SDK can only ever see the wrapped constructors, whether it reads them at load time or per call:
 *
 * - every RTCPeerConnection the page creates is recorded (to find a call's connection for
 *   standard `pc.getStats()` probes, and to assert "no open peer connections" after logout);
 * - every track handed out by getUserMedia (and every clone of one) is recorded, to assert they
 *   all end (microphone and camera released);
 * - every media element a stream is attached to is recorded (audio output routing);
 * - every WebSocket is recorded (local login checks must not touch the network; logout closes it);
 * - uncaught errors and unhandled rejections are recorded: no SDK callback path may throw into
 *   the page.
 */

export interface RecordedPc {
  pc: RTCPeerConnection;
  created: number;
}

export const peerConnections: RecordedPc[] = [];
/** tracks getUserMedia handed out (devices opened) */
export const gumTracks: MediaStreamTrack[] = [];
/** clones of those tracks (each must end too) */
export const clonedTracks: MediaStreamTrack[] = [];
/** every media element a stream was attached to (in the document or not) */
export const mediaElements: HTMLMediaElement[] = [];
export const sockets: WebSocket[] = [];
export const pageErrors: string[] = [];

const NativePC = window.RTCPeerConnection;
class RecordingPeerConnection extends NativePC {
  constructor(config?: RTCConfiguration) {
    super(config);
    peerConnections.push({ pc: this, created: performance.now() });
  }
}
Object.defineProperty(RecordingPeerConnection, 'name', { value: 'RTCPeerConnection' });
(window as unknown as { RTCPeerConnection: typeof RTCPeerConnection }).RTCPeerConnection =
  RecordingPeerConnection;
if ('webkitRTCPeerConnection' in window) {
  (
    window as unknown as { webkitRTCPeerConnection: typeof RTCPeerConnection }
  ).webkitRTCPeerConnection = RecordingPeerConnection;
}

/** getUserMedia as the browser provides it (for test-side probes that must not be recorded). */
export const nativeGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
  const stream = await nativeGetUserMedia(constraints);
  gumTracks.push(...stream.getTracks());
  return stream;
};
const nativeClone = MediaStreamTrack.prototype.clone;
MediaStreamTrack.prototype.clone = function clone(this: MediaStreamTrack) {
  const copy = nativeClone.call(this);
  if (gumTracks.includes(this) || clonedTracks.includes(this)) clonedTracks.push(copy);
  return copy;
};

const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
  ...srcObject,
  set(this: HTMLMediaElement, value: MediaProvider | null) {
    if (value && !mediaElements.includes(this)) mediaElements.push(this);
    srcObject.set!.call(this, value);
  },
});

const NativeWS = window.WebSocket;
class RecordingWebSocket extends NativeWS {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }
}
Object.defineProperty(RecordingWebSocket, 'name', { value: 'WebSocket' });
(window as unknown as { WebSocket: typeof WebSocket }).WebSocket = RecordingWebSocket;

window.addEventListener('error', (ev) => {
  pageErrors.push(`error: ${ev.message} (${ev.filename}:${ev.lineno})`);
});
window.addEventListener('unhandledrejection', (ev) => {
  const r = ev.reason as { stack?: string; message?: string } | undefined;
  pageErrors.push(`unhandledrejection: ${r?.stack ?? r?.message ?? String(ev.reason)}`);
});
