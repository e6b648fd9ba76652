/**
 * Call routing: offers, answers, early media, hold, transfer, media updates, limits and teardown.
 *
 * A call has an `a` leg (the caller, or the party kept by a transfer) and a `b` leg (the answering
 * party); while it rings, `offers` holds one forked leg per logged-in session of the target. Each
 * leg has its own call id in its own session, so a client can never name another session's call.
 * Normal calls relay SDP unchanged (media flows browser↔browser). A transfer joins two browsers
 * that never negotiated with each other, so the gateway anchors their media in a MediaBridge.
 */
import { randomUUID } from 'node:crypto';
import type { RequestParams, Service } from '../protocol/index.js';
import { MAX_CALLS, RESPONSE_CODE as RC } from '../protocol/index.js';
import type { User } from './directory.js';
import type { Logger } from './log.js';
import type { Session, Leg } from './session.js';

/** What the router needs from a media anchor (implemented with werift in media/bridge.ts). */
export interface BridgeLegLike {
  readonly offer: string;
  accept(answerSdp: string): Promise<void>;
}
export interface BridgeLike {
  readonly a: BridgeLegLike;
  readonly b: BridgeLegLike;
  close(): Promise<void>;
}

export interface CallEnv {
  log: Logger;
  findUser(extension: string): User | undefined;
  /** logged-in sessions of an extension */
  sessionsOf(extension: string): Session[];
  createBridge(options: { video: boolean }): Promise<BridgeLike>;
  /** domain used in SIP URIs */
  domain: string;
  ringTimeoutMs: number;
  mediaUpdateTimeoutMs: number;
}

/** The protocol's call limit per registration (§6.1), shared with the SDK and the core. */
export const MAX_CALLS_PER_SESSION = MAX_CALLS;
const CALL_SERVICES: ReadonlySet<Service> = new Set(['phoneservice', 'agentservice']);

type LegState = 'calling' | 'offered' | 'early' | 'connected';

interface CallLeg extends Leg {
  call: Call;
  state: LegState;
  /** this party asked for hold */
  held: boolean;
  /** a media update this leg has to answer, relayed from the other party */
  pendingUpdate?: { from: CallLeg; requestId: string; timer: NodeJS.Timeout };
  /** this leg must answer the bridge's offer (transfer re-anchoring) */
  pendingBridge?: 'a' | 'b';
}

class Call {
  readonly id = randomUUID();
  b: CallLeg | null = null;
  readonly offers = new Set<CallLeg>();
  bridge: BridgeLike | null = null;
  ended = false;
  ringTimer: NodeJS.Timeout | undefined;
  a!: CallLeg;
  constructor(public video: boolean) {}

  legs(): CallLeg[] {
    return [this.a, this.b, ...this.offers].filter((l): l is CallLeg => l !== null);
  }
  other(leg: CallLeg): CallLeg | null {
    if (leg === this.a) return this.b;
    if (leg === this.b) return this.a;
    return null;
  }
}

type Reply = (code: string, responseString: string) => void;

const hasVideo = (sdp: string) => /(^|\n)m=video [1-9]/.test(sdp);

export class CallRouter {
  readonly #calls = new Set<Call>();

  constructor(private readonly env: CallEnv) {}

  get activeCalls(): number {
    return this.#calls.size;
  }

  sipUri(user: User): string {
    return `sip:${user.extension}@${this.env.domain}`;
  }

