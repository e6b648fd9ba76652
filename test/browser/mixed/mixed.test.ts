/**
 * Mixed-browser calls: one party in this browser, the other in the other browser (Firefox when
 * this runs in Chromium), both through the real dev gateway. Calls both ways, audio both ways,
 * DTMF, hold and unhold from either side (the answer the hold builds must fit the other
 * browser's offer: Firefox re-offers opus as 109 where Chromium said 111), video added and
 * removed (the called side's video flag follows), and a blind transfer of the Firefox party.
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  audioSender,
  cleanup,
  element,
  expectAudioFlowing,
  expectAudioStopped,
  expectVideoPlaying,
  pageErrors,
  pollUntil,
} from '../sdk/support.js';
import { HERE, Remote, THERE } from './remote.js';

/** Steps the remote party runs; `party.vars` keeps its client and call between them. */
const LOGIN = `
  party.vars.c = await party.TestClient.loggedIn(args.user, { label: args.label, enableVideo: true });
  party.vars.mark = party.vars.c.mark();
  return true;`;
const ANSWER = `
  const c = party.vars.c;
  const ev = await c.waitFor('incoming', undefined, { since: party.vars.mark, what: 'the incoming call' });
  const id = ev.args[0];
  party.vars.id = id;
  party.vars.obj = ev.args[1];
  const m = c.mark();
  c.client.answerCall(id);
  await c.waitState(id, 'AWL_MSG_CALL_CONNECTED', m);
  return id;`;
const FLOWING = `
  await party.expectAudioFlowing(() => party.vars.c.pcFor(party.vars.id), args.what, 20000);
  return true;`;
const STOPPED = `
  await party.expectAudioStopped(await party.vars.c.pcFor(party.vars.id), args.what);
  return true;`;
const STATE = `
  await party.vars.c.waitState(party.vars.id, args.state, args.since ?? 0, 20000);
  return true;`;
const DTMF = `
  const pc = await party.vars.c.pcFor(party.vars.id);
  const dtmf = party.audioSender(pc).dtmf;
  const tones = [];
  dtmf.addEventListener('tonechange', (e) => tones.push(e.tone));
  for (const d of args.digits) party.vars.c.client.sendDTMF(party.vars.id, d);
  await party.pollUntil(() => tones[tones.length - 1] === '' && dtmf.toneBuffer === '', 'tones', 10000, 50);
  return { tones, sdp: pc.localDescription.sdp.split('m=video')[0] };`;

async function party(user: string, label: string): Promise<Remote> {
  const r = await Remote.open();
  remotes.push(r);
  await r.run(LOGIN, { user, label });
  return r;
}

const remotes: Remote[] = [];

