/**
 * Issue 9 item 8: a page on another origin (this test server, http://localhost:PORT) loads the kit
 * as a module script from the dev gateway's origin, `<script type="module"
 * src="https://127.0.0.1:GW/dist/ipo-webrtc-kit.js">`. A cross-origin module script needs CORS:
 * it only runs when the gateway answers with Access-Control-Allow-Origin for this origin. The AWL
 * bundle is loaded the same way (as a classic script with crossorigin, which needs CORS too).
 */
import { expect } from '@open-wc/testing';
import { gatewayInfo } from '../support/phone.js';

function loadScript(src: string, module: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    if (module) script.type = 'module';
    else script.crossOrigin = 'anonymous';
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`${src} did not load`));
    document.head.append(script);
  });
}

describe('the kit served by the gateway to a page on another origin', function () {
  this.timeout(60_000);

  it('nothing of the kit is on this page before', () => {
    expect(customElements.get('ipo-phone')).to.equal(undefined);
    expect((window as { AWL?: unknown }).AWL).to.equal(undefined);
  });

  it('<script type="module" src="https://gateway/dist/ipo-webrtc-kit.js"> defines every ipo-* element', async () => {
    const { url } = await gatewayInfo();
    const gateway = new URL(url);
    expect(gateway.origin).to.not.equal(location.origin);
    await loadScript(`${gateway.origin}/dist/ipo-webrtc-kit.js`, true);
    for (const tag of ['ipo-session', 'ipo-phone', 'ipo-network-test'])
      expect(customElements.get(tag), tag).to.be.a('function');
    const phone = document.createElement('ipo-phone');
    document.body.append(phone);
    await (phone as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(phone.shadowRoot?.querySelector('form[part="login"]')).to.not.equal(null);
    phone.remove();
  });

  it('after a failed connection the bundle loads its probe from the gateway (dist/ipo-webrtc-kit.diagnose-probe.js) and diagnoses', async () => {
    const { url } = await gatewayInfo();
    const origin = new URL(url).origin;
    const probeUrl = `${origin}/dist/ipo-webrtc-kit.diagnose-probe.js`;
    expect(performance.getEntriesByName(probeUrl), 'not loaded at start').to.have.length(0);
    const kitUrl = `${origin}/dist/ipo-webrtc-kit.js`;
    const kit = (await import(/* @vite-ignore */ kitUrl)) as {
      diagnoseConnection(host: string, port: string): Promise<{ problem?: string } | undefined>;
    };
    // port 1 on loopback: nothing listens, so the probe can tell (undefined = probe not loaded)
    const details = await kit.diagnoseConnection('127.0.0.1', '1');
    expect(details?.problem).to.be.oneOf(['unreachable', 'certificate', 'host-not-found']);
    expect(performance.getEntriesByName(probeUrl), 'loaded on demand').to.have.length(1);
  });

  it('the AWL bundle loads cross-origin with crossorigin="anonymous" and defines AWL.client', async () => {
    const { url } = await gatewayInfo();
    await loadScript(`${new URL(url).origin}/dist/awl.min.js`, false);
    const awl = (window as { AWL?: { client?: unknown } }).AWL;
    expect(awl?.client).to.not.equal(undefined);
  });
});
