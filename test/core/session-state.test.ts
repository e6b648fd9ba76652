import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpoError } from '../../src/core/errors.js';
import { IpoSession, IpoSessionChangeEvent } from '../../src/core/ipo-session.js';
import type { SessionSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_DEVICES, FakeAwlClient, ManualClock, flush } from './fake-awl.js';
import { PASSWORD, connectedCall, incomingCall, loggedIn, rejection, setup } from './support.js';

/** Every object reachable from the snapshot is frozen. */
function assertDeepFrozen(value: unknown, path = 'snapshot'): void {
  if (typeof value !== 'object' || value === null || value instanceof IpoError) return;
  if (
    (value as { id?: unknown }).id !== undefined &&
    /^(local|remote)-/.test(String((value as { id: unknown }).id))
  )
    return; // streams
  assert.ok(Object.isFrozen(value), `${path} is frozen`);
  for (const [key, child] of Object.entries(value)) assertDeepFrozen(child, `${path}.${key}`);
}

describe('IpoSession snapshots', () => {
  it('start logged out, frozen all the way down', () => {
    const { session } = setup();
    const snap = session.snapshot;
    assert.equal(snap.registration.state, 'logged-out');
    assert.deepEqual(
      [snap.canLogin, snap.canLogout, snap.canCall, snap.registered],
      [true, false, false, false],
    );
    assertDeepFrozen(snap);
    assert.throws(() => {
      (snap as { user: string | null }).user = 'x';
    }, TypeError);
  });

  it('are frozen in every state and replaced (never mutated) on change', async () => {
    const rig = await loggedIn({ session: { video: true } });
    const before = rig.session.snapshot;
    const id = await connectedCall(rig);
    await rig.session.hold(id);
    await incomingCall(rig);
    await rig.session.refreshDevices();
    assertDeepFrozen(rig.session.snapshot);
    assert.notEqual(rig.session.snapshot, before);
    assert.equal(before.calls.length, 0, 'an old snapshot never changes');
    for (const event of rig.events) assertDeepFrozen(event.snapshot);
  });

  it('keep the identity of every part that did not change', async () => {
    const rig = await loggedIn();
    const a = await connectedCall(rig, '202');
    await rig.session.hold(a);
    const b = await connectedCall(rig, '203');
    const before = rig.session.snapshot;
    const callA = before.calls.find((c) => c.id === a);
    await rig.session.mute(b);
    const after = rig.session.snapshot;
    assert.notEqual(after, before);
    assert.notEqual(after.calls, before.calls);
    assert.equal(
      after.calls.find((c) => c.id === a),
      callA,
      'the other call keeps its identity',
    );
    assert.notEqual(after.call, before.call, 'the muted call is new');
    assert.equal(after.call?.farEnd, before.call?.farEnd, 'its unchanged far end is reused');
    for (const key of [
      'registration',
      'devices',
      'streams',
      'resiliency',
      'lastEnded',
      'error',
      'user',
    ] as const) {
      assert.equal(after[key], before[key], `${key} keeps its identity`);
    }
  });

  it('keep the far-end object when an update repeats the same far end', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    const farEnd = rig.session.snapshot.call?.farEnd;
    await rig.session.hold(id);
    assert.equal(rig.session.snapshot.call?.farEnd, farEnd);
  });

  it('`call` is the active call object from `calls`', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    assert.equal(
      rig.session.snapshot.call,
      rig.session.snapshot.calls.find((c) => c.id === id),
    );
  });
});

