/** Launches Debian's Chromium (fake media devices) for bench parts that need a real browser. */
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROME_ARGS, CHROME_PATH } from '../scripts/chromium.mjs';

export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_ARGS });
}