describe(`mixed-browser calls (${HERE} here, ${THERE} there)`, function () {
  this.timeout(180_000);
  const errorsAtStart = pageErrors.length;
  afterEach(async () => {
    await Promise.all(remotes.splice(0).map((r) => r.close()));
    await cleanup();
  });

  it(`${HERE} calls ${THERE}: ${THERE} answers; audio and DTMF both ways; hold and unhold from either side; hang-up`, async () => {
    const alice = await TestClient.loggedIn('201', { label: `alice (${HERE})` });
    const bob = await party('202', `bob (${THERE})`);
    const ma = alice.mark();
    const obj = alice.client.makeCall('202', 'audio')!;
    const aId = obj.getCallId();
    await bob.run(ANSWER);
    await alice.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma);
    const aPc = () => alice.pcFor(aId);
    await expectAudioFlowing(aPc, `${THERE} → ${HERE}`, 20_000);
    await bob.run(FLOWING, { what: `${HERE} → ${THERE}` });

    // DTMF: telephone-event/8000 on the gateway's payload type, tones played, from either side
    const tones: string[] = [];
    const dtmf = audioSender(await aPc()).dtmf!;
    dtmf.addEventListener('tonechange', (e) => tones.push((e as RTCDTMFToneChangeEvent).tone));
    for (const d of ['1', '#']) expect(alice.client.sendDTMF(aId, d)).to.equal(true);
    await pollUntil(() => tones.at(-1) === '' && dtmf.toneBuffer === '', 'tones here', 10_000, 50);
    expect(tones).to.deep.equal(['1', '#', '']);
    const there = await bob.run<{ tones: string[]; sdp: string }>(DTMF, { digits: ['5', '*'] });
    expect(there.tones, `tones in ${THERE}`).to.deep.equal(['5', '*', '']);
    expect(there.sdp).to.match(/a=rtpmap:101 telephone-event\/8000/);

    // hold from this side: the other browser answered our offer, so its hold answer is built
    // from our SDP and must fit its own new offer
    for (const [who, hold, unhold] of [
      [HERE, () => alice.client.doHold(aId), () => alice.client.doUnHold(aId)],
      [
        THERE,
        () => bob.run('party.vars.c.client.doHold(party.vars.id); return true;'),
        () => bob.run('party.vars.c.client.doUnHold(party.vars.id); return true;'),
      ],
    ] as const) {
      let m = alice.mark();
      await hold();
      await alice.waitState(aId, 'AWL_MSG_CALL_HELD', m, 20_000);
      await bob.run(STATE, { state: 'AWL_MSG_CALL_HELD' });
      await expectAudioStopped(await aPc(), `${HERE} while ${who} holds`);
      await bob.run(STOPPED, { what: `${THERE} while ${who} holds` });
      m = alice.mark();
      await unhold();
      await alice.waitState(aId, 'AWL_MSG_CALL_CONNECTED', m, 20_000);
      await expectAudioFlowing(aPc, `${THERE} → ${HERE} after ${who} unholds`, 20_000);
      await bob.run(FLOWING, { what: `${HERE} → ${THERE} after ${who} unholds` });
    }
    expect(alice.all('terminate'), 'the call survived').to.deep.equal([]);

    const m = alice.mark();
    alice.client.dropCall(aId);
    await alice.waitTerminate(aId, m);
    await bob.run(
      `await party.vars.c.waitTerminate(party.vars.id, 0, 20000); return party.vars.c.client.isLoggedIn();`,
    );
  });

  it(`${THERE} calls ${HERE} with video: video both ways; the caller removes it and the called side's video flag follows`, async () => {
    const alice = await TestClient.loggedIn('201', { label: `alice (${HERE})`, enableVideo: true });
    const local = element('video', 'mixed-local');
    const remote = element('video', 'mixed-remote');
    alice.client.setDomElements({ localVideo: local.id, remoteVideo: remote.id });
    const bob = await party('202', `bob (${THERE})`);
    const ma = alice.mark();
    await bob.run(`
      party.vars.obj = party.vars.c.client.makeCall('201', 'video');
      party.vars.id = party.vars.obj.getCallId();
      return true;`);
    const inc = await alice.waitFor('incoming', undefined, { since: ma, what: 'the video call' });
    const [aId, aObj] = inc.args as [string, { isVideoCall(): boolean }];
    expect(aObj.isVideoCall(), 'a video call').to.equal(true);
    alice.client.answerCall(aId);
    await alice.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma);
    await expectVideoPlaying(remote, `${HERE} sees ${THERE}`, 20_000);
    await bob.run(`
      const el = document.createElement('video');
      el.muted = true;
      el.srcObject = (await party.vars.c.streams(party.vars.id)).remote;
      document.body.append(el);
      await el.play().catch(() => {});
      await party.expectVideoPlaying(el, 'the far end sees us', 20000);
      return true;`);

    const mr = alice.mark();
    await bob.run(`return party.vars.c.client.removeVideo(party.vars.id);`);
    await pollUntil(() => aObj.isVideoCall() === false, `${HERE}: isVideoCall() false`, 15_000);
    expect(
      alice.all('state', (e) => e.args[0] === aId, mr).map((e) => e.args[2]),
      'the unchanged state, told again so the app reads isVideoCall() anew',
    ).to.deep.equal(['AWL_MSG_CALL_CONNECTED']);
    await expectAudioFlowing(() => alice.pcFor(aId), `${THERE} → ${HERE} after removeVideo`);
    expect(await bob.run('return party.vars.obj.isVideoCall();')).to.equal(false);
  });

  it(`blind transfer of the ${THERE} party: ${HERE} transfers it to a second ${HERE} party; they talk`, async () => {
    const alice = await TestClient.loggedIn('201', { label: `alice (${HERE})` });
    const carol = await TestClient.loggedIn('203', { label: `carol (${HERE})` });
    const bob = await party('202', `bob (${THERE})`);
    const ma = alice.mark();
    const aId = alice.client.makeCall('202', 'audio')!.getCallId();
    await bob.run(ANSWER);
    await alice.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma);
    await bob.run(FLOWING, { what: `${HERE} → ${THERE}` });

    const mc = carol.mark();
    alice.client.transferCall('203', aId, 'Unattended');
    const end = await alice.waitTerminate(aId, ma, 20_000);
    expect(end.args[1]).to.equal('Call transferred');
    const inc = await carol.waitFor('incoming', undefined, { since: mc, timeout: 20_000 });
    const cId = inc.args[0] as string;
    carol.client.answerCall(cId);
    await carol.waitState(cId, 'AWL_MSG_CALL_CONNECTED', mc, 20_000);
    // the gateway's bridge is a new far end for the Firefox party: new DTLS, new peer connection
    await expectAudioFlowing(() => carol.pcFor(cId), `${THERE} → carol`, 25_000);
    await bob.run(FLOWING, { what: `carol → ${THERE}` });
    expect(await bob.run('return party.vars.c.all("terminate").length;')).to.equal(0);
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
