/** The pure diff behind the ipo-* call events. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeEvents, diffSession, type DiffView } from '../../src/controllers/session-diff.js';
import { IpoError } from '../../src/core/errors.js';
import { EMPTY_FAR_END, buildCall, type CallFacts } from '../../src/core/snapshot.js';

const BOB = { ...EMPTY_FAR_END, number: '202', name: 'Bob Dalton' };
const CAROL = { ...EMPTY_FAR_END, number: '203', name: 'Carol Evans' };

function call(facts: Partial<CallFacts> = {}) {
  return buildCall(
    {
      id: 'c1',
      state: 'connected',
      direction: 'outgoing',
      farEnd: BOB,
      video: false,
      muted: false,
      pending: null,
      startedAt: 0,
      connectedAt: 0,
      quality: null,
      ...facts,
    },
    false,
  );
}

function view(p: Partial<DiffView> = {}): DiffView {
  return {
    registration: { state: 'logged-in', reason: '' },
    user: '201',
    calls: [],
    lastEnded: null,
    error: null,
    ...p,
  };
}

describe('diffSession', () => {
  it('nothing before the first snapshot, nothing for the same one', () => {
    const v = view();
    assert.deepEqual(diffSession(undefined, v), []);
    assert.deepEqual(diffSession(v, v), []);
  });

  it('a login: one registration change with the user', () => {
    const changes = diffSession(
      view({ registration: { state: 'logging-in', reason: '' } }),
      view(),
    );
    assert.deepEqual(changes, [
      {
        type: 'registration',
        state: 'logged-in',
        previous: 'logging-in',
        reason: '',
        user: '201',
        kept: 0,
      },
    ]);
    const [e] = changeEvents(changes);
    assert.equal(e!.type, 'ipo-registration-change');
    assert.equal(e!.bubbles && e!.composed, true);
  });

  it('back from reconnecting with calls up: says how many were kept', () => {
    const c = call();
    const changes = diffSession(
      view({ registration: { state: 'reconnecting', reason: '' }, calls: [c] }),
      view({ calls: [c] }),
    );
    assert.equal(changes[0]!.type === 'registration' && changes[0]!.kept, 1);
  });

  it('a new incoming call: a state change (previous null), then incoming; events in that order', () => {
    const c = call({ state: 'incoming', direction: 'incoming', connectedAt: null });
    const changes = diffSession(view(), view({ calls: [c] }));
    assert.deepEqual(
      changes.map((x) => x.type),
      ['call', 'incoming'],
    );
    assert.deepEqual(
      changeEvents(changes).map((e) => e.type),
      ['ipo-call-state-change', 'ipo-incoming-call'],
    );
    assert.equal(changes[0]!.type === 'call' && changes[0]!.previous, null);
  });

  it('mute, a far-end change on a live call (transfer), and quality warnings are changes, not events', () => {
    const a = call();
    const b = call({
      muted: true,
      farEnd: CAROL,
      quality: { level: 'fair', warnings: ['high-jitter'] },
    });
    const changes = diffSession(view({ calls: [a] }), view({ calls: [b] }));
    assert.deepEqual(
      changes.map((x) => x.type),
      ['quality', 'muted', 'far-end'],
    );
    const far = changes.find((x) => x.type === 'far-end');
    assert.equal(far?.type === 'far-end' && far.previous.name, 'Bob Dalton');
    assert.deepEqual(changeEvents(changes), []);
  });

  it('a new name alone on a live call is not a transfer (the DTMF read-back names the digits)', () => {
    const a = call();
    const b = call({ farEnd: { ...BOB, name: '42#' } });
    assert.deepEqual(diffSession(view({ calls: [a] }), view({ calls: [b] })), []);
  });

  it('a far-end update while ringing is not a transfer', () => {
    const a = call({ state: 'ringing', connectedAt: null });
    const b = call({ state: 'ringing', connectedAt: null, farEnd: CAROL });
    assert.deepEqual(diffSession(view({ calls: [a] }), view({ calls: [b] })), []);
  });

  it('an ended call: its lastEnded when the session has it, else a stand-in with the time given', () => {
    const c = call();
    const ended = {
      id: 'c1',
      direction: 'outgoing' as const,
      farEnd: BOB,
      reason: 'Busy',
      endedAt: 5,
    };
    const withReason = diffSession(view({ calls: [c] }), view({ lastEnded: ended }));
    assert.deepEqual(withReason, [{ type: 'ended', call: ended, last: c }]);
    const without = diffSession(view({ calls: [c] }), view(), 42);
    assert.deepEqual(without[0], {
      type: 'ended',
      call: { id: 'c1', direction: 'outgoing', farEnd: BOB, reason: '', endedAt: 42 },
      last: c,
    });
    assert.deepEqual(
      changeEvents(without).map((e) => e.type),
      ['ipo-call-ended'],
    );
  });

  it('a new error is a change (once)', () => {
    const error = new IpoError('busy', '202 is busy.');
    const a = view();
    const b = view({ error });
    assert.deepEqual(diffSession(a, b), [{ type: 'error', error }]);
    assert.deepEqual(diffSession(b, view({ error })), []);
  });
});
