/**
 * One call: one RTCPeerConnection, complete SDP with fast ICE, and the call flows of
 * gateway-protocol.md §6 (outgoing, incoming, early media, hold/unhold by local renegotiation,
 * transfer, far-end updates, media updates both ways, DTMF, CTI). States change only on the
 * gateway's events; local teardown happens only where the protocol says so.
 */
import {
  numberFromSipUri,
  splitFarEndDn,
  type EventEnvelope,
  type RequestName,
  type RequestParams,
  type ResponseEnvelope,
} from '../protocol/index.js';
import { gather } from './ice.js';
import { attach, sink, type Kind } from './media.js';
import type { Phone } from './phone.js';
import { rewriteDtmf, videoActive } from './sdp.js';
import {
  counters,
  sample,
  warnings,
  type Counters,
  type Quality,
  type QualityWarning,
} from './quality.js';
import { InputLevel } from './level.js';
import { emptyStats, fillStats, type CallStats } from './stats.js';
import type { ResponseOf } from './transport.js';
import { noop, sleep } from './util.js';

/** Call states; the AWL facade prefixes them with `AWL_MSG_CALL_`. */
export type CallState =
  | 'IDLE'
  | 'INCOMING'
  | 'RINGING'
  | 'PROGRESSING'
  | 'CONNECTED'
  | 'HELD'
  | 'FAREND_UPDATE'
  | 'TRANSFER_FAILED'
  | 'DISCONNECTED'
  | 'FAILED'
  | 'MAXCAP_REACHED';

type CallRequest = Exclude<RequestName, 'getGatewaySettings' | 'login' | 'logout' | 'renewToken'>;
type Extra<N extends CallRequest> = Omit<RequestParams<N>, 'callId'>;

const TALKING: CallState[] = ['CONNECTED', 'FAREND_UPDATE', 'TRANSFER_FAILED'];
const NO_MEDIA = 'Could not get access to audio device';
/** The reason of a call ended because its hold or unhold renegotiation failed (never left half-held). */
const MEDIA_FAILED = 'Media renegotiation failed';
const NO_RESPONSE = 'No response from WebRTC Gateway';

export class Call {
  state: CallState = 'IDLE';
  farName = '';
  subject = '';
  sipUri = '';
  autoAnswer = false;
  /** held (by either side), per the gateway's CallHeld / CallUnheld */
  held = false;
  ended = false;
  pc: RTCPeerConnection | null = null;
  /** every local track of this call (clones of the shared sources) / every remote track */
  readonly local = new MediaStream();
  readonly remote = new MediaStream();
  /** video-only views, for video elements and onVideoStreamsAvailable */
  readonly localVideo = new MediaStream();
  readonly remoteVideo = new MediaStream();
  /** @internal the far end's offer (incoming calls) */
  offer = '';
  #pending = new Set<CallRequest>();
  #queue: Promise<unknown> = Promise.resolve();
  #answer?: Promise<string>;
  #answering = false;
  #early = false;
  #tones = '';
  #q?: Counters;
  #quiet = 0;
  #player?: HTMLAudioElement;
  #told = new Set<Kind>();
  #stats?: CallStats;
  #level?: InputLevel;
  /** senders' tracks taken off while held */
  #heldTracks = new Map<RTCRtpSender, MediaStreamTrack>();
  #poll?: ReturnType<typeof setInterval>;

  constructor(
    readonly phone: Phone,
    readonly id: string,
    readonly incoming: boolean,
    /** a video call (offered or asked for) */
    public video: boolean,
    public farNumber: string,
  ) {}

  /** Talking: connected and not held. */
  get active(): boolean {
    return TALKING.includes(this.state) && !this.held;
  }

  get established(): boolean {
    return this.active || this.held || this.state === 'HELD';
  }

  // ---- actions --------------------------------------------------------------------------

