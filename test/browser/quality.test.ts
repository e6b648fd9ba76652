/**
 * Call quality end to end: IpoSession on the bundled SDK calls the gateway's echo number over real
 * media; the once-a-second readings arrive as `quality` events with real figures, and the call's
 * snapshot gets a quality level without changing on every reading.
 */
import { expect } from '@open-wc/testing';
import { IpoSession, type IpoSessionQualityEvent } from '../../src/core/ipo-session.js';
import { gatewayInfo } from './support/phone.js';

describe('call quality (IpoSession + SDK + gateway echo test)', function () {
  this.timeout(60_000);

  it('a clean loopback call reads good: RTT, jitter, bitrate and MOS every second, one snapshot change', async () => {
    const info = await gatewayInfo();
    const session = new IpoSession({ gateway: `127.0.0.1:${info.port}` });
    try {
      await session.login('206', info.password);
      const id = await session.call('8000');
      const readings: IpoSessionQualityEvent[] = [];
      const qualities = new Set<unknown>();
      await new Promise<void>((done) => {
        session.addEventListener('quality', (e) => {
          readings.push(e);
          if (readings.length >= 4) done();
        });
        session.addEventListener('change', () =>
          qualities.add(session.snapshot.calls.find((c) => c.id === id)?.quality ?? null),
        );
      });
      const last = readings.at(-1)!.reading;
      expect(readings.every((r) => r.callId === id)).to.equal(true);
      expect(last.inKbps, 'audio comes back from the echo').to.be.greaterThan(8);
      expect(last.outKbps).to.be.greaterThan(8);
      expect(last.mos).to.be.greaterThan(4);
      expect(last.loss).to.equal(0);
      expect(
        readings.some((r) => typeof r.reading.rtt === 'number' && r.reading.rtt > 0),
        'an RTT from RTCP',
      ).to.equal(true);
      expect(session.snapshot.call?.quality).to.deep.equal({ level: 'good', warnings: [] });
      expect(
        [...qualities].filter(Boolean).length,
        'the quality object did not change with every reading',
      ).to.equal(1);
      await session.hangup(id);
    } finally {
      await session.logout().catch(() => undefined);
      session.dispose();
    }
  });
});
