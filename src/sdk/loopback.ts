/**
 * The relay-service network test (gateway-protocol.md §9): peer connection A sends the relay tag's
 * audio with `makeCall {target:"0"}`; the gateway offers leg B back on the same socket; B's ICE
 * state gives the notifications. A gateway without the service ends the call at once
 * (CallDisconnected) → CONN_FAILED.
 */
import type { EventEnvelope, EventParams, ResponseEnvelope } from '../protocol/index.js';
import type { PeerHost } from './host.js';
import { gather } from './ice.js';
import { noop, uuid } from './util.js';

/** Loopback notifications; the AWL facade prefixes them with `AWL_MSG_LOOPBACK_`. */
export type LoopbackNote =
  'CONN_SUCCESSFULL' | 'CONN_FAILED' | 'CONN_LINK_ISSUE' | 'CONN_CLOSED' | 'STATS_FAILURE';

/** The loopback stats array: `.audio` with the API document's key names. */
export type LoopbackStats = unknown[] & { audio: Record<string, number | string | null> };

/** What the loopback test needs from the phone that owns it. */
export interface LoopbackHost extends PeerHost {
  /** logged in to the relay service: the test can start */
  readonly relayReady: boolean;
  /** the relay audio tag of setDomElements (§9), the test's sound source */
  readonly relayElement: HTMLMediaElement | undefined;
  /** tells the app (`onLoopBackNotification`) */
  note(n: LoopbackNote): void;
}

/** Gateway text for a teardown that is not a failure (§9). */
const FORCED = 'clean up: tearing down the call forcefully';

export class Loopback {
  #id = '';
  #a: RTCPeerConnection | null = null;
  #b: RTCPeerConnection | null = null;
  #closing = false;
  #ok = false;
  #ctx?: AudioContext;
  #node?: MediaElementAudioSourceNode;
  #stats?: LoopbackStats;
  #prev = { sent: 0, lost: 0, rtts: [] as number[] };
  #poll?: ReturnType<typeof setInterval>;
  #dataRtt: number | null = null;
  #dc?: RTCDataChannel;

  constructor(private readonly host: LoopbackHost) {}

