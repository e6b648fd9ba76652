/**
 * The dev gateway with real Chromium media: two (and three) browsers' RTCPeerConnections carry
 * real audio whose SDP the gateway relayed; a transfer re-anchors media in the gateway's bridge.
 */
import { expect } from '@open-wc/testing';
import { audioFlows, gatewayInfo, TestPhone, type GatewayInfo } from './support/phone.js';

describe('dev gateway with real WebRTC media', () => {
  let info: GatewayInfo;
  const phones: TestPhone[] = [];
  const phone = async (ext: string) => {
    const p = await TestPhone.connect(info);
    phones.push(p);
    const login = await p.login(ext, info.password);
    expect(login.params.responseCode).to.equal('200');
    return p;
  };

  before(async () => {
    info = await gatewayInfo();
  });
  afterEach(() => {
    while (phones.length) phones.pop()!.close();
  });

  it('negotiates D11 with a page whose Origin is allowed', async () => {
    const p = await phone('201');
    expect(p.ws.protocol).to.equal('jsonrpc-3.0');
    const settings = await p.next('gatewaySettingsResponse');
    expect(settings.protocol).to.equal('jsonrpc-3.0.0');
    expect((settings.params.codec as { dtmfPayLoad: unknown }).dtmfPayLoad).to.equal('101');
  });

  it('relays SDP unchanged so audio flows browser to browser, both ways', async () => {
    const alice = await phone('201');
    const bob = await phone('202');
    const callId = await alice.call('202');
    const incoming = await bob.next('IncomingCall');
    expect(incoming.params.sipUri).to.equal('sip:201@ipo-dev.local');
    expect(incoming.params.FarEndDn).to.equal('Alice Carter');
    // the gateway relays the caller's offer byte for byte
    expect(incoming.params.sdp).to.equal(alice.pcs.get(callId)!.localDescription!.sdp);
    const bobCall = await bob.answer(incoming);
    const connected = await alice.next('CallConnected', callId);
    expect(connected.params.sdp).to.equal(bob.pcs.get(bobCall)!.localDescription!.sdp);

    const atBob = await audioFlows(bob.pcs.get(bobCall)!);
    const atAlice = await audioFlows(alice.pcs.get(callId)!);
    expect(atBob.level).to.be.greaterThan(0);
    expect(atAlice.level).to.be.greaterThan(0);

    alice.send('endCall', { callId });
    const [mine, theirs] = await Promise.all([
      alice.next('CallDisconnected', callId),
      bob.next('CallDisconnected', bobCall),
    ]);
    expect(mine.params.reasonString).to.equal('Call ended');
    expect(theirs.params.reasonString).to.equal('Far end disconnected');
  });

  it('blind transfer: the transferred party then talks to the target through the gateway bridge', async () => {
    const alice = await phone('201');
    const bob = await phone('202');
    const carol = await phone('203');
    const aliceCall = await alice.call('202');
    const bobCall = await bob.answer(await bob.next('IncomingCall'));
    await audioFlows(bob.pcs.get(bobCall)!);

    const bridgeOffer = bob.nextNew('MediaUpdateRequest', bobCall, 20_000);
    alice.send('transferCall', { target: '203', callId: aliceCall, type: 'unAttended' });
    expect((await alice.next('transferCallResponse', aliceCall)).params.responseCode).to.equal(
      '200',
    );
    await alice.next('CallTransferSuccessful', aliceCall);
    expect((await alice.next('CallDisconnected', aliceCall)).params.reasonString).to.equal(
      'Call transferred',
    );

    await bob.acceptMediaUpdate(await bridgeOffer);
    const toCarol = await carol.next('IncomingCall', undefined, 20_000);
    expect(toCarol.params.FarEndDn).to.equal('Bob Dalton');
    const carolCall = await carol.answer(toCarol);
    const farEnd = await bob.next('FarEndChanged', bobCall);
    expect(farEnd.params.FarEndDn).to.equal('Carol Evans');

    // real audio, relayed by the gateway's media bridge, in both directions
    await audioFlows(carol.pcs.get(carolCall)!, 50, 20_000);
    await audioFlows(bob.pcs.get(bobCall)!, 50, 20_000);
  });

  it('attended transfer: the two remaining parties talk through the gateway bridge', async () => {
    const alice = await phone('201');
    const bob = await phone('202');
    const carol = await phone('203');
    const toBob = await alice.call('202');
    const bobCall = await bob.answer(await bob.next('IncomingCall'));
    alice.send('holdCall', { callId: toBob });
    await alice.next('CallHeld', toBob);
    const toCarol = await alice.call('203');
    const carolCall = await carol.answer(await carol.next('IncomingCall'));
    await audioFlows(carol.pcs.get(carolCall)!);

    const bobOffer = bob.nextNew('MediaUpdateRequest', bobCall, 20_000);
    const carolOffer = carol.nextNew('MediaUpdateRequest', carolCall, 20_000);
    alice.send('transferCall', { target: toCarol, callId: toBob, type: 'attended' });
    await alice.next('CallTransferSuccessful', toBob);
    const ended = await Promise.all([
      alice.next('CallDisconnected', toBob),
      alice.next('CallDisconnected', toCarol),
    ]);
    expect(ended.map((f) => f.params.reasonString)).to.deep.equal([
      'Call transferred',
      'Call transferred',
    ]);
    expect((await bob.next('FarEndChanged', bobCall)).params.FarEndDn).to.equal('Carol Evans');
    expect((await carol.next('FarEndChanged', carolCall)).params.FarEndDn).to.equal('Bob Dalton');

    await Promise.all([
      bob.acceptMediaUpdate(await bobOffer),
      carol.acceptMediaUpdate(await carolOffer),
    ]);
    await audioFlows(carol.pcs.get(carolCall)!, 50, 20_000);
    await audioFlows(bob.pcs.get(bobCall)!, 50, 20_000);
  });
});
