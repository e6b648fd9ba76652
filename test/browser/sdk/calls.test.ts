/**
 * Basic telephony: makeCall (return object), onNewIncomingCall and the call object getters,
 * answerCall with real audio both ways, dropCall, rejectCall, cancelCall, unknown number, target
 * not available, busy target, the 4th call, and STUN settings used by subsequent calls.
 */
import { expect } from '@open-wc/testing';
import {
  SIP_DOMAIN,
  TestClient,
  cleanup,
  establish,
  expectAudioFlowing,
  expectReleased,
  pageErrors,
  resourceMark,
  type CallObj,
} from './support.js';

describe('AWL SDK: calls', function () {
  this.timeout(90_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('makeCall → far end onNewIncomingCall with a complete call object; answerCall connects both with real audio both ways', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const ma = alice.mark();
    const mb = bob.mark();
    const obj = alice.client.makeCall('202', 'audio');
    expect(obj, 'makeCall returns the call object').to.be.an('object');
    for (const m of [
      'getCallId',
      'getCallState',
      'getFarEndNumber',
      'getFarEndName',
      'getSipUri',
      'getSubject',
      'isAutoAnswer',
      'isVideoCall',
    ]) {
      expect((obj as unknown as Record<string, unknown>)[m], `callObj.${m}`).to.be.a('function');
    }
    const aId = obj!.getCallId();
    expect(aId).to.be.a('string').and.not.equal('');
    expect(obj!.getFarEndNumber()).to.equal('202');
    expect(obj!.isVideoCall()).to.equal(false);

    const incoming = await bob.waitFor('incoming', undefined, {
      since: mb,
      what: 'onNewIncomingCall',
    });
    const [bId, bObj, autoAnswer] = incoming.args as [string, CallObj, boolean];
    expect(bId).to.be.a('string').and.not.equal('');
    expect(autoAnswer, 'autoAnswer flag').to.equal(false);
    expect(bObj.getCallId()).to.equal(bId);
    expect(bObj.getCallState()).to.equal('AWL_MSG_CALL_INCOMING');
    expect(bObj.getFarEndNumber()).to.equal('201');
    expect(bObj.getFarEndName()).to.equal('Alice Carter');
    expect(bObj.getSipUri()).to.equal(`sip:201@${SIP_DOMAIN}`);
    expect(bObj.getSubject() ?? '', 'no subject').to.equal('');
    expect(bObj.isAutoAnswer()).to.equal(false);
    expect(bObj.isVideoCall()).to.equal(false);

    // the caller hears ringing first
    const ringing = await alice.waitState(aId, 'AWL_MSG_CALL_RINGING', ma);
    expect((ringing.args[1] as CallObj).getCallId()).to.equal(aId);
    expect(obj!.getFarEndName(), 'far-end name from the ringing update').to.equal('Bob Dalton');
    expect(obj!.getSipUri()).to.equal(`sip:202@${SIP_DOMAIN}`);

    bob.client.answerCall(bId);
    await alice.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma);
    await bob.waitState(bId, 'AWL_MSG_CALL_CONNECTED', mb);
    expect(obj!.getCallState(), 'the returned object follows the call').to.equal(
      'AWL_MSG_CALL_CONNECTED',
    );
    expect(bObj.getCallState()).to.equal('AWL_MSG_CALL_CONNECTED');

    // onAudioStreamsAvailable(callId, localStream, remoteStream) on both sides
    for (const [c, id] of [
      [alice, aId],
      [bob, bId],
    ] as const) {
      const { local, remote } = await c.streams(id);
      expect(local, `${c.label} local stream`).to.be.instanceOf(MediaStream);
      expect(remote, `${c.label} remote stream`).to.be.instanceOf(MediaStream);
      expect(local.getAudioTracks().length, `${c.label} local audio tracks`).to.be.greaterThan(0);
      expect(remote.getAudioTracks().length, `${c.label} remote audio tracks`).to.be.greaterThan(0);
    }
    await expectAudioFlowing(await bob.pcFor(bId), 'alice → bob');
    await expectAudioFlowing(await alice.pcFor(aId), 'bob → alice');
    // the state sequence the caller saw
    const states = alice.all('state', (e) => e.args[0] === aId, ma).map((e) => e.args[2]);
    expect(states.indexOf('AWL_MSG_CALL_RINGING'), 'RINGING before CONNECTED').to.be.within(
      0,
      states.indexOf('AWL_MSG_CALL_CONNECTED') - 1,
    );
    expect(states[states.length - 1]).to.equal('AWL_MSG_CALL_CONNECTED');
    expect(
      alice.all('audio', (e) => e.args[0] === aId).length,
      'onAudioStreamsAvailable once per call',
    ).to.equal(1);
  });

  it('dropCall ends a connected call for both parties, stops the media and releases microphone and peer connections', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const mark = resourceMark();
    const call = await establish(alice, bob);
    const bobPc = await bob.pcFor(call.bId);
    await expectAudioFlowing(bobPc, 'before drop');
    const ma = alice.mark();
    const mb = bob.mark();
    alice.client.dropCall(call.aId);
    const [aEnd, bEnd] = await Promise.all([
      alice.waitTerminate(call.aId, ma),
      bob.waitTerminate(call.bId, mb),
    ]);
    expect(aEnd.args[1], 'reason at the dropping side').to.be.a('string').and.not.equal('');
    expect(bEnd.args[1], 'reason at the far end').to.equal('Far end disconnected');
    expect(bob.all('state', (e) => e.args[0] === call.bId, mb).map((e) => e.args[2])).to.include(
      'AWL_MSG_CALL_DISCONNECTED',
    );
    // DISCONNECTED comes before onCallTerminate
    const bDisc = bob.all(
      'state',
      (e) => e.args[0] === call.bId && e.args[2] === 'AWL_MSG_CALL_DISCONNECTED',
      mb,
    )[0]!;
    expect(bDisc.seq).to.be.lessThan(bEnd.seq);
    await expectReleased(mark, 'after the last call ended');
    expect(alice.client.isLoggedIn() && bob.client.isLoggedIn(), 'both stay logged in').to.equal(
      true,
    );
  });

  it('rejectCall: the caller gets DISCONNECTED + onCallTerminate, the rejecting side onCallTerminate; nothing stays open', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const mark = resourceMark();
    const ma = alice.mark();
    const mb = bob.mark();
    const aId = alice.client.makeCall('202', 'audio')!.getCallId();
    const bId = (await bob.waitFor('incoming', undefined, { since: mb })).args[0] as string;
    bob.client.rejectCall(bId);
    const bEnd = await bob.waitTerminate(bId, mb);
    const aEnd = await alice.waitTerminate(aId, ma);
    expect(
      alice.all('state', (e) => e.args[0] === aId && e.args[2] === 'AWL_MSG_CALL_DISCONNECTED', ma)
        .length,
      'caller DISCONNECTED',
    ).to.equal(1);
    expect(aEnd.args[1], 'caller reason (gateway)').to.equal('Call rejected');
    expect(bEnd.args[1], 'rejecting side reason (spec §6.3)').to.equal('Call Rejected');
    expect(
      alice.all('state', (e) => e.args[0] === aId && e.args[2] === 'AWL_MSG_CALL_CONNECTED', ma),
    ).to.deep.equal([]);
    await expectReleased(mark, 'after the rejected call');
  });

  it('cancelCall while the far end rings: both sides see the call end, the far end with "Call cancelled"', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const mark = resourceMark();
    const ma = alice.mark();
    const mb = bob.mark();
    const aId = alice.client.makeCall('202', 'audio')!.getCallId();
    const bId = (await bob.waitFor('incoming', undefined, { since: mb })).args[0] as string;
    await alice.waitState(aId, 'AWL_MSG_CALL_RINGING', ma);
    alice.client.cancelCall(aId);
    await alice.waitTerminate(aId, ma);
    const bEnd = await bob.waitTerminate(bId, mb);
    expect(bEnd.args[1]).to.equal('Call cancelled');
    expect(
      bob.all('state', (e) => e.args[0] === bId && e.args[2] === 'AWL_MSG_CALL_DISCONNECTED', mb)
        .length,
      'far end DISCONNECTED',
    ).to.equal(1);
    await expectReleased(mark, 'after the cancelled call');
  });

  it("unknown number and a target that is not logged in: DISCONNECTED + onCallTerminate with the gateway's reason", async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const mark = resourceMark();
    for (const [target, reason] of [
      ['2999', 'Number not found'],
      ['204', 'User not available'],
    ] as const) {
      const m = alice.mark();
      const aId = alice.client.makeCall(target, 'audio')!.getCallId();
      const end = await alice.waitTerminate(aId, m);
      expect(end.args[1], `calling ${target}`).to.equal(reason);
      const disc = alice.all(
        'state',
        (e) => e.args[0] === aId && e.args[2] === 'AWL_MSG_CALL_DISCONNECTED',
        m,
      );
      expect(disc.length, `DISCONNECTED for ${target}`).to.equal(1);
      expect(disc[0]!.seq).to.be.lessThan(end.seq);
    }
    await expectReleased(mark, 'after the failed calls');
  });

  it('three calls at once; a 4th makeCall fails locally (AWL_MSG_CALL_FAILED, "Max call limit reached"); a caller to the full party hears "User busy"', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const carol = await TestClient.loggedIn('203', { label: 'carol' });
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push(await establish(alice, bob));
    const ids = calls.map((c) => c.aId);
    expect(new Set(ids).size, 'three distinct call ids').to.equal(3);

    const ma = alice.mark();
    const mc = carol.mark();
    const fourth = alice.client.makeCall('203', 'audio');
    expect(fourth, 'makeCall still returns a call object').to.be.an('object');
    const fId = fourth!.getCallId();
    const end = await alice.waitTerminate(fId, ma);
    expect(end.args[1]).to.equal('Max call limit reached');
    const states = alice.all('state', (e) => e.args[0] === fId, ma).map((e) => e.args[2]);
    expect(states, 'state reported for the 4th call').to.satisfy(
      (s: string[]) =>
        s.includes('AWL_MSG_CALL_FAILED') || s.includes('AWL_MSG_CALL_MAXCAP_REACHED'),
    );

    // Bob has three calls: Carol's call is refused as busy (a gateway round trip, after which an
    // offer of Alice's 4th call would long have reached Carol)
    const cId = carol.client.makeCall('202', 'audio')!.getCallId();
    const busy = await carol.waitTerminate(cId, mc);
    expect(busy.args[1]).to.equal('User busy');
    expect(
      carol.all('incoming', () => true, mc),
      'the 4th call never left Alice',
    ).to.deep.equal([]);
    // the three calls were not disturbed
    expect(
      alice.all('terminate', (e) => ids.includes(e.args[0])),
      'terminations of the 3 calls',
    ).to.deep.equal([]);
    expect(bob.all('terminate', () => true, 0)).to.deep.equal([]);
  });

  it("setStunConfiguration after login: the next call's peer connection uses that STUN server and still connects", async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    // reachable address, no STUN service on it: gathering must not wait the vendor's 10 s for it
    expect(alice.client.setStunConfiguration({ ip: '127.0.0.1', port: '3478' })).to.equal(
      'AWL_MSG_SET_STUN_CONFIG_SUCCESS',
    );
    const t0 = performance.now();
    const call = await establish(alice, bob);
    const setup = performance.now() - t0;
    const pc = await alice.pcFor(call.aId);
    const urls = (pc.getConfiguration().iceServers ?? []).flatMap((s) =>
      Array.isArray(s.urls) ? s.urls : [s.urls],
    );
    expect(urls, 'ICE servers of the new call').to.include('stun:127.0.0.1:3478');
    expect(setup, 'call set-up time with an unanswering STUN server (ms)').to.be.lessThan(5000);
    await expectAudioFlowing(pc, 'bob → alice');
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
