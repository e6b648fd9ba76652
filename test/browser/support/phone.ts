/**
 * A minimal browser-side protocol client for gateway tests: one WebSocket speaking D11 and one
 * real RTCPeerConnection per call, using the fake microphone. Written from the spec, independent
 * of src/sdk, so the gateway is proven with real Chromium media and no SDK in between.
 */
export interface GatewayInfo {
  host: string;
  port: number;
  url: string;
  password: string;
  adminToken: string;
}

let info: Promise<GatewayInfo> | null = null;

/** The address and test secrets of this run's gateway (served by web-test-runner.config.mjs). */
export function gatewayInfo(): Promise<GatewayInfo> {
  info ??= fetch('/__gateway.json').then((r) => r.json() as Promise<GatewayInfo>);
  return info;
}

type Frame = {
  protocol: string;
  id: string;
  service: string;
  msgname: string;
  params: Record<string, unknown>;
};

export class TestPhone {
  readonly frames: Frame[] = [];
  readonly pcs = new Map<string, RTCPeerConnection>();
  #waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  #stream: MediaStream | null = null;
  #players: HTMLAudioElement[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (ev) => {
      if (ev.data === 'keepalive') return;
      const frame = JSON.parse(ev.data as string) as Frame;
      this.frames.push(frame);
      // like any client: a call that ended releases its peer connection
      if (frame.msgname === 'CallDisconnected')
        this.pcs.get(frame.params.callId as string)?.close();
      this.#waiters = this.#waiters.filter((w) =>
        w.match(frame) ? (w.resolve(frame), false) : true,
      );
    });
  }

  static async connect(info: GatewayInfo): Promise<TestPhone> {
    const ws = new WebSocket(`wss://${info.host}/SignalGateway/connect`, [
      'jsonrpc',
      'jsonrpc-3.0',
    ]);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error('socket failed')), { once: true });
    });
    return new TestPhone(ws);
  }

  send(msgname: string, params: unknown): string {
    const id = crypto.randomUUID();
    this.ws.send(
      JSON.stringify({ protocol: 'jsonrpc-3.0.0', id, service: 'phoneservice', msgname, params }),
    );
    return id;
  }

  /** Resolves with the first frame (already received or future) that matches. */
  next(msgname: string, callId?: string, timeoutMs = 15_000): Promise<Frame> {
    const match = (f: Frame) =>
      f.msgname === msgname && (callId === undefined || f.params.callId === callId);
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${msgname}`)),
        timeoutMs,
      );
      this.#waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  /** The next frame of that name that arrives after this call (ignores earlier ones). */
  nextNew(msgname: string, callId?: string, timeoutMs = 15_000): Promise<Frame> {
    const before = this.frames.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for a new ${msgname}`)),
        timeoutMs,
      );
      const match = (f: Frame) =>
        this.frames.indexOf(f) >= before &&
        f.msgname === msgname &&
        (callId === undefined || f.params.callId === callId);
      this.#waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  async login(user: string, password: string): Promise<Frame> {
    this.send('getGatewaySettings', { type: 'all' });
    this.send('login', {
      applicationID: 'gateway-browser-test',
      applicationUA: 'gateway-browser-test/1',
      applicationInstanceID: Math.floor(Math.random() * 2 ** 32),
      userID: user,
      authType: 'password',
      password,
      authToken: null,
      bumpConnection: true,
    });
    return this.next('loginResponse');
  }

  async #mic(): Promise<MediaStream> {
    this.#stream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    return this.#stream;
  }

  async #pc(callId: string): Promise<RTCPeerConnection> {
    const pc = new RTCPeerConnection({ iceServers: [] });
    // Chromium decodes (and reports audioLevel for) received audio only while something plays it.
    pc.addEventListener('track', (ev) => {
      const audio = new Audio();
      audio.srcObject = ev.streams[0] ?? new MediaStream([ev.track]);
      void audio.play().catch(() => undefined);
      this.#players.push(audio);
    });
    for (const track of (await this.#mic()).getTracks()) pc.addTrack(track, await this.#mic());
    this.pcs.set(callId, pc);
    return pc;
  }

  async call(target: string): Promise<string> {
    const callId = `${crypto.randomUUID()}@test`;
    const pc = await this.#pc(callId);
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    this.send('makeCall', { target, callId, sdp: pc.localDescription!.sdp });
    void this.next('CallConnected', callId, 30_000).then((f) =>
      pc.setRemoteDescription({ type: 'answer', sdp: f.params.sdp as string }),
    );
    return callId;
  }

  async answer(incoming: Frame): Promise<string> {
    const callId = incoming.params.callId as string;
    const pc = await this.#pc(callId);
    await pc.setRemoteDescription({ type: 'offer', sdp: incoming.params.sdp as string });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    this.send('answerCall', { callId, sdp: pc.localDescription!.sdp });
    await this.next('CallConnected', callId);
    return callId;
  }

  /** Answers a gateway offer on an existing call (MediaUpdateRequest). */
  async acceptMediaUpdate(request: Frame): Promise<void> {
    const callId = request.params.callId as string;
    const sdp = request.params.sdp as string;
    let pc = this.pcs.get(callId)!;
    // a new far end (the gateway's bridge after a transfer) is a new DTLS association: like the
    // SDK, a new peer connection (Firefox makes no new handshake on the old one)
    const fp = (d?: string) => /^a=fingerprint:(.+)$/m.exec(d ?? '')?.[1]?.trim();
    if (fp(pc.currentRemoteDescription?.sdp) !== fp(sdp)) {
      pc.close();
      pc = await this.#pc(callId);
    }
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    this.send('acceptMediaUpdateRequest', { callId, sdp: pc.localDescription!.sdp });
  }

  close(): void {
    for (const pc of this.pcs.values()) pc.close();
    for (const audio of this.#players) audio.srcObject = null;
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.ws.close();
  }
}

/**
 * Resolves when the local description is complete: gathering finished AND candidates present.
 * After an ICE restart (a renegotiation with new remote credentials) Chromium still reports the
 * previous 'complete' state for a moment, so the state alone is not enough.
 */
export function gathered(pc: RTCPeerConnection): Promise<void> {
  const done = () =>
    pc.iceGatheringState === 'complete' && /\r\na=candidate:/.test(pc.localDescription?.sdp ?? '');
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** Audio packets received and the current audio level on a peer connection. */
export async function inboundAudio(
  pc: RTCPeerConnection,
): Promise<{ packets: number; level: number }> {
  let packets = 0;
  let level = 0;
  (await pc.getStats()).forEach(
    (s: { type: string; kind?: string; packetsReceived?: number; audioLevel?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        packets += s.packetsReceived ?? 0;
        level = Math.max(level, s.audioLevel ?? 0);
      }
    },
  );
  return { packets, level };
}

/**
 * Resolves once the inbound audio packet count has grown by `delta` over its value at the call,
 * checked on each stats poll (polling the standard stats API is the only way to observe it).
 */
export async function audioFlows(
  pc: RTCPeerConnection,
  delta = 50,
  timeoutMs = 15_000,
): Promise<{ packets: number; level: number }> {
  const start = (await inboundAudio(pc)).packets;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const now = await inboundAudio(pc);
    if (now.packets - start >= delta && now.level > 0) return now;
    if (performance.now() > deadline)
      throw new Error(`audio did not flow: ${now.packets - start} new packets, level ${now.level}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
