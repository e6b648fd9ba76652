/**
 * Media anchor for transfers (gateway-protocol §6.7, §6.9, §7).
 *
 * Normal calls are browser↔browser and the gateway only relays SDP. When a transfer joins two
 * browsers that never negotiated with each other, neither can be asked for an offer, so the
 * gateway makes the offers itself: a MediaBridge owns two werift PeerConnections ("legs"), one
 * per browser, each with a complete (non-trickle) offer, and relays RTP between them.
 *
 * Design notes (werift 0.24):
 * - Forwarding taps each leg's DTLS transport (`onRtp`/`onRtcp`) instead of werift's receiver
 *   tracks: werift routes incoming RTP by the SSRCs signalled in the answer and silently drops
 *   anything else, while the transport sees every decrypted packet. With BUNDLE the payload
 *   type alone identifies the m-section, so classification is by PT.
 * - `RTCRtpSender.sendRtp()` stamps every packet with the sender's *first* negotiated codec, so
 *   DTMF (telephone-event) would go out as opus. We set `sender.codec` to the target codec just
 *   for the synchronous part of that call (see `Leg.send`), which keeps werift's SSRC, SR and
 *   NACK-retransmission handling.
 * - Legs are ICE-lite by default, so browsers nominate (see `BridgeOptions.iceLite`).
 * - werift delivers PLI/FIR to its *receiver* when the feedback's sender SSRC is known (always,
 *   with Chrome), so the sender's `onPictureLossIndication` is unreliable; we read PSFB packets
 *   off the transport ourselves.
 */
