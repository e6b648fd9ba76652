/**
 * One call: one RTCPeerConnection, complete SDP with fast ICE, and the call flows of
 * gateway-protocol.md §6 (outgoing, incoming, early media, hold/unhold by local renegotiation,
 * transfer, far-end updates, media updates both ways, DTMF, CTI). States change only on the
 * gateway's events; local teardown happens only where the protocol says so.
 */
import {
  REASON,
  numberFromSipUri,
  splitFarEndDn,
  type EventEnvelope,
  type RequestName,
  type RequestParams,
  type ResponseEnvelope,
} from '../protocol/index.js';
import {
  CallMeter,
  ToneQueue,
  holdMedia,
  newFarEnd,
  preferDtmf,
  retire,
  transceivers,
} from './call-media.js';
import type { CallHostOf } from './host.js';
import { gather } from './ice.js';
import { attach, sink, type Kind } from './media.js';
import type { Quality, QualityWarning } from './quality.js';
import { rewriteDtmf, videoActive } from './sdp.js';
import type { CallStats } from './stats.js';
import type { ResponseOf } from './transport.js';
import { noop } from './util.js';

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
const { noMedia: NO_MEDIA, noResponse: NO_RESPONSE, dropped: DROPPED } = REASON;
/** The reason of a call ended because its hold or unhold step failed (never left half held). */
const MEDIA_FAILED = 'Media renegotiation failed';

