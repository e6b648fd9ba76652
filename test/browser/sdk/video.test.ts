/**
 * Video: a video call from the start with onVideoStreamsAvailable + setMediaStream, the same with
 * setDomElements (no stream callback), pauseVideo/playVideo, addVideo/removeVideo on a live audio
 * call, and a callee with video disabled answering a video call with audio only.
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  cleanup,
  element,
  establish,
  expectAudioFlowing,
  expectVideoPlaying,
  gumTracks,
  luma,
  pageErrors,
  pollUntil,
  resourceMark,
  rtp,
  videoRate,
  type CallObj,
} from './support.js';

/** Configures video elements on a client with setDomElements and checks AWL_MSG_SETDOM_SUCCESS. */
async function domElements(
  c: TestClient,
  tag: string,
): Promise<{ local: HTMLVideoElement; remote: HTMLVideoElement }> {
  const local = element('video', `${tag}-local`);
  const remote = element('video', `${tag}-remote`);
  const m = c.mark();
  c.client.setDomElements({ localVideo: local.id, remoteVideo: remote.id });
  const ev = await c.waitFor('config', undefined, { since: m, what: 'the setDomElements result' });
  expect(ev.args[0].result, `${c.label} setDomElements`).to.equal('AWL_MSG_SETDOM_SUCCESS');
  return { local, remote };
}

