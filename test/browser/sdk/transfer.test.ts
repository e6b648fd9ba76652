/**
 * transferCall with three clients: blind (unattended) and attended (consultation) transfer end
 * with the right two parties talking (real audio both ways between them) and the transferring
 * party's calls gone (terminated, media released); a failed transfer keeps the call.
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  cleanup,
  establish,
  expectAudioFlowing,
  expectReleased,
  pageErrors,
  peerConnections,
  resourceMark,
  type CallObj,
} from './support.js';

describe('AWL SDK: transfer', function () {
  this.timeout(120_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it("blind transfer: Alice transfers Bob to Carol; Bob and Carol talk, Alice's call is gone", async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const carol = await TestClient.loggedIn('203', { label: 'carol' });
    const call = await establish(alice, bob);
    const bobPc = await bob.pcFor(call.bId);
    await expectAudioFlowing(bobPc, 'alice → bob');
    const alicePcs = peerConnections.filter(
      (r) => r.pc.signalingState !== 'closed' && r.pc !== bobPc,
    );

    const ma = alice.mark();
    const mb = bob.mark();
    const mc = carol.mark();
    alice.client.transferCall('203', call.aId, 'Unattended');
    const end = await alice.waitTerminate(call.aId, ma, 20_000);
    expect(end.args[1], 'reason for the transferrer').to.equal('Call transferred');
    expect(
      alice.all(
        'state',
        (e) => e.args[0] === call.aId && e.args[2] === 'AWL_MSG_CALL_TRANSFER_FAILED',
        ma,
      ),
    ).to.deep.equal([]);

    const incoming = await carol.waitFor('incoming', undefined, {
      since: mc,
      timeout: 20_000,
      what: 'the transferred call at Carol',
    });
    const [cId, cObj] = incoming.args as [string, CallObj];
    expect(cObj.getFarEndNumber(), 'Carol is offered Bob').to.equal('202');
    expect(cObj.getFarEndName()).to.equal('Bob Dalton');
    carol.client.answerCall(cId);
    await carol.waitState(cId, 'AWL_MSG_CALL_CONNECTED', mc, 20_000);

    const update = await bob.waitFor(
      'state',
      (e) => e.args[0] === call.bId && e.args[2] === 'AWL_MSG_CALL_FAREND_UPDATE',
      { since: mb, timeout: 20_000, what: 'FAREND_UPDATE at Bob' },
    );
    expect((update.args[1] as CallObj).getFarEndName(), 'Bob now talks to Carol').to.equal(
      'Carol Evans',
    );
    expect((update.args[1] as CallObj).getFarEndNumber()).to.equal('203');
    expect(
      bob.all('terminate', () => true, mb),
      "Bob's call continues",
    ).to.deep.equal([]);

    // Bob and Carol hear each other (through the gateway's media anchor)
    await expectAudioFlowing(() => carol.pcFor(cId), 'bob → carol', 20_000);
    await expectAudioFlowing(() => bob.pcFor(call.bId), 'carol → bob', 20_000);
    // Alice's side is closed: her peer connection for the call
    const aliceOpen = alicePcs.filter((r) => r.pc.signalingState !== 'closed');
    expect(aliceOpen.length, "Alice's peer connection closed").to.equal(0);
  });

  it("attended transfer: Alice consults Carol, then joins Bob and Carol; they talk, both of Alice's calls are gone", async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const carol = await TestClient.loggedIn('203', { label: 'carol' });
    const mark = resourceMark();
    const first = await establish(alice, bob);
    const consult = await establish(alice, carol);
    await expectAudioFlowing(await carol.pcFor(consult.bId), 'alice → carol (consultation)');

    const ma = alice.mark();
    const mb = bob.mark();
    const mc = carol.mark();
    alice.client.transferCall(consult.aId, first.aId, 'attended');
    const [e1, e2] = await Promise.all([
      alice.waitTerminate(first.aId, ma, 20_000),
      alice.waitTerminate(consult.aId, ma, 20_000),
    ]);
    expect([e1.args[1], e2.args[1]]).to.deep.equal(['Call transferred', 'Call transferred']);

    const bUpdate = await bob.waitFor(
      'state',
      (e) => e.args[0] === first.bId && e.args[2] === 'AWL_MSG_CALL_FAREND_UPDATE',
      { since: mb, timeout: 20_000, what: 'FAREND_UPDATE at Bob' },
    );
    const cUpdate = await carol.waitFor(
      'state',
      (e) => e.args[0] === consult.bId && e.args[2] === 'AWL_MSG_CALL_FAREND_UPDATE',
      { since: mc, timeout: 20_000, what: 'FAREND_UPDATE at Carol' },
    );
    expect((bUpdate.args[1] as CallObj).getFarEndName()).to.equal('Carol Evans');
    expect((cUpdate.args[1] as CallObj).getFarEndName()).to.equal('Bob Dalton');

    await expectAudioFlowing(() => bob.pcFor(first.bId), 'carol → bob', 20_000);
    await expectAudioFlowing(() => carol.pcFor(consult.bId), 'bob → carol', 20_000);
    expect(
      bob.all('terminate', () => true, mb).concat(carol.all('terminate', () => true, mc)),
    ).to.deep.equal([]);
    // Bob's and Carol's calls are not held after the join
    expect(first.bObj.getCallState()).to.not.equal('AWL_MSG_CALL_HELD');
    expect(consult.bObj.getCallState()).to.not.equal('AWL_MSG_CALL_HELD');
    // everything Alice held is released: her two connections, and her microphone (only Bob's and Carol's remain)
    const open = peerConnections.slice(mark.pcs).filter((r) => r.pc.signalingState !== 'closed');
    expect(open.length, "open peer connections: Bob's and Carol's only").to.equal(2);
  });

  it('blind transfer to an unknown number fails: AWL_MSG_CALL_TRANSFER_FAILED, and the call goes on', async () => {
    const alice = await TestClient.loggedIn('201', { label: 'alice' });
    const bob = await TestClient.loggedIn('202', { label: 'bob' });
    const mark = resourceMark();
    const call = await establish(alice, bob);
    const ma = alice.mark();
    alice.client.transferCall('2999', call.aId, 'Unattended');
    await alice.waitState(call.aId, 'AWL_MSG_CALL_TRANSFER_FAILED', ma);
    expect(alice.all('terminate', () => true, ma)).to.deep.equal([]);
    await expectAudioFlowing(await bob.pcFor(call.bId), 'alice → bob after the failed transfer');
    await expectAudioFlowing(await alice.pcFor(call.aId), 'bob → alice after the failed transfer');
    // and the call can still be ended normally
    const m = alice.mark();
    alice.client.dropCall(call.aId);
    await alice.waitTerminate(call.aId, m);
    await expectReleased(mark, 'after the call ended');
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