describe('IpoSession change events', () => {
  it('carry the new and previous snapshot', async () => {
    const { session, events } = setup();
    const first = session.snapshot;
    await session.login('201', PASSWORD);
    assert.ok(events[0] instanceof IpoSessionChangeEvent);
    assert.equal(events[0]?.type, 'change');
    assert.equal(events[0]?.previous, first);
    assert.equal(events.at(-1)?.snapshot, session.snapshot);
    for (let i = 1; i < events.length; i++)
      assert.equal(events[i]?.previous, events[i - 1]?.snapshot);
  });

  it('fire once per engine callback: a held call is one change, not one per field', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    rig.events.length = 0;
    await rig.session.hold(id);
    // pending set (1), then HELD with pending cleared in the same callback (2).
    assert.equal(rig.events.length, 2);
    assert.equal(rig.events[0]?.snapshot.call?.pending, 'hold');
    assert.deepEqual(
      [rig.events[1]?.snapshot.call?.state, rig.events[1]?.snapshot.call?.pending],
      ['held', null],
    );
  });

  it('fire once when the engine confirms synchronously, inside the API call', async () => {
    const rig = await loggedIn({ fake: { sync: true } });
    const id = await connectedCall(rig);
    rig.events.length = 0;
    await rig.session.hold(id);
    assert.equal(rig.events.length, 1);
    assert.equal(rig.events[0]?.snapshot.call?.state, 'held');
  });

  it('do not fire for no-ops', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    await rig.session.hold(id);
    await rig.session.mute(id);
    await rig.session.refreshDevices();
    await rig.session.selectDevices({ audioInput: 'mic-2' });
    rig.events.length = 0;
    await rig.session.hold(id);
    await rig.session.mute(id);
    await rig.session.refreshDevices();
    await rig.session.selectDevices({ audioInput: 'mic-2' });
    rig.session.clearError();
    rig.session.setActiveCall(id);
    rig.fake.farEndChanged(id, '', null); // repeats the far end it already has
    await flush();
    assert.equal(rig.events.length, 0);
  });

  it('fire for a validation failure (it sets snapshot.error) and clearError clears it', async () => {
    const rig = await loggedIn();
    const error = await rejection(rig.session.call(''));
    assert.equal(rig.events.length, 1);
    assert.equal(rig.session.snapshot.error, error);
    rig.session.clearError();
    assert.equal(rig.session.snapshot.error, null);
    assert.equal(rig.events.length, 2);
  });

  it('are never fired for statistics', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    rig.events.length = 0;
    for (let i = 0; i < 5; i++) await rig.session.getStats(id);
    assert.equal(rig.events.length, 0);
  });
});

describe('IpoSession devices', () => {
  it('lists devices by kind with labels', async () => {
    const { session } = setup();
    const devices = await session.refreshDevices();
    assert.equal(devices, session.snapshot.devices);
    assert.equal(devices.loaded, true);
    assert.deepEqual(
      devices.audioInput.map((d) => [d.id, d.label]),
      [
        ['mic-1', 'Built-in Microphone'],
        ['mic-2', 'USB Headset'],
      ],
    );
    assert.deepEqual(
      devices.videoInput.map((d) => d.id),
      ['cam-1'],
    );
    assert.deepEqual(
      devices.audioOutput.map((d) => d.kind),
      ['audiooutput'],
    );
  });

  it('refreshes on devicechange, keeping unchanged lists and staying silent when nothing changed', async () => {
    const source = new EventTarget();
    const rig = setup({ session: { mediaDevices: source as never } });
    await rig.session.refreshDevices();
    const first = rig.session.snapshot.devices;
    rig.events.length = 0;
    source.dispatchEvent(new Event('devicechange'));
    await flush();
    assert.equal(rig.events.length, 0);
    assert.equal(rig.session.snapshot.devices, first);
    rig.fake.devices = [...DEFAULT_DEVICES, ['audioinput', 'Conference Mic', 'mic-3']];
    source.dispatchEvent(new Event('devicechange'));
    await flush();
    const next = rig.session.snapshot.devices;
    assert.equal(rig.events.length, 1);
    assert.deepEqual(
      next.audioInput.map((d) => d.id),
      ['mic-1', 'mic-2', 'mic-3'],
    );
    assert.equal(next.videoInput, first.videoInput, 'unchanged kinds keep their identity');
    rig.session.dispose();
    rig.fake.devices = DEFAULT_DEVICES;
    source.dispatchEvent(new Event('devicechange'));
    await flush();
    assert.equal(
      rig.fake.methods().filter((m) => m === 'getDeviceList').length,
      3,
      'no refresh after dispose',
    );
  });

  it('selectDevices passes every id (keeping the others) and records the selection', async () => {
    const rig = await loggedIn();
    await rig.session.refreshDevices();
    await rig.session.selectDevices({ audioInput: 'mic-2' });
    await rig.session.selectDevices({ audioOutput: 'spk-1' });
    assert.deepEqual(rig.fake.deviceIds, {
      audioInputID: 'mic-2',
      videoInputID: '',
      audioOutputID: 'spk-1',
      defaultId: false,
    });
    assert.deepEqual(rig.session.snapshot.devices.selected, {
      audioInput: 'mic-2',
      videoInput: '',
      audioOutput: 'spk-1',
    });
    await rig.session.selectDevices({ audioInput: '', audioOutput: '' });
    assert.equal(rig.fake.deviceIds?.defaultId, true);
  });

  it('selectDevices refuses devices that are not connected, and switches during a call', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    await rig.session.refreshDevices();
    const error = await rejection(rig.session.selectDevices({ videoInput: 'cam-9' }));
    assert.ok(error instanceof IpoError && error.code === 'invalid-argument');
    assert.equal(error.message, 'That camera is not connected.');
    assert.equal(rig.fake.deviceIds, null);
    await rig.session.selectDevices({ audioInput: 'mic-2' });
    assert.equal(rig.session.snapshot.call?.id, id, 'the call is untouched');
  });

  it('times out when the device list never arrives', async () => {
    const rig = setup();
    rig.fake.silent.add('getDeviceList');
    const pending = rejection(rig.session.refreshDevices());
    await rig.clock.advance(10_000);
    const error = await pending;
    assert.ok(error instanceof IpoError && error.code === 'timeout');
  });
});

