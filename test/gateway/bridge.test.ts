// Real-media tests for the transfer media bridge: two werift PeerConnections stand in for the
// browsers, answer one leg each, and exchange RTP/RTCP through the bridge over loopback.
// Run: node --import tsx --test test/gateway/bridge.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  PictureLossIndication,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtcpPayloadSpecificFeedback,
  RtpHeader,
  type RTCDtlsTransport,
  type RTCRtpTransceiver,
  type RtpPacket,
} from 'werift';
import { MediaBridge, type BridgeLeg } from '../../src/gateway/media/bridge.js';

const WAIT_MS = 5000;

/** A browser stand-in: answers one bridge offer and sends/records raw RTP on the wire. */
class Client {
  readonly pc: RTCPeerConnection;
  readonly rtp: RtpPacket[] = [];
  readonly pliFor: number[] = []; // media SSRCs of PLIs received
  private transport?: RTCDtlsTransport;
  private readonly waiters = new Set<() => void>();
  private seq = 1000;
  private ts = 0;

  constructor(video: boolean) {
    this.pc = new RTCPeerConnection({
      codecs: {
        audio: [
          new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 }),
          new RTCRtpCodecParameters({
            mimeType: 'audio/PCMU',
            clockRate: 8000,
            channels: 1,
            payloadType: 0,
          }),
          new RTCRtpCodecParameters({
            mimeType: 'audio/telephone-event',
            clockRate: 8000,
            channels: 1,
          }),
        ],
        video: [
          new RTCRtpCodecParameters({
            mimeType: 'video/VP8',
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
          }),
        ],
      },
      iceServers: [],
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
    });
    this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    if (video) this.pc.addTransceiver('video', { direction: 'sendrecv' });
  }

  /** Answer `offer`; `munge` edits the answer both before our own SLD and in what we return. */
  async answer(offer: string, munge: (sdp: string) => string = (s) => s): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription({ type: 'answer', sdp: munge(answer.sdp) });
    const transport = this.pc.getTransceivers()[0]!.dtlsTransport;
    this.transport = transport;
    transport.onRtp.subscribe((p) => {
      this.rtp.push(p);
      this.notify();
    });
    transport.onRtcp.subscribe((p) => {
      if (
        p.type === RtcpPayloadSpecificFeedback.type &&
        p.feedback instanceof PictureLossIndication
      ) {
        this.pliFor.push(p.feedback.mediaSsrc);
        this.notify();
      }
    });
    return munge(this.pc.localDescription!.sdp);
  }

  get dtlsRole(): string | undefined {
    return this.transport?.role;
  }

  connected(): Promise<void> {
    if (this.pc.connectionState === 'connected') return Promise.resolve();
    return this.pc.connectionStateChange.watch((s) => s === 'connected', WAIT_MS).then(() => {});
  }

  private notify(): void {
    for (const w of this.waiters) w();
  }

  /** Resolves when `cond()` holds, re-checked on every packet received; rejects after WAIT_MS. */
  until(cond: () => boolean, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (cond()) done();
      };
      const seen = () => {
        const byPt: Record<number, number> = {};
        for (const p of this.rtp)
          byPt[p.header.payloadType] = (byPt[p.header.payloadType] ?? 0) + 1;
        return JSON.stringify(byPt);
      };
      const timer = setTimeout(
        () => done(new Error(`timed out waiting for ${what}; received PT→packets ${seen()}`)),
        WAIT_MS,
      );
      this.waiters.add(check);
      check();
    });
  }

  private transceiver(kind: 'audio' | 'video'): RTCRtpTransceiver {
    return this.pc.getTransceivers().find((t) => t.kind === kind)!;
  }

  /** Send one RTP packet with exactly this PT on our SSRC for `kind` (bypasses werift's PT stamping). */
  send(kind: 'audio' | 'video', payloadType: number, payload: string): void {
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + 960) >>> 0;
    const header = new RtpHeader({
      payloadType,
      sequenceNumber: this.seq,
      timestamp: this.ts,
      ssrc: this.transceiver(kind).sender.ssrc,
      marker: true,
    });
    void this.transport!.sendRtp(Buffer.from(payload), header);
  }

  sendPli(mediaSsrc: number): Promise<unknown> {
    const feedback = new PictureLossIndication({
      senderSsrc: this.transceiver('video').receiver.rtcpSsrc,
      mediaSsrc,
    });
    return this.transport!.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback })]);
  }

  ssrc(kind: 'audio' | 'video'): number {
    return this.transceiver(kind).sender.ssrc;
  }

  count(pt: number): number {
    return this.rtp.filter((p) => p.header.payloadType === pt).length;
  }

  /** Payload texts received with PT `pt`. */
  payloads(pt: number): string[] {
    return this.rtp.filter((p) => p.header.payloadType === pt).map((p) => p.payload.toString());
  }
}

