/**
 * The page of a call party in a second browser (web-test-runner.config.mjs, `ipo-party`): the
 * test helpers of the SDK suites on `window.party`, for the test in the first browser to drive
 * (`remote()` in ./remote.ts). `party.vars` keeps state between steps.
 */
import * as support from '../sdk/support.js';

declare global {
  interface Window {
    party: typeof support & { vars: Record<string, any> };
    partyReady: boolean;
  }
}

window.party = { ...support, vars: {} };
window.partyReady = true;
