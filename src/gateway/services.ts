/**
 * The gateway's own media services: calls that end at the gateway instead of another user.
 *
 * - Relay service (gateway-protocol.md §9): the loopback network test. The gateway terminates
 *   both legs — it answers the browser's leg A and offers leg B back on the same socket — and
 *   relays RTP between them, so the test measures the browser↔gateway path.
 * - Echo test (phone/agent service, default number 8000): what the browser sends comes back.
 * - DTMF read-back (default 8001): the gateway decodes RFC 4733 telephone-events and reports
 *   the digits received so far in `FarEndChanged.FarEndDn`, so DTMF can be checked end to end.
 *
 * Media is made by injected factories (werift, in media/bridge.ts), so this module stays free of
 * WebRTC and is unit-testable. Service calls do not count toward the 3-call limit of a session.
 */
import type { RequestParams } from '../protocol/index.js';
import { RESPONSE_CODE as RC } from '../protocol/index.js';
import type { Logger } from './log.js';
import type { Session } from './session.js';

type Reply = (code: string, responseString: string) => void;

/** A media leg answering the browser's offer (echo / DTMF read-back). */
export interface TestLeg {
  /** the complete SDP answer for the browser */
  readonly answer: string;
  close(): Promise<void>;
}

/** The relay's two legs: `answerA` answers the browser's offer A, `offerB` is sent as IncomingCall. */
export interface RelayLegs {
  readonly answerA: string;
  readonly offerB: string;
  acceptB(answerSdp: string): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceEnv {
  log: Logger;
  domain: string;
  /** dialled number of the echo test; '' disables it */
  echoNumber: string;
  /** dialled number of the DTMF read-back; '' disables it */
  dtmfNumber: string;
  createTestLeg(
    offer: string,
    options: { echo: boolean; onDigit?: (digit: string) => void },
  ): Promise<TestLeg>;
  createRelay(offer: string): Promise<RelayLegs>;
}

type Kind = 'relay' | 'echo' | 'dtmf';

interface ServiceCall {
  readonly kind: Kind;
  readonly callId: string;
  readonly session: Session;
  state: 'setting-up' | 'offered' | 'connected' | 'ended';
  media?: TestLeg | RelayLegs;
  digits: string;
}

const NAMES: Record<Exclude<Kind, 'relay'>, string> = { echo: 'Echo test', dtmf: 'DTMF read-back' };
const MAX_SERVICE_CALLS = 3;
const MAX_DIGITS = 64;

/** RFC 4733 event codes 0–15 as dial characters. */
const DTMF_EVENTS = '0123456789*#ABCD';

/**
 * Reads one RFC 4733 telephone-event payload: the digit when this packet ends an event not seen
 * before (the end packet is sent three times; `timestamp` tells the copies apart), else null.
 */
export function dtmfEnd(
  payload: Uint8Array,
  timestamp: number,
  last: { timestamp?: number },
): string | null {
  if (payload.length < 4) return null;
  const event = payload[0]!;
  const end = (payload[1]! & 0x80) !== 0;
  if (!end || event >= DTMF_EVENTS.length || last.timestamp === timestamp) return null;
  last.timestamp = timestamp;
  return DTMF_EVENTS[event]!;
}

export class MediaServices {
  readonly #calls = new Map<Session, Map<string, ServiceCall>>();

  constructor(private readonly env: ServiceEnv) {}

  /** Does this makeCall go to a service rather than a user? */
  handles(session: Session, target: string): boolean {
    if (session.service === 'relayservice') return true;
    return target !== '' && (target === this.env.echoNumber || target === this.env.dtmfNumber);
  }

  owns(session: Session, callId: string): boolean {
    return this.#calls.get(session)?.has(callId) ?? false;
  }

