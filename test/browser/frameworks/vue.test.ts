/** demo/vue.html: the kit in Vue (pre-compiled template with isCustomElement) completes calls. */
import { expectCspClean, frameworkCallScenario } from './support.js';

describe('demo/vue.html (Vue embedding)', function () {
  this.timeout(180_000);

  it('obeys the gateway CSP: one module script, no inline code', async () => {
    await expectCspClean('/demo/vue.html', ['/dist/demos/vue.js']);
  });

  it('properties from Vue state, ipo-* events into Vue state, and a call each way through the UI', async () => {
    await frameworkCallScenario('vue', '/demo/vue.html', '201', '202');
  });
});
