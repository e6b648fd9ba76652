/** demo/angular/: an AOT-compiled standalone Angular component with CUSTOM_ELEMENTS_SCHEMA completes calls. */
import { expectCspClean, frameworkCallScenario } from './support.js';

describe('demo/angular/ (Angular embedding)', function () {
  this.timeout(180_000);

  it('obeys the gateway CSP: the kit bundle and the AOT bundle, no inline code', async () => {
    await expectCspClean('/demo/angular/index.html', [
      '/dist/ipo-webrtc-kit.js',
      '/dist/demos/angular.js',
    ]);
  });

  it('properties from Angular signals, ipo-* events into signals, and a call each way through the UI', async () => {
    await frameworkCallScenario('angular', '/demo/angular/index.html', '202', '201');
  });
});
