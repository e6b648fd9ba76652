import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import {
  StunMemory,
  candidateTypes,
  gather,
  hasCandidates,
  type GatherTarget,
} from '../../src/sdk/ice.js';

const cand = (type: string, ufrag = 'u1') =>
  `a=candidate:1 1 udp 1 192.0.2.2 5000 typ ${type} generation 0 ufrag ${ufrag}`;

/** A peer connection stand-in whose gathering the test drives. */
class FakePc extends EventTarget implements GatherTarget {
  iceGatheringState: RTCIceGatheringState = 'gathering';
  lines: string[] = [];
  constructor(public ufrag = 'u1') {
    super();
  }
  get localDescription() {
    return {
      type: 'offer',
      sdp: `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:${this.ufrag}\r\n${this.lines.join('\r\n')}\r\n`,
    } as RTCSessionDescription;
  }
  candidate(type: string, ufrag = this.ufrag) {
    if (ufrag === this.ufrag) this.lines.push(cand(type, ufrag));
    const ev = new Event('icecandidate') as Event & { candidate: unknown };
    ev.candidate = { candidate: cand(type, ufrag).slice(2), type, usernameFragment: ufrag };
    this.dispatchEvent(ev);
  }
  complete() {
    this.iceGatheringState = 'complete';
    this.dispatchEvent(new Event('icegatheringstatechange'));
  }
}

/**
 * Runs `p` on virtual time (node:test mock timers, 1 ms steps): the decision and the virtual
 * milliseconds it took are exact, whatever the machine's load.
 */
const timed = async (p: Promise<string>) => {
  let why: string | undefined;
  void p.then((w) => (why = w));
  const t0 = Date.now();
  for (let i = 0; i < 10_000 && why === undefined; i++) {
    mock.timers.tick(1);
    for (let j = 0; j < 3; j++) await Promise.resolve();
  }
  return { why, ms: Date.now() - t0 };
};
const later = (ms: number, fn: () => void) => setTimeout(fn, ms);