  /** @internal Outgoing: media, offer, complete SDP, makeCall (§6.2). */
  async dial(target: string): Promise<void> {
    const ph = this.phone;
    try {
      await ph.autoHold(this, true, true);
      if (this.ended) return;
      let tracks: MediaStreamTrack[];
      try {
        tracks = await this.#tracks(this.video ? ['audio', 'video'] : ['audio']);
      } catch {
        return this.end(NO_MEDIA, 'FAILED');
      }
      if (this.ended) return this.#stopLocal();
      const pc = this.#newPc();
      for (const t of tracks) pc.addTrack(t, this.local);
      if (this.video && !this.local.getVideoTracks().length)
        pc.addTransceiver('video', { direction: 'recvonly' });
      this.#preferDtmf();
      const sdp = await this.#localOffer();
      if (this.ended) return;
      const r = await this.req('makeCall', { target, sdp });
      if (this.ended || this.state !== 'IDLE' || r?.responseCode === '200') return;
      // a refused makeCall is normally followed by CallDisconnected (§6.2); only if that never comes
      if (r) await sleep(2000);
      else void this.req('abortCall');
      if (this.state === 'IDLE') this.end(r?.responseString || NO_RESPONSE, 'FAILED');
    } catch (err) {
      this.#fail(err, 'abortCall');
    }
  }

