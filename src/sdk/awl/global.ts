/**
 * IIFE entry of dist/awl.min.js, the drop-in for the vendor's file: `window.AWL`, `window.CONST`,
 * and the globals of the vendor's file that apps rely on without defining them (docs/compatibility.md):
 * the no-op callbacks `onAuthTokenRenewed`, `onconfigStateChange`, `onRegistrationStateChange`,
 * `onCallListener`, `onDeviceListRequested`, and the flag `webkitURLSupported`. Each is defined
 * only when the page has none of its own, as a plain writable property, so an app's own
 * definition (before or after this script) always wins.
 */
import { AWL, CONST } from './index.js';

declare global {
  interface Window {
    AWL: typeof AWL;
    CONST: typeof CONST;
  }
}

window.AWL = AWL;
window.CONST = CONST;

/** The vendor's global no-op callbacks, which apps pass to setConfiguration / getDeviceList. */
const VENDOR_CALLBACKS = [
  'onAuthTokenRenewed',
  'onconfigStateChange',
  'onRegistrationStateChange',
  'onCallListener',
  'onDeviceListRequested',
] as const;

const w = window as unknown as Record<string, unknown>;
for (const name of VENDOR_CALLBACKS) {
  if (!(name in w)) w[name] = function () {};
}
if (!('webkitURLSupported' in w)) w.webkitURLSupported = 'webkitURL' in w;