describe('ice: fast gathering decision', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
  afterEach(() => mock.timers.reset());

  it('finishes when gathering completes', async () => {
    const pc = new FakePc();
    later(5, () => pc.candidate('host'));
    later(10, () => pc.complete());
    const r = await timed(gather(pc, { stun: true, quietMs: 500, capMs: 2000 }));
    assert.equal(r.why, 'complete');
    assert.equal(r.ms, 10, 'at the completion event');
  });

  it('with no server, host candidates are enough after a short settle', async () => {
    const pc = new FakePc();
    later(5, () => pc.candidate('host'));
    later(8, () => pc.candidate('host'));
    const r = await timed(gather(pc, { settleMs: 20, capMs: 2000 }));
    assert.equal(r.why, 'enough');
    assert.equal(r.ms, 28, 'settle period after the last host candidate');
  });

  it('with STUN, waits for a srflx candidate, then settles', async () => {
    const pc = new FakePc();
    later(5, () => pc.candidate('host'));
    later(60, () => pc.candidate('srflx'));
    const r = await timed(gather(pc, { stun: true, quietMs: 500, settleMs: 10, capMs: 2000 }));
    assert.equal(r.why, 'enough');
    assert.equal(r.ms, 70, 'settle period after the srflx candidate');
  });

  it('with STUN and TURN, needs both srflx and relay', async () => {
    const pc = new FakePc();
    later(5, () => pc.candidate('host'));
    later(20, () => pc.candidate('srflx'));
    later(80, () => pc.candidate('relay'));
    const r = await timed(
      gather(pc, { stun: true, turn: true, quietMs: 500, settleMs: 10, capMs: 2000 }),
    );
    assert.equal(r.why, 'enough');
    assert.equal(r.ms, 90, 'settle period after the relay candidate, not after srflx');
  });

  it('a silent STUN server costs only the quiet period after the last candidate', async () => {
    const pc = new FakePc();
    later(5, () => pc.candidate('host'));
    later(40, () => pc.candidate('host'));
    const r = await timed(gather(pc, { stun: true, quietMs: 100, capMs: 2000 }));
    assert.equal(r.why, 'quiet');
    assert.equal(r.ms, 140, 'quiet period after the last candidate');
  });

  it('keeps a hard cap when nothing arrives', async () => {
    const r = await timed(gather(new FakePc(), { stun: true, quietMs: 50, capMs: 120 }));
    assert.equal(r.why, 'cap');
    assert.equal(r.ms, 120);
  });

  it('counts candidates gathered before it was called', async () => {
    const pc = new FakePc();
    pc.lines.push(cand('host'), cand('srflx'));
    const r = await timed(gather(pc, { stun: true, settleMs: 10, quietMs: 500, capMs: 2000 }));
    assert.equal(r.why, 'enough');
    assert.equal(r.ms, 10, 'only the settle period');
  });

  it('after an ICE restart, "complete" without candidates of the new generation is not complete', async () => {
    const pc = new FakePc('new');
    pc.iceGatheringState = 'complete'; // what Chromium reports right after setLocalDescription
    later(5, () => pc.candidate('srflx', 'old')); // a late one of the old generation: ignored
    later(30, () => pc.complete());
    const early = await timed(gather(pc, { stun: true, quietMs: 500, settleMs: 10, capMs: 300 }));
    assert.equal(early.why, 'cap');
    const pc2 = new FakePc('new');
    pc2.iceGatheringState = 'complete';
    later(5, () => pc2.candidate('host'));
    later(10, () => pc2.candidate('srflx'));
    const r = await timed(gather(pc2, { stun: true, quietMs: 500, settleMs: 10, capMs: 2000 }));
    assert.equal(r.why, 'enough');
  });

  it('reads candidate types of the current generation only', () => {
    const sdp = `a=ice-ufrag:u2\r\n${cand('host', 'u1')}\r\n${cand('relay', 'u2')}\r\na=candidate:2 1 udp 1 10.0.0.1 9 typ srflx\r\n`;
    assert.deepEqual(candidateTypes(sdp), ['relay', 'srflx']);
    assert.equal(hasCandidates('a=ice-ufrag:x\r\n'), false);
  });

  it('a STUN server known to be silent costs only the settle period; one that answers is waited for about as long as it took', async () => {
    const mem = new StunMemory();
    const url = 'stun:192.0.2.7:3478';
    const base = { stun: true, settleMs: 10, capMs: 2000 };
    // unknown: the full quiet period, and it learns that nothing came
    const pc1 = new FakePc();
    later(5, () => pc1.candidate('host'));
    const r1 = await timed(gather(pc1, mem.options(url, base)));
    assert.deepEqual(r1, { why: 'quiet', ms: 305 });
    // known silent: the settle period after the last candidate only
    const pc2 = new FakePc();
    later(5, () => pc2.candidate('host'));
    const r2 = await timed(gather(pc2, mem.options(url, base)));
    assert.deepEqual(r2, { why: 'quiet', ms: 15 });
    assert.equal(mem.options(url, base).quietMs, 10, 'still known silent');
    // it answers after all (within that short wait): learnt, srflx after 12 ms → 3 × 12 + 20 = 56
    const pc3 = new FakePc();
    later(5, () => pc3.candidate('host'));
    later(12, () => pc3.candidate('srflx'));
    assert.equal((await timed(gather(pc3, mem.options(url, base)))).why, 'enough');
    assert.equal(mem.options(url, base).quietMs, 56);
    // a short wait that saw no srflx forgets: the next call waits fully again
    const pc4 = new FakePc();
    later(5, () => pc4.candidate('host'));
    assert.deepEqual(await timed(gather(pc4, mem.options(url, base))), { why: 'quiet', ms: 61 });
    assert.equal(mem.options(url, base).quietMs, 300);
    // another server: nothing known
    assert.equal(mem.options('stun:198.51.100.1:3478', base).quietMs, 300);
  });
});