  /** Answers an incoming call (§6.3), after holding the other active calls (§6.1). */
  answer(): void {
    if (!this.incoming || this.#answering || this.state !== 'INCOMING' || this.ended) return;
    this.#answering = true;
    void (async () => {
      await this.phone.autoHold(this, false, true);
      const sdp = await this.#prepare();
      if (this.ended) return;
      const r = await this.req('answerCall', { sdp });
      if (r?.responseCode === '200' || this.ended) return;
      if (r) await sleep(1000); // a CallDisconnected may be on its way
      if (this.state === 'INCOMING') this.end(r?.responseString || NO_RESPONSE, 'FAILED');
    })().catch((e) => this.#fail(e, 'rejectCall'));
  }

  /** Agent service: answers for early media on its own; `answer()` later reuses the same SDP (§6.4). */
  earlyMedia(): void {
    this.#prepare().then(
      (sdp) => {
        if (this.#answering || this.ended) return;
        this.#early = true;
        void this.req('answerEarlyMedia', { sdp });
      },
      (e) => this.#fail(e, 'rejectCall'),
    );
  }

  /** Rejects an incoming call; torn down at once (§6.5). */
  reject(): void {
    if (!this.incoming || this.ended || this.established) return;
    void this.req('rejectCall');
    this.end('Call Rejected');
  }

  /** dropCall (`endCall`) and cancelCall (`abortCall`): a call not yet talking ends at once (§6.5). */
  hangup(kind: 'endCall' | 'abortCall'): void {
    if (this.ended || this.#pending.has(kind)) return;
    const sent = this.req(kind);
    if (!this.established) return this.end('Call Dropped');
    // a talking call ends on CallDisconnected; if the gateway refuses, or never sends it, end here
    void sent.then(async (r) => {
      if (r?.responseCode === '200') await sleep(this.phone.opts.requestTimeoutMs);
      this.end('Call Dropped');
    });
  }

  hold(): void {
    if (this.active) void this.req('holdCall');
  }

  unhold(): void {
    if (!this.held || this.ended) return;
    void this.phone.autoHold(this, true, false);
    void this.req('unholdCall');
  }

  /** Blind (`target` = number) or attended (`target` = the other call's id) transfer (§6.7). */
  transfer(target: string, type: string): void {
    if (!this.ended)
      void this.req('transferCall', { target: String(target), type: String(type ?? '') });
  }

  /** In-band RFC 4733 tone on the negotiated telephone-event payload type (§6.10). */
  dtmf(tone: string): boolean {
    const d = this.pc?.getSenders().find((s) => s.track?.kind === 'audio')?.dtmf;
    if (!d || this.held || this.ended || !/^[\d*#A-D]$/i.test(String(tone))) return false;
    this.#tones += tone;
    this.#sendTones(d, 0);
    return true;
  }

  /** Tones typed while the media path is still coming up (DTLS) wait for it, in order, up to 5 s. */
  #sendTones(d: RTCDTMFSender, tries: number): void {
    if (!this.#tones || this.ended) return;
    if (d.canInsertDTMF) d.insertDTMF(d.toneBuffer + this.#tones, 500, 50);
    else if (tries < 100) return void setTimeout(() => this.#sendTones(d, tries + 1), 50);
    this.#tones = '';
  }

  /** Enables or disables this call's local tracks of a kind (mute, pause video). */
  enable(kind: Kind, on: boolean): boolean {
    const ts = this.local.getTracks().filter((t) => t.kind === kind);
    for (const t of ts) t.enabled = on;
    return ts.length > 0;
  }

  /** Upgrades to audio + video with a re-offer (`updateMedia`, §6.9), sent as soon as it is complete. */
  addVideo(): boolean {
    if (!this.phone.opts.video || !this.pc || !this.active || this.local.getVideoTracks().length)
      return false;
    this.#serial(async () => {
      const pc = this.pc!;
      const [cam] = await this.phone.media.tracks(['video']);
      if (!cam || this.ended) return cam?.stop();
      this.#addLocal(cam);
      const t = this.#transceivers('video')[0];
      if (t) {
        await t.sender.replaceTrack(cam);
        t.direction = 'sendrecv';
      } else pc.addTrack(cam, this.local);
      if (await this.#reoffer()) return this.#streams();
      await pc
        .getSenders()
        .find((s) => s.track === cam)
        ?.replaceTrack(null);
      this.#dropLocal(cam);
    });
    return true;
  }

  /** Back to audio only: the camera stops and the video section becomes inactive (§6.9). */
  removeVideo(): boolean {
    const cam = this.local.getVideoTracks()[0];
    if (!this.pc || !this.active || !cam) return false;
    this.#serial(async () => {
      const t = this.#transceivers('video').find((x) => x.sender.track === cam);
      if (t) {
        await t.sender.replaceTrack(null);
        t.direction = 'inactive';
      }
      this.#dropLocal(cam);
      await this.#reoffer();
    });
    return true;
  }

  /**
   * The AWL stats array (one per call), refreshed now (`ready` settles when filled) and then every
   * second while the call lives, so the reference the app holds stays current (§10; the one timer
   * ends with the call).
   */
  stats(): CallStats {
    const s = (this.#stats ??= emptyStats());
    const pull = () =>
      (s.ready = this.pc
        ? this.pc.getStats().then((r) => {
            fillStats(s, r);
            (this.#level ??= new InputLevel()).fill(s, this.pc ?? undefined);
          }, noop)
        : Promise.resolve());
    this.#poll ??= setInterval(pull, 1000);
    pull();
    return s;
  }

  /**
   * Quality of the call since the previous reading (about a second apart when polled each
   * second): RTT, jitter, loss, bitrate, estimated MOS and warnings. Null on the first reading,
   * or while the call is not talking.
   */
  async quality(): Promise<(Quality & { warnings: QualityWarning[] }) | null> {
    if (!this.pc || !this.active) return ((this.#q = undefined), null);
    const now = counters(await this.pc.getStats(), performance.now());
    const prev = this.#q;
    this.#q = now;
    if (!prev) return null;
    const q = sample(prev, now);
    this.#quiet = q.packets && !q.sound ? this.#quiet + 1 : 0;
    return { ...q, warnings: this.held ? [] : warnings(q, this.#quiet) };
  }

  /** @internal A new source track of `kind` (device switch): swap this call's clone, no renegotiation. */
  swap(kind: Kind, src: MediaStreamTrack): void {
    const old = this.local.getTracks().find((t) => t.kind === kind);
    if (!old || this.ended) return;
    const t = src.clone();
    t.enabled = old.enabled;
    const sender = this.pc?.getSenders().find((s) => s.track === old);
    void sender?.replaceTrack(t).catch(noop);
    // held: the new clone goes on when the call is unheld
    for (const [s, held] of this.#heldTracks) if (held === old) this.#heldTracks.set(s, t);
    this.#addLocal(t); // before the old one goes, so the device is never seen as unused
    this.#dropLocal(old);
  }

  /** @internal Audio output device changed. */
  sink(id: string): void {
    sink(this.#player, id);
  }

  /**
   * Ends the call locally: closes the peer connection, stops this call's tracks, then tells the
   * app its (current or given) state and the reason. Idempotent.
   */
  end(reason: string | number, state?: CallState): void {
    if (this.ended) return;
    this.ended = true;
    if (state) this.state = state;
    clearInterval(this.#poll);
    this.#level?.close();
    this.pc?.close();
    this.#stopLocal();
    attach(this.#player, null);
    this.phone.drop(this);
    this.phone.emit('state', this, this.state);
    this.phone.emit('ended', this, reason);
  }

  // ---- gateway events -------------------------------------------------------------------

  /** @internal A call-scoped event (or unclaimed response) for this call. */
  onEvent(e: EventEnvelope | ResponseEnvelope): void {
    if (e.msgname === 'CallDisconnected')
      return this.end(e.params.reasonString ?? '', 'DISCONNECTED');
    if (e.msgname === 'CallFailed') return this.end(e.params.reasonString ?? '', 'FAILED');
    this.#serial(async () => {
      switch (e.msgname) {
        case 'CallProgressing': {
          const p = e.params;
          if (p.FarEndDn !== undefined) this.setFar(p.FarEndDn);
          if (p.sipUri) this.sipUri = p.sipUri;
          if (p.sdp && !this.#early) {
            // early media: this answer is final (§6.2, §7.7)
            await this.#applyAnswer(p.sdp);
            this.#early = true;
          }
          return this.#set(this.#early ? 'PROGRESSING' : 'RINGING');
        }
        case 'CallConnected':
          if (e.params.sdp && !this.#early && this.pc?.signalingState === 'have-local-offer')
            await this.#applyAnswer(e.params.sdp);
          return this.#set('CONNECTED');
        case 'CallHeld':
        case 'CallUnheld': {
          const hold = e.msgname === 'CallHeld';
          if (this.held !== hold) {
            this.held = hold;
            const failed = await this.#direction(hold).then(
              () => false,
              (err: unknown) => (this.phone.log.error('hold media', String(err)), true),
            );
            // never a call that looks held (or talking) with its media the other way: end it
            if (failed) {
              void this.req('endCall');
              return this.end(MEDIA_FAILED, 'FAILED');
            }
          }
          return this.#set(hold ? 'HELD' : 'CONNECTED');
        }
        case 'CallTransferSuccessful':
          // the vendor client reports an undefined state here (§6.7); the call ends with CallDisconnected
          return this.phone.emit('state', this, undefined);
        case 'CallTransferFailed':
          this.#set('TRANSFER_FAILED');
          this.state = this.held ? 'HELD' : 'CONNECTED';
          return;
        case 'FarEndChanged':
          this.setFar(e.params.FarEndDn);
          this.sipUri = e.params.sipUri ?? '';
          this.farNumber = numberFromSipUri(e.params.sipUri) || this.farNumber;
          return this.#set('FAREND_UPDATE');
        case 'CallCtiEventReceived': {
          const ev = e.params.ctiEvent.toLowerCase();
          if (ev === 'talk') return this.state === 'INCOMING' ? this.answer() : this.unhold();
          if (ev === 'hold') this.hold();
          return;
        }
        case 'MediaUpdateRequest':
          return this.#mediaUpdate(e.params.sdp);
      }
    });
  }

  // ---- internals ------------------------------------------------------------------------

  /** @internal Sends a call request unless one of its kind is pending (§6.5); null on timeout or loss. */
  async req<N extends CallRequest>(
    name: N,
    extra?: Extra<N>,
    ms?: number,
  ): Promise<ResponseOf<N> | null | undefined> {
    const tp = this.phone.tp;
    if (!tp || this.#pending.has(name)) return undefined;
    this.#pending.add(name);
    try {
      return await tp.request(
        name,
        { callId: this.id, ...extra } as unknown as RequestParams<N>,
        ms ?? this.phone.opts.requestTimeoutMs,
      );
    } catch (err) {
      this.phone.log.warn(String(err));
      return null;
    } finally {
      this.#pending.delete(name);
    }
  }

  /** Runs SDP work and event handling in order; errors are logged, never thrown. */
  #serial<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const p = this.#queue.then(() => (this.ended ? undefined : fn()));
    this.#queue = p.catch((err) => this.phone.log.error(`call ${this.id}`, String(err)));
    return p;
  }

  #set(state: CallState): void {
    if (this.ended) return;
    this.state = state;
    this.phone.emit('state', this, state);
    this.#streams();
    this.phone.show();
  }

  /** @internal Far-end display text `Name[Subject]` (§6.8). */
  setFar(dn: string): void {
    const { name, subject } = splitFarEndDn(dn);
    this.farName = name;
    this.subject = subject;
  }

  async #tracks(kinds: Kind[]): Promise<MediaStreamTrack[]> {
    const ts = await this.phone.media.tracks(kinds);
    for (const t of ts) this.#addLocal(t);
    return ts;
  }

  #addLocal(t: MediaStreamTrack): void {
    this.local.addTrack(t);
    if (t.kind === 'video') this.localVideo.addTrack(t);
  }

  #dropLocal(t: MediaStreamTrack): void {
    t.stop();
    this.local.removeTrack(t);
    this.localVideo.removeTrack(t);
    this.phone.settle();
  }

  #stopLocal(): void {
    for (const t of this.local.getTracks()) t.stop();
    this.phone.settle();
  }

  #newPc(): RTCPeerConnection {
    const pc = (this.pc = new this.phone.PC({ iceServers: this.phone.iceServers() }));
    pc.addEventListener('track', ({ track }) => {
      if (!this.remote.getTrackById(track.id)) this.remote.addTrack(track);
      if (track.kind === 'video') {
        if (!this.remoteVideo.getTrackById(track.id)) this.remoteVideo.addTrack(track);
      } else if (!this.#player && typeof Audio !== 'undefined') {
        // the SDK plays the far end's audio itself (Chromium decodes only what is played)
        this.#player = new Audio();
        this.#player.autoplay = true;
        sink(this.#player, this.phone.media.ids.audioOutputID);
        attach(this.#player, this.remote);
      }
      this.#streams();
    });
    pc.addEventListener('iceconnectionstatechange', () => this.#streams());
    return pc;
  }

  /** A new peer connection for this call in place of the current one (closed). */
  #freshPc(): RTCPeerConnection {
    const old = this.pc!;
    const pc = this.#newPc();
    old.close();
    for (const t of this.remote.getTracks()) {
      this.remote.removeTrack(t);
      this.remoteVideo.removeTrack(t);
    }
    this.#q = undefined;
    return pc;
  }

  /** Reports the streams once per kind, when the call is answered and ICE is up. */
  #streams(): void {
    const pc = this.pc;
    if (!pc || !this.established || !/connected|completed/.test(pc.iceConnectionState)) return;
    for (const k of ['audio', 'video'] as Kind[]) {
      if (
        this.#told.has(k) ||
        !this.remote.getTracks().some((t) => t.kind === k) ||
        (k === 'video' && !this.video)
      )
        continue;
      this.#told.add(k);
      this.phone.streams(this, k);
    }
  }

  #transceivers(kind: Kind): RTCRtpTransceiver[] {
    return this.pc!.getTransceivers().filter(
      (t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped',
    );
  }

  /**
   * Keeps only telephone-event/8000 for DTMF (dropping Chrome's /48000), so tones go out on the
   * payload type the gateway chose (`codec.dtmfPayLoad`, §7.4) rather than the 48 kHz one.
   */
  #preferDtmf(remoteOffer?: string): void {
    if (remoteOffer !== undefined && !/telephone-event\/8000/.test(remoteOffer)) return;
    try {
      const codecs = RTCRtpReceiver.getCapabilities('audio')?.codecs.filter(
        (c) => !/telephone-event/i.test(c.mimeType) || c.clockRate === 8000,
      );
      if (codecs) for (const t of this.#transceivers('audio')) t.setCodecPreferences(codecs);
    } catch {
      /* not supported here: Chrome's default codec list is fine too */
    }
  }

  /** The local description once its candidates are enough (fast ICE, §7.2). */
  async #complete(): Promise<string> {
    const t0 = Date.now();
    const why = await gather(this.pc!, this.phone.gatherOptions());
    this.phone.log.debug(`ice gathering done: ${why} in ${Date.now() - t0} ms`);
    return this.pc!.localDescription!.sdp;
  }

  async #localOffer(): Promise<string> {
    const pc = this.pc!;
    const offer = await pc.createOffer();
    await pc.setLocalDescription({ type: 'offer', sdp: rewriteDtmf(offer.sdp!, this.phone.dtmf) });
    return this.#complete();
  }

  async #applyAnswer(sdp: string): Promise<void> {
    await this.pc!.setRemoteDescription({ type: 'answer', sdp });
    this.video = videoActive(sdp);
  }

  /** The answer for an incoming call, made once: early media and answerCall share it (§6.4). */
  #prepare(): Promise<string> {
    return (this.#answer ??= this.#serial(async () => {
      const tracks = await this.#tracks(
        this.video && this.phone.opts.video ? ['audio', 'video'] : ['audio'],
      ).catch(() => {
        throw NO_MEDIA;
      });
      const pc = this.#newPc();
      await pc.setRemoteDescription({ type: 'offer', sdp: this.offer });
      for (const t of tracks) pc.addTrack(t, this.local);
      // video disabled in the config: the offered video section is answered inactive (§7.6)
      if (!this.phone.opts.video)
        for (const t of this.#transceivers('video')) t.direction = 'inactive';
      this.#preferDtmf(this.offer);
      await pc.setLocalDescription(await pc.createAnswer());
      return this.#complete();
    }).then((sdp) => sdp ?? Promise.reject('ended')));
  }

  /** Set-up failed locally: the gateway is told (reject / abort) and the call ends FAILED. */
  #fail(err: unknown, tell: 'rejectCall' | 'abortCall'): void {
    if (this.ended || err === 'ended') return;
    this.phone.log.error('call set-up failed', String(err));
    void this.req(tell);
    this.end(err === NO_MEDIA ? NO_MEDIA : 'Call setup failed', 'FAILED');
  }

