// How every Firefox run of this project starts Debian's Firefox ESR (puppeteer-core over WebDriver
// BiDi): fake camera and microphone without a prompt, the dev gateway's self-signed certificate
// accepted.
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

export const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // media elements play without a user gesture (ring tone, remote audio)
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // this machine's network is closed: no background or update traffic
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

/** puppeteer-core launch options for Firefox (also used by the mixed-browser server command). */
export const FIREFOX_LAUNCH = {
  browser: 'firefox',
  executablePath: FIREFOX_PATH,
  headless: true,
  acceptInsecureCerts: true,
  extraPrefsFirefox: FIREFOX_PREFS,
};
