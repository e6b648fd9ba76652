/**
 * The kit loaded by a page of another origin straight from the gateway (`<script type="module"
 * src="https://gateway/dist/ipo-webrtc-kit.js">`): its German translation is fetched from the
 * gateway too, next to the bundle, through the gateway's CORS for allowed origins.
 */
import { expect } from '@open-wc/testing';
import de from '../../../src/i18n/locales/de.js';
import { gatewayInfo } from '../support/phone.js';
import { MarkupPage } from './pages.js';

describe('translations next to the bundle, served by the gateway to another origin', function () {
  this.timeout(60_000);

  it('a German page on this origin gets the bundle and dist/ipo-webrtc-kit.de.js from the gateway', async () => {
    const { host, url } = await gatewayInfo();
    const page = await MarkupPage.open(
      'cross-origin de',
      'lang="de"',
      `<ipo-session gateway="${host}" no-resiliency><ipo-phone no-ringtone></ipo-phone></ipo-session>`,
      360,
      740,
      `${url}/dist/ipo-webrtc-kit.js`,
    );
    try {
      expect(page.win.location.origin).not.to.equal(new URL(url).origin);
      expect(page.button(page.phone, de.login)).to.exist;
      const fetched = page.win.performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.includes('/dist/ipo-webrtc-kit'));
      expect(fetched.sort()).to.deep.equal([
        `${url}/dist/ipo-webrtc-kit.de.js`,
        `${url}/dist/ipo-webrtc-kit.js`,
      ]);
      expect(page.errors).to.deep.equal([]);
    } finally {
      page.close();
    }
  });
});
