/**
 * IpoSession errors with a known cause carry `details` and a message that says what to do:
 * a second login elsewhere ("Use it here"), a forced logout, a session lost in a reconnect (the
 * dropped call stays as the last outcome), a blocked microphone. Never the raw user agent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpoError } from '../../src/core/errors.js';
import { sessionCredentials } from '../../src/core/network-test.js';
import { flush } from './fake-awl.js';
import { PASSWORD, connectedCall, loggedIn, rejection, setup } from './support.js';

const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

describe('IpoSession errors with a known cause', () => {
  it('a login refused because the extension is in use says where, in words, and a bump logs in', async () => {
    const rig = setup();
    rig.fake.silent.add('logIn');
    const pending = rejection(rig.session.login('201', PASSWORD));
    await flush();
    rig.fake.registration('AWL_MSG_LOGIN_FAILED', `Extension 201 is already in use by ${UA}`);
    const error = (await pending) as IpoError;
    assert.ok(error instanceof IpoError);
    assert.equal(error.code, 'login-failed');
    assert.equal(error.details?.problem, 'in-use');
    assert.equal(error.details?.where, 'Chrome on Linux');
    assert.equal(rig.session.snapshot.error, error);
    assert.doesNotMatch(error.message, /Mozilla|AppleWebKit/);
    assert.match(error.message, /already in use \(Chrome on Linux\)\. Choose "Use it here"/);
    assert.equal(error.reason, `Extension 201 is already in use by ${UA}`); // for programs only
  });

  it('a forced logout (logged in elsewhere) is told as such', async () => {
    const rig = await loggedIn();
    rig.fake.registration('AWL_MSG_LOGIN_FAILED', 'Logged in elsewhere');
    await flush();
    assert.equal(rig.session.snapshot.error?.details?.problem, 'taken-over');
    assert.equal(
      rig.session.snapshot.error?.message,
      'You were logged out because your extension was logged in elsewhere.',
    );
  });

  it('a token refused while reconnecting (gateway restart) says to log in again; the dropped call stays shown', async () => {
    const rig = await loggedIn();
    const id = await connectedCall(rig);
    rig.fake.registration('AWL_MSG_RECONNECTING', 'Lost Connection to Server');
    await flush();
    rig.fake.remoteHangup(id, 'GW connection lost');
    await flush();
    rig.fake.registration('AWL_MSG_LOGIN_FAILED', 'Token rejected');
    await flush();
    const s = rig.session.snapshot;
    assert.equal(s.registration.state, 'error');
    assert.equal(s.error?.details?.problem, 'session-ended');
    assert.equal(
      s.error?.message,
      'The telephone system restarted and could not keep you logged in. Log in again.',
    );
    assert.equal(s.lastEnded?.id, id);
    assert.equal(s.lastEnded?.reason, 'GW connection lost');
  });

  it('a blocked microphone says how to allow it', async () => {
    const rig = await loggedIn();
    rig.fake.micDenied = true;
    const error = (await rejection(rig.session.call('202'))) as IpoError;
    assert.equal(error.code, 'media-failed');
    assert.equal(error.details?.problem, 'microphone-blocked');
    assert.match(error.message, /Allow the microphone for this site/);
  });

  it('gives the network test no grant unless logged in with an engine that has one', async () => {
    const rig = await loggedIn();
    assert.equal(sessionCredentials(rig.session), null, 'the fake engine has no getRelayGrant');
    const fake = rig.fake as unknown as { getRelayGrant?: () => unknown };
    fake.getRelayGrant = () => ({ token: 'grant-SECRET', instanceId: 'iid-7' });
    assert.deepEqual(sessionCredentials(rig.session), {
      user: '201',
      token: 'grant-SECRET',
      tokenType: 'RESILIENCY',
      instanceId: 'iid-7',
    });
    assert.ok(!JSON.stringify(rig.session.snapshot).includes('grant-SECRET'));
    await rig.session.logout();
    assert.equal(sessionCredentials(rig.session), null, 'no grant once logged out');
  });
});