/** Call `tick(i)` every 20 ms (a media clock, not a wait) until `done` settles. */
async function pump(tick: (i: number) => void, done: Promise<void>): Promise<number> {
  let i = 0;
  tick(i++);
  const timer = setInterval(() => tick(i++), 20);
  try {
    await done;
  } finally {
    clearInterval(timer);
  }
  return i;
}

// --- SDP edits a browser's answer may legitimately contain ---
const passive = (s: string) => s.replace(/^a=setup:active/gm, 'a=setup:passive');
const audioFmts = (s: string, edit: (pts: string[]) => string[]) =>
  s.replace(
    /^(m=audio \S+ \S+) ([\d ]+)$/m,
    (_, head: string, pts: string) => `${head} ${edit(pts.split(' ')).join(' ')}`,
  );
const withoutPcmu = (s: string) =>
  audioFmts(s, (pts) => pts.filter((p) => p !== '0')).replace(/^a=rtpmap:0 PCMU\/8000\r?\n/m, '');
const pcmuFirst = (s: string) => {
  const pcmu = /^a=rtpmap:0 .*\r?\n/m;
  const line = s.match(pcmu)![0];
  return audioFmts(s, (pts) => ['0', ...pts.filter((p) => p !== '0')])
    .replace(pcmu, '')
    .replace(/^a=rtpmap:111 /m, `${line}a=rtpmap:111 `);
};
// An existing Chrome PC re-answering (ICE restart) still reports gathering 'complete' from its old
// session, so the client sends the answer before any new candidate exists (seen with Chromium 156).
const withoutCandidates = (s: string) =>
  s.replace(/^a=(candidate:.*|end-of-candidates)\r?\n/gm, '');
// An agent that has restarted ICE advertises its restart count on its candidates: the existing
// Chrome PC answering a MediaUpdateRequest sends `generation 1` (seen with Chromium 156).
const restartedAgent = (s: string) =>
  s.replace(/^(a=candidate:.* generation )0\b/gm, (_, head: string) => `${head}1`);

const candidateAddresses = (sdp: string) =>
  [...sdp.matchAll(/^a=candidate:\S+ \d+ udp \d+ (\S+) \d+ typ host/gm)].map((m) => m[1]);

async function connectPair(
  bridge: MediaBridge,
  c1: Client,
  c2: Client,
  m1?: (s: string) => string,
  m2?: (s: string) => string,
) {
  const [ans1, ans2] = await Promise.all([
    c1.answer(bridge.a.offer, m1),
    c2.answer(bridge.b.offer, m2),
  ]);
  await Promise.all([bridge.a.accept(ans1), bridge.b.accept(ans2)]);
  await Promise.all([bridge.connected(WAIT_MS), c1.connected(), c2.connected()]);
  return { ans1, ans2 };
}

/** Child mode: a full bridge lifetime; the parent asserts this process exits on its own. */
async function exitScenario(): Promise<void> {
  const bridge = await MediaBridge.create({ video: false });
  const c1 = new Client(false);
  const c2 = new Client(false);
  await connectPair(bridge, c1, c2);
  await pump(
    (i) => c1.send('audio', 111, `opus-${i}`),
    c2.until(() => c2.count(111) >= 5, 'audio'),
  );
  await Promise.all([bridge.close(), c1.pc.close(), c2.pc.close()]);
}

