// How every browser run of this project starts Debian's Chromium: tests and benches alike.
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  // this machine's network is closed: no background or update traffic
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // fake camera and microphone, permission granted without a prompt
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // the dev gateway's certificate is self-signed
  '--ignore-certificate-errors',
  '--autoplay-policy=no-user-gesture-required',
];
