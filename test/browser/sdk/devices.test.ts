/**
 * setDeviceIds on calls: the chosen microphone, a switch mid-call without dropping it, the audio
 * output device. Chromium only: they need Chromium's several named fake devices ("Fake Audio
 * Input 2", a fake audio output); Firefox's fake media has one device per kind and lists no
 * outputs (its speaker choice goes through selectAudioOutput, see the device-select tests).
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  audioSender,
  cleanup,
  establish,
  expectAudioFlowing,
  mediaElements,
  pageErrors,
  pollUntil,
} from './support.js';

describe('AWL SDK: setDeviceIds on calls', function () {
  this.timeout(90_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('setDeviceIds before a call: the call uses the chosen microphone', async () => {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const mic2 = devices.find((d) => d.kind === 'audioinput' && d.label === 'Fake Audio Input 2')!;
    expect(mic2, 'fake microphone 2').to.be.ok;
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    alice.client.setDeviceIds({
      audioInputID: mic2.deviceId,
      videoInputID: '',
      audioOutputID: '',
      defaultId: false,
    });
    const call = await establish(alice, bob);
    const aPc = await alice.pcFor(call.aId);
    await expectAudioFlowing(await bob.pcFor(call.bId), 'alice → bob');
    const track = audioSender(aPc).track!;
    expect(
      { label: track.label, deviceId: track.getSettings().deviceId },
      'microphone of the call',
    ).to.deep.equal({ label: mic2.label, deviceId: mic2.deviceId });
  });

  it('setDeviceIds during a call switches the microphone without dropping the call', async () => {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const mic1 = devices.find((d) => d.kind === 'audioinput' && d.label === 'Fake Audio Input 1')!;
    expect(mic1, 'fake microphone 1').to.be.ok;
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const call = await establish(alice, bob);
    const aPc = await alice.pcFor(call.aId);
    const bPc = await bob.pcFor(call.bId);
    await expectAudioFlowing(bPc, 'alice (default microphone) → bob');
    const first = audioSender(aPc).track!;
    expect(first.getSettings().deviceId).to.not.equal(mic1.deviceId);

    const ma = alice.mark();
    alice.client.setDeviceIds({
      audioInputID: mic1.deviceId,
      videoInputID: '',
      audioOutputID: '',
      defaultId: false,
    });
    const switched = await pollUntil(
      () => {
        const t = audioSender(aPc).track;
        return t && t !== first && t.readyState === 'live' ? t : null;
      },
      "the call's audio sender to get a new track",
      10_000,
    );
    await expectAudioFlowing(bPc, 'alice (new microphone) → bob');
    expect(aPc.signalingState, 'same peer connection, still open').to.not.equal('closed');
    expect(
      alice.all('terminate', () => true, ma).concat(bob.all('terminate')),
      'the call survived',
    ).to.deep.equal([]);
    expect(call.aObj.getCallState()).to.equal('AWL_MSG_CALL_CONNECTED');
    expect(first.readyState, 'the previous microphone track is released').to.equal('ended');
    expect(
      { label: switched.label, deviceId: switched.getSettings().deviceId },
      'the new microphone',
    ).to.deep.equal({ label: mic1.label, deviceId: mic1.deviceId });
  });

  it("setDeviceIds audioOutputID: the element playing the call's remote audio is routed to that output", async () => {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const out1 = devices.find(
      (d) => d.kind === 'audiooutput' && d.label === 'Fake Audio Output 1',
    )!;
    expect(out1, 'a fake audio output').to.be.ok;
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    alice.client.setDeviceIds({
      audioInputID: '',
      videoInputID: '',
      audioOutputID: out1.deviceId,
      defaultId: false,
    });
    const call = await establish(alice, bob);
    const { remote } = await alice.streams(call.aId);
    const remoteTrack = remote.getAudioTracks()[0]!;
    // "The audio streams are already attached to the DOM elements by the SDK" (onAudioStreamsAvailable)
    const sdkElement = await pollUntil(
      () =>
        mediaElements.find(
          (el) =>
            !el.dataset.testOwned &&
            el.srcObject instanceof MediaStream &&
            el.srcObject.getAudioTracks().some((t) => t.id === remoteTrack.id),
        ),
      'an SDK media element playing the remote audio',
      5000,
    );
    await pollUntil(
      () => (sdkElement as HTMLMediaElement & { sinkId: string }).sinkId === out1.deviceId,
      `sinkId ${out1.deviceId.slice(0, 8)}`,
      5000,
    );
    // and a change during the call re-routes it
    const out2 = devices.find(
      (d) => d.kind === 'audiooutput' && d.label === 'Fake Audio Output 2',
    )!;
    alice.client.setDeviceIds({
      audioInputID: '',
      videoInputID: '',
      audioOutputID: out2.deviceId,
      defaultId: false,
    });
    await pollUntil(
      () => (sdkElement as HTMLMediaElement & { sinkId: string }).sinkId === out2.deviceId,
      `sinkId ${out2.deviceId.slice(0, 8)} after the change`,
      5000,
    );
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