  #newCallId(): string {
    return `gw-${randomUUID()}@${this.env.domain}`;
  }

  #attach(session: Session, call: Call, callId: string, state: LegState): CallLeg {
    const leg: CallLeg = { callId, session, call, state, held: false };
    session.legs.set(callId, leg);
    return leg;
  }

  #detach(leg: CallLeg): void {
    if (leg.pendingUpdate) clearTimeout(leg.pendingUpdate.timer);
    leg.pendingUpdate = undefined;
    if (leg.session.legs.get(leg.callId) === leg) leg.session.legs.delete(leg.callId);
  }

  /** The leg this session holds under `callId`, or null. */
  leg(session: Session, callId: string): CallLeg | null {
    return (session.legs.get(callId) as CallLeg | undefined) ?? null;
  }

  /** Ends a call for every party. `by` (if any) gets `byReason` when given; the others `reason`. */
  #end(call: Call, reason: string, by?: CallLeg, byReason?: string): void {
    if (call.ended) return;
    call.ended = true;
    clearTimeout(call.ringTimer);
    this.#calls.delete(call);
    for (const leg of call.legs()) {
      this.#detach(leg);
      if (leg === by && byReason === undefined) continue;
      leg.session.event('CallDisconnected', {
        callId: leg.callId,
        reasonString: leg === by ? byReason! : reason,
      });
    }
    if (call.bridge)
      void call.bridge
        .close()
        .catch((err: Error) => this.env.log.warn('bridge close failed', { err: err.message }));
    this.env.log.info('call ended', { call: call.id, reason });
  }

  /** Removes one forked offer; the call ends for the caller when no offer is left. */
  #dropOffer(leg: CallLeg, reasonWhenLast: string, selfReason?: string): void {
    const call = leg.call;
    call.offers.delete(leg);
    this.#detach(leg);
    if (selfReason)
      leg.session.event('CallDisconnected', { callId: leg.callId, reasonString: selfReason });
    if (call.offers.size === 0 && !call.b) this.#end(call, reasonWhenLast);
  }

  #offerTargets(target: User, exclude: Session): { sessions: Session[]; busy: boolean } {
    const logged = this.env
      .sessionsOf(target.extension)
      .filter((s) => s !== exclude && CALL_SERVICES.has(s.service));
    const sessions = logged.filter((s) => s.legs.size < MAX_CALLS_PER_SESSION);
    return { sessions, busy: logged.length > 0 && sessions.length === 0 };
  }

  #offer(call: Call, targets: Session[], sdp: string, from: User): void {
    for (const s of targets) {
      const leg = this.#attach(s, call, this.#newCallId(), 'offered');
      call.offers.add(leg);
      s.event('IncomingCall', {
        callId: leg.callId,
        sdp,
        sipUri: this.sipUri(from),
        FarEndDn: from.name,
        autoAnswer: 'false',
      });
    }
    call.ringTimer = setTimeout(() => {
      if (!call.b && !call.ended) this.#end(call, 'No answer');
    }, this.env.ringTimeoutMs);
    call.ringTimer.unref();
  }

  makeCall(session: Session, p: RequestParams<'makeCall'>, reply: Reply): void {
    if (session.legs.has(p.callId))
      return reply(RC.CONFLICT, 'Call id already in use in this session');
    const call = new Call(hasVideo(p.sdp));
    if (session.service === 'relayservice') {
      reply('501', 'Network test service is not available on this gateway');
      return session.event('CallDisconnected', {
        callId: p.callId,
        reasonString: 'Network test service is not available',
      });
    }
    if (session.legs.size >= MAX_CALLS_PER_SESSION) {
      reply(RC.FORBIDDEN, `Maximum of ${MAX_CALLS_PER_SESSION} calls per session reached`);
      return session.event('CallDisconnected', {
        callId: p.callId,
        reasonString: `Maximum of ${MAX_CALLS_PER_SESSION} calls per session reached`,
      });
    }
    call.a = this.#attach(session, call, p.callId, 'calling');
    this.#calls.add(call);
    const target = this.env.findUser(p.target);
    if (!target) {
      reply(RC.NOT_FOUND, 'Number not found');
      return this.#end(call, 'Number not found');
    }
    const { sessions, busy } = this.#offerTargets(target, session);
    reply(RC.OK, 'OK');
    if (sessions.length === 0) return this.#end(call, busy ? 'User busy' : 'User not available');
    this.env.log.info('call offered', {
      call: call.id,
      from: session.extension,
      to: target.extension,
      forks: sessions.length,
      video: call.video,
    });
    this.#offer(call, sessions, p.sdp, session.user!);
    session.event('CallProgressing', {
      callId: p.callId,
      FarEndDn: target.name,
      sipUri: this.sipUri(target),
    });
  }

  /** answerCall (early = false) and answerEarlyMedia (early = true). */
  answer(session: Session, p: RequestParams<'answerCall'>, early: boolean, reply: Reply): void {
    const leg = this.leg(session, p.callId)!;
    const call = leg.call;
    if (!call.offers.has(leg))
      return reply(RC.CONFLICT, leg === call.b ? 'Call already answered' : 'Not an incoming call');
    if (early && leg.state === 'early') return reply(RC.OK, 'OK');
    reply(RC.OK, 'OK');
    const wasEarly = leg.state === 'early';
    for (const other of [...call.offers])
      if (other !== leg) this.#dropOffer(other, '', 'Answered elsewhere');
    const caller = call.a;
    const sdpForCaller = wasEarly ? undefined : p.sdp;
    if (sdpForCaller && call.bridge) this.#acceptBridge(call, 'b', sdpForCaller);
    if (early) {
      leg.state = 'early';
      if (sdpForCaller && !call.bridge) {
        caller.session.event('CallProgressing', {
          callId: caller.callId,
          sdp: sdpForCaller,
          FarEndDn: session.user!.name,
          sipUri: this.sipUri(session.user!),
        });
      }
      return;
    }
    call.offers.clear();
    clearTimeout(call.ringTimer);
    call.b = leg;
    leg.state = 'connected';
    session.event('CallConnected', { callId: leg.callId });
    if (call.bridge) {
      caller.session.event('FarEndChanged', {
        callId: caller.callId,
        FarEndDn: session.user!.name,
        sipUri: this.sipUri(session.user!),
      });
    } else {
      caller.state = 'connected';
      caller.session.event(
        'CallConnected',
        sdpForCaller ? { callId: caller.callId, sdp: sdpForCaller } : { callId: caller.callId },
      );
    }
    this.env.log.info('call connected', { call: call.id, by: session.extension });
  }

  reject(session: Session, p: RequestParams<'rejectCall'>, reply: Reply): void {
    const leg = this.leg(session, p.callId)!;
    reply(RC.OK, 'OK');
    if (leg.call.offers.has(leg))
      this.#dropOffer(
        leg,
        p.ext?.reason === 'no-media'
          ? 'The called party could not use a microphone'
          : p.ext?.reason === 'invalid-offer'
            ? 'The called party could not accept the call offer'
            : leg.call.bridge
              ? 'Transfer target rejected the call'
              : 'Call rejected',
      );
    else this.#end(leg.call, 'Far end disconnected', leg);
  }

  /** endCall and abortCall: allowed in any state, treated alike (§6.5). */
  hangup(session: Session, p: RequestParams<'endCall'>, reply: Reply): void {
    const leg = this.leg(session, p.callId)!;
    reply(RC.OK, 'OK');
    this.#hangupLeg(leg, 'Call ended');
  }

  #hangupLeg(leg: CallLeg, selfReason: string | undefined, othersReason?: string): void {
    const call = leg.call;
    if (call.offers.has(leg))
      return this.#dropOffer(leg, othersReason ?? 'Call rejected', selfReason);
    const reason = othersReason ?? (call.b ? 'Far end disconnected' : 'Call cancelled');
    this.#end(call, reason, leg, selfReason);
  }

  hold(session: Session, p: RequestParams<'holdCall'>, hold: boolean, reply: Reply): void {
    const leg = this.leg(session, p.callId)!;
    const far = leg.call.other(leg);
    if (!far || leg.state !== 'connected' || far.state !== 'connected')
      return reply(RC.CONFLICT, 'Call is not connected');
    if (!hold && !leg.held) return reply(RC.CONFLICT, 'Call is not held by this party');
    leg.held = hold;
    reply(RC.OK, 'OK');
    const msg = hold ? 'CallHeld' : 'CallUnheld';
    leg.session.event(msg, { callId: leg.callId });
    // The far end's client shows the call as held while this party holds it; it is told about an
    // unhold only when it does not hold the call itself.
    if (hold || !far.held) far.session.event(msg, { callId: far.callId });
  }

  transfer(session: Session, p: RequestParams<'transferCall'>, reply: Reply): void {
    const leg = this.leg(session, p.callId)!;
    const call = leg.call;
    const far = call.other(leg);
    if (!far || leg.state !== 'connected' || far.state !== 'connected')
      return reply(RC.CONFLICT, 'Call is not connected');
    const type = p.type.trim().toLowerCase();
    const failed = (code: string, reason: string) => {
      reply(code, reason);
      session.event('CallTransferFailed', { callId: leg.callId, reasonString: reason });
    };
    if (type === 'attended') {
      const consult = this.#consultationLeg(session, leg, p.target);
      if (!consult)
        return failed(RC.NOT_FOUND, 'No connected consultation call matches the target');
      const other = consult.call.other(consult)!;
      reply(RC.OK, 'OK');
      this.#completeTransfer(leg, consult);
      void this.#join(far, other).catch((err: Error) => this.#bridgeFailed(far.call, err));
      return;
    }
    if (type !== 'unattended' && type !== 'blind') {
      return reply(RC.BAD_REQUEST, 'type must be "unAttended" or "attended"');
    }
    const target = this.env.findUser(p.target);
    if (!target) return failed(RC.NOT_FOUND, 'Number not found');
    const { sessions, busy } = this.#offerTargets(target, far.session);
    if (sessions.length === 0)
      return failed(busy ? '486' : '480', busy ? 'User busy' : 'User not available');
    reply(RC.OK, 'OK');
    this.#completeTransfer(leg);
    void this.#blindTransfer(far, sessions).catch((err: Error) =>
      this.#bridgeFailed(far.call, err),
    );
  }

  /** The transferring party's side: success, then its call(s) end (§6.7). */
  #completeTransfer(leg: CallLeg, consult?: CallLeg): void {
    const s = leg.session;
    s.event('CallTransferSuccessful', { callId: leg.callId });
    for (const l of consult ? [leg, consult] : [leg]) {
      const call = l.call;
      this.#detach(l);
      // the transferring party leaves; the call object is rebuilt around the remaining parties
      this.#calls.delete(call);
      call.ended = true;
      clearTimeout(call.ringTimer);
      s.event('CallDisconnected', { callId: l.callId, reasonString: 'Call transferred' });
    }
  }

  #consultationLeg(session: Session, leg: CallLeg, target: string): CallLeg | null {
    const byId = this.leg(session, target);
    const candidates = byId ? [byId] : [...session.legs.values()].map((l) => l as CallLeg);
    for (const c of candidates) {
      if (c === leg || c.call === leg.call || c.state !== 'connected') continue;
      const other = c.call.other(c);
      if (!other || other.state !== 'connected') continue;
      if (c === byId || other.session.extension === target) return c;
    }
    return null;
  }

  /** Moves a remaining party into a new call whose media the gateway anchors. */
  #rehome(leg: CallLeg, call: Call, pending: 'a' | 'b'): void {
    leg.call = call;
    leg.state = 'connected';
    if (leg.pendingUpdate) clearTimeout(leg.pendingUpdate.timer);
    leg.pendingUpdate = undefined;
    leg.pendingBridge = pending;
    if (leg.held) leg.held = false;
    // Whatever hold state its client shows, the new conversation starts unheld.
    leg.session.event('CallUnheld', { callId: leg.callId });
  }

  async #blindTransfer(far: CallLeg, targets: Session[]): Promise<void> {
    const call = new Call(far.call.video);
    call.a = far;
    this.#rehome(far, call, 'a');
    this.#calls.add(call);
    call.bridge = await this.env.createBridge({ video: call.video });
    if (call.ended || !far.session.legs.has(far.callId)) return void this.#end(call, 'Call ended');
    far.session.event('MediaUpdateRequest', { callId: far.callId, sdp: call.bridge.a.offer });
    const live = targets.filter(
      (s) => !s.closed && s.loggedIn && s.legs.size < MAX_CALLS_PER_SESSION,
    );
    if (live.length === 0) return this.#end(call, 'User not available');
    this.#offer(call, live, call.bridge.b.offer, far.session.user!);
    this.env.log.info('blind transfer', {
      call: call.id,
      party: far.session.extension,
      forks: live.length,
    });
  }

  async #join(x: CallLeg, y: CallLeg): Promise<void> {
    const call = new Call(x.call.video || y.call.video);
    call.a = x;
    call.b = y;
    this.#rehome(x, call, 'a');
    this.#rehome(y, call, 'b');
    this.#calls.add(call);
    call.bridge = await this.env.createBridge({ video: call.video });
    if (call.ended) return;
    x.session.event('FarEndChanged', {
      callId: x.callId,
      FarEndDn: y.session.user!.name,
      sipUri: this.sipUri(y.session.user!),
    });
    y.session.event('FarEndChanged', {
      callId: y.callId,
      FarEndDn: x.session.user!.name,
      sipUri: this.sipUri(x.session.user!),
    });
    x.session.event('MediaUpdateRequest', { callId: x.callId, sdp: call.bridge.a.offer });
    y.session.event('MediaUpdateRequest', { callId: y.callId, sdp: call.bridge.b.offer });
    this.env.log.info('attended transfer', {
      call: call.id,
      parties: [x.session.extension, y.session.extension],
    });
  }

  #bridgeFailed(call: Call, err: Error): void {
    this.env.log.error('media bridge failed', { call: call.id, err: err.message });
    this.#end(call, 'Transfer failed: media could not be connected');
  }

  #acceptBridge(call: Call, side: 'a' | 'b', sdp: string): void {
    call.bridge![side].accept(sdp).catch((err: Error) => this.#bridgeFailed(call, err));
  }

  /** Client re-offer (updateMedia), relayed to the far end as MediaUpdateRequest (§6.9). */
  updateMedia(
    session: Session,
    requestId: string,
    p: RequestParams<'updateMedia'>,
    reply: Reply,
  ): void {
    const leg = this.leg(session, p.callId)!;
    const far = leg.call.other(leg);
    if (!far || leg.state !== 'connected' || far.state !== 'connected')
      return reply(RC.CONFLICT, 'Call is not connected');
    if (leg.call.bridge) return reply('488', 'Media update is not supported on a transferred call');
    if (leg.pendingUpdate || far.pendingUpdate || leg.pendingBridge || far.pendingBridge) {
      return reply('491', 'A media update is already in progress');
    }
    const timer = setTimeout(() => {
      if (far.pendingUpdate?.requestId !== requestId) return;
      far.pendingUpdate = undefined;
      reply('408', 'Far end did not answer the media update');
    }, this.env.mediaUpdateTimeoutMs);
    timer.unref();
    far.pendingUpdate = { from: leg, requestId, timer };
    far.session.event('MediaUpdateRequest', { callId: far.callId, sdp: p.sdp });
  }

  /** acceptMediaUpdateRequest (sdp given) or rejectMediaUpdateRequest (sdp undefined). */
  mediaUpdateAnswer(session: Session, callId: string, sdp: string | undefined, reply: Reply): void {
    const leg = this.leg(session, callId)!;
    const call = leg.call;
    if (leg.pendingBridge) {
      const side = leg.pendingBridge;
      leg.pendingBridge = undefined;
      reply(RC.OK, 'OK');
      if (sdp === undefined)
        return this.#end(call, 'Media update rejected by far end', leg, 'Media update rejected');
      return this.#acceptBridge(call, side, sdp);
    }
    const pending = leg.pendingUpdate;
    if (!pending) return reply(RC.CONFLICT, 'No media update pending for this call');
    clearTimeout(pending.timer);
    leg.pendingUpdate = undefined;
    reply(RC.OK, 'OK');
    const from = pending.from;
    if (sdp === undefined) {
      return from.session.respond(pending.requestId, 'updateMediaResponse', {
        responseCode: '488',
        responseString: 'Far end rejected the media update',
        callId: from.callId,
      });
    }
    call.video = hasVideo(sdp);
    from.session.respond(pending.requestId, 'updateMediaResponse', {
      responseCode: RC.OK,
      responseString: 'OK',
      callId: from.callId,
      sdp,
    });
  }

  /** CTI stand-in (agent desktop): sends CallCtiEventReceived; returns how many sessions got it. */
  cti(extension: string, ctiEvent: string, callId?: string): number {
    let sent = 0;
    for (const s of this.env.sessionsOf(extension)) {
      if (s.service !== 'agentservice') continue;
      const legs = callId ? [s.legs.get(callId)].filter(Boolean) : [...s.legs.values()].slice(0, 1);
      for (const leg of legs) {
        s.event('CallCtiEventReceived', { callId: leg!.callId, ctiEvent });
        sent++;
      }
    }
    return sent;
  }

  /**
   * Every call of a session ends: on logout, forced logout and socket loss (§2.5). `farEndReason`
   * replaces "Far end disconnected" for the other parties of established calls.
   */
  dropSession(session: Session, farEndReason = 'Far end disconnected'): void {
    for (const leg of [...session.legs.values()] as CallLeg[]) {
      const othersReason = leg.call.offers.has(leg) ? 'User not available' : farEndReason;
      this.#hangupLeg(leg, session.closed ? undefined : 'Logged out', othersReason);
    }
  }

  /** Call resume: ids of the session's established (connected or held) calls. */
  establishedCallIds(session: Session): string[] {
    return ([...session.legs.values()] as CallLeg[])
      .filter((l) => l.state === 'connected' && !l.call.offers.has(l))
      .map((l) => l.callId);
  }

  /** Call resume: ends the session's calls that are not established (ringing, being set up). */
  dropUnestablished(session: Session): void {
    for (const leg of [...session.legs.values()] as CallLeg[]) {
      if (leg.state === 'connected' && !leg.call.offers.has(leg)) continue;
      this.#hangupLeg(
        leg,
        undefined,
        leg.call.offers.has(leg) ? 'User not available' : 'Far end disconnected',
      );
    }
  }

  /** Ends one call of a session whose socket is gone; the other parties get `farEndReason`. */
  releaseCall(session: Session, callId: string, farEndReason: string): void {
    const leg = session.legs.get(callId) as CallLeg | undefined;
    if (leg)
      this.#hangupLeg(
        leg,
        undefined,
        leg.call.offers.has(leg) ? 'User not available' : farEndReason,
      );
  }

  /** Call resume: one call leaves `from` (its socket is gone) and joins `to` under the same id. */
  adopt(from: Session, to: Session, callId: string): boolean {
    const leg = from.legs.get(callId) as CallLeg | undefined;
    if (!leg || to.legs.has(callId)) return false;
    from.legs.delete(callId);
    leg.session = to;
    to.legs.set(callId, leg);
    return true;
  }
}