  /** createLoopBackConnection() */
  async start(): Promise<void> {
    const ph = this.host;
    const tp = ph.tp;
    if (this.#id) return;
    if (!tp || !ph.relayReady) return this.#note('CONN_FAILED');
    const id = (this.#id = `${uuid()}@loopback`);
    try {
      const a = (this.#a = ph.newPc());
      const track = this.#source();
      if (track) a.addTrack(track);
      else a.addTransceiver('audio');
      // a data channel through the gateway's relay too: B echoes, A times the round trip
      const dc = (this.#dc = a.createDataChannel('ipo-loopback'));
      dc.onmessage = (m) => (this.#dataRtt = performance.now() - Number(m.data));
      await a.setLocalDescription(await a.createOffer());
      await gather(a, ph.gatherOptions());
      if (this.#id === id)
        tp.send('makeCall', { target: '0', callId: id, sdp: a.localDescription!.sdp });
    } catch (err) {
      ph.log.error('loopback', String(err));
      this.#fail();
    }
  }

  /** endLoopBackConnection() */
  end(): void {
    const id = this.#id;
    const tp = this.host.tp;
    if (!id || !tp) return;
    this.#closing = true;
    tp.request('endCall', { callId: id })
      .catch(noop)
      .then(() => {
        if (this.#id !== id) return;
        this.reset();
        this.#note('CONN_CLOSED');
      });
  }

  /**
   * getLoopBackStats(): the stats array, filled from the standard getStats() of both legs now and
   * then once a second while the test runs (the same object, so an app may keep it).
   */
  stats(): LoopbackStats {
    const out = (this.#stats ??= Object.assign([], { audio: {} }));
    if (!this.#a || !this.#b) {
      this.#note('STATS_FAILURE');
      return out;
    }
    const refresh = () => {
      const [a, b] = [this.#a, this.#b];
      if (!a || !b) return;
      this.#dc?.readyState === 'open' && this.#dc.send(String(performance.now()));
      Promise.all([a.getStats(), b.getStats()])
        .then(([ra, rb]) => this.#fill(out, ra, rb))
        .catch(() => this.#note('STATS_FAILURE'));
    };
    refresh();
    this.#poll ??= setInterval(refresh, 1000);
    return out;
  }

  /** @internal IncomingCall in relay service: leg B, answered with leg A's call id (§9 step 3). */
  async incoming(p: EventParams<'IncomingCall'>): Promise<void> {
    const ph = this.host;
    if (!this.#id || this.#b) return;
    const id = this.#id;
    try {
      const b = (this.#b = ph.newPc());
      b.ondatachannel = ({ channel }) =>
        (channel.onmessage = (m) => channel.readyState === 'open' && channel.send(m.data));
      b.oniceconnectionstatechange = () => {
        const s = b.iceConnectionState;
        if ((s === 'connected' || s === 'completed') && !this.#ok) {
          this.#ok = true;
          this.#note('CONN_SUCCESSFULL');
        } else if (s === 'disconnected') this.#note('CONN_LINK_ISSUE');
        else if (s === 'failed') this.#fail();
      };
      await b.setRemoteDescription({ type: 'offer', sdp: p.sdp });
      await b.setLocalDescription(await b.createAnswer());
      await gather(b, ph.gatherOptions());
      if (this.#id === id) ph.tp?.send('answerCall', { callId: id, sdp: b.localDescription!.sdp });
    } catch (err) {
      ph.log.error('loopback', String(err));
      this.#fail();
    }
  }

  /** @internal Call-scoped events for the loopback call; true when they were its. */
  onEvent(e: EventEnvelope | ResponseEnvelope): boolean {
    if ((e.params as { callId?: string }).callId !== this.#id || !this.#id) return false;
    if (e.msgname === 'CallConnected' && e.params.sdp) {
      this.#a
        ?.setRemoteDescription({ type: 'answer', sdp: e.params.sdp })
        .catch(() => this.#fail());
    } else if (e.msgname === 'CallDisconnected' || e.msgname === 'CallFailed') {
      const asked = this.#closing || e.params.reasonString === FORCED;
      this.reset();
      this.#note(asked ? 'CONN_CLOSED' : 'CONN_FAILED');
    }
    return true;
  }

  /** @internal Drops both legs and the source. */
  reset(): void {
    for (const pc of [this.#a, this.#b]) {
      pc?.getSenders().forEach((s) => s.track?.stop());
      // a closed connection Chromium keeps alive must not keep this test's closures reachable
      if (pc) pc.ondatachannel = pc.oniceconnectionstatechange = null;
      pc?.close();
    }
    if (this.#dc) this.#dc.onmessage = null;
    this.#a = this.#b = null;
    this.#id = '';
    this.#closing = this.#ok = false;
    this.#prev = { sent: 0, lost: 0, rtts: [] };
    this.#dataRtt = null;
    this.#dc = undefined;
    clearInterval(this.#poll);
    this.#poll = undefined;
  }

  #fail(): void {
    if (this.#id) this.host.tp?.send('endCall', { callId: this.#id });
    this.reset();
    this.#note('CONN_FAILED');
  }

  #note(n: LoopbackNote): void {
    this.host.note(n);
  }

  /** The relay tag's audio through Web Audio, so no microphone is needed (§9). */
  #source(): MediaStreamTrack | undefined {
    const el = this.host.relayElement;
    if (!el || typeof AudioContext === 'undefined') return undefined;
    const ctx = (this.#ctx ??= new AudioContext());
    const dst = ctx.createMediaStreamDestination();
    (this.#node ??= ctx.createMediaElementSource(el)).connect(dst);
    el.loop = true;
    el.play?.()?.catch?.(noop);
    return dst.stream.getAudioTracks()[0];
  }

  #fill(out: LoopbackStats, ra: RTCStatsReport, rb: RTCStatsReport): void {
    const n = (v: unknown) => Number(v) || 0;
    let [sent, lost, got, jitter] = [0, 0, 0, 0];
    let rtt: number | null = null;
    ra.forEach((s: Record<string, unknown>) => {
      if (s.type === 'outbound-rtp') sent += n(s.packetsSent);
      if (s.type !== 'remote-inbound-rtp') return;
      lost += n(s.packetsLost);
      jitter = n(s.jitter);
      if (typeof s.roundTripTime === 'number') rtt = s.roundTripTime; // seconds, as the vendor's
    });
    let lostAtB = 0;
    rb.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return;
      got += n(s.packetsReceived);
      lostAtB += n(s.packetsLost);
    });
    // A's RTCP view covers the first hop only; B's gaps cover the whole loop through the gateway
    lost = Math.max(lost, lostAtB);
    const { sent: s0, lost: l0, rtts } = this.#prev;
    if (rtt !== null) rtts.push(rtt);
    const pct = (a: number, b: number) => (b ? (a / b) * 100 : 0).toFixed(2);
    // the API document's key names (§9's vendor code spells some with a capital L)
    Object.assign(out.audio, {
      nowPloss: lost - l0,
      // not in the vendor's object: the data channel's round trip through the relay, ms
      dataRTT: this.#dataRtt,
      totPSent: sent,
      totPlost: lost,
      totPReceived: got,
      totJitter: jitter,
      nowRTT: rtt,
      maxRTT: rtts.length ? Math.max(...rtts) : null,
      minRTT: rtts.length ? Math.min(...rtts) : null,
      avgRTT: rtts.length ? (rtts.reduce((x, y) => x + y, 0) / rtts.length).toFixed(2) : null,
      totPlossPercent: pct(lost, sent),
      nowPlossPercent: pct(lost - l0, sent - s0),
    });
    this.#prev = { sent, lost, rtts };
  }
}
