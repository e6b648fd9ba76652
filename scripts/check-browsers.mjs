// `npm test` first: are the browsers it needs there? One line on how to get a missing one,
// instead of a failure deep inside the test runner. IPO_BROWSERS (default chromium,firefox)
// names the browsers the run uses.
import { accessSync, constants } from 'node:fs';
import { CHROME_PATH } from './chromium.mjs';
import { FIREFOX_PATH } from './firefox.mjs';

const wanted = (process.env.IPO_BROWSERS || 'chromium,firefox').split(',').map((b) => b.trim());
const BROWSERS = {
  chromium: {
    path: CHROME_PATH,
    hint: `Chromium not found at ${CHROME_PATH}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROME_PATH to a Chrome or Chromium binary`,
  },
  firefox: {
    path: FIREFOX_PATH,
    hint: `Firefox not found at ${FIREFOX_PATH}: install it (Debian: sudo apt-get install firefox-esr; Ubuntu: the firefox package) or set FIREFOX_PATH to a Firefox binary, or run Chromium only with IPO_BROWSERS=chromium`,
  },
};

let missing = 0;
for (const name of wanted) {
  const b = BROWSERS[name];
  if (!b) {
    console.error(`IPO_BROWSERS names "${name}": use chromium, firefox or both (comma-separated)`);
    missing++;
    continue;
  }
  try {
    accessSync(b.path, constants.X_OK);
  } catch {
    console.error(b.hint);
    missing++;
  }
}
if (missing) process.exit(1);
