/**
 * On a live call: doHold/doUnHold (media stops and resumes), doMute/doUnMute (the far end hears
 * silence, then sound), sendDTMF (telephone-event on the gateway's payload type, RTCDTMFSender
 * tones), getStats (documented array, numbers that grow). setDeviceIds: devices.test.ts.
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  audioSender,
  cleanup,
  establish,
  expectAudioFlowing,
  expectAudioStopped,
  expectSilence,
  pageErrors,
  pollUntil,
  rtp,
} from './support.js';

describe('AWL SDK: mid-call features', function () {
  this.timeout(90_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('doHold stops the media both ways (HELD on both sides); doUnHold resumes it (CONNECTED on both sides)', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const call = await establish(alice, bob);
    const aPc = await alice.pcFor(call.aId);
    const bPc = await bob.pcFor(call.bId);
    await expectAudioFlowing(bPc, 'alice → bob before hold');

    let ma = alice.mark();
    let mb = bob.mark();
    alice.client.doHold(call.aId);
    await alice.waitState(call.aId, 'AWL_MSG_CALL_HELD', ma);
    await bob.waitState(call.bId, 'AWL_MSG_CALL_HELD', mb);
    expect(call.aObj.getCallState()).to.equal('AWL_MSG_CALL_HELD');
    await expectAudioStopped(bPc, 'bob while alice holds');
    await expectAudioStopped(aPc, 'alice while she holds');

    ma = alice.mark();
    mb = bob.mark();
    alice.client.doUnHold(call.aId);
    await alice.waitState(call.aId, 'AWL_MSG_CALL_CONNECTED', ma);
    await bob.waitState(call.bId, 'AWL_MSG_CALL_CONNECTED', mb);
    await expectAudioFlowing(bPc, 'alice → bob after unhold');
    await expectAudioFlowing(aPc, 'bob → alice after unhold');
    expect(alice.all('terminate').concat(bob.all('terminate')), 'no call ended').to.deep.equal([]);
  });

  it('hold and unhold a second time work too (no request left pending)', async () => {
    const alice = await TestClient.loggedIn('203', { label: 'carol' });
    const bob = await TestClient.loggedIn('204', { label: 'dan' });
    const call = await establish(alice, bob);
    const bPc = await bob.pcFor(call.bId);
    for (let round = 1; round <= 2; round++) {
      let m = alice.mark();
      alice.client.doHold(call.aId);
      await alice.waitState(call.aId, 'AWL_MSG_CALL_HELD', m);
      await expectAudioStopped(bPc, `round ${round}: held`);
      m = alice.mark();
      alice.client.doUnHold(call.aId);
      await alice.waitState(call.aId, 'AWL_MSG_CALL_CONNECTED', m);
      await expectAudioFlowing(bPc, `round ${round}: unheld`);
    }
  });

  it('doMute: the far end hears silence while the call stays up and the muted side still hears; doUnMute: sound again', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const call = await establish(alice, bob);
    const aPc = await alice.pcFor(call.aId);
    const bPc = await bob.pcFor(call.bId);
    await expectAudioFlowing(bPc, 'alice → bob before mute');

    expect(alice.client.doMute(call.aId), 'doMute returns true').to.equal(true);
    await expectSilence(bPc, 'bob while alice is muted');
    await expectAudioFlowing(aPc, 'bob → alice while alice is muted (mute is one-way)');
    expect(call.aObj.getCallState()).to.equal('AWL_MSG_CALL_CONNECTED');

    expect(alice.client.doUnMute(call.aId), 'doUnMute returns true').to.equal(true);
    await expectAudioFlowing(bPc, 'alice → bob after unmute');
    expect(alice.all('terminate').concat(bob.all('terminate'))).to.deep.equal([]);
  });

  it('doMute / doUnMute on an unknown call id return false', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    expect(alice.client.doMute('no-such-call')).to.equal(false);
    expect(alice.client.doUnMute('no-such-call')).to.equal(false);
  });

  it("sendDTMF: telephone-event/8000 on the gateway's dtmfPayLoad 101 in the offer and the answer; tones played by the RTCDTMFSender, from either side", async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const call = await establish(alice, bob);
    const aPc = await alice.pcFor(call.aId);
    const bPc = await bob.pcFor(call.bId);

    const offer = aPc.localDescription!;
    expect(offer.type, 'the caller made the offer').to.equal('offer');
    const audio = offer.sdp.split(/\r\n(?=m=)/).find((s) => s.startsWith('m=audio'))!;
    expect(audio, 'offer: a=rtpmap:101 telephone-event/8000').to.match(
      /\r\na=rtpmap:101 telephone-event\/8000\r\n/,
    );
    expect(audio.split('\r\n')[0]!.split(' ').slice(3), 'offer m=audio payload types').to.include(
      '101',
    );
    expect(aPc.remoteDescription!.sdp, 'the answer keeps 101').to.match(
      /\r\na=rtpmap:101 telephone-event\/8000\r\n/,
    );

    for (const [c, pc, id, digits] of [
      [alice, aPc, call.aId, ['1', '#', '*']],
      [bob, bPc, call.bId, ['5']],
    ] as const) {
      const dtmf = audioSender(pc).dtmf;
      expect(dtmf, `${c.label}: RTCDTMFSender`).to.not.equal(null);
      expect(dtmf!.canInsertDTMF, `${c.label}: canInsertDTMF`).to.equal(true);
      const tones: string[] = [];
      const listener = (ev: Event) => tones.push((ev as RTCDTMFToneChangeEvent).tone);
      dtmf!.addEventListener('tonechange', listener);
      try {
        for (const d of digits) {
          const before = tones.length;
          c.client.sendDTMF(id, d);
          await pollUntil(
            () => tones.slice(before).includes(d),
            `tonechange "${d}" at ${c.label}`,
            5000,
            20,
          );
        }
        // the buffer drains: the final tonechange has an empty tone
        await pollUntil(
          () => tones[tones.length - 1] === '' && dtmf!.toneBuffer === '',
          `${c.label}: end of tones`,
          5000,
          20,
        );
      } finally {
        dtmf!.removeEventListener('tonechange', listener);
      }
      expect(
        tones.filter((t) => t !== ''),
        `${c.label}: tones played`,
      ).to.deep.equal([...digits]);
    }
    expect(alice.all('terminate').concat(bob.all('terminate'))).to.deep.equal([]);
  });

  const STATS_KEYS = [
    'audioInputLevel',
    'audioOutputLevel',
    'googCodecName',
    'googJitterReceived',
    'packetsSent',
    'bytesSent',
    'packetsReceived',
    'bytesReceived',
    'packetsLost',
  ];

  it('getStats(callId): the documented array (.audio with the legacy keys), numbers that grow from one call to the next', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const call = await establish(alice, bob);
    const aPc = await alice.pcFor(call.aId);
    await expectAudioFlowing(aPc, 'bob → alice');

    const read = () => {
      const s = alice.client.getStats(call.aId);
      expect(Array.isArray(s), '"Return type: Array"').to.equal(true);
      return s;
    };
    const first = await pollUntil(
      () => {
        const a = read().audio;
        return (
          typeof a?.packetsSent === 'number' &&
          a.packetsSent > 0 &&
          typeof a.packetsReceived === 'number' &&
          a.packetsReceived > 0 && { ...a }
        );
      },
      'getStats(callId).audio with packets sent and received',
      10_000,
    );
    for (const k of STATS_KEYS) expect(first, `stats.audio.${k}`).to.have.property(k);
    for (const k of [
      'packetsSent',
      'bytesSent',
      'packetsReceived',
      'bytesReceived',
      'packetsLost',
    ]) {
      expect(first[k], `stats.audio.${k} is a number`).to.be.a('number');
    }
    expect(String(first.googCodecName).toLowerCase()).to.include('opus');
    const later = await pollUntil(
      () => {
        const a = read().audio;
        return (
          a.packetsSent > first.packetsSent &&
          a.packetsReceived > first.packetsReceived &&
          a.bytesReceived > first.bytesReceived && { ...a }
        );
      },
      'packet counts to grow between getStats calls',
      10_000,
    );
    // consistent with the browser's own figures
    const real = await rtp(aPc, 'audio');
    expect(later.packetsReceived).to.be.at.most(real.packets);
    expect(later.packetsSent).to.be.at.most(real.packetsSent);
    expect(later.packetsReceived).to.be.greaterThan(real.packets / 4);
  });

  it('getStats(callId): the returned array reference is kept current ("accessed using the returned array reference")', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const call = await establish(alice, bob);
    await expectAudioFlowing(await alice.pcFor(call.aId), 'bob → alice');
    // taken once, read later: how an application holding the reference sees the call
    const stats = alice.client.getStats(call.aId);
    const first = await pollUntil(
      () =>
        typeof stats.audio?.packetsReceived === 'number' &&
        stats.audio.packetsReceived > 0 && { ...stats.audio },
      'the reference to be filled',
      10_000,
    );
    await pollUntil(
      () =>
        stats.audio.packetsReceived > first.packetsReceived + 50 &&
        stats.audio.packetsSent > first.packetsSent + 50,
      'the same array reference to show growing packet counts',
      10_000,
    );
  });

  it('call APIs given an unknown call id neither throw nor disturb the live call; boolean ones return false', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const call = await establish(alice, bob);
    const c = alice.client;
    const bad = 'no-such-call@nowhere';
    expect(() => {
      c.answerCall(bad);
      c.rejectCall(bad);
      c.dropCall(bad);
      c.cancelCall(bad);
      c.doHold(bad);
      c.doUnHold(bad);
      c.sendDTMF(bad, '1');
      c.transferCall('203', bad, 'Unattended');
      c.setMediaStream('no-such-element', new MediaStream(), bad, 'remoteVideo');
    }).to.not.throw();
    for (const [name, v] of [
      ['doMute', c.doMute(bad)],
      ['doUnMute', c.doUnMute(bad)],
      ['addVideo', c.addVideo(bad)],
      ['removeVideo', c.removeVideo(bad)],
      ['pauseVideo', c.pauseVideo(bad)],
      ['playVideo', c.playVideo(bad)],
    ] as const) {
      expect(v, `${name}(unknown id)`).to.equal(false);
    }
    expect(Array.isArray(c.getStats(bad)), 'getStats(unknown id) is still an array').to.equal(true);
    await expectAudioFlowing(await bob.pcFor(call.bId), 'the live call');
    expect(alice.all('terminate').concat(bob.all('terminate'))).to.deep.equal([]);
    expect(call.aObj.getCallState()).to.equal('AWL_MSG_CALL_CONNECTED');
  });

  it('makeCall when not logged in does not throw, and a returned call ends through the callbacks', async () => {
    const c = await TestClient.create({ label: 'offline' });
    const m = c.mark();
    let obj: ReturnType<typeof c.client.makeCall> = null;
    expect(() => (obj = c.client.makeCall('202', 'audio'))).to.not.throw();
    if (obj !== null) {
      const id = (obj as { getCallId(): string }).getCallId();
      await c.waitTerminate(id, m, 15_000);
    }
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
