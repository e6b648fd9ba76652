/** `npm run bench`: every bench part in turn; each prints a table and writes bench/results/*.json. */
import { runGatewayCapacity } from './gateway-capacity.js';

const parts: Array<[string, () => Promise<void>]> = [['gateway', runGatewayCapacity]];
const only = process.argv[2];
for (const [name, run] of parts) {
  if (only && only !== name) continue;
  await run();
}