  /**
   * Hold / unhold media (§6.6, no SDP travels): every sender of the call stops or resumes sending
   * RTP (its encodings' `active`), with no renegotiation. The far end's client does the same on
   * its CallHeld and the gateway stops its own RTP, so media stops both ways. (The vendor's client
   * re-applies a locally rewritten SDP instead. In Firefox no such answer is valid for its own
   * re-offer, which renumbers payload types: an answer in the new numbers would change what it
   * sends while the far end still expects the negotiated ones.) A sender that refuses throws;
   * the caller then ends the call with a reason.
   */
  async #direction(hold: boolean): Promise<void> {
    const pc = this.pc;
    if (!pc || pc.signalingState === 'closed') return;
    for (const s of pc.getSenders()) {
      const p = s.getParameters();
      if (p.encodings?.length && p.encodings.some((e) => e.active !== !hold)) {
        for (const e of p.encodings) e.active = !hold;
        await s.setParameters(p);
      }
      // Firefox keeps sending audio with inactive encodings: no track, no RTP
      if (hold && s.track) {
        this.#heldTracks.set(s, s.track);
        await s.replaceTrack(null);
      } else if (!hold && !s.track && this.#heldTracks.get(s)?.readyState === 'live') {
        await s.replaceTrack(this.#heldTracks.get(s)!);
      }
    }
    if (!hold) this.#heldTracks.clear();
  }