/** What a call needs from the phone that owns it (see host.ts). */
export type CallHost = CallHostOf<Call, CallState>;

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
  #tones = new ToneQueue();
  /** senders' tracks taken off while held */
  #heldTracks = new Map<RTCRtpSender, MediaStreamTrack>();
  #player?: HTMLAudioElement;
  #told = new Set<Kind>();
  #meter = new CallMeter(() => this.pc);
  #listening = new AbortController();
  /** the one pending fallback (a teardown the gateway should have caused); cleared by end() */
  #fallback?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: CallHost,
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
    const ph = this.host;
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
      preferDtmf(this.pc!);
      const sdp = await this.#localOffer();
      if (this.ended) return;
      const r = await this.req('makeCall', { target, sdp });
      if (this.ended || this.state !== 'IDLE' || r?.responseCode === '200') return;
      // a refused makeCall is normally followed by CallDisconnected (§6.2); only if that never comes
      const failed = () =>
        this.state === 'IDLE' && this.end(r?.responseString || NO_RESPONSE, 'FAILED');
      if (r) return this.#later(2000, failed);
      void this.req('abortCall');
      failed();
    } catch (err) {
      this.#fail(err, 'abortCall');
    }
  }

  /** Answers an incoming call (§6.3), after holding the other active calls (§6.1). */
  answer(): void {
    if (!this.incoming || this.#answering || this.state !== 'INCOMING' || this.ended) return;
    this.#answering = true;
    void (async () => {
      await this.host.autoHold(this, false, true);
      const sdp = await this.#prepare();
      if (this.ended) return;
      const r = await this.req('answerCall', { sdp });
      if (r?.responseCode === '200' || this.ended) return;
      const failed = () =>
        this.state === 'INCOMING' && this.end(r?.responseString || NO_RESPONSE, 'FAILED');
      if (r)
        this.#later(1000, failed); // a CallDisconnected may be on its way
      else failed();
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
    this.end(REASON.rejected);
  }

  /** dropCall (`endCall`) and cancelCall (`abortCall`): a call not yet talking ends at once (§6.5). */
  hangup(kind: 'endCall' | 'abortCall'): void {
    if (this.ended || this.#pending.has(kind)) return;
    const sent = this.req(kind);
    if (!this.established) return this.end(DROPPED);
    // a talking call ends on CallDisconnected; if the gateway refuses, or never sends it, end here
    // (a timer that end() clears: an ended call is not kept reachable until it fires)
    void sent.then((r) =>
      r?.responseCode === '200'
        ? this.#later(this.host.requestMs, () => this.end(DROPPED))
        : this.end(DROPPED),
    );
  }

  hold(): void {
    if (this.active) void this.req('holdCall');
  }

  unhold(): void {
    if (!this.held || this.ended) return;
    void this.host.autoHold(this, true, false);
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
    this.#tones.send(d, tone, () => this.ended);
    return true;
  }

  /** Enables or disables this call's local tracks of a kind (mute, pause video). */
  enable(kind: Kind, on: boolean): boolean {
    const ts = this.local.getTracks().filter((t) => t.kind === kind);
    for (const t of ts) t.enabled = on;
    return ts.length > 0;
  }

  /** Upgrades to audio + video with a re-offer (`updateMedia`, §6.9), sent as soon as it is complete. */
  addVideo(): boolean {
    if (!this.host.video || !this.pc || !this.active || this.local.getVideoTracks().length)
      return false;
    this.#serial(async () => {
      const pc = this.pc!;
      const [cam] = await this.host.media.tracks(['video']);
      if (!cam || this.ended) return cam?.stop();
      this.#addLocal(cam);
      const t = transceivers(this.pc!, 'video')[0];
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
      const t = transceivers(this.pc!, 'video').find((x) => x.sender.track === cam);
      if (t) {
        await t.sender.replaceTrack(null);
        t.direction = 'inactive';
      }
      this.#dropLocal(cam);
      await this.#reoffer();
    });
    return true;
  }

  /** The AWL stats array (one per call), refreshed every second while the call lives (§10). */
  stats(): CallStats {
    return this.#meter.stats();
  }

  /** Quality since the previous reading (RTT, jitter, loss, MOS, warnings); null on the first or while not talking. */
  quality(): Promise<(Quality & { warnings: QualityWarning[] }) | null> {
    return this.#meter.quality(this.active, this.held);
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
    this.#meter.stop();
    clearTimeout(this.#fallback);
    this.#listening.abort();
    this.pc?.close();
    this.#stopLocal();
    attach(this.#player, null);
    this.host.ended(this, reason);
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
            const failed = await holdMedia(this.pc!, this.#heldTracks, hold).then(
              () => false,
              (err: unknown) => (this.host.log.error('hold media', String(err)), true),
            );
            if (failed) return this.#mediaFailed();
          }
          return this.#set(hold ? 'HELD' : 'CONNECTED');
        }
        case 'CallTransferSuccessful':
          // the vendor client reports an undefined state here (§6.7); the call ends with CallDisconnected
          return this.host.state(this, undefined);
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
    const tp = this.host.tp;
    if (!tp || this.#pending.has(name)) return undefined;
    this.#pending.add(name);
    try {
      return await tp.request(
        name,
        { callId: this.id, ...extra } as unknown as RequestParams<N>,
        ms ?? this.host.requestMs,
      );
    } catch (err) {
      this.host.log.warn(String(err));
      return null;
    } finally {
      this.#pending.delete(name);
    }
  }

  /** Runs `fn` after `ms` unless the call ends first. */
  #later(ms: number, fn: () => void): void {
    clearTimeout(this.#fallback);
    if (!this.ended) this.#fallback = setTimeout(fn, ms);
  }

  /** Runs SDP work and event handling in order; errors are logged, never thrown. */
  #serial<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const p = this.#queue.then(() => (this.ended ? undefined : fn()));
    this.#queue = p.catch((err) => this.host.log.error(`call ${this.id}`, String(err)));
    return p;
  }

  #set(state: CallState): void {
    if (this.ended) return;
    this.state = state;
    this.host.state(this, state);
    this.#streams();
    this.host.show();
  }

  /** @internal Far-end display text `Name[Subject]` (§6.8). */
  setFar(dn: string): void {
    const { name, subject } = splitFarEndDn(dn);
    this.farName = name;
    this.subject = subject;
  }

  async #tracks(kinds: Kind[]): Promise<MediaStreamTrack[]> {
    const ts = await this.host.media.tracks(kinds);
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
    this.host.settle();
  }

  #stopLocal(): void {
    for (const t of this.local.getTracks()) t.stop();
    this.host.settle();
  }

  #newPc(): RTCPeerConnection {
    const pc = (this.pc = this.host.newPc());
    // removed by end(): Chromium may keep a closed connection alive (a pending state-change
    // task), and its listeners must not keep this call reachable
    const on = { signal: this.#listening.signal };
    pc.addEventListener(
      'track',
      ({ track }) => {
        if (!this.remote.getTrackById(track.id)) this.remote.addTrack(track);
        if (track.kind === 'video') {
          if (!this.remoteVideo.getTrackById(track.id)) this.remoteVideo.addTrack(track);
        } else if (!this.#player && typeof Audio !== 'undefined') {
          // the SDK plays the far end's audio itself (Chromium decodes only what is played)
          this.#player = new Audio();
          this.#player.autoplay = true;
          sink(this.#player, this.host.media.ids.audioOutputID);
          attach(this.#player, this.remote);
        }
        this.#streams();
      },
      on,
    );
    pc.addEventListener('iceconnectionstatechange', () => this.#streams(), on);
    return pc;
  }

  /** A new peer connection for this call in place of the current one (closed). */
  #freshPc(): RTCPeerConnection {
    retire(this.pc!, this.remote, this.remoteVideo);
    this.#heldTracks.clear();
    this.#meter.reset();
    return this.#newPc();
  }

  /** A hold or media step failed: end the call with the reason rather than leave it half set. */
  #mediaFailed(): void {
    void this.req('endCall');
    this.end(MEDIA_FAILED, 'FAILED');
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
      this.host.streams(this, k);
    }
  }

  /** The local description once its candidates are enough (fast ICE, §7.2). */
  async #complete(): Promise<string> {
    const t0 = Date.now();
    const why = await gather(this.pc!, this.host.gatherOptions());
    this.host.log.debug(`ice gathering done: ${why} in ${Date.now() - t0} ms`);
    return this.pc!.localDescription!.sdp;
  }

  async #localOffer(): Promise<string> {
    const pc = this.pc!;
    const offer = await pc.createOffer();
    await pc.setLocalDescription({ type: 'offer', sdp: rewriteDtmf(offer.sdp!, this.host.dtmf) });
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
        this.video && this.host.video ? ['audio', 'video'] : ['audio'],
      ).catch(() => {
        throw NO_MEDIA;
      });
      const pc = this.#newPc();
      await pc.setRemoteDescription({ type: 'offer', sdp: this.offer });
      for (const t of tracks) pc.addTrack(t, this.local);
      // video disabled in the config: the offered video section is answered inactive (§7.6)
      if (!this.host.video)
        for (const t of transceivers(this.pc!, 'video')) t.direction = 'inactive';
      preferDtmf(this.pc!, this.offer);
      await pc.setLocalDescription(await pc.createAnswer());
      return this.#complete();
    }).then((sdp) => sdp ?? Promise.reject('ended')));
  }

  /** Set-up failed locally: the gateway is told (reject / abort) and the call ends FAILED. */
  #fail(err: unknown, tell: 'rejectCall' | 'abortCall'): void {
    if (this.ended || err === 'ended') return;
    this.host.log.error('call set-up failed', String(err));
    // a gateway that takes a reason tells the caller why, instead of "Call rejected"
    if (tell === 'rejectCall' && err === NO_MEDIA && this.host.rejectReasons)
      void this.req(tell, { ext: { reason: 'no-media' } } as Extra<'rejectCall'>);
    else void this.req(tell);
    this.end(err === NO_MEDIA ? NO_MEDIA : 'Call setup failed', 'FAILED');
  }

  /** The gateway's re-offer (§6.9): adapt local video, answer as soon as complete, or reject. */
  async #mediaUpdate(sdp: string): Promise<void> {
    let pc = this.pc;
    // glare with our own re-offer: refuse rather than leave the gateway waiting
    if (!pc || this.#pending.has('updateMedia')) return void this.req('rejectMediaUpdateRequest');
    const old = pc;
    try {
      // a new far end (transfer): a new peer connection (Firefox makes no new DTLS handshake)
      if (newFarEnd(pc, sdp)) pc = this.#freshPc();
      await pc.setRemoteDescription({ type: 'offer', sdp });
      if (pc !== old) for (const t of this.local.getTracks()) pc.addTrack(t, this.local);
      const video = videoActive(sdp);
      for (const t of transceivers(this.pc!, 'video')) {
        const mine = t.sender.track;
        if (!video || !this.host.video) {
          if (mine) {
            await t.sender.replaceTrack(null);
            this.#dropLocal(mine);
          }
          t.direction = 'inactive';
        } else if (!mine) {
          const [cam] = await this.host.media.tracks(['video']).catch(() => []);
          if (cam) {
            this.#addLocal(cam);
            await t.sender.replaceTrack(cam);
            t.direction = 'sendrecv';
          } else t.direction = 'recvonly';
        }
      }
      preferDtmf(this.pc!, sdp);
      await pc.setLocalDescription(await pc.createAnswer());
      if (this.held) await holdMedia(pc, this.#heldTracks, true);
      const answer = await this.#complete();
      const changed = this.video !== video;
      this.video = video;
      void this.req('acceptMediaUpdateRequest', { sdp: answer });
      this.#streams();
      // the far end added or removed video: the state again, so isVideoCall() is read anew
      if (changed) this.host.state(this, this.state);
    } catch (err) {
      this.host.log.error('media update failed', String(err));
      if (pc !== old) return (void this.req('rejectMediaUpdateRequest'), this.#mediaFailed());
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
      // a sender added while held stays quiet
      if (this.held) await holdMedia(pc, this.#heldTracks, true);
      return true;
    }
    this.host.log.warn(`updateMedia refused: ${r?.responseString ?? 'no response'}`);
    await pc.setLocalDescription({ type: 'rollback' }).catch(noop);
    return false;
  }
}
