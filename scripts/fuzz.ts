/**
 * `npm run fuzz -- --frames N --seed S`: the gateway frame fuzzer (test/support/fuzz.ts) for as
 * long as you like, against the built gateway on a free loopback port. Exits 1 on the first
 * imprecise answer, a crash, a touched call or a log line with a secret in it.
 */
import { parseArgs } from 'node:util';
import { FUZZ_GATEWAY_ARGS, fuzzGateway } from '../test/support/fuzz.js';
import { Gateway } from '../test/support/gateway.js';
import { secrets } from '../test/support/raw-client.js';

const { values } = parseArgs({
  options: { frames: { type: 'string' }, seed: { type: 'string' } },
  strict: true,
});
const frames = Number(values.frames ?? 20_000);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
if (!Number.isInteger(frames) || frames < 1 || frames > 10_000_000)
  throw new Error('--frames must be a whole number from 1 to 10000000');
if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');

const gw = await Gateway.start({ args: FUZZ_GATEWAY_ARGS });
const started = Date.now();
let failed = false;
try {
  console.log(`fuzz: ${frames} frames, seed ${seed}, gateway ${gw.url}`);
  const report = await fuzzGateway(gw, {
    frames,
    seed,
    maxFrame: 131072,
    progress: (n) => {
      if (n % 5000 === 0) console.log(`  ${n} frames`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(JSON.stringify({ ...report, seconds, framesPerSecond: frames / seconds }, null, 2));
} catch (err) {
  failed = true;
  console.error(`fuzz: FAILED (seed ${seed}): ${(err as Error).message}`);
} finally {
  if (gw.running) await gw.stop();
  gw.assertLogsClean(secrets);
}
process.exit(failed ? 1 : 0);