  /** The gateway's re-offer (§6.9): adapt local video, answer as soon as complete, or reject. */
  async #mediaUpdate(sdp: string): Promise<void> {
    let pc = this.pc;
    // glare with our own re-offer: refuse rather than leave the gateway waiting
    if (!pc || this.#pending.has('updateMedia')) return void this.req('rejectMediaUpdateRequest');
    const old = pc;
    try {
      // A new far end (a transfer re-anchors the media on the gateway) is a new DTLS association:
      // a new peer connection, since Firefox makes no new DTLS handshake on an existing one.
      const fp = (d?: string) => /^a=fingerprint:(.+)$/m.exec(d ?? '')?.[1]?.trim();
      const before = fp(pc.currentRemoteDescription?.sdp);
      if (before && fp(sdp) && before !== fp(sdp)) pc = this.#freshPc();
      await pc.setRemoteDescription({ type: 'offer', sdp });
      if (pc !== old) for (const t of this.local.getTracks()) pc.addTrack(t, this.local);
      const video = videoActive(sdp);
      for (const t of this.#transceivers('video')) {
        const mine = t.sender.track;
        if (!video || !this.phone.opts.video) {
          if (mine) {
            await t.sender.replaceTrack(null);
            this.#dropLocal(mine);
          }
          t.direction = 'inactive';
        } else if (!mine) {
          const [cam] = await this.phone.media.tracks(['video']).catch(() => []);
          if (cam) {
            this.#addLocal(cam);
            await t.sender.replaceTrack(cam);
            t.direction = 'sendrecv';
          } else t.direction = 'recvonly';
        }
      }
      this.#preferDtmf(sdp);
      await pc.setLocalDescription(await pc.createAnswer());
      if (this.held) await this.#direction(true);
      const answer = await this.#complete();
      const changed = this.video !== video;
      this.video = video;
      void this.req('acceptMediaUpdateRequest', { sdp: answer });
      this.#streams();
      // the far end added or removed video: the state again, so isVideoCall() is read anew
      if (changed) this.phone.emit('state', this, this.state);
    } catch (err) {
      this.phone.log.error('media update failed', String(err));
      if (pc !== old) {
        void this.req('rejectMediaUpdateRequest');
        void this.req('endCall');
        return this.end(MEDIA_FAILED, 'FAILED');
      }
      if (pc.signalingState === 'have-remote-offer')
        await pc.setLocalDescription({ type: 'rollback' }).catch(noop);
      void this.req('rejectMediaUpdateRequest');
    }
  }

  /** Our re-offer (`updateMedia`); applies the answer, or rolls back on refusal (§6.9). */
  async #reoffer(): Promise<boolean> {
    const pc = this.pc!;
    const sdp = await this.#localOffer();
    const r = await this.req('updateMedia', { sdp }, 20_000);
    if (r?.responseCode === '200' && r.sdp) {
      await this.#applyAnswer(r.sdp);
      if (this.held) await this.#direction(true); // a sender added while held stays quiet
      return true;
    }
    this.phone.log.warn(`updateMedia refused: ${r?.responseString ?? 'no response'}`);
    await pc.setLocalDescription({ type: 'rollback' }).catch(noop);
    return false;
  }
}
