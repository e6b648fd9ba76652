/**
 * The standing robustness suite (issue 10): a few thousand seeded hostile frames over real sockets
 * while two clients keep a call and toggle hold (test/support/fuzz.ts says what is checked).
 * Longer runs: `npm run fuzz -- --frames N --seed S`. FUZZ_SEED picks another seed here.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FUZZ_GATEWAY_ARGS, fuzzGateway } from '../support/fuzz.js';
import { useGateway } from '../support/suite.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const FRAMES = 3000;

describe(`frame fuzzer (${FRAMES} frames, seed ${SEED})`, () => {
  const s = useGateway({ args: FUZZ_GATEWAY_ARGS });

  test('every frame answered precisely or closed with 1009; the process alive; the call untouched', async () => {
    const report = await fuzzGateway(s.gw, { frames: FRAMES, seed: SEED, maxFrame: 131072 });
    assert.equal(report.frames, FRAMES);
    assert.equal(report.answered + report.closes1009, FRAMES);
    assert.ok(report.closes1009 > 0, 'frames over --max-frame were among them');
    assert.ok(report.holdToggles >= FRAMES / 50 - 1);
    assert.ok(Object.keys(report.byResponse).length >= 10, JSON.stringify(report.byResponse));
  });
});