describe('IpoSession dispose', () => {
  it('logs out, rejects pending actions with disposed, leaves no timer, and goes quiet', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    rig.fake.silent.add('doHold');
    const hold = rejection(rig.session.hold(id));
    const digits = rejection(rig.session.sendDigits(id, '123'));
    await flush();
    assert.ok(rig.clock.pending > 0);
    rig.events.length = 0;
    rig.session.dispose();
    assert.equal(((await hold) as IpoError).code, 'disposed');
    assert.equal(((await digits) as IpoError).code, 'disposed');
    assert.equal(rig.clock.pending, 0);
    assert.ok(rig.fake.methods().includes('logOut'));
    assert.equal(rig.events.length, 1, 'one last change');
    assert.deepEqual(
      [rig.session.snapshot.registration.state, rig.session.snapshot.calls.length],
      ['logged-out', 0],
    );
    // The engine keeps talking; nobody listens any more.
    rig.fake.incoming({ number: '399' });
    rig.fake.registration('AWL_MSG_LOGIN_SUCCESS', 'SIP registration success');
    await flush();
    assert.equal(rig.events.length, 1);
    assert.equal(((await rejection(rig.session.call('202'))) as IpoError).code, 'disposed');
    rig.session.dispose(); // idempotent
  });

  it('does not log out an engine that never logged in, and stops a login in flight', async () => {
    const quiet = setup();
    await quiet.session.refreshDevices();
    quiet.session.dispose();
    assert.ok(!quiet.fake.methods().includes('logOut'));

    const rig = setup();
    rig.fake.silent.add('logIn');
    const login = rejection(rig.session.login('201', PASSWORD));
    await flush();
    rig.session.dispose();
    assert.equal(((await login) as IpoError).code, 'disposed');
    assert.ok(rig.fake.methods().includes('logOut'));
    assert.equal(rig.clock.pending, 0);
  });

  it('while the engine is still loading: the engine is never configured', async () => {
    let release: (client: FakeAwlClient) => void = () => undefined;
    const fake = new FakeAwlClient();
    const session = new IpoSession({
      gateway: 'gw.example.com',
      clientFactory: () => new Promise<FakeAwlClient>((resolve) => (release = resolve)),
      clock: new ManualClock(),
      mediaDevices: null,
    });
    const login = rejection(session.login('201', PASSWORD));
    await flush();
    session.dispose();
    release(fake);
    assert.equal(((await login) as IpoError).code, 'disposed');
    assert.equal(fake.requests.length, 0);
  });
});

describe('IpoSession with an engine that calls back synchronously', () => {
  it('runs the whole call flow', async () => {
    const rig = await loggedIn({ fake: { sync: true } });
    const seen: SessionSnapshot[] = [];
    rig.session.addEventListener('change', (e) => seen.push(e.snapshot));
    const out = await rig.session.call('202');
    assert.equal(rig.session.snapshot.call?.state, 'ringing');
    rig.fake.remoteAnswer(out);
    await rig.session.hold(out);
    await rig.session.resume(out);
    const inc = await incomingCall(rig);
    await rig.session.hold(out);
    await rig.session.answer(inc);
    await rig.session.transfer(inc, '205');
    await rig.session.hangup(out);
    assert.equal(rig.session.snapshot.calls.length, 0);
    assert.ok(seen.some((s) => s.call?.state === 'held'));
    const limited = await loggedIn({ fake: { sync: true, maxCalls: 1 } });
    await limited.session.call('202');
    const error = await rejection(limited.session.call('203'));
    assert.ok(error instanceof IpoError && error.code === 'too-many-calls');
    await rig.session.logout();
    assert.equal(rig.session.snapshot.registration.state, 'logged-out');
  });
});
