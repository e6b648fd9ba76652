import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { IpoError } from '../../src/core/errors.js';
import { flush } from './fake-awl.js';
import { connectedCall, incomingCall, loggedIn, rejection, setup, type Rig } from './support.js';

function assertCode(error: unknown, code: string): IpoError {
  assert.ok(error instanceof IpoError, `expected IpoError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

describe('IpoSession.call', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await loggedIn();
  });

  it('resolves with the call id once ringing; the call is outgoing, active and timed', async () => {
    const { session, fake, clock } = rig;
    const pending = session.call('202');
    assert.equal(session.snapshot.calls[0]?.state, 'dialing', 'shown as dialling at once');
    const id = await pending;
    const call = session.snapshot.call;
    assert.equal(call?.id, id);
    assert.equal(call?.state, 'ringing');
    assert.equal(call?.direction, 'outgoing');
    assert.equal(call?.farEnd.number, '202');
    assert.equal(call?.startedAt, clock.now());
    assert.equal(call?.connectedAt, null);
    assert.equal(call?.canHangup, true);
    assert.equal(call?.canHold, false);
    assert.deepEqual(fake.requests.at(-1), { method: 'makeCall', args: ['202', 'audio'] });
  });

  it('marks connectedAt and stores the streams when the far end answers', async () => {
    const id = await rig.session.call('202');
    await rig.clock.advance(3_000);
    rig.fake.remoteAnswer(id);
    await flush();
    const { call, streams } = rig.session.snapshot;
    assert.equal(call?.state, 'connected');
    assert.equal(call?.connectedAt, call!.startedAt + 3_000);
    const fakeCall = [...rig.fake.calls.values()][0]!;
    assert.equal(streams[id]?.local, fakeCall.local);
    assert.equal(streams[id]?.remote, fakeCall.remote);
    assert.equal(streams[id]?.video, false);
  });

  it('drops spaces and parentheses people type', async () => {
    await rig.session.call(' +44 (20) 7946-0000 ');
    assert.deepEqual(rig.fake.requests.at(-1)?.args, ['+44207946-0000', 'audio']);
  });

  it('validates before touching the engine', async () => {
    for (const bad of ['', '   ', '12<3', 'a'.repeat(65), 42 as unknown as string]) {
      assertCode(await rejection(rig.session.call(bad)), 'invalid-argument');
    }
    assertCode(await rejection(rig.session.call('202', { video: true })), 'invalid-argument');
    assert.equal(rig.fake.requests.length, 0);
  });

  it('refuses when not logged in', async () => {
    const other = setup();
    assertCode(await rejection(other.session.call('202')), 'not-logged-in');
    assert.equal(other.fake.requests.length, 0);
  });

  it('refuses a fourth call with too-many-calls without asking the engine', async () => {
    for (const n of ['202', '203', '204']) await rig.session.call(n);
    const before = rig.fake.requests.length;
    assertCode(await rejection(rig.session.call('205')), 'too-many-calls');
    assert.equal(rig.fake.requests.length, before);
    assert.equal(rig.session.snapshot.canCall, false);
  });

  it('maps the engine\'s own call limit (FAILED + "Max call limit reached") to too-many-calls', async () => {
    const limited = await loggedIn({ fake: { maxCalls: 1 } });
    await limited.session.call('202');
    const error = assertCode(await rejection(limited.session.call('203')), 'too-many-calls');
    assert.equal(error.reason, 'Max call limit reached');
    assert.equal(limited.session.snapshot.calls.length, 1);
  });

  it('rejects with busy when the far end is busy, and remembers why the call ended', async () => {
    rig.fake.busyNumbers.add('209');
    const error = assertCode(await rejection(rig.session.call('209')), 'busy');
    assert.equal(error.message, '209 is busy.');
    assert.equal(rig.session.snapshot.calls.length, 0);
    assert.equal(rig.session.snapshot.lastEnded?.reason, 'User Busy');
    assert.equal(rig.session.snapshot.error, error);
  });

  it('rejects with call-failed and the gateway reason for other failures', async () => {
    rig.fake.autoRing = false;
    const pending = rejection(rig.session.call('299'));
    await flush();
    rig.fake.remoteHangup([...rig.fake.calls.keys()][0]!, 'Number unobtainable');
    const error = assertCode(await pending, 'call-failed');
    assert.equal(error.message, 'The call to 299 failed (Number unobtainable).');
  });

  it('rejects with media-failed when the microphone cannot be opened', async () => {
    rig.fake.micDenied = true;
    const error = assertCode(await rejection(rig.session.call('202')), 'media-failed');
    assert.equal(error.reason, 'Could not get access to audio device');
    assert.equal(rig.session.snapshot.calls.length, 0);
  });

  it('rejects with invalid-state when the engine refuses to place calls (reconnecting)', async () => {
    rig.fake.refuseCalls = true;
    assertCode(await rejection(rig.session.call('202')), 'invalid-state');
    assert.equal(rig.session.snapshot.calls.length, 0);
  });

  it('times out, cancelling the call, when the gateway never reports progress', async () => {
    rig.fake.autoRing = false;
    const pending = rejection(rig.session.call('202'));
    await rig.clock.advance(60_000);
    assertCode(await pending, 'timeout');
    assert.ok(rig.fake.methods().includes('cancelCall'));
    assert.equal(rig.session.snapshot.calls.length, 0);
    assert.equal(rig.clock.pending, 0);
  });

  it('rejects with cancelled (not an error) when the user hangs up while dialling', async () => {
    rig.fake.autoRing = false;
    const pending = rejection(rig.session.call('202'));
    await flush();
    await rig.session.hangup(rig.session.snapshot.calls[0]!.id);
    assertCode(await pending, 'cancelled');
    assert.equal(rig.session.snapshot.error, null);
    assert.equal(rig.fake.requests.at(-1)?.method, 'cancelCall');
  });

  it('places video calls when video is enabled', async () => {
    const video = await loggedIn({ session: { video: true } });
    const id = await video.session.call('202', { video: true });
    assert.deepEqual(video.fake.requests.at(-1)?.args, ['202', 'video']);
    video.fake.remoteAnswer(id);
    await flush();
    assert.equal(video.session.snapshot.call?.video, true);
    assert.equal(video.session.snapshot.streams[id]?.video, true);
  });
});

describe('IpoSession incoming calls', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await loggedIn();
  });

  it('shows the far end (number, name, subject, URI) and what can be done', async () => {
    const id = await incomingCall(rig, { number: '301', farEndDn: 'Reception[Parcel delivery]' });
    const call = rig.session.snapshot.call;
    assert.equal(call?.id, id);
    assert.equal(call?.direction, 'incoming');
    assert.equal(call?.state, 'incoming');
    assert.deepEqual(call?.farEnd, {
      number: '301',
      name: 'Reception',
      subject: 'Parcel delivery',
      sipUri: 'sip:301@ipo.example',
    });
    assert.deepEqual(
      [
        call?.canAnswer,
        call?.canReject,
        call?.canHangup,
        call?.canHold,
        call?.canMute,
        call?.canTransfer,
      ],
      [true, true, true, false, false, false],
    );
  });

  it('answer resolves when connected', async () => {
    const id = await incomingCall(rig);
    await rig.session.answer(id);
    assert.equal(rig.session.snapshot.call?.state, 'connected');
    assert.equal(rig.session.snapshot.call?.pending, null);
    assert.deepEqual(rig.fake.requests.at(-1), { method: 'answerCall', args: [id] });
  });

  it('answer is a no-op on an auto-answered (connected) call and refuses unknown ids', async () => {
    const id = await incomingCall(rig, { number: '301', autoAnswer: true });
    assert.equal(rig.session.snapshot.call?.state, 'connected');
    rig.events.length = 0;
    await rig.session.answer(id);
    assert.equal(rig.events.length, 0);
    assertCode(await rejection(rig.session.answer('nope')), 'no-such-call');
    assertCode(await rejection(rig.session.answer('')), 'invalid-argument');
    assert.ok(!rig.fake.methods().includes('answerCall'));
  });

  it('answer times out when the gateway never connects', async () => {
    const id = await incomingCall(rig);
    rig.fake.silent.add('answerCall');
    const pending = rejection(rig.session.answer(id));
    await flush();
    assert.equal(rig.session.snapshot.call?.pending, 'answer');
    assert.equal(rig.session.snapshot.call?.canAnswer, false, 'no double answer while pending');
    await rig.clock.advance(30_000);
    assertCode(await pending, 'timeout');
    assert.equal(rig.session.snapshot.call?.pending, null);
  });

  it('answer fails with call-ended when the caller hangs up first', async () => {
    const id = await incomingCall(rig);
    rig.fake.silent.add('answerCall');
    const pending = rejection(rig.session.answer(id));
    await flush();
    rig.fake.remoteHangup(id, 'Caller hung up');
    const error = assertCode(await pending, 'call-ended');
    assert.equal(error.reason, 'Caller hung up');
  });

  it('answer fails with media-failed when the microphone cannot be opened', async () => {
    const id = await incomingCall(rig);
    rig.fake.micDenied = true;
    const error = assertCode(await rejection(rig.session.answer(id)), 'media-failed');
    assert.equal(error.reason, 'Could not get access to audio device');
  });

  it('reject ends the call with "Call Rejected"', async () => {
    const id = await incomingCall(rig);
    await rig.session.reject(id);
    assert.equal(rig.session.snapshot.calls.length, 0);
    assert.equal(rig.session.snapshot.lastEnded?.reason, 'Call Rejected');
    assert.equal(rig.session.snapshot.lastEnded?.direction, 'incoming');
  });

  it('an incoming offer the engine refused is shown as the last outcome, never as a call', async () => {
    rig.fake.refuseIncoming('gw-bad@ipo', 'Incoming call refused: displayName too long');
    await flush();
    const s = rig.session.snapshot;
    assert.equal(s.calls.length, 0);
    assert.equal(s.lastEnded?.id, 'gw-bad@ipo');
    assert.equal(s.lastEnded?.direction, 'incoming');
    assert.equal(s.lastEnded?.farEnd.number, '');
    assert.equal(s.lastEnded?.reason, 'Incoming call refused: displayName too long');
  });

  it('reject refuses a connected call', async () => {
    const id = await connectedCall(rig);
    assertCode(await rejection(rig.session.reject(id)), 'invalid-state');
  });

  it('a second incoming call does not steal the active call', async () => {
    const first = await connectedCall(rig);
    await incomingCall(rig, { number: '302' });
    assert.equal(rig.session.snapshot.activeCallId, first);
    assert.equal(rig.session.snapshot.calls.length, 2);
  });
});

describe('IpoSession call control', () => {
  let rig: Rig;
  let id: string;
  beforeEach(async () => {
    rig = await loggedIn();
    id = await connectedCall(rig);
    rig.events.length = 0;
    rig.fake.requests.length = 0;
  });

  it('hold resolves on HELD; resume resolves on CONNECTED', async () => {
    await rig.session.hold(id);
    let call = rig.session.snapshot.call;
    assert.deepEqual(
      [call?.state, call?.held, call?.canResume, call?.canHold],
      ['held', true, true, false],
    );
    await rig.session.resume(id);
    call = rig.session.snapshot.call;
    assert.deepEqual(
      [call?.state, call?.held, call?.canResume, call?.canHold],
      ['connected', false, false, true],
    );
    assert.deepEqual(rig.fake.methods(), ['doHold', 'doUnHold']);
  });

  it('hold on a held call and resume on a connected call are silent no-ops', async () => {
    await rig.session.resume(id);
    await rig.session.hold(id);
    rig.events.length = 0;
    await rig.session.hold(id);
    assert.equal(rig.events.length, 0);
    assert.deepEqual(rig.fake.methods(), ['doHold']);
  });

  it('hold shows pending, shares one request between repeated clicks, and times out', async () => {
    rig.fake.silent.add('doHold');
    const first = rig.session.hold(id);
    const second = rig.session.hold(id);
    assert.equal(first, second, 'the same in-flight promise');
    await flush();
    assert.equal(rig.session.snapshot.call?.pending, 'hold');
    assert.equal(rig.session.snapshot.call?.canHold, false);
    assert.equal(rig.session.snapshot.call?.canHangup, true, 'a stuck hold can still be hung up');
    const failed = rejection(first);
    await rig.clock.advance(10_000);
    const error = assertCode(await failed, 'timeout');
    assert.equal(error.callId, id);
    assert.equal(rig.session.snapshot.call?.pending, null);
    assert.deepEqual(rig.fake.methods(), ['doHold']);
  });

  it('hold refuses a call that is still ringing', async () => {
    const ringing = await rig.session.call('203');
    const error = assertCode(await rejection(rig.session.hold(ringing)), 'invalid-state');
    assert.equal(error.message, 'Cannot hold a call that is ringing.');
  });

  it('an engine that throws gives call-failed with the cause, and clears pending', async () => {
    rig.fake.throwing.add('doHold');
    const error = assertCode(await rejection(rig.session.hold(id)), 'call-failed');
    assert.match(String((error.cause as Error).message), /exploded/);
    assert.equal(rig.session.snapshot.call?.pending, null);
  });

  it('hangup of a connected call drops it and resolves when the gateway ends it', async () => {
    await rig.session.hangup(id);
    assert.deepEqual(rig.fake.methods(), ['dropCall']);
    assert.equal(rig.session.snapshot.calls.length, 0);
    assert.equal(rig.session.snapshot.call, null);
    assert.equal(rig.session.snapshot.lastEnded?.reason, 'Normal call clearing');
    assertCode(await rejection(rig.session.hold(id)), 'no-such-call');
  });

  it('hangup of a ringing call cancels it; of an incoming call rejects it', async () => {
    const ringing = await rig.session.call('203');
    await rig.session.hangup(ringing);
    const incoming = await incomingCall(rig);
    await rig.session.hangup(incoming);
    assert.deepEqual(rig.fake.methods(), ['makeCall', 'cancelCall', 'rejectCall']);
  });

  it('hangup times out when the gateway never ends the call', async () => {
    rig.fake.silent.add('dropCall');
    const pending = rejection(rig.session.hangup(id));
    await rig.clock.advance(10_000);
    assertCode(await pending, 'timeout');
    assert.equal(rig.session.snapshot.calls.length, 1);
  });

  it('mute and unmute are local and idempotent', async () => {
    await rig.session.mute(id);
    assert.deepEqual(
      [rig.session.snapshot.call?.muted, rig.session.snapshot.call?.canUnmute],
      [true, true],
    );
    const count = rig.events.length;
    await rig.session.mute(id);
    assert.equal(rig.events.length, count, 'no change for a no-op');
    await rig.session.unmute(id);
    assert.equal(rig.session.snapshot.call?.muted, false);
    assert.deepEqual(rig.fake.methods(), ['doMute', 'doUnMute']);
  });

  it('mute fails with media-failed when the engine says no', async () => {
    rig.fake.mediaFails = true;
    assertCode(await rejection(rig.session.mute(id)), 'media-failed');
    assert.equal(rig.session.snapshot.call?.muted, false);
  });

  it('sendDigits sends one digit at a time, spaced, and normalises case', async () => {
    const sent: Array<[string, number]> = [];
    const original = rig.fake.sendDTMF.bind(rig.fake);
    rig.fake.sendDTMF = (callId, digit) => {
      sent.push([digit, rig.clock.now()]);
      original(callId, digit);
    };
    const start = rig.clock.now();
    const pending = rig.session.sendDigits(id, '1 2a#');
    await rig.clock.advance(600 * 3);
    await pending;
    assert.deepEqual(sent, [
      ['1', start],
      ['2', start + 600],
      ['A', start + 1200],
      ['#', start + 1800],
    ]);
  });

  it('sendDigits refuses anything outside 0-9*#A-D before touching the engine', async () => {
    for (const bad of ['', '12E', '1,2', '+', 'x']) {
      assertCode(await rejection(rig.session.sendDigits(id, bad)), 'invalid-argument');
    }
    assert.deepEqual(rig.fake.methods(), []);
  });

  it('sendDigits stops with call-ended when the call ends mid-sequence', async () => {
    const pending = rejection(rig.session.sendDigits(id, '123'));
    await flush();
    rig.fake.remoteHangup(id);
    await flush();
    assertCode(await pending, 'call-ended');
    assert.deepEqual(rig.fake.methods(), ['sendDTMF']);
    assert.equal(rig.clock.pending, 0);
  });

  it('sendDigits refuses a held call', async () => {
    await rig.session.hold(id);
    assertCode(await rejection(rig.session.sendDigits(id, '1')), 'invalid-state');
  });

  it('a far-end update changes the far end but not the state', async () => {
    rig.fake.farEndChanged(id, 'Alice Smith[Sales]', 'sip:250@ipo.example');
    await flush();
    const call = rig.session.snapshot.call;
    assert.equal(call?.state, 'connected');
    assert.deepEqual(call?.farEnd, {
      number: '250',
      name: 'Alice Smith',
      subject: 'Sales',
      sipUri: 'sip:250@ipo.example',
    });
  });

  it('the far end putting us on hold shows as held', async () => {
    rig.fake.remoteHold(id);
    await flush();
    assert.equal(rig.session.snapshot.call?.state, 'held');
  });
});

describe('IpoSession transfer', () => {
  let rig: Rig;
  let id: string;
  beforeEach(async () => {
    rig = await loggedIn();
    id = await connectedCall(rig);
    rig.fake.requests.length = 0;
  });

  it('blind: resolves on transfer success; the call then ends "Call transferred"', async () => {
    await rig.session.transfer(id, '203');
    assert.deepEqual(rig.fake.requests, [
      { method: 'transferCall', args: ['203', id, 'unAttended'] },
    ]);
    await flush();
    assert.equal(rig.session.snapshot.calls.length, 0);
    assert.equal(rig.session.snapshot.lastEnded?.reason, 'Call transferred');
  });

  it('blind: rejects with transfer-failed and keeps the call connected', async () => {
    rig.fake.failingTransfers.add('299');
    assertCode(await rejection(rig.session.transfer(id, '299')), 'transfer-failed');
    assert.equal(rig.session.snapshot.call?.state, 'connected');
    assert.equal(rig.session.snapshot.call?.pending, null);
  });

  it('attended: passes the consultation call id and both calls end', async () => {
    await rig.session.hold(id);
    const consult = await connectedCall(rig, '203');
    await rig.session.transfer(id, consult, { attended: true });
    assert.deepEqual(rig.fake.requests.at(-1), {
      method: 'transferCall',
      args: [consult, id, 'attended'],
    });
    await flush();
    assert.equal(rig.session.snapshot.calls.length, 0);
  });

  it('validates the target first', async () => {
    assertCode(await rejection(rig.session.transfer(id, '')), 'invalid-argument');
    assertCode(
      await rejection(rig.session.transfer(id, 'nope', { attended: true })),
      'no-such-call',
    );
    assertCode(
      await rejection(rig.session.transfer(id, id, { attended: true })),
      'invalid-argument',
    );
    assert.deepEqual(rig.fake.requests, []);
  });

  it('times out when the gateway never answers', async () => {
    rig.fake.silent.add('transferCall');
    const pending = rejection(rig.session.transfer(id, '203'));
    await rig.clock.advance(30_000);
    assertCode(await pending, 'timeout');
  });
});

describe('IpoSession video', () => {
  it('addVideo/removeVideo flip video on a connected call', async () => {
    const rig = await loggedIn({ session: { video: true } });
    const id = await connectedCall(rig);
    assert.equal(rig.session.snapshot.call?.canAddVideo, true);
    await rig.session.addVideo(id);
    assert.deepEqual(
      [rig.session.snapshot.call?.video, rig.session.snapshot.call?.canRemoveVideo],
      [true, true],
    );
    await rig.session.removeVideo(id);
    assert.equal(rig.session.snapshot.call?.video, false);
    assert.deepEqual(rig.fake.methods().slice(-2), ['addVideo', 'removeVideo']);
  });

  it('addVideo refuses when video is off, and reports media-failed when the engine fails', async () => {
    const off = await loggedIn();
    const id = await connectedCall(off);
    assertCode(await rejection(off.session.addVideo(id)), 'invalid-state');
    assert.ok(!off.fake.methods().includes('addVideo'));
    const on = await loggedIn({ session: { video: true } });
    const id2 = await connectedCall(on);
    on.fake.mediaFails = true;
    assertCode(await rejection(on.session.addVideo(id2)), 'media-failed');
    assert.equal(on.session.snapshot.call?.video, false);
  });
});

describe('IpoSession streams', () => {
  it('keeps video streams when an audio-streams callback follows, silently', async () => {
    const rig = await loggedIn({ session: { video: true } });
    const id = await rig.session.call('202', { video: true });
    rig.fake.remoteAnswer(id);
    await flush();
    const streams = rig.session.snapshot.streams[id];
    assert.equal(streams?.video, true);
    rig.events.length = 0;
    rig.fake.streams(id, false);
    rig.fake.streams(id, true); // same streams again
    await flush();
    assert.equal(rig.session.snapshot.streams[id], streams);
    assert.equal(rig.events.length, 0);
  });

  it("drops a call's streams when it ends", async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    assert.ok(rig.session.snapshot.streams[id]);
    await rig.session.hangup(id);
    assert.deepEqual(Object.keys(rig.session.snapshot.streams), []);
  });
});

describe('IpoSession active call', () => {
  it('follows the connected call, falls back when it ends, and can be chosen', async () => {
    const rig = await loggedIn();
    const a = await connectedCall(rig, '202');
    await rig.session.hold(a);
    const b = await connectedCall(rig, '203');
    assert.equal(rig.session.snapshot.activeCallId, b, 'the newly connected call');
    rig.session.setActiveCall(a);
    assert.equal(rig.session.snapshot.call?.id, a);
    rig.session.setActiveCall(b);
    await rig.session.hangup(b);
    assert.equal(rig.session.snapshot.activeCallId, a, 'falls back to the held call');
    assert.throws(
      () => rig.session.setActiveCall('nope'),
      (e: unknown) => e instanceof IpoError && e.code === 'no-such-call',
    );
  });

  it('getStats passes through to the engine without touching the snapshot', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    rig.events.length = 0;
    assert.deepEqual(await rig.session.getStats(id), [{ callId: id, nowRTT: 12 }]);
    assert.equal(rig.events.length, 0);
  });
});