  /** Live service calls, for /healthz and tests. */
  get count(): number {
    let n = 0;
    for (const m of this.#calls.values()) n += m.size;
    return n;
  }

  makeCall(session: Session, p: RequestParams<'makeCall'>, reply: Reply): void {
    const mine = this.#calls.get(session) ?? new Map<string, ServiceCall>();
    if (mine.has(p.callId) || session.legs.has(p.callId))
      return reply(RC.CONFLICT, 'Call id already in use in this session');
    if (mine.size >= MAX_SERVICE_CALLS) {
      reply(RC.FORBIDDEN, `Maximum of ${MAX_SERVICE_CALLS} test calls per session reached`);
      return session.event('CallDisconnected', {
        callId: p.callId,
        reasonString: 'Too many test calls',
      });
    }
    const kind: Kind =
      session.service === 'relayservice'
        ? 'relay'
        : p.target === this.env.echoNumber
          ? 'echo'
          : 'dtmf';
    const call: ServiceCall = { kind, callId: p.callId, session, state: 'setting-up', digits: '' };
    mine.set(p.callId, call);
    this.#calls.set(session, mine);
    reply(RC.OK, 'OK');
    session.log.info('service call', { kind, call: p.callId });
    if (kind !== 'relay') {
      session.event('CallProgressing', {
        callId: p.callId,
        FarEndDn: NAMES[kind],
        sipUri: `sip:${p.target}@${this.env.domain}`,
      });
    }
    void this.#start(call, p.sdp).catch((err: Error) => {
      session.log.warn('service call failed', { kind, call: p.callId, err: err.message });
      this.#end(
        call,
        kind === 'relay'
          ? 'Network test media could not be set up'
          : 'Test call media could not be set up',
      );
    });
  }

  async #start(call: ServiceCall, offer: string): Promise<void> {
    const { session, callId } = call;
    if (call.kind === 'relay') {
      const relay = await this.env.createRelay(offer);
      if (call.state === 'ended') return void relay.close().catch(() => {});
      call.media = relay;
      call.state = 'offered';
      // §9 step 2: leg B is offered back on the same socket; the client answers with its own id
      session.event('IncomingCall', {
        callId,
        sdp: relay.offerB,
        sipUri: null,
        FarEndDn: 'Network test',
        autoAnswer: 'true',
      });
      return;
    }
    const onDigit =
      call.kind === 'dtmf'
        ? (digit: string) => {
            if (call.state !== 'connected' || call.digits.length >= MAX_DIGITS) return;
            call.digits += digit;
            session.event('FarEndChanged', { callId, FarEndDn: call.digits, sipUri: null });
          }
        : undefined;
    const leg = await this.env.createTestLeg(offer, {
      echo: call.kind === 'echo',
      ...(onDigit ? { onDigit } : {}),
    });
    if (call.state === 'ended') return void leg.close().catch(() => {});
    call.media = leg;
    call.state = 'connected';
    session.event('CallConnected', { callId, sdp: leg.answer });
  }

  /** answerCall: the relay's leg B answer (§9 step 3); nothing else can be answered. */
  answer(session: Session, p: RequestParams<'answerCall'>, reply: Reply): void {
    const call = this.#calls.get(session)?.get(p.callId);
    if (!call || call.kind !== 'relay' || call.state !== 'offered')
      return reply(RC.CONFLICT, 'Not an incoming call');
    const relay = call.media as RelayLegs;
    call.state = 'connected';
    reply(RC.OK, 'OK');
    relay.acceptB(p.sdp).then(
      () => {
        if (call.state === 'connected')
          session.event('CallConnected', { callId: call.callId, sdp: relay.answerA });
      },
      (err: Error) => {
        session.log.warn('network test answer refused', { err: err.message });
        this.#end(call, 'Network test answer was not acceptable');
      },
    );
  }

  /** endCall / abortCall / rejectCall: the gateway confirms with CallDisconnected (§9 step 6). */
  hangup(session: Session, callId: string, reply: Reply): void {
    const call = this.#calls.get(session)?.get(callId);
    if (!call) return reply(RC.NOT_FOUND, 'Unknown call');
    reply(RC.OK, 'OK');
    this.#end(call, 'Call ended');
  }

  /** hold, transfer, media updates: a test call does not take them. */
  refuse(reply: Reply): void {
    reply('501', 'Not available on a test call');
  }

  /** Logout or socket loss: every service call of the session goes, without events. */
  drop(session: Session): void {
    const mine = this.#calls.get(session);
    if (!mine) return;
    this.#calls.delete(session);
    for (const call of mine.values()) this.#release(call);
  }

  /**
   * Fault injection for tests: closes the media of every service call (the gateway's legs die
   * without any signalling), so clients see their ICE connection go away.
   */
  killMedia(): number {
    let n = 0;
    for (const mine of this.#calls.values()) {
      for (const call of mine.values()) {
        if (call.media) n++;
        void call.media?.close().catch(() => {});
      }
    }
    return n;
  }

  #end(call: ServiceCall, reason: string): void {
    if (call.state === 'ended') return;
    this.#calls.get(call.session)?.delete(call.callId);
    this.#release(call);
    call.session.event('CallDisconnected', { callId: call.callId, reasonString: reason });
  }

  #release(call: ServiceCall): void {
    call.state = 'ended';
    void call.media
      ?.close()
      .catch((err: Error) => this.env.log.warn('service media close failed', { err: err.message }));
  }
}