import {
  MediaStream,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtcpPayloadSpecificFeedback,
  SessionDescription,
  type RTCDtlsTransport,
  type RTCRtpTransceiver,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';

export type BridgeLog = (event: string, fields: Record<string, unknown>) => void;

/** Per-leg overrides, e.g. to match what an existing browser session already uses. */
export interface LegOptions {
  /** Offer a video section on this leg (default: BridgeOptions.video). */
  video?: boolean;
  /** PT for telephone-event/8000 on this leg (default: BridgeOptions.dtmfPayloadType). */
  dtmfPayloadType?: number;
  /**
   * The browser's complete offer: this leg answers it instead of offering (its `offer` is then
   * the answer to send back). Used by the relay service's leg A.
   */
  answer?: string;
}

export interface BridgeOptions {
  video: boolean;
  /**
   * Bind ICE to these addresses only (host candidates for exactly these; the UDP sockets are
   * bound to the address when there is one per family). Default `['127.0.0.1']`, right for a
   * gateway on loopback. `[]` means: every IPv4 interface address, sockets on the wildcard.
   */
  iceAdditionalHostAddresses?: string[];
  /** default 101 (the AWL client's `codec.dtmfPayLoad` default, §7.4) */
  dtmfPayloadType?: number;
  legs?: { a?: LegOptions; b?: LegOptions };
  /**
   * Advertise ICE-lite (default true), so the browser is the controlling agent and nominates.
   * Needed for the re-offer to an existing Chrome PeerConnection that was the ICE-controlled,
   * DTLS-client side of its call (the called party): as a full controlling agent we nominate the
   * new pair, but Chrome (Chromium 156) keeps using its old, already nominated pair and only
   * sends its DTLS ClientHello to us once that pair times out (~6 s after the old peer closed;
   * never while it stays up). As controlling agent it switches at once.
   * Measured after the candidate-generation fix (see `withoutCandidateGenerations`), the blind
   * transfer browser test connects that leg ~6.4 s after the offer in either mode. ICE-lite, per
   * Chrome's log: the old peer has closed but its pair still looks writable, so Chrome checks the
   * new pair only at its 2.5 s stable-ping interval, switches after its 1 s delay and sends
   * USE-CANDIDATE on its next 2.5 s ping.
   */
  iceLite?: boolean;
  /** Cap on ICE gathering per leg; the offer carries what was gathered by then. Default 5000. */
  gatherTimeoutMs?: number;
  /** Structured events; never receives SDP, ICE credentials or fingerprints. */
  log?: BridgeLog;
  /**
   * Impairment for tests and demos: the share (0–1) of received RTP packets each leg drops at
   * random instead of forwarding, as a lossy network would. Default 0.
   */
  loss?: number;
}

export interface LegStats {
  /** RTP packets received from this leg's browser */
  rtpIn: number;
  /** RTP packets sent to this leg's browser */
  rtpOut: number;
  /** packets from this leg's browser that could not be forwarded (unknown PT, other leg cannot take the codec or is not connected) */
  dropped: number;
  /** keyframe requests from this leg's browser passed on to the other browser */
  keyframeRequests: number;
  /** packets dropped on purpose to impair the path (BridgeOptions.loss) */
  impaired: number;
  connected: boolean;
  /** our DTLS role on this leg once the answer is applied: `client` if the browser answered passive */
  dtlsRole?: 'client' | 'server';
}

export interface BridgeLeg {
  /** Complete SDP offer (all candidates gathered, a=setup:actpass, opus/48000/2 + PCMU + telephone-event/8000 on dtmfPayloadType, VP8 when video) to send to the browser. */
  readonly offer: string;
  /** Apply the browser's answer. Rejects with a clear Error on an invalid answer. */
  accept(answerSdp: string): Promise<void>;
  /** Counters for tests and logs. */
  stats(): LegStats;
}

export type Kind = 'audio' | 'video';
const OPUS_PT = 111; // Chrome's own numbers, so a re-offer to an existing Chrome session keeps its PT map
const PCMU_PT = 0;
const DEFAULT_GATHER_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10000;
const PSFB_PLI = 1; // RFC 4585 FMT values
const PSFB_FIR = 4;

export const codecKey = (c: { mimeType: string; clockRate: number }): string =>
  `${c.mimeType.toLowerCase()}/${c.clockRate}`;

export function audioCodecs(dtmfPt: number): RTCRtpCodecParameters[] {
  return [
    new RTCRtpCodecParameters({
      mimeType: 'audio/opus',
      clockRate: 48000,
      channels: 2,
      payloadType: OPUS_PT,
      parameters: 'minptime=10;useinbandfec=1',
    }),
    new RTCRtpCodecParameters({
      mimeType: 'audio/PCMU',
      clockRate: 8000,
      channels: 1,
      payloadType: PCMU_PT,
    }),
    new RTCRtpCodecParameters({
      mimeType: 'audio/telephone-event',
      clockRate: 8000,
      channels: 1,
      payloadType: dtmfPt,
      parameters: '0-16',
    }),
  ];
}

export function videoCodecs(dtmfPt: number): RTCRtpCodecParameters[] {
  // PTs must be unique across the BUNDLE group; VP8 is 96 like Chrome unless DTMF took it.
  const pt = dtmfPt === 96 ? 97 : 96;
  return [
    new RTCRtpCodecParameters({
      mimeType: 'video/VP8',
      clockRate: 90000,
      payloadType: pt,
      rtcpFeedback: [
        { type: 'nack' },
        { type: 'nack', parameter: 'pli' },
        { type: 'ccm', parameter: 'fir' },
      ],
    }),
  ];
}

function checkDtmfPt(pt: number): number {
  if (!Number.isInteger(pt) || pt < 96 || pt > 127 || pt === OPUS_PT) {
    throw new RangeError(
      `dtmfPayloadType must be a dynamic payload type (96-127) other than ${OPUS_PT}`,
    );
  }
  return pt;
}

function checkLoss(loss = 0): number {
  if (!(loss >= 0 && loss <= 1)) throw new RangeError('loss must be a share from 0 to 1');
  return loss;
}

/** ICE settings that gather host candidates for exactly `addresses` (none: all IPv4 interfaces). */
export function iceConfig(addresses: string[]) {
  if (addresses.length === 0) return { iceUseIpv4: true, iceUseIpv6: false };
  const v4 = addresses.filter((a) => !a.includes(':'));
  const v6 = addresses.filter((a) => a.includes(':'));
  return {
    // werift gathers interface addresses per enabled family, then adds the "additional" ones;
    // with both families off only ours remain.
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: addresses,
    // With one address per family the sockets can be bound to it; werift takes one per family.
    iceInterfaceAddresses: {
      ...(v4.length === 1 ? { udp4: v4[0] } : {}),
      ...(v6.length === 1 ? { udp6: v6[0] } : {}),
    },
  };
}

/**
 * Drop the `generation N` extension from the answer's candidate lines.
 *
 * werift (0.24, `Connection.checkComplete` in ice/src/ice.ts) selects a nominated pair only if
 * its remote candidate has no generation or the generation equals werift's *own* ICE generation
 * (its local restart count). The two counters are unrelated. A browser counts its own ICE
 * restarts: the existing Chrome PeerConnection that answers a MediaUpdateRequest restarts ICE,
 * so its candidates say `generation 1` (or more), while a fresh leg is at generation 0. The
 * pair then succeeds and is nominated by the browser (USE-CANDIDATE, answered with success),
 * but werift never selects it: ICE stays `checking`, our DTLS transport never starts, the
 * browser's ClientHellos are dropped, and the leg stays `connecting` for good. A peer-reflexive
 * pair has no generation, which is why an answer sent before gathering (no candidates) connected.
 * The ufrag/pwd already tell the generations apart (RFC 8839 has no generation attribute), and
 * the bridge never restarts ICE, so the remote counter carries nothing we need.
 */
export function withoutCandidateGenerations(sdp: string): string {
  return sdp.replace(/^(a=candidate:[^\r\n]*?) generation \d+/gm, '$1');
}

/**
 * `a=ice-lite` is a session-level attribute (RFC 8839 §5.3), but werift writes it into each media
 * section. Chromium reads it there too; Firefox only at session level, so it takes the
 * controlled role as well and answers every check with 487 Role Conflict. One line at session
 * level, none below.
 */
export function iceLiteAtSessionLevel(sdp: string): string {
  if (!/^a=ice-lite\r?$/m.test(sdp)) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol).filter((l) => l !== 'a=ice-lite');
  const firstMedia = lines.findIndex((l) => l.startsWith('m='));
  lines.splice(firstMedia < 0 ? lines.length : firstMedia, 0, 'a=ice-lite');
  return lines.join(eol);
}

