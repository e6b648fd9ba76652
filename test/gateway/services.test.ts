/**
 * The gateway's own media services over real sockets and real media: werift PeerConnections stand
 * in for browsers. Relay loopback (§9) with both legs terminated by the gateway and RTP relayed
 * between them; the echo test (8000); the DTMF read-back (8001) reporting RFC 4733 digits in
 * FarEndChanged.
 * Run: node --import tsx --test test/gateway/services.test.ts
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  type RTCDtlsTransport,
  type RtpPacket,
} from 'werift';
import { expectResponse, newCallId } from '../support/calls.js';
import { useGateway } from '../support/suite.js';

const WAIT_MS = 8000;
const DTMF_PT = 101;
const OPUS_PT = 111;

/** A browser stand-in that offers (or answers) audio and sends/records raw RTP. */
class Peer {
  readonly pc = new RTCPeerConnection({
    codecs: {
      audio: [
        new RTCRtpCodecParameters({
          mimeType: 'audio/opus',
          clockRate: 48000,
          channels: 2,
          payloadType: OPUS_PT,
        }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: DTMF_PT,
        }),
      ],
    },
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
  });
  readonly rtp: RtpPacket[] = [];
  transport?: RTCDtlsTransport;
  #seq = 1;
  #ts = 0;
  #waiters = new Set<() => void>();

  async offer(): Promise<string> {
    this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await this.pc.iceGatheringStateChange
      .watch((s) => s === 'complete', WAIT_MS)
      .catch(() => undefined);
    this.#listen();
    return this.pc.localDescription!.sdp;
  }

  async answer(offer: string): Promise<string> {
    this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    this.#listen();
    return this.pc.localDescription!.sdp;
  }

  accept(answer: string): Promise<void> {
    return this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  #listen(): void {
    this.transport = this.pc.getTransceivers()[0]!.dtlsTransport;
    this.transport.onRtp.subscribe((p) => {
      this.rtp.push(p);
      for (const w of this.#waiters) w();
    });
  }

  connected(): Promise<unknown> {
    if (this.pc.connectionState === 'connected') return Promise.resolve();
    return this.pc.connectionStateChange.watch((s) => s === 'connected', WAIT_MS);
  }

  /** One RTP packet on our SSRC with this PT, payload and (for DTMF) timestamp. */
  send(pt: number, payload: Buffer, timestamp?: number, marker = false): void {
    this.#seq = (this.#seq + 1) & 0xffff;
    if (timestamp === undefined) this.#ts = (this.#ts + 960) >>> 0;
    const ssrc = this.pc.getTransceivers()[0]!.sender.ssrc;
    const header = new RtpHeader({
      payloadType: pt,
      sequenceNumber: this.#seq,
      timestamp: timestamp ?? this.#ts,
      ssrc,
      marker,
    });
    void this.transport!.sendRtp(payload, header);
  }

  /** An RFC 4733 event: two progress packets and the end packet three times, on one timestamp. */
  digit(event: number, timestamp: number): void {
    const pkt = (end: boolean, duration: number) =>
      Buffer.from([event, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
    this.send(DTMF_PT, pkt(false, 400), timestamp, true);
    this.send(DTMF_PT, pkt(false, 800), timestamp);
    for (let i = 0; i < 3; i++) this.send(DTMF_PT, pkt(true, 1200), timestamp);
  }

  until(cond: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!cond()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what} (received ${this.rtp.length} packets)`));
      }, WAIT_MS);
      this.#waiters.add(check);
      check();
    });
  }

  /** Sends `text` on the opus PT every 20 ms until `to` has received it. */
  async sendUntil(text: string, to: Peer, what: string): Promise<void> {
    const timer = setInterval(() => this.send(OPUS_PT, Buffer.from(text)), 20);
    try {
      await to.until(() => payloads(to).includes(text), what);
    } finally {
      clearInterval(timer);
    }
  }

  close(): Promise<void> {
    return this.pc.close();
  }
}

const payloads = (p: Peer, pt = OPUS_PT) =>
  p.rtp.filter((r) => r.header.payloadType === pt).map((r) => r.payload.toString());

describe('media services', () => {
  const s = useGateway();
  const liveServices = async (): Promise<number> =>
    (JSON.parse((await s.gw.http('GET', '/healthz')).body) as { services: number }).services;

  test('relay loopback (§9): leg B offered back on the same socket, answers cross, RTP relayed A→B and B→A', async () => {
    const c = await s.login('201', { service: 'relayservice' });
    const a = new Peer();
    const b = new Peer();
    try {
      const callId = newCallId();
      const offerA = await a.offer();
      expectResponse(
        await c.request('makeCall', { target: '0', callId, sdp: offerA }),
        'makeCallResponse',
        '200',
        callId,
      );
      const incoming = await c.next('IncomingCall', undefined, WAIT_MS);
      assert.match(incoming.params.sdp, /^v=0/);
      assert.notEqual(
        incoming.params.sdp,
        offerA,
        'leg B is the gateway’s own offer, not a reflection of A',
      );
      const answerB = await b.answer(incoming.params.sdp);
      expectResponse(
        await c.request('answerCall', { callId, sdp: answerB }),
        'answerCallResponse',
        '200',
        callId,
      );
      const connected = await c.nextFor('CallConnected', callId, WAIT_MS);
      assert.match(connected.params.sdp, /^a=candidate:/m, 'leg A answer is complete');
      await a.accept(connected.params.sdp);
      await Promise.all([a.connected(), b.connected()]);
      await a.sendUntil('from-a', b, 'A’s audio at B');
      await b.sendUntil('from-b', a, 'B’s audio at A');
      expectResponse(await c.request('endCall', { callId }), 'endCallResponse', '200', callId);
      await c.nextFor('CallDisconnected', callId);
      assert.equal(await liveServices(), 0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('echo test (8000): progress, a complete answer, and what is sent comes back', async () => {
    const c = await s.login('202');
    const p = new Peer();
    try {
      const callId = newCallId();
      expectResponse(
        await c.request('makeCall', { target: '8000', callId, sdp: await p.offer() }),
        'makeCallResponse',
        '200',
        callId,
      );
      const progress = await c.nextFor('CallProgressing', callId);
      assert.equal(progress.params.FarEndDn, 'Echo test');
      const connected = await c.nextFor('CallConnected', callId, WAIT_MS);
      await p.accept(connected.params.sdp);
      await p.connected();
      await p.sendUntil('echo-me', p, 'the echo');
      for (const verb of ['holdCall', 'transferCall'] as const) {
        const r = await c.request(
          verb,
          verb === 'transferCall' ? { callId, target: '203', type: 'unAttended' } : { callId },
        );
        assert.equal(r.params.responseCode, '501', `${verb} on a test call`);
      }
      expectResponse(await c.request('endCall', { callId }), 'endCallResponse', '200', callId);
      await c.nextFor('CallDisconnected', callId);
    } finally {
      await p.close();
    }
  });

  test('DTMF read-back (8001): RFC 4733 digits come back in FarEndChanged, once per event', async () => {
    const c = await s.login('203');
    const p = new Peer();
    try {
      const callId = newCallId();
      expectResponse(
        await c.request('makeCall', { target: '8001', callId, sdp: await p.offer() }),
        'makeCallResponse',
        '200',
        callId,
      );
      const connected = await c.nextFor('CallConnected', callId, WAIT_MS);
      await p.accept(connected.params.sdp);
      await p.connected();
      const seen: string[] = [];
      const events = [1, 2, 11, 10, 0]; // 1 2 # * 0
      for (const [i, e] of events.entries()) {
        p.digit(e, 10_000 + i * 8000);
        seen.push((await c.nextFor('FarEndChanged', callId, WAIT_MS)).params.FarEndDn);
      }
      assert.deepEqual(seen, ['1', '12', '12#', '12#*', '12#*0']);
      await c.expectNone('FarEndChanged', (pp) => pp.callId === callId, 300);
      expectResponse(await c.request('endCall', { callId }), 'endCallResponse', '200', callId);
    } finally {
      await p.close();
    }
  });

  test('a bad offer ends the test call with a reason; logout releases live service calls', async () => {
    const c = await s.login('204');
    const callId = newCallId();
    const bad =
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n';
    expectResponse(
      await c.request('makeCall', { target: '8000', callId, sdp: bad }),
      'makeCallResponse',
      '200',
      callId,
    );
    const gone = await c.nextFor('CallDisconnected', callId, WAIT_MS);
    assert.equal(gone.params.reasonString, 'Test call media could not be set up');

    const p = new Peer();
    try {
      const id2 = newCallId();
      await c.request('makeCall', { target: '8000', callId: id2, sdp: await p.offer() });
      await c.nextFor('CallConnected', id2, WAIT_MS);
      assert.equal(await liveServices(), 1);
      await c.request('logout', null, { responseName: 'logoutResponse' });
      assert.equal(await liveServices(), 0);
    } finally {
      await p.close();
    }
  });
});

describe('media services with --media-loss (impairment for tests)', () => {
  const s = useGateway({ args: ['--media-loss', '10'] });

  test('the echo leg drops about a tenth of what it receives, at random', async () => {
    const c = await s.login('201');
    const p = new Peer();
    try {
      const callId = newCallId();
      await c.request('makeCall', { target: '8000', callId, sdp: await p.offer() });
      await p.accept((await c.nextFor('CallConnected', callId, WAIT_MS)).params.sdp);
      await p.connected();
      await p.sendUntil('warm-up', p, 'the first echo');
      const sent = 1000;
      const before = p.rtp.length;
      for (let i = 0; i < sent; i++) {
        p.send(OPUS_PT, Buffer.from(`n${i}`));
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 10)); // paced like audio (≈ 1000 packets/s), not a burst
      }
      await p.sendUntil('last', p, 'the end marker'); // everything before it has had time to come back
      const back = p.rtp.length - before - payloads(p).filter((x) => x === 'last').length;
      const share = back / sent;
      assert.ok(
        share > 0.8 && share < 0.97,
        `echoed ${back} of ${sent} (${(share * 100).toFixed(1)} %), expected about 90 %`,
      );
      expectResponse(await c.request('endCall', { callId }), 'endCallResponse', '200', callId);
    } finally {
      await p.close();
    }
  });
});
