/** `npm run bench`: every bench part in turn; each prints a table and writes bench/results/*.json. */
import { runGatewayCapacity } from './gateway-capacity.js';
import { runSdkBench } from './sdk-bench.js';
import { runKitBench } from './kit-bench.js';
import { runMediaBench } from './media-bench.js';
import { runResiliencyBench } from './resiliency-bench.js';
import { runSoakBench } from './soak-bench.js';
import { runSharingBench } from './sharing-bench.js';

const parts: Array<[string, () => Promise<void>]> = [
  ['gateway', runGatewayCapacity],
  ['sdk', runSdkBench],
  ['kit', runKitBench],
  ['resiliency', runResiliencyBench],
  ['media', runMediaBench],
  ['soak', runSoakBench],
  ['sharing', runSharingBench],
];
const only = process.argv[2];
for (const [name, run] of parts) {
  if (only && only !== name) continue;
  await run();
}
