/** demo/react.html: the kit in React through the @lit/react wrappers completes calls. */
import { expect } from '@open-wc/testing';
import { expectCspClean, frameworkCallScenario } from './support.js';

describe('demo/react.html (React embedding via ipo-webrtc-kit/react)', function () {
  this.timeout(180_000);

  it('obeys the gateway CSP: one module script, no inline code', async () => {
    await expectCspClean('/demo/react.html', ['/dist/demos/react.js']);
  });

  it('the wrappers are exported from their own entry, not from the core kit', async () => {
    // (React ships as CommonJS, so the unbundled entry is checked as text; the page uses it bundled)
    const entry = await (await fetch('/dist/react/index.js')).text();
    expect(entry).to.match(/import[^;]*@lit\/react/);
    for (const name of ['IpoSession', 'IpoPhone', 'IpoVideoPair', 'IpoDeviceSelect'])
      expect(entry, name).to.match(new RegExp(`const ${name} = createComponent\\(`));
    for (const [prop, type] of [
      ['onRegistrationChange', 'ipo-registration-change'],
      ['onIncomingCall', 'ipo-incoming-call'],
      ['onCallStateChange', 'ipo-call-state-change'],
      ['onCallEnded', 'ipo-call-ended'],
      ['onCallRequest', 'ipo-call-request'],
      ['onHangupRequest', 'ipo-hangup-request'],
      ['onIpoError', 'ipo-error'],
    ]) {
      expect(entry, prop).to.include(`${prop}: "${type}"`);
    }
    for (const core of ['/dist/index.js', '/dist/all.js', '/dist/ipo-webrtc-kit.js']) {
      expect(await (await fetch(core)).text(), core).to.not.match(
        /["'](react|react-dom|@lit\/react)["']|node_modules\/(react|react-dom|@lit\/react)\//,
      );
    }
  });

  it('properties from React state, ipo-* events into React state, and a call each way through the UI', async () => {
    await frameworkCallScenario('react', '/demo/react.html', '203', '204');
  });
});
