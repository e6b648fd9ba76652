/**
 * Agent service (serviceType "agent", users 205/206): an incoming call is answered for early
 * media at once (the caller sees PROGRESSING and already hears the agent), the agent's call stays
 * INCOMING until answerCall or a CTI "talk" from the contact-centre stand-in (POST /admin/cti).
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  cleanup,
  ctiEvent,
  expectAudioFlowing,
  gatewayInfo,
  pageErrors,
  peerConnections,
  resourceMark,
  type CallObj,
} from './support.js';

/** The caller's peer connection during early media (no stream callback yet): the new one whose local description is the offer. */
function callerPcSince(mark: number): RTCPeerConnection {
  const pc = peerConnections
    .slice(mark)
    .map((r) => r.pc)
    .find((p) => p.signalingState !== 'closed' && p.localDescription?.type === 'offer');
  if (!pc) throw new Error("no new peer connection with a local offer (the caller's)");
  return pc;
}

/** Plays whatever a peer connection receives (Chromium decodes audio only while it is played). */
function playReceived(pc: RTCPeerConnection): void {
  const audio = document.createElement('audio');
  audio.dataset.testOwned = 'early';
  audio.srcObject = new MediaStream(
    pc
      .getReceivers()
      .map((r) => r.track)
      .filter((t) => t.kind === 'audio'),
  );
  document.body.append(audio);
  void audio.play().catch(() => undefined);
}

describe('AWL SDK: agent service', function () {
  this.timeout(90_000);
  const errorsAtStart = pageErrors.length;
  afterEach(async () => {
    await cleanup();
    document.querySelectorAll('audio[data-test-owned="early"]').forEach((el) => el.remove());
  });

  it('an agent gets early media at once: caller PROGRESSING and hearing the agent, agent still INCOMING; answerCall connects', async () => {
    const agent = await TestClient.loggedIn('205', { label: 'agent', serviceType: 'agent' });
    const caller = await TestClient.loggedIn('201', { label: 'caller' });
    const mark = resourceMark();
    const mc = caller.mark();
    const ma = agent.mark();
    const cId = caller.client.makeCall('205', 'audio')!.getCallId();
    const incoming = await agent.waitFor('incoming', undefined, { since: ma });
    const [aId, aObj] = incoming.args as [string, CallObj];
    expect(aObj.getFarEndNumber()).to.equal('201');

    await caller.waitState(cId, 'AWL_MSG_CALL_PROGRESSING', mc);
    const callerPc = callerPcSince(mark.pcs);
    playReceived(callerPc);
    await expectAudioFlowing(callerPc, 'agent → caller, early media');
    expect(aObj.getCallState(), 'agent call during early media').to.equal('AWL_MSG_CALL_INCOMING');
    expect(
      agent.all('state', (e) => e.args[0] === aId && e.args[2] === 'AWL_MSG_CALL_CONNECTED', ma),
    ).to.deep.equal([]);
    expect(
      caller.all('state', (e) => e.args[0] === cId && e.args[2] === 'AWL_MSG_CALL_CONNECTED', mc),
    ).to.deep.equal([]);

    agent.client.answerCall(aId);
    await agent.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma);
    await caller.waitState(cId, 'AWL_MSG_CALL_CONNECTED', mc);
    await expectAudioFlowing(await agent.pcFor(aId), 'caller → agent');
    await expectAudioFlowing(callerPc, 'agent → caller after answer');
    // the early-media answer was final: the same peer connection carries the call
    expect(
      peerConnections.slice(mark.pcs).filter((r) => r.pc.signalingState !== 'closed').length,
      'one connection per side',
    ).to.equal(2);
  });

  it('a CTI "talk" from the contact-centre application answers the agent\'s call', async () => {
    const info = await gatewayInfo();
    const agent = await TestClient.loggedIn('206', { label: 'agent', serviceType: 'agent' });
    const caller = await TestClient.loggedIn('202', { label: 'caller' });
    const mc = caller.mark();
    const ma = agent.mark();
    const cId = caller.client.makeCall('206', 'audio')!.getCallId();
    const aId = (await agent.waitFor('incoming', undefined, { since: ma })).args[0] as string;
    await caller.waitState(cId, 'AWL_MSG_CALL_PROGRESSING', mc);
    const res = await ctiEvent('206', 'talk');
    expect(res.status, `POST ${info.url}/admin/cti`).to.equal(200);
    await agent.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma);
    await caller.waitState(cId, 'AWL_MSG_CALL_CONNECTED', mc);
    await expectAudioFlowing(await agent.pcFor(aId), 'caller → agent after CTI talk');
  });

  it("a phone-profile user cannot log in to the agent service: AWL_MSG_LOGIN_FAILED with the gateway's reason", async () => {
    const info = await gatewayInfo();
    const c = await TestClient.create({ label: 'not-agent', serviceType: 'agent' });
    const m = c.mark();
    c.client.login('203', info.password, 'true');
    const ev = await c.waitFor('reg', undefined, { since: m });
    expect(ev.args[0].result).to.equal('AWL_MSG_LOGIN_FAILED');
    expect(ev.args[0].reason).to.equal('User 203 is not an agent');
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