interface MediaRoute {
  transceiver: RTCRtpTransceiver;
  /** negotiated incoming PT → codec key */
  inbound: Map<number, string>;
  /** codec key → negotiated codec to send with */
  outbound: Map<string, RTCRtpCodecParameters>;
  /** the browser accepts media from us on this section */
  canSend: boolean;
  /** last SSRC the browser sent on this section (target of keyframe requests) */
  remoteSsrc?: number;
}

export const TIMED_OUT = Symbol('timed out');

/** `p`, or TIMED_OUT after `ms`; never leaves a timer behind. */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(resolve, ms, TIMED_OUT))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class Leg implements BridgeLeg {
  offer = '';
  peer!: Leg;
  /** sees every packet this leg's browser sends, with its codec key (DTMF read-back) */
  tap?: (kind: Kind, key: string, rtp: RtpPacket) => void;
  /** forward nothing to the peer (a leg that only listens) */
  mute = false;
  /** share of received packets dropped on purpose (BridgeOptions.loss) */
  loss = 0;
  private readonly offered = new Map<Kind, Map<number, string>>(); // PT → codec key, per section
  private readonly routes = new Map<Kind, MediaRoute>();
  private transport?: RTCDtlsTransport;
  private state: 'offered' | 'accepting' | 'accepted' | 'closed' = 'offered';
  private counters = { rtpIn: 0, rtpOut: 0, dropped: 0, impaired: 0, keyframeRequests: 0 };
  private readonly startedAt = Date.now();
  readonly connectedPromise: Promise<void>;
  private failConnect: (err: Error) => void = () => {};

  constructor(
    readonly name: 'a' | 'b',
    readonly pc: RTCPeerConnection,
    kinds: Kind[],
    codecs: { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] },
    private readonly log: BridgeLog,
  ) {
    for (const kind of kinds)
      this.offered.set(kind, new Map(codecs[kind].map((c) => [c.payloadType, codecKey(c)])));
    this.connectedPromise = new Promise<void>((resolve, reject) => {
      this.failConnect = reject; // no-op once settled
      const { unSubscribe } = pc.connectionStateChange.subscribe((s) => {
        this.log('bridge.leg.state', { leg: name, state: s });
        if (s === 'connected') {
          unSubscribe();
          this.log('bridge.leg.connected', {
            leg: name,
            ms: Date.now() - this.startedAt,
            dtlsRole: this.transport?.role,
          });
          this.peer.requestKeyframe(); // our browser's decoder starts mid-stream
          resolve();
        } else if (s === 'failed' || s === 'closed') {
          unSubscribe();
          reject(new Error(`bridge leg ${name} ${s}`));
        }
      });
    });
    this.connectedPromise.catch(() => {});
  }

  get connected(): boolean {
    return this.pc.connectionState === 'connected' && this.transport?.state === 'connected';
  }

  stats(): LegStats {
    const role = this.transport?.role;
    return {
      ...this.counters,
      connected: this.connected,
      ...(role === 'client' || role === 'server' ? { dtlsRole: role } : {}),
    };
  }

  async accept(answerSdp: string): Promise<void> {
    if (this.state !== 'offered')
      throw new Error(`bridge leg ${this.name}: cannot accept an answer (${this.state})`);
    const { sdp, rejected } = this.validate(answerSdp);
    this.state = 'accepting';
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (err) {
      this.state = 'offered';
      throw new Error(
        `bridge leg ${this.name}: answer rejected: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (this.state !== 'accepting')
      throw new Error(`bridge leg ${this.name}: closed while applying the answer`);
    for (const t of this.pc.getTransceivers()) {
      const kind = t.kind as Kind;
      const offered = this.offered.get(kind);
      if (!offered || t.stopped || rejected.has(t.mid ?? '')) continue;
      // werift keeps the answer's codecs matched by MIME type only; keep those on the PT we offered.
      const codecs = t.codecs.filter((c) => offered.get(c.payloadType) === codecKey(c));
      const dir = t.currentDirection ?? 'inactive';
      this.routes.set(kind, {
        transceiver: t,
        inbound: new Map(codecs.map((c) => [c.payloadType, codecKey(c)])),
        outbound: new Map(codecs.map((c) => [codecKey(c), c])),
        canSend: dir === 'sendrecv' || dir === 'sendonly',
      });
    }
    this.listen();
    this.state = 'accepted';
    this.log('bridge.leg.accepted', {
      leg: this.name,
      sections: [...this.routes].map(([kind, r]) => ({
        kind,
        codecs: [...r.outbound.keys()],
        send: r.canSend,
      })),
    });
  }

  private listen(): void {
    this.transport = this.pc.getTransceivers()[0]!.dtlsTransport; // BUNDLE: one transport for all sections
    this.transport.onRtp.subscribe((rtp) => this.onRtp(rtp));
    this.transport.onRtcp.subscribe((rtcp) => this.onRtcp(rtcp));
  }

  /**
   * Answer mode: this leg answers the browser's complete offer (a test call, the relay's leg A).
   * Returns the complete answer (candidates gathered, capped at `gatherMs`).
   */
  async answerOffer(offerSdp: string, gatherMs = DEFAULT_GATHER_TIMEOUT_MS): Promise<string> {
    if (this.state !== 'offered' || this.offer)
      throw new Error(`bridge leg ${this.name}: cannot answer (${this.state})`);
    const fail = (why: string): never => {
      throw new Error(`bridge leg ${this.name}: invalid SDP offer: ${why}`);
    };
    if (typeof offerSdp !== 'string' || !/^v=0\r?\n/.test(offerSdp)) fail('not an SDP body');
    const sdp = withoutCandidateGenerations(offerSdp);
    let parsed: SessionDescription;
    try {
      parsed = SessionDescription.parse(sdp);
    } catch {
      return fail('unparsable');
    }
    const audio = parsed.media.find((m) => m.kind === 'audio' && m.port !== 0);
    if (!audio) fail('no audio section');
    if (
      !audio!.rtp.codecs.some((c) => ['audio/opus/48000', 'audio/pcmu/8000'].includes(codecKey(c)))
    )
      fail('audio has neither opus nor PCMU');
    this.state = 'accepting';
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp });
      for (const t of this.pc.getTransceivers())
        if (t.kind === 'audio' || t.kind === 'video') t.setDirection('sendrecv');
      const made = this.pc.createAnswer().then((a) => this.pc.setLocalDescription(a));
      if ((await within(made, gatherMs)) === TIMED_OUT) made.catch(() => {});
    } catch (err) {
      this.state = 'offered';
      throw new Error(
        `bridge leg ${this.name}: offer rejected: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const answer = this.pc.localDescription?.sdp;
    if (!answer || !/^a=candidate:/m.test(answer))
      throw new Error(`bridge leg ${this.name}: no ICE candidates gathered`);
    if (this.state !== 'accepting')
      throw new Error(`bridge leg ${this.name}: closed while answering`);
    this.offer = iceLiteAtSessionLevel(answer);
    for (const m of SessionDescription.parse(answer).media) {
      if (m.kind === 'audio' || m.kind === 'video')
        this.offered.set(m.kind, new Map(m.rtp.codecs.map((c) => [c.payloadType, codecKey(c)])));
    }
    for (const t of this.pc.getTransceivers()) {
      const kind = t.kind as Kind;
      const offered = this.offered.get(kind);
      if (!offered || t.stopped) continue;
      const codecs = t.codecs.filter((c) => offered.get(c.payloadType) === codecKey(c));
      this.routes.set(kind, {
        transceiver: t,
        inbound: new Map(codecs.map((c) => [c.payloadType, codecKey(c)])),
        outbound: new Map(codecs.map((c) => [codecKey(c), c])),
        canSend: /sendrecv|sendonly/.test(t.currentDirection ?? t.direction),
      });
    }
    this.listen();
    this.state = 'accepted';
    this.log('bridge.leg.answered', {
      leg: this.name,
      sections: [...this.routes].map(([kind, r]) => ({ kind, codecs: [...r.outbound.keys()] })),
    });
    return answer;
  }

  /** Structural checks before werift sees the answer; returns the SDP to apply and the mids it rejected (port 0). */
  private validate(answerSdp: string): { sdp: string; rejected: Set<string> } {
    const fail = (why: string): never => {
      throw new Error(`bridge leg ${this.name}: invalid SDP answer: ${why}`);
    };
    if (typeof answerSdp !== 'string' || !/^v=0\r?\n/.test(answerSdp)) fail('not an SDP body');
    if (/^a=setup:(actpass|holdconn)/m.test(answerSdp))
      fail('a=setup must be active or passive in an answer');
    // RFC 4145: an answer without a=setup means active. werift ignores fingerprints without it.
    const withSetup = /^a=setup:/m.test(answerSdp)
      ? answerSdp
      : answerSdp.replace(/^(t=.*\r?\n)/m, '$1a=setup:active\r\n');
    const sdp = withoutCandidateGenerations(withSetup);
    let parsed: SessionDescription;
    try {
      parsed = SessionDescription.parse(sdp);
    } catch {
      return fail('unparsable');
    }
    const offeredMedia = SessionDescription.parse(this.offer).media;
    if (parsed.media.length !== offeredMedia.length)
      fail(`${parsed.media.length} m-sections, offer has ${offeredMedia.length}`);
    parsed.media.forEach((m, i) => {
      const o = offeredMedia[i]!;
      if (m.kind !== o.kind || m.rtp.muxId !== o.rtp.muxId)
        fail(
          `m-section ${i} is ${m.kind} mid ${m.rtp.muxId}, offered ${o.kind} mid ${o.rtp.muxId}`,
        );
      if (m.port === 0) {
        if (m.kind === 'audio') fail('audio rejected (port 0)');
        return;
      }
      if (!m.iceParams?.usernameFragment || !m.iceParams.password)
        fail(`${m.kind}: no ICE credentials`);
      if (!m.dtlsParams?.fingerprints.length) fail(`${m.kind}: no DTLS fingerprint`);
      if (m.kind === 'audio') {
        const listed = new Set(m.fmt.map(Number));
        const voice = m.rtp.codecs.filter(
          (c) =>
            listed.has(c.payloadType) &&
            ['audio/opus/48000', 'audio/pcmu/8000'].includes(codecKey(c)),
        );
        if (!voice.some((c) => this.offered.get('audio')?.get(c.payloadType) === codecKey(c)))
          fail('audio has neither opus nor PCMU on the offered payload type');
      }
    });
    // max-bundle: every accepted section must be in the BUNDLE group (Chrome leaves rejected ones out).
    const live = parsed.media.filter((m) => m.port !== 0).map((m) => m.rtp.muxId);
    const bundle = parsed.group.find((g) => g.semantic === 'BUNDLE');
    if (live.length > 1 && !live.every((mid) => mid !== undefined && bundle?.items.includes(mid))) {
      fail('all sections must be bundled');
    }
    if (!/^a=candidate:/m.test(sdp))
      this.log('bridge.leg.warning', { leg: this.name, warning: 'answer has no candidates' });
    return {
      sdp,
      rejected: new Set(parsed.media.filter((m) => m.port === 0).map((m) => m.rtp.muxId ?? '')),
    };
  }

  private onRtp(rtp: RtpPacket): void {
    this.counters.rtpIn++;
    if (this.loss > 0 && Math.random() < this.loss) {
      this.counters.impaired++;
      return;
    }
    const pt = rtp.header.payloadType;
    for (const [kind, route] of this.routes) {
      const key = route.inbound.get(pt);
      if (key === undefined) continue;
      route.remoteSsrc = rtp.header.ssrc;
      this.tap?.(kind, key, rtp);
      if (this.mute) return;
      if (!this.peer.send(kind, key, rtp)) this.counters.dropped++;
      return;
    }
    this.counters.dropped++;
  }

  /** Send a packet from the other leg to our browser, PT rewritten to our negotiation. */
  send(kind: Kind, key: string, rtp: RtpPacket): boolean {
    const route = this.routes.get(kind);
    const codec = route?.outbound.get(key);
    if (!route || !codec || !route.canSend || !this.connected || rtp.payload.length === 0)
      return false;
    const pkt = rtp.clone();
    // Drop the source's header extensions (their ids belong to the other leg) and padding.
    pkt.header.extensions = [];
    pkt.header.extension = false;
    pkt.header.padding = false;
    pkt.header.paddingSize = 0;
    const sender = route.transceiver.sender;
    const negotiated = sender.codec;
    sender.codec = codec; // read synchronously by sendRtp() before its first await
    sender.sendRtp(pkt).catch(() => {});
    sender.codec = negotiated;
    this.counters.rtpOut++;
    return true;
  }

  private onRtcp(rtcp: RtcpPacket): void {
    if (rtcp.type !== RtcpPayloadSpecificFeedback.type) return;
    const video = this.routes.get('video');
    if (!video) return;
    const ours = video.transceiver.sender.ssrc;
    const fb = rtcp.feedback;
    const wantsKeyframe =
      (fb.count === PSFB_PLI && 'mediaSsrc' in fb && fb.mediaSsrc === ours) ||
      (fb.count === PSFB_FIR && 'fir' in fb && fb.fir.some((e) => e.ssrc === ours));
    if (wantsKeyframe) {
      this.counters.keyframeRequests++;
      this.peer.requestKeyframe();
    }
  }

  /** Ask our browser for a video keyframe (PLI on the SSRC it sends). */
  requestKeyframe(): void {
    const video = this.routes.get('video');
    if (!video?.remoteSsrc || !this.connected) return;
    video.transceiver.receiver.sendRtcpPLI(video.remoteSsrc).catch(() => {});
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.failConnect(new Error(`bridge leg ${this.name} closed`));
    await this.pc.close();
  }
}

/**
 * Relays data-channel messages between the channel the browser opens on leg `a` and one the
 * gateway opens on leg `b` (created before `b`'s offer, so the offer carries m=application).
 */
function relayData(a: Leg, b: Leg, log: BridgeLog): void {
  const out = b.pc.createDataChannel('ipo-loopback');
  let relayed = 0;
  a.pc.onDataChannel.subscribe((inbound) => {
    log('bridge.data.open', { label: inbound.label });
    const pass = (to: typeof out) => (m: string | Buffer) => {
      if (to.readyState !== 'open') return;
      to.send(m);
      relayed++;
    };
    inbound.onMessage.subscribe(pass(out));
    out.onMessage.subscribe(pass(inbound));
    inbound.stateChanged.subscribe(
      (st) => st === 'closed' && log('bridge.data.closed', { relayed }),
    );
  });
}

/**
 * One werift leg that answers a browser's offer (the echo and DTMF read-back test numbers):
 * `peer` is the leg itself, so what the browser sends comes back to it unless `echo` is false.
 */
export async function answeringLeg(
  offerSdp: string,
  options: Pick<
    BridgeOptions,
    'iceAdditionalHostAddresses' | 'dtmfPayloadType' | 'gatherTimeoutMs' | 'log' | 'loss'
  > & { echo?: boolean },
): Promise<Leg> {
  const log: BridgeLog = options.log ?? (() => {});
  const addresses = options.iceAdditionalHostAddresses ?? ['127.0.0.1'];
  const dtmfPt = checkDtmfPt(options.dtmfPayloadType ?? 101);
  const codecs = { audio: audioCodecs(dtmfPt), video: videoCodecs(dtmfPt) };
  const pc = new RTCPeerConnection({
    codecs,
    headerExtensions: { audio: [], video: [] },
    iceServers: [],
    bundlePolicy: 'max-bundle',
    iceLite: true,
    ...iceConfig(addresses),
  });
  const leg = new Leg('a', pc, [], codecs, log);
  leg.peer = leg;
  leg.loss = checkLoss(options.loss);
  if (options.echo === false) leg.mute = true;
  try {
    await leg.answerOffer(offerSdp, options.gatherTimeoutMs ?? DEFAULT_GATHER_TIMEOUT_MS);
    return leg;
  } catch (err) {
    await leg.close().catch(() => {});
    throw err;
  }
}

export class MediaBridge {
  private closing?: Promise<void>;

  private constructor(
    readonly a: BridgeLeg,
    readonly b: BridgeLeg,
    private readonly log: BridgeLog,
  ) {}

  /** Create both legs and gather their offers. */
  static async create(options: BridgeOptions): Promise<MediaBridge> {
    const log: BridgeLog = options.log ?? (() => {});
    const started = Date.now();
    const addresses = options.iceAdditionalHostAddresses ?? ['127.0.0.1'];
    const gatherMs = options.gatherTimeoutMs ?? DEFAULT_GATHER_TIMEOUT_MS;
    const legs: Leg[] = [];
    try {
      for (const name of ['a', 'b'] as const) {
        const lo = options.legs?.[name] ?? {};
        const dtmfPt = checkDtmfPt(lo.dtmfPayloadType ?? options.dtmfPayloadType ?? 101);
        const kinds: Kind[] = (lo.video ?? options.video) ? ['audio', 'video'] : ['audio'];
        const codecs = { audio: audioCodecs(dtmfPt), video: videoCodecs(dtmfPt) };
        const pc = new RTCPeerConnection({
          codecs,
          headerExtensions: { audio: [], video: [] }, // none: forwarded packets carry no extensions
          iceServers: [], // host candidates only: no STUN/TURN round trips (and no internet needed)
          bundlePolicy: 'max-bundle',
          iceLite: options.iceLite ?? true,
          ...iceConfig(addresses),
        });
        const leg = new Leg(name, pc, lo.answer === undefined ? kinds : [], codecs, log);
        leg.loss = checkLoss(options.loss);
        legs.push(leg);
        if (lo.answer !== undefined) continue;
        const stream = new MediaStream({ id: `ipo-bridge-${name}-${pc.id}` }); // a=msid, so browsers get ontrack streams
        for (const kind of kinds)
          pc.addTransceiver(kind, { direction: 'sendrecv', streams: [stream] });
      }
      const [a, b] = legs as [Leg, Leg];
      a.peer = b;
      b.peer = a;
      // A browser that offers a data channel on the answered leg gets it relayed to the other leg.
      const offerA = options.legs?.a?.answer;
      if (offerA !== undefined && /^m=application /m.test(offerA)) relayData(a, b, log);
      await Promise.all(
        legs.map((leg) => {
          const answer = options.legs?.[leg.name]?.answer;
          return answer === undefined
            ? MediaBridge.gather(leg, gatherMs, log)
            : leg.answerOffer(answer, gatherMs);
        }),
      );
      log('bridge.created', {
        ms: Date.now() - started,
        addresses: addresses.length ? addresses : 'all-ipv4',
      });
      return new MediaBridge(a, b, log);
    } catch (err) {
      await Promise.all(legs.map((leg) => leg.close().catch(() => {})));
      throw err;
    }
  }

  /** setLocalDescription() resolves once gathering is complete; cap it and use what we have. */
  private static async gather(leg: Leg, ms: number, log: BridgeLog): Promise<void> {
    const sld = leg.pc.createOffer().then((offer) => leg.pc.setLocalDescription(offer));
    if ((await within(sld, ms)) === TIMED_OUT) {
      sld.catch(() => {});
      log('bridge.leg.gather-timeout', { leg: leg.name, ms });
    }
    const sdp = leg.pc.localDescription?.sdp;
    if (!sdp || !/^a=candidate:/m.test(sdp))
      throw new Error(`bridge leg ${leg.name}: no ICE candidates gathered`);
    leg.offer = iceLiteAtSessionLevel(sdp);
    log('bridge.leg.offer', {
      leg: leg.name,
      candidates: (sdp.match(/^a=candidate:/gm) ?? []).length,
    });
  }

  /** Resolves when both legs are ICE+DTLS connected; rejects on timeout, failure or close. */
  async connected(timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<void> {
    const both = Promise.all([(this.a as Leg).connectedPromise, (this.b as Leg).connectedPromise]);
    both.catch(() => {}); // a rejection after the timeout must not be unhandled
    if ((await within(both, timeoutMs)) === TIMED_OUT)
      throw new Error(`bridge connect timed out after ${timeoutMs} ms`);
  }

  /** Idempotent; closes both PeerConnections (sockets, DTLS/RTCP timers). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const a = this.a as Leg;
      const b = this.b as Leg;
      const totals = { a: a.stats(), b: b.stats() };
      await Promise.all([a.close(), b.close()]);
      this.log('bridge.closed', totals);
    })();
    return this.closing;
  }
}