describe('AWL SDK: video', function () {
  this.timeout(90_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('video call from the start: isVideoCall, onVideoStreamsAvailable once per call, setMediaStream shows decoding video both ways', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice', enableVideo: true });
    const bob = await TestClient.loggedIn('202', { label: 'bob', enableVideo: true });
    const ma = alice.mark();
    const mb = bob.mark();
    const obj = alice.client.makeCall('202', 'video')!;
    expect(obj.isVideoCall(), 'caller isVideoCall').to.equal(true);
    const aId = obj.getCallId();
    const incoming = await bob.waitFor('incoming', undefined, { since: mb });
    const [bId, bObj] = incoming.args as [string, CallObj];
    expect(bObj.isVideoCall(), 'callee isVideoCall').to.equal(true);
    bob.client.answerCall(bId);
    await alice.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma);
    await bob.waitState(bId, 'AWL_MSG_CALL_CONNECTED', mb);

    for (const [c, id, tag] of [
      [alice, aId, 'a'],
      [bob, bId, 'b'],
    ] as const) {
      const ev = await c.waitFor('video', (e) => e.args[0] === id, {
        what: 'onVideoStreamsAvailable',
      });
      const [, local, remote] = ev.args as [string, MediaStream, MediaStream];
      expect(local.getVideoTracks().length, `${c.label} local video track`).to.be.greaterThan(0);
      expect(remote.getVideoTracks().length, `${c.label} remote video track`).to.be.greaterThan(0);
      const lv = element('video', `vs-${tag}-local`);
      const rv = element('video');
      // arg1 may be the element's id or the element itself
      c.client.setMediaStream(lv.id, local, id, 'localVideo');
      c.client.setMediaStream(rv, remote, id, 'remoteVideo');
      await expectVideoPlaying(rv, `${c.label}: remote video`);
      await expectVideoPlaying(lv, `${c.label}: local preview`);
    }
    await expectAudioFlowing(await bob.pcFor(bId), 'alice → bob audio in the video call');
    expect(
      alice.all('video', (e) => e.args[0] === aId).length,
      'onVideoStreamsAvailable once (caller)',
    ).to.equal(1);
    expect(
      bob.all('video', (e) => e.args[0] === bId).length,
      'onVideoStreamsAvailable once (callee)',
    ).to.equal(1);
  });

  it('with setDomElements the SDK attaches the video itself and does not fire onVideoStreamsAvailable', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice', enableVideo: true });
    const bob = await TestClient.loggedIn('202', { label: 'bob', enableVideo: true });
    const a = await domElements(alice, 'dom-a');
    const b = await domElements(bob, 'dom-b');
    const call = await establish(alice, bob, '202', 'video');
    await expectVideoPlaying(b.remote, 'bob: remote element');
    await expectVideoPlaying(a.remote, 'alice: remote element');
    await expectVideoPlaying(a.local, 'alice: local element');
    expect(alice.all('video').concat(bob.all('video')), 'onVideoStreamsAvailable').to.deep.equal(
      [],
    );
    expect(call.aObj.isVideoCall()).to.equal(true);
  });

  it('pauseVideo stops the picture at the far end; playVideo brings it back', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice', enableVideo: true });
    const bob = await TestClient.loggedIn('202', { label: 'bob', enableVideo: true });
    await domElements(alice, 'pv-a');
    const b = await domElements(bob, 'pv-b');
    const call = await establish(alice, bob, '202', 'video');
    await expectVideoPlaying(b.remote, 'bob before pause');
    const bright = luma(b.remote);
    expect(bright, 'the fake camera picture is not black').to.be.greaterThan(20);

    expect(alice.client.pauseVideo(call.aId), 'pauseVideo returns true').to.equal(true);
    // paused: frames stop, or only black frames arrive
    await pollUntil(
      async () => {
        const rate = await videoRate(await bob.pcFor(call.bId), 800);
        return rate.frames <= 2 || luma(b.remote) < 8;
      },
      'the picture at Bob to stop or go black',
      8000,
      0,
    );

    expect(alice.client.playVideo(call.aId), 'playVideo returns true').to.equal(true);
    await pollUntil(
      async () => {
        const rate = await videoRate(await bob.pcFor(call.bId), 800);
        return rate.frames >= 5 && luma(b.remote) > bright / 2;
      },
      'the picture at Bob to come back',
      8000,
      0,
    );
    expect(alice.all('terminate').concat(bob.all('terminate'))).to.deep.equal([]);
  });

  it('addVideo on a live audio call brings decoding video to the far end; removeVideo stops it and releases the camera; audio goes on', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice', enableVideo: true });
    const bob = await TestClient.loggedIn('202', { label: 'bob', enableVideo: true });
    const a = await domElements(alice, 'av-a');
    const b = await domElements(bob, 'av-b');
    const mark = resourceMark();
    const call = await establish(alice, bob, '202', 'audio');
    const bPc = await bob.pcFor(call.bId);
    await expectAudioFlowing(bPc, 'alice → bob (audio call)');
    expect(
      gumTracks.slice(mark.tracks).filter((t) => t.kind === 'video'),
      'no camera in an audio call',
    ).to.deep.equal([]);

    expect(alice.client.addVideo(call.aId), 'addVideo returns true').to.equal(true);
    await expectVideoPlaying(b.remote, 'bob sees alice after addVideo', 20_000);
    // Bob's client had video enabled: it sends its camera back (spec §6.9)
    await expectVideoPlaying(a.remote, 'alice sees bob after addVideo', 20_000);
    const cameras = gumTracks.slice(mark.tracks).filter((t) => t.kind === 'video');
    expect(cameras.length, 'cameras opened').to.be.greaterThan(0);

    const mr = bob.mark();
    expect(alice.client.removeVideo(call.aId), 'removeVideo returns true').to.equal(true);
    await pollUntil(
      async () => (await videoRate(bPc, 800)).frames === 0,
      'Bob to stop receiving video frames',
      10_000,
      0,
    );
    await pollUntil(
      () => cameras.every((t) => t.readyState === 'ended'),
      'every camera track to end',
      10_000,
    );
    // the called side's video flag follows (with a state callback to read it on)
    await pollUntil(() => call.bObj.isVideoCall() === false, "Bob's isVideoCall() false", 10_000);
    expect(call.aObj.isVideoCall(), "Alice's isVideoCall()").to.equal(false);
    expect(
      bob.all('state', (e) => e.args[0] === call.bId, mr).map((e) => e.args[2]),
      'a state callback (the unchanged state) once the video is gone',
    ).to.deep.equal(['AWL_MSG_CALL_CONNECTED']);
    await expectAudioFlowing(bPc, 'alice → bob after removeVideo');
    expect(alice.all('terminate').concat(bob.all('terminate')), 'the call survived').to.deep.equal(
      [],
    );
    expect(call.aObj.getCallState()).to.equal('AWL_MSG_CALL_CONNECTED');
  });

  it('a client with enableVideo false answers a video call with audio only and never opens its camera', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice', enableVideo: true });
    const bob = await TestClient.loggedIn('202', { label: 'bob', enableVideo: false });
    const mark = resourceMark();
    const call = await establish(alice, bob, '202', 'video');
    expect(call.bObj.isVideoCall(), 'it is a video call').to.equal(true);
    await expectAudioFlowing(await bob.pcFor(call.bId), 'alice → bob');
    const aPc = await alice.pcFor(call.aId);
    await expectAudioFlowing(aPc, 'bob → alice');
    const cams = gumTracks.slice(mark.tracks).filter((t) => t.kind === 'video');
    expect(cams.length, "only Alice's camera was opened").to.be.at.most(1);
    expect(
      (await rtp(await bob.pcFor(call.bId), 'video')).framesDecoded,
      'Bob decodes no video',
    ).to.equal(0);
    expect((await rtp(aPc, 'video')).framesDecoded, 'Alice receives no video').to.equal(0);
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
