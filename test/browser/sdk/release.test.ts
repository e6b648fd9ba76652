/**
 * Releasing everything: logOut during calls (every call terminated locally and at the far ends,
 * socket closed, all peer connections closed, all microphone tracks ended), and a page unload
 * (a same-origin frame running the built dist/awl.min.js navigates away in the middle of a call).
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  cleanup,
  establish,
  expectAudioFlowing,
  expectReleased,
  gatewayInfo,
  pageErrors,
  pollUntil,
  resourceMark,
  sockets,
} from './support.js';

describe('AWL SDK: logout and page unload release everything', function () {
  this.timeout(90_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('logOut with two calls up: both end everywhere, socket closed, no open peer connection, no live track', async () => {
    const mark = resourceMark();
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const aliceSocket = sockets[mark.sockets]!;
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const carol = await TestClient.loggedIn('203', { label: 'carol' });
    const c1 = await establish(alice, bob);
    const c2 = await establish(alice, carol);
    await expectAudioFlowing(await carol.pcFor(c2.bId), 'alice → carol');

    const ma = alice.mark();
    const mb = bob.mark();
    const mc = carol.mark();
    alice.client.logOut();
    const out = await alice.waitFor('reg', undefined, { since: ma, what: 'the logout result' });
    expect(out.args[0].result).to.equal('AWL_MSG_LOGGEDOUT');
    const [t1, t2] = await Promise.all([
      alice.waitTerminate(c1.aId, ma),
      alice.waitTerminate(c2.aId, ma),
    ]);
    expect([t1.args[1], t2.args[1]], 'local reason (spec §5.7)').to.deep.equal([
      'manual logout',
      'manual logout',
    ]);
    const [tb, tc] = await Promise.all([
      bob.waitTerminate(c1.bId, mb),
      carol.waitTerminate(c2.bId, mc),
    ]);
    expect([tb.args[1], tc.args[1]]).to.deep.equal([
      'Far end disconnected',
      'Far end disconnected',
    ]);
    expect(alice.client.isLoggedIn()).to.equal(false);
    expect(
      bob.client.isLoggedIn() && carol.client.isLoggedIn(),
      'the far ends stay logged in',
    ).to.equal(true);
    await pollUntil(
      () => aliceSocket.readyState === WebSocket.CLOSED,
      "Alice's socket to close",
      5000,
      50,
    );
    await expectReleased(mark, 'after logout');
  });

  it('logOut while an outgoing call still rings releases it too', async () => {
    const mark = resourceMark();
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const ma = alice.mark();
    const mb = bob.mark();
    const aId = alice.client.makeCall('202', 'audio')!.getCallId();
    const bId = (await bob.waitFor('incoming', undefined, { since: mb })).args[0] as string;
    await alice.waitState(aId, 'AWL_MSG_CALL_RINGING', ma);
    alice.client.logOut();
    await alice.waitTerminate(aId, ma);
    await bob.waitTerminate(bId, mb);
    await expectReleased(mark, 'after logout during ringing');
  });

  it('page unload in the middle of a call: the far end is released at once and the page kept nothing alive', async () => {
    const info = await gatewayInfo();
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const bobMark = resourceMark();

    const frame = document.createElement('iframe');
    frame.src = '/test/browser/sdk/fixtures/blank.html';
    document.body.append(frame);
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    const w = frame.contentWindow as Window & typeof globalThis & { AWL: any };
    // record the frame's peer connections and microphone tracks before the SDK loads
    const framePcs: RTCPeerConnection[] = [];
    const frameTracks: MediaStreamTrack[] = [];
    const NativePC = w.RTCPeerConnection;
    w.RTCPeerConnection = class extends NativePC {
      constructor(cfg?: RTCConfiguration) {
        super(cfg);
        framePcs.push(this);
      }
    };
    const gum = w.navigator.mediaDevices.getUserMedia.bind(w.navigator.mediaDevices);
    w.navigator.mediaDevices.getUserMedia = async (c?: MediaStreamConstraints) => {
      const s = await gum(c);
      frameTracks.push(...s.getTracks());
      return s;
    };
    const script = w.document.createElement('script');
    script.src = '/dist/awl.min.js';
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error('/dist/awl.min.js did not load (run npm run build)'));
    });
    w.document.head.append(script);
    await loaded;
    expect(w.AWL, 'window.AWL from dist/awl.min.js').to.be.an('object');
    expect(
      (w as unknown as { CONST: Record<string, string> }).CONST?.AWL_MSG_LOGIN_SUCCESS,
      'window.CONST',
    ).to.equal('AWL_MSG_LOGIN_SUCCESS');

    const seen: string[] = [];
    let connected!: () => void;
    const isConnected = new Promise<void>((r) => (connected = r));
    let loggedIn!: (v: string) => void;
    const loginResult = new Promise<string>((r) => (loggedIn = r));
    const client = new w.AWL.client();
    const listener = (function () {
      return {
        onNewIncomingCall: () => seen.push('incoming'),
        onCallStateChange: (_id: string, _obj: unknown, state: string) => {
          seen.push(state);
          if (state === 'AWL_MSG_CALL_CONNECTED') connected();
        },
        onCallTerminate: () => seen.push('terminate'),
        onLoopBackNotification: () => undefined,
        onVideoStreamsAvailable: () => undefined,
        onAudioStreamsAvailable: () => undefined,
      };
    })();
    client.setConfiguration(
      {
        serviceType: 'phone',
        enableVideo: false,
        Gateway: { ip: '127.0.0.1', port: String(info.port) },
        useGatewayPort: true, // the dev gateway's own port (the vendor's rule is 9443)
        Stunserver: { ip: '', port: '3478' },
        Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
        AppData: {
          applicationID: '',
          applicationUA: '',
          appInstanceID: client.generateAppInstanceID(),
        },
        disableResiliency: false,
      },
      () => undefined,
      (resp: { result: string }) => loggedIn(resp.result),
      listener,
      () => undefined,
    );
    client.logIn('201', info.password, 'true');
    expect(await loginResult).to.equal('AWL_MSG_LOGIN_SUCCESS');
    const mb = bob.mark();
    client.makeCall('202', 'audio');
    const bId = (await bob.waitFor('incoming', undefined, { since: mb })).args[0] as string;
    bob.client.answerCall(bId);
    await isConnected;
    await expectAudioFlowing(await bob.pcFor(bId), 'frame → bob');
    expect(framePcs.length, "the frame's SDK made a peer connection").to.be.greaterThan(0);
    expect(frameTracks.length, "the frame's SDK opened the microphone").to.be.greaterThan(0);

    // the page goes away
    const t0 = performance.now();
    frame.src = 'about:blank';
    const end = await bob.waitTerminate(bId, mb, 10_000);
    expect(end.args[1]).to.equal('Far end disconnected');
    expect(performance.now() - t0, 'ms until the far end was released').to.be.lessThan(5000);
    await pollUntil(
      () => framePcs.every((pc) => pc.signalingState === 'closed'),
      "the frame's peer connections to close",
      5000,
    );
    await pollUntil(
      () => frameTracks.every((t) => t.readyState === 'ended'),
      "the frame's tracks to end",
      5000,
    );
    await expectReleased(bobMark, 'Bob after the far end went away');
    frame.remove();
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
