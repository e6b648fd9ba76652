/**
 * Smoke test of src/sdk in real Chromium against the real dev gateway: two AWL.client instances
 * in one page log in, call each other, and the effects are checked on real media (inbound RTP
 * packets and audio level from the SDK's own getStats), through hold/unhold and hang-up.
 */
import { expect } from '@open-wc/testing';
import { AWL, CONST } from '../../src/sdk/awl/index.js';
import type { AwlCall, AwlClient } from '../../src/sdk/awl/index.js';
import { gatewayInfo, type GatewayInfo } from './support/phone.js';

type Rec = { cb: string; args: unknown[] };

/** One AWL client with every callback recorded, and waits on them. */
class Party {
  readonly client: AwlClient = new AWL.client();
  readonly log: Rec[] = [];
  /** every SDK log line, through setLogObject */
  readonly lines: string[] = [];
  #waiters: Array<{ match: (r: Rec) => boolean; resolve: (r: Rec) => void }> = [];

  constructor(
    readonly user: string,
    info: GatewayInfo,
    extra: Record<string, unknown> = {},
  ) {
    const rec =
      (cb: string) =>
      (...args: unknown[]) => {
        const r = { cb, args };
        this.log.push(r);
        this.#waiters = this.#waiters.filter((w) => (w.match(r) ? (w.resolve(r), false) : true));
      };
    const sink = (...a: unknown[]) =>
      this.lines.push(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));
    this.client.setLogObject({ debug: sink, info: sink, warn: sink, error: sink, log: sink });
    this.client.enableLogging();
    this.client.setConfiguration(
      {
        serviceType: 'phone',
        enableVideo: true,
        Gateway: { ip: '127.0.0.1', port: String(info.port) },
        useGatewayPort: true, // the dev gateway's own port (the vendor's rule is 9443)
        Stunserver: { ip: '', port: '3478' },
        Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
        AppData: {
          applicationID: 'sdk-smoke',
          applicationUA: 'sdk-smoke/1',
          appInstanceID: this.client.generateAppInstanceID(),
        },
        disableResiliency: true,
        ...extra,
      },
      rec('config'),
      rec('registration'),
      {
        onNewIncomingCall: rec('incoming'),
        onCallStateChange: rec('state'),
        onCallTerminate: rec('terminate'),
        onLoopBackNotification: rec('loopback'),
        onVideoStreamsAvailable: rec('video'),
        onAudioStreamsAvailable: rec('audio'),
      },
    );
  }

  /** The first record (already seen or future) that matches. */
  wait(
    cb: string,
    pred: (args: unknown[]) => boolean = () => true,
    ms = 15_000,
  ): Promise<unknown[]> {
    const match = (r: Rec) => r.cb === cb && pred(r.args);
    const seen = this.log.find(match);
    if (seen) return Promise.resolve(seen.args);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () =>
          reject(
            new Error(
              `${this.user}: no ${cb} within ${ms} ms; got ${JSON.stringify(this.log.map((r) => [r.cb, r.args[2] ?? r.args[0]]))}`,
            ),
          ),
        ms,
      );
      this.#waiters.push({ match, resolve: (r) => (clearTimeout(t), resolve(r.args)) });
    });
  }

  state(callId: string, state: string, ms?: number) {
    const from = this.log.length;
    return this.wait(
      'state',
      (a) => a[0] === callId && a[2] === state && this.log.findIndex((r) => r.args === a) >= from,
      ms,
    );
  }

  async login(password: string) {
    this.client.logIn(this.user, password, 'true');
    const [r] = (await this.wait('registration')) as [{ result: string; reason: string }];
    expect(r.result, r.reason).to.equal(CONST.AWL_MSG_LOGIN_SUCCESS);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Inbound audio packets and level of a call, from the SDK's own getStats (current values). */
async function audioIn(p: Party, callId: string) {
  const s = p.client.getStats(callId);
  await s.ready;
  return {
    packets: Number(s.audio.packetsReceived ?? 0),
    level: Number(s.audio.audioOutputLevel ?? 0),
  };
}

/** Waits until `delta` new packets arrived and the level was non-zero at least once. */
async function flows(p: Party, callId: string, delta = 50, ms = 15_000) {
  let start = (await audioIn(p, callId)).packets;
  let heard = 0;
  for (const end = performance.now() + ms; performance.now() < end; await sleep(100)) {
    const now = await audioIn(p, callId);
    // fewer than before: the call moved to a new peer connection (a transfer); count from there
    if (now.packets < start) start = now.packets;
    heard = Math.max(heard, now.level);
    if (now.packets - start >= delta && heard > 0) return now;
  }
  throw new Error(`${p.user}: audio did not flow (level ${heard})`);
}

/** Packets received over `ms` (after a settle), to show media stopped. */
async function growth(p: Party, callId: string, ms = 1500) {
  await sleep(500);
  const a = (await audioIn(p, callId)).packets;
  await sleep(ms);
  return (await audioIn(p, callId)).packets - a;
}

/** The engine call behind an AWL call id (white-box checks). */
const engineCall = (p: Party, id: string) => p.client.phone.calls.get(id)!;

/** Resolves once a <video> showing `stream` decodes frames (width > 0 and time advancing). */
async function decodes(stream: MediaStream, ms = 15_000) {
  const v = document.createElement('video');
  v.muted = true;
  v.srcObject = stream;
  document.body.append(v);
  try {
    await v.play();
    const t0 = v.currentTime;
    for (const end = performance.now() + ms; performance.now() < end; await sleep(100)) {
      if (v.videoWidth > 0 && v.currentTime > t0 + 0.3) return v.videoWidth;
    }
    throw new Error(`video did not decode (width ${v.videoWidth})`);
  } finally {
    v.srcObject = null;
    v.remove();
  }
}

/** alice calls bob and bob answers; returns both call ids once both are connected. */
async function connect(a: Party, b: Party, number: string, type = 'audio') {
  const call = a.client.makeCall(number, type)!;
  const from = b.log.length;
  const [bId] = (await b.wait('incoming', (x) => b.log.findIndex((r) => r.args === x) >= from)) as [
    string,
  ];
  b.client.answerCall(bId);
  const aId = call.getCallId();
  await Promise.all([
    a.state(aId, CONST.AWL_MSG_CALL_CONNECTED),
    b.state(bId, CONST.AWL_MSG_CALL_CONNECTED),
  ]);
  return [aId, bId] as const;
}

describe('src/sdk smoke: two AWL clients through the dev gateway', () => {
  let info: GatewayInfo;
  const parties: Party[] = [];
  before(async () => {
    info = await gatewayInfo();
  });
  afterEach(() => {
    for (const p of parties.splice(0)) {
      p.client.logOut();
      const all = p.lines.join('\n');
      // fast ICE: every description went out before the hard cap, and no secret was logged
      const ends = all.match(/ice gathering done: \w+/g) ?? [];
      expect(
        ends.filter((e) => e.endsWith('cap')),
        `${p.user}: ${ends.join(', ')}`,
      ).to.deep.equal([]);
      expect(all).not.to.include(info.password);
      expect(all).not.to.match(/a=ice-pwd/);
    }
  });

  it('calls, talks, holds, resumes, hangs up and releases the microphone', async () => {
    const alice = new Party('201', info);
    const bob = new Party('202', info);
    parties.push(alice, bob);
    expect(alice.log[0]!.args[0]).to.deep.equal({
      result: CONST.AWL_MSG_SETCONFIG_SUCCESS,
      reason: 'none',
    });
    await Promise.all([alice.login(info.password), bob.login(info.password)]);
    expect(alice.client.isLoggedIn()).to.equal(true);

    const t0 = performance.now();
    const call = alice.client.makeCall('202', 'audio') as AwlCall;
    const callId = call.getCallId();
    expect(call.getCallState()).to.equal(CONST.AWL_MSG_CALL_IDLE);
    const [bobId, bobCall, auto] = (await bob.wait('incoming')) as [string, AwlCall, boolean];
    expect(auto).to.equal(false);
    expect(bobCall.getFarEndNumber()).to.equal('201');
    expect(bobCall.getFarEndName()).to.equal('Alice Carter');
    expect(bobCall.getCallState()).to.equal(CONST.AWL_MSG_CALL_INCOMING);
    await alice.wait('state', (a) => a[0] === callId && a[2] === CONST.AWL_MSG_CALL_RINGING);
    bob.client.answerCall(bobId);
    await Promise.all([
      alice.state(callId, CONST.AWL_MSG_CALL_CONNECTED),
      bob.state(bobId, CONST.AWL_MSG_CALL_CONNECTED),
    ]);
    const setupMs = performance.now() - t0;
    await Promise.all([alice.wait('audio'), bob.wait('audio')]);
    expect(call.getFarEndName()).to.equal('Bob Dalton');

    // audio flows both ways, non-silent (the SDK plays the remote audio itself)
    await Promise.all([flows(alice, callId), flows(bob, bobId)]);

    // hold: no SDP on the wire, media stops both ways; unhold: it resumes
    alice.client.doHold(callId);
    await Promise.all([
      alice.state(callId, CONST.AWL_MSG_CALL_HELD),
      bob.state(bobId, CONST.AWL_MSG_CALL_HELD),
    ]);
    const [heldA, heldB] = await Promise.all([growth(alice, callId), growth(bob, bobId)]);
    expect(heldA, 'packets to alice while held').to.be.lessThan(5);
    expect(heldB, 'packets to bob while held').to.be.lessThan(5);
    alice.client.doUnHold(callId);
    await Promise.all([
      alice.state(callId, CONST.AWL_MSG_CALL_CONNECTED),
      bob.state(bobId, CONST.AWL_MSG_CALL_CONNECTED),
    ]);
    await Promise.all([flows(alice, callId), flows(bob, bobId)]);

    // hang up: both ends told, every track stopped, peer connections closed
    const aliceTracks = call.getLocalStream().getTracks();
    const bobTracks = bobCall.getLocalStream().getTracks();
    alice.client.dropCall(callId);
    const [[, reasonA], [, reasonB]] = await Promise.all([
      alice.wait('terminate', (a) => a[0] === callId),
      bob.wait('terminate', (a) => a[0] === bobId),
    ]);
    expect(reasonA).to.equal('Call ended');
    expect(reasonB).to.equal('Far end disconnected');
    expect(
      alice.log.some(
        (r) =>
          r.cb === 'state' && r.args[0] === callId && r.args[2] === CONST.AWL_MSG_CALL_DISCONNECTED,
      ),
    ).to.equal(true);
    for (const t of [...aliceTracks, ...bobTracks]) expect(t.readyState).to.equal('ended');
    for (const p of [alice, bob]) {
      expect(p.client.phone.media.src.audio, `${p.user} microphone released`).to.equal(undefined);
      expect(p.client.phone.calls.size).to.equal(0);
    }
    console.log(`call set-up ${setupMs.toFixed(0)} ms`);
  });

  it('sets up fast with a STUN server that never answers (quiet period, not the 10 s wait)', async () => {
    const stun = { Stunserver: { ip: '192.0.2.99', port: '3478' } }; // TEST-NET: nothing answers
    const alice = new Party('201', info, stun);
    const bob = new Party('202', info, stun);
    parties.push(alice, bob);
    await Promise.all([alice.login(info.password), bob.login(info.password)]);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const [aId, bId] = await connect(alice, bob, '202');
      times.push(performance.now() - t0);
      alice.client.dropCall(aId);
      await bob.wait('terminate', (a) => a[0] === bId);
    }
    console.log(
      `set-up with a silent STUN server: ${times.map((t) => t.toFixed(0)).join(', ')} ms`,
    );
    expect(Math.max(...times)).to.be.lessThan(1500);
    expect(alice.lines.join('\n')).to.match(/ice gathering done: quiet/);
  });

  it('video call decodes both ways; addVideo / removeVideo on a live audio call', async () => {
    const alice = new Party('201', info);
    const bob = new Party('202', info);
    parties.push(alice, bob);
    await Promise.all([alice.login(info.password), bob.login(info.password)]);
    const [aId, bId] = await connect(alice, bob, '202', 'video');
    const [, , aRemote] = (await alice.wait('video')) as [string, MediaStream, MediaStream];
    const [, , bRemote] = (await bob.wait('video')) as [string, MediaStream, MediaStream];
    expect(await decodes(aRemote)).to.be.greaterThan(0);
    expect(await decodes(bRemote)).to.be.greaterThan(0);
    const vs = alice.client.getStats(aId);
    await vs.ready;
    expect(Number(vs.video.packetsReceived)).to.be.greaterThan(0);
    expect(alice.client.pauseVideo(aId)).to.equal(true);
    expect(alice.client.playVideo(aId)).to.equal(true);
    // switch camera mid-call: replaceTrack, no renegotiation, far end keeps decoding
    const cams = (await navigator.mediaDevices.enumerateDevices()).filter(
      (d) => d.kind === 'videoinput',
    );
    const apc = engineCall(alice, aId).pc!;
    const cam = apc.getSenders().find((x) => x.track?.kind === 'video')!;
    const oldCam = cam.track!;
    const nextCam = cams.find((d) => d.deviceId !== oldCam.getSettings().deviceId) ?? cams[0]!;
    const sdpBefore = apc.localDescription!.sdp;
    alice.client.setDeviceIds({ videoInputID: nextCam.deviceId });
    for (let i = 0; i < 50 && cam.track === oldCam; i++) await sleep(100);
    expect(cam.track!.getSettings().deviceId).to.equal(nextCam.deviceId);
    expect(oldCam.readyState).to.equal('ended');
    expect(apc.localDescription!.sdp).to.equal(sdpBefore);
    expect(alice.client.phone.media.src.video?.readyState).to.equal('live');
    expect(await decodes(bRemote)).to.be.greaterThan(0);
    alice.client.dropCall(aId);
    await bob.wait('terminate', (a) => a[0] === bId);

    // fixed elements (setDomElements): the SDK shows the talking call there, no stream callback
    const dan = new Party('204', info);
    parties.push(dan);
    await dan.login(info.password);
    const [lv, rv] = [document.createElement('video'), document.createElement('video')];
    lv.id = 'dan-local';
    rv.id = 'dan-remote';
    document.body.append(lv, rv);
    dan.client.setDomElements({ localVideo: 'dan-local', remoteVideo: 'dan-remote' });
    expect(
      (
        await dan.wait('config', (a) =>
          (a[0] as { result: string }).result.startsWith('AWL_MSG_SETDOM'),
        )
      )[0],
    ).to.deep.equal({ result: CONST.AWL_MSG_SETDOM_SUCCESS, reason: 'none' });
    const videoCallbacks = dan.log.filter((r) => r.cb === 'video').length;
    const [a1, b1] = await connect(alice, dan, '204', 'video');
    expect(await decodes(rv.srcObject as MediaStream)).to.be.greaterThan(0);
    expect((lv.srcObject as MediaStream).getVideoTracks().length).to.equal(1);
    expect(lv.muted && rv.muted).to.equal(true);
    await alice.wait('video', (a) => a[0] === a1);
    expect(dan.log.filter((r) => r.cb === 'video').length).to.equal(videoCallbacks);
    alice.client.dropCall(a1);
    await dan.wait('terminate', (a) => a[0] === b1);
    expect(rv.srcObject).to.equal(null);
    lv.remove();
    rv.remove();

    // video disabled at the answering end: the offered video is answered inactive, audio flows
    const carol = new Party('203', info, { enableVideo: false });
    parties.push(carol);
    await carol.login(info.password);
    const [, c1] = await connect(alice, carol, '203', 'video');
    expect(engineCall(carol, c1).pc!.localDescription!.sdp.split('m=video')[1]).to.match(
      /a=inactive/,
    );
    expect(carol.client.addVideo(c1)).to.equal(false);
    await flows(carol, c1);
    carol.client.dropCall(c1);
    await carol.wait('terminate', (a) => a[0] === c1);

    const [a2, b2] = await connect(alice, bob, '202', 'audio');
    expect(engineCall(alice, a2).video).to.equal(false);
    const t0 = performance.now();
    expect(alice.client.addVideo(a2)).to.equal(true);
    const [, , bobSees] = (await bob.wait('video', (a) => a[0] === b2)) as [
      string,
      MediaStream,
      MediaStream,
    ];
    await alice.wait('video', (a) => a[0] === a2);
    console.log(`addVideo → video at the far end ${(performance.now() - t0).toFixed(0)} ms`);
    expect(await decodes(bobSees)).to.be.greaterThan(0);
    expect(engineCall(alice, a2).video).to.equal(true);
    expect(alice.client.removeVideo(a2)).to.equal(true);
    for (let i = 0; i < 50 && engineCall(alice, a2).video; i++) await sleep(100);
    expect(engineCall(alice, a2).video, 'video removed').to.equal(false);
    expect(engineCall(alice, a2).local.getVideoTracks().length).to.equal(0);
    await flows(bob, b2);
  });

  it('blind transfer: the transferred party then talks to the target', async () => {
    const [alice, bob, carol] = ['201', '202', '203'].map((u) => new Party(u, info));
    parties.push(alice!, bob!, carol!);
    await Promise.all([
      alice!.login(info.password),
      bob!.login(info.password),
      carol!.login(info.password),
    ]);
    const [aId, bId] = await connect(alice!, bob!, '202');
    alice!.client.transferCall('203', aId, 'unAttended');
    await alice!.wait('state', (a) => a[0] === aId && a[2] === undefined);
    const [, reason] = await alice!.wait('terminate', (a) => a[0] === aId);
    expect(reason).to.equal('Call transferred');
    const [cId, cCall] = (await carol!.wait('incoming', undefined, 20_000)) as [string, AwlCall];
    expect(cCall.getFarEndName()).to.equal('Bob Dalton');
    carol!.client.answerCall(cId);
    await carol!.state(cId, CONST.AWL_MSG_CALL_CONNECTED);
    const [, farEnd] = (await bob!.wait(
      'state',
      (a) => a[0] === bId && a[2] === CONST.AWL_MSG_CALL_FAREND_UPDATE,
    )) as [string, AwlCall];
    expect(farEnd.getFarEndName()).to.equal('Carol Evans');
    expect(farEnd.getFarEndNumber()).to.equal('203');
    await Promise.all([flows(carol!, cId, 50, 20_000), flows(bob!, bId, 50, 20_000)]);
  });

  it('attended transfer: auto-hold, consultation call, then the two others talk', async () => {
    const [alice, bob, carol] = ['201', '202', '203'].map((u) => new Party(u, info));
    parties.push(alice!, bob!, carol!);
    await Promise.all([
      alice!.login(info.password),
      bob!.login(info.password),
      carol!.login(info.password),
    ]);
    const [aB, bA] = await connect(alice!, bob!, '202');
    // a second call first holds the talking one (§6.1)
    const [aC, cA] = await connect(alice!, carol!, '203');
    expect(engineCall(alice!, aB).held).to.equal(true);
    await bob!.wait('state', (a) => a[0] === bA && a[2] === CONST.AWL_MSG_CALL_HELD);
    alice!.client.transferCall(aC, aB, 'attended');
    await Promise.all([
      alice!.wait('terminate', (a) => a[0] === aB),
      alice!.wait('terminate', (a) => a[0] === aC),
    ]);
    await Promise.all([
      bob!.wait('state', (a) => a[0] === bA && a[2] === CONST.AWL_MSG_CALL_FAREND_UPDATE),
      carol!.wait('state', (a) => a[0] === cA && a[2] === CONST.AWL_MSG_CALL_FAREND_UPDATE),
    ]);
    expect(engineCall(bob!, bA).farName).to.equal('Carol Evans');
    await Promise.all([flows(carol!, cA, 50, 20_000), flows(bob!, bA, 50, 20_000)]);
  });

  it('DTMF on the negotiated payload type, mute gives silence, device switch keeps the call', async () => {
    const alice = new Party('201', info);
    const bob = new Party('202', info);
    parties.push(alice, bob);
    await Promise.all([alice.login(info.password), bob.login(info.password)]);
    const [aId, bId] = await connect(alice, bob, '202');
    const pc = engineCall(alice, aId).pc!;
    const audio = pc.localDescription!.sdp.split('m=video')[0]!;
    expect(audio).to.match(/a=rtpmap:101 telephone-event\/8000/);
    expect(audio).not.to.match(/telephone-event\/48000/);
    expect(pc.remoteDescription!.sdp).to.match(/a=rtpmap:101 telephone-event\/8000/);
    const tones: string[] = [];
    const dtmf = pc.getSenders().find((s) => s.track?.kind === 'audio')!.dtmf!;
    dtmf.addEventListener('tonechange', (e) => tones.push((e as RTCDTMFToneChangeEvent).tone));
    expect(alice.client.sendDTMF(aId, '1')).to.equal(true);
    expect(alice.client.sendDTMF(aId, '#')).to.equal(true);
    for (let i = 0; i < 30 && tones.length < 3; i++) await sleep(100);
    expect(tones).to.deep.equal(['1', '#', '']);

    await flows(bob, bId);
    expect(alice.client.doMute(aId)).to.equal(true);
    await sleep(1000);
    let max = 0;
    for (let i = 0; i < 15; i++, await sleep(100))
      max = Math.max(max, (await audioIn(bob, bId)).level);
    expect(max, 'level at bob while alice is muted').to.equal(0);
    expect(alice.client.doUnMute(aId)).to.equal(true);
    await flows(bob, bId);

    const devices = (await new Promise((r) => alice.client.getDeviceList(r))) as [
      string,
      string,
      string,
    ][];
    const inputs = devices.filter((d) => d[0] === 'audioinput');
    expect(inputs.length).to.be.greaterThan(0);
    const before = pc.getSenders().find((s) => s.track?.kind === 'audio')!.track!;
    const other = inputs.find((d) => d[2] !== before.getSettings().deviceId) ?? inputs[0]!;
    alice.client.setDeviceIds({ audioInputID: other[2] });
    for (let i = 0; i < 50 && pc.getSenders()[0]!.track === before; i++) await sleep(100);
    const after = pc.getSenders().find((s) => s.track?.kind === 'audio')!.track!;
    expect(after).not.to.equal(before);
    expect(before.readyState).to.equal('ended');
    expect(after.getSettings().deviceId).to.equal(other[2]);
    expect(engineCall(alice, aId).state).to.equal('CONNECTED');
    await flows(bob, bId);
  });

  it('reject, cancel, unknown number, busy and the call limit', async () => {
    const alice = new Party('201', info);
    const bob = new Party('202', info);
    parties.push(alice, bob);
    await Promise.all([alice.login(info.password), bob.login(info.password)]);
    // reject
    const c1 = alice.client.makeCall('202', 'audio')!;
    const [b1] = (await bob.wait('incoming')) as [string];
    bob.client.rejectCall(b1);
    expect((await bob.wait('terminate', (a) => a[0] === b1))[1]).to.equal('Call Rejected');
    expect((await alice.wait('terminate', (a) => a[0] === c1.getCallId()))[1]).to.equal(
      'Call rejected',
    );
    // cancel while ringing
    const c2 = alice.client.makeCall('202', 'audio')!;
    await alice.wait(
      'state',
      (a) => a[0] === c2.getCallId() && a[2] === CONST.AWL_MSG_CALL_RINGING,
    );
    const [b2] = (await bob.wait('incoming', (a) => a[0] !== b1)) as [string];
    alice.client.cancelCall(c2.getCallId());
    expect((await alice.wait('terminate', (a) => a[0] === c2.getCallId()))[1]).to.equal(
      'Call Dropped',
    );
    await bob.wait('terminate', (a) => a[0] === b2);
    // unknown number
    const c3 = alice.client.makeCall('299', 'audio')!;
    expect((await alice.wait('terminate', (a) => a[0] === c3.getCallId()))[1]).to.equal(
      'Number not found',
    );
    expect(
      alice.log.some(
        (r) =>
          r.cb === 'state' &&
          r.args[0] === c3.getCallId() &&
          r.args[2] === CONST.AWL_MSG_CALL_DISCONNECTED,
      ),
    ).to.equal(true);
    // three calls (a new call holds the talking one, §6.1), then the 4th is refused locally
    const more = ['203', '204'].map((u) => new Party(u, info));
    parties.push(...more);
    await Promise.all(more.map((p) => p.login(info.password)));
    const ids: string[] = [];
    for (const [n, p] of [
      ['202', bob],
      ['203', more[0]!],
      ['204', more[1]!],
    ] as const)
      ids.push((await connect(alice, p, n))[0]);
    expect(ids.map((id) => engineCall(alice, id).held)).to.deep.equal([true, true, false]);
    const c4 = alice.client.makeCall('202', 'audio')!;
    expect((await alice.wait('terminate', (a) => a[0] === c4.getCallId()))[1]).to.equal(
      'Max call limit reached',
    );
    expect(c4.getCallState()).to.equal(CONST.AWL_MSG_CALL_MAXCAP_REACHED);
    // unholding the first call holds the talking one (§6.1)
    alice.client.doUnHold(ids[0]!);
    await Promise.all([
      alice.state(ids[0]!, CONST.AWL_MSG_CALL_CONNECTED),
      alice.state(ids[2]!, CONST.AWL_MSG_CALL_HELD),
    ]);
    await flows(bob, engineCall(bob, [...bob.client.phone.calls.keys()][0]!).id);
    for (const id of ids) alice.client.dropCall(id);
    await Promise.all(ids.map((id) => alice.wait('terminate', (a) => a[0] === id)));
    expect(alice.client.phone.calls.size).to.equal(0);
    expect(alice.client.phone.media.src.audio).to.equal(undefined);
  });

  it('login checks, duplicate and forced login, link watchdog, logout releases everything', async () => {
    const a = new Party('201', info, { keepaliveTimeout: 1 });
    parties.push(a);
    const results: string[] = [];
    const take = async () => {
      const [r] = (await a.wait('registration', () => true)) as [{ result: string }];
      results.push(r.result);
      a.log.splice(
        a.log.findIndex((x) => x.cb === 'registration'),
        1,
      );
      return r;
    };
    a.client.logIn('', 'x');
    expect((await take()).result).to.equal(CONST.AWL_MSG_LOGIN_EMPTYUSERNAME);
    a.client.logIn('201', '');
    expect((await take()).result).to.equal(CONST.AWL_MSG_LOGIN_EMPTYPASSWORD);
    a.client.tokenLogIn('201', '', 'ESNA');
    expect((await take()).result).to.equal(CONST.AWL_MSG_LOGIN_EMPTYTOKEN);
    a.client.tokenLogIn('201', 'abc', 'other');
    expect((await take()).result).to.equal(CONST.AWL_MSG_LOGIN_INVALID_TOKENTYPE);
    a.client.logIn('201', 'wrong');
    const bad = (await take()) as { result: string; reason: string };
    expect([bad.result, bad.reason]).to.deep.equal([
      CONST.AWL_MSG_LOGIN_FAILED,
      'Invalid Credentials',
    ]);
    a.client.logIn('201', info.password);
    expect((await take()).result).to.equal(CONST.AWL_MSG_LOGIN_SUCCESS);
    a.client.logIn('201', info.password);
    expect((await take()).result).to.equal(CONST.AWL_MSG_DUPLICATE_LOGIN);
    // the gateway sends keepalive every 30 s: a 1 s watchdog reports a link issue
    const link = (await take()) as { result: string; reason: string };
    expect([link.result, link.reason]).to.deep.equal([
      CONST.AWL_MSG_LINK_ISSUE_DETECTED,
      'link issue detected',
    ]);
    // forced login from another client
    const b = new Party('201', info);
    parties.push(b);
    await b.login(info.password);
    const forced = (await take()) as { result: string; reason: string };
    expect([forced.result, forced.reason]).to.deep.equal([
      CONST.AWL_MSG_LOGIN_FAILED,
      'Logged in elsewhere',
    ]);
    expect(a.client.isLoggedIn()).to.equal(false);
    // logout
    const c = new Party('202', info);
    parties.push(c);
    await c.login(info.password);
    const call = b.client.makeCall('202', 'audio')!;
    const [cId] = (await c.wait('incoming')) as [string];
    c.client.answerCall(cId);
    await b.state(call.getCallId(), CONST.AWL_MSG_CALL_CONNECTED);
    const pc = engineCall(b, call.getCallId()).pc!;
    b.client.logOut();
    expect((await b.wait('terminate'))[1]).to.equal('manual logout');
    const [out] = (await b.wait(
      'registration',
      (x) => (x[0] as { result: string }).result === CONST.AWL_MSG_LOGGEDOUT,
    )) as [{ reason: string }];
    expect(out.reason).to.equal('Logout successful');
    expect(pc.connectionState).to.equal('closed');
    expect(b.client.phone.media.src.audio).to.equal(undefined);
    expect(
      call
        .getLocalStream()
        .getTracks()
        .every((t) => t.readyState === 'ended'),
    ).to.equal(true);
    await c.wait('terminate', (x) => x[0] === cId);

    // page unload: the same release, without the app doing anything
    const d = new Party('201', info);
    parties.push(d);
    await d.login(info.password);
    const call2 = d.client.makeCall('202', 'audio')!;
    const [c2] = (await c.wait('incoming', (x) => x[0] !== cId)) as [string];
    c.client.answerCall(c2);
    await d.state(call2.getCallId(), CONST.AWL_MSG_CALL_CONNECTED);
    const pc2 = engineCall(d, call2.getCallId()).pc!;
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(pc2.connectionState).to.equal('closed');
    expect(d.client.isLoggedIn()).to.equal(false);
    expect(d.client.phone.media.src.audio).to.equal(undefined);
    expect(
      call2
        .getLocalStream()
        .getTracks()
        .every((t) => t.readyState === 'ended'),
    ).to.equal(true);
    await c.wait('terminate', (x) => x[0] === c2);
    expect(c.client.isWebRTCSupported()).to.equal(true);
    expect(c.client.getSdkVersion()).to.be.a('string');
  });

  it('agent service answers for early media; the caller hears it as PROGRESSING', async () => {
    const caller = new Party('201', info);
    const agent = new Party('205', info, { serviceType: 'agent' });
    parties.push(caller, agent);
    await Promise.all([caller.login(info.password), agent.login(info.password)]);
    const call = caller.client.makeCall('205', 'audio')!;
    const [agentId] = (await agent.wait('incoming')) as [string];
    await caller.state(call.getCallId(), CONST.AWL_MSG_CALL_PROGRESSING);
    await flows(caller, call.getCallId());
    agent.client.answerCall(agentId);
    await Promise.all([
      caller.state(call.getCallId(), CONST.AWL_MSG_CALL_CONNECTED),
      agent.state(agentId, CONST.AWL_MSG_CALL_CONNECTED),
    ]);
    await flows(agent, agentId);
  });

  it('fails cleanly: no gateway on the port; relay service needs its audio tag, then loopback works', async () => {
    const a = new Party('201', { ...info, port: 1 });
    parties.push(a);
    a.client.logIn('201', info.password);
    const [r] = (await a.wait('registration')) as [{ result: string; reason: string }];
    expect([r.result, r.reason]).to.deep.equal([
      CONST.AWL_MSG_LOGIN_WEBSOCKET_FAILURE,
      'Connection to WebRTC Gateway failed',
    ]);

    const relay = new Party('201', info, { serviceType: 'relay' });
    parties.push(relay);
    relay.client.logIn('201', info.password);
    const [noTag] = (await relay.wait('registration')) as [{ result: string; reason: string }];
    expect([noTag.result, noTag.reason]).to.deep.equal([
      CONST.AWL_MSG_LOGIN_FAILED,
      'Mandate relay audio tag not set',
    ]);
    relay.log.length = 0;
    const tag = document.createElement('audio');
    tag.id = 'relay-tag';
    document.body.append(tag);
    relay.client.setDomElements({ relayAudioTagId: 'relay-tag' });
    expect((await relay.wait('config'))[0]).to.deep.equal({
      result: CONST.AWL_MSG_SETDOM_SUCCESS,
      reason: 'none',
    });
    relay.client.logIn('201', info.password);
    const [ok] = (await relay.wait('registration')) as [{ result: string; UID: string }];
    expect(ok.result).to.equal(CONST.AWL_MSG_LOGIN_SUCCESS);
    expect(ok.UID).to.match(/^\d+$/);
    expect(relay.client.makeCall('202', 'audio')).to.equal(null);
    relay.client.createLoopBackConnection();
    expect((await relay.wait('loopback'))[0]).to.equal(CONST.AWL_MSG_LOOPBACK_CONN_SUCCESSFULL);
    relay.client.endLoopBackConnection();
    expect(
      (await relay.wait('loopback', (a) => a[0] !== CONST.AWL_MSG_LOOPBACK_CONN_SUCCESSFULL))[0],
    ).to.equal(CONST.AWL_MSG_LOOPBACK_CONN_CLOSED);
    expect(relay.client.getAlternateServerConfig()).to.equal(null);
    tag.remove();
  });
});
