/** Call quality maths: E-model MOS, per-interval samples from standard stats, warnings, verdicts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { counters, mos, sample, warnings, type Counters } from '../../src/sdk/quality.js';
import { verdict } from '../../src/core/network-verdict.js';

const report = (entries: Array<Record<string, unknown>>) => ({
  forEach: (cb: (s: any) => void) => entries.forEach(cb),
});

describe('sdk quality', () => {
  test('MOS: a clean LAN call rates high, loss and delay pull it down monotonically', () => {
    const clean = mos(2, 1, 0);
    assert.ok(clean > 4.3 && clean <= 4.5, `clean ${clean}`);
    assert.ok(mos(2, 1, 2) < clean);
    assert.ok(mos(2, 1, 10) < mos(2, 1, 2));
    assert.ok(mos(600, 1, 0) < mos(200, 1, 0));
    assert.ok(mos(2, 1, 10) < 3.5, 'ten percent loss is poor');
    assert.equal(mos(5000, 500, 100), 1);
  });

  test('counters read audio inbound, outbound and remote-inbound entries only', () => {
    const c = counters(
      report([
        {
          type: 'inbound-rtp',
          kind: 'audio',
          packetsReceived: 100,
          packetsLost: 3,
          bytesReceived: 8000,
          totalAudioEnergy: 0.5,
          jitter: 0.012,
        },
        { type: 'inbound-rtp', kind: 'video', packetsReceived: 999, packetsLost: 99 },
        { type: 'outbound-rtp', kind: 'audio', bytesSent: 9000 },
        { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.045 },
      ]),
      1000,
    );
    assert.deepEqual(c, {
      at: 1000,
      received: 100,
      lost: 3,
      bytesIn: 8000,
      bytesOut: 9000,
      energy: 0.5,
      jitter: 12,
      rtt: 45,
    });
  });

  test('a sample is the difference of two readings', () => {
    const a: Counters = {
      at: 0,
      received: 100,
      lost: 0,
      bytesIn: 0,
      bytesOut: 0,
      energy: 1,
      jitter: 5,
      rtt: 40,
    };
    const b: Counters = {
      at: 1000,
      received: 145,
      lost: 5,
      bytesIn: 6000,
      bytesOut: 4000,
      energy: 1.2,
      jitter: 6,
      rtt: 42,
    };
    const q = sample(a, b);
    assert.equal(q.packets, 45);
    assert.equal(q.loss, 10);
    assert.equal(q.inKbps, 48);
    assert.equal(q.outKbps, 32);
    assert.equal(q.sound, true);
    assert.equal(q.rtt, 42);
    assert.ok(q.mos < 3.5);
  });

  test('warnings name their cause; no audio wins over everything else', () => {
    const base = {
      rtt: 20,
      jitter: 2,
      loss: 0,
      inKbps: 40,
      outKbps: 40,
      mos: 4.4,
      packets: 50,
      sound: true,
    };
    assert.deepEqual(warnings(base), []);
    assert.deepEqual(
      warnings({ ...base, packets: 0, loss: 50 }).map((w) => w.code),
      ['no-audio'],
    );
    const bad = warnings({ ...base, rtt: 450, jitter: 60, loss: 8, mos: 2.9 });
    assert.deepEqual(
      bad.map((w) => w.code),
      ['high-rtt', 'high-jitter', 'high-loss', 'low-mos'],
    );
    assert.match(bad[2]!.cause, /8\.0 % of the audio is lost/);
    assert.deepEqual(
      warnings(base, 5).map((w) => w.code),
      ['silence'],
    );
    assert.deepEqual(warnings(base, 4), []);
  });

  test('verdict: good, voice only, or poor with the reason', () => {
    assert.deepEqual(verdict(20, 3, 0), { level: 'good', reason: '' });
    assert.deepEqual(verdict(20, 3, 2), { level: 'voice-only', reason: '2.0 % packet loss' });
    assert.deepEqual(verdict(200, 3, 0), { level: 'voice-only', reason: '200 ms round trip' });
    assert.deepEqual(verdict(20, 3, 10), { level: 'poor', reason: '10.0 % of packets were lost' });
    assert.equal(verdict(500, 80, 0).level, 'poor');
  });
});
