import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { ContextEvent } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sessionContext, type SessionHandle } from '../../src/context/session-context.js';
import {
  SessionStateController,
  type SessionHost,
} from '../../src/controllers/session-state-controller.js';
import { IpoSession } from '../../src/core/ipo-session.js';
import { FakeAwlClient, ManualClock, flush } from './fake-awl.js';
import { PASSWORD } from './support.js';

/** A ReactiveControllerHost without a DOM: counts update requests, runs lifecycle on demand. */
class FakeHost extends EventTarget implements ReactiveControllerHost {
  readonly controllers = new Set<ReactiveController>();
  updates = 0;
  session: SessionHandle | null = null;

  addController(controller: ReactiveController): void {
    this.controllers.add(controller);
  }
  removeController(controller: ReactiveController): void {
    this.controllers.delete(controller);
  }
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  connect(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
  disconnect(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
  /** One render cycle (what lit does after requestUpdate). */
  update(): void {
    for (const c of this.controllers) c.hostUpdate?.();
  }
  asHost(): SessionHost {
    return this as unknown as SessionHost;
  }
}

/** Plays `<ipo-session>`: answers context requests on the host and can re-provide. */
class FakeProvider {
  value: SessionHandle;
  readonly subscribers = new Set<(value: SessionHandle, unsubscribe: () => void) => void>();
  unsubscribed = 0;

  constructor(host: EventTarget, value: SessionHandle) {
    this.value = value;
    host.addEventListener('context-request', (event) => {
      const request = event as ContextEvent<typeof sessionContext>;
      if (request.context !== sessionContext) return;
      event.stopPropagation();
      const callback = request.callback;
      const unsubscribe = (): void => {
        this.unsubscribed++;
        this.subscribers.delete(callback);
      };
      if (request.subscribe) this.subscribers.add(callback);
      callback(this.value, unsubscribe);
    });
  }

  provide(value: SessionHandle): void {
    this.value = value;
    for (const callback of [...this.subscribers]) {
      callback(value, () => {
        this.unsubscribed++;
        this.subscribers.delete(callback);
      });
    }
  }
}

function newSession(): { session: IpoSession; fake: FakeAwlClient } {
  const fake = new FakeAwlClient({ users: { '201': PASSWORD } });
  const session = new IpoSession({
    gateway: 'gw.example.com',
    client: fake,
    clock: new ManualClock(),
    mediaDevices: null,
  });
  return { session, fake };
}

describe('SessionStateController', () => {
  let host: FakeHost;
  let a: ReturnType<typeof newSession>;
  let provider: FakeProvider;

  beforeEach(() => {
    host = new FakeHost();
    a = newSession();
    const handle: SessionHandle = a.session; // IpoSession satisfies SessionHandle (compile-time check)
    provider = new FakeProvider(host, handle);
  });

  it('takes the provided session on connect and selects its slice', () => {
    const controller = new SessionStateController(host.asHost(), (s) => s.registration.state);
    assert.equal(controller.value, undefined);
    host.connect();
    assert.equal(controller.session, a.session);
    assert.equal(controller.value, 'logged-out');
    assert.equal(provider.subscribers.size, 1, 'consumes with subscribe: true');
  });

  it('requests an update only when the selected slice changes (Object.is)', async () => {
    const controller = new SessionStateController(host.asHost(), (s) => s.registration);
    host.connect();
    await a.session.login('201', PASSWORD); // logging-in, logged-in
    assert.equal(controller.value?.state, 'logged-in');
    host.updates = 0;
    let changes = 0;
    a.session.addEventListener('change', () => changes++);
    const id = await a.session.call('202'); // calls change; registration does not
    a.fake.remoteAnswer(id);
    await flush();
    await a.session.hold(id);
    await a.session.mute(id);
    assert.ok(changes >= 4, `the session changed ${changes} times`);
    assert.equal(host.updates, 0, 'no re-render for changes outside the slice');
    a.fake.registration('AWL_MSG_RECONNECTING', 'Lost Connection to Server');
    await flush();
    assert.equal(host.updates, 1);
    assert.equal(controller.value?.state, 'reconnecting');
  });

  it('re-renders once per change of a derived slice, not per session change', async () => {
    const controller = new SessionStateController(host.asHost(), (s) => s.call?.state);
    host.connect();
    await a.session.login('201', PASSWORD);
    host.updates = 0;
    const id = await a.session.call('202'); // dialing → ringing
    a.fake.remoteAnswer(id);
    await flush(); // connected, then streams (same state)
    await a.session.mute(id); // same state
    assert.equal(controller.value, 'connected');
    assert.equal(host.updates, 3, 'dialing, ringing, connected');
  });

  it('moves to a newly provided session and stops listening to the old one', async () => {
    const controller = new SessionStateController(host.asHost(), (s) => s.registration.state);
    host.connect();
    const b = newSession();
    provider.provide(b.session);
    assert.equal(controller.session, b.session);
    assert.equal(provider.unsubscribed, 1, 'the old subscription was dropped');
    host.updates = 0;
    await a.session.login('201', PASSWORD);
    assert.equal(host.updates, 0, 'the old session is ignored');
    assert.equal(controller.value, 'logged-out');
    await b.session.login('201', PASSWORD);
    assert.equal(controller.value, 'logged-in');
    assert.equal(host.updates, 2);
  });

  it('prefers an explicit .session on the host over the context', async () => {
    const b = newSession();
    host.session = b.session;
    const controller = new SessionStateController(host.asHost(), (s) => s.registration.state);
    host.connect();
    assert.equal(controller.session, b.session);
    host.updates = 0;
    await a.session.login('201', PASSWORD);
    assert.equal(host.updates, 0, 'context session ignored while .session is set');
    await b.session.login('201', PASSWORD);
    assert.equal(host.updates, 2);
    // Clearing .session falls back to the context session on the next update cycle.
    host.session = null;
    host.update();
    assert.equal(controller.session, a.session);
    assert.equal(controller.value, 'logged-in');
  });

  it('cleans up on disconnect and re-binds on reconnect', async () => {
    const controller = new SessionStateController(host.asHost(), (s) => s.registration.state);
    host.connect();
    host.disconnect();
    assert.equal(provider.subscribers.size, 0, 'context subscription released');
    host.updates = 0;
    await a.session.login('201', PASSWORD);
    assert.equal(host.updates, 0, 'no listener left on the session');
    assert.equal(controller.value, 'logged-out', 'stale while detached');
    host.connect();
    assert.equal(controller.value, 'logged-in', 'catches up on reconnect');
  });
});
