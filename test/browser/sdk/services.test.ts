/**
 * The dev gateway's test numbers through the AWL SDK, real Chromium and real media: the echo test
 * (8000) sends back what the browser sends (non-silent audio arrives), and the DTMF read-back
 * (8001) reports the RFC 4733 digits it decoded in FarEndChanged, so sendDTMF is checked end to end.
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  cleanup,
  expectAudioFlowing,
  expectReleased,
  pageErrors,
  resourceMark,
  type CallObj,
} from './support.js';

describe('AWL SDK: the gateway test numbers (echo 8000, DTMF read-back 8001)', function () {
  this.timeout(60_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('echo test: CONNECTED to "Echo test", and our own (non-silent) audio comes back', async () => {
    const c = await TestClient.loggedIn('204', { label: 'echo' });
    const mark = resourceMark();
    const m = c.mark();
    const call = c.client.makeCall('8000', 'audio') as CallObj;
    const id = call.getCallId();
    await c.waitState(id, 'AWL_MSG_CALL_CONNECTED', m);
    expect(call.getFarEndName()).to.equal('Echo test');
    await c.waitFor('audio', (e) => e.args[0] === id, { since: m, what: 'the call audio streams' });
    await expectAudioFlowing(await c.pcFor(id), 'the echo of our microphone');
    c.client.dropCall(id);
    await c.waitFor('terminate', (e) => e.args[0] === id, {
      since: m,
      what: 'the end of the echo call',
    });
    await expectReleased(mark, 'after the echo test');
  });

  it('DTMF read-back: digits sent with sendDTMF come back in FarEndDn, in order', async () => {
    const c = await TestClient.loggedIn('205', { label: 'dtmf' });
    const m = c.mark();
    const call = c.client.makeCall('8001', 'audio') as CallObj;
    const id = call.getCallId();
    await c.waitState(id, 'AWL_MSG_CALL_CONNECTED', m);
    expect(call.getFarEndName()).to.equal('DTMF read-back');
    const heard: string[] = [];
    for (const digit of ['1', '2', '#', '*', '9']) {
      const md = c.mark();
      expect(c.client.sendDTMF(id, digit), `sendDTMF ${digit}`).to.equal(true);
      const update = await c.waitFor(
        'state',
        (e) => e.args[0] === id && e.args[2] === 'AWL_MSG_CALL_FAREND_UPDATE',
        {
          since: md,
          what: `the read-back of ${digit}`,
        },
      );
      heard.push((update.args[1] as CallObj).getFarEndName());
    }
    expect(heard).to.deep.equal(['1', '12', '12#', '12#*', '12#*9']);
    c.client.dropCall(id);
    await c.waitFor('terminate', (e) => e.args[0] === id, {
      since: m,
      what: 'the end of the read-back call',
    });
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
