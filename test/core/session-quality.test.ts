import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { CallQualityReading, IpoSessionQualityEvent } from '../../src/core/ipo-session.js';
import type { WarningCode } from '../../src/sdk/quality.js';
import { flush } from './fake-awl.js';
import { connectedCall, loggedIn, type Rig } from './support.js';

const reading = (mos: number, codes: WarningCode[] = []): CallQualityReading => ({
  rtt: 40,
  jitter: 3,
  loss: codes.includes('high-loss') ? 8 : 0,
  inKbps: 40,
  outKbps: 40,
  mos,
  warnings: codes.map((code) => ({ code, cause: `cause of ${code}` })),
});

describe('IpoSession call quality', () => {
  let rig: Rig;
  let script: Array<CallQualityReading | null>;
  const asked: string[] = [];
  beforeEach(async () => {
    rig = await loggedIn();
    script = [];
    asked.length = 0;
    Object.assign(rig.fake, {
      getCallQuality: async (id: string) => {
        asked.push(id);
        return script.shift() ?? null;
      },
    });
  });

  it('reads each talking call once a second; the snapshot changes only when level or warnings do', async () => {
    const { session, clock } = rig;
    const id = await connectedCall(rig);
    assert.equal(session.snapshot.call?.quality, null, 'unknown until the first reading');
    const events: IpoSessionQualityEvent[] = [];
    session.addEventListener('quality', (e) => events.push(e));
    let changes = 0;
    session.addEventListener('change', () => changes++);
    script.push(
      reading(4.4),
      reading(4.3),
      reading(3.2, ['high-loss']),
      reading(2.4, ['high-loss', 'low-mos']),
    );
    await clock.advance(1000);
    await flush();
    assert.deepEqual(session.snapshot.call?.quality, { level: 'good', warnings: [] });
    const afterFirst = changes;
    await clock.advance(1000);
    await flush();
    assert.equal(changes, afterFirst, 'same level, no warnings: no new snapshot');
    await clock.advance(1000);
    await flush();
    assert.deepEqual(session.snapshot.call?.quality, { level: 'fair', warnings: ['high-loss'] });
    await clock.advance(1000);
    await flush();
    assert.deepEqual(session.snapshot.call?.quality, {
      level: 'poor',
      warnings: ['high-loss', 'low-mos'],
    });
    assert.deepEqual(
      events.map((e) => [e.callId, e.reading.mos]),
      [
        [id, 4.4],
        [id, 4.3],
        [id, 3.2],
        [id, 2.4],
      ],
    );
    assert.deepEqual(asked, [id, id, id, id]);
  });

  it('stops reading when no call is talking, and a held call is not read', async () => {
    const { session, clock } = rig;
    const id = await connectedCall(rig);
    script.push(reading(4.4));
    await clock.advance(1000);
    await flush();
    await session.hold(id);
    assert.equal(session.snapshot.call?.state, 'held');
    const before = asked.length;
    await clock.advance(3000);
    await flush();
    assert.equal(asked.length, before, 'no reading while held');
    await session.resume(id);
    await clock.advance(1000);
    await flush();
    assert.ok(asked.length > before, 'reading again after resume');
    await session.hangup(id);
    await flush();
    const n = asked.length;
    await clock.advance(5000);
    await flush();
    assert.equal(asked.length, n, 'no reading after the call');
  });
});