if (process.env.IPO_BRIDGE_EXIT_CHILD === '1') {
  await exitScenario();
} else {
  for (const iceLite of [true, false])
    test(`bridge relays audio, DTMF and video both ways with per-leg payload types (iceLite ${iceLite})`, async (t) => {
      const events: { event: string; fields: Record<string, unknown> }[] = [];
      const t0 = performance.now();
      const bridge = await MediaBridge.create({
        video: true,
        iceLite,
        legs: { b: { dtmfPayloadType: 110 } },
        log: (event, fields) => events.push({ event, fields }),
      });
      const tOffers = performance.now();
      const c1 = new Client(true);
      const c2 = new Client(true);
      t.after(() => Promise.all([bridge.close(), c1.pc.close(), c2.pc.close()]));

      // Offers: complete, actpass, the codec set of the brief, loopback candidates only.
      for (const [leg, dtmf] of [
        [bridge.a, 101],
        [bridge.b, 110],
      ] as [BridgeLeg, number][]) {
        const o = leg.offer;
        assert.match(o, /^a=setup:actpass$/m);
        assert.match(o, /^a=rtpmap:111 opus\/48000\/2$/m);
        assert.match(o, /^a=rtpmap:0 PCMU\/8000$/m);
        assert.match(o, new RegExp(`^a=rtpmap:${dtmf} telephone-event/8000$`, 'm'));
        assert.match(o, /^a=rtpmap:96 VP8\/90000$/m);
        assert.match(o, /^a=group:BUNDLE 0 1$/m);
        assert.match(o, /^a=rtcp-mux$/m);
        assert.match(o, /^a=end-of-candidates$/m);
        assert.match(o, /^a=msid:/m);
        assert.equal(/^a=ice-lite$/m.test(o), iceLite);
        // ice-lite is a session-level attribute: once, before the first m= (Firefox reads it only there)
        assert.equal((o.match(/^a=ice-lite$/gm) ?? []).length, iceLite ? 1 : 0);
        if (iceLite) assert.ok(o.indexOf('a=ice-lite') < o.indexOf('\r\nm='), 'at session level');
        const addrs = candidateAddresses(o);
        assert.ok(addrs.length > 0, 'offer carries candidates');
        assert.deepEqual([...new Set(addrs)], ['127.0.0.1']);
      }
      assert.doesNotMatch(bridge.b.offer, /^a=rtpmap:101 /m);

      // Leg a: like an existing Chrome PC that was the DTLS server of its call: answers passive,
      // without candidates, and cannot take PCMU.
      // Leg b: active, and lists PCMU first (werift's sender would stamp everything PCMU).
      const { ans1, ans2 } = await connectPair(
        bridge,
        c1,
        c2,
        (s) => withoutCandidates(passive(withoutPcmu(s))),
        pcmuFirst,
      );
      const tConnected = performance.now();
      assert.match(ans1, /^a=setup:passive$/m);
      assert.doesNotMatch(ans1, /PCMU|a=candidate/);
      assert.match(ans2, /^a=setup:active$/m);
      assert.match(ans2, /^m=audio \S+ \S+ 0 111 110$/m);
      assert.match(ans2, /^a=rtpmap:0 .*\r?\na=rtpmap:111 /m);
      assert.equal(c1.dtlsRole, 'server');
      assert.equal(bridge.a.stats().dtlsRole, 'client');
      assert.equal(bridge.b.stats().dtlsRole, 'server');
      assert.equal(bridge.a.stats().connected, true);
      assert.equal(bridge.b.stats().connected, true);
      t.diagnostic(
        `offers (gathering, both legs) ${Math.round(tOffers - t0)} ms; answer+ICE+DTLS ${Math.round(tConnected - tOffers)} ms`,
      );

      // a → b: opus, telephone-event (101 on a, 110 on b) and VP8.
      const sentAB = await pump(
        (i) => {
          c1.send('audio', 111, `opus-${i}`);
          if (i % 5 === 0) c1.send('audio', 101, `dtmf-${i}`);
          c1.send('video', 96, `vp8-${i}`);
        },
        c2.until(
          () => c2.count(111) >= 20 && c2.count(110) >= 3 && c2.count(96) >= 10,
          'a→b media',
        ),
      );
      assert.deepEqual(new Set(c2.rtp.map((p) => p.header.payloadType)), new Set([111, 110, 96]));
      assert.ok(
        c2.payloads(111).every((p) => p.startsWith('opus-')),
        'opus stays opus',
      );
      assert.ok(
        c2.payloads(110).every((p) => p.startsWith('dtmf-')),
        'telephone-event stays telephone-event',
      );
      assert.ok(
        c2.payloads(96).every((p) => p.startsWith('vp8-')),
        'video stays video',
      );
      assert.ok(c2.count(111) <= sentAB);
      assert.ok(bridge.a.stats().rtpIn >= c2.rtp.length);
      assert.ok(bridge.b.stats().rtpOut >= c2.rtp.length);

      // b → a: opus, telephone-event (110 → 101), PCMU which leg a did not accept.
      let pcmuSent = 0;
      const droppedBefore = bridge.b.stats().dropped;
      await pump(
        (i) => {
          c2.send('audio', 111, `opus-${i}`);
          if (i % 5 === 0) c2.send('audio', 110, `dtmf-${i}`);
          c2.send('audio', 0, `pcmu-${i}`);
          pcmuSent++;
        },
        c1.until(() => c1.count(111) >= 20 && c1.count(101) >= 3, 'b→a audio'),
      );
      assert.equal(c1.count(0), 0, 'PCMU dropped: leg a did not negotiate it');
      assert.equal(c1.count(110), 0);
      assert.ok(c1.payloads(101).every((p) => p.startsWith('dtmf-')));
      assert.ok(c1.payloads(111).every((p) => p.startsWith('opus-')));
      assert.ok(
        bridge.b.stats().dropped - droppedBefore >= pcmuSent - 1,
        'every PCMU packet counted as dropped',
      ); // the last may be in flight
      assert.ok(bridge.b.stats().rtpIn > 0 && bridge.a.stats().rtpOut >= c1.rtp.length);

      // PLI from browser b about the video it gets → the bridge asks browser a for a keyframe.
      const bridgeVideoSsrc = c2.rtp.find((p) => p.header.payloadType === 96)!.header.ssrc;
      const plisBefore = c1.pliFor.length;
      await c2.sendPli(bridgeVideoSsrc);
      await c1.until(() => c1.pliFor.length > plisBefore, 'PLI at browser a');
      assert.equal(c1.pliFor.at(-1), c1.ssrc('video'));
      assert.equal(bridge.b.stats().keyframeRequests, 1);

      // close(): idempotent, no answer accepted afterwards, no sockets left.
      await Promise.all([bridge.close(), bridge.close()]);
      assert.equal(bridge.a.stats().connected, false);
      await assert.rejects(bridge.a.accept(ans1), /cannot accept/);
      await Promise.all([c1.pc.close(), c2.pc.close()]);
      assert.deepEqual(
        process.getActiveResourcesInfo().filter((r) => r === 'UDPWRAP'),
        [],
      );

      // Logs: events only, never SDP, ICE credentials or fingerprints.
      const logged = JSON.stringify(events);
      assert.ok(events.some((e) => e.event === 'bridge.leg.connected'));
      assert.ok(events.some((e) => e.event === 'bridge.closed'));
      for (const secret of [
        ...bridge.a.offer.matchAll(/^a=(?:ice-ufrag|ice-pwd|fingerprint:sha-256) ?(\S+)$/gm),
      ].map((m) => m[1]!)) {
        assert.ok(!logged.includes(secret), 'no ICE credential or fingerprint in logs');
      }
      assert.ok(!/v=0|a=candidate|a=ice/.test(logged), 'no SDP in logs');
    });

  test('a late answer from an agent that restarted ICE: checks before accept(), candidates of generation 1', async (t) => {
    // What a real client does with a MediaUpdateRequest (vendor client, spec §7.2): apply the
    // offer (its ICE agent starts checking the bridge at once), wait for gathering, then send an
    // answer whose candidates carry its restart count. werift cannot stand in for the existing
    // PeerConnection itself: re-offered, it restarts ICE (its candidates then say generation 1)
    // but keeps its old DTLS session and never checks the new remote, so the client here is a
    // fresh PeerConnection whose answer says what the restarted browser's says.
    const bridge = await MediaBridge.create({ video: false });
    const c1 = new Client(false);
    const c2 = new Client(false);
    t.after(() => Promise.all([bridge.close(), c1.pc.close(), c2.pc.close()]));

    const answered = performance.now();
    const ans1 = await c1.answer(bridge.a.offer, restartedAgent);
    assert.match(ans1, /^a=candidate:.* generation 1\b/m);
    // The bridge answers checks before it knows the remote credentials (USERNAME is
    // <our ufrag>:<theirs>, MESSAGE-INTEGRITY uses our password): the client's ICE connects.
    if (c1.pc.iceConnectionState !== 'connected')
      await c1.pc.iceConnectionStateChange.watch((s) => s === 'connected', WAIT_MS);
    await sleep(Math.max(0, 300 - (performance.now() - answered))); // the client's gathering wait
    assert.equal(bridge.a.stats().connected, false);

    await bridge.a.accept(ans1);
    await bridge.b.accept(await c2.answer(bridge.b.offer));
    await Promise.all([bridge.connected(WAIT_MS), c1.connected(), c2.connected()]);
    await pump(
      (i) => c1.send('audio', 111, `a-${i}`),
      c2.until(() => c2.count(111) >= 5, 'a→b audio'),
    );
    await pump(
      (i) => c2.send('audio', 111, `b-${i}`),
      c1.until(() => c1.count(111) >= 5, 'b→a audio'),
    );
  });

  test('accept() rejects invalid answers with a clear error and leaves the leg usable', async (t) => {
    const bridge = await MediaBridge.create({ video: false });
    const c = new Client(false);
    t.after(() => Promise.all([bridge.close(), c.pc.close()]));
    const good = await c.answer(bridge.a.offer);

    await assert.rejects(bridge.a.accept('hello'), /invalid SDP answer: not an SDP body/);
    await assert.rejects(
      bridge.a.accept(good.replace(/^a=setup:active/m, 'a=setup:actpass')),
      /a=setup must be active or passive/,
    );
    await assert.rejects(
      bridge.a.accept(good.replace(/^a=fingerprint:.*\r?\n/gm, '')),
      /no DTLS fingerprint/,
    );
    await assert.rejects(
      bridge.a.accept(good.replace(/^a=mid:0$/m, 'a=mid:7')),
      /mid 7, offered audio mid 0/,
    );
    await assert.rejects(
      bridge.a.accept(audioFmts(good, (pts) => pts.filter((p) => p !== '111' && p !== '0'))),
      /neither opus nor PCMU/,
    );
    const withVideo = `${good}m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n`;
    await assert.rejects(bridge.a.accept(withVideo), /2 m-sections, offer has 1/);

    await bridge.a.accept(good); // still accepts the real answer
    await assert.rejects(bridge.a.accept(good), /cannot accept an answer \(accepted\)/);
    // leg b never answered: connected() fails on close() instead of waiting for its timeout
    const waiting = bridge.connected(60_000);
    await bridge.close();
    await assert.rejects(waiting, /bridge leg [ab] closed/);
    await assert.rejects(MediaBridge.create({ video: false, dtmfPayloadType: 111 }), RangeError);
  });

  test('a process that used a bridge exits by itself after close()', async () => {
    const file = fileURLToPath(import.meta.url);
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
    if (file.endsWith('.ts') && !execArgv.some((a) => a.includes('tsx')))
      execArgv.push('--import', 'tsx');
    const env: NodeJS.ProcessEnv = { ...process.env, IPO_BRIDGE_EXIT_CHILD: '1' };
    delete env.NODE_TEST_CONTEXT;
    delete env.DEBUG; // werift's debug output would defeat the no-output check
    const child = spawn(process.execPath, [...execArgv, file], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const started = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error('child still running 15 s after its bridge was closed: handles left open'),
        );
      }, 15000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0, output);
    assert.equal(output, '', 'the bridge writes nothing to stdout/stderr');
    assert.ok(performance.now() - started < 15000);
  });
}
